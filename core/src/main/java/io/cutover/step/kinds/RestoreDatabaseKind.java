package io.cutover.step.kinds;

import io.cutover.internal.*;
import io.cutover.plan.Identifiers;
import io.cutover.plan.Plan;
import io.cutover.plan.StepRules.Namespace;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Validation;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.DatabaseProvider.DatabaseDescription;
import io.cutover.spi.DatabaseProvider.RestoreRequest;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Restores green's database from a snapshot through the database API, keeping the source's settings. */
final class RestoreDatabaseKind implements StepKind<StepSpec.RestoreDatabase> {
    @Override
    public String name() {
        return "restore-database";
    }

    @Override
    public Class<StepSpec.RestoreDatabase> type() {
        return StepSpec.RestoreDatabase.class;
    }

    @Override
    public void validate(StepSpec.RestoreDatabase r, Validation v) {
        v.database(r.source(), "source");
        v.present(r.snapshot(), "snapshot", "e.g. ${snapshot-db.snapshotId}");
        if (r.source() != null) {
            boolean cluster = r.source().kind() == io.cutover.plan.Environment.Database.Kind.CLUSTER;
            v.identifier(r.snapshot(), id -> Identifiers.checkSnapshotId(id, cluster), "snapshot");
        }
        r.newId()
                .filter(n -> !Validation.refers(n))
                .ifPresent(n -> Identifiers.checkDatabaseId(n).ifPresent(m -> v.problem("newId", m)));
        io.cutover.plan.RestoreSettings st = r.settings();
        range(v, "settings.iops", st.iops(), 1000, 256000, "provisioned IOPS");
        range(v, "settings.storageThroughput", st.storageThroughput(), 125, 4000, "MiB/s of gp3 throughput");
        range(v, "settings.allocatedStorageGb", st.allocatedStorageGb(), 20, 65536, "GB");
        range(v, "settings.port", st.port(), 1150, 65535, "a port RDS accepts");
        range(v, "settings.backupRetentionDays", st.backupRetentionDays(), 0, 35, "days");
        st.storageType()
                .filter(t -> !java.util.Set.of("gp2", "gp3", "io1", "io2", "standard")
                        .contains(t))
                .ifPresent(t -> v.problem(
                        "settings.storageType",
                        "'" + t + "' is not a storage type; valid: gp2, gp3, " + "io1, io2, standard"));
        // Blue's databases, the other steps' names and the limit: PlanValidator, from createdNames.
    }

    private static void range(Validation v, String field, Optional<Integer> value, int min, int max, String what) {
        value.filter(x -> x < min || x > max)
                .ifPresent(x -> v.problem(field, x + " is out of range; " + min + " to " + max + " (" + what + ")"));
    }

    @Override
    public List<CreatedName> createdNames(StepSpec.RestoreDatabase r, io.cutover.plan.Plan plan) {
        return List.of(r.newId()
                .map(n -> new CreatedName("newId", Namespace.DATABASE, n, "the database restored by '" + r.id() + "'"))
                .orElseGet(() -> CreatedName.derived(
                        Namespace.DATABASE,
                        plan.id() + "-" + r.id().value(),
                        "the database restored by '" + r.id() + "'")));
    }

    @Override
    public Map<String, String> textFields(StepSpec.RestoreDatabase r) {
        Map<String, String> f = new LinkedHashMap<>(Kinds.fields("snapshot", r.snapshot()));
        r.newId().ifPresent(n -> f.put("newId", n));
        return f;
    }

    @Override
    public Outputs outputs(StepSpec.RestoreDatabase r) {
        return Outputs.of("databaseId", "endpoint");
    }

    @Override
    public List<CreatedResource> created(
            StepSpec.RestoreDatabase r, Map<String, String> outputs, Map<String, String> memo) {
        return Kinds.created(CreatedResource.Type.DATABASE, outputs, memo, "databaseId");
    }

    @Override
    public Duration minimumDuration(StepSpec.RestoreDatabase r, Function<String, Duration> expected) {
        return expected.apply(Operations.DATABASE_RESTORE);
    }

