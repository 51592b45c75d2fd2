package io.cutover.simulator;

import io.cutover.plan.Environment.Database.Kind;
import io.cutover.spi.ApiService;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Simulated RDS: instances and clusters with their snapshots; a snapshot carries its database's data version. */
final class SimDatabases implements DatabaseProvider, SimWorld.Ticking {
    static final class Db {
        Kind kind;
        String id;
        Status status;
        Instant readyAt;
        long dataVersion;
        String fromSnapshot;
        int storage;
        Integer maxStorage;
        String instanceClass = "db.t3.medium";
        String engine = "postgres";
        String ownerStack;
        Map<String, String> tags = new LinkedHashMap<>();
        String finalSnapshot;
        /** A cluster with no DB instances (RDS clones only a cluster with at least one). */
        boolean noInstances;
        /** The settings a restore copies (RestoreSettings' names: multiAz, storageType, iops, port, ...). */
        Map<String, String> settings = new java.util.TreeMap<>();
    }

    static final class DbSnap {
        Kind kind;
        String id;
        String source;
        Status status;
        Instant readyAt;
        /** When it was taken (its data is blue's as of then): RDS's SnapshotCreateTime. */
        Instant takenAt;

        long dataVersion;
        int storage;
        Map<String, String> tags = new LinkedHashMap<>();
    }

    private final SimWorld world;
    // Every database and snapshot put here with a due time set is due then (DueTimes).
    private final Map<String, Db> dbs = DueTimes.onPut(d -> this.dbsDue.add(d));
    private final Map<String, DbSnap> dbSnaps = DueTimes.onPut(s -> this.snapsDue.add(s));
    private final List<String> deletedDatabases = new ArrayList<>();
    final SimClones clones;
    private final DueTimes<Db> dbsDue =
            new DueTimes<>("database", d -> dbs.get(key(d.kind, d.id)) == d ? d.readyAt : null, dbs::values);
    private final DueTimes<DbSnap> snapsDue = new DueTimes<>(
            "database snapshot",
            s -> dbSnaps.get(key(s.kind, s.id)) == s && s.status == Status.CREATING ? s.readyAt : null,
            dbSnaps::values);

    SimDatabases(SimWorld world) {
        this.world = world;
        this.clones = new SimClones(world, this);
    }

    private static String key(Kind kind, String id) {
        return kind + "/" + id;
    }

    // ------------------------------------------------------------------------------------------- time

    @Override
    public void advance(Instant now) {
        List<Db> dueDbs = dbsDue.due(now);
        for (Db d : dueDbs) {
            if (d.readyAt != null && !d.readyAt.isAfter(now)) {
                if (d.status == Status.CREATING || d.status == Status.MODIFYING) {
                    d.status = Status.AVAILABLE;
                } else if (d.status == Status.DELETING) {
                    dbs.remove(key(d.kind, d.id));
                    deletedDatabases.add(d.id);
                    world.happened(d.readyAt, "database", d.id, "DELETED");
                }
                d.readyAt = null;
            }
        }
        dbsDue.advanced(dueDbs, now);
        List<DbSnap> dueSnaps = snapsDue.due(now);
        for (DbSnap s : dueSnaps) {
            if (s.status == Status.CREATING && s.readyAt != null && !s.readyAt.isAfter(now)) {
                if (world.faults.snapshotFailing(s.source)) {
                    s.status = Status.FAILED;
                    world.happened(s.readyAt, "database-snapshot", s.id, "FAILED");
                } else if (!world.faults.snapshotStuck(s.source)) {
                    s.status = Status.AVAILABLE;
                    world.happened(s.readyAt, "database-snapshot", s.id, "AVAILABLE");
                }
            }
        }
        snapsDue.advanced(dueSnaps, now);
    }

    @Override
    public Instant nextDue(Instant now, Instant due) {
        return snapsDue.next(now, dbsDue.next(now, due));
    }

    /** To be called after setting a database's {@code readyAt}: it changes when that time comes. */
    void scheduled(Db d) {
        dbsDue.add(d);
    }

    // ------------------------------------------------------------------------------------------- for stacks

    Db get(Kind kind, String id) {
        return dbs.get(key(kind, id));
    }

    /** The snapshot of that id, or null. */
    DbSnap snapshot(Kind kind, String id) {
        return dbSnaps.get(key(kind, id));
    }

