package io.cutover.plan;

import io.cutover.plan.Environment.Database;
import io.cutover.plan.StepSpec.Check;
import io.cutover.plan.StepSpec.Downtime;
import io.cutover.plan.StepSpec.TemplateRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The common cutovers as plans. A strategy only writes steps; the result is an ordinary {@link Plan} that
 * can be previewed, changed and saved like any other.
 */
public final class Strategies {
    private Strategies() {}

    /**
     * The parallel upgrade with a rehearsal and a final re-sync (the OpenBoxes and CloverDX procedures):
     * snapshot blue's databases and volumes (in parallel) and build green from them beside blue; verify
     * green; then freeze writes on blue (downtime starts), snapshot again, update green from the fresh
     * snapshots, verify again, and switch DNS to green (downtime ends); bake with blue kept, then decommission
     * blue with final snapshots.
     */
    public static ParallelUpgrade parallelUpgrade(String planId, Environment environment) {
        return new ParallelUpgrade(planId, environment);
    }

    /**
     * The in-place stack update (the Code Ocean procedure): maintenance mode on (downtime starts), update the
     * stack through a change set with a storage guard, verify, maintenance mode off (downtime ends).
     */
    public static InPlaceUpdate inPlaceUpdate(String planId, Environment environment) {
        return new InPlaceUpdate(planId, environment);
    }

    /** Builder of the parallel upgrade. */
    public static final class ParallelUpgrade {
        private final String planId;
        private final Environment env;
        private String greenStack;
        private TemplateRef template;
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private final Map<String, String> snapshotParameters = new LinkedHashMap<>();
        private final Map<String, String> cloneParameters = new LinkedHashMap<>();
        private final List<Check> checks = new ArrayList<>();
        private String freezeHook;
        private String unfreezeHook;
        private String target = "${green.outputs.Endpoint}";
        private long lowerTtlTo = 60;
        private boolean rehearsal = true;
        private boolean approveBeforeFreeze;
        private Duration bake = Duration.ofHours(24);
        private Duration verifyTimeout = Duration.ofMinutes(15);
        private List<Integer> weights = List.of();
        private List<String> capabilities = List.of();
        private String listener;
        private String targetGroup;

        private ParallelUpgrade(String planId, Environment env) {
            this.planId = planId;
            this.env = env;
            this.greenStack = env.stack() + "-" + planId;
        }

        public ParallelUpgrade greenStack(String name) {
            this.greenStack = name;
            return this;
        }

        public ParallelUpgrade template(TemplateRef template) {
            this.template = template;
            return this;
        }

        /** A parameter of green's stack over blue's carried-over ones. */
        public ParallelUpgrade parameter(String name, String value) {
            parameters.put(name, value);
            return this;
        }

        /**
         * The stack parameter that receives the snapshot of a database or volume of the environment (e.g.
         * {@code DBSnapshotIdentifier} for database {@code app-db}); set from the rehearsal snapshot first and
         * from the final snapshot at the re-sync.
         */
        public ParallelUpgrade snapshotParameter(String parameter, String databaseOrVolumeId) {
            snapshotParameters.put(parameter, databaseOrVolumeId);
            return this;
        }

        /**
         * The stack parameter that receives the endpoint of an Aurora fast clone of blue's cluster {@code clusterId}
         * (e.g. {@code DatabaseEndpoint}): cloned for the rehearsal ({@code clone-rehearsal-db}) and again after the
         * freeze ({@code clone-final-db}, which replaces the rehearsal's), instead of being snapshotted and
         * restored.
         */
        public ParallelUpgrade cloneParameter(String parameter, String clusterId) {
            Database db = env.databases().stream()
                    .filter(d -> d.id().equals(clusterId))
                    .findFirst()
                    .orElseThrow(
                            () -> new IllegalArgumentException("'" + clusterId + "' is not a database of environment "
                                    + env.name() + "; clone parameters name one of its Aurora clusters"));
            if (db.kind() != Database.Kind.CLUSTER) {
                throw new IllegalArgumentException("'" + clusterId + "' is a DB instance: Aurora fast clones copy"
                        + " Aurora clusters only; give it a snapshotParameter instead");
            }
            cloneParameters.put(parameter, clusterId);
            return this;
        }

