package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.plan.RestoreSettings;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.RestoreDbClusterFromSnapshotRequest;
import software.amazon.awssdk.services.rds.model.RestoreDbInstanceFromDbSnapshotRequest;

/** What a restore request carries over from the source database, and where the plan's overrides win. */
class RdsRestoreSettingsTest {
    private static final DBInstance BLUE = DBInstance.builder()
            .dbInstanceIdentifier("shop-db")
            .multiAZ(true)
            .storageType("gp3")
            .iops(12000)
            .storageThroughput(500)
            .allocatedStorage(400)
            .optionGroupMemberships(o -> o.optionGroupName("shop-options"))
            .endpoint(e -> e.address("shop-db.x.rds.amazonaws.com").port(5433))
            .backupRetentionPeriod(14)
            .preferredBackupWindow("03:00-04:00")
            .publiclyAccessible(false)
            .iamDatabaseAuthenticationEnabled(true)
            .copyTagsToSnapshot(true)
            .autoMinorVersionUpgrade(false)
            .deletionProtection(true)
            .availabilityZone("eu-west-1a")
            .caCertificateIdentifier("rds-ca-rsa2048-g1")
            .enabledCloudwatchLogsExports("postgresql")
            .build();

    private static RestoreDbInstanceFromDbSnapshotRequest instance(Optional<DBInstance> source, RestoreSettings o) {
        var b = RestoreDbInstanceFromDbSnapshotRequest.builder();
        RdsRestoreSettings.instance(b, source, o);
        return b.build();
    }

    @Test
    void everySettingTheRestoreTakesIsCopiedFromTheSource() {
        var r = instance(Optional.of(BLUE), RestoreSettings.ofSource());
        assertThat(r.multiAZ()).isTrue();
        assertThat(r.storageType()).isEqualTo("gp3");
        assertThat(r.iops()).isEqualTo(12000);
        assertThat(r.storageThroughput()).isEqualTo(500);
        assertThat(r.allocatedStorage()).as("the snapshot's size").isNull();
        assertThat(r.optionGroupName()).isEqualTo("shop-options");
        assertThat(r.port()).isEqualTo(5433);
        assertThat(r.backupRetentionPeriod()).isEqualTo(14);
        assertThat(r.preferredBackupWindow()).isEqualTo("03:00-04:00");
        assertThat(r.publiclyAccessible()).isFalse();
        assertThat(r.enableIAMDatabaseAuthentication()).isTrue();
        assertThat(r.copyTagsToSnapshot()).isTrue();
        assertThat(r.autoMinorVersionUpgrade()).isFalse();
        assertThat(r.caCertificateIdentifier()).isEqualTo("rds-ca-rsa2048-g1");
        assertThat(r.enableCloudwatchLogsExports()).containsExactly("postgresql");
    }

    @Test
    void deletionProtectionAndTheZoneAreNotCopied() {
        var r = instance(Optional.of(BLUE), RestoreSettings.ofSource());
        // A rollback deletes the restored database; RDS picks the zones of a Multi-AZ one.
        assertThat(r.deletionProtection()).isNull();
        assertThat(r.availabilityZone()).isNull();
    }

    @Test
    void thePlansOverridesWinAndGp2TakesNoIops() {
        var r = instance(
                Optional.of(BLUE),
                RestoreSettings.ofSource()
                        .withMultiAz(false)
                        .withStorage("gp2", Optional.empty(), Optional.empty())
                        .withBackupRetentionDays(3)
                        .withOptionGroup("other-options"));
        assertThat(r.multiAZ()).isFalse();
        assertThat(r.storageType()).isEqualTo("gp2");
        assertThat(r.iops()).as("gp2 has no provisioned IOPS; RDS refuses them").isNull();
        assertThat(r.storageThroughput()).isNull();
        assertThat(r.backupRetentionPeriod()).isEqualTo(3);
        assertThat(r.optionGroupName()).isEqualTo("other-options");
        assertThat(r.port()).isEqualTo(5433);
    }

    @Test
    void aDefaultOptionGroupAndAGoneSourceLeaveRdsDefaults() {
        var withDefault = instance(
                Optional.of(BLUE.toBuilder()
                        .optionGroupMemberships(o -> o.optionGroupName("default:postgres-16"))
                        .build()),
                RestoreSettings.ofSource());
        assertThat(withDefault.optionGroupName()).isNull();
        var gone = instance(Optional.empty(), RestoreSettings.ofSource().withMultiAz(true));
        assertThat(gone.multiAZ()).isTrue();
        assertThat(gone.storageType()).isNull();
        assertThat(gone.port()).isNull();
    }

    @Test
    void aClusterKeepsItsMonitoringAndPerformanceInsights() {
        DBCluster aurora = DBCluster.builder()
                .port(3307)
                .backupRetentionPeriod(7)
                .copyTagsToSnapshot(true)
                .iamDatabaseAuthenticationEnabled(true)
                .monitoringInterval(60)
                .monitoringRoleArn("arn:aws:iam::123456789012:role/rds-monitoring")
                .performanceInsightsEnabled(true)
                .performanceInsightsRetentionPeriod(7)
                .backtrackWindow(3600L)
                .deletionProtection(true)
                .build();
        var b = RestoreDbClusterFromSnapshotRequest.builder();
        RdsRestoreSettings.cluster(b, Optional.of(aurora), RestoreSettings.ofSource());
        var r = b.build();
        assertThat(r.port()).isEqualTo(3307);
        assertThat(r.backupRetentionPeriod()).isEqualTo(7);
        assertThat(r.copyTagsToSnapshot()).isTrue();
        assertThat(r.enableIAMDatabaseAuthentication()).isTrue();
        assertThat(r.monitoringInterval()).isEqualTo(60);
        assertThat(r.monitoringRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/rds-monitoring");
        assertThat(r.enablePerformanceInsights()).isTrue();
        assertThat(r.performanceInsightsRetentionPeriod()).isEqualTo(7);
        assertThat(r.backtrackWindow()).isEqualTo(3600L);
        assertThat(r.deletionProtection()).isNull();
    }
}
