package io.cutover.step.kinds;

import io.cutover.event.Durations;
import io.cutover.internal.*;
import io.cutover.plan.DatabaseSync;
import io.cutover.plan.Plan;
import io.cutover.plan.StepRules.Namespace;
import io.cutover.plan.Validation;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.DatabaseProvider.Status;
import io.cutover.spi.ReplicaProvider;
import io.cutover.spi.ReplicaProvider.Replica;
import io.cutover.step.Arns;
import io.cutover.step.Claim;
import io.cutover.step.Compensation;
import io.cutover.step.CreatedResource;
import io.cutover.step.Grant;
import io.cutover.step.Operations;
import io.cutover.step.PreflightReads;
import io.cutover.step.Services;
import io.cutover.step.StepBehaviour;
import io.cutover.step.StepBehaviour.Phase;
import io.cutover.step.StepContext;
import io.cutover.step.StepKind;
import io.cutover.step.StepOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code read-replica} sync mode's first half: a read replica of blue's database, created before writes freeze
 * and kept in sync by the engine's replication. Its id and tags are saved before the create call; the step ends
 * once the replica is available and lags blue by at most {@code maxReplicaLag}. Its compensation (before users
 * reach green) deletes the replica, only the one carrying this step's tags, never blue's database; after the
 * switch it is kept: promoted, it is green's database with the writes made on green ({@link PromoteReadReplicaKind}).
 */
final class CreateReadReplicaKind implements StepKind<DatabaseSync.CreateReadReplica> {
    /** How long an available replica may go without a lag figure (CloudWatch reports one a minute). */
    static final Duration LAG_REPORTED_WITHIN = Duration.ofMinutes(10);

    private static final Pattern DATABASE_ID = Pattern.compile("\\$\\{([a-z0-9-]+)\\.databaseId}");

    @Override
    public String name() {
        return "create-read-replica";
    }

    @Override
    public Class<DatabaseSync.CreateReadReplica> type() {
        return DatabaseSync.CreateReadReplica.class;
    }

    @Override
    public void validate(DatabaseSync.CreateReadReplica s, Validation v) {
        io.cutover.plan.ReplicaSteps.check(s, v);
    }

    @Override
    public List<CreatedName> createdNames(DatabaseSync.CreateReadReplica s, Plan plan) {
        return List.of(new CreatedName(
                s.newId().isPresent() ? "newId" : "",
                Namespace.DATABASE,
                replicaName(plan, s),
                "the read replica created by '" + s.id() + "'"));
    }

    /** The replica's id as the plan determines it: {@code newId}, or {@code <plan id>-<step id>}. */
    static String replicaName(Plan plan, DatabaseSync.CreateReadReplica s) {
        return s.newId().map(Names::literal).orElseGet(() -> plan.id() + "-" + s.id().value());
    }

    /** The replica a text names ({@code ${create-replica.databaseId}}), as far as the plan tells; else {@code *}. */
    static String replicaName(Plan plan, String text) {
        Matcher m = DATABASE_ID.matcher(text == null ? "" : text);
        if (m.matches()) {
            return plan.steps().stream()
                    .filter(s -> s.id().value().equals(m.group(1)) && s instanceof DatabaseSync.CreateReadReplica)
                    .findFirst()
                    .map(s -> replicaName(plan, (DatabaseSync.CreateReadReplica) s))
                    .orElse("*");
        }
        return Names.literal(text);
    }

    @Override
    public Map<String, String> textFields(DatabaseSync.CreateReadReplica s) {
        return s.newId().map(n -> Kinds.fields("newId", n)).orElse(Map.of());
    }

    @Override
    public Outputs outputs(DatabaseSync.CreateReadReplica s) {
        return Outputs.of("databaseId", "endpoint");
    }

    @Override
    public Flags flags(DatabaseSync.CreateReadReplica s) {
        return Flags.NONE;
    }

    @Override
    public void preflight(DatabaseSync.CreateReadReplica s, PreflightReads reads) {
        if (s.database() != null) {
            reads.read(
                    "database",
                    "database '" + s.database().id() + "'",
                    () -> reads.cloud()
                            .databases()
                            .describe(s.database().kind(), s.database().id()));
        }
    }

    @Override
    public Map<String, Integer> preflightCalls(DatabaseSync.CreateReadReplica s) {
        return Map.of(Services.RDS, 1);
    }

    @Override
    public Duration minimumDuration(DatabaseSync.CreateReadReplica s, Function<String, Duration> expected) {
        return expected.apply(Operations.REPLICA_CREATE);
    }

