package io.cutover.engine;

import io.cutover.FenceLostException;
import io.cutover.spi.DnsProvider;
import io.cutover.spi.DnsProvider.BatchPart;
import io.cutover.spi.DnsProvider.BatchResult;
import io.cutover.spi.DnsProvider.ChangeStatus;
import io.cutover.spi.DnsProvider.RecordSet;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Route 53 changes of one hosted zone from many cutovers, sent as one {@code ChangeResourceRecordSets} (Route 53
 * takes up to 1,000 {@code ResourceRecord} elements in one request, and its limit of five requests a second is
 * for the whole account): what lets a thousand cutovers lower their TTLs and switch in the time a few take.
 *
 * <p>A step's change ({@link DnsProvider#replace} or {@link DnsProvider#upsert} through its run's cloud) is
 * queued, not sent, and answered with a queued change's id ({@value #PREFIX}...), which the step saves as it
 * saves any change id. The zone's queue is sent {@link #WINDOW} after its first change came, once the
 * account's budget grants one Route 53 call (so changes that came due meanwhile go together), and only parts whose id is already
 * in their run's saved state: each run records its change before it is made. Just before the request, each
 * run's fence is asked; a run that lost its cutover is left out (its step then stops its run), so every change in
 * the request is made by a process that holds its cutover at that moment.
 *
 * <p>A batch that Route 53 refuses for one part (its {@code InvalidChangeBatch} names the record) is sent again
 * without that part, which alone fails; a conditional change refused because the record is already as it
 * would leave it (the same change, made before a crash) is sent again as an upsert. A batch refused for no
 * named part is split in halves until the bad part is alone. Throttled and transient failures send the whole
 * batch again later.
 *
 * <p>A queued id is followed through the batch's change id, which is polled once for all the batch's runs
 * (an answer is kept for {@link #STATUS_FOR}; INSYNC for good). After a crash, a queued id that the new process
 * never saw is unknown ({@link FailureKind#NOT_FOUND}): the step makes its change again, conditional on the
 * record as it read it, so a change that did go out is found done and followed by an idempotent upsert (Route
 * 53 lists no changes, so the first change's id cannot be found again).
 */
final class DnsBatcher {
    static final String PREFIX = "cutover-batch/";
    static final Duration STATUS_FOR = Duration.ofSeconds(5);
    /**
     * How long a zone's first queued change waits for others before its request asks for its turn: a few seconds on
     * a change that takes Route 53 about a minute to make INSYNC, for one request (and one status poll) where there
     * would be as many as changes. Route 53's five requests a second are for the whole account: a fleet whose
     * cutovers each poll their own change spends them on GetChange while others wait to start.
     */
    static final Duration WINDOW = Duration.ofSeconds(3);
    /** Route 53's limit: ResourceRecord elements in one request (an UPSERT's count twice). */
    static final int MAX_RECORDS = 1000;

    private enum State {
        QUEUED,
        SENT,
        FAILED,
        LOST
    }

    private static final class Part {
        final String id;
        final String zone;
        BatchPart change;
        final String comment;
        final CutoverRun run;
        final Instant queuedAt;
        State state = State.QUEUED;
        String changeId;
        RuntimeException failure;

        Part(String id, String zone, BatchPart change, String comment, CutoverRun run, Instant queuedAt) {
            this.queuedAt = queuedAt;
            this.id = id;
            this.zone = zone;
            this.change = change;
            this.comment = comment;
            this.run = run;
        }
    }

    private record Status(ChangeStatus status, Instant readAt) {}

    /** How long a queued change may wait for its run to save it before it is dropped. */
    static final Duration UNSAVED_FOR = Duration.ofMinutes(1);

    private final Object sendLock = new Object();
    private final io.cutover.spi.CloudProvider cloud;
    private final Engine engine;
    private final String process = Long.toHexString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE);
    private long seq;
    private final Map<String, Part> parts = new HashMap<>();
    private final Map<String, Deque<Part>> queued = new HashMap<>();
    private final Set<String> flushing = new HashSet<>();
    private final Map<String, Integer> splitTo = new HashMap<>();
    private final Map<String, Status> statuses = new HashMap<>();
    private final Map<String, Integer> attempts = new HashMap<>();
    private int requests;

    DnsBatcher(io.cutover.spi.CloudProvider cloud, Engine engine) {
        this.cloud = cloud;
        this.engine = engine;
    }

    /** Requests sent so far (each carrying one or more runs' changes). */
    synchronized int requests() {
        return requests;
    }

    /** {@code raw} as {@code run}'s steps see it: changes queued for the zone's next batch. */
    DnsProvider forRun(CutoverRun run, DnsProvider raw) {
        return new DnsProvider() {
            @Override
            public String describeZone(String zoneId) {
                return raw.describeZone(zoneId);
            }

            @Override
            public List<RecordSet> records(String zoneId, String name, String type) {
                return raw.records(zoneId, name, type);
            }

            @Override
            public String upsert(String zoneId, List<RecordSet> records, String comment) {
                return queue(run, zoneId, new BatchPart(List.of(), records), comment);
            }

            @Override
            public String replace(String zoneId, List<RecordSet> read, List<RecordSet> next, String comment) {
                return queue(run, zoneId, new BatchPart(read, next), comment);
            }

            @Override
            public ChangeStatus changeStatus(String changeId) {
                return status(changeId);
            }

            @Override
            public int maxBatchParts() {
                return raw.maxBatchParts();
            }
        };
    }

    private String queue(CutoverRun run, String zone, BatchPart change, String comment) {
        Part p;
        synchronized (this) {
            p = new Part(
                    PREFIX + process + "-" + (++seq),
                    zone,
                    change,
                    comment,
                    run,
                    engine.scheduler().now());
            parts.put(p.id, p);
            queued.computeIfAbsent(zone, z -> new ArrayDeque<>()).add(p);
        }
        refund(); // the step's reservation counted this change's call; the batch takes its own turn
        requestFlush(zone, WINDOW);
        return p.id;
    }

    private void refund() {
        if (engine.rateBudget().limits()) {
            engine.rateBudget()
                    .refund(Map.of(RateBudget.ROUTE53, 1), engine.scheduler().now());
        }
    }

    private void requestFlush(String zone, Duration delay) {
        List<Part> waiting;
        synchronized (this) {
            Deque<Part> q = queued.get(zone);
            if (q == null || q.isEmpty() || !flushing.add(zone)) {
                return;
            }
            waiting = new ArrayList<>(q);
        }
        // The batch goes in the turn of its oldest cutover.
        RateBudget.Priority priority = waiting.stream()
                .map(p -> engine.priority(p.run.id(), p.run.state().createdAt()))
                .min(RateBudget.Priority::compareTo)
                .orElseThrow();
        Runnable ask = () -> {
            if (engine.rateBudget().limits()) {
                engine.rateBudget()
                        .acquire(Map.of(RateBudget.ROUTE53, 1), priority, engine.scheduler(), () -> flush(zone));
            } else {
                flush(zone);
            }
        };
        engine.scheduler().schedule(delay, ask);
    }

    /** Sends what the zone's queue holds that may go now, as one request (one flush at a time). */
    void flush(String zone) {
        synchronized (sendLock) {
            flushNow(zone);
        }
    }

    private void flushNow(String zone) {
        List<Part> candidates;
        synchronized (this) {
            flushing.remove(zone);
            candidates = new ArrayList<>(queued.getOrDefault(zone, new ArrayDeque<>()));
        }
        List<Part> batch = new ArrayList<>();
        int limit = Math.max(1, Math.min(cloud.dns().maxBatchParts(), splitTo.getOrDefault(zone, Integer.MAX_VALUE)));
        int records = 0;
        for (Part p : candidates) {
            if (batch.size() >= limit) {
                break;
            }
            // Only a change its run has saved goes out; a run that stopped is left out (it saves nothing more).
            Fence.Check held = p.run.stopped() ? new Fence.Lost("its run stopped") : null;
            if (held == null && !recorded(p)) {
                if (Duration.between(p.queuedAt, engine.scheduler().now()).compareTo(UNSAVED_FOR) > 0) {
                    // Its run dropped the answer (the step was called off meanwhile): the change is not made.
                    held = new Fence.Lost("its run did not save the change within " + UNSAVED_FOR.toSeconds() + " s");
                } else {
                    continue;
                }
            }
            if (held == null) {
                held = p.run.fence().check();
            }
            if (held instanceof Fence.Lost lost) {
                finish(
                        p,
                        State.LOST,
                        null,
                        new FenceLostException(
                                "not sending the change of cutover " + p.run.id() + " in a batch: " + lost.reason()));
                continue;
            }
            int n = recordsOf(p.change);
            if (!batch.isEmpty() && records + n > MAX_RECORDS) {
                break;
            }
            records += n;
            batch.add(p);
        }
        synchronized (this) {
            queued.get(zone).removeAll(batch);
        }
        if (batch.isEmpty()) {
            refund(); // the token granted for this request was not used
            requestFlush(zone, Duration.ofMillis(100)); // parts whose runs have not saved them yet
            return;
        }
        send(zone, batch);
        requestFlush(zone, Duration.ZERO);
    }

    private void send(String zone, List<Part> batch) {
        BatchResult result;
        try {
            synchronized (this) {
                requests++;
            }
            result = cloud.dns()
                    .changeAll(zone, batch.stream().map(p -> p.change).toList(), comment(batch));
        } catch (ProviderException e) {
            if (e.retryable()) {
                requeue(zone, batch);
                int attempt = attempts.merge(zone, 1, Integer::sum);
                requestFlush(zone, engine.retryPolicy().delay(Math.min(attempt - 1, 6), engine.nextJitter()));
            } else if (batch.size() > 1) {
                // Refused without naming a part: halves, until the part at fault is alone.
                synchronized (this) {
                    splitTo.put(zone, batch.size() / 2);
                }
                requeue(zone, batch);
            } else {
                finish(batch.get(0), State.FAILED, null, e);
            }
            return;
        }
        attempts.remove(zone);
        if (result instanceof BatchResult.Applied a) {
            synchronized (this) {
                splitTo.remove(zone);
            }
            batch.forEach(p -> finish(p, State.SENT, a.changeId(), null));
            return;
        }
        BatchResult.Refused r = (BatchResult.Refused) result;
        List<Part> rest = new ArrayList<>(batch);
        Part bad = rest.remove(r.part());
        if (r.why().kind() == FailureKind.CONFLICT && !bad.change.read().isEmpty() && alreadyAsNext(zone, bad.change)) {
            // Made before (a crash after the request went out): the same records, upserted, change nothing.
            bad.change = new BatchPart(List.of(), bad.change.next());
            rest.add(0, bad);
        } else {
            finish(bad, State.FAILED, null, r.why());
        }
        requeue(zone, rest);
    }

    private boolean alreadyAsNext(String zone, BatchPart c) {
        try {
            List<RecordSet> now = cloud.dns()
                    .records(zone, c.next().get(0).name(), c.next().get(0).type());
            return c.next().stream().allMatch(n -> now.stream().anyMatch(x -> sameAs(x, n)));
        } catch (ProviderException e) {
            return false;
        }
    }

    /** As a resolver sees it: name without case or final dot, type, set, weight, values or alias, TTL. */
    private static boolean sameAs(RecordSet x, RecordSet n) {
        return bare(x.name()).equals(bare(n.name()))
                && x.type().equals(n.type())
                && x.setIdentifier().equals(n.setIdentifier())
                && x.weight().equals(n.weight())
                && x.values().equals(n.values())
                && x.aliasTarget()
                        .map(a -> bare(a.dnsName()))
                        .equals(n.aliasTarget().map(a -> bare(a.dnsName())))
                && (x.aliasTarget().isPresent() || x.ttl() == n.ttl());
    }

    private static String bare(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replaceAll("\\.$", "");
    }

    private synchronized void requeue(String zone, List<Part> batch) {
        Deque<Part> q = queued.computeIfAbsent(zone, z -> new ArrayDeque<>());
        for (int i = batch.size() - 1; i >= 0; i--) {
            q.addFirst(batch.get(i));
        }
    }

    private synchronized void finish(Part p, State state, String changeId, RuntimeException failure) {
        p.state = state;
        p.changeId = changeId;
        p.failure = failure;
        Deque<Part> q = queued.get(p.zone);
        if (q != null) {
            q.remove(p);
        }
    }

    /** Whether the run has saved the queued id (its step's memo holds it). */
    private static boolean recorded(Part p) {
        synchronized (p.run) {
            return p.run.state().steps().values().stream()
                    .anyMatch(s -> s.memo().containsValue(p.id));
        }
    }

    private static int recordsOf(BatchPart c) {
        int n = 0;
        for (RecordSet r : c.read()) {
            n += Math.max(1, r.values().size());
        }
        for (RecordSet r : c.next()) {
            n += Math.max(1, r.values().size()) * (c.read().isEmpty() ? 2 : 1);
        }
        return n;
    }

    private static String comment(List<Part> batch) {
        String c = batch.size() == 1
                ? batch.get(0).comment
                : "cutover: " + batch.size() + " changes, e.g. " + batch.get(0).comment;
        return c.length() > 256 ? c.substring(0, 256) : c; // Route 53's limit for a comment
    }

    private ChangeStatus status(String changeId) {
        if (!changeId.startsWith(PREFIX)) {
            return shared(changeId);
        }
        Part p;
        synchronized (this) {
            p = parts.get(changeId);
        }
        if (p == null) {
            throw ProviderException.of(
                    FailureKind.NOT_FOUND,
                    "GetChange",
                    "change " + changeId + " was queued by a process that has stopped; it is made again");
        }
        State state;
        String id;
        RuntimeException failure;
        synchronized (this) {
            state = p.state;
            id = p.changeId;
            failure = p.failure;
        }
        return switch (state) {
            case QUEUED -> {
                refund();
                yield ChangeStatus.PENDING;
            }
            case SENT -> shared(id);
            case FAILED, LOST -> throw failure;
        };
    }

    /** One GetChange for every run of the batch: an answer serves the others for a moment, INSYNC for good. */
    private ChangeStatus shared(String changeId) {
        Instant now = engine.scheduler().now();
        synchronized (this) {
            Status s = statuses.get(changeId);
            if (s != null
                    && (s.status() == ChangeStatus.INSYNC
                            || now.isBefore(s.readAt().plus(STATUS_FOR)))) {
                refund();
                return s.status();
            }
        }
        ChangeStatus st = cloud.dns().changeStatus(changeId);
        synchronized (this) {
            statuses.put(changeId, new Status(st, now));
        }
        return st;
    }
}
