package io.cutover.spi;

import io.cutover.plan.Environment.Database.Kind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Managed databases: single instances and clusters of instances (RDS DB instances and Aurora clusters on
 * AWS), with their snapshots.
 */
public interface DatabaseProvider {
    /** The database now; throws {@link FailureKind#NOT_FOUND} when there is none. */
    DatabaseDescription describe(Kind kind, String databaseId);

    /** Starts a snapshot; fails with {@link FailureKind#ALREADY_EXISTS} if that snapshot id is taken. */
    void createSnapshot(Kind kind, String databaseId, String snapshotId, Map<String, String> tags);

    /** The snapshot now; throws {@link FailureKind#NOT_FOUND} when there is none. */
    SnapshotDescription describeSnapshot(Kind kind, String snapshotId);

    /**
     * Starts restoring a new database from a snapshot. Settings the request leaves empty are copied from the
     * database the snapshot was taken of. Fails with {@link FailureKind#ALREADY_EXISTS} if the id is taken.
     */
    void restore(RestoreRequest request);

    /**
     * Starts an Aurora fast clone of a cluster (copy-on-write, from the source's latest restorable time) under a
     * new id, with its DB instances: one per source member, writer first, unless the request names a class for
     * all. Settings the request leaves empty are copied from the source. The clone holds the source's data as of
     * the time it is cloned from, however large, and is typically ready in minutes. Fails with
     * {@link FailureKind#ALREADY_EXISTS} if the id is taken (after creating the instances a repeated call of a
     * half-done clone still lacked, so that the caller can adopt it), and with {@link FailureKind#INVALID_REQUEST}
     * when the source is not an Aurora cluster or RDS refuses another clone of it (a limit of clones per source,
     * the account's cluster quota).
     */
    void cloneCluster(CloneRequest request);

    /**
     * The latest time a clone or point-in-time restore of the cluster would hold the data of (RDS's
     * {@code LatestRestorableTime}); empty when the provider does not report one. A clone started once this is at
     * or after a moment holds every write made before that moment.
     */
    Optional<Instant> latestRestorableTime(Kind kind, String databaseId);

    /**
     * Starts deleting a database. With a final snapshot id, the provider keeps a snapshot of it under that id
     * before the data is gone; without one, the data is gone.
     */
    void delete(Kind kind, String databaseId, Optional<String> finalSnapshotId);

    /** Deletes a snapshot; one that is gone already is not an error. */
    void deleteSnapshot(Kind kind, String snapshotId);

    /** Where a database or snapshot stands. */
    enum Status {
        CREATING,
        AVAILABLE,
        MODIFYING,
        DELETING,
        FAILED,
        DELETED
    }

    /**
     * A database. {@code allocatedStorageGb} is what it has now (it may have grown by storage auto-scaling);
     * {@code dataVersion} is opaque to the engine and only meaningful to the simulated cloud, which uses it
     * to prove that a restore carries its snapshot's data.
     */
    record DatabaseDescription(
            Kind kind,
            String id,
            Status status,
            String engine,
            String instanceClass,
            Optional<String> endpoint,
            int allocatedStorageGb,
            Optional<Integer> maxAllocatedStorageGb,
            boolean encrypted,
            Optional<String> kmsKeyId,
            Optional<String> subnetGroup,
            List<String> securityGroups,
            Optional<String> parameterGroup,
            Map<String, String> tags,
            List<String> memberInstances) {
        public DatabaseDescription {
            securityGroups = List.copyOf(securityGroups);
            tags = Map.copyOf(tags);
            memberInstances = List.copyOf(memberInstances);
        }

        /** This description with another status. */
        public DatabaseDescription withStatus(Status s) {
            return new DatabaseDescription(
                    kind,
                    id,
                    s,
                    engine,
                    instanceClass,
                    endpoint,
                    allocatedStorageGb,
                    maxAllocatedStorageGb,
                    encrypted,
                    kmsKeyId,
                    subnetGroup,
                    securityGroups,
                    parameterGroup,
                    tags,
                    memberInstances);
        }
    }

