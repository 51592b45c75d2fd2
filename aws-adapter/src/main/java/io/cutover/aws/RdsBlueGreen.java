package io.cutover.aws;

import io.cutover.spi.ApiService;
import io.cutover.spi.BlueGreenProvider;
import io.cutover.spi.ProviderException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.BlueGreenDeployment;
import software.amazon.awssdk.services.rds.model.Filter;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * {@link BlueGreenProvider} over RDS Blue/Green Deployments of DB instances. RDS names members by ARN; they are
 * given back as instance ids. The API reports no replica lag ({@code replicaLag} is empty): CloudWatch's
 * {@code ReplicaLag} metric of green's instance has it, and RDS checks it again at the switchover.
 */
final class RdsBlueGreen implements BlueGreenProvider {
    private static final ApiService API = ApiService.RDS;
    private final RdsClient rds;
    private final AwsCalls calls;

    RdsBlueGreen(RdsClient rds, AwsCalls calls) {
        this.rds = rds;
        this.calls = calls;
    }

    @Override
    public String create(String name, String blueDatabaseId, Optional<String> version, Map<String, String> tags) {
        String source = calls.call(
                API,
                "DescribeDBInstances",
                "DB instance '" + blueDatabaseId + "'",
                () -> rds.describeDBInstances(r -> r.dbInstanceIdentifier(blueDatabaseId))
                        .dbInstances()
                        .get(0)
                        .dbInstanceArn());
        return calls.call(
                API,
                "CreateBlueGreenDeployment",
                "blue/green deployment '" + name + "' of '" + blueDatabaseId + "'",
                () -> rds.createBlueGreenDeployment(r -> {
                            r.blueGreenDeploymentName(name)
                                    .source(source)
                                    .tags(tags.entrySet().stream()
                                            .map(e -> Tag.builder()
                                                    .key(e.getKey())
                                                    .value(e.getValue())
                                                    .build())
                                            .toList());
                            version.ifPresent(r::targetEngineVersion);
                        })
                        .blueGreenDeployment()
                        .blueGreenDeploymentIdentifier());
    }

    @Override
    public Optional<Deployment> findByName(String name) {
        return calls
                .call(
                        API,
                        "DescribeBlueGreenDeployments",
                        "blue/green deployment '" + name + "'",
                        () -> rds.describeBlueGreenDeployments(r -> r.filters(Filter.builder()
                                        .name("blue-green-deployment-name")
                                        .values(name)
                                        .build()))
                                .blueGreenDeployments())
                .stream()
                .filter(d -> name.equals(d.blueGreenDeploymentName()))
                .findFirst()
                .map(RdsBlueGreen::view);
    }

    @Override
    public Deployment describe(String id) {
        return calls
                .call(
                        API,
                        "DescribeBlueGreenDeployments",
                        "blue/green deployment '" + id + "'",
                        () -> rds.describeBlueGreenDeployments(r -> r.blueGreenDeploymentIdentifier(id))
                                .blueGreenDeployments())
                .stream()
                .findFirst()
                .map(RdsBlueGreen::view)
                .orElseThrow(() -> ProviderException.notFound(
                        "DescribeBlueGreenDeployments", "blue/green deployment '" + id + "'"));
    }

    static Deployment view(BlueGreenDeployment d) {
        Status status;
        try {
            status = d.status() == null ? Status.UNKNOWN : Status.valueOf(d.status());
        } catch (IllegalArgumentException e) {
            status = Status.UNKNOWN;
        }
        return new Deployment(
                d.blueGreenDeploymentIdentifier(),
                d.blueGreenDeploymentName(),
                instanceId(d.source()),
                Optional.ofNullable(d.target()).map(RdsBlueGreen::instanceId),
                status,
                Optional.ofNullable(d.statusDetails()).orElse(""),
                Optional.empty(),
                d.hasTagList()
                        ? d.tagList().stream()
                                .collect(java.util.stream.Collectors.toMap(Tag::key, Tag::value, (a, b) -> a))
                        : Map.of());
    }

    /** {@code arn:aws:rds:REGION:ACCOUNT:db:NAME} to {@code NAME}; an id as it is. */
    static String instanceId(String arnOrId) {
        int at = arnOrId.lastIndexOf(":db:");
        return at < 0 ? arnOrId : arnOrId.substring(at + 4);
    }

    @Override
    public void switchover(String id, Duration timeout) {
        calls.run(
                API,
                "SwitchoverBlueGreenDeployment",
                "blue/green deployment '" + id + "'",
                () -> rds.switchoverBlueGreenDeployment(
                        r -> r.blueGreenDeploymentIdentifier(id).switchoverTimeout((int) timeout.toSeconds())));
    }

    @Override
    public void delete(String id, boolean deleteGreen) {
        calls.run(
                API,
                "DeleteBlueGreenDeployment",
                "blue/green deployment '" + id + "'",
                () -> rds.deleteBlueGreenDeployment(
                        r -> r.blueGreenDeploymentIdentifier(id).deleteTarget(deleteGreen)));
    }
}
