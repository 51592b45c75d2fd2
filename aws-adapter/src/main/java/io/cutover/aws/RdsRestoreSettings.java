package io.cutover.aws;

import io.cutover.plan.RestoreSettings;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.OptionGroupMembership;
import software.amazon.awssdk.services.rds.model.RestoreDbClusterFromSnapshotRequest;
import software.amazon.awssdk.services.rds.model.RestoreDbClusterToPointInTimeRequest;
import software.amazon.awssdk.services.rds.model.RestoreDbInstanceFromDbSnapshotRequest;

/**
 * The settings a restore copies from its source database as it is now (DescribeDBInstances, DescribeDBClusters),
 * each replaced by the plan's override where it gives one: every setting that RestoreDBInstanceFromDBSnapshot and
 * RestoreDBClusterFromSnapshot accept and the source reports, except those listed in docs/restore-settings.md with
 * the reason (deletion protection: a rollback deletes the restored database; the availability zone: RDS picks one
 * for a Multi-AZ database; monitoring and Performance Insights on an instance: the call takes neither).
 */
final class RdsRestoreSettings {
    private RdsRestoreSettings() {}

    /** An instance's settings: the class, groups and tags are set by the caller. */
    static void instance(
            RestoreDbInstanceFromDbSnapshotRequest.Builder r, Optional<DBInstance> source, RestoreSettings o) {
        DBInstance s = source.orElse(null);
        set(r::multiAZ, o.multiAz(), s == null ? null : s.multiAZ());
        String storageType = o.storageType().orElse(s == null ? null : s.storageType());
        set(r::storageType, o.storageType(), s == null ? null : s.storageType());
        // IOPS and throughput are settings of provisioned storage only (io1, io2, gp3); sent with gp2 RDS refuses them.
        if (storageType != null && !storageType.equals("gp2") && !storageType.equals("standard")) {
            set(r::iops, o.iops(), s == null ? null : s.iops());
            if (storageType.equals("gp3")) {
                set(r::storageThroughput, o.storageThroughput(), s == null ? null : s.storageThroughput());
            }
        }
        // The snapshot's size is the source's when it was taken (just before): only the plan changes it.
        o.allocatedStorageGb().ifPresent(r::allocatedStorage);
        set(r::optionGroupName, o.optionGroup(), s == null ? null : optionGroup(s.optionGroupMemberships()));
        set(r::port, o.port(), s == null ? null : port(s));
        set(r::backupRetentionPeriod, o.backupRetentionDays(), s == null ? null : s.backupRetentionPeriod());
        set(r::publiclyAccessible, o.publiclyAccessible(), s == null ? null : s.publiclyAccessible());
        set(
                r::enableIAMDatabaseAuthentication,
                o.iamAuthentication(),
                s == null ? null : s.iamDatabaseAuthenticationEnabled());
        if (s == null) {
            return;
        }
        copy(r::preferredBackupWindow, s.preferredBackupWindow());
        copy(r::copyTagsToSnapshot, s.copyTagsToSnapshot());
        copy(r::autoMinorVersionUpgrade, s.autoMinorVersionUpgrade());
        copy(r::licenseModel, s.licenseModel());
        copy(r::caCertificateIdentifier, s.caCertificateIdentifier());
        copy(r::networkType, s.networkType());
        copy(r::dedicatedLogVolume, s.dedicatedLogVolume());
        copy(r::engineLifecycleSupport, s.engineLifecycleSupport());
        copy(r::enableCustomerOwnedIp, s.customerOwnedIpEnabled());
        if (s.hasEnabledCloudwatchLogsExports()
                && !s.enabledCloudwatchLogsExports().isEmpty()) {
            r.enableCloudwatchLogsExports(s.enabledCloudwatchLogsExports());
        }
    }