    void put(Db d) {
        dbs.put(key(d.kind, d.id), d);
        world.created("database", d.id);
    }

    /** Gives a database another id (an RDS blue/green switchover renames both instances). */
    void rename(Db d, String newId) {
        dbs.remove(key(d.kind, d.id));
        d.id = newId;
        dbs.put(key(d.kind, d.id), d);
    }

    /** Removes a stack's database with the stack (no final snapshot), if the id is one. */
    void removeWithStack(String physical) {
        for (Kind k : Kind.values()) {
            Db d = dbs.remove(key(k, physical));
            if (d != null) {
                deletedDatabases.add(d.id);
                world.happened("database", d.id, "DELETED");
            }
        }
    }

    /** Whether none of these physical ids is a database that is not available. */
    boolean allAvailable(Iterable<String> physicalIds) {
        for (String physical : physicalIds) {
            for (Kind k : Kind.values()) {
                Db d = dbs.get(key(k, physical));
                if (d != null && d.status != Status.AVAILABLE) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A replaced database is ready when its stack's update is. */
    void readyAtOnce(String physical) {
        for (Kind k : Kind.values()) {
            Db d = dbs.get(key(k, physical));
            if (d != null) {
                d.status = Status.AVAILABLE;
                d.readyAt = null;
            }
        }
    }

    // ------------------------------------------------------------------------------------------- the SPI

    private Db liveDb(Kind kind, String id, String operation) {
        Db d = dbs.get(key(kind, id));
        if (d == null) {
            throw ProviderException.of(
                    FailureKind.NOT_FOUND,
                    operation,
                    (kind == Kind.CLUSTER ? "DBCluster " : "DBInstance ") + id + " not found.");
        }
        return d;
    }

    @Override
    public DatabaseDescription describe(Kind kind, String databaseId) {
        synchronized (world) {
            world.enter(ApiService.RDS, kind == Kind.CLUSTER ? "DescribeDBClusters" : "DescribeDBInstances");
            Db d = liveDb(kind, databaseId, "DescribeDBInstances");
            if (world.unseen(d.id)) {
                throw ProviderException.of(
                        FailureKind.NOT_FOUND, "DescribeDBInstances", "DBInstance " + databaseId + " not found.");
            }
            return new DatabaseDescription(
                    d.kind,
                    d.id,
                    d.status == Status.AVAILABLE
                            ? world.faults.databaseState(d.id, world.now()).orElse(d.status)
                            : d.status,
                    d.engine,
                    d.instanceClass,
                    Optional.of(d.id + ".sim.rds.local"),
                    d.storage,
                    Optional.ofNullable(d.maxStorage),
                    true,
                    Optional.of("alias/aws/rds"),
                    Optional.of("default"),
                    List.of("sg-0sim"),
                    Optional.of("default.postgres16"),
                    d.tags,
                    d.kind == Kind.CLUSTER && !d.noInstances ? List.of(d.id + "-1") : List.of());
        }
    }

    @Override
    public void createSnapshot(Kind kind, String databaseId, String snapshotId, Map<String, String> tags) {
        synchronized (world) {
            String op = kind == Kind.CLUSTER ? "CreateDBClusterSnapshot" : "CreateDBSnapshot";
            world.enter(ApiService.RDS, op);
            Db d = liveDb(kind, databaseId, op);
            if (dbSnaps.containsKey(key(kind, snapshotId))) {
                throw ProviderException.of(
                        FailureKind.ALREADY_EXISTS,
                        op,
                        "Cannot create the snapshot because a snapshot " + "with the identifier " + snapshotId
                                + " already exists.");
            }
            Status now = d.status == Status.AVAILABLE
                    ? world.faults.databaseState(d.id, world.now()).orElse(d.status)
                    : d.status;
            if (now != Status.AVAILABLE) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        op,
                        "DB " + databaseId + " is not in available state (" + now + ")");
            }
            DbSnap snap = snapshotOf(d, snapshotId, tags);
            dbSnaps.put(key(kind, snapshotId), snap);
            world.created("database-snapshot", snapshotId, tags);
        }
    }

    @Override
    public SnapshotDescription describeSnapshot(Kind kind, String snapshotId) {
        synchronized (world) {
            String op = kind == Kind.CLUSTER ? "DescribeDBClusterSnapshots" : "DescribeDBSnapshots";
            world.enter(ApiService.RDS, op);
            DbSnap s = dbSnaps.get(key(kind, snapshotId));
            if (s == null || world.unseen(snapshotId)) {
                throw ProviderException.of(FailureKind.NOT_FOUND, op, "DBSnapshot " + snapshotId + " not found.");
            }
            int pct = s.status == Status.AVAILABLE
                    ? 100
                    : s.readyAt == null
                            ? 0
                            // its own duration: each snapshot may take its own time (OperationTimes)
                            : world.progress(s.readyAt, Duration.between(s.takenAt, s.readyAt));
            return new SnapshotDescription(
                    s.kind,
                    s.id,
                    s.source,
                    s.status,
                    pct,
                    Optional.ofNullable(s.takenAt == null ? s.readyAt : s.takenAt),
                    true,
                    Optional.of("alias/aws/rds"),
                    s.tags,
                    s.storage);
        }
    }

    @Override
    public void restore(RestoreRequest request) {
        synchronized (world) {
            String op =
                    request.kind() == Kind.CLUSTER ? "RestoreDBClusterFromSnapshot" : "RestoreDBInstanceFromDBSnapshot";
            world.enter(ApiService.RDS, op);
            if (dbs.containsKey(key(request.kind(), request.newDatabaseId()))) {
                throw ProviderException.of(
                        FailureKind.ALREADY_EXISTS, op, "DB " + request.newDatabaseId() + " already exists");
            }
            DbSnap s = dbSnaps.get(key(request.kind(), request.snapshotId()));
            if (s == null || s.status != Status.AVAILABLE) {
                throw ProviderException.of(
                        s == null ? FailureKind.NOT_FOUND : FailureKind.INVALID_REQUEST,
                        op,
                        "DBSnapshot " + request.snapshotId() + (s == null ? " not found." : " is not available."));
            }
            Db d = new Db();
            d.kind = request.kind();
            d.id = request.newDatabaseId();
            d.status = Status.CREATING;
            d.readyAt = world.now().plus(world.took("databaseRestore", world.latencies.databaseRestore()));
            d.dataVersion = s.dataVersion;
            d.fromSnapshot = s.id;
            d.storage = s.storage;
            // As RDS's restore through the adapter: the source's settings as they are now, then the overrides.
            Db source = dbs.get(key(request.kind(), s.source));
            d.instanceClass = request.instanceClass().orElse(source == null ? "db.t3.medium" : source.instanceClass);
            if (source != null) {
                d.settings.putAll(source.settings);
            }
            d.settings.putAll(request.settings().asMap());
            request.subnetGroup().ifPresent(g -> d.settings.put("subnetGroup", g));
            request.parameterGroup().ifPresent(g -> d.settings.put("parameterGroup", g));
            if (!request.securityGroups().isEmpty()) {
                d.settings.put("securityGroups", String.join(",", request.securityGroups()));
            }
            if (d.settings.containsKey("allocatedStorageGb")) {
                d.storage = Math.max(d.storage, Integer.parseInt(d.settings.remove("allocatedStorageGb")));
            }
            d.tags.putAll(request.tags());
            put(d);
        }
    }

    @Override
    public void cloneCluster(CloneRequest request) {
        synchronized (world) {
            clones.cloneCluster(request);
        }
    }

    @Override
    public Optional<Instant> latestRestorableTime(Kind kind, String databaseId) {
        synchronized (world) {
            return clones.latestRestorableTime(kind, databaseId);
        }
    }

    @Override
    public void delete(Kind kind, String databaseId, Optional<String> finalSnapshotId) {
        synchronized (world) {
            String op = kind == Kind.CLUSTER ? "DeleteDBCluster" : "DeleteDBInstance";
            world.enter(ApiService.RDS, op);
            Db d = liveDb(kind, databaseId, op);
            if (d.status == Status.DELETING) {
                return;
            }
            world.happened("database", d.id, "DELETE_REQUESTED");
            if (finalSnapshotId.isPresent()) {
                if (dbSnaps.containsKey(key(kind, finalSnapshotId.get()))) {
                    throw ProviderException.of(
                            FailureKind.ALREADY_EXISTS, op, "Snapshot " + finalSnapshotId.get() + " already exists");
                }
                DbSnap last = snapshotOf(d, finalSnapshotId.get(), d.tags);
                dbSnaps.put(key(kind, finalSnapshotId.get()), last);
                world.created("database-snapshot", finalSnapshotId.get());
                d.finalSnapshot = finalSnapshotId.get();
            }
            d.status = Status.DELETING;
            d.readyAt = world.now().plus(world.took("databaseDelete", world.latencies.databaseDelete()));
            dbsDue.add(d);
        }
    }

    @Override
    public void deleteSnapshot(Kind kind, String snapshotId) {
        synchronized (world) {
            world.enter(ApiService.RDS, kind == Kind.CLUSTER ? "DeleteDBClusterSnapshot" : "DeleteDBSnapshot");
            DbSnap s = dbSnaps.get(key(kind, snapshotId));
            if (s != null && s.status == Status.CREATING) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        "DeleteDBSnapshot",
                        "Cannot delete snapshot " + snapshotId + " while it is being created");
            }
            if (dbSnaps.remove(key(kind, snapshotId)) != null) {
                world.happened("database-snapshot", snapshotId, "DELETED");
            }
        }
    }

    private DbSnap snapshotOf(Db d, String id, Map<String, String> tags) {
        DbSnap s = new DbSnap();
        s.kind = d.kind;
        s.id = id;
        s.source = d.id;
        s.status = Status.CREATING;
        s.readyAt = world.now().plus(world.took("databaseSnapshot", world.latencies.databaseSnapshot()));
        s.takenAt = world.now();
        s.dataVersion = d.dataVersion;
        s.storage = d.storage;
        s.tags.putAll(tags);
        return s;
    }

    // ------------------------------------------------------------------------------------------- seeding

    /** A database available at once, as part of {@code ownerStack} or standing alone. */
    void add(Kind kind, String id, String ownerStack) {
        Db d = new Db();
        d.kind = kind;
        d.id = id;
        d.status = Status.AVAILABLE;
        d.dataVersion = 1;
        d.storage = 20;
        d.ownerStack = ownerStack;
        d.engine = kind == Kind.CLUSTER ? "aurora-postgresql" : d.engine;
        dbs.put(key(kind, id), d);
        clones.wrote(d);
    }

    long write(Kind kind, String databaseId) {
        Db d = dbs.get(key(kind, databaseId));
        if (d == null || d.status != Status.AVAILABLE) {
            throw new IllegalStateException("database " + databaseId + " cannot take writes now");
        }
        ++d.dataVersion;
        clones.wrote(d);
        return d.dataVersion;
    }

    void growStorage(Kind kind, String databaseId, int gb) {
        Db d = dbs.get(key(kind, databaseId));
        d.storage = gb;
        d.maxStorage = Math.max(gb * 2, d.maxStorage == null ? 0 : d.maxStorage);
    }

    void configure(Kind kind, String databaseId, String instanceClass, Map<String, String> settings) {
        Db d = dbs.get(key(kind, databaseId));
        d.instanceClass = instanceClass;
        d.settings.putAll(settings);
    }

    // ------------------------------------------------------------------------------------------- reading

    Optional<SimulatedCloud.SimDatabase> database(Kind kind, String id) {
        Db d = dbs.get(key(kind, id));
        return d == null
                ? Optional.empty()
                : Optional.of(new SimulatedCloud.SimDatabase(
                        d.kind,
                        d.id,
                        d.status,
                        d.dataVersion,
                        Optional.ofNullable(d.fromSnapshot),
                        d.storage,
                        Optional.ofNullable(d.ownerStack),
                        Map.copyOf(d.tags),
                        d.instanceClass,
                        Map.copyOf(d.settings)));
    }

    List<SimulatedCloud.SimDatabase> all() {
        return dbs.values().stream()
                .map(d -> database(d.kind, d.id).orElseThrow())
                .toList();
    }

    List<String> deleted() {
        return List.copyOf(deletedDatabases);
    }

    List<SimulatedCloud.SimSnapshot> snapshots() {
        return dbSnaps.values().stream()
                .map(s -> new SimulatedCloud.SimSnapshot(
                        s.id, s.source, s.status.name(), s.dataVersion, Map.copyOf(s.tags)))
                .toList();
    }
}
