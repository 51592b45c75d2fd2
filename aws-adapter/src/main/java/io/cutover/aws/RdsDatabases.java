package io.cutover.aws;

import io.cutover.plan.Environment.Database.Kind;
import io.cutover.spi.ApiService;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterMember;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBParameterGroupStatus;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.Filter;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.rds.model.VpcSecurityGroupMembership;

/**
 * {@link DatabaseProvider} over RDS: DB instances ({@link Kind#INSTANCE}) and Aurora DB clusters
 * ({@link Kind#CLUSTER}). A cluster's database is the cluster plus its member instances; restore and delete
 * handle both, since RDS restores a cluster without instances and refuses to delete one that has them.
 */
final class RdsDatabases implements DatabaseProvider {
    private static final Logger log = LoggerFactory.getLogger(RdsDatabases.class);
    private static final ApiService API = ApiService.RDS;

    private final RdsClient rds;
    private final AwsCalls calls;

    RdsDatabases(RdsClient rds, AwsCalls calls) {
        this.rds = rds;
        this.calls = calls;
    }

    // ---- describe ----

    @Override
    public DatabaseDescription describe(Kind kind, String databaseId) {
        if (kind == Kind.INSTANCE) {
            return instance(describeInstance(databaseId));
        }
        DBCluster cluster = describeCluster(databaseId);
        List<DBInstance> members = cluster.dbClusterMembers().isEmpty() ? List.of() : clusterInstances(databaseId);
        DatabaseDescription d = cluster(cluster, writerClass(cluster, members));
        // A cluster serves once its instances do: a restored or cloned one is available before them.
        if (d.status() == Status.AVAILABLE
                && members.stream().anyMatch(i -> status(i.dbInstanceStatus()) == Status.CREATING)) {
            return d.withStatus(Status.CREATING);
        }
        return d;
    }

    private DBInstance describeInstance(String id) {
        return calls
                .call(
                        API,
                        "DescribeDBInstances",
                        "DB instance '" + id + "'",
                        () -> rds.describeDBInstances(r -> r.dbInstanceIdentifier(id))
                                .dbInstances())
                .stream()
                .findFirst()
                .orElseThrow(() -> ProviderException.notFound("DescribeDBInstances", "DB instance '" + id + "'"));
    }

    DBCluster describeCluster(String id) {
        return calls
                .call(
                        API,
                        "DescribeDBClusters",
                        "DB cluster '" + id + "'",
                        () -> rds.describeDBClusters(r -> r.dbClusterIdentifier(id))
                                .dbClusters())
                .stream()
                .findFirst()
                .orElseThrow(() -> ProviderException.notFound("DescribeDBClusters", "DB cluster '" + id + "'"));
    }

    List<DBInstance> clusterInstances(String clusterId) {
        return calls.call(
                API,
                "DescribeDBInstances",
                "DB cluster '" + clusterId + "'",
                () -> rds.describeDBInstances(r -> r.filters(Filter.builder()
                                .name("db-cluster-id")
                                .values(clusterId)
                                .build()))
                        .dbInstances());
    }

    /** Aurora reports the instance class per member; Multi-AZ DB clusters report one for the cluster. */
    private static Optional<String> writerClass(DBCluster cluster, List<DBInstance> members) {
        if (cluster.dbClusterInstanceClass() != null) {
            return Optional.of(cluster.dbClusterInstanceClass());
        }
        Optional<String> writer = cluster.dbClusterMembers().stream()
                .filter(m -> Boolean.TRUE.equals(m.isClusterWriter()))
                .map(DBClusterMember::dbInstanceIdentifier)
                .findFirst();
        if (cluster.dbClusterMembers().isEmpty()) {
            return Optional.empty();
        }
        return members.stream()
                .filter(i -> writer.isEmpty() || writer.get().equals(i.dbInstanceIdentifier()))
                .map(DBInstance::dbInstanceClass)
                .findFirst();
    }

    // ---- snapshots ----

    @Override
    public void createSnapshot(Kind kind, String databaseId, String snapshotId, Map<String, String> tags) {
        if (kind == Kind.INSTANCE) {
            calls.run(
                    API,
                    "CreateDBSnapshot",
                    "DB instance '" + databaseId + "'",
                    () -> rds.createDBSnapshot(r -> r.dbInstanceIdentifier(databaseId)
                            .dbSnapshotIdentifier(snapshotId)
                            .tags(tagList(tags))));
        } else {
            calls.run(
                    API,
                    "CreateDBClusterSnapshot",
                    "DB cluster '" + databaseId + "'",
                    () -> rds.createDBClusterSnapshot(r -> r.dbClusterIdentifier(databaseId)
                            .dbClusterSnapshotIdentifier(snapshotId)
                            .tags(tagList(tags))));
        }
    }