        public ParallelUpgrade check(Check check) {
            checks.add(check);
            return this;
        }

        /** Hooks that stop writes on blue and let them resume (the undo, if the cutover rolls back). */
        public ParallelUpgrade freezeWrites(String hook, String undoHook) {
            this.freezeHook = hook;
            this.unfreezeHook = undoHook;
            return this;
        }

        /** What DNS will point at; {@code ${green.outputs.Endpoint}} by default. */
        public ParallelUpgrade target(String target) {
            this.target = target;
            return this;
        }

        public ParallelUpgrade lowerTtlTo(long seconds) {
            this.lowerTtlTo = seconds;
            return this;
        }

        /** Without the rehearsal, green is built once, from the snapshots taken after the freeze. */
        public ParallelUpgrade withoutRehearsal() {
            this.rehearsal = false;
            return this;
        }

        /** A person approves after the rehearsal, before writes are frozen. */
        public ParallelUpgrade approveBeforeFreeze() {
            this.approveBeforeFreeze = true;
            return this;
        }

        public ParallelUpgrade bake(Duration d) {
            this.bake = d;
            return this;
        }

        public ParallelUpgrade verifyTimeout(Duration d) {
            this.verifyTimeout = d;
            return this;
        }

        /** Shift DNS by weights (green's weight per stage, of 255) instead of at once. */
        public ParallelUpgrade weighted(List<Integer> greenWeights) {
            this.weights = List.copyOf(greenWeights);
            return this;
        }

        /**
         * Users reach the application through an application load balancer: the switch moves its listener (or
         * rule) to green's target group ({@code switch-target-group}) instead of DNS, and no TTL is lowered.
         * {@link #weighted} then gives green's percent at each stage.
         */
        public ParallelUpgrade switchTargetGroup(String listenerOrRuleArn, String greenTargetGroup) {
            this.listener = listenerOrRuleArn;
            this.targetGroup = greenTargetGroup;
            return this;
        }

        public ParallelUpgrade capabilities(List<String> caps) {
            this.capabilities = List.copyOf(caps);
            return this;
        }

