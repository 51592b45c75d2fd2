package io.cutover.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The simulated cloud's RDS read replicas, for tests: how long creation and promotion take, a replica's lag, a
 * broken replication, and what exists.
 */
public final class ReplicaSimulation {
    private final SimWorld world;
    private final SimReplicas model;

    ReplicaSimulation(SimWorld world, SimReplicas model) {
        this.world = world;
        this.model = model;
    }

    /** A replica as the simulated cloud holds it ({@code status} as {@code DatabaseProvider.Status} spells it). */
    public record View(String id, String source, boolean promoted, String status, Map<String, String> tags) {}

    /** Creation (the snapshot and restore latencies by default: 20 min) and promotion (5 min) times. */
    public ReplicaSimulation times(Duration create, Duration promote) {
        synchronized (world) {
            model.createTime = create;
            model.promoteTime = promote;
            return this;
        }
    }

    /** How long a promotion takes by default (RDS: "several minutes or longer, depending on the size"). */
    public static Duration defaultPromoteTime() {
        return Duration.ofMinutes(5);
    }

    /** The replicas of {@code sourceId} lag it by {@code lag} from now, as a long transaction leaves them. */
    public ReplicaSimulation lag(String sourceId, Duration lag) {
        synchronized (world) {
            model.lagBehind(sourceId, lag);
            return this;
        }
    }

    /** How far replica {@code replicaId} lags its source now. */
    public Duration lagOf(String replicaId) {
        synchronized (world) {
            world.tick(world.now());
            return model.lagOf(model.links.get(replicaId));
        }
    }

    /** Replication to {@code replicaId} breaks, as RDS reports it ({@code error: ...}). */
    public ReplicaSimulation breakReplication(String replicaId, String reason) {
        synchronized (world) {
            model.links.get(replicaId).problem = reason;
            return this;
        }
    }

    /** No figure reports the lag of {@code sourceId}'s replicas (on AWS: no CloudWatch client, or no datapoints). */
    public ReplicaSimulation lagNotReported(String sourceId) {
        synchronized (world) {
            model.lagUnreported.add(sourceId);
            return this;
        }
    }

    /** Every replica that exists, promoted or not. */
    public List<View> replicas() {
        synchronized (world) {
            world.tick(world.now());
            return model.views();
        }
    }

    /** Whether a database refuses writes (a replica not promoted). */
    public boolean readOnly(String databaseId) {
        synchronized (world) {
            return model.readOnly(databaseId);
        }
    }
}
