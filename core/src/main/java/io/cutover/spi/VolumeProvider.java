package io.cutover.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Block storage volumes and their snapshots (EBS on AWS). Snapshot ids are chosen by the provider, so the
 * engine finds a snapshot it already started by its tags, which the create call sets atomically.
 */
public interface VolumeProvider {
    VolumeDescription describe(String volumeId);

    /** Starts a snapshot and returns its id; the tags are applied by the same call. */
    String createSnapshot(String volumeId, String description, Map<String, String> tags);

    /** Snapshots that carry every one of the given tags. */
    List<VolumeSnapshotDescription> findSnapshots(Map<String, String> tags);

    VolumeSnapshotDescription describeSnapshot(String snapshotId);

    void deleteSnapshot(String snapshotId);

    /**
     * Starts creating a volume from a snapshot (EC2 CreateVolume) and returns its id; the tags are applied by the
     * same call, and {@code clientToken} makes a repeated call return the same volume instead of a second one.
     * The volume is usable once {@link Status#AVAILABLE}; its blocks load lazily from the snapshot unless fast
     * snapshot restore is enabled for the snapshot in its Availability Zone.
     */
    default String createVolume(NewVolume volume) {
        throw new UnsupportedOperationException("this cloud provider cannot create volumes (CreateVolume)");
    }

    /**
     * Starts a copy of a volume in its own Availability Zone (EC2 CopyVolumes) and returns the copy's id; the tags are
     * applied by the same call, and {@code clientToken} makes a repeated call return the same copy instead of a
     * second one. The copy holds every block written to the source when the call is made ("a crash-consistent,
     * point-in-time copy"); AWS creates it "immediately" and it can be attached once {@link Status#AVAILABLE}, its
     * blocks copied from the source in the background while it is already in use.
     */
    default String copyVolume(VolumeCopy copy) {
        throw new UnsupportedOperationException("this cloud provider cannot copy volumes (CopyVolumes)");
    }

    /**
     * How far a volume's initialization has come, while its blocks are still being copied in from its source (a
     * copy's from the source volume, EC2 DescribeVolumeStatus' initialization details); empty once it is done, or
     * where the provider cannot tell.
     */
    default Optional<Initialization> initialization(String volumeId) {
        return Optional.empty();
    }

    /** A volume initializing: percent done, and the time left as EC2 estimates it, if it does. */
    record Initialization(int percent, Optional<java.time.Duration> left) {
        public Initialization {
            left = left == null ? Optional.empty() : left;
        }
    }

    /** Volumes that carry every one of the given tags. */
    default List<VolumeDescription> findVolumes(Map<String, String> tags) {
        throw new UnsupportedOperationException("this cloud provider cannot list volumes by tags");
    }

    /** Attaches a volume to an instance in its Availability Zone at {@code device} (e.g. /dev/sdf). */
    default void attachVolume(String volumeId, String instanceId, String device) {
        throw new UnsupportedOperationException("this cloud provider cannot attach volumes (AttachVolume)");
    }

    /** Detaches a volume from the instance it is attached to (never forced). */
    default void detachVolume(String volumeId, String instanceId) {
        throw new UnsupportedOperationException("this cloud provider cannot detach volumes (DetachVolume)");
    }

    /** Deletes a volume that is attached to nothing. */
    default void deleteVolume(String volumeId) {
        throw new UnsupportedOperationException("this cloud provider cannot delete volumes (DeleteVolume)");
    }

    /**
     * Enables fast snapshot restore for a snapshot in one Availability Zone (EnableFastSnapshotRestores). AWS
     * bills it per minute for each snapshot and zone while enabled, with a minimum of one hour.
     */
    default void enableFastSnapshotRestore(String snapshotId, String availabilityZone) {
        throw new UnsupportedOperationException(
                "this cloud provider cannot enable fast snapshot restore (EnableFastSnapshotRestores)");
    }

    /** Disables fast snapshot restore for a snapshot in one Availability Zone. */
    default void disableFastSnapshotRestore(String snapshotId, String availabilityZone) {
        throw new UnsupportedOperationException(
                "this cloud provider cannot disable fast snapshot restore (DisableFastSnapshotRestores)");
    }

    /** Where fast snapshot restore stands for a snapshot in one Availability Zone. */
    default FastRestoreState describeFastSnapshotRestore(String snapshotId, String availabilityZone) {
        throw new UnsupportedOperationException(
                "this cloud provider cannot read fast snapshot restores (DescribeFastSnapshotRestores)");
    }

    /** The states of fast snapshot restore for a snapshot and zone, as EC2 names them (and DISABLED when none). */
    enum FastRestoreState {
        ENABLING,
        OPTIMIZING,
        ENABLED,
        DISABLING,
        DISABLED
    }

