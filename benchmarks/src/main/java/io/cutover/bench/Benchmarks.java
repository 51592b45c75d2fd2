package io.cutover.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.PollPolicy;
import io.cutover.engine.SystemScheduler;
import io.cutover.event.CutoverEvent;
import io.cutover.plan.Plan;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark: one parallel upgrade by Cutover and by a naive SDK-waiter script, against the physical
 * limit of its plan; the same with each operation's duration drawn at random ({@link RandomLatency}, {@code --seeds}); fleets of 1, 10, 100 and 1,000 environments cut over at once in one account under
 * AWS's shared rate limits; and the engine's CPU time per step. Everything runs in virtual time on the
 * simulated cloud, so the figures are exact and the same on every run (except CPU time and heap).
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am -DskipTests package exec:java -Dexec.mainClass=io.cutover.bench.Benchmarks
 *     [-Dexec.args="--fleet 1,10,100,1000 --insync 45,60 --seeds 500 --scale 1000,10000 --only main,downtime,random,fleet,scale
 *     --out benchmarks/target/benchmarks.json --route53-2026"]
 * </pre>
 */
public final class Benchmarks {
    private final Latencies latencies = Latencies.ofDefaults();
    private final Map<String, Object> json = new LinkedHashMap<>();

    private Benchmarks() {}

    public static void main(String[] args) throws IOException {
        List<Integer> fleet = List.of(1, 10, 100, 1000);
        Path out = Path.of("benchmarks", "target", "benchmarks.json");
        boolean route53of2026 = false;
        int seeds = 500;
        List<Integer> scale = List.of(1000, 2000, 5000, 10000);
        java.util.Set<String> only = java.util.Set.of();
        List<Integer> insync = List.of(45, 60);
        java.util.Optional<Duration> pollMaxWait = java.util.Optional.empty();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fleet" ->
                    fleet = java.util.Arrays.stream(args[++i].split(","))
                            .map(Integer::parseInt)
                            .toList();
                case "--out" -> out = Path.of(args[++i]);
                case "--route53-2026" -> route53of2026 = true;
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--scale" ->
                    scale = java.util.Arrays.stream(args[++i].split(","))
                            .map(Integer::parseInt)
                            .toList();
                case "--only" -> only = java.util.Set.of(args[++i].split(","));
                case "--fleet-only" -> only = java.util.Set.of("fleet");
                case "--fleet-poll-max-wait" ->
                    pollMaxWait = java.util.Optional.of(Duration.ofMinutes(Long.parseLong(args[++i])));
                case "--insync" ->
                    insync = java.util.Arrays.stream(args[++i].split(","))
                            .map(Integer::parseInt)
                            .toList();
                default ->
                    throw new IllegalArgumentException("unknown argument " + args[i] + "; use --fleet 1,10,100,1000,"
                            + " --insync 45,60, --seeds 500, --scale 1000,10000, --only SECTIONS (main, downtime, random, fleet,"
                            + " scale; --fleet-only is --only fleet), --fleet-poll-max-wait MINUTES, --out FILE,"
                            + " --route53-2026");
            }
        }
        new Benchmarks().run(fleet, insync, pollMaxWait, scale, only, out, route53of2026, seeds);
    }

    private RateLimits limits(boolean route53of2026) {
        return route53of2026 ? RateLimits.ofAws2026() : RateLimits.ofAws();
    }

    private void run(
            List<Integer> fleetSizes,
            List<Integer> insync,
            java.util.Optional<Duration> pollMaxWait,
            List<Integer> scaleSizes,
            java.util.Set<String> only,
            Path out,
            boolean route53of2026,
            int seeds)
            throws IOException {
        if (only.isEmpty() || only.contains("main") || only.contains("fleet")) {
            printModel(route53of2026);
        }
        if (only.isEmpty() || only.contains("main")) {
            single(route53of2026);
        }
        if (only.isEmpty() || only.contains("main") || only.contains("downtime")) {
            downtime(route53of2026);
        }
        if (only.isEmpty() || only.contains("random")) {
            json.put("randomLatency", RandomLatency.measure(seeds));
        }
        if (only.isEmpty() || only.contains("fleet")) {
            json.put("fleet", FleetBenchmark.run(fleetSizes, insync, limits(route53of2026), pollMaxWait));
        }
        if (only.isEmpty() || only.contains("main")) {
            threads(fleetSizes.stream().mapToInt(Integer::intValue).max().orElse(1));
            overhead();
        }
        if (only.isEmpty() || only.contains("scale")) {
            scale(scaleSizes);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Map<String, Object> all = new LinkedHashMap<>();
        if (!only.isEmpty() && Files.exists(out)) {
            // Some sections only: the others' figures from an earlier run stay in the file.
            new ObjectMapper().readValue(out.toFile(), Map.class).forEach((k, v) -> all.put((String) k, v));
        }
        all.putAll(json);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), all);
        System.out.println();
        System.out.println("JSON written to " + out.toAbsolutePath());
    }

    private void printModel(boolean route53of2026) {
        System.out.println(
                "== The model (simulator Latencies and RateLimits, ApiService; sources in their Javadoc) ==");
        Latencies l = latencies;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("databaseSnapshot", l.databaseSnapshot());
        m.put("volumeSnapshot", l.volumeSnapshot());
        m.put("snapshotPerChangedGiB", l.volumeSnapshotPerChangedGiB());
        m.put("blueGreenSwitchover", l.blueGreenSwitchover());
        m.put("databaseRestore", l.databaseRestore());
        m.put("stackCreate", l.stackCreate());
        m.put("volumeCreate", l.volumeCreate());
        m.put("healthCheck", l.healthCheck());
        m.put("dnsSync", l.dnsSync());
        m.put("changeSet", l.changeSet());
        m.put("stackUpdate", l.stackUpdate());
        Map<String, Object> lj = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            System.out.printf("  latency %-17s %6s%n", k, Measure.mmss((Duration) v));
            lj.put(k + "Seconds", Measure.seconds((Duration) v));
        });
        Map<String, Object> rj = new LinkedHashMap<>();
        limits(route53of2026).buckets().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(io.cutover.spi.ApiService::id)))
                .forEach(e -> {
                    System.out.printf(
                            "  rate    %-17s burst %4.0f, %5.1f/s%n",
                            e.getKey().id(), e.getValue().burst(), e.getValue().perSecond());
                    rj.put(
                            e.getKey().id(),
                            Map.of(
                                    "burst",
                                    e.getValue().burst(),
                                    "perSecond",
                                    e.getValue().perSecond()));
                });
        json.put("latencies", lj);
        json.put("rateLimits", rj);
    }

    // ----------------------------------------------------------------------------------------- one cutover

    private void single(boolean route53of2026) {
        System.out.println();
        System.out.println("== One parallel upgrade (no rehearsal): Cutover vs. a naive SDK-waiter script ==");
        World w = new World(latencies, limits(route53of2026), new Faults()).deploy(1);
        World.App app = w.apps.get(0);
        Plan plan = w.benchmarkPlan(app);
        CriticalPath cp = CriticalPath.of(plan, Measure.SWITCH, latencies, World.RECORD_TTL);
        List<CutoverEvent> events = new ArrayList<>();
        Engine engine = w.engine(w.scheduler.scope(), w.hooks(true))
                .listener(events::add)
                .build();
        Map<String, Integer> before = w.cloud.calls();
        w.startWriting(app);
        CutoverRun run = engine.start(plan);
        w.scheduler.runWhile(() -> !Measure.doneOrSettled(run));
        RunState s = run.state();
        if (!Measure.switched(run)) {
            throw new IllegalStateException("the benchmark cutover did not switch: " + s.status() + " " + s.failure());
        }
        Duration total = Duration.between(s.createdAt(), Measure.switchedAt(s));
        Duration downtime = Duration.between(s.downtimeStartedAt().orElseThrow(), Measure.switchedAt(s));
        Map<String, Integer> calls = Measure.byBucket(Measure.minus(w.cloud.calls(), before));
        int retried = run.retriedCalls();
        int throttled = Measure.total(w.cloud.rateLimits().throttled());

        World nw = new World(latencies, limits(route53of2026), new Faults()).deploy(1);
        nw.startWriting(nw.apps.get(0));
        Map<String, Integer> nbefore = nw.cloud.calls();
        NaiveScript.Result naive = new NaiveScript(nw, nw.apps.get(0), 1).run();
        Map<String, Integer> ncalls = Measure.byBucket(Measure.minus(nw.cloud.calls(), nbefore));
        if (!naive.succeeded()) {
            throw new IllegalStateException("the naive script failed: " + naive.failure());
        }

        System.out.println("  critical path: " + String.join(" -> ", cp.path()));
        System.out.printf("  %-34s %12s %12s %12s%n", "", "limit/floor", "Cutover", "naive script");
        System.out.printf(
                "  %-34s %12s %12s %12s%n",
                "total, start to DNS INSYNC",
                Measure.mmss(cp.limit()),
                Measure.mmss(total),
                Measure.mmss(naive.total()));
        System.out.printf(
                "  %-34s %12s %11.3fx %11.3fx%n",
                "  ratio to the limit (target <=1.02)",
                "1.000x",
                ratio(total, cp.limit()),
                ratio(naive.total(), cp.limit()));
        System.out.printf(
                "  %-34s %12s %12s %12s%n",
                "downtime, freeze to DNS INSYNC",
                Measure.mmss(cp.downtimeFloor()),
                Measure.mmss(downtime),
                Measure.mmss(naive.downtime()));
        System.out.printf(
                "  %-34s %12s %11.3fx %11.3fx%n",
                "  ratio to the floor (target <=1.05)",
                "1.000x",
                ratio(downtime, cp.downtimeFloor()),
                ratio(naive.downtime(), cp.downtimeFloor()));
        java.util.TreeSet<String> buckets = new java.util.TreeSet<>(calls.keySet());
        buckets.addAll(ncalls.keySet());
        for (String b : buckets) {
            System.out.printf(
                    "  %-34s %12s %12d %12d%n",
                    "API calls " + b, "", calls.getOrDefault(b, 0), ncalls.getOrDefault(b, 0));
        }
        int awsCalls = Measure.total(calls) - calls.getOrDefault("http", 0);
        int naiveAws = Measure.total(ncalls) - ncalls.getOrDefault("http", 0);
        System.out.printf("  %-34s %12s %12d %12d%n", "API calls to AWS, all services", "", awsCalls, naiveAws);
        System.out.printf("  %-34s %12s %12d %12d%n", "throttling errors met", "", throttled, naive.throttled());
        System.out.printf(
                "  %-34s %12s %12d %12d%n",
                "throttling errors surfaced", "", s.status() == RunStatus.FAILED ? 1 : 0, naive.surfaced());
        System.out.printf(
                "  (Cutover repeated %d calls; its run includes the preflight's read-only checks)%n", retried);

        Map<String, Object> j = new LinkedHashMap<>();
        j.put("criticalPath", cp.path());
        j.put("limitSeconds", Measure.seconds(cp.limit()));
        j.put("downtimeFloorSeconds", Measure.seconds(cp.downtimeFloor()));
        j.put(
                "cutover",
                Map.of(
                        "totalSeconds",
                        Measure.seconds(total),
                        "ratioToLimit",
                        ratio(total, cp.limit()),
                        "downtimeSeconds",
                        Measure.seconds(downtime),
                        "ratioToFloor",
                        ratio(downtime, cp.downtimeFloor()),
                        "callsByService",
                        calls,
                        "awsCalls",
                        awsCalls,
                        "throttled",
                        throttled,
                        "retried",
                        retried));
        j.put(
                "naive",
                Map.of(
                        "totalSeconds",
                        Measure.seconds(naive.total()),
                        "ratioToLimit",
                        ratio(naive.total(), cp.limit()),
                        "downtimeSeconds",
                        Measure.seconds(naive.downtime()),
                        "ratioToFloor",
                        ratio(naive.downtime(), cp.downtimeFloor()),
                        "callsByService",
                        ncalls,
                        "awsCalls",
                        naiveAws,
                        "throttled",
                        naive.throttled(),
                        "surfaced",
                        naive.surfaced()));
        json.put("single", j);
    }

    /** The demo plan's downtime in each mode, under {@code "downtime"}. */
    private void downtime(boolean route53of2026) {
        System.out.println();
        System.out.println("== Downtime of the demo plan (with a rehearsal), writes frozen to traffic on green ==");
        System.out.printf("  %-52s %8s %9s %8s%n", "mode", "floor", "measured", "ratio");
        List<Map<String, Object>> list = new ArrayList<>();
        for (DowntimeModes.Figure f : DowntimeModes.measure(latencies, () -> limits(route53of2026))) {
            System.out.printf(
                    "  %-52s %8s %9s %7.3fx%n",
                    f.mode(), Measure.mmss(f.floor()), Measure.mmss(f.downtime()), ratio(f.downtime(), f.floor()));
            list.add(f.json());
        }
        json.put("downtime", list);
    }

    private static double ratio(Duration a, Duration b) {
        return b.isZero() ? 0 : (double) a.toMillis() / b.toMillis();
    }

    // ----------------------------------------------------------------------------------------- fleets

    /** The engine's rate budget with the model's figures (what a user configures from AWS's published limits). */
    static io.cutover.engine.RateBudget budget(RateLimits model) {
        return io.cutover.engine.RateBudget.of(model.buckets());
    }

    // ----------------------------------------------------------------------------------------- threads

    /**
     * The same fleet on the wall clock and the engine's real thread pool ({@link SystemScheduler#ofDefaults}),
     * zero latencies and no rate limits, so that it ends in seconds: how many threads a big fleet needs.
     */
    private void threads(int n) {
        System.out.println();
        System.out.println("== Threads: " + n
                + " cutovers at once on SystemScheduler (wall clock, default pool), zero latencies ==");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int before = threads.getThreadCount();
        threads.resetPeakThreadCount();
        try (SystemScheduler sys = SystemScheduler.ofDefaults()) {
            World w = new World(sys, Latencies.zero(), RateLimits.unlimited()).deploy(n);
            // Nothing takes time on this cloud, so the engine expects nothing to: it polls again at once.
            PollPolicy instant = new PollPolicy(
                    Map.of(), Duration.ZERO, Duration.ZERO, 0, Duration.ofMillis(10), Duration.ofMillis(10));
            Engine engine = w.engine(sys, w.hooks(false)).pollPolicy(instant).build();
            long start = System.nanoTime();
            List<CutoverRun> runs = new ArrayList<>();
            for (World.App app : w.apps) {
                // The record's TTL is already 300 s: no run waits five real minutes to lower it.
                runs.add(engine.start(
                        w.upgrade(app).withoutRehearsal().lowerTtlTo(300).build()));
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            int done = 0;
            for (CutoverRun r : runs) {
                while (!Measure.doneOrSettled(r) && System.nanoTime() < deadline) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                done += Measure.switched(r) ? 1 : 0;
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            int peak = threads.getPeakThreadCount();
            System.out.printf(
                    "  %d of %d switched in %d ms of wall time; JVM threads before %d, peak %d (engine pool: 8)%n",
                    done, n, ms, before, peak);
            json.put(
                    "threads",
                    Map.of(
                            "environments",
                            n,
                            "switched",
                            done,
                            "wallMillis",
                            ms,
                            "threadsBefore",
                            before,
                            "peakThreads",
                            peak));
        }
    }

    // ----------------------------------------------------------------------------------------- overhead

    /**
     * The engine's CPU time per step: cutovers to the end (bake of a minute) on a cloud with zero latencies
     * and no rate limits, in virtual time on this thread, so the CPU time is the engine's plus the simulated
     * cloud's and the in-memory store's (an upper bound on the engine's own).
     */
    private void overhead() {
        System.out.println();
        int n = 200;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] best = {Long.MAX_VALUE, 0, 0};
        for (int round = 0; round < 3; round++) {
            World w = new World(Latencies.zero(), RateLimits.unlimited(), new Faults()).deploy(n);
            AtomicInteger steps = new AtomicInteger();
            Engine engine = w.engine(w.scheduler.scope(), w.hooks(false))
                    .listener(e -> {
                        if (e instanceof CutoverEvent.StepSucceeded) {
                            steps.incrementAndGet();
                        }
                    })
                    .build();
            long cpu0 = threads.getCurrentThreadCpuTime();
            List<CutoverRun> runs = new ArrayList<>();
            for (World.App app : w.apps) {
                runs.add(engine.start(w.upgrade(app)
                        .withoutRehearsal()
                        .bake(Duration.ofMinutes(1))
                        .build()));
            }
            w.scheduler.runUntilIdle();
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            long completed =
                    runs.stream().filter(r -> r.status() == RunStatus.COMPLETED).count();
            if (cpu < best[0]) {
                best[0] = cpu;
                best[1] = steps.get();
                best[2] = completed;
            }
        }
        double perStep = best[0] / 1000.0 / Math.max(1, best[1]);
        System.out.printf(
                "== Engine overhead: %d cutovers (%d completed), %d steps, zero latencies: %.0f us CPU per step "
                        + "(best of 3; engine + simulated cloud + in-memory store) ==%n",
                n, best[2], best[1], perStep);
        json.put(
                "overhead", Map.of("cutovers", n, "completed", best[2], "steps", best[1], "cpuMicrosPerStep", perStep));
    }

    // ----------------------------------------------------------------------------------------- scale

    /** CPU per step and heap per cutover as the fleet grows, under {@code "scale"}: flat means linear cost. */
    private void scale(List<Integer> sizes) {
        System.out.println();
        System.out.println("== Scale: N cutovers in flight at once, one engine, virtual time, model latencies, no rate"
                + " limits ==");
        System.out.printf(
                "  %7s %9s %14s %10s %16s %8s %11s%n",
                "N", "steps", "CPU per step", "(process)", "heap per cutover", "wall", "vs first N");
        List<Scale.Figure> figures = new Scale(latencies).measure(sizes);
        List<Object> rows = new ArrayList<>();
        for (Scale.Figure f : figures) {
            System.out.printf(
                    "  %7d %9d %11.0f us %7.0f us %13d KB %7ds %10.2fx%n",
                    f.n(),
                    f.steps(),
                    f.cpuMicrosPerStep(),
                    f.processCpuMicrosPerStep(),
                    f.heapBytesPerCutover() / 1024,
                    f.wallMillis() / 1000,
                    f.cpuMicrosPerStep() / figures.get(0).cpuMicrosPerStep());
            rows.add(f.json());
        }
        System.out.println("  CPU: the engine thread's (engine + simulated cloud + in-memory store) over the steps that"
                + " succeeded, and the process's (GC and JIT threads too); heap: in use after a full GC with every"
                + " cutover in flight, over N; vs first N: CPU per step over the first size's");
        json.put("scale", rows);
    }
}
