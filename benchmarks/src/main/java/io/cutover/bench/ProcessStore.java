package io.cutover.bench;

import io.cutover.engine.VirtualScheduler;
import io.cutover.state.EnvironmentLock;
import io.cutover.state.RunState;
import io.cutover.state.StateStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state store as one process sees it: every save is logged with the process's number, and the
 * process can be made to die at its N-th step boundary, just before or just after the save.
 */
final class ProcessStore implements StateStore {
    final StateStore inner;
    final int process;
    final VirtualScheduler.Scope scope;
    final List<CampaignRun.Commit> log;
    /** When each step was first saved as succeeded: what a new process would find. */
    final Map<String, Instant> succeededAt;

    final int dieAt;
    final boolean beforeSave;
    /** The save (counted from 1) that fails: with an error before the write, or ambiguously after it. */
    final int failSave;

    final boolean ambiguous;
    boolean died;
    boolean storeFailed;
    int boundaries;
    int saves;

    ProcessStore(
            StateStore inner,
            int process,
            VirtualScheduler.Scope scope,
            List<CampaignRun.Commit> log,
            Map<String, Instant> succeededAt,
            int dieAt,
            boolean beforeSave,
            int failSave,
            boolean ambiguous) {
        this.inner = inner;
        this.failSave = failSave;
        this.ambiguous = ambiguous;
        this.succeededAt = succeededAt;
        this.process = process;
        this.scope = scope;
        this.log = log;
        this.dieAt = dieAt;
        this.beforeSave = beforeSave;
    }

    @Override
    public RunState create(RunState initial) {
        return inner.create(initial);
    }

    @Override
    public Optional<RunState> load(String runId) {
        return inner.load(runId);
    }

    @Override
    public RunState commit(RunState next) {
        RunState stored = inner.load(next.runId()).orElseThrow();
        boolean boundary = stored.status() != next.status()
                || next.steps().entrySet().stream()
                        .anyMatch(e -> stored.steps().get(e.getKey()).status()
                                != e.getValue().status());
        if (boundary && ++boundaries == dieAt && beforeSave) {
            die();
        }
        boolean failing = ++saves == failSave;
        if (failing && !ambiguous) {
            storeFailed = true;
            throw new io.cutover.CutoverException("injected: the state store cannot be reached");
        }
        RunState saved = inner.commit(next);
        log.add(new CampaignRun.Commit(process, scope.now(), saved.version()));
        saved.steps().forEach((id, st) -> {
            if (st.status() == io.cutover.state.StepStatus.SUCCEEDED) {
                succeededAt.putIfAbsent(id, scope.now());
            }
        });
        if (boundary && boundaries == dieAt) {
            die();
        }
        if (failing) {
            storeFailed = true;
            throw new io.cutover.CutoverException(
                    "injected: the conditional write timed out (it was applied; the answer was lost)");
        }
        return saved;
    }

    void die() {
        died = true;
        scope.kill();
        throw new ProcessDied();
    }

    @Override
    public Optional<EnvironmentLock> lock(String environment) {
        return inner.lock(environment);
    }

    @Override
    public void release(String environment, String runId) {
        inner.release(environment, runId);
    }

    @Override
    public List<String> runIds() {
        return inner.runIds();
    }
}
