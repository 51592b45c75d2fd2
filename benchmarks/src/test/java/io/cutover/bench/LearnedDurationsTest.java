package io.cutover.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.engine.CutoverRun;
import io.cutover.engine.DurationEstimates;
import io.cutover.engine.Engine;
import io.cutover.plan.StepId;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.state.StepState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A fleet's canary teaches the waves after it: in an account whose green stacks take 6 minutes where the engine
 * expects 20, the second cutover, by an engine that shares the first one's {@link DurationEstimates}, finds its
 * stack done sooner after it ends than the first did; one that learnt nothing is as late as the first.
 */
class LearnedDurationsTest {
    private static final StepId CLONE = StepId.of("clone");
    /** Green's stack: its database restored in 6 minutes (the slowest of its resources). */
    private static final Duration STACK = Duration.ofMinutes(6);

    private static Latencies quickStacks() {
        Latencies d = Latencies.ofDefaults();
        return new Latencies(
                d.databaseSnapshot(),
                d.volumeSnapshot(),
                STACK,
                d.databaseDelete(),
                d.stackCreate(),
                d.stackUpdate(),
                d.stackDelete(),
                d.changeSet(),
                d.dnsSync(),
                d.volumeCreate(),
                d.healthCheck());
    }

    /** How long after green's stack was complete the cutover of {@code app} found it so. */
    private static Duration cloneLateness(World w, World.App app, DurationEstimates estimates) {
        Engine engine = w.engine(w.scheduler.scope(), w.hooks(false))
                .durationEstimates(estimates)
                .build();
        CutoverRun run = engine.start(w.benchmarkPlan(app));
        w.scheduler.runWhile(() -> !Measure.doneOrSettled(run));
        assertThat(Measure.switched(run))
                .as("cutover of %s switched", app.env.name())
                .isTrue();
        StepState clone = run.state().step(CLONE);
        Duration took = Duration.between(
                clone.startedAt().orElseThrow(), clone.endedAt().orElseThrow());
        return took.minus(STACK);
    }

    @Test
    void theSecondCutoverOfAnAccountFindsItsStackDoneSoonerForWhatTheFirstTaught() {
        World w = new World(quickStacks(), RateLimits.ofAws(), new Faults()).deploy(3);
        DurationEstimates account = DurationEstimates.inMemory();

        Duration canary = cloneLateness(w, w.apps.get(0), account);
        Duration taught = cloneLateness(w, w.apps.get(1), account);
        Duration untaught = cloneLateness(w, w.apps.get(2), DurationEstimates.inMemory());

        assertThat(account.estimate("stack.create").orElseThrow().median())
                .as("what the account learnt of its stacks")
                .isBetween(STACK.minusSeconds(30), STACK.plusSeconds(30));
        assertThat(taught)
                .as("lateness of the taught cutover; the canary's %s", canary)
                .isLessThan(canary);
        assertThat(taught).isLessThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(untaught).as("an engine that learnt nothing").isEqualTo(canary);
    }
}
