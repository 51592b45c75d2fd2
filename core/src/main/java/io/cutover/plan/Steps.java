package io.cutover.plan;

import io.cutover.InvalidPlanException;
import io.cutover.InvalidPlanException.Problem;
import io.cutover.plan.Environment.Database;
import io.cutover.plan.StepSpec.Downtime;
import io.cutover.plan.StepSpec.StorageGuard;
import io.cutover.plan.StepSpec.TemplateRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fluent builders for the built-in step kinds, one per kind, for plans written in Java:
 *
 * <pre>{@code
 * StepSpec snap = Steps.snapshotDatabase("snap-db").database(Database.instance("shop-db")).dependsOn("freeze").build();
 * StepSpec green = Steps.cloneStack("green")
 *         .stackName("shop-green")
 *         .template(TemplateRef.ofUrl("https://s3.amazonaws.com/my-bucket/shop-2.0.json"))
 *         .parameter("DBSnapshotIdentifier", "${snap-db.snapshotId}")
 *         .dependsOn("snap-db")
 *         .build();
 * }</pre>
 *
 * <p>A builder starts from the same defaults as a plan file (e.g. a verification times out after 10 minutes,
 * a clone carries blue's parameters over) and {@code build()} checks what can be checked without the plan:
 * the step id, the fields the kind needs, identifiers, durations and weights, with the plan validator's
 * messages ({@link InvalidPlanException}, naming {@code steps[id].field}). What depends on the environment
 * (a database that is not blue's, a switch without a DNS record) is checked when the plan is validated.
 * The builders build the records of {@link StepSpec}, which stay the model of plan files and stored states.
 */
public final class Steps {
    private Steps() {}

    /** Runs the hook registered with the engine as {@code hook}. */
    public static HookBuilder hook(String id) {
        return new HookBuilder(id);
    }

    /** Runs a script on instances through Run Command (see {@link StepSpec.RunCommand}). */
    public static MachineSteps.RunCommandBuilder runCommand(String id) {
        return new MachineSteps.RunCommandBuilder(id);
    }

    /** Calls a vendor's admin API (see {@link StepSpec.HttpCall}). */
    public static MachineSteps.HttpCallBuilder httpCall(String id) {
        return new MachineSteps.HttpCallBuilder(id);
    }

    /** Snapshots one of blue's databases; outputs {@code snapshotId}. */
    public static SnapshotDatabaseBuilder snapshotDatabase(String id) {
        return new SnapshotDatabaseBuilder(id);
    }

    /** Snapshots one of blue's volumes; outputs {@code snapshotId}. */
    public static SnapshotVolumeBuilder snapshotVolume(String id) {
        return new SnapshotVolumeBuilder(id);
    }

    /**
     * Puts a volume snapshot's data on green's machine in place of its data volume, without a stack update;
     * outputs {@code volumeId} and {@code replacedVolumeId}.
     */
    public static DataDisks.Builder replaceVolume(String id) {
        return new DataDisks.Builder(id);
    }

    /** Restores a new database from a snapshot; outputs {@code databaseId} and {@code endpoint}. */
    public static RestoreDatabaseBuilder restoreDatabase(String id) {
        return new RestoreDatabaseBuilder(id);
    }

    /**
     * Clones one of blue's Aurora clusters (an Aurora fast clone, ready in minutes whatever its size); outputs
     * {@code databaseId}, {@code endpoint} and {@code clonedAt}.
     */
    public static CloneSteps.Builder cloneDatabase(String id) {
        return new CloneSteps.Builder(id);
    }

    /** Creates green's stack from a template beside blue; outputs {@code stackName} and the stack's outputs. */
    public static CloneStackBuilder cloneStack(String id) {
        return new CloneStackBuilder(id);
    }

    /** Updates a stack in place through a change set. */
    public static UpdateStackBuilder updateStack(String id) {
        return new UpdateStackBuilder(id);
    }

    /** Runs health checks until all pass or the timeout passes. */
    public static TrafficSteps.VerifyBuilder verify(String id) {
        return new TrafficSteps.VerifyBuilder(id);
    }

    /** Waits for a person to approve the step. */
    public static TrafficSteps.ApprovalBuilder approval(String id) {
        return new TrafficSteps.ApprovalBuilder(id);
    }

    /** Lowers the DNS record's TTL and waits out the old one. */
    public static TrafficSteps.LowerTtlBuilder lowerTtl(String id) {
        return new TrafficSteps.LowerTtlBuilder(id);
    }

    /** Sets the TTL a lower-ttl step lowered back to what it was (e.g. after the bake). */
    public static TrafficSteps.RestoreTtlBuilder restoreTtl(String id) {
        return new TrafficSteps.RestoreTtlBuilder(id);
    }

    /** Moves the DNS record to green, at once or by weighted stages. */
    public static TrafficSteps.SwitchDnsBuilder switchDns(String id) {
        return new TrafficSteps.SwitchDnsBuilder(id);
    }

    /** Moves blue's Elastic IP to green's instance. */
    public static TrafficSteps.MoveAddressBuilder moveAddress(String id) {
        return new TrafficSteps.MoveAddressBuilder(id);
    }

    /** Moves an application load balancer's listener (or rule) to green's target group, at once or by weights. */
    public static TargetGroupSwitch.Builder switchTargetGroup(String id) {
        return new TargetGroupSwitch.Builder(id);
    }

    /** Creates an RDS Blue/Green Deployment of blue's database before the freeze (the rds-blue-green mode). */
    public static BlueGreenSteps.CreateBuilder createBlueGreen(String id) {
        return new BlueGreenSteps.CreateBuilder(id);
    }

    /** Switches an RDS Blue/Green Deployment over after the freeze (the rds-blue-green mode). */
    public static BlueGreenSteps.SwitchoverBuilder switchoverBlueGreen(String id) {
        return new BlueGreenSteps.SwitchoverBuilder(id);
    }

    /** Creates a read replica of blue's database before the freeze (the read-replica mode). */
    public static ReplicaSteps.CreateBuilder createReadReplica(String id) {
        return new ReplicaSteps.CreateBuilder(id);
    }

    /** Promotes the read replica to green's database after the freeze (the read-replica mode). */
    public static ReplicaSteps.PromoteBuilder promoteReadReplica(String id) {
        return new ReplicaSteps.PromoteBuilder(id);
    }

    /** Keeps blue beside green while checks run; the gate of decommission. */
    public static TrafficSteps.BakeBuilder bake(String id) {
        return new TrafficSteps.BakeBuilder(id);
    }

    /** Final snapshots, then deletes blue's stack: the point of no return. */
    public static TrafficSteps.DecommissionBuilder decommission(String id) {
        return new TrafficSteps.DecommissionBuilder(id);
    }

    /**
     * What every step builder has: the step's id and the steps it depends on.
     *
     * @param <B> the builder itself, so that calls chain
     * @param <S> the step it builds
     */
    public abstract static class StepBuilder<B extends StepBuilder<B, S>, S extends StepSpec> {
        final String id;
        final List<StepId> dependsOn = new ArrayList<>();

        StepBuilder(String id) {
            this.id = id;
        }

        /** Adds steps that must succeed before this one starts. */
        public B dependsOn(String... ids) {
            Arrays.stream(ids).map(StepId::of).forEach(dependsOn::add);
            return self();
        }

        /** Adds steps that must succeed before this one starts. */
        public B dependsOn(StepId... ids) {
            dependsOn.addAll(Arrays.asList(ids));
            return self();
        }

        /** Adds steps that must succeed before this one starts. */
        public B dependsOn(Collection<StepId> ids) {
            dependsOn.addAll(ids);
            return self();
        }

        /**
         * The step, once its fields are checked.
         *
         * @throws InvalidPlanException naming each field at fault and what would be valid
         */
        public final S build() {
            List<Problem> problems = new ArrayList<>();
            String at = "steps[" + id + "]";
            if (id == null) {
                problems.add(new Problem("steps[]", "the step has no id; give one such as 'snapshot-db'"));
            } else {
                Identifiers.checkStepId(id).ifPresent(m -> problems.add(new Problem(at + ".id", m)));
            }
            for (StepId d : dependsOn) {
                if (d == null) {
                    problems.add(new Problem(at + ".dependsOn", "holds no step id; name the steps to wait for"));
                }
            }
            check(new Validation(null, at, problems));
            if (!problems.isEmpty()) {
                throw new InvalidPlanException(problems);
            }
            return create(StepId.of(id), List.copyOf(dependsOn));
        }

        abstract void check(Validation v);

        abstract S create(StepId id, List<StepId> dependsOn);

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }
    }

    /** Builds a {@link StepSpec.Hook}. */
    public static final class HookBuilder extends StepBuilder<HookBuilder, StepSpec.Hook> {
        private String hook;
        private String undo;
        private Downtime downtime = Downtime.NONE;
        private String description = "";

        HookBuilder(String id) {
            super(id);
        }

        /** The hook to run, by the name it is registered under (required). */
        public HookBuilder hook(String name) {
            this.hook = name;
            return this;
        }

        /** The hook that reverses it when the cutover is undone. */
        public HookBuilder undo(String name) {
            this.undo = name;
            return this;
        }

        /** Whether it starts the downtime window (a quiesce hook) or ends it (a resume hook). */
        public HookBuilder downtime(Downtime downtime) {
            this.downtime = downtime;
            return this;
        }

        public HookBuilder description(String description) {
            this.description = description;
            return this;
        }

        @Override
        void check(Validation v) {
            v.present(hook, "hook", "name a hook registered with the engine: .hook(\"pause-jobs\")");
            if (downtime == null) {
                v.problem("downtime", "is missing; give NONE, STARTS or ENDS");
            }
        }

        @Override
        StepSpec.Hook create(StepId id, List<StepId> dependsOn) {
            return new StepSpec.Hook(id, dependsOn, hook, Optional.ofNullable(undo), downtime, description);
        }
    }

    /** Builds a {@link StepSpec.SnapshotDatabase}. */
    public static final class SnapshotDatabaseBuilder
            extends StepBuilder<SnapshotDatabaseBuilder, StepSpec.SnapshotDatabase> {
        private Database database;

        SnapshotDatabaseBuilder(String id) {
            super(id);
        }

        /** One of blue's databases (required), e.g. {@code Database.instance("shop-db")}. */
        public SnapshotDatabaseBuilder database(Database database) {
            this.database = database;
            return this;
        }

        @Override
        void check(Validation v) {
            if (database == null) {
                v.problem(
                        "database",
                        "is missing; give one of blue's databases: .database(Database.instance(\"shop-db\"))");
            } else {
                v.database(database, "database");
            }
        }

        @Override
        StepSpec.SnapshotDatabase create(StepId id, List<StepId> dependsOn) {
            return new StepSpec.SnapshotDatabase(id, dependsOn, database);
        }
    }

    /** Builds a {@link StepSpec.SnapshotVolume}. */
    public static final class SnapshotVolumeBuilder
            extends StepBuilder<SnapshotVolumeBuilder, StepSpec.SnapshotVolume> {
        private String volume;

        SnapshotVolumeBuilder(String id) {
            super(id);
        }

        /** One of blue's volumes (required), e.g. {@code vol-0123456789abcdef0}. */
        public SnapshotVolumeBuilder volume(String volumeId) {
            this.volume = volumeId;
            return this;
        }

        @Override
        void check(Validation v) {
            if (volume == null) {
                v.problem(
                        "volume",
                        "is missing; name a volume of the environment, e.g. .volume(\"vol-0123456789abcdef0\")");
            } else {
                v.identifier(volume, Identifiers::checkVolumeId, "volume");
            }
        }

        @Override
        StepSpec.SnapshotVolume create(StepId id, List<StepId> dependsOn) {
            return new StepSpec.SnapshotVolume(id, dependsOn, volume);
        }
    }

    /** Builds a {@link StepSpec.RestoreDatabase}. */
    public static final class RestoreDatabaseBuilder
            extends StepBuilder<RestoreDatabaseBuilder, StepSpec.RestoreDatabase> {
        private Database source;
        private String snapshot;
        private String newId;
        private String instanceClass;
        private RestoreSettings settings = RestoreSettings.ofSource();

        RestoreDatabaseBuilder(String id) {
            super(id);
        }

        /** The database whose settings the copy keeps (required). */
        public RestoreDatabaseBuilder source(Database source) {
            this.source = source;
            return this;
        }

        /** The snapshot to restore (required), e.g. {@code ${snap-db.snapshotId}}. */
        public RestoreDatabaseBuilder snapshot(String snapshot) {
            this.snapshot = snapshot;
            return this;
        }

        /** The new database's id; by default one derived from the plan and step ids. */
        public RestoreDatabaseBuilder newId(String newId) {
            this.newId = newId;
            return this;
        }

        /** The new database's instance class; by default the source's. */
        /** Settings that differ from the source's (each left empty is copied from it). */
        public RestoreDatabaseBuilder settings(RestoreSettings settings) {
            this.settings = settings;
            return this;
        }

        public RestoreDatabaseBuilder instanceClass(String instanceClass) {
            this.instanceClass = instanceClass;
            return this;
        }

        @Override
        void check(Validation v) {
            if (source == null) {
                v.problem(
                        "source",
                        "is missing; give the database whose settings the copy keeps: .source(Database.instance(\"shop-db\"))");
            } else {
                v.database(source, "source");
                boolean cluster = source.kind() == Database.Kind.CLUSTER;
                v.identifier(snapshot, s -> Identifiers.checkSnapshotId(s, cluster), "snapshot");
            }
            v.present(snapshot, "snapshot", "e.g. .snapshot(\"${snapshot-db.snapshotId}\")");
            v.identifier(newId, Identifiers::checkDatabaseId, "newId");
        }

        @Override
        StepSpec.RestoreDatabase create(StepId id, List<StepId> dependsOn) {
            return new StepSpec.RestoreDatabase(
                    id,
                    dependsOn,
                    source,
                    snapshot,
                    Optional.ofNullable(newId),
                    Optional.ofNullable(instanceClass),
                    settings);
        }
    }

    /** Builds a {@link StepSpec.CloneStack}. */
    public static final class CloneStackBuilder extends StepBuilder<CloneStackBuilder, StepSpec.CloneStack> {
        private String stackName;
        private TemplateRef template;
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private boolean carryOverParameters = true;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final List<String> capabilities = new ArrayList<>();

        CloneStackBuilder(String id) {
            super(id);
        }

        /** Green's stack name (required), other than blue's. */
        public CloneStackBuilder stackName(String stackName) {
            this.stackName = stackName;
            return this;
        }

        /** Green's template (required): {@code TemplateRef.ofUrl(...)} or {@code TemplateRef.ofBody(...)}. */
        public CloneStackBuilder template(TemplateRef template) {
            this.template = template;
            return this;
        }

        /** A parameter applied over blue's, e.g. {@code DBSnapshotIdentifier} = {@code ${snap-db.snapshotId}}. */
        public CloneStackBuilder parameter(String name, String value) {
            parameters.put(name, value);
            return this;
        }

        public CloneStackBuilder parameters(Map<String, String> parameters) {
            this.parameters.putAll(parameters);
            return this;
        }

        /** Whether blue's parameters are carried over (by default they are). */
        public CloneStackBuilder carryOverParameters(boolean carryOver) {
            this.carryOverParameters = carryOver;
            return this;
        }

        public CloneStackBuilder tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        /** Capabilities the template needs, e.g. {@code CAPABILITY_IAM}. */
        public CloneStackBuilder capabilities(String... capabilities) {
            this.capabilities.addAll(Arrays.asList(capabilities));
            return this;
        }

        @Override
        void check(Validation v) {
            if (stackName == null) {
                v.problem("stackName", "is missing; name green's stack: .stackName(\"shop-green\")");
            } else {
                v.identifier(stackName, Identifiers::checkStackName, "stackName");
            }
            v.template(template, "template");
        }

        @Override
        StepSpec.CloneStack create(StepId id, List<StepId> dependsOn) {
            return new StepSpec.CloneStack(
                    id, dependsOn, stackName, template, parameters, carryOverParameters, tags, capabilities);
        }
    }

    /** Builds a {@link StepSpec.UpdateStack}. */
    public static final class UpdateStackBuilder extends StepBuilder<UpdateStackBuilder, StepSpec.UpdateStack> {
        private String stack;
        private TemplateRef template;
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private StorageGuard storageGuard;
        private final List<String> allowReplacement = new ArrayList<>();

        UpdateStackBuilder(String id) {
            super(id);
        }

        /** The stack to update (required): blue's, or e.g. {@code ${green.stack}}. */
        public UpdateStackBuilder stack(String stack) {
            this.stack = stack;
            return this;
        }

        /** A new template; by default the stack's own. */
        public UpdateStackBuilder template(TemplateRef template) {
            this.template = template;
            return this;
        }

        public UpdateStackBuilder parameter(String name, String value) {
            parameters.put(name, value);
            return this;
        }

        public UpdateStackBuilder parameters(Map<String, String> parameters) {
            this.parameters.putAll(parameters);
            return this;
        }

        /** Refuses the update when {@code parameter} would set {@code database}'s storage below its size. */
        public UpdateStackBuilder storageGuard(String parameter, Database database) {
            this.storageGuard = new StorageGuard(parameter, database);
            return this;
        }

        /**
         * Lets the change set replace these stateful resources (logical ids); without it, replacing a database, a
         * volume or a file system of a stack other than green's is refused before the change set runs.
         */
        public UpdateStackBuilder allowReplacement(String... logicalIds) {
            allowReplacement.addAll(List.of(logicalIds));
            return this;
        }

        @Override
        void check(Validation v) {
            v.present(stack, "stack", "name the stack to update: .stack(\"shop-blue\") or .stack(\"${green.stack}\")");
            if (template != null) {
                v.template(template, "template");
            }
            if (storageGuard != null) {
                v.present(
                        storageGuard.parameter(),
                        "storageGuard.parameter",
                        "name the template parameter that sets the database's allocated storage");
                if (storageGuard.database() == null) {
                    v.problem("storageGuard.database", "is missing; give the database the parameter sizes");
                } else {
                    v.database(storageGuard.database(), "storageGuard.database");
                }
            }
        }

        @Override
        StepSpec.UpdateStack create(StepId id, List<StepId> dependsOn) {
            return new StepSpec.UpdateStack(
                    id,
                    dependsOn,
                    stack,
                    Optional.ofNullable(template),
                    parameters,
                    Optional.ofNullable(storageGuard),
                    allowReplacement);
        }
    }
}
