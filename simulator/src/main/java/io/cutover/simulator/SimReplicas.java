package io.cutover.simulator;

import io.cutover.plan.Environment.Database.Kind;
import io.cutover.spi.ApiService;
import io.cutover.spi.DatabaseProvider.Status;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.spi.ReplicaProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Simulated RDS read replicas of DB instances. As RDS does (user guide, "Working with DB instance read replicas"),
 * creating one takes a snapshot of the source and creates an instance from it: the replica is available after the
 * simulated cloud's snapshot and restore latencies (20 min by default) and starts with the source's data as it was
 * then. Each write to the source reaches the replica after the replica lag of that moment plus 2 s (the lag grows
 * by 2 s a write and drains at one second a second once writes stop). A promotion stops replication at once (what
 * the replica had not applied is not on the promoted instance) and reboots it: it is available, standalone, after 5
 * minutes ("several minutes or longer, depending on the size", user guide, "Promoting a read replica").
 */
final class SimReplicas implements ReplicaProvider, SimWorld.Ticking {
    /** A write of the source's, and when the replica has applied it. */
    record Write(long version, Instant appliedAt) {}

    static final class Link {
        String replica;
        String source;
        boolean promoted;
        /** When everything the source took so far is applied on the replica. */
        Instant caughtUpAt;

        final Deque<Write> pending = new ArrayDeque<>();
        String problem;
    }

    private final SimWorld world;
    private final SimDatabases databases;
    final Map<String, Link> links = new LinkedHashMap<>();
    /** Sources whose replicas' lag no figure reports (CloudWatch without ReplicaLag). */
    final java.util.Set<String> lagUnreported = new java.util.HashSet<>();

    Duration createTime;
    Duration promoteTime = Duration.ofMinutes(5);
    Duration lagPerWrite = Duration.ofSeconds(2);

    SimReplicas(SimWorld world, SimDatabases databases) {
        this.world = world;
        this.databases = databases;
    }

    Duration createTime() {
        return createTime != null
                ? createTime
                : world.latencies.databaseSnapshot().plus(world.latencies.databaseRestore());
    }

