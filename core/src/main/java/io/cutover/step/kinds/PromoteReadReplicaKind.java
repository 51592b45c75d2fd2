package io.cutover.step.kinds;

import io.cutover.event.Durations;
import io.cutover.internal.*;
import io.cutover.plan.DatabaseSync;
import io.cutover.plan.Plan;
import io.cutover.plan.Validation;
import io.cutover.spi.DatabaseProvider.Status;
import io.cutover.spi.ReplicaProvider;
import io.cutover.spi.ReplicaProvider.Replica;
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
 * The {@code read-replica} sync mode's second half, after writes freeze: waits for the replica's lag to drain to
 * zero (a promotion stops replication, so what the replica had not applied would be lost), promotes it and waits
 * until it is a standalone instance that takes writes. A lag that does not drain within {@code timeout} fails the
 * step before any promotion, blue as it was. After a promotion there is nothing to undo: blue's database was never
 * changed, users go back to it, and it has not the writes made on green since (docs/database-sync-modes.md).
 */
final class PromoteReadReplicaKind implements StepKind<DatabaseSync.PromoteReadReplica> {
    @Override
    public String name() {
        return "promote-read-replica";
    }

    @Override
    public Class<DatabaseSync.PromoteReadReplica> type() {
        return DatabaseSync.PromoteReadReplica.class;
    }

    @Override
    public void validate(DatabaseSync.PromoteReadReplica s, Validation v) {
        io.cutover.plan.ReplicaSteps.check(s, v);
    }

    @Override
    public Map<String, String> textFields(DatabaseSync.PromoteReadReplica s) {
        return Kinds.fields("replica", s.replica());
    }

    @Override
    public Outputs outputs(DatabaseSync.PromoteReadReplica s) {
        return Outputs.of("databaseId", "endpoint");
    }

    @Override
    public Duration minimumDuration(DatabaseSync.PromoteReadReplica s, Function<String, Duration> expected) {
        return expected.apply(Operations.REPLICA_PROMOTE);
    }

    @Override
    public List<Grant> grants(DatabaseSync.PromoteReadReplica s, Plan plan, Arns arns) {
        return List.of(
                Grant.read(List.of("rds:DescribeDBInstances", "cloudwatch:GetMetricStatistics"), List.of("*")),
                Grant.write(
                        List.of("rds:PromoteReadReplica"),
                        List.of(arns.rdsInstance(CreateReadReplicaKind.replicaName(plan, s.replica())))));
    }

    @Override
    public StepBehaviour behaviour(DatabaseSync.PromoteReadReplica step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private final DatabaseSync.PromoteReadReplica spec;

        Behaviour(DatabaseSync.PromoteReadReplica spec) {
            this.spec = spec;
        }

        @Override
        public String describe() {
            return "promote read replica " + spec.replica() + " to a standalone database once its lag drained"
                    + " (within " + Durations.format(spec.timeout()) + ")";
        }

        @Override
        public List<String> permissions() {
            return List.of("rds:DescribeDBInstances", "rds:PromoteReadReplica");
        }

        @Override
        public StepOutcome start(StepContext ctx) {
            Map<String, String> memo =
                    ctx.memo("since").isEmpty() ? Map.of("since", ctx.now().toString()) : Map.of();
            return new StepOutcome.Pending(
                    Operations.REPLICA_PROMOTE, Optional.of(Duration.ZERO), "checking the replica's lag", memo);
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            ReplicaProvider replicas = ctx.cloud().replicas();
            String id = ctx.resolve(spec.replica());
            Replica r = replicas.describe(id);
            if (r.status() == Status.FAILED || r.status() == Status.DELETING || r.status() == Status.DELETED) {
                return Calls.failed("read replica " + id + " is " + r.status() + "; not promoted");
            }
            if (r.sourceDatabaseId().isEmpty()) {
                // Promoted (by this step's call, whose answer may have been lost): replication has stopped.
                if (r.standalone()) {
                    return StepOutcome.Done.of(
                            Map.of("databaseId", id, "endpoint", r.endpoint().orElse("")));
                }
                return StepOutcome.Pending.of(
                        Operations.REPLICA_PROMOTE,
                        "promoting " + id + " (" + r.status() + ")",
                        Map.of("requested", "true"));
            }
            if (ctx.memo("requested").isPresent() || r.status() != Status.AVAILABLE) {
                // Asked for, not visible yet; or busy (a backup): RDS promotes only an available replica.
                return StepOutcome.Pending.of(
                        Operations.REPLICA_PROMOTE, "waiting for " + id + " (" + r.status() + ") to be promoted");
            }
            String source = r.sourceDatabaseId().get();
            if (r.replicationProblem().isPresent()) {
                return Calls.failed("replication from " + source + " to " + id + " is broken ("
                        + r.replicationProblem().get() + "); not promoted, " + source + " is as it was");
            }
            if (r.replicaLag().filter(Duration::isZero).isEmpty()) {
                String lag = r.replicaLag().map(Durations::format).orElse("an unknown time");
                Instant since = Instant.parse(ctx.memo("since").orElse(ctx.now().toString()));
                if (!ctx.now().isBefore(since.plus(spec.timeout()))) {
                    return Calls.failed(id + " still lags " + source + " by " + lag + " after "
                            + Durations.format(spec.timeout()) + " with writes frozen; not promoted, " + source
                            + " is as it was and takes writes again when they resume");
                }
                return new StepOutcome.Pending(
                        Operations.WAIT,
                        Optional.of(Duration.ofSeconds(5)),
                        id + " lags " + source + " by " + lag + "; waiting for it to drain before the promotion",
                        Map.of());
            }
            replicas.promote(id);
            return StepOutcome.Pending.of(Operations.REPLICA_PROMOTE, "promoting " + id, Map.of("requested", "true"));
        }

        @Override
        public Compensation compensation() {
            return Compensation.RESTORES_BLUE;
        }

        @Override
        public String describeCompensation() {
            return "nothing to undo on blue's database, which the promotion never changed: users go back to it, and"
                    + " it has not the writes made on green's promoted replica (" + spec.replica()
                    + ") since the promotion; the promoted one is kept";
        }

        @Override
        public StepOutcome compensate(StepContext ctx) {
            return StepOutcome.Done.of();
        }

        @Override
        public Map<String, Integer> calls(Phase phase, Map<String, String> memo) {
            return phase == Phase.POLL ? Map.of(Services.RDS, 2) : Map.of();
        }
    }
}
