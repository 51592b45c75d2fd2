package io.cutover.engine;

import io.cutover.spi.CloudProvider;
import io.cutover.state.RunState;
import java.util.Optional;

/**
 * Whether this process provably holds its cutover, asked just before every call that changes the cloud: the
 * caller's {@link Fence} (a lease, with its margin) holds, and the saved state is still at the version this
 * process last saved. A process that was paused (a stopped VM, a long GC pause) while another took the
 * cutover over finds a newer version when it wakes, and makes no call.
 *
 * <p>What is left: a pause that falls between this check and the call's arrival at the cloud. The lease's
 * margin covers short ones; the DNS switch covers the rest for its record, as its change is conditional on
 * the record it read ({@link io.cutover.spi.DnsProvider#replace}).
 */
final class RunFence {
    private final CutoverRun run;
    private final Engine engine;
    private final Fence fence;
    private final CloudProvider cloud;

    RunFence(CutoverRun run, Engine engine, Fence fence) {
        this.run = run;
        this.engine = engine;
        this.fence = fence;
        this.cloud = new FencedCloud(engine.cloudFor(run), this::check);
    }

    /** The cloud as the run's steps see it: every changing call fenced. */
    CloudProvider cloud() {
        return cloud;
    }

    /**
     * Looks at the saved state, as a process following its cutover does every few seconds
     * ({@link Engine.Builder#followEvery}): a newer version saved by another process (an approval, a rollback, a
     * takeover) stops this one, with what happened. Runs under the run's lock.
     */
    void follow() {
        if (run.stopped() || run.state().status().terminal()) {
            return;
        }
        Optional<RunState> saved;
        try {
            // The version alone, most rounds: the whole state only when another process has saved one.
            saved = engine.store()
                    .version(run.id())
                    .filter(v -> v != run.state().version())
                    .flatMap(v -> engine.store().load(run.id()));
        } catch (RuntimeException e) {
            saved = Optional.empty(); // the store could not be read: look again at the next round
        }
        if (saved.isPresent() && saved.get().version() != run.state().version()) {
            run.stop(new io.cutover.TakenOverException(happened(run.state(), saved.get()), saved.get()));
            return;
        }
        engine.followEvery()
                .ifPresent(every -> engine.scheduler().schedule(every, () -> {
                    synchronized (run) {
                        follow();
                    }
                }));
    }

    /** What another process did, for the operator: "gate 'bake' was approved by host/42; it drives ... now". */
    static String happened(RunState mine, RunState newer) {
        java.util.List<String> what = new java.util.ArrayList<>();
        newer.approvals().stream()
                .filter(g -> !mine.approvals().contains(g))
                .forEach(g -> what.add("gate '" + g + "' was approved"));
        if (newer.phase().rollingBack() && !mine.phase().rollingBack()) {
            what.add("a rollback was started"
                    + newer.failure().map(f -> " (" + f + ")").orElse(""));
        }
        if (what.isEmpty()) {
            what.add("it was taken over");
        }
        String by = newer.owner().equals(mine.owner()) ? "another process" : newer.owner();
        return "cutover " + mine.runId() + ": " + String.join(", ", what) + " by " + by + "; "
                + (newer.status().terminal()
                        ? "it has ended " + newer.status()
                        : "that process drives it now (status " + newer.status() + ")")
                + ", and this one stops following it";
    }

    Fence.Check check() {
        Fence.Check outer = fence.check();
        if (outer instanceof Fence.Lost) {
            return outer;
        }
        // Under the run's lock, so that a transition this process saves meanwhile is not taken for another's.
        synchronized (run) {
            if (run.stopped()) {
                return new Fence.Lost("this process stopped driving cutover " + run.id());
            }
            long mine = run.state().version();
            Optional<Long> saved;
            try {
                // The version alone: the whole state is read only to say who changed it.
                saved = engine.store().version(run.id());
            } catch (RuntimeException e) {
                // Not knowing is not holding: the run stops, saving nothing, and resume takes it from there.
                return new Fence.Lost("the state store could not be read to check that this process still holds "
                        + "cutover " + run.id() + ": " + e.getMessage());
            }
            if (saved.isEmpty()) {
                return new Fence.Lost("cutover " + run.id() + " is no longer in the state store");
            }
            if (saved.get() != mine) {
                Optional<RunState> newer;
                try {
                    newer = engine.store().load(run.id());
                } catch (RuntimeException e) {
                    newer = Optional.empty();
                }
                return new Fence.Lost("cutover " + run.id() + " was saved by "
                        + newer.map(RunState::owner).orElse("another process") + " (version "
                        + newer.map(RunState::version).orElse(saved.get())
                        + newer.map(n -> ", status " + n.status()).orElse("") + "; this process last saved "
                        + "version " + mine + ")");
            }
        }
        return outer;
    }
}
