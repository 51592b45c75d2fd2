package io.cutover.aws;

import io.cutover.spi.ApiService;
import io.cutover.spi.ProviderException;
import io.cutover.spi.ReplicaProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBInstanceStatusInfo;

/**
 * {@link ReplicaProvider} over RDS read replicas of DB instances ({@code CreateDBInstanceReadReplica},
 * {@code PromoteReadReplica}, {@code DescribeDBInstances}). RDS's API reports no replica lag: it is CloudWatch's
 * {@code ReplicaLag} metric of the replica (seconds, a figure a minute), read here when the cloud has a CloudWatch
 * client (the latest figure of the last five minutes); without one, or before the first figure, the lag is unknown.
 */
final class RdsReplicas implements ReplicaProvider {
    private static final ApiService API = ApiService.RDS;
    private static final Duration LOOK_BACK = Duration.ofMinutes(5);
    private final RdsClient rds;
    private final Optional<CloudWatchClient> cloudWatch;
    private final AwsCalls calls;

    RdsReplicas(RdsClient rds, Optional<CloudWatchClient> cloudWatch, AwsCalls calls) {
        this.rds = rds;
        this.cloudWatch = cloudWatch;
        this.calls = calls;
    }

    @Override
    public void create(String replicaId, String sourceDatabaseId, Map<String, String> tags) {
        calls.run(
                API,
                "CreateDBInstanceReadReplica",
                "read replica '" + replicaId + "' of DB instance '" + sourceDatabaseId + "'",
                () -> rds.createDBInstanceReadReplica(r -> r.dbInstanceIdentifier(replicaId)
                        .sourceDBInstanceIdentifier(sourceDatabaseId)
                        .tags(RdsDatabases.tagList(tags))));
    }

    @Override
    public Replica describe(String replicaId) {
        DBInstance i = calls
                .call(
                        API,
                        "DescribeDBInstances",
                        "DB instance '" + replicaId + "'",
                        () -> rds.describeDBInstances(r -> r.dbInstanceIdentifier(replicaId))
                                .dbInstances())
                .stream()
                .findFirst()
                .orElseThrow(
                        () -> ProviderException.notFound("DescribeDBInstances", "DB instance '" + replicaId + "'"));
        Optional<String> source = Optional.ofNullable(i.readReplicaSourceDBInstanceIdentifier())
                .filter(s -> !s.isBlank())
                .map(RdsBlueGreen::instanceId);
        var status = RdsDatabases.status(i.dbInstanceStatus());
        Optional<Duration> lag = source.isPresent() && status == io.cutover.spi.DatabaseProvider.Status.AVAILABLE
                ? replicaLag(replicaId)
                : Optional.empty();
        return new Replica(
                i.dbInstanceIdentifier(),
                status,
                source,
                lag,
                source.isPresent() ? problem(i) : Optional.empty(),
                Optional.ofNullable(i.endpoint()).map(e -> e.address()),
                RdsDatabases.tagMap(i.tagList()));
    }

    /** RDS's words when the replication is not normal ({@code read replication: error: ...}). */
    static Optional<String> problem(DBInstance i) {
        return i.statusInfos().stream()
                .filter(s -> "read replication".equals(s.statusType()) && Boolean.FALSE.equals(s.normal()))
                .findFirst()
                .map(RdsReplicas::words);
    }

    private static String words(DBInstanceStatusInfo s) {
        return s.status() + (s.message() == null ? "" : ": " + s.message());
    }

    /** The latest {@code ReplicaLag} figure of the last five minutes, when CloudWatch has one. */
    private Optional<Duration> replicaLag(String replicaId) {
        if (cloudWatch.isEmpty()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        try {
            return cloudWatch
                    .get()
                    .getMetricStatistics(r -> r.namespace("AWS/RDS")
                            .metricName("ReplicaLag")
                            .dimensions(Dimension.builder()
                                    .name("DBInstanceIdentifier")
                                    .value(replicaId)
                                    .build())
                            .startTime(now.minus(LOOK_BACK))
                            // The end is exclusive and the latest figure is stamped with its minute: a minute on.
                            .endTime(now.plus(Duration.ofMinutes(1)))
                            .period(60)
                            .statistics(Statistic.MAXIMUM))
                    .datapoints()
                    .stream()
                    .max(Comparator.comparing(Datapoint::timestamp))
                    .map(d -> Duration.ofMillis(Math.round(d.maximum() * 1000)));
        } catch (SdkException e) {
            throw AwsFailures.naming(
                    AwsFailures.classify("cloudwatch", "GetMetricStatistics", e),
                    Optional.of("ReplicaLag of '" + replicaId + "'"));
        }
    }

    @Override
    public void promote(String replicaId) {
        calls.run(
                API,
                "PromoteReadReplica",
                "read replica '" + replicaId + "'",
                () -> rds.promoteReadReplica(r -> r.dbInstanceIdentifier(replicaId)));
    }
}
