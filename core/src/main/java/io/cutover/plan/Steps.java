package io.cutover.plan;

import io.cutover.InvalidPlanException;
import io.cutover.InvalidPlanException.Problem;
import io.cutover.plan.Environment.Database;
import io.cutover.plan.Environment.DnsRecord;
import io.cutover.plan.StepSpec.Check;
import io.cutover.plan.StepSpec.Downtime;
import io.cutover.plan.StepSpec.StorageGuard;
import io.cutover.plan.StepSpec.TemplateRef;
import java.time.Duration;
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

    /** Snapshots one of blue's databases; outputs {@code snapshotId}. */
    public static SnapshotDatabaseBuilder snapshotDatabase(String id) {
        return new SnapshotDatabaseBuilder(id);
    }

    /** Snapshots one of blue's volumes; outputs {@code snapshotId}. */
    public static SnapshotVolumeBuilder snapshotVolume(String id) {
        return new SnapshotVolumeBuilder(id);
    }

    /** Restores a new database from a snapshot; outputs {@code databaseId} and {@code endpoint}. */
    public static RestoreDatabaseBuilder restoreDatabase(String id) {
        return new RestoreDatabaseBuilder(id);
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
    public static VerifyBuilder verify(String id) {
        return new VerifyBuilder(id);
    }

    /** Waits for a person to approve the step. */
    public static ApprovalBuilder approval(String id) {
        return new ApprovalBuilder(id);
    }

    /** Lowers the DNS record's TTL and waits out the old one. */
    public static LowerTtlBuilder lowerTtl(String id) {
        return new LowerTtlBuilder(id);
    }

    /** Sets the TTL a lower-ttl step lowered back to what it was (e.g. after the bake). */
    public static RestoreTtlBuilder restoreTtl(String id) {
        return new RestoreTtlBuilder(id);
    }

    /** Moves the DNS record to green, at once or by weighted stages. */
    public static SwitchDnsBuilder switchDns(String id) {
        return new SwitchDnsBuilder(id);
    }

    /** Moves blue's Elastic IP to green's instance. */
    public static MoveAddressBuilder moveAddress(String id) {
        return new MoveAddressBuilder(id);
    }

    /** Keeps blue beside green while checks run; the gate of decommission. */
    public static BakeBuilder bake(String id) {
        return new BakeBuilder(id);
    }

    /** Final snapshots, then deletes blue's stack: the point of no return. */
    public static DecommissionBuilder decommission(String id) {
        return new DecommissionBuilder(id);
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
                    id, dependsOn, source, snapshot, Optional.ofNullable(newId), Optional.ofNullable(instanceClass));
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
                    id, dependsOn, stack, Optional.ofNullable(template), parameters, Optional.ofNullable(storageGuard));
        }
    }

    /** Builds a {@link StepSpec.Verify}. */
    public static final class VerifyBuilder extends StepBuilder<VerifyBuilder, StepSpec.Verify> {
        private final List<Check> checks = new ArrayList<>();
        private Duration timeout = Duration.ofMinutes(10);
        private Duration interval = Duration.ofSeconds(15);

        VerifyBuilder(String id) {
            super(id);
        }

        /** Adds checks; at least one is required. */
        public VerifyBuilder check(Check... checks) {
            this.checks.addAll(Arrays.asList(checks));
            return this;
        }

        public VerifyBuilder checks(Collection<? extends Check> checks) {
            this.checks.addAll(checks);
            return this;
        }

        /** How long the checks may take to pass (10 minutes by default, at most 24 hours). */
        public VerifyBuilder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** How often the checks run (15 seconds by default). */
        public VerifyBuilder interval(Duration interval) {
            this.interval = interval;
            return this;
        }

        @Override
        void check(Validation v) {
            if (checks.isEmpty()) {
                v.problem("checks", "is empty; a verification needs at least one check: .check(Check.Http.of(url))");
            }
            if (checks.contains(null)) {
                v.problem("checks", "holds a null check");
            } else {
                v.checks(checks, "checks");
            }
            v.bounded(timeout, PlanValidator.MAX_VERIFY_TIMEOUT, "timeout");
            v.bounded(interval, PlanValidator.MAX_INTERVAL, "interval");
        }

        @Override
        StepSpec.Verify create(StepId id, List<StepId> dependsOn) {
            return new StepSpec.Verify(id, dependsOn, checks, timeout, interval);
        }
    }

    /** Builds a {@link StepSpec.Approval}. */
    public static final class ApprovalBuilder extends StepBuilder<ApprovalBuilder, StepSpec.Approval> {
        private String prompt = "approve to continue";

        ApprovalBuilder(String id) {
            super(id);
        }

        /** What the person approves. */
        public ApprovalBuilder prompt(String prompt) {
            this.prompt = prompt;
            return this;
        }

        @Override
        void check(Validation v) {
            v.present(prompt, "prompt", "say what the person approves");
        }

        @Override
        StepSpec.Approval create(StepId id, List<StepId> dependsOn) {
            return new StepSpec.Approval(id, dependsOn, prompt);
        }
    }

    /** Builds a {@link StepSpec.LowerTtl}. */
    public static final class LowerTtlBuilder extends StepBuilder<LowerTtlBuilder, StepSpec.LowerTtl> {
        private DnsRecord record;
        private Long ttl;

        LowerTtlBuilder(String id) {
            super(id);
        }

        /** The record; by default the environment's. */
        public LowerTtlBuilder record(DnsRecord record) {
            this.record = record;
            return this;
        }

        /** The TTL to lower to, in seconds (required; 60 is usual). */
        public LowerTtlBuilder ttl(long seconds) {
            this.ttl = seconds;
            return this;
        }

        @Override
        void check(Validation v) {
            if (record != null) {
                v.record(record, "record");
            }
            if (ttl == null) {
                v.problem("ttl", "is missing; give the TTL to lower to: .ttl(60)");
            } else if (ttl < 0 || ttl > 2_147_483_647L) {
                v.problem(
                        "ttl",
                        ttl + " is out of range; a TTL is 0 to 2147483647 seconds (60 is usual ahead of a cutover)");
            }
        }

        @Override
        StepSpec.LowerTtl create(StepId id, List<StepId> dependsOn) {
            return new StepSpec.LowerTtl(id, dependsOn, Optional.ofNullable(record), ttl);
        }
    }

    /** Builds a {@link StepSpec.RestoreTtl}. */
    public static final class RestoreTtlBuilder extends StepBuilder<RestoreTtlBuilder, StepSpec.RestoreTtl> {
        private String lowered;

        RestoreTtlBuilder(String id) {
            super(id);
        }

        /** The lower-ttl step whose TTL this step restores (required). */
        public RestoreTtlBuilder lowered(String lowerTtlStep) {
            this.lowered = lowerTtlStep;
            return this;
        }

        @Override
        void check(Validation v) {
            if (lowered == null) {
                v.problem(
                        "lowered",
                        "is missing; name the lower-ttl step whose TTL this step restores: .lowered(\"ttl\")");
            } else {
                Identifiers.checkStepId(lowered).ifPresent(m -> v.problem("lowered", m));
            }
        }

        @Override
        StepSpec.RestoreTtl create(StepId id, List<StepId> dependsOn) {
            return new StepSpec.RestoreTtl(id, dependsOn, StepId.of(lowered));
        }
    }

    /** Builds a {@link StepSpec.SwitchDns}. */
    public static final class SwitchDnsBuilder extends StepBuilder<SwitchDnsBuilder, StepSpec.SwitchDns> {
        private DnsRecord record;
        private String target;
        private final List<Integer> weights = new ArrayList<>();
        private String greenSetIdentifier;
        private Duration stageInterval = Duration.ofMinutes(5);
        private final List<Check> stageChecks = new ArrayList<>();

        SwitchDnsBuilder(String id) {
            super(id);
        }

        /** The record; by default the environment's. */
        public SwitchDnsBuilder record(DnsRecord record) {
            this.record = record;
            return this;
        }

        /** Where the record points afterwards (required), e.g. {@code ${green.outputs.Endpoint}}. */
        public SwitchDnsBuilder target(String target) {
            this.target = target;
            return this;
        }

        /** Green's weight at each stage (rising, ending at 255); none switches at once. */
        public SwitchDnsBuilder weights(Integer... weights) {
            this.weights.addAll(Arrays.asList(weights));
            return this;
        }

        public SwitchDnsBuilder greenSetIdentifier(String setIdentifier) {
            this.greenSetIdentifier = setIdentifier;
            return this;
        }

        /** The time between weighted stages (5 minutes by default). */
        public SwitchDnsBuilder stageInterval(Duration interval) {
            this.stageInterval = interval;
            return this;
        }

        /** Checks that must pass between weighted stages. */
        public SwitchDnsBuilder stageCheck(Check... checks) {
            this.stageChecks.addAll(Arrays.asList(checks));
            return this;
        }

        @Override
        void check(Validation v) {
            if (record != null) {
                v.record(record, "record");
                if (!weights.isEmpty() && record.setIdentifier().isEmpty()) {
                    v.problem(
                            "record.setIdentifier",
                            "a weighted switch needs blue's weighted record; give its set identifier");
                }
            }
            v.present(target, "target", "e.g. .target(\"${green.outputs.Endpoint}\")");
            int previous = -1;
            for (int i = 0; i < weights.size(); i++) {
                Integer w = weights.get(i);
                if (w == null || w < 0 || w > 255) {
                    v.problem("weights[" + i + "]", w + " is out of range; weights are 0 to 255");
                } else if (w <= previous) {
                    v.problem(
                            "weights[" + i + "]",
                            w + " is not above the stage before (" + previous
                                    + "); green's weight must grow at each stage");
                }
                previous = w == null ? previous : w;
            }
            if (!weights.isEmpty() && previous != 255) {
                v.problem("weights", "the last stage must give green all traffic (255)");
            }
            v.checks(stageChecks, "stageChecks");
            v.bounded(stageInterval, PlanValidator.MAX_INTERVAL, "stageInterval");
        }

        @Override
        StepSpec.SwitchDns create(StepId id, List<StepId> dependsOn) {
            return new StepSpec.SwitchDns(
                    id,
                    dependsOn,
                    Optional.ofNullable(record),
                    target,
                    weights,
                    Optional.ofNullable(greenSetIdentifier),
                    stageInterval,
                    stageChecks);
        }
    }

    /** Builds a {@link StepSpec.MoveAddress}. */
    public static final class MoveAddressBuilder extends StepBuilder<MoveAddressBuilder, StepSpec.MoveAddress> {
        private String allocationId;
        private String instance;

        MoveAddressBuilder(String id) {
            super(id);
        }

        /** The Elastic IP's allocation id; by default the environment's address. */
        public MoveAddressBuilder allocationId(String allocationId) {
            this.allocationId = allocationId;
            return this;
        }

        /** The instance that gets the address (required), e.g. {@code ${green.outputs.InstanceId}}. */
        public MoveAddressBuilder instance(String instance) {
            this.instance = instance;
            return this;
        }

        @Override
        void check(Validation v) {
            v.identifier(allocationId, Identifiers::checkAllocationId, "allocationId");
            v.present(instance, "instance", "e.g. .instance(\"${green.outputs.InstanceId}\")");
        }

        @Override
        StepSpec.MoveAddress create(StepId id, List<StepId> dependsOn) {
            return new StepSpec.MoveAddress(id, dependsOn, Optional.ofNullable(allocationId), instance);
        }
    }

    /** Builds a {@link StepSpec.Bake}. */
    public static final class BakeBuilder extends StepBuilder<BakeBuilder, StepSpec.Bake> {
        private Duration duration;
        private final List<Check> checks = new ArrayList<>();
        private Duration interval = Duration.ofMinutes(1);

        BakeBuilder(String id) {
            super(id);
        }

        /** How long blue stays beside green (required; at most 30 days). */
        public BakeBuilder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        /** Checks that run while it bakes; one that fails moves users back to blue. */
        public BakeBuilder check(Check... checks) {
            this.checks.addAll(Arrays.asList(checks));
            return this;
        }

        /** How often the checks run (1 minute by default). */
        public BakeBuilder interval(Duration interval) {
            this.interval = interval;
            return this;
        }

        @Override
        void check(Validation v) {
            if (duration == null) {
                v.problem(
                        "duration",
                        "is missing; give how long blue stays beside green: .duration(Duration.ofHours(24))");
            } else {
                v.bounded(duration, PlanValidator.MAX_BAKE, "duration");
            }
            v.bounded(interval, PlanValidator.MAX_INTERVAL, "interval");
            v.checks(checks, "checks");
        }

        @Override
        StepSpec.Bake create(StepId id, List<StepId> dependsOn) {
            return new StepSpec.Bake(id, dependsOn, duration, checks, interval);
        }
    }

    /** Builds a {@link StepSpec.Decommission}. */
    public static final class DecommissionBuilder extends StepBuilder<DecommissionBuilder, StepSpec.Decommission> {
        private final List<String> retainResources = new ArrayList<>();

        DecommissionBuilder(String id) {
            super(id);
        }

        /** Logical ids of blue's resources that deleting its stack keeps. */
        public DecommissionBuilder retainResources(String... logicalIds) {
            retainResources.addAll(Arrays.asList(logicalIds));
            return this;
        }

        @Override
        void check(Validation v) {
            if (retainResources.contains(null)) {
                v.problem("retainResources", "holds no logical id; name the resources to keep");
            }
        }

        @Override
        StepSpec.Decommission create(StepId id, List<StepId> dependsOn) {
            return new StepSpec.Decommission(id, dependsOn, retainResources);
        }
    }
}
