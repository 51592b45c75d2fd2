package io.cutover.step.kinds;

import io.cutover.event.Durations;
import io.cutover.internal.*;
import io.cutover.plan.DatabaseSync;
import io.cutover.plan.Plan;
import io.cutover.plan.Validation;
import io.cutover.spi.BlueGreenProvider;
import io.cutover.spi.BlueGreenProvider.Deployment;
import io.cutover.spi.BlueGreenProvider.Status;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code rds-blue-green} sync mode's first half: an RDS Blue/Green Deployment of blue's database, created
 * before writes freeze and kept in sync by replication. Its name ({@code <plan>-<step>}) and tags are saved before
 * the create call; its compensation (before a switchover) deletes the deployment and its green database, never
 * blue's, and only the deployment carrying this step's tags. After a switchover it deletes nothing: see
 * {@link SwitchoverBlueGreenKind}.
 */
final class CreateBlueGreenKind implements StepKind<DatabaseSync.CreateBlueGreen> {
    @Override
    public String name() {
        return "create-blue-green";
    }

    @Override
    public Class<DatabaseSync.CreateBlueGreen> type() {
        return DatabaseSync.CreateBlueGreen.class;
    }

    @Override
    public void validate(DatabaseSync.CreateBlueGreen s, Validation v) {
        io.cutover.plan.BlueGreenSteps.check(s, v);
    }

    @Override
    public Outputs outputs(DatabaseSync.CreateBlueGreen s) {
        return Outputs.of("deploymentId", "greenDatabaseId");
    }

    @Override
    public Flags flags(DatabaseSync.CreateBlueGreen s) {
        return Flags.NONE;
    }

