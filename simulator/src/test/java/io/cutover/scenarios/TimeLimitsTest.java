package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.FailureType;
import io.cutover.engine.CutoverRun;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.plan.TimeLimits;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.state.InMemoryStateStore;
import io.cutover.state.RunStatus;
import io.cutover.state.StepState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Time limits that fit real sizes, in virtual time: a large database's first snapshot that takes hours but
 * keeps moving is waited for; one that stops moving fails its step once it has stood still past the limit;
 * the plan's own limits replace the defaults.
 */
class TimeLimitsTest {
    /** Blue whose database snapshot takes {@code snapshot} (a large database's first snapshot). */
    private static Fixture slowSnapshots(Duration snapshot) {
        Latencies d = Latencies.ofDefaults();
        Latencies slow = new Latencies(
                snapshot,
                d.volumeSnapshot(),
                d.databaseRestore(),
                d.databaseDelete(),
                d.stackCreate(),
                d.stackUpdate(),
                d.stackDelete(),
                d.changeSet(),
                d.dnsSync(),
                d.volumeCreate(),
                d.healthCheck());
        return new Fixture(CloudSimulation.create(slow, RateLimits.ofAws(), new Faults(), new InMemoryStateStore()));
    }

    /** Only the first snapshot of blue's database: the step whose limit is under test. */
    private static Plan firstSnapshot(Fixture f) {
        return Plan.of(
                "first-snapshot",
                f.env,
                List.of(new StepSpec.SnapshotDatabase(
                        StepId.of("snap-rehearsal-db"),
                        List.of(),
                        f.env.databases().get(0))));
    }

    @Test
    void aThreeHourFirstSnapshotThatKeepsProgressingCompletesPastItsThirtyMinuteLimit() {
        Fixture f = slowSnapshots(Duration.ofHours(3));
        CutoverRun run = f.runToEnd(firstSnapshot(f));

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        StepState snap = run.state().step(StepId.of("snap-rehearsal-db"));
        assertThat(Duration.between(
                        snap.startedAt().orElseThrow(), snap.endedAt().orElseThrow()))
                .as("the snapshot ran far past its limit of 30 minutes and was waited for")
                .isGreaterThanOrEqualTo(Duration.ofHours(3));
    }

    @Test
    void aSnapshotThatStopsMovingFailsOnceItHasStoodStillForLongerThanItsLimit() {
        Fixture f = slowSnapshots(Duration.ofHours(3));
        // the simulated snapshot climbs for 3 hours, then stays at 99% and never completes
        f.cloud.faults().snapshotNeverCompletes(f.blueDb());
        CutoverRun run = f.runToEnd(firstSnapshot(f));

        // the step fails on its limit; the rollback keeps the snapshot (a backup of blue's data is never deleted)
        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(run.state().reportLines()).anyMatch(l -> l.startsWith("KEPT backup"));
        StepState snap = run.state().step(StepId.of("snap-rehearsal-db"));
        assertThat(snap.errorType()).contains(FailureType.TIMED_OUT);
        assertThat(snap.error()).hasValueSatisfying(e -> assertThat(e).contains("its progress has stayed at 99% for"));
        Duration ran =
                Duration.between(snap.startedAt().orElseThrow(), snap.endedAt().orElseThrow());
        assertThat(ran)
                .as("failed 30 min after its progress stopped (at 99%, just before 3 h), not at the first 30 min")
                .isBetween(Duration.ofMinutes(205), Duration.ofMinutes(215));
    }

    /** A stuck snapshot of blue's database, once its progress stops after an hour, at 99%. */
    private static StepState stuckSnapshotOf(int storageGb) {
        Fixture f = slowSnapshots(Duration.ofHours(1));
        f.cloud.growStorage(io.cutover.plan.Environment.Database.Kind.INSTANCE, f.blueDb(), storageGb);
        f.cloud.faults().snapshotNeverCompletes(f.blueDb());
        return f.runToEnd(firstSnapshot(f)).state().step(StepId.of("snap-rehearsal-db"));
    }

