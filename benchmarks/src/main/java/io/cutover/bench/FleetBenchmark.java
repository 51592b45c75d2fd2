package io.cutover.bench;

import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.PollPolicy;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fleets: N environments submitted at once to one engine in one account, under the account's shared rate
 * limits (the simulated cloud enforces them; the engine's {@code RateBudget} has the same figures), with Route
 * 53 INSYNC at each of the given times; every figure beside its {@link FleetBound}.
 */
final class FleetBenchmark {
    private FleetBenchmark() {}

    /**
     * @param pollMaxWait the longest the engine waits between two polls of an operation before its expected end
     *     (the engine's default is 5 minutes; longer, a stack whose database takes 15 minutes to restore is
     *     polled once instead of three times, as polling that learnt the durations would)
     */
    static List<Object> run(
            List<Integer> sizes, List<Integer> insyncSeconds, RateLimits model, Optional<Duration> pollMaxWait) {
        pollMaxWait.ifPresent(d -> System.out.println("  (polling: at most " + Measure.mmss(d)
                + " between polls before an operation's expected end, instead of the default 5:00)"));
        System.out.println();
        System.out.println(
                "== Fleets: N environments submitted at once to one engine, one account, shared rate limits ==");
        System.out.printf(
                "  %6s %6s %9s %9s %7s %6s %8s %9s %9s %8s %7s %6s%n",
                "N",
                "INSYNC",
                "switched",
                "bound",
                "ratio",
                "failed",
                "throttled",
                "route53",
                "cfn",
                "shared",
                "heap MB",
                "wall");
        List<Object> rows = new ArrayList<>();
        for (int insync : insyncSeconds) {
            Latencies l = withDnsSync(Latencies.ofDefaults(), Duration.ofSeconds(insync));
            for (int n : sizes) {
                rows.add(one(n, l, model, insync, pollMaxWait));
            }
        }
        System.out.println("  bound: phase-aware (FleetBound): max over milestones on the critical path and services of"
                + " (N x calls each cutover makes before it - burst) / rate + the path's remainder after it");
        return rows;
    }

    private static Map<String, Object> one(
            int n, Latencies l, RateLimits model, int insync, Optional<Duration> pollMaxWait) {
        System.gc();
        World w = new World(l, model, new Faults()).deploy(n);
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long heapBefore = mem.getHeapMemoryUsage().getUsed();
        long[] peak = {heapBefore};
        long wallStart = System.nanoTime();
        Engine.Builder b = w.engine(w.scheduler.scope(), w.hooks(false))
                .rateBudget(Benchmarks.budget(model))
                .batchDnsChanges();
        pollMaxWait.ifPresent(d -> {
            PollPolicy p = PollPolicy.ofDefaults();
            b.pollPolicy(new PollPolicy(
                    p.expected(), p.fallbackExpected(), d, p.lateFraction(), p.minInterval(), p.maxInterval()));
        });
        Engine engine = b.build();
        Instant t0 = w.scheduler.now();
        List<CutoverRun> runs = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<CompletableFuture<CutoverRun>> submitted = new ArrayList<>();
        for (World.App app : w.apps) {
            submitted.add(engine.submit(w.benchmarkPlan(app)).whenComplete((run, e) -> {
                if (e != null) {
                    refused.add(app.env.name() + ": " + e.getMessage());
                } else {
                    runs.add(run);
                }
            }));
        }
        AtomicInteger tick = new AtomicInteger();
        w.scheduler.runWhile(() -> {
            if ((tick.incrementAndGet() & 1023) == 0) {
                peak[0] = Math.max(peak[0], mem.getHeapMemoryUsage().getUsed());
            }
            if ((tick.get() & 63) != 0) {
                return true;
            }
            if (runs.size() + refused.size() < submitted.size()) {
                return true;
            }
            for (CutoverRun r : runs) {
                if (!Measure.doneOrSettled(r)) {
                    return true;
                }
            }
            return false;
        });
        long wallMs = (System.nanoTime() - wallStart) / 1_000_000;
        Instant last = t0;
        int failed = refused.size();
        for (CutoverRun r : runs) {
            if (Measure.switched(r)) {
                Instant at = Measure.switchedAt(r.state());
                last = at.isAfter(last) ? at : last;
            } else {
                failed++;
            }
        }
        Duration all = Duration.between(t0, last);
        FleetBound bound = FleetBound.of(w.benchmarkPlan(w.apps.get(0)), l, World.RECORD_TTL, model.buckets(), n);
        Map<String, Integer> calls = Measure.byBucket(w.cloud.calls());
        int throttled = Measure.total(w.cloud.rateLimits().throttled());
        double ratio = (double) all.toMillis() / bound.bound().toMillis();
        Map<String, Integer> shared = engine.sharedCalls();
        System.out.printf(
                "  %6d %5ds %9s %9s %6.3fx %6d %8d %9d %9d %8d %7d %5ds%n",
                n,
                insync,
                Measure.mmss(all),
                Measure.mmss(bound.bound()),
                ratio,
                failed,
                throttled,
                calls.getOrDefault("route53", 0),
                calls.getOrDefault("cloudformation", 0),
                shared.get("sharedReads"),
                (peak[0] - heapBefore) / (1024 * 1024),
                wallMs / 1000);
        System.out.println("         bound set by " + bound.by() + "; " + shared.get("dnsRequests")
                + " Route 53 change requests carried the fleet's changes");
        System.out.println("         last of all: " + phases(runs, t0));
        if (!refused.isEmpty()) {
            System.out.println("    refused at start, e.g. " + refused.get(0));
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("n", n);
        row.put("insyncSeconds", insync);
        row.put("pollMaxWaitSeconds", pollMaxWait.orElse(Duration.ofMinutes(5)).toSeconds());
        row.put("switchedSeconds", Measure.seconds(all));
        row.put("boundSeconds", Measure.seconds(bound.bound()));
        row.put("ratioToBound", ratio);
        row.put("boundSetBy", bound.by());
        row.put("boundTerms", bound.terms());
        row.put("failed", failed);
        row.put("throttled", throttled);
        row.put("callsByService", calls);
        row.put("callsByOperation", new java.util.TreeMap<>(w.cloud.calls()));
        row.put("sharedReads", shared.get("sharedReads"));
        row.put("route53ChangeRequests", shared.get("dnsRequests"));
        row.put("peakHeapGrowthBytes", peak[0] - heapBefore);
        row.put("wallMillis", wallMs);
        return row;
    }

    /** When the last cutover passed each phase, from t0: where a fleet's time goes. */
    private static String phases(List<CutoverRun> runs, Instant t0) {
        Map<String, Instant> last = new LinkedHashMap<>();
        for (CutoverRun r : runs) {
            var s = r.state();
            last.merge("admitted", s.createdAt(), (a, b) -> a.isAfter(b) ? a : b);
            for (String step : List.of("lower-ttl", "freeze", "clone", "verify", "switch-dns")) {
                var st = s.step(io.cutover.plan.StepId.of(step));
                st.startedAt().ifPresent(at -> last.merge(step + " started", at, (a, b) -> a.isAfter(b) ? a : b));
                st.endedAt().ifPresent(at -> last.merge(step + " ended", at, (a, b) -> a.isAfter(b) ? a : b));
            }
        }
        StringBuilder b = new StringBuilder();
        last.forEach((k, v) -> b.append(k)
                .append(' ')
                .append(Measure.mmss(Duration.between(t0, v)))
                .append(", "));
        return b.toString();
    }

    static Latencies withDnsSync(Latencies l, Duration dnsSync) {
        return new Latencies(
                l.databaseSnapshot(),
                l.volumeSnapshot(),
                l.databaseRestore(),
                l.databaseDelete(),
                l.stackCreate(),
                l.stackUpdate(),
                l.stackDelete(),
                l.changeSet(),
                dnsSync,
                l.volumeCreate(),
                l.healthCheck(),
                l.commandRun());
    }
}