    @Override
    public List<Grant> grants(DatabaseSync.CreateReadReplica s, Plan plan, Arns arns) {
        String replica = replicaName(plan, s);
        // CreateDBInstanceReadReplica is authorized on the replica and its source, and on the option, parameter and
        // subnet groups the replica inherits from blue (RDS's service authorization reference).
        return List.of(
                Grant.read(List.of("rds:DescribeDBInstances", "cloudwatch:GetMetricStatistics"), List.of("*")),
                Grant.write(
                        List.of("rds:CreateDBInstanceReadReplica"),
                        List.of(
                                arns.rdsInstance(replica),
                                arns.rdsInstance(s.database().id()),
                                arns.rdsAny("og"),
                                arns.rdsAny("pg"),
                                arns.rdsAny("subgrp"))),
                Grant.write(
                        List.of("rds:AddTagsToResource", "rds:DeleteDBInstance"), List.of(arns.rdsInstance(replica))));
    }

    @Override
    public List<CreatedResource> created(
            DatabaseSync.CreateReadReplica s, Map<String, String> outputs, Map<String, String> memo) {
        return Kinds.created(CreatedResource.Type.DATABASE, outputs, memo, "databaseId");
    }

    @Override
    public StepBehaviour behaviour(DatabaseSync.CreateReadReplica step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private final DatabaseSync.CreateReadReplica spec;

        Behaviour(DatabaseSync.CreateReadReplica spec) {
            this.spec = spec;
        }

        /** Also what a rollback after the switch says of the kept replica: what it holds that blue has not. */
        @Override
        public String describe() {
            String blue = spec.database().id();
            return "a read replica" + spec.newId().map(n -> " " + n).orElse("") + " of " + blue + ", in sync within "
                    + Durations.format(spec.maxReplicaLag())
                    + "; once promoted it is green's database: it holds the writes made on green since the"
                    + " promotion, which blue's " + blue + " has not";
        }

        @Override
        public List<String> permissions() {
            return List.of(
                    "rds:CreateDBInstanceReadReplica",
                    "rds:DescribeDBInstances",
                    "rds:AddTagsToResource",
                    "rds:DeleteDBInstance");
        }

        private String newId(StepContext ctx) {
            return spec.newId().map(ctx::resolve).orElseGet(() -> Calls.derived(ctx.derivedName("")));
        }

        /** Refuses blue's or another step's id, and saves the replica's id and tags; the create comes next. */
        @Override
        public StepOutcome start(StepContext ctx) {
            if (Claim.from(ctx.memo()).isPresent()) {
                return StepOutcome.Pending.of(Operations.REPLICA_CREATE, "creating the read replica");
            }
            return Kinds.claimDatabase(ctx, newId(ctx), Operations.REPLICA_CREATE, "replica id");
        }

        private StepOutcome create(StepContext ctx, Claim claim) {
            String id = claim.id();
            ReplicaProvider replicas = ctx.cloud().replicas();
            if (!Calls.createOrAdopt(() -> replicas.create(id, spec.database().id(), claim.tags()))) {
                // RDS says it exists: made by a call whose answer was lost, or by someone else. Describe calls may
                // not see it yet (eventual consistency): looked at again, not taken for gone (the fault campaign,
                // seed 346: the step failed and its undo, not seeing the replica either, left it unreported).
                Optional<Replica> seen = Calls.find(() -> replicas.describe(id));
                if (seen.isEmpty()) {
                    return StepOutcome.Pending.of(
                            Operations.REPLICA_CREATE, "read replica " + id + " exists but is not visible yet");
                }
                Replica existing = seen.get();
                if (!claim.owns(existing.tags())) {
                    return Calls.failed("a database named '" + id + "' exists and was not made by this cutover;"
                            + " choose another newId");
                }
            }
            return StepOutcome.Pending.of(
                    Operations.REPLICA_CREATE,
                    "creating read replica " + id + " of " + spec.database().id(),
                    Map.of("databaseId", id));
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            Claim claim = Claim.from(ctx.memo()).orElseThrow();
            if (ctx.memo("databaseId").isEmpty()) {
                return create(ctx, claim);
            }
            String id = claim.id();
            String blue = spec.database().id();
            Optional<Replica> found = Calls.find(() -> ctx.cloud().replicas().describe(id));
            if (found.isEmpty()) {
                if (Kinds.mayNotBeVisibleYet(ctx)) {
                    return StepOutcome.Pending.of(Operations.REPLICA_CREATE, "read replica " + id + " not visible yet");
                }
                return Calls.failed("read replica " + id + " of " + blue + " does not exist (deleted outside the"
                        + " cutover?); nothing was promoted");
            }
            Replica r = found.get();
            switch (r.status()) {
                case CREATING, MODIFYING -> {
                    return StepOutcome.Pending.of(
                            Operations.REPLICA_CREATE, "creating read replica " + id + " (" + r.status() + ")");
                }
                case AVAILABLE -> {}
                default -> {
                    return Calls.failed("read replica " + id + " of " + blue + " is " + r.status()
                            + " (RDS refuses replicas of some engines and settings, and needs automated backups on"
                            + " the source); see docs/database-sync-modes.md, or use snapshot-restore");
                }
            }
            if (!r.sourceDatabaseId().map(blue::equals).orElse(false)) {
                return Calls.failed("'" + id + "' is not a read replica of " + blue + " (its source: "
                        + r.sourceDatabaseId().orElse("none, a standalone instance") + "); nothing was promoted");
            }
            if (r.replicationProblem().isPresent()) {
                return Calls.failed("replication from " + blue + " to " + id + " is broken ("
                        + r.replicationProblem().get() + "); fix it on RDS and run the cutover again, or use"
                        + " snapshot-restore");
            }
            if (r.replicaLag().isEmpty()) {
                java.time.Instant since = java.time.Instant.parse(
                        ctx.memo("lagUnknownSince").orElse(ctx.now().toString()));
                if (!ctx.now().isBefore(since.plus(LAG_REPORTED_WITHIN))) {
                    return Calls.failed("no replica lag was reported for " + id + " within "
                            + Durations.format(LAG_REPORTED_WITHIN) + " of it being available (on AWS it is"
                            + " CloudWatch's ReplicaLag: give AwsCloud a CloudWatch client and allow"
                            + " cloudwatch:GetMetricStatistics); writes were not frozen");
                }
                return new StepOutcome.Pending(
                        Operations.WAIT,
                        Optional.of(Duration.ofSeconds(30)),
                        "replica " + id + " is available; waiting for its replica lag to be reported",
                        Map.of("lagUnknownSince", since.toString()));
            }
            Duration lag = r.replicaLag().get();
            if (lag.compareTo(spec.maxReplicaLag()) > 0) {
                return new StepOutcome.Pending(
                        Operations.WAIT,
                        Optional.of(Duration.ofSeconds(15)),
                        "replica " + id + " lags " + blue + " by " + Durations.format(lag) + " (at most "
                                + Durations.format(spec.maxReplicaLag()) + " before writes freeze)",
                        Map.of());
            }
            return StepOutcome.Done.of(
                    Map.of("databaseId", id, "endpoint", r.endpoint().orElse("")));
        }

        @Override
        public Compensation compensation() {
            return Compensation.REMOVES_GREEN;
        }

        @Override
        public String describeCompensation() {
            return "delete the read replica (also once promoted, since users never reached green); blue's "
                    + spec.database().id() + " is untouched";
        }

        /** Deletes the replica only when this step claimed it and it carries the claim's tags. */
        @Override
        public StepOutcome compensate(StepContext ctx) {
            Optional<Claim> claim = Claim.from(ctx.memo(), "databaseId", ctx);
            if (claim.isEmpty()) {
                return StepOutcome.Done.of();
            }
            String id = claim.get().id();
            Optional<Replica> r = Calls.find(() -> ctx.cloud().replicas().describe(id));
            if (r.isEmpty()
                    || r.get().status() == Status.DELETED
                    || !claim.get().owns(r.get().tags())) {
                // Gone, or not this step's: a database that existed under that id is never touched.
                return StepOutcome.Done.of();
            }
            if (r.get().status() == Status.CREATING || r.get().status() == Status.MODIFYING) {
                return StepOutcome.Pending.of(
                        Operations.REPLICA_CREATE, "waiting for " + id + " to be available before deleting it");
            }
            if (r.get().status() != Status.DELETING) {
                DatabaseProvider dbs = ctx.cloud().databases();
                Calls.deleteQuietly(
                        () -> dbs.delete(io.cutover.plan.Environment.Database.Kind.INSTANCE, id, Optional.empty()));
            }
            return StepOutcome.Pending.of(Operations.DATABASE_DELETE, "deleting read replica " + id);
        }

        @Override
        public Map<String, Integer> calls(Phase phase, Map<String, String> memo) {
            return phase == Phase.START ? Map.of() : Map.of(Services.RDS, 2);
        }
    }
}