    /** A cluster's settings: the groups, key and tags are set by the caller. */
    static void cluster(RestoreDbClusterFromSnapshotRequest.Builder r, Optional<DBCluster> source, RestoreSettings o) {
        DBCluster s = source.orElse(null);
        set(r::storageType, o.storageType(), s == null ? null : s.storageType());
        set(r::iops, o.iops(), s == null ? null : s.iops());
        set(r::port, o.port(), s == null ? null : s.port());
        set(r::backupRetentionPeriod, o.backupRetentionDays(), s == null ? null : s.backupRetentionPeriod());
        set(r::publiclyAccessible, o.publiclyAccessible(), s == null ? null : s.publiclyAccessible());
        set(
                r::enableIAMDatabaseAuthentication,
                o.iamAuthentication(),
                s == null ? null : s.iamDatabaseAuthenticationEnabled());
        o.optionGroup().ifPresent(r::optionGroupName);
        if (s == null) {
            return;
        }
        copy(r::preferredBackupWindow, s.preferredBackupWindow());
        copy(r::copyTagsToSnapshot, s.copyTagsToSnapshot());
        copy(r::networkType, s.networkType());
        copy(r::engineLifecycleSupport, s.engineLifecycleSupport());
        copy(r::monitoringInterval, s.monitoringInterval());
        copy(r::monitoringRoleArn, s.monitoringRoleArn());
        copy(r::enablePerformanceInsights, s.performanceInsightsEnabled());
        if (Boolean.TRUE.equals(s.performanceInsightsEnabled())) {
            copy(r::performanceInsightsKMSKeyId, s.performanceInsightsKMSKeyId());
            copy(r::performanceInsightsRetentionPeriod, s.performanceInsightsRetentionPeriod());
        }
        if (s.backtrackWindow() != null && s.backtrackWindow() > 0) {
            r.backtrackWindow(s.backtrackWindow());
        }
        if (s.hasEnabledCloudwatchLogsExports()
                && !s.enabledCloudwatchLogsExports().isEmpty()) {
            r.enableCloudwatchLogsExports(s.enabledCloudwatchLogsExports());
        }
    }

    /**
     * An Aurora clone's settings (RestoreDBClusterToPointInTime): as a cluster restore's, less what the call does not
     * take; the groups and tags are set by the caller, and no key (the clone keeps the source's encryption).
     */
    static void clone(RestoreDbClusterToPointInTimeRequest.Builder r, DBCluster s, RestoreSettings o) {
        set(r::storageType, o.storageType(), s.storageType());
        set(r::port, o.port(), s.port());
        set(r::backupRetentionPeriod, o.backupRetentionDays(), s.backupRetentionPeriod());
        set(r::publiclyAccessible, o.publiclyAccessible(), s.publiclyAccessible());
        set(r::enableIAMDatabaseAuthentication, o.iamAuthentication(), s.iamDatabaseAuthenticationEnabled());
        o.optionGroup().ifPresent(r::optionGroupName);
        copy(r::preferredBackupWindow, s.preferredBackupWindow());
        copy(r::copyTagsToSnapshot, s.copyTagsToSnapshot());
        copy(r::networkType, s.networkType());
        copy(r::engineLifecycleSupport, s.engineLifecycleSupport());
        copy(r::monitoringInterval, s.monitoringInterval());
        copy(r::monitoringRoleArn, s.monitoringRoleArn());
        copy(r::enablePerformanceInsights, s.performanceInsightsEnabled());
        if (Boolean.TRUE.equals(s.performanceInsightsEnabled())) {
            copy(r::performanceInsightsKMSKeyId, s.performanceInsightsKMSKeyId());
            copy(r::performanceInsightsRetentionPeriod, s.performanceInsightsRetentionPeriod());
        }
        if (s.backtrackWindow() != null && s.backtrackWindow() > 0) {
            r.backtrackWindow(s.backtrackWindow());
        }
        if (s.hasEnabledCloudwatchLogsExports()
                && !s.enabledCloudwatchLogsExports().isEmpty()) {
            r.enableCloudwatchLogsExports(s.enabledCloudwatchLogsExports());
        }
    }

    private static <T> void set(Consumer<T> setter, Optional<T> override, T fromSource) {
        if (override.isPresent()) {
            setter.accept(override.get());
        } else {
            copy(setter, fromSource);
        }
    }

    private static <T> void copy(Consumer<T> setter, T fromSource) {
        if (fromSource != null) {
            setter.accept(fromSource);
        }
    }

    private static String optionGroup(List<OptionGroupMembership> memberships) {
        // Every engine has a default option group (default:postgres-15); naming it is the same as leaving it out.
        return memberships.stream()
                .map(OptionGroupMembership::optionGroupName)
                .filter(n -> n != null && !n.startsWith("default:"))
                .findFirst()
                .orElse(null);
    }

    private static Integer port(DBInstance s) {
        if (s.endpoint() != null && s.endpoint().port() != null) {
            return s.endpoint().port();
        }
        return s.dbInstancePort() == null || s.dbInstancePort() == 0 ? null : s.dbInstancePort();
    }
}