    /** How far the replica lags its source now. */
    Duration lagOf(Link l) {
        Duration left = Duration.between(world.now(), l.caughtUpAt);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The source took a write: it reaches each replica of it after that replica's lag, plus 2 s. */
    void wrote(String source, long version) {
        for (Link l : links.values()) {
            if (!l.promoted && l.source.equals(source)) {
                Instant from = l.caughtUpAt.isAfter(world.now()) ? l.caughtUpAt : world.now();
                l.caughtUpAt = from.plus(lagPerWrite);
                l.pending.add(new Write(version, l.caughtUpAt));
            }
        }
        world.changed();
    }

    /** A burst of writes or a long transaction on the source: its replicas lag it by {@code lag} from now. */
    void lagBehind(String source, Duration lag) {
        for (Link l : links.values()) {
            if (!l.promoted && l.source.equals(source)) {
                Instant until = world.now().plus(lag);
                l.caughtUpAt = until.isAfter(l.caughtUpAt) ? until : l.caughtUpAt;
                SimDatabases.Db src = databases.get(Kind.INSTANCE, source);
                l.pending.add(new Write(src == null ? 0 : src.dataVersion, l.caughtUpAt));
            }
        }
        world.changed();
    }

    /** Whether {@code id} is a replica not promoted: it refuses writes. */
    boolean readOnly(String id) {
        Link l = links.get(id);
        return l != null && !l.promoted;
    }

    @Override
    public void advance(Instant now) {
        for (Link l : new ArrayList<>(links.values())) {
            SimDatabases.Db d = databases.get(Kind.INSTANCE, l.replica);
            if (d == null) {
                links.remove(l.replica);
                continue;
            }
            if (l.promoted) {
                continue;
            }
            while (!l.pending.isEmpty() && !l.pending.peek().appliedAt().isAfter(now)) {
                d.dataVersion = Math.max(d.dataVersion, l.pending.poll().version());
            }
        }
    }

    @Override
    public Instant nextDue(Instant now, Instant due) {
        for (Link l : links.values()) {
            if (!l.promoted && !l.pending.isEmpty()) {
                due = SimWorld.later(l.pending.peek().appliedAt(), now, due);
            }
        }
        return due;
    }

    @Override
    public void create(String replicaId, String sourceId, Map<String, String> tags) {
        synchronized (world) {
            String op = "CreateDBInstanceReadReplica";
            world.enter(ApiService.RDS, op);
            if (databases.get(Kind.INSTANCE, replicaId) != null) {
                throw ProviderException.of(
                        FailureKind.ALREADY_EXISTS, op, "DBInstanceAlreadyExists: DB instance already exists");
            }
            SimDatabases.Db src = databases.get(Kind.INSTANCE, sourceId);
            if (src == null || world.unseen(sourceId)) {
                throw ProviderException.of(FailureKind.NOT_FOUND, op, "DBInstance " + sourceId + " not found.");
            }
            if (src.status != Status.AVAILABLE) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        op,
                        "InvalidDBInstanceState: DB instance " + sourceId + " is not in available state");
            }
            SimDatabases.Db d = new SimDatabases.Db();
            d.kind = Kind.INSTANCE;
            d.id = replicaId;
            d.status = Status.CREATING;
            d.readyAt = world.now().plus(createTime());
            d.dataVersion = src.dataVersion;
            d.storage = src.storage;
            d.engine = src.engine;
            d.instanceClass = src.instanceClass;
            d.settings.putAll(src.settings);
            d.tags.putAll(tags);
            databases.put(d);
            world.created("read-replica", replicaId, tags);
            Link l = new Link();
            l.replica = replicaId;
            l.source = sourceId;
            l.caughtUpAt = world.now();
            links.put(replicaId, l);
            world.happened("database", replicaId, "READ_REPLICA_OF " + sourceId);
        }
    }

    @Override
    public Replica describe(String replicaId) {
        synchronized (world) {
            world.enter(ApiService.RDS, "DescribeDBInstances");
            SimDatabases.Db d = databases.get(Kind.INSTANCE, replicaId);
            if (d == null || world.unseen(replicaId)) {
                throw ProviderException.of(
                        FailureKind.NOT_FOUND, "DescribeDBInstances", "DBInstance " + replicaId + " not found.");
            }
            Link l = links.get(replicaId);
            boolean replica = l != null && !l.promoted;
            return new Replica(
                    d.id,
                    d.status,
                    replica ? Optional.of(l.source) : Optional.empty(),
                    replica && d.status == Status.AVAILABLE && !lagUnreported.contains(l.source)
                            ? Optional.of(lagOf(l))
                            : Optional.empty(),
                    replica ? Optional.ofNullable(l.problem) : Optional.empty(),
                    Optional.of(d.id + ".sim.rds.local"),
                    d.tags);
        }
    }

    @Override
    public void promote(String replicaId) {
        synchronized (world) {
            String op = "PromoteReadReplica";
            world.enter(ApiService.RDS, op);
            SimDatabases.Db d = databases.get(Kind.INSTANCE, replicaId);
            if (d == null) {
                throw ProviderException.of(FailureKind.NOT_FOUND, op, "DBInstance " + replicaId + " not found.");
            }
            Link l = links.get(replicaId);
            if (l == null || l.promoted) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        op,
                        "InvalidDBInstanceState: DB Instance " + replicaId + " is not a read replica.");
            }
            if (d.status != Status.AVAILABLE) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        op,
                        "InvalidDBInstanceState: DB instance " + replicaId + " is not in available state");
            }
            world.tick(world.now());
            // Replication stops here: writes the replica had not applied are not on the promoted instance.
            l.promoted = true;
            l.pending.clear();
            d.status = Status.MODIFYING;
            d.readyAt = world.now().plus(promoteTime);
            databases.scheduled(d);
            world.changed();
            world.happened("database", replicaId, "PROMOTED");
        }
    }

    List<ReplicaSimulation.View> views() {
        return links.values().stream()
                .map(l -> new ReplicaSimulation.View(
                        l.replica,
                        l.source,
                        l.promoted,
                        databases.get(Kind.INSTANCE, l.replica).status.name(),
                        Map.copyOf(databases.get(Kind.INSTANCE, l.replica).tags)))
                .toList();
    }
}
