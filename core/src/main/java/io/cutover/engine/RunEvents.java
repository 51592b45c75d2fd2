package io.cutover.engine;

import io.cutover.event.CutoverEvent;
import io.cutover.event.CutoverListener;
import io.cutover.plan.StepId;
import io.cutover.state.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A cutover's events, delivered to the engine's listeners; a listener that throws never stops the cutover. */
final class RunEvents {
    private static final Logger LOG = LoggerFactory.getLogger(RunEvents.class);

    private final List<CutoverListener> listeners;
    private final RunNotifier notifier;
    private final List<CutoverEvent> after = new ArrayList<>();

    /** The engine's listeners, and the plan's notifications sent through the engine's cloud. */
    static RunEvents of(Engine engine, io.cutover.plan.Plan plan) {
        return new RunEvents(
                engine.listeners(),
                new RunNotifier(plan, () -> engine.cloud().notifications(), r -> RunContext.secret(engine, r)));
    }

    RunEvents(List<CutoverListener> listeners, RunNotifier notifier) {
        this.listeners = listeners;
        this.notifier = notifier;
    }

    /** Delivers {@code e} to the listeners, then sends the plan's notification of it and reports how that went. */
    void emit(CutoverEvent e) {
        deliver(e);
        notifier.send(e).forEach(this::deliver);
    }

    private void deliver(CutoverEvent e) {
        for (CutoverListener l : listeners) {
            try {
                l.on(e);
            } catch (RuntimeException ex) {
                LOG.warn("listener {} failed on {}", l, e, ex);
            }
        }
    }

    /** Queues an event to follow the one of the transition that caused it (a downtime window after its step). */
    void after(CutoverEvent e) {
        after.add(e);
    }

    /** Closes the downtime window if it is open; its event follows the transition's own. */
    RunState endDowntime(RunState next, StepId by, Instant now) {
        if (next.downtimeStartedAt().isEmpty() || next.downtimeEndedAt().isPresent()) {
            return next;
        }
        RunState ended = next.withDowntimeEnded(now);
        after(new CutoverEvent.DowntimeEnded(
                next.runId(), now, by, ended.downtime(now).orElse(Duration.ZERO)));
        return ended;
    }

    /** Sends the queued events. */
    void flush() {
        List<CutoverEvent> es = new ArrayList<>(after);
        after.clear();
        es.forEach(this::emit);
    }

    /** {@link CutoverRun#awaitSettled}: the wait, its failures worded for the operator. */
    static io.cutover.state.RunState await(CutoverRun run, java.time.Duration timeout) {
        try {
            return run.settled().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.cutover.CutoverException("interrupted while waiting for cutover " + run.id(), e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new io.cutover.CutoverException(
                    "cutover " + run.id() + " stopped: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new io.cutover.CutoverException(
                    "cutover " + run.id() + " did not settle within " + io.cutover.event.Durations.format(timeout)
                            + "; it goes on in the background (status " + run.status() + ")",
                    e);
        }
    }
}
