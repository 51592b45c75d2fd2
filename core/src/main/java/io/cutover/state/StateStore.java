package io.cutover.state;

import java.util.List;
import java.util.Optional;

/**
 * Where cutovers keep their state and their environment locks. Implementations must make every write
 * atomic (a crash mid-write leaves the previous state readable) and conditional on the version read, so
 * that two writers can never both commit a transition.
 */
public interface StateStore {
    /**
     * Saves the first state of a new cutover and takes its environment's lock, as one step. Refuses (with
     * {@link io.cutover.RefusedException} naming the holder) when another cutover holds the environment, and
     * when a cutover of that id exists already.
     *
     * @return the state as saved, at version 1
     */
    RunState create(RunState initial);

    Optional<RunState> load(String runId);

    /**
     * The stored version of a cutover, if it is stored: what the engine compares with its own before every call
     * that changes the cloud. The default loads the whole state; a store that can read the version alone should
     * (the embedded stores do), as this is asked far more often than a state is loaded.
     */
    default Optional<Long> version(String runId) {
        return load(runId).map(RunState::version);
    }

    /**
     * Saves {@code next} if the stored version is still {@code next.version()}; returns it at the next
     * version. Throws {@link StateConflictException} otherwise.
     */
    RunState commit(RunState next);

    /** Who holds an environment, if anyone. */
    Optional<EnvironmentLock> lock(String environment);

    /** Releases the environment's lock if {@code runId} holds it (when a cutover ends). */
    void release(String environment, String runId);

    /** The ids of every stored cutover, oldest first. */
    List<String> runIds();
}
