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
            Map<String, String> tags) {
        public VolumeDescription {
            tags = Map.copyOf(tags);
        }
    }

    record VolumeSnapshotDescription(
            String id, String volumeId, Status status, int progressPercent, Map<String, String> tags) {
        public VolumeSnapshotDescription {
            tags = Map.copyOf(tags);
        }
    }
}