    /** A snapshot; {@code progressPercent} where the provider reports one. */
    record SnapshotDescription(
            Kind kind,
            String id,
            String sourceDatabaseId,
            Status status,
            int progressPercent,
            Optional<Instant> createdAt,
            boolean encrypted,
            Optional<String> kmsKeyId,
            Map<String, String> tags,
            int allocatedStorageGb) {
        public SnapshotDescription {
            tags = Map.copyOf(tags);
        }

        /** A snapshot whose size the provider does not report ({@code allocatedStorageGb} 0). */
        public SnapshotDescription(
                Kind kind,
                String id,
                String sourceDatabaseId,
                Status status,
                int progressPercent,
                Optional<Instant> createdAt,
                boolean encrypted,
                Optional<String> kmsKeyId,
                Map<String, String> tags) {
            this(kind, id, sourceDatabaseId, status, progressPercent, createdAt, encrypted, kmsKeyId, tags, 0);
        }
    }

    /**
     * An Aurora fast clone of {@code sourceClusterId} under {@code newClusterId}: {@code instanceClass} for its
     * instances where the source's should not be kept, {@code tags} on the cluster and its instances, and
     * {@code settings} over the source's (docs/restore-settings.md, Aurora clusters).
     */
    record CloneRequest(
            String sourceClusterId,
            String newClusterId,
            Optional<String> instanceClass,
            Map<String, String> tags,
            io.cutover.plan.RestoreSettings settings) {
        public CloneRequest {
            java.util.Objects.requireNonNull(sourceClusterId, "sourceClusterId");
            java.util.Objects.requireNonNull(newClusterId, "newClusterId");
            instanceClass = instanceClass == null ? Optional.empty() : instanceClass;
            tags = Map.copyOf(tags);
            settings = settings == null ? io.cutover.plan.RestoreSettings.ofSource() : settings;
        }

        public static CloneRequest of(String sourceClusterId, String newClusterId, Map<String, String> tags) {
            return new CloneRequest(
                    sourceClusterId, newClusterId, Optional.empty(), tags, io.cutover.plan.RestoreSettings.ofSource());
        }
    }

    /**
     * A restore: the new database's id and the settings that differ from the source's ({@code settings}: the
     * rest; its subnet group, security groups and parameter group apply where these leave them empty).
     */
    record RestoreRequest(
            Kind kind,
            String snapshotId,
            String newDatabaseId,
            Optional<String> instanceClass,
            Optional<String> subnetGroup,
            List<String> securityGroups,
            Optional<String> parameterGroup,
            Map<String, String> tags,
            io.cutover.plan.RestoreSettings settings) {
        public RestoreRequest {
            securityGroups = List.copyOf(securityGroups);
            tags = Map.copyOf(tags);
            settings = settings == null ? io.cutover.plan.RestoreSettings.ofSource() : settings;
            subnetGroup = subnetGroup.or(settings::subnetGroup);
            securityGroups = securityGroups.isEmpty() ? settings.securityGroups() : securityGroups;
            parameterGroup = parameterGroup.or(settings::parameterGroup);
        }

        public RestoreRequest(
                Kind kind,
                String snapshotId,
                String newDatabaseId,
                Optional<String> instanceClass,
                Optional<String> subnetGroup,
                List<String> securityGroups,
                Optional<String> parameterGroup,
                Map<String, String> tags) {
            this(
                    kind,
                    snapshotId,
                    newDatabaseId,
                    instanceClass,
                    subnetGroup,
                    securityGroups,
                    parameterGroup,
                    tags,
                    io.cutover.plan.RestoreSettings.ofSource());
        }

        public static RestoreRequest of(Kind kind, String snapshotId, String newDatabaseId, Map<String, String> tags) {
            return new RestoreRequest(
                    kind,
                    snapshotId,
                    newDatabaseId,
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    Optional.empty(),
                    tags);
        }
    }
}
