package io.cutover.simulator;

import io.cutover.spi.ApiService;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.FailureKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Faults the simulated cloud injects, set up by a test before or during a cutover. All randomness comes
 * from one seeded {@link Random}, so a simulation with faults is repeatable.
 */
public final class Faults {
    private final Map<String, Integer> failNext = new HashMap<>();
    private final Map<String, FailureKind> failKind = new HashMap<>();
    private final Set<String> rollbackStacks = new HashSet<>();
    private final Set<String> undeletableStacks = new HashSet<>();
    private final Set<String> unhealthy = new HashSet<>();
    private final Set<String> stuckSnapshots = new HashSet<>();
    private final Set<String> failedSnapshots = new HashSet<>();
    private final Map<String, Integer> lostAnswers = new HashMap<>();
    private final Set<String> rollbackFails = new HashSet<>();
    private final List<Storm> storms = new ArrayList<>();
    private final List<DatabaseState> databaseStates = new ArrayList<>();
    private final List<Firing> firings = new ArrayList<>();
    private double transientRate;
    private double flakyChecks;
    private Duration eventualConsistency = Duration.ZERO;
    private Duration dnsDelay = Duration.ZERO;
    private Random random = new Random(0);
    private int injected;

    /** The next {@code times} calls of {@code operation} (e.g. {@code CreateDBSnapshot}) fail with {@code kind}. */
    public synchronized Faults failNext(String operation, FailureKind kind, int times) {
        failNext.put(operation, times);
        failKind.put(operation, kind);
        return this;
    }

    /** Every call fails transiently with this probability. */
    public synchronized Faults transientErrors(double rate, long seed) {
        this.transientRate = rate;
        this.random = new Random(seed);
        return this;
    }

    /** A create or update of a stack of this name fails on a resource and rolls back. */
    /** Every delete of this stack fails (DELETE_FAILED): one of its resources cannot be deleted. */
    public synchronized Faults deleteFails(String stackName) {
        undeletableStacks.add(stackName);
        return this;
    }

    public synchronized Faults rollbackStack(String stackName) {
        rollbackStacks.add(stackName);
        return this;
    }

    /** The application in this stack answers health checks with 503. */
    public synchronized Faults unhealthy(String stackName) {
        unhealthy.add(stackName);
        return this;
    }

    public synchronized Faults healthy(String stackName) {
        unhealthy.remove(stackName);
        return this;
    }

    /** Snapshots of this database or volume never complete. */
    public synchronized Faults snapshotNeverCompletes(String sourceId) {
        stuckSnapshots.add(sourceId);
        return this;
    }

    /** Snapshots of this database or volume end in failure. */
    public synchronized Faults snapshotFails(String sourceId) {
        failedSnapshots.add(sourceId);
        return this;
    }

    /** DNS changes take this much longer than usual to be in sync. */
    public synchronized Faults slowDns(Duration extra) {
        this.dnsDelay = extra;
        return this;
    }

    /** A throttling storm: every call to {@code service} is throttled from {@code from} until {@code until}. */
    private record Storm(ApiService service, Instant from, Instant until) {}

    /** A database that reports {@code status} (and refuses snapshots) from {@code from} until {@code until}. */
    private record DatabaseState(String databaseId, DatabaseProvider.Status status, Instant from, Instant until) {}

    /**
     * The next {@code times} calls of {@code operation} take effect but their answer is lost (the connection
     * drops after the request was sent): the caller sees a transient error although the call was applied.
     */
    public synchronized Faults loseAnswers(String operation, int times) {
        lostAnswers.put(operation, times);
        return this;
    }

    /**
     * Eventual consistency: for {@code window} after a stack, database or snapshot is created, describing it
     * answers NOT_FOUND and searching by tags does not find it.
     */
    public synchronized Faults eventualConsistency(Duration window) {
        this.eventualConsistency = window;
        return this;
    }

    /** Every call to {@code service} is throttled from {@code from} for {@code length}: a storm lasting minutes. */
    public synchronized Faults throttlingStorm(ApiService service, Instant from, Duration length) {
        storms.add(new Storm(service, from, from.plus(length)));
        return this;
    }

