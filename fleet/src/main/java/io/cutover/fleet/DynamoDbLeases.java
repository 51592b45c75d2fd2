package io.cutover.fleet;

import com.amazonaws.services.dynamodbv2.AcquireLockOptions;
import com.amazonaws.services.dynamodbv2.AmazonDynamoDBLockClient;
import com.amazonaws.services.dynamodbv2.AmazonDynamoDBLockClientOptions;
import com.amazonaws.services.dynamodbv2.LockItem;
import com.amazonaws.services.dynamodbv2.ReleaseLockOptions;
import com.amazonaws.services.dynamodbv2.model.LockCurrentlyUnavailableException;
import com.amazonaws.services.dynamodbv2.util.LockClientUtils;
import com.google.common.base.Preconditions;
import io.cutover.dynamodb.StateTable;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Per-environment leases through AWS's DynamoDB Lock Client, in the state table (item
 * {@code env#<environment> / lease}). The lock client renews every lease this process holds from a
 * background thread every {@code heartbeat}; a lease not renewed for {@code leaseDuration} is expired.
 *
 * <p>{@link #tryAcquire} never waits: a lease held by a live process is refused at once, with its holder.
 * The lock client remembers the lease's record version from that first look; when a later attempt (at
 * least {@code leaseDuration} later) finds the same version, nobody renewed it, its holder is taken to
 * be dead, and the lease passes to this process. Choose {@code leaseDuration} well above the longest pause
 * a healthy process may have (a GC pause, a slow network): the defaults are 20 s and a heartbeat every 5 s.
 *
 * <pre>{@code
 * try (DynamoDbLeases leases = DynamoDbLeases.builder(dynamo, StateTable.named("cutover-state")).build()) {
 *   FleetRunner.builder().store(store).leases(leases)...
 * }
 * }</pre>
 */
public final class DynamoDbLeases implements EnvironmentLeases {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbLeases.class);
    private static final String LEASE = "lease";

    private final AmazonDynamoDBLockClient client;
    private final String owner;
    private final Duration leaseDuration;
    private final Duration fenceMargin;
    private final Clock clock;
    private final Map<String, LockItem> mine = new ConcurrentHashMap<>();

    private DynamoDbLeases(Builder b) {
        this.owner = b.owner;
        this.leaseDuration = b.leaseDuration;
        this.fenceMargin = b.fenceMargin != null ? b.fenceMargin : b.heartbeat;
        this.clock = b.clock;
        this.client = new AmazonDynamoDBLockClient(AmazonDynamoDBLockClientOptions.builder(b.dynamo, b.table.name())
                .withPartitionKeyName(StateTable.PK)
                .withSortKeyName(StateTable.SK)
                .withOwnerName(b.owner)
                .withTimeUnit(TimeUnit.MILLISECONDS)
                .withLeaseDuration(b.leaseDuration.toMillis())
                .withHeartbeatPeriod(b.heartbeat.toMillis())
                .withCreateHeartbeatBackgroundThread(true)
                .build());
    }

    public static Builder builder(DynamoDbClient dynamo, StateTable table) {
        return new Builder(dynamo, table);
    }

    @Override
    public LeaseAttempt tryAcquire(String environment, String runId) {
        LockItem held = mine.get(environment);
        if (held != null && !held.isExpired()) {
            return new LeaseAttempt.Acquired(new DynamoLease(environment, held, decode(environment, held)));
        }
        Instant now = clock.instant();
        LeaseHolder me = new LeaseHolder(environment, owner, runId, now, leaseDuration);
        try {
            Optional<LockItem> item =
                    client.tryAcquireLock(AcquireLockOptions.builder(StateTable.environmentKey(environment))
                            .withSortKey(LEASE)
                            .withData(ByteBuffer.wrap(encode(me)))
                            .withReplaceData(true)
                            .withDeleteLockOnRelease(true)
                            .withShouldSkipBlockingWait(true)
                            .build());
            if (item.isPresent()) {
                mine.put(environment, item.get());
                return new LeaseAttempt.Acquired(new DynamoLease(environment, item.get(), me));
            }
        } catch (LockCurrentlyUnavailableException e) {
            // held by a live process, or one whose lease has not been seen unrenewed for long enough yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new LeaseAttempt.Held(
                holder(environment).orElse(new LeaseHolder(environment, "another process", runId, now, leaseDuration)));
    }

    @Override
    public Optional<LeaseHolder> holder(String environment) {
        return client.getLock(StateTable.environmentKey(environment), Optional.of(LEASE))
                .map(item -> decode(environment, item));
    }

    @Override
    public Duration fenceMargin() {
        return fenceMargin;
    }

    @Override
    public String owner() {
        return owner;
    }

    @Override
    public void close() {
        try {
            // releases every lease still held and stops the heartbeat thread
            client.close();
        } catch (IOException e) {
            LOG.warn(
                    "could not release the leases of {}: {}; they run out in {} s",
                    owner,
                    e.getMessage(),
                    leaseDuration.toSeconds());
        }
        mine.clear();
    }

    private static byte[] encode(LeaseHolder h) {
        return (h.owner() + "\n" + h.runId() + "\n" + h.since()).getBytes(StandardCharsets.UTF_8);
    }

    private static LeaseHolder decode(String environment, LockItem item) {
        Duration lease = Duration.ofMillis(item.getLeaseDuration());
        String[] parts = item.getData()
                .map(d ->
                        StandardCharsets.UTF_8.decode(d.duplicate()).toString().split("\n", 3))
                .orElse(new String[0]);
        if (parts.length < 3) {
            // written by something other than Cutover: say what the lock client knows
            return new LeaseHolder(environment, item.getOwnerName(), "?", Instant.EPOCH, lease);
        }
        return new LeaseHolder(environment, parts[0], parts[1], Instant.parse(parts[2]), lease);
    }

    private final class DynamoLease implements Lease {
        private final String environment;
        private final LockItem item;
        private final LeaseHolder holder;

        DynamoLease(String environment, LockItem item, LeaseHolder holder) {
            this.environment = environment;
            this.item = item;
            this.holder = holder;
        }

        @Override
        public LeaseHolder holder() {
            return holder;
        }

        @Override
        public boolean valid() {
            return !item.isExpired();
        }

        @Override
        public Duration remaining() {
            // The lock client counts a lease from the last renewal this process saw, on its monotonic clock.
            long sinceRenewal = LockClientUtils.INSTANCE.millisecondTime() - item.getLookupTime();
            return Duration.ofMillis(Math.max(0, item.getLeaseDuration() - sinceRenewal));
        }

        @Override
        public void release() {
            if (mine.remove(environment, item)) {
                client.releaseLock(
                        ReleaseLockOptions.builder(item).withDeleteLock(true).build());
            }
        }
    }

    /** Configures {@link DynamoDbLeases}; the table must exist ({@link StateTable#create}). */
    public static final class Builder {
        private final DynamoDbClient dynamo;
        private final StateTable table;
        private String owner = ManagementFactory.getRuntimeMXBean().getName();
        private Duration leaseDuration = Duration.ofSeconds(20);
        private Duration heartbeat = Duration.ofSeconds(5);
        private Clock clock = Clock.systemUTC();
        private Duration fenceMargin;

        private Builder(DynamoDbClient dynamo, StateTable table) {
            this.dynamo = Preconditions.checkNotNull(dynamo, "dynamo");
            this.table = Preconditions.checkNotNull(table, "table");
        }

        /** This process's name in leases and refusals; {@code pid@host} by default. Must differ per process. */
        public Builder owner(String owner) {
            this.owner = owner;
            return this;
        }

        /** How long an unrenewed lease keeps others out: how soon a dead process's environments are taken over. */
        public Builder leaseDuration(Duration leaseDuration) {
            this.leaseDuration = leaseDuration;
            return this;
        }

        /** How often the leases are renewed; at most a third of the lease duration. */
        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
            return this;
        }

        /**
         * How much of its lease a process must have left to make a call that changes the cloud (one heartbeat
         * period by default): a process that missed its renewals, paused or slow, stops before another may take
         * its environment over. Must be below {@code leaseDuration} minus one heartbeat.
         */
        public Builder fenceMargin(Duration fenceMargin) {
            this.fenceMargin = fenceMargin;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public DynamoDbLeases build() {
            Preconditions.checkArgument(owner != null && !owner.isBlank(), "owner: name this process");
            Preconditions.checkArgument(
                    !leaseDuration.isNegative() && leaseDuration.toMillis() >= 1000,
                    "leaseDuration %s: give at least one second",
                    leaseDuration);
            Preconditions.checkArgument(
                    heartbeat.multipliedBy(3).compareTo(leaseDuration) <= 0,
                    "heartbeat %s must be at most a third of leaseDuration %s, so that one lost heartbeat does not lose "
                            + "the lease",
                    heartbeat,
                    leaseDuration);
            Duration margin = fenceMargin != null ? fenceMargin : heartbeat;
            Preconditions.checkArgument(
                    !margin.isNegative() && margin.plus(heartbeat).compareTo(leaseDuration) < 0,
                    "fenceMargin %s must be below leaseDuration %s minus one heartbeat %s, or no call is ever made",
                    margin,
                    leaseDuration,
                    heartbeat);
            return new DynamoDbLeases(this);
        }
    }
}
