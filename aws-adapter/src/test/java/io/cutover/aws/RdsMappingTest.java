package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.plan.Environment.Database.Kind;
import io.cutover.spi.DatabaseProvider.DatabaseDescription;
import io.cutover.spi.DatabaseProvider.SnapshotDescription;
import io.cutover.spi.DatabaseProvider.Status;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterMember;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.rds.model.VpcSecurityGroupMembership;

class RdsMappingTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
      available, AVAILABLE
      storage-optimization, AVAILABLE
      creating, CREATING
      copying, CREATING
      backing-up, MODIFYING
      modifying, MODIFYING
      rebooting, MODIFYING
      upgrading, MODIFYING
      starting, MODIFYING
      deleting, DELETING
      failed, FAILED
      incompatible-restore, FAILED
      inaccessible-encryption-credentials, FAILED
      storage-full, FAILED
      stopped, FAILED
      """)
    void mapsRdsStatuses(String rds, Status expected) {
        assertThat(RdsDatabases.status(rds)).isEqualTo(expected);
    }

    @Test
    void aClusterListsItsWriterFirstAndHasNoStorageCeiling() {
        DBCluster cluster = DBCluster.builder()
                .dbClusterIdentifier("blue")
                .status("available")
                .engine("aurora-mysql")
                .endpoint("blue.cluster-x.eu-west-1.rds.amazonaws.com")
                .allocatedStorage(1)
                .storageEncrypted(true)
                .kmsKeyId("arn:aws:kms:eu-west-1:1:key/k")
                .dbSubnetGroup("db")
                .dbClusterParameterGroup("apg")
                .vpcSecurityGroups(VpcSecurityGroupMembership.builder()
                        .vpcSecurityGroupId("sg-1")
                        .build())
                .tagList(Tag.builder().key("app").value("wiki").build())
                .dbClusterMembers(
                        DBClusterMember.builder()
                                .dbInstanceIdentifier("blue-reader")
                                .isClusterWriter(false)
                                .build(),
                        DBClusterMember.builder()
                                .dbInstanceIdentifier("blue-writer")
                                .isClusterWriter(true)
                                .build())
                .build();

        DatabaseDescription d = RdsDatabases.cluster(cluster, Optional.of("db.r6g.large"));

        assertThat(d.kind()).isEqualTo(Kind.CLUSTER);
        assertThat(d.memberInstances()).containsExactly("blue-writer", "blue-reader");
        assertThat(d.instanceClass()).isEqualTo("db.r6g.large");
        assertThat(d.maxAllocatedStorageGb()).isEmpty();
        assertThat(d.kmsKeyId()).contains("arn:aws:kms:eu-west-1:1:key/k");
        assertThat(d.securityGroups()).containsExactly("sg-1");
        assertThat(d.tags()).containsEntry("app", "wiki");
    }

    @Test
    void aSnapshotInProgressReportsRdsPercentProgress() {
        DBSnapshot s = DBSnapshot.builder()
                .dbSnapshotIdentifier("s")
                .dbInstanceIdentifier("blue")
                .status("creating")
                .percentProgress(42)
                .build();

        SnapshotDescription d = RdsDatabases.snapshot(s);

        assertThat(d.status()).isEqualTo(Status.CREATING);
        assertThat(d.progressPercent()).isEqualTo(42);
        assertThat(d.createdAt()).isEmpty();
    }

    @Test
    void restoredTagsAreTheSourcesOverriddenByTheRequestsWithoutAwsReservedTags() {
        Map<String, String> merged = RdsDatabases.mergeTags(
                Map.of("app", "wiki", "color", "blue", "aws:cloudformation:stack-name", "blue"),
                Map.of("color", "green"));

        assertThat(merged).containsOnly(Map.entry("app", "wiki"), Map.entry("color", "green"));
    }
}
