package io.cutover.internal;

import io.cutover.engine.RateBudget;

import io.cutover.engine.Operations;
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

  @Override
  public StepOutcome start(StepContext ctx) {
    AddressProvider addresses = ctx.cloud().addresses();
    String alloc = allocation(ctx);
    String target = ctx.resolve(spec.instance());
    Map<String, String> memo = new HashMap<>();
    if (ctx.memo("origInstance").isEmpty()) {
      AddressDescription d = addresses.describe(alloc);
      memo.put("origInstance", d.instanceId().orElse(""));
      memo.put("publicIp", d.publicIp());
    }
    addresses.associate(alloc, target);
    return StepOutcome.Pending.of(Operations.ADDRESS_MOVE, "moving " + alloc + " to " + target, memo);
  }

  @Override
  public StepOutcome poll(StepContext ctx) {
    String target = ctx.resolve(spec.instance());
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
    return phase.equals("poll") ? Map.of(RateBudget.EC2_DESCRIBE, 1)
        : Map.of(RateBudget.EC2_DESCRIBE, 1, RateBudget.EC2_MUTATE, 1);
  }
}
