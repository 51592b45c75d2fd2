package io.cutover.step.kinds;

import io.cutover.internal.*;
import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepRules.Namespace;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Validation;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.DatabaseProvider.SnapshotDescription;
import io.cutover.step.Arns;
import io.cutover.step.Claim;
import io.cutover.step.Compensation;
import io.cutover.step.CreatedResource;
import io.cutover.step.Grant;
import io.cutover.step.Operations;
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

/** Snapshots one of blue's databases under a name derived from the plan and step ids. */
final class SnapshotDatabaseKind implements StepKind<StepSpec.SnapshotDatabase> {
    @Override
    public String name() {
        return "snapshot-database";
    }

    @Override
    public Class<StepSpec.SnapshotDatabase> type() {
        return StepSpec.SnapshotDatabase.class;
    }

    @Override
    public void validate(StepSpec.SnapshotDatabase s, Validation v) {
        v.database(s.database(), "database");
        Environment env = v.environment();
        if (s.database() != null
                && env.databases().stream()
                        .noneMatch(d -> d.id().equals(s.database().id()))) {
            v.problem(
                    "database.id",
                    "'" + s.database().id() + "' is not a database of environment '" + env.name()
                            + "'; add it to environment.databases");
        }
    }

    @Override
    public List<CreatedName> createdNames(StepSpec.SnapshotDatabase s, io.cutover.plan.Plan plan) {
        return List.of(CreatedName.derived(
                Namespace.DATABASE_SNAPSHOT,
                plan.id() + "-" + s.id().value(),
                "the snapshot of "
                        + (s.database() == null ? "a database" : s.database().id()) + " taken by '" + s.id() + "'"));
    }

    @Override
    public Outputs outputs(StepSpec.SnapshotDatabase s) {
        return Outputs.of("snapshotId");
    }

    @Override
    public List<CreatedResource> created(
            StepSpec.SnapshotDatabase s, Map<String, String> outputs, Map<String, String> memo) {
        return Kinds.created(CreatedResource.Type.DATABASE_SNAPSHOT, outputs, memo, "snapshotId");
    }

    @Override
    public Duration minimumDuration(StepSpec.SnapshotDatabase s, Function<String, Duration> expected) {
        return expected.apply(Operations.DATABASE_SNAPSHOT);
    }

    @Override
    public List<Grant> grants(StepSpec.SnapshotDatabase s, Plan plan, Arns arns) {
        String snapshot = (plan.id() + "-" + s.id().value());
        if (s.database().kind() == io.cutover.plan.Environment.Database.Kind.CLUSTER) {
            return List.of(
                    Grant.read(List.of("rds:DescribeDBClusterSnapshots"), List.of("*")),
                    Grant.write(
                            List.of("rds:CreateDBClusterSnapshot"),
                            List.of(
                                    arns.rdsCluster(Names.literal(s.database().id())),
                                    arns.rdsClusterSnapshot(snapshot))),
                    Grant.write(List.of("rds:AddTagsToResource"), List.of(arns.rdsClusterSnapshot(snapshot))));
        }
        return List.of(
                Grant.read(List.of("rds:DescribeDBSnapshots"), List.of("*")),
                Grant.write(
                        List.of("rds:CreateDBSnapshot"),
                        List.of(arns.rdsInstance(Names.literal(s.database().id())), arns.rdsSnapshot(snapshot))),
                Grant.write(List.of("rds:AddTagsToResource"), List.of(arns.rdsSnapshot(snapshot))));
    }

