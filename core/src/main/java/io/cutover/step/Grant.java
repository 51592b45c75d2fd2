package io.cutover.step;

import com.google.common.base.Preconditions;
import java.util.List;
import java.util.Locale;

/**
 * One statement of the IAM policy a step needs: {@code actions} on {@code resources} (ARN patterns), under
 * {@code conditions} when names are not known before the run (a tag the call sets or the resource carries).
 * {@link Access#READ} grants are gathered apart from the ones that change something, so that a reviewer sees
 * the mutating ones on their own.
 */
public record Grant(Access access, List<String> actions, List<String> resources, List<Condition> conditions) {
    public Grant {
        Preconditions.checkNotNull(access, "access");
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        Preconditions.checkArgument(!actions.isEmpty(), "a grant needs an action");
        Preconditions.checkArgument(!resources.isEmpty(), "a grant needs a resource (an ARN pattern, or * for reads)");
    }

    /** Whether a grant only reads or also changes something. */
    public enum Access {
        READ,
        WRITE
    }

    /** A condition of a statement, e.g. {@code StringEquals aws:ResourceTag/cutover:plan = upgrade-2-0}. */
    public record Condition(String operator, String key, List<String> values) {
        public Condition {
            Preconditions.checkArgument(operator != null && !operator.isBlank(), "operator");
            Preconditions.checkArgument(key != null && !key.isBlank(), "key");
            values = List.copyOf(values);
        }

        public static Condition equals(String key, String value) {
            return new Condition("StringEquals", key, List.of(value));
        }
    }

    public static Grant read(List<String> actions, List<String> resources) {
        return new Grant(Access.READ, actions, resources, List.of());
    }

    public static Grant write(List<String> actions, List<String> resources) {
        return new Grant(Access.WRITE, actions, resources, List.of());
    }

    public static Grant write(List<String> actions, List<String> resources, Condition... conditions) {
        return new Grant(Access.WRITE, actions, resources, List.of(conditions));
    }

    /**
     * Whether an action only reads, by AWS's naming (Describe, Get, List, Validate): what a kind's default
     * grants use to split a kind's {@link StepBehaviour#permissions()} when it declares no grants of its own.
     */
    public static boolean readsOnly(String action) {
        String verb = action.substring(action.indexOf(':') + 1).toLowerCase(Locale.ROOT);
        return verb.startsWith("describe")
                || verb.startsWith("get") && !verb.equals("getsecretvalue")
                || verb.startsWith("list")
                || verb.startsWith("validate");
    }
}