    @Override
    public void preflight(DatabaseSync.CreateBlueGreen s, PreflightReads reads) {
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
    public Map<String, Integer> preflightCalls(DatabaseSync.CreateBlueGreen s) {
        return Map.of(Services.RDS, 1);
    }

    @Override
    public Duration minimumDuration(DatabaseSync.CreateBlueGreen s, Function<String, Duration> expected) {
        return expected.apply(Operations.BLUE_GREEN_CREATE);
    }

    @Override
    public List<Grant> grants(DatabaseSync.CreateBlueGreen s, Plan plan, Arns arns) {
        // RDS names green's instances itself and IAM takes no partial name patterns for them (RDS user guide,
        // "Authorizing access to blue/green deployment operations"): instances are any; the deployment's own
        // delete is held to this plan's tag.
        return List.of(
                Grant.read(List.of("rds:DescribeBlueGreenDeployments", "rds:DescribeDBInstances"), List.of("*")),
                Grant.write(
                        List.of(
                                "rds:CreateBlueGreenDeployment",
                                "rds:AddTagsToResource",
                                "rds:CreateDBInstanceReadReplica"),
                        List.of(arns.rdsAny("deployment"), arns.rdsAny("db"))),
                Grant.write(
                        List.of("rds:DeleteBlueGreenDeployment"),
                        List.of(arns.rdsAny("deployment")),
                        Grant.Condition.equals("aws:ResourceTag/cutover:plan", plan.id())),
                Grant.write(List.of("rds:DeleteDBInstance"), List.of(arns.rdsAny("db"))));
    }

    @Override
    public List<CreatedResource> created(
            DatabaseSync.CreateBlueGreen s, Map<String, String> outputs, Map<String, String> memo) {
        List<CreatedResource> out = new ArrayList<>();
        Optional.ofNullable(memo.get("deploymentId"))
                .ifPresent(
                        id -> out.add(new CreatedResource(CreatedResource.Type.OTHER, "blue/green deployment " + id)));
        Optional.ofNullable(outputs.get("greenDatabaseId"))
                .ifPresent(id -> out.add(new CreatedResource(CreatedResource.Type.DATABASE, id)));
        return out;
    }

    /**
     * After a switchover of this deployment, green's database carries blue's name and every write: it is not named
     * as something this step created (a report would say "remove it when done"), only the deployment is.
     */
    @Override
    public List<CreatedResource> created(
            DatabaseSync.CreateBlueGreen s,
            Map<String, String> outputs,
            Map<String, String> memo,
            Map<String, String> runOutputs) {
        List<CreatedResource> out = created(s, outputs, memo);
        String blue = s.database() == null ? null : s.database().id();
        boolean switched = runOutputs.entrySet().stream()
                .anyMatch(e ->
                        e.getKey().endsWith(".oldDatabaseId") && e.getValue().equals(blue + "-old1"));
        return switched
                ? out.stream()
                        .filter(r -> r.type() != CreatedResource.Type.DATABASE)
                        .toList()
                : out;
    }

    @Override
    public StepBehaviour behaviour(DatabaseSync.CreateBlueGreen step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        /** Memo key: when the create was asked for. */
        static final String CREATED_AT = "createdAt";
        /** Memo key: the undo has seen the deployment deleting, or asked for its delete. */
        static final String DELETE_ASKED = "deleteAsked";

        private final DatabaseSync.CreateBlueGreen spec;

        Behaviour(DatabaseSync.CreateBlueGreen spec) {
            this.spec = spec;
        }

        @Override
        public String describe() {
            return "create an RDS blue/green deployment of " + spec.database().id()
                    + spec.targetEngineVersion().map(v -> " on engine " + v).orElse("")
                    + ", in sync within " + Durations.format(spec.maxReplicaLag());
        }

        @Override
        public List<String> permissions() {
            return List.of(
                    "rds:CreateBlueGreenDeployment",
                    "rds:DescribeBlueGreenDeployments",
                    "rds:DeleteBlueGreenDeployment",
                    "rds:DeleteDBInstance");
        }

        /** Saves the name and tags the deployment will carry; the create comes at the next call. */
        @Override
        public StepOutcome start(StepContext ctx) {
            if (Claim.from(ctx.memo()).isPresent()) {
                return StepOutcome.Pending.of(Operations.BLUE_GREEN_CREATE, "creating the blue/green deployment");
            }
            Claim claim = Claim.of(ctx, Calls.derived(ctx.derivedName("")), "create");
            return new StepOutcome.Pending(
                    Operations.BLUE_GREEN_CREATE, Optional.of(Duration.ZERO), "deployment named", claim.memo());
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            BlueGreenProvider bg = ctx.cloud().blueGreen();
            Claim claim = Claim.from(ctx.memo()).orElseThrow();
            Optional<String> id = ctx.memo("deploymentId");
            if (id.isEmpty()) {
                Optional<Deployment> found = bg.findByName(claim.id());
                if (found.isPresent() && !claim.owns(found.get().tags())) {
                    return Calls.failed("a blue/green deployment named " + claim.id()
                            + " exists and was not made by this cutover; delete it or give the step another id");
                }
                String made;
                if (found.isPresent()) {
                    made = found.get().id();
                } else {
                    try {
                        made = bg.create(claim.id(), spec.database().id(), spec.targetEngineVersion(), claim.tags());
                    } catch (ProviderException e) {
                        if (e.kind() != FailureKind.ALREADY_EXISTS) {
                            throw e;
                        }
                        // Made by a call whose answer was lost, and not yet seen by describe calls (eventual
                        // consistency): looked for again, not a failure (the fault campaign, seeds 2104 and 2174:
                        // the step failed, and its undo, not finding the deployment either, left it unreported).
                        return StepOutcome.Pending.of(
                                Operations.BLUE_GREEN_CREATE,
                                "deployment " + claim.id() + " exists but is not visible yet");
                    }
                }
                return StepOutcome.Pending.of(
                        Operations.BLUE_GREEN_CREATE,
                        "creating deployment " + made,
                        Map.of("deploymentId", made, CREATED_AT, ctx.now().toString()));
            }
            Optional<Deployment> seen = Calls.find(() -> bg.describe(id.get()));
            if (seen.isEmpty()) {
                if (mayNotBeVisibleYet(ctx)) {
                    return StepOutcome.Pending.of(
                            Operations.BLUE_GREEN_CREATE, "deployment " + id.get() + " not visible yet");
                }
                return Calls.failed(
                        "blue/green deployment " + id.get() + " does not exist (deleted outside the" + " cutover?)");
            }
            Deployment d = seen.get();
            return switch (d.status()) {
                case PROVISIONING ->
                    StepOutcome.Pending.of(Operations.BLUE_GREEN_CREATE, "green is being built: " + d.statusDetails());
                case AVAILABLE -> {
                    if (d.replicaLag()
                            .filter(l -> l.compareTo(spec.maxReplicaLag()) > 0)
                            .isPresent()) {
                        yield new StepOutcome.Pending(
                                Operations.WAIT,
                                Optional.of(Duration.ofSeconds(15)),
                                "green lags blue by "
                                        + Durations.format(d.replicaLag().get()) + " (at most "
                                        + Durations.format(spec.maxReplicaLag()) + " before writes freeze)",
                                Map.of());
                    }
                    yield StepOutcome.Done.of(Map.of(
                            "deploymentId",
                            d.id(),
                            "greenDatabaseId",
                            d.greenDatabaseId().orElse("")));
                }
                default ->
                    Calls.failed("blue/green deployment " + d.id() + " is " + d.status() + ": "
                            + d.statusDetails() + " (RDS refuses some engines, versions and settings; see"
                            + " docs/database-sync-modes.md, or use snapshot-restore)");
            };
        }

        @Override
        public Compensation compensation() {
            return Compensation.REMOVES_GREEN;
        }

        @Override
        public String describeCompensation() {
            return "delete the blue/green deployment and its green database (blue's is untouched); after a"
                    + " switchover, nothing";
        }

        @Override
        public StepOutcome compensate(StepContext ctx) {
            Optional<Claim> claim = Claim.from(ctx.memo());
            if (claim.isEmpty()) {
                return StepOutcome.Done.of();
            }
            BlueGreenProvider bg = ctx.cloud().blueGreen();
            Optional<Deployment> d;
            try {
                d = ctx.memo("deploymentId")
                        .map(bg::describe)
                        .or(() -> bg.findByName(claim.get().id()));
            } catch (ProviderException e) {
                if (e.kind() != FailureKind.NOT_FOUND) {
                    throw e;
                }
                d = Optional.empty();
            }
            if (d.isEmpty() && ctx.memo(DELETE_ASKED).isEmpty() && mayNotBeVisibleYet(ctx)) {
                // Just made, perhaps not yet seen by describe calls: gone only once it has had time to be seen (not
                // when this undo deleted it: then it is gone).
                return StepOutcome.Pending.of(
                        Operations.BLUE_GREEN_DELETE, "looking again for the deployment, made moments ago");
            }
            if (d.isEmpty() || !claim.get().owns(d.get().tags())) {
                return StepOutcome.Done.of();
            }
            if (d.get().status() == Status.SWITCHOVER_COMPLETED || d.get().status() == Status.SWITCHOVER_IN_PROGRESS) {
                // Green's database is blue's name now: deleting it would delete the data users wrote.
                return StepOutcome.Done.of();
            }
            if (d.get().status() == Status.DELETING) {
                return StepOutcome.Pending.of(
                        Operations.BLUE_GREEN_DELETE,
                        "deleting the blue/green deployment",
                        Map.of(DELETE_ASKED, "true"));
            }
            bg.delete(d.get().id(), true);
            return StepOutcome.Pending.of(
                    Operations.BLUE_GREEN_DELETE,
                    "deleting deployment " + d.get().id() + " and its green database",
                    Map.of(DELETE_ASKED, "true"));
        }

        @Override
        public Map<String, Integer> calls(Phase phase, Map<String, String> memo) {
            return phase == Phase.START ? Map.of() : Map.of(Services.RDS, 2);
        }

        /**
         * Whether the deployment was asked for so recently that describe calls may not see it yet (RDS's API is
         * eventually consistent): within {@link Kinds#VISIBILITY} of the create, by the memo's time of it.
         */
        private static boolean mayNotBeVisibleYet(StepContext ctx) {
            return ctx.memo(CREATED_AT)
                    .map(java.time.Instant::parse)
                    .map(t -> ctx.now().isBefore(t.plus(Kinds.VISIBILITY)))
                    .orElse(false);
        }
    }
}
