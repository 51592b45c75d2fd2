package io.cutover.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * Settings of a database restored from a snapshot that differ from the source database's: each one left empty is
 * copied from the source as it is when the restore starts (see docs/restore-settings.md for what is carried over
 * and what is not). {@code allocatedStorageGb} may not be below the snapshot's size.
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record RestoreSettings(
        Optional<Boolean> multiAz,
        Optional<String> storageType,
        Optional<Integer> iops,
        Optional<Integer> storageThroughput,
        Optional<Integer> allocatedStorageGb,
        Optional<String> optionGroup,
        Optional<String> parameterGroup,
        Optional<String> subnetGroup,
        List<String> securityGroups,
        Optional<Integer> port,
        Optional<Integer> backupRetentionDays,
        Optional<Boolean> publiclyAccessible,
        Optional<Boolean> iamAuthentication) {
    public RestoreSettings {
        multiAz = multiAz == null ? Optional.empty() : multiAz;
        storageType = storageType == null ? Optional.empty() : storageType;
        iops = iops == null ? Optional.empty() : iops;
        storageThroughput = storageThroughput == null ? Optional.empty() : storageThroughput;
        allocatedStorageGb = allocatedStorageGb == null ? Optional.empty() : allocatedStorageGb;
        optionGroup = optionGroup == null ? Optional.empty() : optionGroup;
        parameterGroup = parameterGroup == null ? Optional.empty() : parameterGroup;
        subnetGroup = subnetGroup == null ? Optional.empty() : subnetGroup;
        securityGroups = securityGroups == null ? List.of() : List.copyOf(securityGroups);
        port = port == null ? Optional.empty() : port;
        backupRetentionDays = backupRetentionDays == null ? Optional.empty() : backupRetentionDays;
        publiclyAccessible = publiclyAccessible == null ? Optional.empty() : publiclyAccessible;
        iamAuthentication = iamAuthentication == null ? Optional.empty() : iamAuthentication;
    }

    /** Everything copied from the source. */
    public static RestoreSettings ofSource() {
        return new RestoreSettings(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public RestoreSettings withMultiAz(boolean v) {
        return new RestoreSettings(
                Optional.of(v),
                storageType,
                iops,
                storageThroughput,
                allocatedStorageGb,
                optionGroup,
                parameterGroup,
                subnetGroup,
                securityGroups,
                port,
                backupRetentionDays,
                publiclyAccessible,
                iamAuthentication);
    }

    public RestoreSettings withStorage(String type, Optional<Integer> iops, Optional<Integer> throughput) {
        return new RestoreSettings(
                multiAz,
                Optional.of(type),
                iops,
                throughput,
                allocatedStorageGb,
                optionGroup,
                parameterGroup,
                subnetGroup,
                securityGroups,
                port,
                backupRetentionDays,
                publiclyAccessible,
                iamAuthentication);
    }

    public RestoreSettings withBackupRetentionDays(int days) {
        return new RestoreSettings(
                multiAz,
                storageType,
                iops,
                storageThroughput,
                allocatedStorageGb,
                optionGroup,
                parameterGroup,
                subnetGroup,
                securityGroups,
                port,
                Optional.of(days),
                publiclyAccessible,
                iamAuthentication);
    }

    public RestoreSettings withOptionGroup(String group) {
        return new RestoreSettings(
                multiAz,
                storageType,
                iops,
                storageThroughput,
                allocatedStorageGb,
                Optional.of(group),
                parameterGroup,
                subnetGroup,
                securityGroups,
                port,
                backupRetentionDays,
                publiclyAccessible,
                iamAuthentication);
    }

    /** The settings as name to value, for a step's description and the simulated cloud. */
    public java.util.Map<String, String> asMap() {
        java.util.Map<String, String> m = new java.util.TreeMap<>();
        multiAz.ifPresent(v -> m.put("multiAz", v.toString()));
        storageType.ifPresent(v -> m.put("storageType", v));
        iops.ifPresent(v -> m.put("iops", v.toString()));
        storageThroughput.ifPresent(v -> m.put("storageThroughput", v.toString()));
        allocatedStorageGb.ifPresent(v -> m.put("allocatedStorageGb", v.toString()));
        optionGroup.ifPresent(v -> m.put("optionGroup", v));
        parameterGroup.ifPresent(v -> m.put("parameterGroup", v));
        subnetGroup.ifPresent(v -> m.put("subnetGroup", v));
        if (!securityGroups.isEmpty()) {
            m.put("securityGroups", String.join(",", securityGroups));
        }
        port.ifPresent(v -> m.put("port", v.toString()));
        backupRetentionDays.ifPresent(v -> m.put("backupRetentionDays", v.toString()));
        publiclyAccessible.ifPresent(v -> m.put("publiclyAccessible", v.toString()));
        iamAuthentication.ifPresent(v -> m.put("iamAuthentication", v.toString()));
        return m;
    }
}
