package io.cutover.step.kinds;

import io.cutover.internal.*;
import io.cutover.plan.Identifiers;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Validation;
import io.cutover.spi.AddressProvider;
import io.cutover.spi.AddressProvider.AddressDescription;
import io.cutover.step.Arns;
import io.cutover.step.Compensation;
import io.cutover.step.Grant;
import io.cutover.step.Operations;
import io.cutover.step.PreflightReads;
import io.cutover.step.Services;
import io.cutover.step.StepBehaviour;
import io.cutover.step.StepBehaviour.Phase;
import io.cutover.step.StepContext;
import io.cutover.step.StepKind;
import io.cutover.step.StepOutcome;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Moves blue's static address to green's instance ("re-use the IP"); the compensation moves it back. */
final class MoveAddressKind implements StepKind<StepSpec.MoveAddress> {
    @Override
    public String name() {
        return "move-address";
    }

    @Override
    public Class<StepSpec.MoveAddress> type() {
        return StepSpec.MoveAddress.class;
    }

    @Override
    public void validate(StepSpec.MoveAddress m, Validation v) {
        Optional<String> alloc = m.allocationId().or(v.environment()::address);
        if (alloc.isEmpty()) {
            v.problem("allocationId", "is missing and the environment has no address");
        } else {
            Identifiers.checkAllocationId(alloc.get()).ifPresent(x -> v.problem("allocationId", x));
        }
        v.present(m.instance(), "instance", "e.g. ${green.outputs.InstanceId}");
    }

    @Override
    public Optional<TrafficMove> trafficMove(StepSpec.MoveAddress m, io.cutover.plan.Plan plan) {
        return m.allocationId()
                .or(plan.environment()::address)
                .map(a -> new TrafficMove("address " + a, "instance", String.valueOf(m.instance())));
    }

    @Override
    public Map<String, String> textFields(StepSpec.MoveAddress m) {
        return Kinds.fields("instance", m.instance());
    }

    @Override
    public Outputs outputs(StepSpec.MoveAddress m) {
        return Outputs.of("publicIp", "instance");
    }

    @Override
    public Flags flags(StepSpec.MoveAddress m) {
        return new Flags(false, true, false, false, false, StepSpec.Downtime.ENDS);
    }

    @Override
    public void preflight(StepSpec.MoveAddress m, PreflightReads reads) {
        m.allocationId()
                .ifPresent(a -> reads.read(
                        "allocationId",
                        "address '" + a + "'",
                        () -> reads.cloud().addresses().describe(a)));
    }

    @Override
    public Map<String, Integer> preflightCalls(StepSpec.MoveAddress m) {
        return Map.of(Services.EC2_DESCRIBE, 1);
    }

    @Override
    public Duration minimumDuration(StepSpec.MoveAddress m, Function<String, Duration> expected) {
        return expected.apply(Operations.ADDRESS_MOVE);
    }

    @Override
    public List<Grant> grants(StepSpec.MoveAddress s, Plan plan, Arns arns) {
        String address =
                Names.literal(s.allocationId().or(plan.environment()::address).orElse("*"));
        return List.of(
                Grant.read(List.of("ec2:DescribeAddresses"), List.of("*")),
                // Green's instance is named by its stack's output; it must carry green's stack tag.
                Grant.write(List.of("ec2:AssociateAddress"), List.of(arns.ec2("elastic-ip", address))),
                Grant.write(
                        List.of("ec2:AssociateAddress"),
                        List.of(arns.ec2("instance", "*"), arns.ec2("network-interface", "*"))));
    }

    @Override
    public StepBehaviour behaviour(StepSpec.MoveAddress step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private final StepSpec.MoveAddress spec;

        Behaviour(StepSpec.MoveAddress spec) {
            this.spec = spec;
        }

        @Override
        public String describe() {
            return "move address " + spec.allocationId().orElse("of the environment") + " to " + spec.instance();
        }

        @Override
        public List<String> permissions() {
            return List.of("ec2:DescribeAddresses", "ec2:AssociateAddress");
        }

        private String allocation(StepContext ctx) {
            return spec.allocationId()
                    .or(() -> ctx.plan().environment().address())
                    .orElseThrow();
        }

        /** Records where the address is; the move comes at the next call, once that is saved. */
        @Override
        public StepOutcome start(StepContext ctx) {
            Map<String, String> memo = new HashMap<>();
            if (ctx.memo("origInstance").isEmpty()) {
                AddressDescription d = ctx.cloud().addresses().describe(allocation(ctx));
                memo.put("origInstance", d.instanceId().orElse(""));
                memo.put("publicIp", d.publicIp());
            }
            return new StepOutcome.Pending(
                    Operations.ADDRESS_MOVE,
                    Optional.of(java.time.Duration.ZERO),
                    "address " + allocation(ctx) + " recorded",
                    memo);
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            String target = ctx.resolve(spec.instance());
            if (ctx.memo("moved").isEmpty()) {
                ctx.cloud().addresses().associate(allocation(ctx), target);
                return StepOutcome.Pending.of(
                        Operations.ADDRESS_MOVE,
                        "moving " + allocation(ctx) + " to " + target,
                        Map.of("moved", "true"));
            }
            AddressDescription d = ctx.cloud().addresses().describe(allocation(ctx));
            if (d.instanceId().equals(Optional.of(target))) {
                return StepOutcome.Done.of(Map.of("publicIp", d.publicIp(), "instance", target));
            }
            return StepOutcome.Pending.of(Operations.ADDRESS_MOVE, "address not yet on " + target);
        }

        @Override
        public Compensation compensation() {
            return Compensation.RESTORES_BLUE;
        }

        @Override
        public String describeCompensation() {
            return "move the address back to blue's instance";
        }

        @Override
        public StepOutcome compensate(StepContext ctx) {
            Optional<String> orig = ctx.memo("origInstance").filter(s -> !s.isEmpty());
            if (orig.isEmpty()) {
                return StepOutcome.Done.of();
            }
            AddressProvider addresses = ctx.cloud().addresses();
            AddressDescription d = addresses.describe(allocation(ctx));
            if (d.instanceId().equals(orig)) {
                return StepOutcome.Done.of();
            }
            addresses.associate(allocation(ctx), orig.get());
            return StepOutcome.Pending.of(Operations.ADDRESS_MOVE, "moving the address back to " + orig.get());
        }

        @Override
        public Map<String, Integer> calls(Phase phase, Map<String, String> memo) {
            if (phase == Phase.START) {
                return Map.of(Services.EC2_DESCRIBE, 1);
            }
            return memo.containsKey("moved") || phase == Phase.COMPENSATE
                    ? Map.of(Services.EC2_DESCRIBE, 1, Services.EC2_MUTATE, phase == Phase.COMPENSATE ? 1 : 0)
                    : Map.of(Services.EC2_MUTATE, 1);
        }
    }
}