        public Plan build() {
            List<StepSpec> steps = new ArrayList<>();
            List<StepId> ttl = List.of();
            if (env.dns().isPresent() && listener == null) {
                steps.add(new StepSpec.LowerTtl(StepId.of("lower-ttl"), List.of(), Optional.empty(), lowerTtlTo));
                ttl = List.of(StepId.of("lower-ttl"));
            }
            List<StepId> before = List.of();
            if (rehearsal) {
                List<StepId> snaps = snapshots(steps, "rehearsal", List.of());
                steps.add(new StepSpec.CloneStack(
                        StepId.of("clone"),
                        snaps,
                        greenStack,
                        template,
                        params("rehearsal"),
                        true,
                        Map.of(),
                        capabilities));
                steps.add(new StepSpec.Verify(
                        StepId.of("verify-rehearsal"),
                        List.of(StepId.of("clone")),
                        checks,
                        verifyTimeout,
                        Duration.ofSeconds(15)));
                before = List.of(StepId.of("verify-rehearsal"));
                if (approveBeforeFreeze) {
                    steps.add(new StepSpec.Approval(
                            StepId.of("approve-freeze"),
                            before,
                            "the rehearsal passed; approve to freeze writes and cut over"));
                    before = List.of(StepId.of("approve-freeze"));
                }
            }
            List<StepId> freezeDeps = new ArrayList<>(before);
            freezeDeps.addAll(ttl);
            List<StepId> afterFreeze = freezeDeps;
            if (freezeHook != null) {
                steps.add(new StepSpec.Hook(
                        StepId.of("freeze"),
                        freezeDeps,
                        freezeHook,
                        Optional.ofNullable(unfreezeHook),
                        Downtime.STARTS,
                        "freeze writes on blue"));
                afterFreeze = List.of(StepId.of("freeze"));
            }
            List<StepId> finals = snapshots(steps, "final", afterFreeze);
            StepId verify;
            if (rehearsal) {
                steps.add(new StepSpec.UpdateStack(
                        StepId.of("resync"),
                        finals,
                        "${green.stack}",
                        Optional.empty(),
                        params("final"),
                        Optional.empty()));
                verify = StepId.of("verify-final");
                steps.add(new StepSpec.Verify(
                        verify, List.of(StepId.of("resync")), checks, verifyTimeout, Duration.ofSeconds(15)));
            } else {
                steps.add(new StepSpec.CloneStack(
                        StepId.of("clone"),
                        finals,
                        greenStack,
                        template,
                        params("final"),
                        true,
                        Map.of(),
                        capabilities));
                verify = StepId.of("verify");
                steps.add(new StepSpec.Verify(
                        verify, List.of(StepId.of("clone")), checks, verifyTimeout, Duration.ofSeconds(15)));
            }
            StepId sw;
            if (listener != null) {
                sw = StepId.of("switch-target-group");
                steps.add(new StepSpec.SwitchTargetGroup(
                        sw, List.of(verify), listener, targetGroup, weights, Duration.ofMinutes(5), checks));
            } else if (env.dns().isPresent()) {
                sw = StepId.of("switch-dns");
                steps.add(new StepSpec.SwitchDns(
                        sw,
                        List.of(verify),
                        Optional.empty(),
                        target,
                        weights,
                        Optional.empty(),
                        Duration.ofMinutes(5),
                        checks));
            } else {
                sw = StepId.of("move-address");
                steps.add(new StepSpec.MoveAddress(sw, List.of(verify), Optional.empty(), target));
            }
            steps.add(new StepSpec.Bake(StepId.of("bake"), List.of(sw), bake, checks, Duration.ofMinutes(1)));
            if (!ttl.isEmpty()) {
                // The short TTL was for the switch and a quick way back: once the bake passed, the record gets its
                // own TTL again, beside decommission (a failure to set it never moves users back to blue).
                steps.add(new StepSpec.RestoreTtl(StepId.of("restore-ttl"), List.of(StepId.of("bake")), ttl.get(0)));
            }
            steps.add(new StepSpec.Decommission(StepId.of("decommission"), List.of(StepId.of("bake")), List.of()));
            return Plan.of(planId, env, steps);
        }

        private Map<String, String> params(String round) {
            Map<String, String> p = new LinkedHashMap<>(parameters);
            snapshotParameters.forEach(
                    (param, source) -> p.put(param, "${" + snapshotStep(round, source) + ".snapshotId}"));
            cloneParameters.forEach((param, source) -> p.put(param, "${" + cloneStep(round, source) + ".endpoint}"));
            return p;
        }

        /** {@code snap-<round>-db} for the first database, {@code snap-<round>-db-2} for the second; same for volumes. */
        private String snapshotStep(String round, String source) {
            for (int i = 0; i < env.databases().size(); i++) {
                if (env.databases().get(i).id().equals(source)) {
                    return "snap-" + round + "-db" + (i == 0 ? "" : "-" + (i + 1));
                }
            }
            int v = env.volumes().indexOf(source);
            if (v < 0) {
                throw new IllegalArgumentException("'" + source + "' is neither a database nor a volume of environment "
                        + env.name() + "; snapshot parameters name one of "
                        + env.databases().stream().map(Database::id).toList() + " or " + env.volumes());
            }
            return "snap-" + round + "-vol" + (v == 0 ? "" : "-" + (v + 1));
        }

        /** {@code clone-<round>-db} for the first database, as {@link #snapshotStep}. */
        private String cloneStep(String round, String cluster) {
            return snapshotStep(round, cluster).replaceFirst("^snap-", "clone-");
        }

