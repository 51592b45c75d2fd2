package io.cutover.bench;

import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.event.CutoverEvent;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.state.RunStatus;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one cutover costs the process as the fleet grows: N environments cut over at once by one engine in
 * virtual time, with the model's latencies and no rate limits (so every cutover is in flight at the same
 * time and none waits for another), to the end of its bake and decommission. CPU per step is this thread's
 * CPU time (engine, simulated cloud and in-memory store) over the steps that succeeded, and the whole process's
 * (the garbage collector's threads too, which the heap's churn costs); heap per cutover is
 * the heap still in use after a full collection half-way through, when every cutover is in flight, over N
 * (their states, the engine's bookkeeping and what they created in the simulated cloud).
 */
final class Scale {
    /** When all cutovers are in flight: after the snapshots, before the switch. */
    private static final Duration HEAP_SAMPLE_AT = Duration.ofMinutes(20);

    private final Latencies latencies;

    Scale(Latencies latencies) {
        this.latencies = latencies;
    }

    /** One fleet size's figures. */
    record Figure(
            int n,
            long steps,
            long completed,
            double cpuMicrosPerStep,
            double processCpuMicrosPerStep,
            long heapBytesPerCutover,
            long wallMillis) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", n);
            m.put("steps", steps);
            m.put("completed", completed);
            m.put("cpuMicrosPerStep", cpuMicrosPerStep);
            m.put("processCpuMicrosPerStep", processCpuMicrosPerStep);
            m.put("heapBytesPerCutover", heapBytesPerCutover);
            m.put("wallMillis", wallMillis);
            return m;
        }
    }

    List<Figure> measure(List<Integer> sizes) {
        // A fleet first, so that the first size measured does not pay for class loading and the JIT.
        run(Math.min(1000, sizes.get(0)));
        List<Figure> out = new ArrayList<>();
        for (int n : sizes) {
            out.add(run(n));
        }
        return out;
    }

    private Figure run(int n) {
        World w = new World(latencies, RateLimits.unlimited(), new Faults()).deploy(n);
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AtomicLong steps = new AtomicLong();
        Engine engine = w.engine(w.scheduler.scope(), w.hooks(false))
                .listener(e -> {
                    if (e instanceof CutoverEvent.StepSucceeded) {
                        steps.incrementAndGet();
                    }
                })
                .build();
        System.gc();
        long heapBefore = mem.getHeapMemoryUsage().getUsed();
        long wall0 = System.nanoTime();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long process0 = processCpu();
        Instant t0 = w.scheduler.now();
        List<CutoverRun> runs = new ArrayList<>(n);
        for (World.App app : w.apps) {
            runs.add(engine.start(w.upgrade(app).withoutRehearsal().build()));
        }
        w.scheduler.runUntil(t0.plus(HEAP_SAMPLE_AT));
        long cpuPaused = threads.getCurrentThreadCpuTime();
        long processPaused = processCpu();
        long wallPaused = System.nanoTime();
        System.gc();
        long heapInFlight = mem.getHeapMemoryUsage().getUsed() - heapBefore;
        long cpuResumed = threads.getCurrentThreadCpuTime();
        long processResumed = processCpu();
        long wallResumed = System.nanoTime();
        w.scheduler.runUntilIdle();
        long cpu = threads.getCurrentThreadCpuTime() - cpu0 - (cpuResumed - cpuPaused);
        long process = processCpu() - process0 - (processResumed - processPaused);
        long wall = System.nanoTime() - wall0 - (wallResumed - wallPaused);
        long completed =
                runs.stream().filter(r -> r.status() == RunStatus.COMPLETED).count();
        if (completed != n) {
            throw new IllegalStateException("only " + completed + " of " + n + " cutovers completed");
        }
        long s = Math.max(1, steps.get());
        return new Figure(
                n, steps.get(), completed, cpu / 1000.0 / s, process / 1000.0 / s, heapInFlight / n, wall / 1_000_000);
    }

    /** The whole process's CPU time (the garbage collector's and the JIT's threads too), in nanoseconds. */
    private static long processCpu() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : 0;
    }
}