    @Override
    public List<Grant> grants(StepSpec.RestoreDatabase s, Plan plan, Arns arns) {
        String db = s.newId().map(Names::literal).orElseGet(() -> (plan.id() + "-" + s.id().value()));
        String snapshot = Names.of(plan, s.snapshot());
        if (s.source().kind() == io.cutover.plan.Environment.Database.Kind.CLUSTER) {
            return List.of(
                    Grant.read(
                            List.of(
                                    "rds:DescribeDBClusters",
                                    "rds:DescribeDBInstances",
                                    "rds:DescribeDBClusterSnapshots"),
                            List.of("*")),
                    // The restore uses the source's subnet, option and parameter groups, whatever their names.
                    Grant.write(
                            List.of("rds:RestoreDBClusterFromSnapshot"),
                            List.of(
                                    arns.rdsCluster(db),
                                    arns.rdsClusterSnapshot(snapshot),
                                    arns.rdsAny("cluster-pg"),
                                    arns.rdsAny("og"),
                                    arns.rdsAny("subgrp"))),
                    Grant.write(
                            List.of("rds:CreateDBInstance"),
                            List.of(arns.rdsInstance(db + "-*"), arns.rdsCluster(db), arns.rdsAny("pg"))),
                    Grant.write(
                            List.of("rds:AddTagsToResource"),
                            List.of(arns.rdsCluster(db), arns.rdsInstance(db + "-*"))),
                    Grant.write(List.of("rds:DeleteDBInstance"), List.of(arns.rdsInstance(db + "-*"))),
                    Grant.write(List.of("rds:DeleteDBCluster"), List.of(arns.rdsCluster(db))));
        }
        return List.of(
                Grant.read(List.of("rds:DescribeDBInstances", "rds:DescribeDBSnapshots"), List.of("*")),
                Grant.write(
                        List.of("rds:RestoreDBInstanceFromDBSnapshot"),
                        List.of(
                                arns.rdsInstance(db),
                                arns.rdsSnapshot(snapshot),
                                arns.rdsAny("og"),
                                arns.rdsAny("pg"),
                                arns.rdsAny("subgrp"))),
                Grant.write(List.of("rds:AddTagsToResource", "rds:DeleteDBInstance"), List.of(arns.rdsInstance(db))));
    }

