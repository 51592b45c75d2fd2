package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.plan.Environment.Database.Kind;
import io.cutover.spi.DatabaseProvider.Status;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DescribeDbClustersRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbClustersResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;

/**
 * A cluster RDS reports available while its instances are still being created (a clone's or a restore's: RDS makes
 * the cluster first, then the instances the adapter asked for) cannot serve green yet: it is described as creating.
 */
class RdsClusterStatusTest {
    private static RdsDatabases with(String writerStatus) {
        RdsClient rds = new RdsClient() {
            @Override
            public DescribeDbClustersResponse describeDBClusters(Consumer<DescribeDbClustersRequest.Builder> r) {
                return DescribeDbClustersResponse.builder()
                        .dbClusters(DBCluster.builder()
                                .dbClusterIdentifier("green")
                                .status("available")
                                .engine("aurora-postgresql")
                                .dbClusterMembers(
                                        m -> m.dbInstanceIdentifier("green-1").isClusterWriter(true))
                                .build())
                        .build();
            }

            @Override
            public DescribeDbInstancesResponse describeDBInstances(Consumer<DescribeDbInstancesRequest.Builder> r) {
                return DescribeDbInstancesResponse.builder()
                        .dbInstances(DBInstance.builder()
                                .dbInstanceIdentifier("green-1")
                                .dbInstanceClass("db.r6g.large")
                                .dbInstanceStatus(writerStatus)
                                .build())
                        .build();
            }

            @Override
            public String serviceName() {
                return "rds";
            }

            @Override
            public void close() {}
        };
        return new RdsDatabases(rds, new AwsCalls());
    }

    @Test
    void aClusterWhoseInstanceIsStillCreatingIsCreating() {
        assertThat(with("creating").describe(Kind.CLUSTER, "green").status()).isEqualTo(Status.CREATING);
    }

    @Test
    void aClusterWhoseInstancesAreAvailableIsAvailableWithTheWritersClass() {
        var d = with("available").describe(Kind.CLUSTER, "green");
        assertThat(d.status()).isEqualTo(Status.AVAILABLE);
        assertThat(d.instanceClass()).isEqualTo("db.r6g.large");
    }
}