    @Test
    void theLimitOfASnapshotScalesWithTheDatabasesAllocatedStorage() {
        // 5 min + 6 s per GB, four times: 20 GB gives 28 min, raised to the 30-minute floor; 2 TB gives about 14 h
        StepState small = stuckSnapshotOf(20);
        StepState large = stuckSnapshotOf(2048);

        assertThat(small.error())
                .hasValueSatisfying(e -> assertThat(e).contains("(limit 30m 00s, expected about 7m 00s"));
        assertThat(large.error())
                .hasValueSatisfying(e -> assertThat(e).contains("(limit 13h 59m, expected about 3h 29m"));
        assertThat(Duration.between(
                        large.startedAt().orElseThrow(), large.endedAt().orElseThrow()))
                .as("the 2 TB snapshot stood still at 99% for its 14 h limit before it failed")
                .isBetween(Duration.ofHours(14), Duration.ofHours(15).plusMinutes(10));
        assertThat(Duration.between(
                        small.startedAt().orElseThrow(), small.endedAt().orElseThrow()))
                .isBetween(Duration.ofMinutes(85), Duration.ofMinutes(100));
    }

    @Test
    void theLimitOfARestoreScalesWithStorageToo() {
        Duration small = io.cutover.engine.PollPolicy.limitFor(
                io.cutover.step.Operations.expectedForStorage(io.cutover.step.Operations.DATABASE_RESTORE, 20)
                        .orElseThrow());
        Duration large = io.cutover.engine.PollPolicy.limitFor(
                io.cutover.step.Operations.expectedForStorage(io.cutover.step.Operations.DATABASE_RESTORE, 2048)
                        .orElseThrow());
        assertThat(small).isEqualTo(Duration.ofMinutes(64)); // 4 x (15 min + 60 s)
        assertThat(large).isEqualTo(Duration.ofMinutes(60).plusSeconds(4 * 3 * 2048)); // 4 x (15 min + 6144 s)
    }

    @Test
    void aPlanLimitForOneStepReplacesTheDefault() {
        Fixture f = slowSnapshots(Duration.ofHours(3));
        f.cloud.faults().snapshotNeverCompletes(f.blueDb());
        Plan plan = firstSnapshot(f).withLimits(TimeLimits.ofDefaults().step("snap-rehearsal-db", Duration.ofHours(2)));
        CutoverRun run = f.runToEnd(plan);

        StepState snap = run.state().step(StepId.of("snap-rehearsal-db"));
        assertThat(snap.error()).hasValueSatisfying(e -> assertThat(e).contains("limit 2h 00m"));
        Duration ran =
                Duration.between(snap.startedAt().orElseThrow(), snap.endedAt().orElseThrow());
        assertThat(ran).isBetween(Duration.ofMinutes(295), Duration.ofMinutes(305));
    }

    /**
     * RDS throttles every call for {@code storm} from just after the preflight; the engine allows {@code allowed} of
     * it.
     */
    private static CutoverRun throttledFor(Duration storm, Duration allowed) {
        Fixture f = new Fixture(CloudSimulation.create());
        f.cloud
                .faults()
                .throttlingStorm(
                        io.cutover.spi.ApiService.RDS, f.sim.scheduler().now().plusMillis(1), storm);
        CutoverRun run = f.sim.engine()
                .hooks(f.hooks)
                .retryPolicy(io.cutover.engine.RetryPolicy.ofDefaults().withThrottledAtMost(allowed))
                .build()
                .start(firstSnapshot(f));
        f.sim.runUntilSettled(run);
        return run;
    }

    @Test
    void aStepThrottledLongerThanThePolicyAllowsFailsNamingTheLimitAndOneThrottledLessWaitsItOut() {
        CutoverRun failed = throttledFor(Duration.ofHours(3), Duration.ofMinutes(20));

        assertThat(failed.status()).isEqualTo(RunStatus.ROLLED_BACK);
        StepState snap = failed.state().step(StepId.of("snap-rehearsal-db"));
        assertThat(snap.error().orElse("")).contains("without getting through").contains("rate limit");
        assertThat(Duration.between(
                        snap.startedAt().orElseThrow(), snap.endedAt().orElseThrow()))
                .as("failed once throttled for the 20 minutes allowed, not the default hour")
                .isBetween(Duration.ofMinutes(20), Duration.ofMinutes(25));

        CutoverRun waited = throttledFor(Duration.ofMinutes(40), Duration.ofHours(1));
        assertThat(waited.status()).as("%s", waited.state().failure()).isEqualTo(RunStatus.COMPLETED);
    }
}
