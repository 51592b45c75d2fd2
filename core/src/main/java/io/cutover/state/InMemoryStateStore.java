package io.cutover.state;

import io.cutover.RefusedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A state store in memory, with the same locking and version checks as the file store: for simulations,
 * rehearsals and tests, where the state need not outlive the process (engines that share this object
 * still see one another's state, which is how a simulated crash and resume are tested).
 */
public final class InMemoryStateStore implements StateStore {
    /**
     * Each run's saved JSON with its version and owner beside it, so that a commit checks the version without
     * decoding the whole state (which cost more than the rest of a step in fleets of thousands).
     */
    private final Map<String, Stored> runs = new LinkedHashMap<>();

    private final Map<String, EnvironmentLock> locks = new LinkedHashMap<>();
    private final StateCodec codec;

    /** A store for plans of the built-in step kinds. */
    public InMemoryStateStore() {
        this(StateCodec.ofDefaults());
    }

    private InMemoryStateStore(StateCodec codec) {
        this.codec = codec;
    }

    /** A store for plans whose steps are of {@code kinds} (your own kinds among them). */
    public static InMemoryStateStore of(io.cutover.step.kinds.StepKinds kinds) {
        return new InMemoryStateStore(StateCodec.of(kinds));
    }

    @Override
    public synchronized RunState create(RunState initial) {
        if (runs.containsKey(initial.runId())) {
            throw new RefusedException("a cutover with id '" + initial.runId() + "' exists already; resume it, or give "
                    + "the plan a new id");
        }
        String env = initial.plan().environment().name();
        EnvironmentLock held = locks.get(env);
        if (held != null) {
            throw new RefusedException("environment '" + env + "' is being cut over by run '" + held.runId()
                    + "' (started by " + held.owner() + " at " + held.since() + "); resume, roll back or finish that "
                    + "cutover first");
        }
        locks.put(env, new EnvironmentLock(env, initial.runId(), initial.owner(), initial.createdAt()));
        RunState saved = initial.withVersion(1);
        runs.put(saved.runId(), Stored.of(saved, codec));
        return saved;
    }

    @Override
    public synchronized Optional<RunState> load(String runId) {
        Stored b = runs.get(runId);
        return b == null ? Optional.empty() : Optional.of(codec.decode(b.json(), "memory:" + runId));
    }

    @Override
    public synchronized Optional<Long> version(String runId) {
        return Optional.ofNullable(runs.get(runId)).map(Stored::version);
    }

    @Override
    public synchronized RunState commit(RunState next) {
        Stored stored = runs.get(next.runId());
        if (stored == null) {
            throw new StateConflictException("cutover '" + next.runId() + "' has no stored state to update");
        }
        if (stored.version() != next.version()) {
            throw new StateConflictException("cutover '" + next.runId() + "' was changed by " + stored.owner()
                    + " (version " + stored.version() + ", this process read " + next.version() + ")");
        }
        RunState saved = next.withVersion(next.version() + 1);
        runs.put(saved.runId(), Stored.of(saved, codec));
        return saved;
    }

    /** A saved state as JSON (so that what is read back is what a file would give), and what a commit checks. */
    private record Stored(byte[] json, long version, String owner) {
        static Stored of(RunState s, StateCodec codec) {
            return new Stored(codec.encode(s), s.version(), s.owner());
        }
    }

    @Override
    public synchronized Optional<EnvironmentLock> lock(String environment) {
        return Optional.ofNullable(locks.get(environment));
    }

    @Override
    public synchronized void release(String environment, String runId) {
        EnvironmentLock held = locks.get(environment);
        if (held != null && held.runId().equals(runId)) {
            locks.remove(environment);
        }
    }

    @Override
    public synchronized List<String> runIds() {
        return new ArrayList<>(runs.keySet());
    }
}
