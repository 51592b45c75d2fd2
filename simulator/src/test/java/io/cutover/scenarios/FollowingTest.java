package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.TakenOverException;
import io.cutover.engine.CutoverRun;
import io.cutover.plan.StepId;
import io.cutover.state.RunStatus;
import io.cutover.state.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Two processes on one cutover: the first follows it (waiting out the bake), the second approves the bake or
 * rolls back from another shell. The first notices within its follow interval and stops, saying what happened,
 * instead of printing the bake's countdown for a day.
 */
class FollowingTest {
    private static final StepId BAKE = StepId.of("bake");
    private static final Duration EVERY = Duration.ofSeconds(5);

    private final Fixture f = new Fixture();

    private CutoverRun followedToTheBake() {
        CutoverRun first = f.sim.engine()
                .hooks(f.hooks)
                .owner("shell-1")
                .followEvery(EVERY)
                .build()
                .start(f.plan());
        f.runUntil(() -> first.state().step(BAKE).status() == StepStatus.RUNNING);
        f.sim.scheduler().runFor(Duration.ofMinutes(3));
        return first;
    }

    /** Sets {@code at} and {@code why} when the follower stops. */
    private void whenStopped(CutoverRun first, AtomicReference<Instant> at, AtomicReference<Throwable> why) {
        first.settled().whenComplete((s, e) -> {
            at.set(f.sim.scheduler().now());
            why.set(e);
        });
    }

    @Test
    void anApprovalFromAnotherShellEndsTheFollowersWaitWithinSecondsAndSaysWhatHappened() {
        CutoverRun first = followedToTheBake();
        AtomicReference<Instant> at = new AtomicReference<>();
        AtomicReference<Throwable> why = new AtomicReference<>();
        whenStopped(first, at, why);
        Instant approvedAt = f.sim.scheduler().now();
        CutoverRun second =
                f.sim.engine().hooks(f.hooks).owner("shell-2").build().resume(first.id(), r -> r.approve("bake"));
        f.runUntil(() -> at.get() != null);

        assertThat(Duration.between(approvedAt, at.get())).isLessThanOrEqualTo(EVERY);
        assertThat(why.get())
                .isInstanceOf(TakenOverException.class)
                .hasMessageContaining("gate 'bake' was approved by shell-2")
                .hasMessageContaining("that process drives it now");
        assertThat(((TakenOverException) why.get()).newer().approved(BAKE)).isTrue();
        f.sim.runUntilSettled(second);
        assertThat(second.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(first.state().owner()).as("the follower saved nothing after").isEqualTo("shell-1");
    }

    @Test
    void aRollbackFromAnotherShellStopsTheFollowerWhichSaysItWasRolledBack() {
        CutoverRun first = followedToTheBake();
        AtomicReference<Instant> at = new AtomicReference<>();
        AtomicReference<Throwable> why = new AtomicReference<>();
        whenStopped(first, at, why);
        Instant at0 = f.sim.scheduler().now();
        CutoverRun second =
                f.sim.engine().hooks(f.hooks).owner("shell-2").build().resume(first.id(), CutoverRun::rollback);
        f.sim.runUntilSettled(second);

        assertThat(second.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(at.get()).as("the follower stopped").isNotNull();
        assertThat(Duration.between(at0, at.get())).isLessThanOrEqualTo(EVERY);
        assertThat(why.get())
                .isInstanceOf(TakenOverException.class)
                .hasMessageContaining("a rollback was started")
                .hasMessageContaining("by shell-2");
    }
}