    @Override
    public StepBehaviour behaviour(StepSpec.SnapshotDatabase step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private final StepSpec.SnapshotDatabase spec;

        Behaviour(StepSpec.SnapshotDatabase spec) {
            this.spec = spec;
        }

        @Override
        public String describe() {
            return "snapshot database " + spec.database().id() + " ("
                    + spec.database().kind().name().toLowerCase() + ")";
        }

        @Override
        public List<String> permissions() {
            return spec.database().kind() == Environment.Database.Kind.CLUSTER
                    ? List.of("rds:CreateDBClusterSnapshot", "rds:DescribeDBClusterSnapshots", "rds:AddTagsToResource")
                    : List.of("rds:CreateDBSnapshot", "rds:DescribeDBSnapshots", "rds:AddTagsToResource");
        }

        static String snapshotId(StepContext ctx) {
            return ctx.memo("snapshotId").orElseGet(() -> Calls.derived(ctx.derivedName("")));
        }

        /**
         * Names the snapshot in the memo, saved before the next call creates it: a step whose create fails with
         * its answer lost still names the snapshot it may have taken, and the report keeps it.
         */
        @Override
        public StepOutcome start(StepContext ctx) {
            String id = snapshotId(ctx);
            return new StepOutcome.Pending(
                    Operations.DATABASE_SNAPSHOT,
                    Optional.of(java.time.Duration.ZERO),
                    "snapshot " + id + " named",
                    Map.of("snapshotId", id, CREATE, "named"));
        }

        /** Memo key: "named" once the snapshot is named, "sent" once its create was answered. */
        private static final String CREATE = "create";

        private StepOutcome create(StepContext ctx) {
            String id = snapshotId(ctx);
            DatabaseProvider db = ctx.cloud().databases();
            boolean created = Calls.createOrAdopt(() ->
                    db.createSnapshot(spec.database().kind(), spec.database().id(), id, ctx.tags()));
            if (!created) {
                Optional<SnapshotDescription> seen =
                        Calls.find(() -> db.describeSnapshot(spec.database().kind(), id));
                if (seen.isEmpty()) {
                    // It exists (the create said so) but is not visible yet: eventual consistency.
                    return StepOutcome.Pending.of(
                            Operations.DATABASE_SNAPSHOT,
                            "snapshot " + id + " not visible yet",
                            Map.of("snapshotId", id, CREATE, "sent"));
                }
                SnapshotDescription existing = seen.get();
                if (!Claim.of(ctx, id, "create").owns(existing.tags())
                        || !spec.database().id().equals(existing.sourceDatabaseId())) {
                    return Calls.failed("a snapshot named '" + id + "' exists and was not made by this cutover; "
                            + "delete it or give the plan a new id");
                }
            }
            return StepOutcome.Pending.of(
                    Operations.DATABASE_SNAPSHOT,
                    "snapshot " + id + " started",
                    Map.of("snapshotId", id, CREATE, "sent"));
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            if (ctx.memo(CREATE).filter("named"::equals).isPresent()) {
                return create(ctx);
            }
            String id = snapshotId(ctx);
            Optional<SnapshotDescription> found = Calls.find(() ->
                    ctx.cloud().databases().describeSnapshot(spec.database().kind(), id));
            if (found.isEmpty()) {
                if (Kinds.mayNotBeVisibleYet(ctx)) {
                    return StepOutcome.Pending.of(Operations.DATABASE_SNAPSHOT, "snapshot " + id + " not visible yet");
                }
                return Calls.failed("snapshot " + id + " of " + spec.database().id() + " does not exist");
            }
            SnapshotDescription s = found.get();
            return switch (s.status()) {
                case AVAILABLE -> StepOutcome.Done.of(Map.of("snapshotId", id));
                case FAILED, DELETED, DELETING ->
                    Calls.failed("snapshot " + id + " of " + spec.database().id() + " ended "
                            + s.status().name().toLowerCase());
                default -> {
                    StepOutcome.Pending p = StepOutcome.Pending.of(
                                    Operations.DATABASE_SNAPSHOT, "snapshot " + id + " " + s.progressPercent() + "%")
                            .withPercent(Math.max(0, Math.min(100, s.progressPercent())));
                    // A larger database's snapshot takes longer: its time limit scales with the size AWS reports.
                    yield s.allocatedStorageGb() > 0
                            ? p.withExpected(
                                    Operations.expectedForStorage(Operations.DATABASE_SNAPSHOT, s.allocatedStorageGb())
                                            .orElseThrow())
                            : p;
                }
            };
        }

        @Override
        public Compensation compensation() {
            return Compensation.KEEPS_BACKUP;
        }

        @Override
        public String describeCompensation() {
            return "nothing: the snapshot is a backup of blue's data and is kept (the report names it)";
        }

        @Override
        public Map<String, Integer> calls(Phase phase, Map<String, String> memo) {
            if (phase == Phase.START) {
                return Map.of();
            }
            return Map.of(Services.RDS, "named".equals(memo.get(CREATE)) ? 2 : 1);
        }
    }
}