    @Override
    public SnapshotDescription describeSnapshot(Kind kind, String snapshotId) {
        return kind == Kind.INSTANCE
                ? snapshot(describeDbSnapshot(snapshotId))
                : snapshot(describeClusterSnapshot(snapshotId));
    }

    private DBSnapshot describeDbSnapshot(String id) {
        return calls
                .call(
                        API,
                        "DescribeDBSnapshots",
                        "DB snapshot '" + id + "'",
                        () -> rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier(id))
                                .dbSnapshots())
                .stream()
                .findFirst()
                .orElseThrow(() -> ProviderException.notFound("DescribeDBSnapshots", "DB snapshot '" + id + "'"));
    }

    private DBClusterSnapshot describeClusterSnapshot(String id) {
        return calls
                .call(
                        API,
                        "DescribeDBClusterSnapshots",
                        "DB cluster snapshot '" + id + "'",
                        () -> rds.describeDBClusterSnapshots(r -> r.dbClusterSnapshotIdentifier(id))
                                .dbClusterSnapshots())
                .stream()
                .findFirst()
                .orElseThrow(() ->
                        ProviderException.notFound("DescribeDBClusterSnapshots", "DB cluster snapshot '" + id + "'"));
    }

    @Override
    public void deleteSnapshot(Kind kind, String snapshotId) {
        try {
            if (kind == Kind.INSTANCE) {
                calls.run(
                        API,
                        "DeleteDBSnapshot",
                        "DB snapshot '" + snapshotId + "'",
                        () -> rds.deleteDBSnapshot(r -> r.dbSnapshotIdentifier(snapshotId)));
            } else {
                calls.run(
                        API,
                        "DeleteDBClusterSnapshot",
                        "DB cluster snapshot '" + snapshotId + "'",
                        () -> rds.deleteDBClusterSnapshot(r -> r.dbClusterSnapshotIdentifier(snapshotId)));
            }
        } catch (ProviderException e) {
            if (e.kind() != FailureKind.NOT_FOUND) {
                throw e;
            }
        }
    }

    // ---- restore ----

    @Override
    public void restore(RestoreRequest request) {
        if (request.kind() == Kind.INSTANCE) {
            restoreInstance(request);
        } else {
            restoreCluster(request);
        }
    }

    private void restoreInstance(RestoreRequest request) {
        DBSnapshot snapshot = describeDbSnapshot(request.snapshotId());
        Optional<DBInstance> source = findInstance(snapshot.dbInstanceIdentifier());
        Optional<String> instanceClass = request.instanceClass().or(() -> source.map(DBInstance::dbInstanceClass));
        Optional<String> subnetGroup = request.subnetGroup()
                .or(() -> source.flatMap(
                        s -> Optional.ofNullable(s.dbSubnetGroup()).map(g -> g.dbSubnetGroupName())));
        List<String> securityGroups = !request.securityGroups().isEmpty()
                ? request.securityGroups()
                : source.map(s -> securityGroupIds(s.vpcSecurityGroups())).orElse(List.of());
        Optional<String> parameterGroup = request.parameterGroup()
                .or(() -> source.flatMap(s -> s.dbParameterGroups().stream()
                        .map(DBParameterGroupStatus::dbParameterGroupName)
                        .findFirst()));
        Map<String, String> tags =
                mergeTags(source.map(s -> tagMap(s.tagList())).orElse(Map.of()), request.tags());
        // Encryption and its key come with the snapshot: RDS restores an encrypted snapshot encrypted, with the
        // snapshot's key, and offers no way to change either on this call.
        calls.run(
                API,
                "RestoreDBInstanceFromDBSnapshot",
                "DB snapshot '" + request.snapshotId() + "'",
                () -> rds.restoreDBInstanceFromDBSnapshot(r -> {
                    r.dbInstanceIdentifier(request.newDatabaseId())
                            .dbSnapshotIdentifier(request.snapshotId())
                            .tags(tagList(tags));
                    instanceClass.ifPresent(r::dbInstanceClass);
                    subnetGroup.ifPresent(r::dbSubnetGroupName);
                    parameterGroup.ifPresent(r::dbParameterGroupName);
                    if (!securityGroups.isEmpty()) {
                        r.vpcSecurityGroupIds(securityGroups);
                    }
                    RdsRestoreSettings.instance(r, source, request.settings());
                }));
    }

    private void restoreCluster(RestoreRequest request) {
        DBClusterSnapshot snapshot = describeClusterSnapshot(request.snapshotId());
        Optional<DBCluster> source = findCluster(snapshot.dbClusterIdentifier());
        List<DBInstance> sourceMembers =
                source.isPresent() ? clusterInstances(source.get().dbClusterIdentifier()) : List.of();
        Optional<String> subnetGroup = request.subnetGroup().or(() -> source.map(DBCluster::dbSubnetGroup));
        List<String> securityGroups = !request.securityGroups().isEmpty()
                ? request.securityGroups()
                : source.map(s -> securityGroupIds(s.vpcSecurityGroups())).orElse(List.of());
        Optional<String> parameterGroup =
                request.parameterGroup().or(() -> source.map(DBCluster::dbClusterParameterGroup));
        Map<String, String> tags =
                mergeTags(source.map(s -> tagMap(s.tagList())).orElse(Map.of()), request.tags());
        // Unlike instances, a cluster restore takes a key; the snapshot's key keeps the source's encryption.
        Optional<String> kmsKeyId = Boolean.TRUE.equals(snapshot.storageEncrypted())
                ? Optional.ofNullable(snapshot.kmsKeyId())
                : Optional.empty();

        ProviderException alreadyExists = null;
        try {
            calls.run(
                    API,
                    "RestoreDBClusterFromSnapshot",
                    "DB cluster snapshot '" + request.snapshotId() + "'",
                    () -> rds.restoreDBClusterFromSnapshot(r -> {
                        r.dbClusterIdentifier(request.newDatabaseId())
                                .snapshotIdentifier(request.snapshotId())
                                .engine(snapshot.engine())
                                .engineVersion(snapshot.engineVersion())
                                .tags(tagList(tags));
                        subnetGroup.ifPresent(r::dbSubnetGroupName);
                        parameterGroup.ifPresent(r::dbClusterParameterGroupName);
                        kmsKeyId.ifPresent(r::kmsKeyId);
                        if (!securityGroups.isEmpty()) {
                            r.vpcSecurityGroupIds(securityGroups);
                        }
                        RdsRestoreSettings.cluster(r, source, request.settings());
                    }));
        } catch (ProviderException e) {
            if (e.kind() != FailureKind.ALREADY_EXISTS) {
                throw e;
            }
            // A repeated restore (after a crash between the cluster and its instances) still completes the
            // instances, then reports the cluster as existing so the engine adopts it.
            alreadyExists = e;
        }
        createClusterInstances(
                request,
                snapshot.engine(),
                "that snapshot '" + request.snapshotId() + "' was taken of, " + snapshot.dbClusterIdentifier(),
                source,
                sourceMembers,
                tags);
        if (alreadyExists != null) {
            throw alreadyExists;
        }
    }

    // ---- Aurora fast clones: RdsClones ----

    @Override
    public Optional<java.time.Instant> latestRestorableTime(Kind kind, String databaseId) {
        return kind == Kind.INSTANCE
                ? Optional.ofNullable(describeInstance(databaseId).latestRestorableTime())
                : Optional.ofNullable(describeCluster(databaseId).latestRestorableTime());
    }

    @Override
    public void cloneCluster(CloneRequest request) {
        new RdsClones(rds, calls, this).clone(request);
    }

    void createClusterInstances(
            RestoreRequest request,
            String engine,
            String sourceName,
            Optional<DBCluster> source,
            List<DBInstance> sourceMembers,
            Map<String, String> tags) {
        // One new instance per source member, writer first so that it becomes the new writer.
        List<String> writerIds = source.map(s -> s.dbClusterMembers().stream()
                        .filter(m -> Boolean.TRUE.equals(m.isClusterWriter()))
                        .map(DBClusterMember::dbInstanceIdentifier)
                        .toList())
                .orElse(List.of());
        List<DBInstance> ordered = new ArrayList<>(sourceMembers);
        ordered.sort(Comparator.comparing((DBInstance i) -> !writerIds.contains(i.dbInstanceIdentifier()))
                .thenComparing(DBInstance::dbInstanceIdentifier));
        if (ordered.isEmpty()) {
            if (request.instanceClass().isEmpty()) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        "CreateDBInstance",
                        "DB cluster " + sourceName + " has no "
                                + "instances any more, so the new cluster '" + request.newDatabaseId()
                                + "' cannot copy their class;"
                                + " give the restore request an instanceClass");
            }
            ordered.add(null);
        }
        for (int n = 0; n < ordered.size(); n++) {
            DBInstance member = ordered.get(n);
            String instanceId = request.newDatabaseId() + "-" + (n + 1);
            String instanceClass = request.instanceClass().orElseGet(() -> member.dbInstanceClass());
            Optional<String> parameterGroup = Optional.ofNullable(member)
                    .flatMap(m -> m.dbParameterGroups().stream()
                            .map(DBParameterGroupStatus::dbParameterGroupName)
                            .findFirst());
            try {
                calls.run(
                        API,
                        "CreateDBInstance",
                        "DB cluster '" + request.newDatabaseId() + "'",
                        () -> rds.createDBInstance(r -> {
                            r.dbInstanceIdentifier(instanceId)
                                    .dbClusterIdentifier(request.newDatabaseId())
                                    .engine(engine)
                                    .dbInstanceClass(instanceClass)
                                    .tags(tagList(tags));
                            parameterGroup.ifPresent(r::dbParameterGroupName);
                        }));
            } catch (ProviderException e) {
                if (e.kind() != FailureKind.ALREADY_EXISTS) {
                    throw e;
                }
            }
        }
    }

    private Optional<DBInstance> findInstance(String id) {
        try {
            return Optional.of(describeInstance(id));
        } catch (ProviderException e) {
            if (e.kind() != FailureKind.NOT_FOUND) {
                throw e;
            }
            log.warn(
                    "DB instance '{}' is gone; the restore keeps RDS's defaults where the request leaves settings empty",
                    id);
            return Optional.empty();
        }
    }

    private Optional<DBCluster> findCluster(String id) {
        try {
            return Optional.of(describeCluster(id));
        } catch (ProviderException e) {
            if (e.kind() != FailureKind.NOT_FOUND) {
                throw e;
            }
            log.warn(
                    "DB cluster '{}' is gone; the restore keeps RDS's defaults where the request leaves settings empty",
                    id);
            return Optional.empty();
        }
    }

    // ---- delete ----

    @Override
    public void delete(Kind kind, String databaseId, Optional<String> finalSnapshotId) {
        if (kind == Kind.INSTANCE) {
            deleteInstance(databaseId, finalSnapshotId);
            return;
        }
        DBCluster cluster = describeCluster(databaseId);
        if ("deleting".equals(cluster.status())) {
            return;
        }
        // RDS refuses to delete a cluster while it has instances that are not being deleted.
        for (DBClusterMember member : cluster.dbClusterMembers()) {
            deleteInstance(member.dbInstanceIdentifier(), Optional.empty());
        }
        calls.run(
                API,
                "DeleteDBCluster",
                "DB cluster '" + databaseId + "'",
                () -> rds.deleteDBCluster(r -> {
                    r.dbClusterIdentifier(databaseId);
                    finalSnapshotId.ifPresentOrElse(r::finalDBSnapshotIdentifier, () -> r.skipFinalSnapshot(true));
                }));
    }

    private void deleteInstance(String instanceId, Optional<String> finalSnapshotId) {
        try {
            calls.run(
                    API,
                    "DeleteDBInstance",
                    "DB instance '" + instanceId + "'",
                    () -> rds.deleteDBInstance(r -> {
                        r.dbInstanceIdentifier(instanceId);
                        finalSnapshotId.ifPresentOrElse(r::finalDBSnapshotIdentifier, () -> r.skipFinalSnapshot(true));
                    }));
        } catch (ProviderException e) {
            // A repeated delete meets an instance that is already being deleted: that is what was asked.
            if (e.kind() != FailureKind.INVALID_REQUEST
                    || !"deleting".equals(describeInstance(instanceId).dbInstanceStatus())) {
                throw e;
            }
        }
    }

    // ---- mapping, package-private for the unit tests ----

    static Status status(String rdsStatus) {
        if (rdsStatus == null) {
            return Status.CREATING;
        }
        switch (rdsStatus) {
            case "available":
            // storage optimisation runs after a storage change while the database serves as usual
            case "storage-optimization":
                return Status.AVAILABLE;
            case "creating":
            case "copying":
            case "pending":
                return Status.CREATING;
            case "deleting":
                return Status.DELETING;
            case "deleted":
                return Status.DELETED;
            case "failed":
            case "error":
            case "incompatible-restore":
            case "incompatible-parameters":
            case "incompatible-network":
            case "incompatible-option-group":
            case "incompatible-credentials":
            case "inaccessible-encryption-credentials":
            case "inaccessible-encryption-credentials-recoverable":
            case "restore-error":
            case "storage-full":
            case "insufficient-capacity":
            // a stopped database serves nothing and will not start by itself: a person must look
            case "stopped":
                return Status.FAILED;
            default:
                // backing-up, modifying, rebooting, renaming, upgrading, starting, stopping, maintenance, ...: busy
                // but on its way back to available, as AWS's own "available" waiter sees it
                return Status.MODIFYING;
        }
    }

    static DatabaseDescription instance(DBInstance i) {
        return new DatabaseDescription(
                Kind.INSTANCE,
                i.dbInstanceIdentifier(),
                status(i.dbInstanceStatus()),
                i.engine(),
                i.dbInstanceClass(),
                Optional.ofNullable(i.endpoint()).map(e -> e.address()),
                Optional.ofNullable(i.allocatedStorage()).orElse(0),
                Optional.ofNullable(i.maxAllocatedStorage()),
                Boolean.TRUE.equals(i.storageEncrypted()),
                Optional.ofNullable(i.kmsKeyId()),
                Optional.ofNullable(i.dbSubnetGroup()).map(g -> g.dbSubnetGroupName()),
                securityGroupIds(i.vpcSecurityGroups()),
                i.dbParameterGroups().stream()
                        .map(DBParameterGroupStatus::dbParameterGroupName)
                        .findFirst(),
                tagMap(i.tagList()),
                List.of());
    }

    static DatabaseDescription cluster(DBCluster c, Optional<String> instanceClass) {
        List<String> members = c.dbClusterMembers().stream()
                .sorted(Comparator.comparing((DBClusterMember m) -> !Boolean.TRUE.equals(m.isClusterWriter())))
                .map(DBClusterMember::dbInstanceIdentifier)
                .toList();
        return new DatabaseDescription(
                Kind.CLUSTER,
                c.dbClusterIdentifier(),
                status(c.status()),
                c.engine(),
                instanceClass.orElse(""),
                Optional.ofNullable(c.endpoint()),
                Optional.ofNullable(c.allocatedStorage()).orElse(0),
                Optional.empty(),
                Boolean.TRUE.equals(c.storageEncrypted()),
                Optional.ofNullable(c.kmsKeyId()),
                Optional.ofNullable(c.dbSubnetGroup()),
                securityGroupIds(c.vpcSecurityGroups()),
                Optional.ofNullable(c.dbClusterParameterGroup()),
                tagMap(c.tagList()),
                members);
    }

    static SnapshotDescription snapshot(DBSnapshot s) {
        return new SnapshotDescription(
                Kind.INSTANCE,
                s.dbSnapshotIdentifier(),
                s.dbInstanceIdentifier(),
                status(s.status()),
                progress(s.percentProgress(), s.status()),
                Optional.ofNullable(s.snapshotCreateTime()),
                Boolean.TRUE.equals(s.encrypted()),
                Optional.ofNullable(s.kmsKeyId()),
                tagMap(s.tagList()),
                s.allocatedStorage() == null ? 0 : s.allocatedStorage());
    }

    static SnapshotDescription snapshot(DBClusterSnapshot s) {
        return new SnapshotDescription(
                Kind.CLUSTER,
                s.dbClusterSnapshotIdentifier(),
                s.dbClusterIdentifier(),
                status(s.status()),
                progress(s.percentProgress(), s.status()),
                Optional.ofNullable(s.snapshotCreateTime()),
                Boolean.TRUE.equals(s.storageEncrypted()),
                Optional.ofNullable(s.kmsKeyId()),
                tagMap(s.tagList()),
                s.allocatedStorage() == null ? 0 : s.allocatedStorage());
    }

    private static int progress(Integer percent, String status) {
        if (percent != null) {
            return percent;
        }
        return "available".equals(status) ? 100 : 0;
    }

    static List<String> securityGroupIds(List<VpcSecurityGroupMembership> groups) {
        return groups.stream()
                .map(VpcSecurityGroupMembership::vpcSecurityGroupId)
                .toList();
    }

    static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> m = new LinkedHashMap<>();
        tags.forEach(t -> m.put(t.key(), t.value()));
        return m;
    }

    /** The source's tags overridden by the request's; "aws:" tags are AWS's own and cannot be set by callers. */
    static Map<String, String> mergeTags(Map<String, String> source, Map<String, String> request) {
        Map<String, String> m = new LinkedHashMap<>();
        source.forEach((k, v) -> {
            if (!k.startsWith("aws:")) {
                m.put(k, v);
            }
        });
        m.putAll(request);
        return m;
    }

    static List<Tag> tagList(Map<String, String> tags) {
        return tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }
}
