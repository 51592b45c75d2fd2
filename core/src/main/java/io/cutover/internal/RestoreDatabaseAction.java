package io.cutover.internal;

import io.cutover.engine.Operations;
import io.cutover.engine.RateBudget;
import io.cutover.plan.StepSpec;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.DatabaseProvider.DatabaseDescription;
import io.cutover.spi.DatabaseProvider.RestoreRequest;
import io.cutover.step.StepContext;
import io.cutover.step.StepOutcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Restores green's database from a snapshot through the database API, keeping the source's settings. */
final class RestoreDatabaseAction implements Action {
    private final StepSpec.RestoreDatabase spec;

    RestoreDatabaseAction(StepSpec.RestoreDatabase spec) {
        this.spec = spec;
    }

    @Override
    public String describe() {
        return "restore a new " + spec.source().kind().name().toLowerCase() + " database"
                + spec.newId().map(n -> " " + n).orElse("") + " from " + spec.snapshot() + " with the settings of "
                + spec.source().id()
                + spec.instanceClass().map(c -> " (class " + c + ")").orElse("");
    }

    @Override
    public List<String> permissions() {
        return spec.source().kind() == DatabaseProvider.Kind.CLUSTER
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
        return spec.newId().map(ctx::resolve).orElseGet(() -> Calls.fit(ctx.derivedName("")));
    }

    @Override
    public StepOutcome start(StepContext ctx) {
        String id = newId(ctx);
        DatabaseProvider db = ctx.cloud().databases();
        var request = new RestoreRequest(
                spec.source().kind(),
                ctx.resolve(spec.snapshot()),
                id,
                spec.instanceClass(),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                ctx.tags());
        if (!Calls.createOrAdopt(() -> db.restore(request))) {
            DatabaseDescription existing = db.describe(spec.source().kind(), id);
            if (!ctx.plan().id().equals(existing.tags().get("cutover:plan"))) {
                return Calls.failed("a database named '" + id + "' exists and was not made by this cutover; "
                        + "choose another newId");
            }
        }
        return StepOutcome.Pending.of(Operations.DATABASE_RESTORE, "restoring " + id, Map.of("databaseId", id));
    }

    @Override
    public StepOutcome poll(StepContext ctx) {
        String id = newId(ctx);
        DatabaseDescription d = ctx.cloud().databases().describe(spec.source().kind(), id);
        return switch (d.status()) {
            case AVAILABLE ->
                StepOutcome.Done.of(
                        Map.of("databaseId", id, "endpoint", d.endpoint().orElse("")));
            case FAILED, DELETED, DELETING -> Calls.failed("restore of " + id + " ended " + d.status());
            default -> StepOutcome.Pending.of(Operations.DATABASE_RESTORE, "restoring " + id + " (" + d.status() + ")");
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

    @Override
    public StepOutcome compensate(StepContext ctx) {
        String id = newId(ctx);
        DatabaseProvider db = ctx.cloud().databases();
        Optional<DatabaseDescription> d =
                Calls.find(() -> db.describe(spec.source().kind(), id));
        if (d.isEmpty() || d.get().status() == DatabaseProvider.Status.DELETED) {
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
    public Map<String, Integer> calls(String phase, Map<String, String> memo) {
        return Map.of(RateBudget.RDS, phase.equals("compensate") ? 2 : 1);
    }
}
