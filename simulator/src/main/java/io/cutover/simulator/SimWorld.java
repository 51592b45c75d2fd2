package io.cutover.simulator;

import io.cutover.spi.ApiService;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What every simulated service shares: the clock, the latency model, the rate limits, the faults, the ids it
 * hands out, the calls it counts and what it created. It is also the one lock of the simulated cloud: every
 * service holds it for the whole of a call, so the cloud behaves as one consistent world.
 */
final class SimWorld {
    /** A service whose resources change on their own as time passes (something in progress finishing). */
    interface Ticking {
        /** Applies every transition due by {@code now}. */
        void advance(Instant now);

        /** The earlier of {@code due} and the next time one of its resources is due to change after now. */
        Instant nextDue(Instant now, Instant due);
    }

    final Latencies latencies;
    final RateLimits rateLimits;
    final Faults faults;
    /** The hook asked for each operation's duration as the cloud schedules its end. */
    OperationTimes times = OperationTimes.modelled();

    private final Supplier<Instant> clock;
    private final List<Ticking> services = new ArrayList<>();
    private final Map<String, Integer> calls = new TreeMap<>();
    private final List<SimulatedCloud.Creation> creations = new ArrayList<>();
    private final Map<String, Instant> createdAt = new java.util.HashMap<>();
    private final List<SimulatedCloud.Happening> history = new ArrayList<>();
    /** The operation whose answer is to be lost once it has taken effect, if any (see SimulatedCloud). */
    private String losing;
    /** Whether a call through the API is under way: only what the API creates is eventually consistent. */
    boolean inApiCall;

    private long counter = 0x1000;

    /**
     * The earliest time at which something in progress is due to change, or null when unknown. Lets a tick
     * skip its scan of every resource while nothing is due; only speed (fleets of thousands), same behaviour.
     */
    private Instant nextDue;

    SimWorld(Supplier<Instant> clock, Latencies latencies, RateLimits rateLimits, Faults faults) {
        this.clock = clock;
        this.latencies = latencies;
        this.rateLimits = rateLimits;
        this.faults = faults;
    }

    /** Services are advanced in the order they were added. */
    void add(Ticking service) {
        services.add(service);
    }

    Instant now() {
        return clock.get();
    }

    String nextHex() {
        return String.format("%017x", counter++);
    }

    /** Every provider call passes here: due transitions are applied, faults and rate limits enforced. */
    void enter(ApiService bucket, String operation) {
        Instant now = now();
        tick(now);
        if (!(operation.startsWith("Describe")
                || operation.startsWith("Get")
                || operation.startsWith("List")
                || operation.equals("ValidateTemplate"))) {
            // The call may start something that ends later: the next tick must look at everything again.
            nextDue = null;
        }
        calls.merge(operation, 1, Integer::sum);
        FailureKind fault = faults.callFault(bucket, operation, now);
        if (fault != null) {
            throw ProviderException.of(
                    fault, operation, "injected fault (" + fault.name().toLowerCase() + ")");
        }
        if (!rateLimits.tryAcquire(bucket, now)) {
            throw ProviderException.of(FailureKind.THROTTLING, operation, "Rate exceeded");
        }
        if (faults.answerLost(operation)) {
            losing = operation;
        }
    }

    /** The operation whose answer is lost, if the call now ending is one; cleared. */
    String takeLostAnswer() {
        String l = losing;
        losing = null;
        return l;
    }

    /** Whether a resource of this id was created so recently that, eventually consistent, it is not yet seen. */
    boolean unseen(String id) {
        Instant at = createdAt.get(id);
        Duration window = faults.eventualConsistency();
        return at != null && !window.isZero() && now().isBefore(at.plus(window));
    }

    /** Something the cloud did, recorded with its time: the cloud's own history, for audits. */
    void happened(String kind, String id, String what) {
        happened(now(), kind, id, what);
    }

    /** As above, at the time it really happened (a transition applied by a later tick). */
    void happened(Instant at, String kind, String id, String what) {
        history.add(new SimulatedCloud.Happening(at, kind, id, what));
    }