        private List<StepId> snapshots(List<StepSpec> steps, String round, List<StepId> deps) {
            List<StepId> ids = new ArrayList<>();
            for (Database db : env.databases()) {
                if (cloneParameters.containsValue(db.id())) {
                    StepId id = StepId.of(cloneStep(round, db.id()));
                    Optional<StepId> replaces = round.equals("final") && rehearsal
                            ? Optional.of(StepId.of(cloneStep("rehearsal", db.id())))
                            : Optional.empty();
                    steps.add(new DatabaseSync.CloneDatabase(
                            id, deps, db, Optional.empty(), Optional.empty(), RestoreSettings.ofSource(), replaces));
                    ids.add(id);
                    continue;
                }
                StepId id = StepId.of(snapshotStep(round, db.id()));
                steps.add(new StepSpec.SnapshotDatabase(id, deps, db));
                ids.add(id);
            }
            for (String vol : env.volumes()) {
                StepId id = StepId.of(snapshotStep(round, vol));
                steps.add(new StepSpec.SnapshotVolume(id, deps, vol));
                ids.add(id);
            }
            return ids;
        }
    }

    /** Builder of the in-place update. */
    public static final class InPlaceUpdate {
        private final String planId;
        private final Environment env;
        private Optional<TemplateRef> template = Optional.empty();
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private Optional<StepSpec.StorageGuard> guard = Optional.empty();
        private final List<String> allowReplacement = new ArrayList<>();
        private final List<Check> checks = new ArrayList<>();
        private String maintenanceOn;
        private String maintenanceOff;
        private boolean backup = true;

        private InPlaceUpdate(String planId, Environment env) {
            this.planId = planId;
            this.env = env;
        }

        public InPlaceUpdate template(TemplateRef t) {
            this.template = Optional.of(t);
            return this;
        }

        public InPlaceUpdate parameter(String name, String value) {
            parameters.put(name, value);
            return this;
        }

        /** Refuse the update when {@code parameter} is below the storage {@code database} has grown to. */
        public InPlaceUpdate storageGuard(String parameter, Database database) {
            this.guard = Optional.of(new StepSpec.StorageGuard(parameter, database));
            return this;
        }

        /**
         * Lets the update replace these stateful resources of blue's stack (logical ids in its template); without
         * it, a change set that would replace a database, a volume or a file system is refused before it runs.
         */
        public InPlaceUpdate allowReplacement(String... logicalIds) {
            allowReplacement.addAll(List.of(logicalIds));
            return this;
        }

        public InPlaceUpdate check(Check c) {
            checks.add(c);
            return this;
        }

        public InPlaceUpdate maintenanceMode(String onHook, String offHook) {
            this.maintenanceOn = onHook;
            this.maintenanceOff = offHook;
            return this;
        }

        /** Without the safety snapshot of each database before the update. */
        public InPlaceUpdate withoutBackup() {
            this.backup = false;
            return this;
        }

        public Plan build() {
            List<StepSpec> steps = new ArrayList<>();
            List<StepId> deps = List.of();
            if (maintenanceOn != null) {
                steps.add(new StepSpec.Hook(
                        StepId.of("maintenance-on"),
                        List.of(),
                        maintenanceOn,
                        Optional.ofNullable(maintenanceOff),
                        Downtime.STARTS,
                        "enable maintenance mode"));
                deps = List.of(StepId.of("maintenance-on"));
            }
            if (backup) {
                List<StepId> snaps = new ArrayList<>();
                for (Database db : env.databases()) {
                    StepId id = StepId.of("backup-"
                            + db.id()
                                    .toLowerCase()
                                    .replaceAll("[^a-z0-9]+", "-")
                                    .replaceAll("-+$", ""));
                    steps.add(new StepSpec.SnapshotDatabase(id, deps, db));
                    snaps.add(id);
                }
                if (!snaps.isEmpty()) {
                    deps = snaps;
                }
            }
            steps.add(new StepSpec.UpdateStack(
                    StepId.of("update-stack"), deps, env.stack(), template, parameters, guard, allowReplacement));
            StepId last = StepId.of("update-stack");
            if (!checks.isEmpty()) {
                steps.add(new StepSpec.Verify(
                        StepId.of("verify"), List.of(last), checks, Duration.ofMinutes(15), Duration.ofSeconds(15)));
                last = StepId.of("verify");
            }
            if (maintenanceOff != null) {
                steps.add(new StepSpec.Hook(
                        StepId.of("maintenance-off"),
                        List.of(last),
                        maintenanceOff,
                        Optional.empty(),
                        Downtime.ENDS,
                        "leave maintenance mode"));
            }
            return Plan.of(planId, env, steps);
        }
    }
}
