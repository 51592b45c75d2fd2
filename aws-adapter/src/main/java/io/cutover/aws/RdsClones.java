package io.cutover.aws;

import io.cutover.plan.Environment.Database.Kind;
import io.cutover.plan.RestoreSettings;
import io.cutover.spi.ApiService;
import io.cutover.spi.DatabaseProvider.CloneRequest;
import io.cutover.spi.DatabaseProvider.RestoreRequest;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * Aurora fast clones for {@link RdsDatabases}: RestoreDBClusterToPointInTime with {@code RestoreType=copy-on-write}
 * and the latest restorable time, then one instance per source member (RDS makes the cluster without any). The
 * clone keeps the source's engine version (copy-on-write does not cross versions), encryption and key, groups and
 * settings unless the request overrides them.
 */
final class RdsClones {
    private static final ApiService API = ApiService.RDS;

    private final RdsClient rds;
    private final AwsCalls calls;
    private final RdsDatabases databases;

    RdsClones(RdsClient rds, AwsCalls calls, RdsDatabases databases) {
        this.rds = rds;
        this.calls = calls;
        this.databases = databases;
    }

    void clone(CloneRequest request) {
        DBCluster source = databases.describeCluster(request.sourceClusterId());
        if (source.engine() == null || !source.engine().startsWith("aurora")) {
            throw ProviderException.of(
                    FailureKind.INVALID_REQUEST,
                    "RestoreDBClusterToPointInTime",
                    "DB cluster '" + request.sourceClusterId() + "' runs " + source.engine()
                            + ", not Aurora: RDS clones Aurora clusters only");
        }
        List<DBInstance> sourceMembers = databases.clusterInstances(source.dbClusterIdentifier());
        RestoreSettings o = request.settings();
        Map<String, String> tags = RdsDatabases.mergeTags(RdsDatabases.tagMap(source.tagList()), request.tags());
        ProviderException alreadyExists = null;
        try {
            calls.run(
                    API,
                    "RestoreDBClusterToPointInTime",
                    "DB cluster '" + request.sourceClusterId() + "'",
                    () -> rds.restoreDBClusterToPointInTime(r -> {
                        r.dbClusterIdentifier(request.newClusterId())
                                .sourceDBClusterIdentifier(request.sourceClusterId())
                                .restoreType("copy-on-write")
                                .useLatestRestorableTime(true)
                                .tags(RdsDatabases.tagList(tags));
                        set(r::dbSubnetGroupName, o.subnetGroup(), source.dbSubnetGroup());
                        set(r::dbClusterParameterGroupName, o.parameterGroup(), source.dbClusterParameterGroup());
                        List<String> groups = !o.securityGroups().isEmpty()
                                ? o.securityGroups()
                                : RdsDatabases.securityGroupIds(source.vpcSecurityGroups());
                        if (!groups.isEmpty()) {
                            r.vpcSecurityGroupIds(groups);
                        }
                        RdsRestoreSettings.clone(r, source, o);
                    }));
        } catch (ProviderException e) {
            if (e.kind() != FailureKind.ALREADY_EXISTS) {
                throw e;
            }
            // A repeated clone (after a crash between the cluster and its instances) still completes the
            // instances, then reports the cluster as existing so the engine adopts it.
            alreadyExists = e;
        }
        RestoreRequest instances = new RestoreRequest(
                Kind.CLUSTER,
                "",
                request.newClusterId(),
                request.instanceClass(),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                tags);
        databases.createClusterInstances(
                instances, source.engine(), request.sourceClusterId(), Optional.of(source), sourceMembers, tags);
        if (alreadyExists != null) {
            throw alreadyExists;
        }
    }

    private static <T> void set(Consumer<T> setter, Optional<T> override, T fromSource) {
        if (override.isPresent()) {
            setter.accept(override.get());
        } else if (fromSource != null) {
            setter.accept(fromSource);
        }
    }
}
