package io.cutover.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The simulated cloud's RDS Blue/Green Deployments, for tests: how long they take, green's replica lag, a
 * guardrail that fails the next switchover, and what exists.
 */
public final class BlueGreenSimulation {
    private final SimWorld world;
    private final SimBlueGreen model;

    BlueGreenSimulation(SimWorld world, SimBlueGreen model) {
        this.world = world;
        this.model = model;
    }

    /** A deployment as the simulated cloud holds it (status as RDS spells it). */
    public record View(
            String id,
            String name,
            String blue,
            String green,
            String status,
            String details,
            Map<String, String> tags) {}

    /** Creation (20 min by default) and switchover ({@link Latencies#blueGreenSwitchover()}, plus the lag left) times. */
    public BlueGreenSimulation times(Duration create, Duration switchover) {
        synchronized (world) {
            model.createTime = create;
            model.switchoverTime = switchover;
            return this;
        }
    }

    /** Green's lag behind {@code blueDatabaseId} now, as a burst of writes or a long transaction leaves it. */
    public BlueGreenSimulation lag(String blueDatabaseId, Duration lag) {
        synchronized (world) {
            model.setLag(blueDatabaseId, lag);
            return this;
        }
    }

    /** Green's lag behind {@code blueDatabaseId} now. */
    public Duration lagOf(String blueDatabaseId) {
        synchronized (world) {
            return model.lagOf(blueDatabaseId);
        }
    }

    /** The next switchover of {@code blueDatabaseId}'s deployment fails this guardrail (e.g. a long transaction). */
    public BlueGreenSimulation guardrailFails(String blueDatabaseId, String reason) {
        synchronized (world) {
            model.guardrails.put(blueDatabaseId, reason);
            return this;
        }
    }

    /** Every deployment that exists. */
    public List<View> deployments() {
        synchronized (world) {
            world.tick(world.now());
            return model.views();
        }
    }

    /** Whether a database refuses writes (blue's old one after a switchover). */
    public boolean readOnly(String databaseId) {
        synchronized (world) {
            return model.readOnly.contains(databaseId);
        }
    }
}
