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
        this.cloud = new FencedCloud(engine.cloud(), this::check);
    }

    /** The cloud as the run's steps see it: every changing call fenced. */
    CloudProvider cloud() {
        return cloud;
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
            Optional<RunState> saved = engine.store().load(run.id());
            if (saved.isEmpty()) {
                return new Fence.Lost("cutover " + run.id() + " is no longer in the state store");
            }
            if (saved.get().version() != mine) {
                return new Fence.Lost("cutover " + run.id() + " was saved by "
                        + saved.get().owner() + " (version "
                        + saved.get().version() + ", status " + saved.get().status() + "; this process last saved "
                        + "version " + mine + ")");
            }
        }
        return outer;
    }
}
