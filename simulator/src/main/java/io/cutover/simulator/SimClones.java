package io.cutover.simulator;

import io.cutover.plan.Environment.Database.Kind;
import io.cutover.spi.ApiService;
import io.cutover.spi.DatabaseProvider.CloneRequest;
import io.cutover.spi.DatabaseProvider.Status;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Simulated Aurora fast clones. A clone (RestoreDBClusterToPointInTime with {@code RestoreType=copy-on-write} and
 * the latest restorable time) holds its source's data as of that time, and is available with its instances after
 * {@link #cloneTime} (5 min by default), <b>whatever the source's size</b>: copy-on-write copies no pages when the
 * clone is made, only later when either side changes one ("Creating a clone is faster and more space-efficient
 * than physically copying the data using other techniques, such as restoring a snapshot", Amazon Aurora User
 * Guide, "Cloning a volume for an Amazon Aurora DB cluster"; the 5 minutes are the figure of issue 15 and AWS's
 * "in minutes"). A source's latest restorable time trails the present by {@link #restorableLag} (none by
 * default; AWS does not state a bound). Only Aurora clusters with instances can be cloned (same guide,
 * limitations), and at most 15 copy-on-write clones of one source may exist at once: the limit the guide states
 * for a source (older editions; current ones bound clones by the account's DB cluster quota), which the 16th
 * clone meets as an error naming it.
 */
final class SimClones {
    static final int COPY_ON_WRITE_LIMIT = 15;

    private final SimWorld world;
    private final SimDatabases databases;
    /** Each cluster's data version over time (its writes), so that a clone takes the version of its time. */
    private final Map<String, NavigableMap<Instant, Long>> versions = new HashMap<>();
    /** Clone id to its source's id. */
    final Map<String, String> sourceOf = new HashMap<>();

    Duration cloneTime = Duration.ofMinutes(5);
    Duration restorableLag = Duration.ZERO;

    SimDatabases databases() {
        return databases;
    }

    SimClones(SimWorld world, SimDatabases databases) {
        this.world = world;
        this.databases = databases;
    }

    /** A cluster's data version changed (a write, or the cluster appeared). */
    void wrote(SimDatabases.Db d) {
        if (d.kind == Kind.CLUSTER) {
            versions.computeIfAbsent(d.id, k -> new TreeMap<>()).put(world.now(), d.dataVersion);
        }
    }

    Optional<Instant> latestRestorableTime(Kind kind, String id) {
        world.enter(ApiService.RDS, kind == Kind.CLUSTER ? "DescribeDBClusters" : "DescribeDBInstances");
        SimDatabases.Db d = databases.get(kind, id);
        if (d == null) {
            throw ProviderException.of(
                    FailureKind.NOT_FOUND,
                    "DescribeDBClusters",
                    (kind == Kind.CLUSTER ? "DBCluster " : "DBInstance ") + id + " not found.");
        }
        Instant t = world.now().minus(restorableLag);
        NavigableMap<Instant, Long> v = versions.get(id);
        Instant first = v == null || v.isEmpty() ? t : v.firstKey();
        return Optional.of(t.isBefore(first) ? first : t);
    }

    void cloneCluster(CloneRequest r) {
        String op = "RestoreDBClusterToPointInTime";
        world.enter(ApiService.RDS, op);
        SimDatabases.Db source = databases.get(Kind.CLUSTER, r.sourceClusterId());
        if (source == null) {
            throw ProviderException.of(FailureKind.NOT_FOUND, op, "DBCluster " + r.sourceClusterId() + " not found.");
        }
        if (!source.engine.startsWith("aurora")) {
            throw ProviderException.of(
                    FailureKind.INVALID_REQUEST,
                    op,
                    "RestoreType copy-on-write is only supported for Aurora DB clusters; " + r.sourceClusterId()
                            + " is " + source.engine + " [InvalidParameterCombination]");
        }
        if (databases.get(Kind.CLUSTER, r.newClusterId()) != null) {
            throw ProviderException.of(
                    FailureKind.ALREADY_EXISTS,
                    op,
                    "DB Cluster " + r.newClusterId() + " already exists [DBClusterAlreadyExistsFault]");
        }
        if (source.status != Status.AVAILABLE) {
            throw ProviderException.of(
                    FailureKind.INVALID_REQUEST,
                    op,
                    "DB cluster " + r.sourceClusterId() + " is not in available state [InvalidDBClusterStateFault]");
        }
        long live = sourceOf.entrySet().stream()
                .filter(e -> e.getValue().equals(r.sourceClusterId()))
                .map(e -> databases.get(Kind.CLUSTER, e.getKey()))
                .filter(c -> c != null && c.status != Status.DELETING)
                .count();
        if (live >= COPY_ON_WRITE_LIMIT) {
            throw ProviderException.of(
                    FailureKind.INVALID_REQUEST,
                    op,
                    "Cannot create more than " + COPY_ON_WRITE_LIMIT + " copy-on-write clones of DB cluster "
                            + r.sourceClusterId() + " [DBClusterQuotaExceededFault]");
        }
        Instant at = latestRestorableTimeQuietly(source.id);
        SimDatabases.Db c = new SimDatabases.Db();
        c.kind = Kind.CLUSTER;
        c.id = r.newClusterId();
        c.status = Status.CREATING;
        c.readyAt = world.now().plus(cloneTime);
        NavigableMap<Instant, Long> v = versions.getOrDefault(source.id, new TreeMap<>());
        Map.Entry<Instant, Long> asOf = v.floorEntry(at);
        c.dataVersion = asOf == null ? source.dataVersion : asOf.getValue();
        c.storage = source.storage;
        c.engine = source.engine;
        c.instanceClass = r.instanceClass().orElse(source.instanceClass);
        c.settings.putAll(source.settings);
        c.settings.putAll(r.settings().asMap());
        c.tags.putAll(r.tags());
        sourceOf.put(c.id, source.id);
        databases.put(c);
        versions.computeIfAbsent(c.id, k -> new TreeMap<>()).put(world.now(), c.dataVersion);
    }

    private Instant latestRestorableTimeQuietly(String id) {
        Instant t = world.now().minus(restorableLag);
        NavigableMap<Instant, Long> v = versions.get(id);
        return v == null || v.isEmpty() || !t.isBefore(v.firstKey()) ? t : v.firstKey();
    }
}