    /**
     * A volume to create from a snapshot.
     *
     * @param volumeType e.g. gp3; empty for EC2's default
     * @param sizeGb at least the snapshot's size; 0 for the snapshot's size
     * @param performance IOPS (required for io1 and io2) and throughput; EC2's defaults for the type when empty
     */
    record NewVolume(
            String snapshotId,
            String availabilityZone,
            Optional<String> volumeType,
            int sizeGb,
            String clientToken,
            Map<String, String> tags,
            Performance performance) {
        public NewVolume {
            java.util.Objects.requireNonNull(snapshotId, "snapshotId");
            java.util.Objects.requireNonNull(availabilityZone, "availabilityZone");
            java.util.Objects.requireNonNull(clientToken, "clientToken");
            volumeType = volumeType == null ? Optional.empty() : volumeType;
            tags = Map.copyOf(tags);
            performance = performance == null ? Performance.DEFAULT : performance;
        }

        /** With EC2's default performance for the type. */
        public NewVolume(
                String snapshotId,
                String availabilityZone,
                Optional<String> volumeType,
                int sizeGb,
                String clientToken,
                Map<String, String> tags) {
            this(snapshotId, availabilityZone, volumeType, sizeGb, clientToken, tags, Performance.DEFAULT);
        }
    }

    /**
     * A volume's provisioned performance, where its type takes one: IOPS (gp3, io1, io2; io1 and io2 require it) and
     * throughput in MiB/s (gp3 only); empty for EC2's default, or for types that take none.
     */
    record Performance(Optional<Integer> iops, Optional<Integer> throughputMiBps) {
        public static final Performance DEFAULT = new Performance(Optional.empty(), Optional.empty());

        public Performance {
            iops = iops == null ? Optional.empty() : iops;
            throughputMiBps = throughputMiBps == null ? Optional.empty() : throughputMiBps;
        }

        /** Whether a volume of {@code type} cannot be made without its IOPS (io1 and io2). */
        public static boolean requiresIops(String type) {
            return type.equals("io1") || type.equals("io2");
        }

        /** What a volume of {@code type} takes of this: IOPS for gp3, io1 and io2, throughput for gp3 only. */
        public Performance forType(String type) {
            boolean takesIops = type.equals("gp3") || requiresIops(type);
            return new Performance(
                    takesIops ? iops : Optional.empty(), type.equals("gp3") ? throughputMiBps : Optional.empty());
        }
    }

    /**
     * A copy to make of a volume, in the source's Availability Zone.
     *
     * @param volumeType e.g. gp3; empty leaves it to EC2, which makes a copy gp2 whatever the source's type (CopyVolumes:
     *     "If not specified, the volume type defaults to gp2"), so give the source's
     * @param sizeGb at least the source's size; 0 for the source's size
     * @param performance IOPS (required for io1 and io2) and throughput; EC2's defaults for the type when empty
     */
    record VolumeCopy(
            String sourceVolumeId,
            Optional<String> volumeType,
            int sizeGb,
            String clientToken,
            Map<String, String> tags,
            Performance performance) {
        public VolumeCopy {
            java.util.Objects.requireNonNull(sourceVolumeId, "sourceVolumeId");
            java.util.Objects.requireNonNull(clientToken, "clientToken");
            volumeType = volumeType == null ? Optional.empty() : volumeType;
            tags = Map.copyOf(tags);
            performance = performance == null ? Performance.DEFAULT : performance;
        }

        /** With EC2's default performance for the type. */
        public VolumeCopy(
                String sourceVolumeId,
                Optional<String> volumeType,
                int sizeGb,
                String clientToken,
                Map<String, String> tags) {
            this(sourceVolumeId, volumeType, sizeGb, clientToken, tags, Performance.DEFAULT);
        }
    }

    enum Status {
        PENDING,
        AVAILABLE,
        IN_USE,
        COMPLETED,
        ERROR,
        DELETED
    }

    record VolumeDescription(
            String id,
            Status status,
            int sizeGb,
            String availabilityZone,
            Optional<String> attachedInstance,
            Optional<String> sourceSnapshot,
            Map<String, String> tags,
            Optional<String> device,
            Optional<String> volumeType,
            Performance performance) {
        public VolumeDescription {
            tags = Map.copyOf(tags);
            device = device == null ? Optional.empty() : device;
            volumeType = volumeType == null ? Optional.empty() : volumeType;
            performance = performance == null ? Performance.DEFAULT : performance;
        }

        /** A volume whose provisioned performance is not known. */
        public VolumeDescription(
                String id,
                Status status,
                int sizeGb,
                String availabilityZone,
                Optional<String> attachedInstance,
                Optional<String> sourceSnapshot,
                Map<String, String> tags,
                Optional<String> device,
                Optional<String> volumeType) {
            this(
                    id,
                    status,
                    sizeGb,
                    availabilityZone,
                    attachedInstance,
                    sourceSnapshot,
                    tags,
                    device,
                    volumeType,
                    Performance.DEFAULT);
        }

        /** A volume whose attachment's device and type are not known. */
        public VolumeDescription(
                String id,
                Status status,
                int sizeGb,
                String availabilityZone,
                Optional<String> attachedInstance,
                Optional<String> sourceSnapshot,
                Map<String, String> tags) {
            this(
                    id,
                    status,
                    sizeGb,
                    availabilityZone,
                    attachedInstance,
                    sourceSnapshot,
                    tags,
                    Optional.empty(),
                    Optional.empty());
        }
    }

    record VolumeSnapshotDescription(
            String id, String volumeId, Status status, int progressPercent, Map<String, String> tags) {
        public VolumeSnapshotDescription {
            tags = Map.copyOf(tags);
        }
    }
}
