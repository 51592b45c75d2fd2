package io.cutover.engine;

import com.google.common.base.Preconditions;

/**
 * Whether this process still holds a cutover, asked just before each call that changes the cloud. The engine
 * always adds its own check (the saved state's version is still the one this process last saved); a fence
 * adds what only the caller knows, such as a lease between machines ({@code Lease.fence(margin)} in the
 * fleet module). When a fence says {@link Lost}, the engine makes no further call and stops driving the
 * cutover without saving over the newer state; resume it from whichever process holds it now.
 *
 * <pre>{@code
 * CutoverRun run = engine.start(plan, () -> lease.valid() ? new Fence.Held() : new Fence.Lost("lease ran out"));
 * }</pre>
 */
@FunctionalInterface
public interface Fence {
    /** Whether the cutover is still this process's; called from the threads that make the calls. */
    Check check();

    /** The answer of a fence. */
    sealed interface Check permits Held, Lost {}

    /** This process holds the cutover: the call may go out. */
    record Held() implements Check {}

    /** This process may no longer hold the cutover; {@code reason} says why, for the operator. */
    record Lost(String reason) implements Check {
        public Lost {
            Preconditions.checkArgument(reason != null && !reason.isBlank(), "reason: say why the fence is lost");
        }
    }

    /** No fence beyond the engine's own check of the saved state's version (one machine, or a file store). */
    static Fence none() {
        return Held::new;
    }
}
