package io.cutover.spi;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.Maps;
import java.util.Map;
import java.util.Optional;

/**
 * Application load balancers' listeners and rules that forward to target groups (ELBv2 on AWS). A listener is
 * named by its ARN ({@code ...:listener/app/NAME/ID/ID}), a rule by its own ({@code ...:listener-rule/app/...});
 * for a listener the call reads or changes its default action, for a rule its actions.
 */
public interface LoadBalancerProvider {
    /**
     * The target groups the listener's default action (or the rule's action) forwards to, with their weights;
     * empty when that action does not forward (a redirect, a fixed response).
     */
    Optional<Forward> forwardOf(String listenerOrRuleArn);

    /**
     * Makes the listener's default action (or the rule's action) forward to {@code forward}'s target groups by
     * their weights, in one call that takes effect for new requests at once (no DNS cache to wait out).
     */
    void forward(String listenerOrRuleArn, Forward forward);

    /** Target groups by ARN and their weights (0 to 999, as ELBv2 takes them); at least one above zero. */
    record Forward(Map<String, Integer> weights) {
        public Forward {
            weights = ImmutableMap.copyOf(weights);
            Preconditions.checkArgument(
                    weights.values().stream().allMatch(w -> w >= 0 && w <= 999), "weights are 0 to 999: %s", weights);
            Preconditions.checkArgument(
                    weights.values().stream().anyMatch(w -> w > 0),
                    "a forward needs a target group with a weight above zero: %s",
                    weights);
        }

        /** All traffic to one target group. */
        public static Forward to(String targetGroupArn) {
            return new Forward(Map.of(targetGroupArn, 1));
        }

        /**
         * Whether the two send each target group the same share of requests: {@code {blue: 1}} and
         * {@code {blue: 100, green: 0}} do.
         */
        public boolean sameTrafficAs(Forward other) {
            Map<String, Integer> a = carrying();
            Map<String, Integer> b = other.carrying();
            if (!a.keySet().equals(b.keySet())) {
                return false;
            }
            long sumA = a.values().stream().mapToLong(Integer::longValue).sum();
            long sumB = b.values().stream().mapToLong(Integer::longValue).sum();
            return a.entrySet().stream().allMatch(e -> e.getValue() * sumB == b.get(e.getKey()) * sumA);
        }

        /** The target groups with a weight above zero. */
        public Map<String, Integer> carrying() {
            return ImmutableMap.copyOf(Maps.filterValues(weights, w -> w > 0));
        }

        /** The percent of requests that go to {@code targetGroupArn}, rounded down. */
        public int percentTo(String targetGroupArn) {
            long sum = weights.values().stream().mapToLong(Integer::longValue).sum();
            return (int) (100L * weights.getOrDefault(targetGroupArn, 0) / sum);
        }
    }
}
