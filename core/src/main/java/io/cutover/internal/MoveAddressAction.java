package io.cutover.internal;

import io.cutover.engine.Operations;
import io.cutover.engine.RateBudget;
import io.cutover.plan.StepSpec;
import io.cutover.spi.AddressProvider;
import io.cutover.spi.AddressProvider.AddressDescription;
import io.cutover.step.StepContext;
import io.cutover.step.StepOutcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Moves blue's static address to green's instance ("re-use the IP"); the compensation moves it back. */
final class MoveAddressAction implements Action {
    private final StepSpec.MoveAddress spec;

    MoveAddressAction(StepSpec.MoveAddress spec) {
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
        return spec.allocationId().or(() -> ctx.plan().environment().address()).orElseThrow();
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
                    Operations.ADDRESS_MOVE, "moving " + allocation(ctx) + " to " + target, Map.of("moved", "true"));
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
    public Map<String, Integer> calls(String phase, Map<String, String> memo) {
        if (phase.equals("start")) {
            return Map.of(RateBudget.EC2_DESCRIBE, 1);
        }
        return memo.containsKey("moved") || phase.equals("compensate")
                ? Map.of(RateBudget.EC2_DESCRIBE, 1, RateBudget.EC2_MUTATE, phase.equals("compensate") ? 1 : 0)
                : Map.of(RateBudget.EC2_MUTATE, 1);
    }
}
