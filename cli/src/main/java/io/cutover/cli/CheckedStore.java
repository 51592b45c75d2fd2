package io.cutover.cli;

import io.cutover.CutoverException;
import io.cutover.state.EnvironmentLock;
import io.cutover.state.RunState;
import io.cutover.state.StateConflictException;
import io.cutover.state.StateStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A state store that remembers the first write it could not make, so that a command whose state could not be
 * saved (a read-only state directory, a full disk) ends with an error exit, never as if it had been recorded.
 */
final class CheckedStore implements StateStore {
    private final StateStore delegate;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    CheckedStore(StateStore delegate) {
        this.delegate = delegate;
    }

    /** Throws when a write failed (other than a conflict with another process, which is reported as such). */
    void check() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw new CutoverException(
                    "the cutover's state could not be saved, so what this command did was not recorded: "
                            + e.getMessage(),
                    e);
        }
    }

    private <T> T write(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (StateConflictException e) {
            throw e;
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
            throw e;
        }
    }

    @Override
    public RunState create(RunState initial) {
        return write(() -> delegate.create(initial));
    }

    @Override
    public Optional<RunState> load(String runId) {
        return delegate.load(runId);
    }

    @Override
    public RunState commit(RunState next) {
        return write(() -> delegate.commit(next));
    }

    @Override
    public Optional<EnvironmentLock> lock(String environment) {
        return delegate.lock(environment);
    }

    @Override
    public void release(String environment, String runId) {
        write(() -> {
            delegate.release(environment, runId);
            return null;
        });
    }

    @Override
    public List<String> runIds() {
        return delegate.runIds();
    }
}
