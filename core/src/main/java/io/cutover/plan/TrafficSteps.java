package io.cutover.plan;

import io.cutover.plan.Environment.DnsRecord;
import io.cutover.plan.StepSpec.Check;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The builders of the steps that check green, wait at a gate, move traffic or retire blue; their factories are
 * in {@link Steps} ({@code Steps.verify("verify")}, {@code Steps.switchDns("switch")}, ...).
 */
public final class TrafficSteps {
    private TrafficSteps() {}

    /** Builds a {@link StepSpec.Verify}. */
    public static final class VerifyBuilder extends Steps.StepBuilder<VerifyBuilder, StepSpec.Verify> {
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
    public static final class ApprovalBuilder extends Steps.StepBuilder<ApprovalBuilder, StepSpec.Approval> {
        private String prompt = "approve to continue";
        private StepSpec.Downtime downtime = StepSpec.Downtime.NONE;

        ApprovalBuilder(String id) {
            super(id);
        }

        /** What the person approves. */
        public ApprovalBuilder prompt(String prompt) {
            this.prompt = prompt;
            return this;
        }

        /**
         * Whether the person's work at this gate opens the downtime window ({@code STARTS}, e.g. maintenance mode
         * turned on by hand) or closes it ({@code ENDS}).
         */
        public ApprovalBuilder downtime(StepSpec.Downtime downtime) {
            this.downtime = downtime;
            return this;
        }

        @Override
        void check(Validation v) {
            v.present(prompt, "prompt", "say what the person approves");
        }

        @Override
        StepSpec.Approval create(StepId id, List<StepId> dependsOn) {
            return new StepSpec.Approval(id, dependsOn, prompt, downtime);
        }
    }

    /** Builds a {@link StepSpec.LowerTtl}. */
    public static final class LowerTtlBuilder extends Steps.StepBuilder<LowerTtlBuilder, StepSpec.LowerTtl> {
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
    public static final class RestoreTtlBuilder extends Steps.StepBuilder<RestoreTtlBuilder, StepSpec.RestoreTtl> {
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
    public static final class SwitchDnsBuilder extends Steps.StepBuilder<SwitchDnsBuilder, StepSpec.SwitchDns> {
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
    public static final class MoveAddressBuilder extends Steps.StepBuilder<MoveAddressBuilder, StepSpec.MoveAddress> {
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
    public static final class BakeBuilder extends Steps.StepBuilder<BakeBuilder, StepSpec.Bake> {
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
    public static final class DecommissionBuilder
            extends Steps.StepBuilder<DecommissionBuilder, StepSpec.Decommission> {
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
