package io.cutover.plan;

import io.cutover.plan.Environment.Database;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The builders of the {@code rds-blue-green} sync mode's steps ({@code Steps.createBlueGreen("create-bg")},
 * {@code Steps.switchoverBlueGreen("switchover")}) and the checks of their fields, which plan files share.
 */
public final class BlueGreenSteps {
    /** RDS's bounds for a switchover's timeout. */
    public static final Duration MIN_TIMEOUT = Duration.ofSeconds(30);

    public static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    private BlueGreenSteps() {}

    /** Blue's database must be an instance standing alone; the lag bound positive. */
    public static void check(DatabaseSync.CreateBlueGreen s, Validation v) {
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
                    "the rds-blue-green mode covers DB instances only; use snapshot-restore for a" + " cluster");
        }
        if (s.database().ownedByStack()) {
            v.problem(
                    "database.ownedByStack",
                    "'" + s.database().id() + "' is created by blue's stack: after a switchover the stack would name"
                            + " green's database (which takes blue's name), and deleting blue's stack would delete it;"
                            + " use rds-blue-green for a database standing alone (ownedByStack: false)");
        }
        v.bounded(s.maxReplicaLag(), PlanValidator.MAX_INTERVAL, "maxReplicaLag");
    }

    /** A deployment to switch, a timeout RDS accepts, a lag bound within it. */
    public static void check(DatabaseSync.SwitchoverBlueGreen s, Validation v) {
        v.present(s.deployment(), "deployment", "e.g. ${create-bg.deploymentId}");
        if (s.timeout() == null
                || s.timeout().compareTo(MIN_TIMEOUT) < 0
                || s.timeout().compareTo(MAX_TIMEOUT) > 0) {
            v.problem("timeout", s.timeout() + " is outside RDS's switchover timeout of 30 s to 1 h; e.g. PT5M");
        }
        v.bounded(s.maxReplicaLag(), s.timeout() == null ? MAX_TIMEOUT : s.timeout(), "maxReplicaLag");
    }

    /** Builds a {@link DatabaseSync.CreateBlueGreen}. */
    public static final class CreateBuilder extends Steps.StepBuilder<CreateBuilder, DatabaseSync.CreateBlueGreen> {
        private Database database;
        private String targetEngineVersion;
        private Duration maxReplicaLag = Duration.ofSeconds(30);

        CreateBuilder(String id) {
            super(id);
        }

        /** Blue's database, an instance standing alone ({@code new Database(Kind.INSTANCE, id, false)}). */
        public CreateBuilder database(Database database) {
            this.database = database;
            return this;
        }

        /** Green's engine version, for an upgrade of the engine; blue's by default. */
        public CreateBuilder targetEngineVersion(String version) {
            this.targetEngineVersion = version;
            return this;
        }

        /** The replica lag green may have when the step ends, before writes freeze (30 s by default). */
        public CreateBuilder maxReplicaLag(Duration lag) {
            this.maxReplicaLag = lag;
            return this;
        }

        @Override
        void check(Validation v) {
            BlueGreenSteps.check(create(StepId.of("x"), List.of()), v);
        }

        @Override
        DatabaseSync.CreateBlueGreen create(StepId id, List<StepId> dependsOn) {
            return new DatabaseSync.CreateBlueGreen(
                    id, dependsOn, database, Optional.ofNullable(targetEngineVersion), maxReplicaLag);
        }
    }

    /** Builds a {@link DatabaseSync.SwitchoverBlueGreen}. */
    public static final class SwitchoverBuilder
            extends Steps.StepBuilder<SwitchoverBuilder, DatabaseSync.SwitchoverBlueGreen> {
        private String deployment;
        private Duration timeout = Duration.ofMinutes(5);
        private Duration maxReplicaLag = Duration.ofSeconds(30);

        SwitchoverBuilder(String id) {
            super(id);
        }

        /** The deployment, e.g. {@code ${create-bg.deploymentId}} (required). */
        public SwitchoverBuilder deployment(String deployment) {
            this.deployment = deployment;
            return this;
        }

        /** RDS's switchover timeout, 30 s to 1 h (5 min by default); RDS rolls back past it. */
        public SwitchoverBuilder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** The lag green may have when the switchover is asked for (30 s by default). */
        public SwitchoverBuilder maxReplicaLag(Duration lag) {
            this.maxReplicaLag = lag;
            return this;
        }

        @Override
        void check(Validation v) {
            BlueGreenSteps.check(create(StepId.of("x"), List.of()), v);
        }

        @Override
        DatabaseSync.SwitchoverBlueGreen create(StepId id, List<StepId> dependsOn) {
            return new DatabaseSync.SwitchoverBlueGreen(id, dependsOn, deployment, timeout, maxReplicaLag);
        }
    }
}
