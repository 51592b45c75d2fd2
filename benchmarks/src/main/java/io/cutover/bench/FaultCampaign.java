package io.cutover.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The fault campaign: seeded simulations of whole cutovers with random faults (throttling storms,
 * transient errors, failing operations, a stack that rolls back, an unhealthy green, a snapshot that never
 * completes or fails, slow DNS) and the engine's process killed at a random moment, then resumed by a new
 * engine from the stored state; after every run, the invariants are checked.
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am -DskipTests package exec:java -Dexec.mainClass=io.cutover.bench.FaultCampaign \
 *     -Dexec.args="--seeds 10000"          # seeds 1..10000; --from N to start elsewhere; --threads T
 *     -Dexec.args="--seed 1234"            # replay one seed, printing its faults and every event
 * </pre>
 *
 * Exits with status 1 when any invariant was violated, printing each violating seed and its replay command.
 */
public final class FaultCampaign {
    static final String REPLAY = "./mvnw -q -pl benchmarks -am -DskipTests package exec:java "
            + "-Dexec.mainClass=io.cutover.bench.FaultCampaign -Dexec.args=\"--seed %d\"";

    private FaultCampaign() {}

    /** What a campaign found, over all its seeds. */
    record Summary(
            int runs,
            int faultsInjected,
            int injectedCallFaults,
            int crashes,
            int resumes,
            Map<String, Integer> outcomes,
            Map<String, Integer> faultKinds,
            List<CampaignRun.Result> violating,
            Map<String, List<Long>> examples,
            Map<String, Integer> coverage) {}

    /** The paths a campaign must exercise in at least {@link #MIN_SHARE} of its seeds. */
    static final List<String> REQUIRED_PATHS =
            List.of("rolled back after the switch", "decommission failed", "a second process took over");

    static final double MIN_SHARE = 0.05;

    public static void main(String[] args) {
        long from = 1;
        int seeds = 1000;
        Long replay = null;
        int threads = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--from" -> from = Long.parseLong(args[++i]);
                case "--seed" -> replay = Long.parseLong(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default ->
                    throw new IllegalArgumentException("unknown argument " + args[i]
                            + "; use --seeds N [--from S] [--threads T], or --seed S to replay one");
            }
        }
        if (replay != null) {
            CampaignRun.Result r = new CampaignRun(replay, System.out::println).run();
            System.out.println("seed " + replay + ": " + r.outcome() + ", " + r.crashes() + " crash(es), " + r.resumes()
                    + " resume(s), " + r.violations().size() + " violation(s)");
            System.exit(r.violations().isEmpty() ? 0 : 1);
            return;
        }
        long started = System.nanoTime();
        Summary s = run(from, seeds, threads);
        print(s, (System.nanoTime() - started) / 1_000_000, from);
        System.exit(s.violating().isEmpty() ? 0 : 1);
    }

    static Summary run(long from, int seeds, Consumer<String> trace) {
        List<CampaignRun.Result> results = new ArrayList<>();
        for (long seed = from; seed < from + seeds; seed++) {
            results.add(new CampaignRun(seed, trace).run());
        }
        return summarize(results);
    }

    /** The same seeds on {@code threads} threads (each seed is a world of its own); the same summary. */
    static Summary run(long from, int seeds, int threads) {
        if (threads <= 1) {
            return run(from, seeds, x -> {});
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<CampaignRun.Result>> futures = new ArrayList<>();
            for (long seed = from; seed < from + seeds; seed++) {
                long s = seed;
                futures.add(pool.submit(() -> new CampaignRun(s, x -> {}).run()));
            }
            List<CampaignRun.Result> results = new ArrayList<>();
            for (java.util.concurrent.Future<CampaignRun.Result> f : futures) {
                results.add(f.get());
            }
            return summarize(results);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a seed's run threw", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Summary summarize(List<CampaignRun.Result> results) {
        int seeds = results.size();
        int faults = 0;
        int injected = 0;
        int crashes = 0;
        int resumes = 0;
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<String, List<Long>> examples = new TreeMap<>();
        Map<String, Integer> kinds = new TreeMap<>();
        Map<String, Integer> coverage = new TreeMap<>();
        List<CampaignRun.Result> violating = new ArrayList<>();
        for (CampaignRun.Result r : results) {
            long seed = r.seed();
            for (String f : r.faults()) {
                if (!f.startsWith("plan:")) {
                    faults++;
                    String kind = f.replaceAll("[:+].*", "")
                            .replaceAll(" at step boundary.*", " at a step boundary")
                            .replaceAll(" at$| [0-9]+%$", "")
                            .trim();
                    kinds.merge(kind, 1, Integer::sum);
                }
            }
            injected += r.injected();
            r.paths().forEach(p -> coverage.merge(p, 1, Integer::sum));
            crashes += r.crashes();
            resumes += r.resumes();
            outcomes.merge(r.outcome(), 1, Integer::sum);
            List<Long> ex = examples.computeIfAbsent(r.outcome(), k -> new ArrayList<>());
            if (ex.size() < 3) {
                ex.add(seed);
            }
            if (!r.violations().isEmpty()) {
                violating.add(r);
            }
        }
        return new Summary(seeds, faults, injected, crashes, resumes, outcomes, kinds, violating, examples, coverage);
    }

    static void print(Summary s, long millis, long from) {
        System.out.printf(
                "Fault campaign: seeds %d..%d, %d runs in %.1f s%n",
                from, from + s.runs() - 1, s.runs(), millis / 1000.0);
        System.out.printf(
                "  faults planned: %d (%d failed calls injected by the cloud); crashes: %d; resumes: %d%n",
                s.faultsInjected(), s.injectedCallFaults(), s.crashes(), s.resumes());
        s.faultKinds().forEach((k, n) -> System.out.printf("    %-55s %6d%n", k, n));
        System.out.println("  outcomes:");
        s.outcomes()
                .forEach((k, n) -> System.out.printf(
                        "    %-55s %6d   e.g. seeds %s%n", k, n, s.examples().getOrDefault(k, List.of())));
        System.out.println("  coverage (seeds that exercised each path):");
        for (String p : REQUIRED_PATHS) {
            s.coverage().putIfAbsent(p, 0);
        }
        s.coverage()
                .forEach((k, n) -> System.out.printf(
                        "    %-55s %6d  %5.1f%%%s%n",
                        k,
                        n,
                        100.0 * n / s.runs(),
                        REQUIRED_PATHS.contains(k) && n < MIN_SHARE * s.runs() ? "  (below 5%)" : ""));
        System.out.println("  invariant violations: " + s.violating().size());
        for (CampaignRun.Result r : s.violating()) {
            r.violations().forEach(v -> System.out.println("    seed " + r.seed() + ": " + v));
            System.out.println("      faults: " + r.faults());
            System.out.println("      replay: " + String.format(REPLAY, r.seed()));
        }
    }
}
