package io.cutover.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cutover.engine.CutoverRun;
import io.cutover.engine.DurationEstimates;
import io.cutover.engine.Engine;
import io.cutover.engine.PollPolicy;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.OperationTimes;
import io.cutover.simulator.RateLimits;
import io.cutover.state.RunState;
import io.cutover.state.StepState;
import io.cutover.step.Operations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The benchmark when nobody knows the durations: per seed, every operation of the simulated cloud takes its own
 * time drawn from a spread around the latency model's figure ({@link Latencies#ofDefaults()}), and the same
 * parallel upgrade (no rehearsal) runs three times on the same draws: Cutover on its defaults
 * ({@link PollPolicy#ofDefaults()}, a fresh engine that has learnt nothing), the naive SDK-waiter script
 * ({@link NaiveScript}) and an oracle engine told each operation's true duration. Each run is measured against
 * its own limit and downtime floor: the plan's critical path with that run's durations ({@link CriticalPath}).
 *
 * <p>The distributions. Each duration is the model's figure times {@code exp(sigma * Z)}, Z standard normal, so
 * the model's figure is the median; {@code sigma} splits into a part drawn once per run and kind (the same
 * database, so its rehearsal snapshot and its final one are alike, as they are on AWS) and a part drawn per
 * operation ({@code 70%} and {@code 30%} of the variance):
 *
 * <table>
 *   <caption>per kind: median (the model), sigma, p90 / median</caption>
 *   <tr><td>databaseSnapshot, databaseRestore</td><td>5 min, 15 min</td><td>0.72</td><td>2.5x</td></tr>
 *   <tr><td>databaseDelete</td><td>5 min</td><td>0.5</td><td>1.9x</td></tr>
 *   <tr><td>volumeSnapshot</td><td>3 min</td><td>0.6</td><td>2.2x</td></tr>
 *   <tr><td>stackCreate, stackUpdate, stackDelete, volumeCreate, changeSet</td><td>the model's</td><td>0.4</td>
 *       <td>1.7x</td></tr>
 *   <tr><td>healthCheck, commandRun</td><td>2 min, 10 s</td><td>0.3</td><td>1.5x</td></tr>
 *   <tr><td>dnsSync (Route 53 INSYNC)</td><td>45 s</td><td>0.3, drawn per change, kept within 30 to 90 s</td>
 *       <td>1.5x</td></tr>
 * </table>
 *
 * Sources: the medians are the latency model's (its Javadoc cites the AWS user guides); RDS's spread, p90 about
 * 2.5 times the median, is the commonly reported one for small instances (snapshots and restores grow with
 * storage and activity, AWS gives no bound); Route 53 documents changes INSYNC "generally within 60 seconds", seen
 * from 30 to 90 s. The spreads are assumptions stated here, not measurements.
 *
 * <pre>
 * ./mvnw -q -o -pl benchmarks -am -DskipTests package exec:java -Dexec.mainClass=io.cutover.bench.RandomLatency \
 *     -Dexec.args="--seeds 500"
 * </pre>
 */
public final class RandomLatency {
    private static final Latencies MODEL = Latencies.ofDefaults();
    private static final String[] CONTENDERS = {"cutover", "naive", "oracle"};

    /** The spread (sigma of the natural logarithm) of each {@link Latencies} component; see the class comment. */
    static final Map<String, Double> SIGMA = Map.ofEntries(
            Map.entry("databaseSnapshot", 0.72),
            Map.entry("databaseRestore", 0.72),
            Map.entry("databaseDelete", 0.5),
            Map.entry("volumeSnapshot", 0.6),
            Map.entry("stackCreate", 0.4),
            Map.entry("stackUpdate", 0.4),
            Map.entry("stackDelete", 0.4),
            Map.entry("changeSet", 0.4),
            Map.entry("volumeCreate", 0.4),
            Map.entry("healthCheck", 0.3),
            Map.entry("commandRun", 0.3),
            Map.entry("dnsSync", 0.3));

    private static final double RUN_SHARE = 0.7;
    private static final Duration DNS_LEAST = Duration.ofSeconds(30);
    private static final Duration DNS_MOST = Duration.ofSeconds(90);

    private RandomLatency() {}

    public static void main(String[] args) throws IOException {
        int seeds = 500;
        Path out = Path.of("benchmarks", "target", "benchmarks.json");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--trace" -> {
                    trace(Long.parseLong(args[++i]));
                    return;
                }
                default ->
                    throw new IllegalArgumentException("unknown argument " + args[i] + "; use --seeds N, --out FILE");
            }
        }
        Map<String, Object> figures = measure(seeds);
        // Run alone, it adds its figures to the file the whole benchmark writes, keeping the others.
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Object> json = new LinkedHashMap<>();
        if (Files.exists(out)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> old = mapper.readValue(out.toFile(), LinkedHashMap.class);
            json.putAll(old);
        }
        json.put("randomLatency", figures);
        Files.createDirectories(out.toAbsolutePath().getParent());
        mapper.writeValue(out.toFile(), json);
        System.out.println("JSON written to " + out.toAbsolutePath());
    }

    // ------------------------------------------------------------------------------------------- the draws

    /** One seed's durations: the {@code k}-th operation of a kind takes the same time in every contender's world. */
    static final class Draws {
        private final long seed;

        Draws(long seed) {
            this.seed = seed;
        }

        Duration draw(String latency, int k, Duration modelled) {
            double sigma = SIGMA.getOrDefault(latency, 0.0);
            if (sigma == 0 || modelled.isZero()) {
                return modelled;
            }
            if (latency.equals("dnsSync")) {
                // drawn per change, within the range Route 53 is seen to take
                Random r = new Random(mix(seed, latency, k));
                for (; ; ) {
                    Duration d = scaled(modelled, Math.exp(sigma * r.nextGaussian()));
                    if (d.compareTo(DNS_LEAST) >= 0 && d.compareTo(DNS_MOST) <= 0) {
                        return d;
                    }
                }
            }
            double run = new Random(mix(seed, latency, -1)).nextGaussian() * sigma * Math.sqrt(RUN_SHARE);
            double own = new Random(mix(seed, latency, k)).nextGaussian() * sigma * Math.sqrt(1 - RUN_SHARE);
            return scaled(modelled, Math.exp(run + own));
        }

        /** The model with each component's first draw: the durations of a run where each kind occurs once. */
        Latencies first() {
            return latencies(0);
        }

        /** The model with each component's {@code k}-th draw. */
        Latencies latencies(int k) {
            return new Latencies(
                    draw("databaseSnapshot", k, MODEL.databaseSnapshot()),
                    draw("volumeSnapshot", k, MODEL.volumeSnapshot()),
                    draw("databaseRestore", k, MODEL.databaseRestore()),
                    draw("databaseDelete", k, MODEL.databaseDelete()),
                    draw("stackCreate", k, MODEL.stackCreate()),
                    draw("stackUpdate", k, MODEL.stackUpdate()),
                    draw("stackDelete", k, MODEL.stackDelete()),
                    draw("changeSet", k, MODEL.changeSet()),
                    draw("dnsSync", k, MODEL.dnsSync()),
                    draw("volumeCreate", k, MODEL.volumeCreate()),
                    draw("healthCheck", k, MODEL.healthCheck()),
                    draw("commandRun", k, MODEL.commandRun()));
        }

        private static long mix(long seed, String latency, int k) {
            long h = seed * 0x9E3779B97F4A7C15L + latency.hashCode() * 0xBF58476D1CE4E5B9L + k * 0x94D049BB133111EBL;
            return h ^ (h >>> 31);
        }

        private static Duration scaled(Duration d, double factor) {
            return Duration.ofMillis(Math.max(1, Math.round(d.toMillis() * factor)));
        }
    }

    /** One world's operations, in order: the {@code k}-th of each kind gets the seed's {@code k}-th draw. */
    static final class Sequence implements OperationTimes {
        private final Draws draws;
        private final Map<String, List<Duration>> drawn = new HashMap<>();

        Sequence(Draws draws) {
            this.draws = draws;
        }

        @Override
        public synchronized Duration took(String latency, Duration modelled) {
            List<Duration> seen = drawn.computeIfAbsent(latency, k -> new ArrayList<>());
            Duration d = draws.draw(latency, seen.size(), modelled);
            seen.add(d);
            return d;
        }

        synchronized Optional<Duration> latest(String latency) {
            List<Duration> seen = drawn.getOrDefault(latency, List.of());
            return seen.isEmpty() ? Optional.empty() : Optional.of(seen.get(seen.size() - 1));
        }
    }

    /**
     * The oracle's knowledge: for each operation the engine waits on, the duration the cloud drew for the latest
     * one of its kind (in this plan no two of a kind overlap). A stack's create takes its slowest resource.
     */
    static final class Oracle implements DurationEstimates {
        private final Sequence seq;

        Oracle(Sequence seq) {
            this.seq = seq;
        }

        @Override
        public Optional<Estimate> estimate(String operation) {
            Optional<Duration> d = switch (operation) {
                case Operations.DATABASE_SNAPSHOT -> seq.latest("databaseSnapshot");
                case Operations.VOLUME_SNAPSHOT -> seq.latest("volumeSnapshot");
                case Operations.DATABASE_RESTORE -> seq.latest("databaseRestore");
                case Operations.DATABASE_DELETE -> seq.latest("databaseDelete");
                case Operations.STACK_CREATE ->
                    seq.latest("stackCreate")
                            .map(c -> longest(c, seq.latest("databaseRestore"), seq.latest("volumeCreate")));
                case Operations.STACK_UPDATE -> seq.latest("stackUpdate");
                case Operations.STACK_DELETE -> seq.latest("stackDelete");
                case Operations.CHANGE_SET -> seq.latest("changeSet");
                case Operations.DNS_SYNC -> seq.latest("dnsSync");
                default -> Optional.empty();
            };
            return d.map(x -> new Estimate(x, 0.0001, 1_000_000));
        }

        private static Duration longest(Duration a, Optional<Duration> b, Optional<Duration> c) {
            Duration m = a;
            for (Optional<Duration> o : List.of(b, c)) {
                if (o.isPresent() && o.get().compareTo(m) > 0) {
                    m = o.get();
                }
            }
            return m;
        }

        @Override
        public void observed(String operation, Duration took) {}
    }

    // ------------------------------------------------------------------------------------------- one seed

    /** One contender's run: whether users reached green, its times, its calls by service, whether its limit ended it. */
    record Outcome(
            boolean switched,
            Duration total,
            Duration downtime,
            Map<String, Integer> calls,
            boolean ownTimeout,
            Map<String, Integer> byOperation) {
        int awsCalls() {
            return calls.entrySet().stream()
                    .filter(e -> !e.getKey().equals("http"))
                    .mapToInt(Map.Entry::getValue)
                    .sum();
        }
    }

    /** One seed's runs step by step, against its critical path: where each contender's time went. */
    private static void trace(long seed) {
        Draws draws = new Draws(seed);
        CriticalPath cp = limit(draws);
        System.out.println("seed " + seed + ": limit " + Measure.mmss(cp.limit()) + ", floor "
                + Measure.mmss(cp.downtimeFloor()) + ", path " + cp.path());
        for (boolean oracle : new boolean[] {false, true}) {
            traced = new ArrayList<>();
            Outcome o = engine(draws, oracle);
            System.out.println((oracle ? "oracle" : "cutover") + ": total " + Measure.mmss(o.total()) + " downtime "
                    + Measure.mmss(o.downtime()) + " calls " + o.calls());
            traced.forEach(l -> System.out.println("  " + l));
        }
        traced = null;
    }

    private static List<String> traced;

    static Outcome engine(Draws draws, boolean oracle) {
        World w = new World(MODEL, RateLimits.ofAws(), new Faults()).deploy(1);
        Sequence seq = new Sequence(draws);
        w.cloud.operationTimes(seq);
        World.App app = w.apps.get(0);
        Engine.Builder b = w.engine(w.scheduler.scope(), w.hooks(true)).pollPolicy(PollPolicy.ofDefaults());
        if (oracle) {
            b.durationEstimates(new Oracle(seq));
        }
        Engine engine = b.build();
        Map<String, Integer> before = w.cloud.calls();
        w.startWriting(app);
        CutoverRun run = engine.start(w.benchmarkPlan(app));
        w.scheduler.runWhile(() -> !Measure.doneOrSettled(run));
        RunState s = run.state();
        if (traced != null) {
            traced.add("calls by operation: " + Measure.minus(w.cloud.calls(), before));
            s.plan().steps().forEach(step -> {
                StepState st = s.step(step.id());
                traced.add(String.format(
                        "%-22s %8s %8s %s",
                        step.id(),
                        st.startedAt()
                                .map(t -> Measure.mmss(Duration.between(s.createdAt(), t)))
                                .orElse("-"),
                        st.endedAt()
                                .map(t -> Measure.mmss(Duration.between(s.createdAt(), t)))
                                .orElse("-"),
                        st.status()));
            });
        }
        Map<String, Integer> ops = Measure.minus(w.cloud.calls(), before);
        Map<String, Integer> calls = Measure.byBucket(ops);
        boolean timedOut = s.steps().values().stream()
                .map(StepState::errorType)
                .anyMatch(t -> t.isPresent() && t.get() == io.cutover.FailureType.TIMED_OUT);
        if (!Measure.switched(run)) {
            return new Outcome(false, Duration.ZERO, Duration.ZERO, calls, timedOut, ops);
        }
        return new Outcome(
                true,
                Duration.between(s.createdAt(), Measure.switchedAt(s)),
                Duration.between(s.downtimeStartedAt().orElseThrow(), Measure.switchedAt(s)),
                calls,
                timedOut,
                ops);
    }

    static Outcome naive(Draws draws, long seed) {
        World w = new World(MODEL, RateLimits.ofAws(), new Faults()).deploy(1);
        w.cloud.operationTimes(new Sequence(draws));
        w.startWriting(w.apps.get(0));
        Map<String, Integer> before = w.cloud.calls();
        NaiveScript.Result r = new NaiveScript(w, w.apps.get(0), seed).run();
        Map<String, Integer> ops = Measure.minus(w.cloud.calls(), before);
        Map<String, Integer> calls = Measure.byBucket(ops);
        boolean gaveUp = !r.succeeded() && r.failure() != null && r.failure().contains("gave up");
        return r.succeeded()
                ? new Outcome(true, r.total(), r.downtime(), calls, false, ops)
                : new Outcome(false, Duration.ZERO, Duration.ZERO, calls, gaveUp, ops);
    }

    /**
     * The run's limit and floor: the plan's critical path with this seed's durations, the switch's DNS change
     * taking the second draw of its kind (the TTL's change took the first).
     */
    static CriticalPath limit(Draws draws) {
        World w = new World(MODEL, RateLimits.ofAws(), new Faults()).deploy(1);
        Plan plan = w.benchmarkPlan(w.apps.get(0));
        Latencies first = draws.first();
        Latencies second = draws.latencies(1);
        Latencies atSwitch = new Latencies(
                first.databaseSnapshot(),
                first.volumeSnapshot(),
                first.databaseRestore(),
                first.databaseDelete(),
                first.stackCreate(),
                first.stackUpdate(),
                first.stackDelete(),
                first.changeSet(),
                second.dnsSync(),
                first.volumeCreate(),
                first.healthCheck(),
                first.commandRun());
        return CriticalPath.of(
                plan,
                Measure.SWITCH,
                (StepSpec step) -> step.id().equals(Measure.SWITCH) ? atSwitch : first,
                World.RECORD_TTL);
    }

    // ------------------------------------------------------------------------------------------- all seeds

    static Map<String, Object> measure(int seeds) {
        System.out.println();
        System.out.println("== Random latencies: " + seeds
                + " seeds, each operation's duration drawn (RandomLatency's Javadoc), the same draws for all three ==");
        Map<String, List<Double>> total = new HashMap<>();
        Map<String, List<Double>> down = new HashMap<>();
        Map<String, List<Integer>> calls = new HashMap<>();
        Map<String, Map<String, List<Integer>>> byService = new HashMap<>();
        Map<String, Map<String, List<Integer>>> route53 = new HashMap<>();
        Map<String, Integer> ownTimeout = new HashMap<>();
        Map<String, Integer> failed = new HashMap<>();
        for (String c : CONTENDERS) {
            total.put(c, new ArrayList<>());
            down.put(c, new ArrayList<>());
            calls.put(c, new ArrayList<>());
            byService.put(c, new TreeMap<>());
            route53.put(c, new TreeMap<>());
        }
        long wall = System.nanoTime();
        for (int seed = 1; seed <= seeds; seed++) {
            Draws draws = new Draws(seed);
            CriticalPath cp = limit(draws);
            Map<String, Outcome> runs = new LinkedHashMap<>();
            runs.put("cutover", engine(draws, false));
            runs.put("naive", naive(draws, seed));
            runs.put("oracle", engine(draws, true));
            for (var e : runs.entrySet()) {
                String c = e.getKey();
                Outcome o = e.getValue();
                if (o.switched()) {
                    total.get(c).add(ratio(o.total(), cp.limit()));
                    down.get(c).add(ratio(o.downtime(), cp.downtimeFloor()));
                } else {
                    failed.merge(c, 1, Integer::sum);
                }
                if (o.ownTimeout()) {
                    ownTimeout.merge(c, 1, Integer::sum);
                }
                calls.get(c).add(o.awsCalls());
                o.byOperation().forEach((op, n) -> {
                    if (Measure.bucket(op).equals("route53")) {
                        route53.get(c)
                                .computeIfAbsent(op, k -> new ArrayList<>())
                                .add(n);
                    }
                });
                o.calls().forEach((svc, n) -> {
                    if (!svc.equals("http")) {
                        byService
                                .get(c)
                                .computeIfAbsent(svc, k -> new ArrayList<>())
                                .add(n);
                    }
                });
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seeds", seeds);
        Map<String, Integer> notGreen = new LinkedHashMap<>();
        TreeSet<String> services = new TreeSet<>();
        byService.values().forEach(m -> services.addAll(m.keySet()));
        for (String c : CONTENDERS) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("totalRatioMedian", round(quantile(total.get(c), 0.5)));
            j.put("totalRatioP90", round(quantile(total.get(c), 0.9)));
            j.put("downtimeRatioMedian", round(quantile(down.get(c), 0.5)));
            j.put("downtimeRatioP90", round(quantile(down.get(c), 0.9)));
            j.put("callsMedian", quantile(asDoubles(calls.get(c)), 0.5));
            j.put("callsP90", quantile(asDoubles(calls.get(c)), 0.9));
            Map<String, Object> svc = new TreeMap<>();
            for (String s : services) {
                // a run that made no call to a service counts as zero
                List<Integer> l = new ArrayList<>(byService.get(c).getOrDefault(s, List.of()));
                while (l.size() < seeds) {
                    l.add(0);
                }
                svc.put(s, quantile(asDoubles(l), 0.9));
            }
            j.put("callsP90ByService", svc);
            // Route 53's share, by operation: where a contender's calls to the scarcest limit (5 a second) go
            Map<String, Object> r53 = new TreeMap<>();
            route53.get(c).forEach((op, l) -> {
                List<Integer> all = new ArrayList<>(l);
                while (all.size() < seeds) {
                    all.add(0);
                }
                r53.put(op, quantile(asDoubles(all), 0.9));
            });
            j.put("route53P90ByOperation", r53);
            j.put("failedOwnTimeout", ownTimeout.getOrDefault(c, 0));
            json.put(c, j);
            notGreen.put(c, failed.getOrDefault(c, 0));
        }
        print(json, notGreen, services, seeds, (System.nanoTime() - wall) / 1_000_000_000);
        return json;
    }

    @SuppressWarnings("unchecked")
    private static void print(
            Map<String, Object> json,
            Map<String, Integer> notGreen,
            TreeSet<String> services,
            int seeds,
            long wallSeconds) {
        System.out.printf("  %-40s %14s %14s %14s%n", "", "Cutover", "naive script", "oracle");
        String[][] rows = {
            {"total / that run's limit, median", "totalRatioMedian"},
            {"total / that run's limit, p90", "totalRatioP90"},
            {"downtime / that run's floor, median", "downtimeRatioMedian"},
            {"downtime / that run's floor, p90", "downtimeRatioP90"},
            {"AWS API calls, median", "callsMedian"},
            {"AWS API calls, p90", "callsP90"},
            {"ended by its own time limit", "failedOwnTimeout"},
        };
        for (String[] r : rows) {
            System.out.printf(
                    "  %-40s %14s %14s %14s%n",
                    r[0],
                    ((Map<String, Object>) json.get("cutover")).get(r[1]),
                    ((Map<String, Object>) json.get("naive")).get(r[1]),
                    ((Map<String, Object>) json.get("oracle")).get(r[1]));
        }
        System.out.printf(
                "  %-40s %14s %14s %14s%n",
                "did not reach green (any reason)",
                notGreen.get("cutover"),
                notGreen.get("naive"),
                notGreen.get("oracle"));
        for (String s : services) {
            System.out.printf(
                    "  %-40s %14s %14s %14s%n",
                    "  p90 calls " + s,
                    ((Map<String, Object>) ((Map<String, Object>) json.get("cutover")).get("callsP90ByService")).get(s),
                    ((Map<String, Object>) ((Map<String, Object>) json.get("naive")).get("callsP90ByService")).get(s),
                    ((Map<String, Object>) ((Map<String, Object>) json.get("oracle")).get("callsP90ByService")).get(s));
        }
        TreeSet<String> ops = new TreeSet<>();
        for (String c : CONTENDERS) {
            ops.addAll(
                    ((Map<String, Object>) ((Map<String, Object>) json.get(c)).get("route53P90ByOperation")).keySet());
        }
        for (String op : ops) {
            Object[] v = new Object[CONTENDERS.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = ((Map<String, Object>)
                                ((Map<String, Object>) json.get(CONTENDERS[i])).get("route53P90ByOperation"))
                        .getOrDefault(op, 0.0);
            }
            System.out.printf("  %-40s %14s %14s %14s%n", "    p90 route53 " + op, v[0], v[1], v[2]);
        }
        System.out.printf(
                "  (%d seeds in %d s of wall time; ratios over the runs that reached green; calls over all runs)%n",
                seeds, wallSeconds);
    }

    private static List<Double> asDoubles(List<Integer> l) {
        return l.stream().map(Integer::doubleValue).toList();
    }

    /** The nearest-rank quantile; NaN for no values. */
    static double quantile(List<Double> values, double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }

    private static double ratio(Duration a, Duration b) {
        return b.isZero() ? 0 : (double) a.toMillis() / b.toMillis();
    }
}
