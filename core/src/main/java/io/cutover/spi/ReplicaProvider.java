package io.cutover.spi;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Read replicas of database instances (RDS read replicas on AWS): a read-only copy of an instance kept in sync
 * by the engine's asynchronous replication, which can be promoted to a standalone instance. A replica is deleted
 * like any instance, through {@link DatabaseProvider#delete}.
 */
public interface ReplicaProvider {
    /**
     * Starts creating read replica {@code replicaId} of instance {@code sourceDatabaseId}, carrying {@code tags};
     * fails with {@link FailureKind#ALREADY_EXISTS} if an instance of that id exists.
     */
    void create(String replicaId, String sourceDatabaseId, Map<String, String> tags);

    /** The replica (or, once promoted, the instance) now; a missing one is a {@link FailureKind#NOT_FOUND} failure. */
    Replica describe(String replicaId);

    /**
     * Starts promoting the replica to a standalone instance. Replication stops: what the source took that the
     * replica had not applied yet is not on the promoted instance.
     */
    void promote(String replicaId);

    /**
     * A replica: its status, the instance it replicates ({@code sourceDatabaseId}, empty once promoted), how far
     * it lags the source where the provider can tell ({@code replicaLag}; RDS reports it through CloudWatch's
     * {@code ReplicaLag}, empty while no figure is known), what is wrong with the replication if anything is
     * ({@code replicationProblem}, e.g. RDS's {@code error: ...}), its endpoint and tags.
     */
    record Replica(
            String id,
            DatabaseProvider.Status status,
            Optional<String> sourceDatabaseId,
            Optional<Duration> replicaLag,
            Optional<String> replicationProblem,
            Optional<String> endpoint,
            Map<String, String> tags) {
        public Replica {
            sourceDatabaseId = sourceDatabaseId == null ? Optional.empty() : sourceDatabaseId;
            replicaLag = replicaLag == null ? Optional.empty() : replicaLag;
            replicationProblem = replicationProblem == null ? Optional.empty() : replicationProblem;
            endpoint = endpoint == null ? Optional.empty() : endpoint;
            tags = Map.copyOf(tags);
        }

        /** A standalone instance that takes writes: promoted and available. */
        public boolean standalone() {
            return sourceDatabaseId.isEmpty() && status == DatabaseProvider.Status.AVAILABLE;
        }
    }
}
