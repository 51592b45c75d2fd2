package io.cutover.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cutover.RefusedException;
import io.cutover.engine.RunSummary;
import io.cutover.engine.Scheduler;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StateStore;
import io.cutover.state.StepState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Shows stored cutovers, or follows one until it settles; reads the state only. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Show a stored cutover (its steps, downtime and report), or list them all. With --watch, follow "
                + "it (driven by another process or machine) until it completes, rolls back or waits at a gate. "
                + "Reads the state only.")
final class StatusCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "RUN_ID",
            converter = Arguments.RunId.class,
            description = "the cutover; all when omitted")
    String runId;

    @Option(
            names = "--watch",
            description = "follow the cutover until it settles; exits as the cutover would (0 completed, 1 failed, "
                    + "3 waiting at a gate)")
    boolean watch;

    @Option(
            names = "--interval",
            defaultValue = "5s",
            converter = Arguments.Interval.class,
            description = "with --watch, how often to read the state (default: ${DEFAULT-VALUE})")
    Duration interval;

    @Mixin
    Options options;

    @Mixin
    StateOption state;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Console console = Main.console(spec);
        var out = console.out();
        boolean json = options.output() == Options.Output.json;
        StateStore store = state.open(options);
        if (runId == null) {
            if (watch) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--watch follows one cutover: name it");
            }
            for (String id : store.runIds()) {
                RunState s = store.load(id).orElseThrow();
                if (json) {
                    JsonLines.print(out, JsonLines.cutover(s));
                } else {
                    out.printf(
                            "%-22s %-12s %-20s updated %s%n",
                            id, s.status(), s.plan().environment().name(), s.updatedAt());
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
        RunState s = load(store);
        if (watch) {
            return watch(console, store, s);
        }
        if (json) {
            JsonLines.print(out, JsonLines.summary(s));
            return ExitCodes.OK;
        }
        out.print(RunSummary.render(s));
        if (!s.status().terminal()) {
            out.println("  driven by " + owner(s.owner(), ProcessHandle::of) + " -- if it is gone: cutover resume "
                    + s.runId());
        }
        s.steps()
                .forEach((k, v) -> out.printf(
                        "  %-28s %-20s %s%n", k, v.status(), v.error().orElse(v.progress())));
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * Who drives the cutover, as the engine names itself ({@code pid@host} by default), and whether that process
     * is alive: known only on the same host, where the pid is looked up (a pid reused since by another program
     * reads as alive).
     */
    static String owner(String owner, java.util.function.LongFunction<java.util.Optional<ProcessHandle>> processes) {
        int at = owner.indexOf('@');
        if (at <= 0) {
            return owner;
        }
        String host = owner.substring(at + 1);
        long pid;
        try {
            pid = Long.parseLong(owner.substring(0, at));
        } catch (NumberFormatException e) {
            return owner;
        }
        String me = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
        if (!host.equals(me.substring(me.indexOf('@') + 1))) {
            return "process " + pid + " on host " + host + " (another host: cannot tell whether it is alive)";
        }
        boolean alive = processes.apply(pid).map(ProcessHandle::isAlive).orElse(false);
        return "process " + pid + " on this host (" + host + "), " + (alive ? "alive" : "not running");
    }

    private RunState load(StateStore store) {
        return store.load(runId)
                .orElseThrow(() -> new RefusedException(
                        "no cutover '" + runId + "' in " + state.where(options) + "; known: " + store.runIds()));
    }

    /** Reads the state every {@code interval} and shows what changed, until the cutover settles. */
    private int watch(Console console, StateStore store, RunState first) {
        Scheduler clock = console.scheduler();
        AtomicReference<RunState> current = new AtomicReference<>(first);
        CompletableFuture<RunState> settled = new CompletableFuture<>();
        try (Progress progress = Progress.of(console, options.output(), current::get, Optional.of(clock))) {
            Runnable poll = new Runnable() {
                @Override
                public void run() {
                    try {
                        RunState next = load(store);
                        changes(current.getAndSet(next), next, progress, console);
                        if (settled(next)) {
                            settled.complete(next);
                        } else {
                            clock.schedule(interval, this);
                        }
                    } catch (RuntimeException e) {
                        settled.completeExceptionally(e);
                    }
                }
            };
            progress.note("following " + runId + " (" + first.status() + "), reading " + state.where(options)
                    + " every " + io.cutover.event.Durations.format(interval));
            if (settled(first)) {
                settled.complete(first);
            } else {
                clock.schedule(interval, poll);
            }
            RunState end;
            try {
                end = console.await(settled);
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            progress.close();
            return Outcome.report(end, options.output(), console.out());
        }
    }

    private static boolean settled(RunState s) {
        return s.status().terminal() || s.status() == RunStatus.WAITING;
    }

    /** One line (or JSON line) per step whose status changed, and one when the cutover's did. */
    private void changes(RunState before, RunState after, Progress progress, Console console) {
        if (after.version() == before.version()) {
            return;
        }
        after.steps().forEach((id, st) -> {
            StepState was = before.steps().get(id);
            if (was == null || was.status() != st.status()) {
                if (options.output() == Options.Output.json) {
                    ObjectNode node = JsonLines.line("StepChanged");
                    node.put("runId", after.runId());
                    node.put("at", after.updatedAt().toString());
                    node.put("step", id);
                    node.put("from", was == null ? "PENDING" : was.status().name());
                    node.put("status", st.status().name());
                    node.put("progress", st.error().orElse(st.progress()));
                    JsonLines.print(console.out(), node);
                } else {
                    progress.note(Progress.stamp(after.createdAt(), after.updatedAt()) + id + ": "
                            + (was == null ? "PENDING" : was.status()) + " -> " + st.status()
                            + (st.progress().isEmpty() ? "" : " (" + st.error().orElse(st.progress()) + ")"));
                }
            }
        });
        if (before.status() != after.status() && options.output() != Options.Output.json) {
            progress.note(Progress.stamp(after.createdAt(), after.updatedAt()) + "cutover " + after.runId() + ": "
                    + before.status() + " -> " + after.status());
        }
    }
}
