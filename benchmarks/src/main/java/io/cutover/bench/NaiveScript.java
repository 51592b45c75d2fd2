package io.cutover.bench;

import io.cutover.plan.Environment.Database.Kind;
import io.cutover.spi.CloudProvider;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.DnsProvider;
import io.cutover.spi.DnsProvider.RecordSet;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.spi.StackProvider;
import io.cutover.spi.VolumeProvider;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The baseline: the same parallel upgrade as a careful admin scripts it from the vendor's guide with the
 * AWS SDK's waiters, one step after another. Each waiter asks at once, then at its fixed delay (the SDK's
 * waiter definitions: 30 s for RDS snapshots, CloudFormation stacks and Route 53 changes, 15 s for EBS
 * snapshots); the health check is a {@code curl} loop every 15 s, like Cutover's. Calls are retried as the
 * SDK's standard retry mode does (3 attempts, full-jitter backoff from 1 s for throttling, 100 ms
 * otherwise, at most 20 s); an error that outlasts them ends the script, as it would end the admin's.
 *
 * <p>It runs against the same {@link CloudProvider} as Cutover, in the same virtual time: a "sleep" lets
 * the virtual clock run.
 */
final class NaiveScript {
    static final Duration RDS_DELAY = Duration.ofSeconds(30);
    static final Duration STACK_DELAY = Duration.ofSeconds(30);
    static final Duration DNS_DELAY = Duration.ofSeconds(30);
    static final Duration EBS_DELAY = Duration.ofSeconds(15);
    static final Duration CURL_DELAY = Duration.ofSeconds(15);
    private static final int SDK_MAX_ATTEMPTS = 3;

    /** What the script did: when it began, froze writes and finished, and the errors it met. */
    record Result(
            boolean succeeded,
            String failure,
            Instant started,
            Instant frozenAt,
            Instant switchedAt,
            int throttled,
            int surfaced) {
        Duration total() {
            return Duration.between(started, switchedAt);
        }

        Duration downtime() {
            return Duration.between(frozenAt, switchedAt);
        }
    }

    private final World world;
    private final World.App app;
    private final CloudProvider cloud;
    private final Random jitter;
    private int throttled;

    NaiveScript(World world, World.App app, long seed) {
        this.world = world;
        this.app = app;
        this.cloud = world.cloud;
        this.jitter = new Random(seed);
    }

    Result run() {
        Instant start = world.scheduler.now();
        Instant frozen = start;
        try {
            String zone = World.ZONE;
            // 1. Lower the TTL and wait out the old one, so the switch takes effect quickly.
            RecordSet blue =
                    call(() -> cloud.dns().records(zone, app.host, "CNAME")).get(0);
            String ttlChange = call(() -> cloud.dns().upsert(zone, List.of(blue.withTtl(60)), "lower TTL"));
            waitFor(DNS_DELAY, () -> cloud.dns().changeStatus(ttlChange) == DnsProvider.ChangeStatus.INSYNC);
            sleep(Duration.ofSeconds(blue.ttl()));
            // 2. Freeze writes (the downtime starts).
            app.frozen = true;
            frozen = world.scheduler.now();
            // 3. Snapshot the database and wait; then the volume and wait.
            String dbSnap = app.planId() + "-naive-db";
            call(() -> {
                cloud.databases().createSnapshot(Kind.INSTANCE, app.database(), dbSnap, Map.of());
                return null;
            });
            waitFor(
                    RDS_DELAY,
                    () -> cloud.databases()
                                    .describeSnapshot(Kind.INSTANCE, dbSnap)
                                    .status()
                            == DatabaseProvider.Status.AVAILABLE);
            String volSnap = call(() -> cloud.volumes().createSnapshot(app.volume(), "naive upgrade", Map.of()));
            waitFor(
                    EBS_DELAY,
                    () -> cloud.volumes().describeSnapshot(volSnap).status() == VolumeProvider.Status.COMPLETED);
            // 4. Create green from the snapshots, blue's parameters carried over, and wait.
            Map<String, String> params = new HashMap<>(
                    call(() -> cloud.stacks().describe(app.blueStack())).parameters());
            params.put("AppVersion", "2.0");
            params.put("DBSnapshotIdentifier", dbSnap);
            params.put("DataSnapshotId", volSnap);
            StackProvider.Template template =
                    StackProvider.Template.ofBody(io.cutover.simulator.CloudSimulation.sampleTemplate());
            call(() -> {
                cloud.stacks()
                        .create(new StackProvider.StackRequest(
                                app.greenStack(), template, params, Map.of(), List.of(), app.planId() + "-naive"));
                return null;
            });
            waitFor(STACK_DELAY, () -> {
                StackProvider.StackDescription d = cloud.stacks().describe(app.greenStack());
                if (d.state() == StackProvider.StackState.IN_PROGRESS) {
                    return false;
                }
                if (d.state() != StackProvider.StackState.COMPLETE) {
                    throw new IllegalStateException("stack " + app.greenStack() + " ended " + d.rawStatus());
                }
                return true;
            });
            String endpoint = call(() -> cloud.stacks().describe(app.greenStack()))
                    .outputs()
                    .get("Endpoint");
            // 5. Verify: curl the health page until it answers 200.
            URI health = URI.create("http://" + endpoint + "/health");
            waitFor(CURL_DELAY, () -> cloud.http().get(health, Duration.ofSeconds(5)) == 200);
            // 6. Point DNS at green and wait until in sync (the downtime ends).
            String change = call(() -> cloud.dns()
                    .upsert(zone, List.of(blue.withTtl(60).withValues(List.of(endpoint))), "switch to green"));
            waitFor(DNS_DELAY, () -> cloud.dns().changeStatus(change) == DnsProvider.ChangeStatus.INSYNC);
            Instant end = world.scheduler.now();
            return new Result(true, "", start, frozen, end, throttled, 0);
        } catch (RuntimeException e) {
            Instant end = world.scheduler.now();
            boolean byThrottling = e instanceof ProviderException p && p.kind() == FailureKind.THROTTLING;
            return new Result(false, e.getMessage(), start, frozen, end, throttled, byThrottling ? 1 : 0);
        }
    }

    /** An SDK waiter: asks at once, then every {@code delay}, for at most an hour. */
    private void waitFor(Duration delay, Supplier<Boolean> done) {
        Instant giveUp = world.scheduler.now().plus(Duration.ofHours(1));
        while (!call(done)) {
            if (world.scheduler.now().isAfter(giveUp)) {
                throw new IllegalStateException("waiter gave up after an hour");
            }
            sleep(delay);
        }
    }

    /** One SDK call, with the standard retry mode's attempts. */
    private <T> T call(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (ProviderException e) {
                if (e.kind() == FailureKind.THROTTLING) {
                    throttled++;
                }
                if (!e.retryable() || attempt >= SDK_MAX_ATTEMPTS) {
                    throw e;
                }
                long base = e.kind() == FailureKind.THROTTLING ? 1000 : 100;
                long cap = Math.min(20_000, base << attempt);
                sleep(Duration.ofMillis((long) (jitter.nextDouble() * cap)));
            }
        }
    }

    private void sleep(Duration d) {
        world.scheduler.runUntil(world.scheduler.now().plus(d));
    }
}
