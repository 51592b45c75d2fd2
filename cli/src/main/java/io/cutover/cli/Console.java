package io.cutover.cli;

import io.cutover.engine.Scheduler;
import io.cutover.engine.SystemScheduler;
import io.cutover.engine.VirtualScheduler;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Where a command writes: standard output (the command's result: text, or JSON lines), standard error (text
 * that is not the result), and, when standard output is a terminal, that terminal, for the live display.
 * The display's clock and ticks come from {@link #scheduler()}, which tests replace with virtual time.
 */
final class Console implements AutoCloseable {
    private final PrintWriter out;
    private final PrintWriter err;
    private final Optional<Terminal> terminal;
    private final boolean color;
    private Scheduler scheduler;
    private SystemScheduler owned;

    private Console(PrintWriter out, PrintWriter err, Optional<Terminal> terminal, boolean color, Scheduler scheduler) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.color = color;
        this.scheduler = scheduler;
    }

    /** Plain streams (not a terminal): log lines, never a live display. */
    static Console plain(PrintWriter out, PrintWriter err) {
        return new Console(out, err, Optional.empty(), false, null);
    }

    /** Plain streams, with the clock and timer of {@code scheduler} (virtual time, in tests). */
    static Console withScheduler(PrintWriter out, PrintWriter err, Scheduler scheduler) {
        return new Console(out, err, Optional.empty(), false, scheduler);
    }

    /**
     * The given terminal as standard output, with colours unless {@code NO_COLOR} is set (to anything but the
     * empty string, as https://no-color.org asks) and ticks from {@code scheduler}.
     */
    static Console terminal(Terminal terminal, PrintWriter err, Map<String, String> env, Scheduler scheduler) {
        return new Console(terminal.writer(), err, Optional.of(terminal), colours(terminal, env), scheduler);
    }

    /** The process's own streams; a live display when standard output is a terminal JLine can drive. */
    static Console system() {
        PrintWriter err = new PrintWriter(System.err, true);
        try {
            Terminal t = TerminalBuilder.builder()
                    .system(true)
                    .systemOutput(TerminalBuilder.SystemOutput.SysOut)
                    .dumb(true)
                    .build();
            if (!Terminal.TYPE_DUMB.equals(t.getType())
                    && !Terminal.TYPE_DUMB_COLOR.equals(t.getType())
                    && t.getWidth() > 0) {
                return terminal(t, err, System.getenv(), null);
            }
            t.close();
        } catch (IOException | RuntimeException e) {
            // no terminal to drive: plain lines
        }
        return plain(new PrintWriter(System.out, true), err);
    }

    private static boolean colours(Terminal t, Map<String, String> env) {
        String noColor = env.get("NO_COLOR");
        return (noColor == null || noColor.isEmpty()) && !Terminal.TYPE_DUMB.equals(t.getType());
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    Optional<Terminal> terminal() {
        return terminal;
    }

    boolean color() {
        return color;
    }

    /** The clock and timer of the display and of {@code status --watch}: the wall clock unless a test gave one. */
    synchronized Scheduler scheduler() {
        if (scheduler == null) {
            owned = SystemScheduler.ofDefaults();
            scheduler = owned;
        }
        return scheduler;
    }

    /**
     * Waits for {@code f}: on the wall clock, by blocking; in virtual time, by running the scheduler's tasks
     * until it is done (virtual time runs on the caller's thread).
     */
    <T> T await(CompletableFuture<T> f) {
        if (scheduler() instanceof VirtualScheduler v) {
            v.runWhile(() -> !f.isDone());
            if (!f.isDone()) {
                throw new IllegalStateException("virtual time ran out of tasks before the wait was over");
            }
        }
        return f.join();
    }

    @Override
    public synchronized void close() {
        out.flush();
        err.flush();
        if (owned != null) {
            owned.close();
        }
        terminal.ifPresent(t -> {
            try {
                t.flush();
            } catch (RuntimeException e) {
                // closing anyway
            }
        });
    }
}
