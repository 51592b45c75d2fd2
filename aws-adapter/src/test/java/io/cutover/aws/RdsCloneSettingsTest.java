package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.plan.RestoreSettings;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.RestoreDbClusterToPointInTimeRequest;

/** What an Aurora clone's request carries over from blue's cluster, and where the plan's overrides win. */
class RdsCloneSettingsTest {
    private static final DBCluster BLUE = DBCluster.builder()
            .dbClusterIdentifier("shop-aurora")
            .engine("aurora-postgresql")
            .storageType("aurora-iopt1")
            .port(5433)
            .backupRetentionPeriod(14)
            .preferredBackupWindow("03:00-04:00")
            .publiclyAccessible(false)
            .iamDatabaseAuthenticationEnabled(true)
            .copyTagsToSnapshot(true)
            .deletionProtection(true)
            .monitoringInterval(60)
            .monitoringRoleArn("arn:aws:iam::1:role/rds-monitoring")
            .performanceInsightsEnabled(true)
            .performanceInsightsRetentionPeriod(7)
            .enabledCloudwatchLogsExports("postgresql")
            .kmsKeyId("arn:aws:kms:eu-west-1:1:key/blue")
            .build();

    private static RestoreDbClusterToPointInTimeRequest clone(RestoreSettings o) {
        var b = RestoreDbClusterToPointInTimeRequest.builder();
        RdsRestoreSettings.clone(b, BLUE, o);
        return b.build();
    }

    @Test
    void everySettingTheCloneTakesIsCopiedFromBluesClusterButDeletionProtectionAndTheKey() {
        var r = clone(RestoreSettings.ofSource());
        assertThat(r.storageType()).isEqualTo("aurora-iopt1");
        assertThat(r.port()).isEqualTo(5433);
        assertThat(r.backupRetentionPeriod()).isEqualTo(14);
        assertThat(r.preferredBackupWindow()).isEqualTo("03:00-04:00");
        assertThat(r.publiclyAccessible()).isFalse();
        assertThat(r.enableIAMDatabaseAuthentication()).isTrue();
        assertThat(r.copyTagsToSnapshot()).isTrue();
        assertThat(r.monitoringInterval()).isEqualTo(60);
        assertThat(r.enablePerformanceInsights()).isTrue();
        assertThat(r.performanceInsightsRetentionPeriod()).isEqualTo(7);
        assertThat(r.enableCloudwatchLogsExports()).containsExactly("postgresql");
        // A rollback deletes the clone; a copy-on-write clone keeps the source's encryption without a key named.
        assertThat(r.deletionProtection()).isNull();
        assertThat(r.kmsKeyId()).isNull();
    }

    @Test
    void thePlansOverridesWin() {
        var r = clone(RestoreSettings.ofSource()
                .withBackupRetentionDays(3)
                .withStorage("aurora", java.util.Optional.empty(), java.util.Optional.empty()));
        assertThat(r.backupRetentionPeriod()).isEqualTo(3);
        assertThat(r.storageType()).isEqualTo("aurora");
        assertThat(r.port()).isEqualTo(5433);
    }
}
