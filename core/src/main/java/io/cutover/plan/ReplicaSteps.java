package io.cutover.plan;

import io.cutover.plan.Environment.Database;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The builders of the {@code read-replica} sync mode's steps ({@code Steps.createReadReplica("create-replica")},
 * {@code Steps.promoteReadReplica("promote")}) and the checks of their fields, which plan files share.
 */
public final class ReplicaSteps {
    /** The longest wait for a replica's lag to drain after the freeze: writes are frozen all that time. */
    public static final Duration MAX_DRAIN = Duration.ofHours(1);

    private ReplicaSteps() {}

    /** Blue's database must be an instance standing alone; the lag bound positive; a new id RDS accepts. */
    public static void check(DatabaseSync.CreateReadReplica s, Validation v) {
        if (s.database() == null) {
            v.problem(
                    "database",
                    "is missing; give blue's database, e.g. {kind: instance, id: shop-db, ownedByStack: false}");
            return;
        }
        v.database(s.database(), "database");
        if (s.database().kind() != Database.Kind.INSTANCE) {
            v.problem(
                    "database.kind",
                    "'" + s.database().id() + "' is an Aurora cluster: RDS read replicas are of DB instances (Aurora"
                            + " replicates inside the cluster); use snapshot-restore for a cluster");
        }
        if (s.database().ownedByStack()) {
            v.problem(
                    "database.ownedByStack",
                    "'" + s.database().id() + "' is created by blue's stack: green's stack, a copy of it, would create"
                            + " a database of its own instead of using the promoted replica; use read-replica for a"
                            + " database standing alone (ownedByStack: false), or snapshot-restore");
        }
        s.newId()
                .filter(n -> !Validation.refers(n))
                .ifPresent(n -> Identifiers.checkDatabaseId(n).ifPresent(m -> v.problem("newId", m)));
        v.bounded(s.maxReplicaLag(), PlanValidator.MAX_INTERVAL, "maxReplicaLag");
    }

    /** A replica to promote, a drain timeout, and writes frozen before it. */
    public static void check(DatabaseSync.PromoteReadReplica s, Validation v) {
        v.present(s.replica(), "replica", "e.g. ${create-replica.databaseId}");
        v.bounded(s.timeout(), MAX_DRAIN, "timeout");
        if (v.plan() != null && s.id() != null && !afterAFreeze(v.plan(), s.id())) {
            v.problem(
                    "dependsOn",
                    "no step before the promotion freezes writes (a hook, command, http-call or approval with"
                            + " downtime: starts): what blue takes after the promotion would never reach green's"
                            + " database; add the freeze to dependsOn, e.g. dependsOn: [freeze]");
        }
    }

    /** Whether a step that opens the downtime window (writes stop) comes before {@code id} in the plan's graph. */
    static boolean afterAFreeze(Plan plan, StepId id) {
        Set<StepId> seen = new HashSet<>();
        Deque<StepId> todo =
                new ArrayDeque<>(plan.step(id).map(StepSpec::dependsOn).orElse(List.of()));
        while (!todo.isEmpty()) {
            StepId next = todo.pop();
            Optional<StepSpec> s = plan.step(next);
            if (!seen.add(next) || s.isEmpty()) {
                continue;
            }
            if (opensDowntime(s.get())) {
                return true;
            }
            todo.addAll(s.get().dependsOn());
        }
        return false;
    }

    private static boolean opensDowntime(StepSpec s) {
        StepSpec.Downtime d = s instanceof StepSpec.Hook h
                ? h.downtime()
                : s instanceof StepSpec.RunCommand r
                        ? r.downtime()
                        : s instanceof StepSpec.HttpCall c
                                ? c.downtime()
                                : s instanceof StepSpec.Approval a ? a.downtime() : null;
        return d == StepSpec.Downtime.STARTS;
    }

    /** Builds a {@link DatabaseSync.CreateReadReplica}. */
    public static final class CreateBuilder extends Steps.StepBuilder<CreateBuilder, DatabaseSync.CreateReadReplica> {
        private Database database;
        private String newId;
        private Duration maxReplicaLag = Duration.ofSeconds(30);

        CreateBuilder(String id) {
            super(id);
        }

        /** Blue's database, an instance standing alone ({@code new Database(Kind.INSTANCE, id, false)}). */
        public CreateBuilder database(Database database) {
            this.database = database;
            return this;
        }

        /**
         * The replica's id, which the promoted database keeps ({@code <plan id>-<step id>} by default); it must not
         * be blue's or another step's.
         */
        public CreateBuilder newId(String id) {
            this.newId = id;
            return this;
        }

        /** The replica lag the replica may have when the step ends, before writes freeze (30 s by default). */
        public CreateBuilder maxReplicaLag(Duration lag) {
            this.maxReplicaLag = lag;
            return this;
        }

        @Override
        void check(Validation v) {
            ReplicaSteps.check(create(StepId.of("x"), List.of()), v);
        }

        @Override
        DatabaseSync.CreateReadReplica create(StepId id, List<StepId> dependsOn) {
            return new DatabaseSync.CreateReadReplica(
                    id, dependsOn, database, Optional.ofNullable(newId), maxReplicaLag);
        }
    }

    /** Builds a {@link DatabaseSync.PromoteReadReplica}. */
    public static final class PromoteBuilder
            extends Steps.StepBuilder<PromoteBuilder, DatabaseSync.PromoteReadReplica> {
        private String replica;
        private Duration timeout = Duration.ofMinutes(5);

        PromoteBuilder(String id) {
            super(id);
        }

        /** The replica, e.g. {@code ${create-replica.databaseId}} (required). */
        public PromoteBuilder replica(String replica) {
            this.replica = replica;
            return this;
        }

        /** How long to wait after the freeze for the replica's lag to drain to zero (5 min by default). */
        public PromoteBuilder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        @Override
        void check(Validation v) {
            ReplicaSteps.check(create(StepId.of("x"), List.of()), v);
        }

        @Override
        DatabaseSync.PromoteReadReplica create(StepId id, List<StepId> dependsOn) {
            return new DatabaseSync.PromoteReadReplica(id, dependsOn, replica, timeout);
        }
    }
}
