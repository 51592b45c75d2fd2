package io.cutover.spi;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Managed blue/green deployments of a database (RDS Blue/Green Deployments on AWS): a green copy of a database
 * instance kept in sync by replication, switched over in about a minute (the green copy takes the blue one's
 * name and endpoint, the blue one is renamed with {@code -old1}).
 */
public interface BlueGreenProvider {
    /** Starts creating the deployment; returns its identifier. */
    String create(String name, String blueDatabaseId, Optional<String> targetEngineVersion, Map<String, String> tags);

    /** The deployment of that name, if one exists. */
    Optional<Deployment> findByName(String name);

    /** The deployment; a missing one is a {@link FailureKind#NOT_FOUND} failure. */
    Deployment describe(String deploymentId);

    /** Starts the switchover; it is rolled back by the service when it does not finish within {@code timeout}. */
    void switchover(String deploymentId, Duration timeout);

    /** Deletes the deployment and, with {@code deleteGreen} (before a switchover only), its green database. */
    void delete(String deploymentId, boolean deleteGreen);

    /** Where a deployment stands (RDS's statuses). */
    enum Status {
        PROVISIONING,
        AVAILABLE,
        SWITCHOVER_IN_PROGRESS,
        SWITCHOVER_COMPLETED,
        INVALID_CONFIGURATION,
        SWITCHOVER_FAILED,
        DELETING,
        UNKNOWN
    }

    /**
     * A deployment: blue's and green's database ids (after a switchover, blue's is the {@code -old1} one and
     * green's carries the name blue had), its status and the service's words about it, and the replica lag of
     * green behind blue where the provider can tell (RDS's API does not: CloudWatch's {@code ReplicaLag} does).
     */
    record Deployment(
            String id,
            String name,
            String blueDatabaseId,
            Optional<String> greenDatabaseId,
            Status status,
            String statusDetails,
            Optional<Duration> replicaLag,
            Map<String, String> tags) {
        public Deployment {
            greenDatabaseId = greenDatabaseId == null ? Optional.empty() : greenDatabaseId;
            replicaLag = replicaLag == null ? Optional.empty() : replicaLag;
            statusDetails = statusDetails == null ? "" : statusDetails;
            tags = Map.copyOf(tags);
        }
    }
}
