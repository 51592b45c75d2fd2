package io.cutover.plan;

import io.cutover.plan.Environment.Database;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The builder of the Aurora fast clone step ({@code Steps.cloneDatabase("clone-db")}) and the checks of its fields,
 * which plan files share.
 */
public final class CloneSteps {
    /** The storage types of an Aurora cluster: standard and I/O-Optimized. */
    static final Set<String> AURORA_STORAGE = Set.of("aurora", "aurora-iopt1");

    private CloneSteps() {}

    /**
     * Blue's database must be an Aurora cluster of the environment; the settings those a cluster takes; a
     * {@code replaces} names an earlier clone of the same cluster this step depends on.
     */
    public static void check(DatabaseSync.CloneDatabase s, Validation v) {
        Database src = s.source();
        if (src == null) {
            v.problem(
                    "source",
                    "is missing; give blue's Aurora cluster, e.g. {kind: cluster, id: shop-aurora, ownedByStack:"
                            + " false}");
            return;
        }
        v.database(src, "source");
        if (src.kind() != Database.Kind.CLUSTER) {
            v.problem(
                    "source.kind",
                    "'" + src.id() + "' is a DB instance: Aurora fast clones copy Aurora clusters only; for a DB"
                            + " instance use snapshot-database and restore-database (snapshot-restore), or"
                            + " create-blue-green (rds-blue-green)");
        }
        Environment env = v.environment();
        if (src.id() != null
                && env != null
                && env.databases().stream().noneMatch(d -> src.id().equals(d.id()))) {
            v.problem(
                    "source.id",
                    "'" + src.id() + "' is not a database of environment '" + env.name()
                            + "'; add it to environment.databases");
        }
        v.identifier(s.newId().orElse(null), Identifiers::checkDatabaseId, "newId");
        RestoreSettings st = s.settings();
        notForClusters(v, "settings.multiAz", st.multiAz(), "an Aurora cluster's availability is its instances");
        notForClusters(v, "settings.storageThroughput", st.storageThroughput(), "Aurora storage has no such setting");
        notForClusters(v, "settings.allocatedStorageGb", st.allocatedStorageGb(), "Aurora storage grows by itself");
        notForClusters(v, "settings.iops", st.iops(), "Aurora storage has no provisioned IOPS");
        st.storageType()
                .filter(t -> !AURORA_STORAGE.contains(t))
                .ifPresent(t -> v.problem(
                        "settings.storageType",
                        "'" + t + "' is not an Aurora storage type; valid: aurora, aurora-iopt1"));
        st.port()
                .filter(p -> p < 1150 || p > 65535)
                .ifPresent(p -> v.problem("settings.port", p + " is out of range; 1150 to 65535"));
        st.backupRetentionDays()
                .filter(d -> d < 1 || d > 35)
                .ifPresent(d -> v.problem(
                        "settings.backupRetentionDays",
                        d + " is out of range; 1 to 35 days (an Aurora cluster always keeps backups)"));
        s.replaces().ifPresent(r -> checkReplaces(s, r, v));
    }

    private static void notForClusters(Validation v, String field, Optional<?> value, String why) {
        value.ifPresent(x -> v.problem(field, "does not apply to an Aurora clone (" + why + "); leave it out"));
    }

    private static void checkReplaces(DatabaseSync.CloneDatabase s, StepId replaced, Validation v) {
        Plan plan = v.plan();
        if (plan == null) {
            return;
        }
        Map<StepId, StepSpec> byId =
                plan.steps().stream().collect(Collectors.toMap(StepSpec::id, Function.identity(), (a, b) -> a));
        StepSpec other = byId.get(replaced);
        if (!(other instanceof DatabaseSync.CloneDatabase earlier)) {
            v.problem(
                    "replaces",
                    "'" + replaced + "' is not a clone-database step of the plan; name the rehearsal's clone step,"
                            + " e.g. clone-rehearsal-db");
            return;
        }
        if (earlier.source() == null
                || s.source() == null
                || !earlier.source().id().equals(s.source().id())) {
            v.problem("replaces", "'" + replaced + "' clones another database; it cannot be replaced by this clone");
        }
        // Only an upstream clone can be superseded: otherwise the two steps would race and one delete the other's.
        Set<StepId> upstream = new HashSet<>();
        Deque<StepId> todo = new ArrayDeque<>(s.dependsOn());
        while (!todo.isEmpty()) {
            StepId d = todo.pop();
            if (upstream.add(d) && byId.containsKey(d)) {
                todo.addAll(byId.get(d).dependsOn());
            }
        }
        if (!upstream.contains(replaced)) {
            v.problem(
                    "replaces",
                    "'" + replaced + "' is not upstream of '" + s.id() + "'; add it (or a step after it, such as"
                            + " the freeze) to dependsOn");
        }
    }

    /** Builds a {@link DatabaseSync.CloneDatabase}. */
    public static final class Builder extends Steps.StepBuilder<Builder, DatabaseSync.CloneDatabase> {
        private Database source;
        private String newId;
        private String instanceClass;
        private RestoreSettings settings = RestoreSettings.ofSource();
        private StepId replaces;

        Builder(String id) {
            super(id);
        }

        /** Blue's Aurora cluster (required), e.g. {@code new Database(Kind.CLUSTER, "shop-aurora", false)}. */
        public Builder source(Database source) {
            this.source = source;
            return this;
        }

        /** The clone's cluster id; by default {@code <plan id>-<step id>}. Its instances are {@code <id>-1}, ... */
        public Builder newId(String newId) {
            this.newId = newId;
            return this;
        }

        /** The class of the clone's instances; by default each source member's. */
        public Builder instanceClass(String instanceClass) {
            this.instanceClass = instanceClass;
            return this;
        }

        /** Settings that differ from the source's (each left empty is copied from it). */
        public Builder settings(RestoreSettings settings) {
            this.settings = settings;
            return this;
        }

        /** The earlier clone step (the rehearsal's) whose clone this one supersedes: deleted once this one is ready. */
        public Builder replaces(String stepId) {
            this.replaces = StepId.of(stepId);
            return this;
        }

        @Override
        void check(Validation v) {
            DatabaseSync.CloneDatabase s = create(StepId.of("x"), List.of());
            if (source == null) {
                v.problem(
                        "source",
                        "is missing; give blue's Aurora cluster: .source(new Database(Kind.CLUSTER, \"shop-aurora\","
                                + " false))");
                return;
            }
            v.database(source, "source");
            if (source.kind() != Database.Kind.CLUSTER) {
                v.problem(
                        "source.kind",
                        "'" + source.id() + "' is a DB instance: Aurora fast clones copy Aurora clusters only; for a"
                                + " DB instance use Steps.snapshotDatabase and Steps.restoreDatabase, or"
                                + " Steps.createBlueGreen");
            }
            v.identifier(newId, Identifiers::checkDatabaseId, "newId");
            if (s.settings()
                    .storageType()
                    .filter(t -> !AURORA_STORAGE.contains(t))
                    .isPresent()) {
                v.problem("settings.storageType", "is not an Aurora storage type; valid: aurora, aurora-iopt1");
            }
        }

        @Override
        DatabaseSync.CloneDatabase create(StepId id, List<StepId> dependsOn) {
            return new DatabaseSync.CloneDatabase(
                    id,
                    dependsOn,
                    source,
                    Optional.ofNullable(newId),
                    Optional.ofNullable(instanceClass),
                    settings,
                    Optional.ofNullable(replaces));
        }
    }
}
