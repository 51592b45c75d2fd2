package io.cutover.step.kinds;

import io.cutover.event.Durations;
import io.cutover.internal.*;
import io.cutover.plan.DatabaseSync;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Validation;
import io.cutover.spi.BlueGreenProvider;
import io.cutover.spi.BlueGreenProvider.Deployment;
import io.cutover.spi.BlueGreenProvider.Status;
import io.cutover.step.Arns;
import io.cutover.step.Compensation;
import io.cutover.step.Grant;
import io.cutover.step.Operations;
import io.cutover.step.Services;
import io.cutover.step.StepBehaviour;
import io.cutover.step.StepBehaviour.Phase;
import io.cutover.step.StepContext;
import io.cutover.step.StepKind;
import io.cutover.step.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code rds-blue-green} sync mode's second half, after writes freeze: waits for green's replica to catch up,
 * then switches the deployment over (RDS renames green to blue's name and endpoint, blue to {@code -old1}) within
 * its timeout. A switchover that RDS rolls back fails the step with blue as it was. There is no automatic way back
 * once it completed: writes made on green are not on {@code -old1}, so its compensation refuses and says what is
 * where (docs/database-sync-modes.md).
 */
final class SwitchoverBlueGreenKind implements StepKind<DatabaseSync.SwitchoverBlueGreen> {
    @Override
    public String name() {
        return "switchover-blue-green";
    }

    @Override
    public Class<DatabaseSync.SwitchoverBlueGreen> type() {
        return DatabaseSync.SwitchoverBlueGreen.class;
    }

    @Override
    public void validate(DatabaseSync.SwitchoverBlueGreen s, Validation v) {
        io.cutover.plan.BlueGreenSteps.check(s, v);
    }

    @Override
    public Map<String, String> textFields(DatabaseSync.SwitchoverBlueGreen s) {
        return Kinds.fields("deployment", s.deployment());
    }

    @Override
    public Outputs outputs(DatabaseSync.SwitchoverBlueGreen s) {
        return Outputs.of("databaseId", "oldDatabaseId");
    }

    @Override
    public Duration minimumDuration(DatabaseSync.SwitchoverBlueGreen s, Function<String, Duration> expected) {
        return expected.apply(Operations.BLUE_GREEN_SWITCHOVER);
    }

    @Override
    public List<Grant> grants(DatabaseSync.SwitchoverBlueGreen s, Plan plan, Arns arns) {
        return List.of(
                Grant.read(List.of("rds:DescribeBlueGreenDeployments"), List.of("*")),
                Grant.write(
                        List.of("rds:SwitchoverBlueGreenDeployment"),
                        List.of(arns.rdsAny("deployment")),
                        Grant.Condition.equals("aws:ResourceTag/cutover:plan", plan.id())),
                // The switchover renames blue's and green's instances.
                Grant.write(List.of("rds:ModifyDBInstance", "rds:PromoteReadReplica"), List.of(arns.rdsAny("db"))));
    }

    /**
     * The id blue's database {@code db} has now: {@code <id>-old1} once a switchover step of the plan switched it
     * over (its name is green's database then), else its own. What decommission retires.
     */
    static String retiredId(StepContext ctx, io.cutover.plan.Environment.Database db) {
        return switchedOver(ctx, db).map(d -> db.id() + "-old1").orElse(db.id());
    }

    /** The deployment a switchover step of the plan switched {@code db} over with, if one did. */
    static Optional<String> switchedOver(StepContext ctx, io.cutover.plan.Environment.Database db) {
        for (StepSpec s : ctx.plan().steps()) {
            if (s instanceof DatabaseSync.SwitchoverBlueGreen sw) {
                String old;
                try {
                    old = ctx.resolve("${" + s.id().value() + ".oldDatabaseId}");
                } catch (RuntimeException notSwitched) {
                    continue;
                }
                if (old.equals(db.id() + "-old1")) {
                    return Optional.of(ctx.resolve(sw.deployment()));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public StepBehaviour behaviour(DatabaseSync.SwitchoverBlueGreen step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private final DatabaseSync.SwitchoverBlueGreen spec;

        Behaviour(DatabaseSync.SwitchoverBlueGreen spec) {
            this.spec = spec;
        }

        @Override
        public String describe() {
            return "switch blue/green deployment " + spec.deployment() + " over (lag at most "
                    + Durations.format(spec.maxReplicaLag()) + ", within " + Durations.format(spec.timeout()) + ")";
        }

        @Override
        public List<String> permissions() {
            return List.of("rds:DescribeBlueGreenDeployments", "rds:SwitchoverBlueGreenDeployment");
        }

        /** AWS's "typically under five seconds" for a switchover (RDS user guide, Blue/Green overview). */
        static final Duration TYPICAL = Duration.ofSeconds(5);

        /** How often a switchover still in progress is looked at: writes are frozen all the while. */
        static final Duration AGAIN = Duration.ofSeconds(2);

        @Override
        public StepOutcome start(StepContext ctx) {
            Map<String, String> memo =
                    ctx.memo("since").isEmpty() ? Map.of("since", ctx.now().toString()) : Map.of();
            return new StepOutcome.Pending(
                    Operations.BLUE_GREEN_SWITCHOVER, Optional.of(Duration.ZERO), "checking green's lag", memo);
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            BlueGreenProvider bg = ctx.cloud().blueGreen();
            String id = ctx.resolve(spec.deployment());
            Deployment d = bg.describe(id);
            if (d.status() == Status.SWITCHOVER_COMPLETED) {
                return StepOutcome.Done.of(
                        Map.of("databaseId", d.greenDatabaseId().orElse(""), "oldDatabaseId", d.blueDatabaseId()));
            }
            if (d.status() == Status.SWITCHOVER_IN_PROGRESS) {
                return new StepOutcome.Pending(
                        Operations.BLUE_GREEN_SWITCHOVER,
                        Optional.of(AGAIN),
                        "switching over",
                        Map.of("requested", "true"));
            }
            if (ctx.memo("requested").isPresent() || d.status() == Status.SWITCHOVER_FAILED) {
                return Calls.failed("the switchover of " + id + " did not complete (" + d.status() + ": "
                        + d.statusDetails() + "); RDS rolled it back, so blue's database is as it was and takes"
                        + " writes again when they resume");
            }
            if (d.status() != Status.AVAILABLE) {
                return Calls.failed(
                        "blue/green deployment " + id + " is " + d.status() + ", not AVAILABLE: " + d.statusDetails());
            }
            Optional<Duration> lag = d.replicaLag().filter(l -> l.compareTo(spec.maxReplicaLag()) > 0);
            if (lag.isPresent()) {
                Instant since = Instant.parse(ctx.memo("since").orElse(ctx.now().toString()));
                if (!ctx.now().isBefore(since.plus(spec.timeout()))) {
                    return Calls.failed("green still lags blue by " + Durations.format(lag.get()) + " after "
                            + Durations.format(spec.timeout()) + " (at most " + Durations.format(spec.maxReplicaLag())
                            + "); not switched over, blue's database is as it was");
                }
                return new StepOutcome.Pending(
                        Operations.WAIT,
                        Optional.of(Duration.ofSeconds(5)),
                        "green lags blue by " + Durations.format(lag.get()) + "; waiting for at most "
                                + Durations.format(spec.maxReplicaLag()),
                        Map.of());
            }
            bg.switchover(id, spec.timeout());
            // RDS documents a switchover as "typically under five seconds" (single Region) once green has caught up:
            // the first look comes then, not at the engine's minute.
            return new StepOutcome.Pending(
                    Operations.BLUE_GREEN_SWITCHOVER,
                    Optional.of(TYPICAL.plus(d.replicaLag().orElse(Duration.ZERO))),
                    "switching over",
                    Map.of("requested", "true"));
        }

        @Override
        public Compensation compensation() {
            return Compensation.RESTORES_BLUE;
        }

        @Override
        public String describeCompensation() {
            return "nothing before the switchover; after it, refuse: there is no automatic way back";
        }

        @Override
        public StepOutcome compensate(StepContext ctx) {
            Deployment d = ctx.cloud().blueGreen().describe(ctx.resolve(spec.deployment()));
            if (d.status() != Status.SWITCHOVER_COMPLETED) {
                return StepOutcome.Done.of();
            }
            String now = d.greenDatabaseId().orElse("?");
            return Calls.failed("not undone: the database switched over, so '" + now + "' is green's database (with"
                    + " every write made since) and blue's old one is kept read-only as '" + d.blueDatabaseId()
                    + "', without the writes made on green; Cutover does not switch back on its own. To go back, stop"
                    + " writes, then rename by hand or create a blue/green deployment the other way; see"
                    + " docs/database-sync-modes.md");
        }

        @Override
        public Map<String, Integer> calls(Phase phase, Map<String, String> memo) {
            return phase == Phase.START ? Map.of() : Map.of(Services.RDS, 2);
        }
    }
}