    List<SimulatedCloud.Happening> history() {
        return List.copyOf(history);
    }

    /** A call that no rate limit or fault applies to (an HTTP request to the application). */
    void count(String operation) {
        tick(now());
        calls.merge(operation, 1, Integer::sum);
    }

    /** Something changed outside a call (seeding): the next tick must look at everything again. */
    void changed() {
        nextDue = null;
    }

    void tick(Instant now) {
        if (nextDue != null && now.isBefore(nextDue)) {
            return;
        }
        for (Ticking s : services) {
            s.advance(now);
        }
        Instant due = Instant.MAX;
        for (Ticking s : services) {
            due = s.nextDue(now, due);
        }
        nextDue = due;
    }

    /** The earlier of {@code due} and {@code at}, counting only times still to come. */
    static Instant later(Instant at, Instant now, Instant due) {
        return at != null && at.isAfter(now) && at.isBefore(due) ? at : due;
    }

    /** How long one operation modelled by the {@link Latencies} component {@code latency} takes: the hook decides. */
    Duration took(String latency, Duration modelled) {
        return times.took(latency, modelled);
    }

    /** How far an operation that ends at {@code readyAt} and takes {@code took} has come, below 100. */
    int progress(Instant readyAt, Duration took) {
        return (int) Math.min(
                99,
                100 - 100.0 * Math.max(0, Duration.between(now(), readyAt).toMillis()) / Math.max(1, took.toMillis()));
    }

    void created(String kind, String id) {
        created(kind, id, Map.of());
    }

    void created(String kind, String id, Map<String, String> tags) {
        creations.add(new SimulatedCloud.Creation(now(), kind, id, Map.copyOf(tags)));
        if (inApiCall) {
            createdAt.put(id, now());
        }
    }

    List<SimulatedCloud.Creation> creations() {
        return List.copyOf(creations);
    }

    Map<String, Integer> calls() {
        return Map.copyOf(calls);
    }

    /** Calls made so far, by service bucket: {@code rds}, {@code cloudformation}, {@code route53}, ... */
    Map<String, Integer> callsByService() {
        Map<String, Integer> out = new TreeMap<>();
        calls.forEach((op, n) -> out.merge(service(op), n, Integer::sum));
        return out;
    }

    private static String service(String op) {
        if (op.startsWith("HTTP")) {
            return "http";
        }
        if (op.contains("DB")) {
            return "rds";
        }
        if (op.contains("Stack") || op.contains("ChangeSet") || op.contains("Template")) {
            return "cloudformation";
        }
        if (op.contains("Listener") || op.contains("Rule")) {
            return "elbv2";
        }
        if (op.contains("HostedZone") || op.contains("RecordSets") || op.equals("GetChange")) {
            return "route53";
        }
        return "ec2";
    }

    /** A DNS name in the form names are compared in: lower case, without the final dot. */
    static String normal(String name) {
        String n = name.toLowerCase();
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    static int parseInt(String s, int dflt) {
        try {
            return s.isEmpty() ? dflt : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /**
     * The service as its callers reach it: a call whose answer a fault loses ({@link Faults#loseAnswers}) has
     * taken effect, and then fails as a dropped connection would.
     */
    <T> T answered(Class<T> type, T service) {
        return type.cast(java.lang.reflect.Proxy.newProxyInstance(
                type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
                    synchronized (this) {
                        takeLostAnswer();
                        Object result;
                        try {
                            inApiCall = true;
                            result = method.invoke(service, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            takeLostAnswer();
                            throw e.getCause();
                        } finally {
                            inApiCall = false;
                        }
                        String lost = takeLostAnswer();
                        if (lost != null) {
                            throw ProviderException.of(
                                    FailureKind.TRANSIENT,
                                    lost,
                                    "connection reset after the request was sent (injected: the call took effect)");
                        }
                        return result;
                    }
                }));
    }
}
