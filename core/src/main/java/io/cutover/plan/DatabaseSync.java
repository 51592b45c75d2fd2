package io.cutover.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cutover.plan.Environment.Database;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The steps that copy blue's database for green other than a snapshot and a restore: an Aurora fast clone
 * ({@code clone-database}), the {@code rds-blue-green} sync mode ({@code create-blue-green}, {@code
 * switchover-blue-green}) and the {@code read-replica} one ({@code create-read-replica}, {@code
 * promote-read-replica}); see docs/database-sync-modes.md. Built with {@link Steps}.
 */
public final class DatabaseSync {
    private DatabaseSync() {}

    /**
     * An Aurora fast clone of blue's cluster {@code source} (copy-on-write, from a restorable time past the step's
     * start), keeping its settings but {@code settings}; {@code replaces}: an earlier clone step whose clone is
     * deleted once this one is ready. Outputs {@code databaseId}, {@code endpoint}, {@code clonedAt}.
     */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record CloneDatabase(
            StepId id,
            List<StepId> dependsOn,
            Database source,
            Optional<String> newId,
            Optional<String> instanceClass,
            RestoreSettings settings,
            Optional<StepId> replaces)
            implements StepSpec {
        public CloneDatabase {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            newId = newId == null ? Optional.empty() : newId;
            instanceClass = instanceClass == null ? Optional.empty() : instanceClass;
            settings = settings == null ? RestoreSettings.ofSource() : settings;
            replaces = replaces == null ? Optional.empty() : replaces;
        }
    }

    /**
     * Creates an RDS Blue/Green Deployment of {@code database} (an instance standing alone, not one blue's stack
     * owns), optionally on {@code targetEngineVersion}, and waits until it is available and green's replica lags
     * blue by at most {@code maxReplicaLag}: the {@code rds-blue-green} sync mode's first half, run during the
     * rehearsal, before writes freeze. Outputs {@code deploymentId}, {@code greenDatabaseId}.
     */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record CreateBlueGreen(
            StepId id,
            List<StepId> dependsOn,
            Database database,
            Optional<String> targetEngineVersion,
            Duration maxReplicaLag)
            implements StepSpec {
        public CreateBlueGreen {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            targetEngineVersion = targetEngineVersion == null ? Optional.empty() : targetEngineVersion;
            maxReplicaLag = maxReplicaLag == null ? Duration.ofSeconds(30) : maxReplicaLag;
        }
    }

    /**
     * Switches an RDS Blue/Green Deployment over ({@code deployment}, e.g. {@code ${create-bg.deploymentId}}):
     * waits until green's replica lag is at most {@code maxReplicaLag} (writes are frozen by then), then switches
     * with {@code timeout} (RDS rolls the switchover back past it). Afterwards green's database has blue's name
     * and endpoint and blue's is kept, renamed with {@code -old1}. Outputs {@code databaseId},
     * {@code oldDatabaseId}. Not undone automatically: see docs/database-sync-modes.md.
     */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record SwitchoverBlueGreen(
            StepId id, List<StepId> dependsOn, String deployment, Duration timeout, Duration maxReplicaLag)
            implements StepSpec {
        public SwitchoverBlueGreen {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            timeout = timeout == null ? Duration.ofMinutes(5) : timeout;
            maxReplicaLag = maxReplicaLag == null ? Duration.ofSeconds(30) : maxReplicaLag;
        }
    }

    /**
     * Creates a read replica of {@code database} (an instance standing alone, not one blue's stack owns) under
     * {@code newId} ({@code <plan id>-<step id>} by default) and waits until it is available and lags blue by at
     * most {@code maxReplicaLag}: the {@code read-replica} sync mode's first half, run during the rehearsal, before
     * writes freeze. Green's application may use it read-only until the promotion. Outputs {@code databaseId},
     * {@code endpoint} (which the promoted database keeps).
     */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record CreateReadReplica(
            StepId id, List<StepId> dependsOn, Database database, Optional<String> newId, Duration maxReplicaLag)
            implements StepSpec {
        public CreateReadReplica {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            newId = newId == null ? Optional.empty() : newId;
            maxReplicaLag = maxReplicaLag == null ? Duration.ofSeconds(30) : maxReplicaLag;
        }
    }

    /**
     * Promotes a read replica ({@code replica}, e.g. {@code ${create-replica.databaseId}}) to a standalone instance
     * after writes freeze: waits up to {@code timeout} for its lag to drain to zero (fails, not promoted, if it does
     * not), promotes it and waits until it takes writes. Outputs {@code databaseId}, {@code endpoint}. Blue's
     * database is untouched; after the promotion it no longer receives what is written on green
     * (docs/database-sync-modes.md).
     */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record PromoteReadReplica(StepId id, List<StepId> dependsOn, String replica, Duration timeout)
            implements StepSpec {
        public PromoteReadReplica {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            timeout = timeout == null ? Duration.ofMinutes(5) : timeout;
        }
    }
}