    @Override
    public StepBehaviour behaviour(StepSpec.RestoreDatabase step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private final StepSpec.RestoreDatabase spec;

        Behaviour(StepSpec.RestoreDatabase spec) {
            this.spec = spec;
        }

        @Override
        public String describe() {
            return "restore a new " + spec.source().kind().name().toLowerCase() + " database"
                    + spec.newId().map(n -> " " + n).orElse("") + " from " + spec.snapshot() + " with the settings of "
                    + spec.source().id()
                    + spec.instanceClass().map(c -> " (class " + c + ")").orElse("")
                    + (spec.settings().asMap().isEmpty()
                            ? ""
                            : " but " + spec.settings().asMap());
        }

        @Override
        public List<String> permissions() {
            return spec.source().kind() == io.cutover.plan.Environment.Database.Kind.CLUSTER
                    ? List.of(
                            "rds:RestoreDBClusterFromSnapshot",
                            "rds:CreateDBInstance",
                            "rds:DescribeDBClusters",
                            "rds:DescribeDBInstances",
                            "rds:DeleteDBCluster",
                            "rds:DeleteDBInstance",
                            "rds:AddTagsToResource")
                    : List.of(
                            "rds:RestoreDBInstanceFromDBSnapshot",
                            "rds:DescribeDBInstances",
                            "rds:DeleteDBInstance",
                            "rds:AddTagsToResource");
        }

        private String newId(StepContext ctx) {
            return spec.newId().map(ctx::resolve).orElseGet(() -> Calls.derived(ctx.derivedName("")));
        }

        /**
         * Resolves the new database's id, refuses one that is blue's or another step's, and claims it: the claim
         * is saved before the next call restores, so a compensation deletes only what this step made.
         */
        @Override
        public StepOutcome start(StepContext ctx) {
            return Kinds.claimDatabase(ctx, newId(ctx), Operations.DATABASE_RESTORE, "database id");
        }

        private StepOutcome restore(StepContext ctx, Claim claim) {
            String id = claim.id();
            DatabaseProvider db = ctx.cloud().databases();
            var request = new RestoreRequest(
                    spec.source().kind(),
                    ctx.resolve(spec.snapshot()),
                    id,
                    spec.instanceClass(),
                    Optional.empty(),
                    List.of(),
                    Optional.empty(),
                    claim.tags(),
                    spec.settings());
            if (!Calls.createOrAdopt(() -> db.restore(request))) {
                DatabaseDescription existing = db.describe(spec.source().kind(), id);
                if (!claim.owns(existing.tags())) {
                    return Calls.failed("a database named '" + id + "' exists and was not made by this cutover; "
                            + "choose another newId");
                }
            }
            return StepOutcome.Pending.of(Operations.DATABASE_RESTORE, "restoring " + id, Map.of("databaseId", id));
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            Optional<Claim> claim = Claim.from(ctx.memo());
            if (claim.isPresent() && ctx.memo("databaseId").isEmpty()) {
                return restore(ctx, claim.get());
            }
            String id = ctx.memo("databaseId").orElseGet(() -> newId(ctx));
            DatabaseDescription d =
                    ctx.cloud().databases().describe(spec.source().kind(), id);
            return switch (d.status()) {
                case AVAILABLE ->
                    StepOutcome.Done.of(
                            Map.of("databaseId", id, "endpoint", d.endpoint().orElse("")));
                case FAILED, DELETED, DELETING -> Calls.failed("restore of " + id + " ended " + d.status());
                default ->
                    // A larger database takes longer to restore: its time limit scales with its storage.
                    StepOutcome.Pending.of(Operations.DATABASE_RESTORE, "restoring " + id + " (" + d.status() + ")")
                            .withExpected(
                                    Operations.expectedForStorage(Operations.DATABASE_RESTORE, d.allocatedStorageGb())
                                            .orElseThrow());
            };
        }

        @Override
        public Compensation compensation() {
            return Compensation.REMOVES_GREEN;
        }

        @Override
        public String describeCompensation() {
            return "delete the restored database (a copy; blue's data is untouched)";
        }

        /** Deletes the database only when this step claimed it and it carries the claim's tags. */
        @Override
        public StepOutcome compensate(StepContext ctx) {
            Optional<Claim> claim = Claim.from(ctx.memo(), "databaseId", ctx);
            if (claim.isEmpty()) {
                return StepOutcome.Done.of();
            }
            String id = claim.get().id();
            DatabaseProvider db = ctx.cloud().databases();
            Optional<DatabaseDescription> d =
                    Calls.find(() -> db.describe(spec.source().kind(), id));
            if (d.isEmpty()
                    || d.get().status() == DatabaseProvider.Status.DELETED
                    || !claim.get().owns(d.get().tags())) {
                // Gone, or not this step's: a database that existed under that id is never touched.
                return StepOutcome.Done.of();
            }
            if (d.get().status() == DatabaseProvider.Status.CREATING
                    || d.get().status() == DatabaseProvider.Status.MODIFYING) {
                return StepOutcome.Pending.of(Operations.DATABASE_RESTORE, "waiting for " + id + " before deleting it");
            }
            if (d.get().status() != DatabaseProvider.Status.DELETING) {
                Calls.deleteQuietly(() -> db.delete(spec.source().kind(), id, Optional.empty()));
            }
            return StepOutcome.Pending.of(Operations.DATABASE_DELETE, "deleting " + id);
        }

        @Override
        public Map<String, Integer> calls(Phase phase, Map<String, String> memo) {
            return phase == Phase.START ? Map.of() : Map.of(Services.RDS, phase == Phase.POLL ? 1 : 2);
        }
    }
}
