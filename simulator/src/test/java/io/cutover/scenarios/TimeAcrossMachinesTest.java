package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.engine.CutoverRun;
import io.cutover.engine.Scheduler;
import io.cutover.engine.VirtualScheduler;
import io.cutover.plan.StepId;
import io.cutover.state.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Clocks of two machines disagree: a cutover's waits are measured on its own timeline (the time its processes
 * observed pass), never by comparing one machine's saved time with another machine's clock.
 */
class TimeAcrossMachinesTest {
    private static final StepId BAKE = StepId.of("bake");

    private final Fixture f = new Fixture();

    /** Another machine: its clock runs {@code ahead} of the simulation's, its tasks die with it. */
    private record Machine(VirtualScheduler.Scope scope, Duration ahead) implements Scheduler {
        @Override
        public Instant now() {
            return scope.now().plus(ahead);
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            return scope.schedule(delay, task);
        }
    }

    @Test
    void aOneHourBakeResumedOnAMachineFiftyMinutesAheadIsNotShortened() {
        Machine a = new Machine(f.sim.scheduler().scope(), Duration.ZERO);
        CutoverRun onA =
                f.sim.engine(a).hooks(f.hooks).owner("machine-a").build().start(f.plan());
        f.runUntil(() -> onA.state().step(BAKE).status() == StepStatus.RUNNING);
        Instant bakeBegan = f.sim.scheduler().now();
        f.sim.scheduler().runFor(Duration.ofMinutes(10));
        a.scope().kill(); // machine A dies ten minutes into the bake

        Machine b = new Machine(f.sim.scheduler().scope(), Duration.ofMinutes(50));
        Instant takenOver = f.sim.scheduler().now();
        CutoverRun onB =
                f.sim.engine(b).hooks(f.hooks).owner("machine-b").build().resume(onA.id());
        AtomicReference<Instant> bakeEnded = new AtomicReference<>();
        f.runUntil(() -> {
            if (bakeEnded.get() == null && onB.state().step(BAKE).status() == StepStatus.SUCCEEDED) {
                bakeEnded.set(f.sim.scheduler().now());
            }
            return onB.status().terminal();
        });

        assertThat(bakeEnded.get()).as("the bake ended").isNotNull();
        Duration observedByA = Duration.between(bakeBegan, takenOver);
        Duration waitedByB = Duration.between(takenOver, bakeEnded.get());
        assertThat(waitedByB)
                .as("B's wait, after A had baked for %s", observedByA)
                .isGreaterThanOrEqualTo(Duration.ofHours(1).minus(observedByA));
        // A saves a running wait at least every five minutes: a takeover loses at most that much of it
        assertThat(waitedByB)
                .isLessThanOrEqualTo(Duration.ofHours(1).minus(observedByA).plusMinutes(5));
    }

    @Test
    void aMachineWhoseClockIsBehindDoesNotLengthenTheBakeBeyondWhatItObserves() {
        Machine a = new Machine(f.sim.scheduler().scope(), Duration.ZERO);
        CutoverRun onA = f.sim.engine(a).hooks(f.hooks).build().start(f.plan());
        f.runUntil(() -> onA.state().step(BAKE).status() == StepStatus.RUNNING);
        f.sim.scheduler().runFor(Duration.ofMinutes(10));
        a.scope().kill();

        Machine b = new Machine(f.sim.scheduler().scope(), Duration.ofMinutes(-50));
        Instant takenOver = f.sim.scheduler().now();
        CutoverRun onB = f.sim.engine(b).hooks(f.hooks).build().resume(onA.id());
        f.runUntil(() -> onB.state().step(BAKE).status() == StepStatus.SUCCEEDED);

        // Compared with A's saved times, B's clock says the bake began 40 minutes in the future: 1 h 40 min of
        // waiting. On the cutover's own timeline it is the 50 minutes left.
        assertThat(Duration.between(takenOver, f.sim.scheduler().now())).isLessThanOrEqualTo(Duration.ofMinutes(55));
    }
}