    /**
     * The database reports {@code status} from {@code from} for {@code length} ({@code MODIFYING} as RDS's
     * {@code backing-up}, {@code FAILED} as {@code storage-full}), and refuses snapshots meanwhile.
     */
    public synchronized Faults databaseState(
            String databaseId, DatabaseProvider.Status status, Instant from, Duration length) {
        databaseStates.add(new DatabaseState(databaseId, status, from, from.plus(length)));
        return this;
    }

    /**
     * A create or update of this stack fails and its rollback fails too ({@code ROLLBACK_FAILED},
     * {@code UPDATE_ROLLBACK_FAILED}): the stack needs a person.
     */
    public synchronized Faults rollbackFails(String stackName) {
        rollbackStacks.add(stackName);
        rollbackFails.add(stackName);
        return this;
    }

    /**
     * Health checks flap: a healthy application's check answers 503 with this probability (a load balancer
     * hiccup), while the application itself stays healthy.
     */
    public synchronized Faults flakyChecks(double rate) {
        this.flakyChecks = rate;
        return this;
    }

    /**
     * The CloudWatch alarm {@code alarm} (which the cloud must know: {@code SimulatedCloud.alarm}) is in ALARM from
     * {@code from} for {@code length}, whatever its own state (a latency spike on green an hour into its bake).
     */
    public synchronized Faults alarmFires(String alarm, Instant from, Duration length) {
        firings.add(new Firing(alarm, from, from.plus(length)));
        return this;
    }

    synchronized boolean alarmFiring(String alarm, Instant now) {
        boolean firing = firings.stream()
                .anyMatch(f -> f.alarm().equals(alarm) && !now.isBefore(f.from()) && now.isBefore(f.until()));
        if (firing) {
            injected++;
        }
        return firing;
    }

    private record Firing(String alarm, Instant from, Instant until) {}

    /** How many faults were injected so far. */
    public synchronized int injected() {
        return injected;
    }

    synchronized FailureKind callFault(ApiService service, String operation, Instant now) {
        for (Storm st : storms) {
            if (st.service() == service && !now.isBefore(st.from()) && now.isBefore(st.until())) {
                injected++;
                return FailureKind.THROTTLING;
            }
        }
        return callFault(operation);
    }

    /** Whether this call's answer is to be lost (it takes effect first). */
    synchronized boolean answerLost(String operation) {
        Integer n = lostAnswers.get(operation);
        if (n != null && n > 0) {
            lostAnswers.put(operation, n - 1);
            injected++;
            return true;
        }
        return false;
    }

    synchronized Duration eventualConsistency() {
        return eventualConsistency;
    }

    synchronized java.util.Optional<DatabaseProvider.Status> databaseState(String databaseId, Instant now) {
        return databaseStates.stream()
                .filter(d -> d.databaseId().equals(databaseId) && !now.isBefore(d.from()) && now.isBefore(d.until()))
                .map(DatabaseState::status)
                .findFirst();
    }

    synchronized boolean rollbackFailing(String stack) {
        return rollbackFails.contains(stack);
    }

    synchronized boolean checkFlaps() {
        if (flakyChecks > 0 && random.nextDouble() < flakyChecks) {
            injected++;
            return true;
        }
        return false;
    }

    synchronized FailureKind callFault(String operation) {
        Integer n = failNext.get(operation);
        if (n != null && n > 0) {
            failNext.put(operation, n - 1);
            injected++;
            return failKind.get(operation);
        }
        if (transientRate > 0 && random.nextDouble() < transientRate) {
            injected++;
            return FailureKind.TRANSIENT;
        }
        return null;
    }

    synchronized boolean deleteFailing(String stack) {
        return undeletableStacks.contains(stack);
    }

    synchronized boolean rollsBack(String stack) {
        return rollbackStacks.contains(stack);
    }

    synchronized boolean isUnhealthy(String stack) {
        return unhealthy.contains(stack);
    }

    synchronized boolean snapshotStuck(String source) {
        return stuckSnapshots.contains(source);
    }

    synchronized boolean snapshotFailing(String source) {
        return failedSnapshots.contains(source);
    }

    synchronized Duration dnsDelay() {
        return dnsDelay;
    }
}
