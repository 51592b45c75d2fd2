package io.cutover.simulator;

import io.cutover.spi.FailureKind;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
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
    private double transientRate;
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

    /** How many faults were injected so far. */
    public synchronized int injected() {
        return injected;
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
