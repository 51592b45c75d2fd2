package io.cutover.simulator;

import io.cutover.spi.ApiService;
import io.cutover.spi.FailureKind;
import io.cutover.spi.LoadBalancerProvider;
import io.cutover.spi.ProviderException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Simulated ELBv2: listeners and rules that forward to weighted target groups. A change is in force for the next
 * request, as ELBv2's are within seconds: no DNS cache to wait out. A target group leads to the stack that
 * names it among its outputs (green's template outputs its own), or to the stack it was seeded for.
 */
final class SimLoadBalancers implements LoadBalancerProvider {
    private final SimWorld world;
    /** The stack whose outputs name a target group, if any live one does. */
    private final Function<String, Optional<String>> stackOutputting;

    private final Predicate<String> stackLive;

    private final Map<String, Forward> forwards = new LinkedHashMap<>();
    private final Map<String, String> hostNames = new LinkedHashMap<>();
    /** Listeners by the normalised host name of their load balancer; an entry is checked when used. */
    private final Map<String, List<String>> byHostName = new java.util.HashMap<>();

    private final Map<String, String> seededGroups = new LinkedHashMap<>();
    private final List<SimulatedCloud.ForwardChange> changes = new java.util.ArrayList<>();

    SimLoadBalancers(SimWorld world, Function<String, Optional<String>> stackOutputting, Predicate<String> stackLive) {
        this.world = world;
        this.stackOutputting = stackOutputting;
        this.stackLive = stackLive;
    }

    private static String op(String arn, String listenerOp, String ruleOp) {
        return arn.contains(":listener-rule/") ? ruleOp : listenerOp;
    }

    @Override
    public Optional<Forward> forwardOf(String arn) {
        synchronized (world) {
            String op = op(arn, "DescribeListeners", "DescribeRules");
            world.enter(ApiService.ELBV2, op);
            if (!forwards.containsKey(arn)) {
                throw notFound(op, arn);
            }
            return Optional.ofNullable(forwards.get(arn));
        }
    }

    @Override
    public void forward(String arn, Forward forward) {
        synchronized (world) {
            String op = op(arn, "ModifyListener", "ModifyRule");
            world.enter(ApiService.ELBV2, op);
            if (!forwards.containsKey(arn)) {
                throw notFound(op, arn);
            }
            for (String tg : forward.weights().keySet()) {
                if (stackBehind(tg).isEmpty()) {
                    throw ProviderException.of(FailureKind.NOT_FOUND, op, "Target group '" + tg + "' not found");
                }
            }
            forwards.put(arn, forward);
            changes.add(new SimulatedCloud.ForwardChange(world.now(), arn, forward));
        }
    }

    private static ProviderException notFound(String op, String arn) {
        return ProviderException.of(
                FailureKind.NOT_FOUND,
                op,
                (op.endsWith("Rule") || op.endsWith("Rules") ? "One or more rules" : "One or more listeners")
                        + " not found: " + arn);
    }

    /** The live stack a target group leads to. */
    Optional<String> stackBehind(String targetGroupArn) {
        Optional<String> seeded =
                Optional.ofNullable(seededGroups.get(targetGroupArn)).filter(stackLive);
        return seeded.isPresent() ? seeded : stackOutputting.apply(targetGroupArn);
    }

    /** The stack most requests reach through the listener whose load balancer answers {@code host}. */
    Optional<String> serving(String host) {
        List<String> arns = byHostName.get(host);
        if (arns == null) {
            return Optional.empty();
        }
        arns.removeIf(arn -> !SimWorld.normal(hostNames.get(arn)).equals(host));
        if (arns.size() == 1) {
            return heaviest(arns.get(0));
        }
        // None, or several load balancers answer it: the first listener seeded, as a look at each would find.
        return hostNames.entrySet().stream()
                .filter(e -> SimWorld.normal(e.getValue()).equals(host))
                .findFirst()
                .flatMap(e -> heaviest(e.getKey()));
    }

    /** The stack that gets the largest share of the listener's requests. */
    Optional<String> heaviest(String arn) {
        Forward f = forwards.get(arn);
        if (f == null) {
            return Optional.empty();
        }
        return f.carrying().entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .flatMap(e -> stackBehind(e.getKey()));
    }

    /** Each stack's percent of the listener's requests. */
    Map<String, Integer> shares(String arn) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        Forward f = forwards.get(arn);
        if (f != null) {
            f.carrying()
                    .keySet()
                    .forEach(tg ->
                            out.merge(stackBehind(tg).orElse("(no stack: " + tg + ")"), f.percentTo(tg), Integer::sum));
        }
        return out;
    }

    List<SimulatedCloud.ForwardChange> changes() {
        return List.copyOf(changes);
    }

    // ------------------------------------------------------------------------------------------- seeding

    void listener(String arn, String hostName, Forward forward) {
        forwards.put(arn, forward);
        if (hostName != null) {
            hostNames.put(arn, hostName);
            List<String> arns =
                    byHostName.computeIfAbsent(SimWorld.normal(hostName), k -> new java.util.ArrayList<>(1));
            if (!arns.contains(arn)) {
                arns.add(arn);
            }
        }
    }

    void targetGroup(String arn, String stack) {
        seededGroups.put(arn, stack);
    }
}
