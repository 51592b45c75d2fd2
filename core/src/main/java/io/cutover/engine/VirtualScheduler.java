package io.cutover.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * Virtual time: tasks run on the calling thread, in time order, and the clock jumps from one task to the
 * next. A 40-minute cutover runs in milliseconds and every run of the same inputs is identical.
 *
 * <p>{@link #scope()} gives a view whose tasks can all be dropped at once, which is how tests kill an
 * engine's "process" at an arbitrary point and start another engine on the same state.
 */
public final class VirtualScheduler implements Scheduler {
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private Instant now;
    private long sequence;
    private long executed;

    private VirtualScheduler(Instant start) {
        this.now = start;
    }

    public static VirtualScheduler startingAt(Instant start) {
        return new VirtualScheduler(start);
    }

    /** Starts at 2026-01-01T00:00:00Z, so that logs of simulations read the same every time. */
    public static VirtualScheduler ofDefaults() {
        return new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        return root().schedule(delay, task);
    }

    private Scope root;

    private synchronized Scope root() {
        if (root == null) {
            root = new Scope();
        }
        return root;
    }

    /** A view of this scheduler whose tasks can be dropped all at once with {@link Scope#kill()}. */
    public Scope scope() {
        return new Scope();
    }

    /** Runs tasks until none is left. Returns how many ran. */
    public long runUntilIdle() {
        return runWhile(() -> true);
    }

    /** Runs the tasks due up to {@code deadline}, then sets the clock to it. */
    public long runUntil(Instant deadline) {
        long n = runWhile(() -> {
            Task next = peek();
            return next != null && !next.at.isAfter(deadline);
        });
        synchronized (this) {
            if (now.isBefore(deadline)) {
                now = deadline;
            }
        }
        return n;
    }

    public long runFor(Duration d) {
        return runUntil(now().plus(d));
    }

    /** Runs tasks while {@code condition} holds and tasks are left. */
    public long runWhile(BooleanSupplier condition) {
        long ran = 0;
        while (condition.getAsBoolean()) {
            Task task;
            synchronized (this) {
                task = queue.poll();
                if (task == null) {
                    break;
                }
                if (task.at.isAfter(now)) {
                    now = task.at;
                }
            }
            if (task.cancelled || task.scope.killed) {
                continue;
            }
            try {
                task.runnable.run();
            } catch (RuntimeException | Error e) {
                if (!task.scope.killed) {
                    throw e;
                }
            }
            ran++;
            executed++;
        }
        return ran;
    }

    private synchronized Task peek() {
        while (!queue.isEmpty() && (queue.peek().cancelled || queue.peek().scope.killed)) {
            queue.poll();
        }
        return queue.peek();
    }

    /** How many tasks are waiting. */
    public synchronized int pending() {
        return (int) queue.stream().filter(t -> !t.cancelled && !t.scope.killed).count();
    }

    /** How many tasks have run since this scheduler was made. */
    public synchronized long executed() {
        return executed;
    }

    /** A group of tasks that dies together, like the threads of one process. */
    public final class Scope implements Scheduler {
        private volatile boolean killed;

        @Override
        public Instant now() {
            return VirtualScheduler.this.now();
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable runnable) {
            synchronized (VirtualScheduler.this) {
                Duration d = delay.isNegative() ? Duration.ZERO : delay;
                Task t = new Task(now.plus(d), sequence++, runnable, this);
                queue.add(t);
                return () -> t.cancelled = true;
            }
        }

        /** Drops every task of this scope, now and later: the process is dead. */
        public void kill() {
            killed = true;
        }

        public boolean killed() {
            return killed;
        }
    }

    private static final class Task implements Comparable<Task> {
        final Instant at;
        final long seq;
        final Runnable runnable;
        final Scope scope;
        volatile boolean cancelled;

        Task(Instant at, long seq, Runnable runnable, Scope scope) {
            this.at = at;
            this.seq = seq;
            this.runnable = runnable;
            this.scope = scope;
        }

        @Override
        public int compareTo(Task o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
