package io.cutover.plan.file;

import com.google.common.collect.ImmutableSortedMap;
import io.cutover.plan.Environment;
import io.cutover.plan.Notifications;
import io.cutover.plan.StepSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plan file, as written: the plan's id and environment, the hooks and checks it names (as commands, for
 * the command-line tool), and either a strategy, explicit steps, or both (the steps are added to the
 * strategy's). Time limits: {@code defaults.operationTimeout} for every AWS operation, {@code timeouts} by step
 * id (also for the steps a strategy writes), and {@code timeout:} on an explicit step (read apart from the
 * step's own fields). {@code notifications} names an SNS topic and a webhook that hear about the cutover
 * ({@link Notifications}).
 */
public record PlanDocument(
        String id,
        Environment environment,
        Map<String, Command> hooks,
        Map<String, Command> checks,
        Optional<Strategy> strategy,
        List<StepSpec> steps,
        Optional<Defaults> defaults,
        Map<String, Duration> timeouts,
        Notifications notifications) {
    public PlanDocument {
        notifications = notifications == null ? Notifications.none() : notifications;
        defaults = defaults == null ? Optional.empty() : defaults;
        timeouts = timeouts == null ? Map.of() : ImmutableSortedMap.copyOf(timeouts);
        hooks = hooks == null ? Map.of() : ImmutableSortedMap.copyOf(hooks);
        checks = checks == null ? Map.of() : ImmutableSortedMap.copyOf(checks);
        strategy = strategy == null ? Optional.empty() : strategy;
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** What applies to every step unless the step says otherwise. */
    public record Defaults(Duration operationTimeout) {}

    /**
     * A command the command-line tool runs for a hook or check ({@code sh -c run}): success (exit 0) or failure.
     * {@code env} holds environment variables the command sees beside Cutover's own; a fleet passes its
     * variables this way, so that a variable's value reaches the shell as data, never as code.
     */
    public record Command(String run, Duration timeout, Map<String, String> env) {
        public Command {
            timeout = timeout == null ? Duration.ofMinutes(5) : timeout;
            env = env == null ? Map.of() : ImmutableSortedMap.copyOf(env);
        }

        public Command(String run, Duration timeout) {
            this(run, timeout, Map.of());
        }
    }

    /** One of the strategies. */
    public record Strategy(Optional<ParallelUpgrade> parallelUpgrade, Optional<InPlaceUpdate> inPlaceUpdate) {
        public Strategy {
            parallelUpgrade = parallelUpgrade == null ? Optional.empty() : parallelUpgrade;
            inPlaceUpdate = inPlaceUpdate == null ? Optional.empty() : inPlaceUpdate;
        }
    }

    /** A hook and the hook that undoes it. */
    public record HookPair(String hook, String undo) {}

    /** The options of {@link io.cutover.plan.Strategies#parallelUpgrade}. */
    public record ParallelUpgrade(
            String greenStack,
            StepSpec.TemplateRef template,
            Map<String, String> parameters,
            Map<String, String> snapshotParameters,
            List<StepSpec.Check> checks,
            HookPair freezeWrites,
            String target,
            Long lowerTtlTo,
            Boolean rehearsal,
            Boolean approveBeforeFreeze,
            Duration bake,
            Duration verifyTimeout,
            List<Integer> weights,
            List<String> capabilities,
            Map<String, String> cloneParameters) {
        public ParallelUpgrade {
            parameters = parameters == null ? Map.of() : parameters;
            snapshotParameters = snapshotParameters == null ? Map.of() : snapshotParameters;
            cloneParameters = cloneParameters == null ? Map.of() : cloneParameters;
            checks = checks == null ? List.of() : checks;
            weights = weights == null ? List.of() : weights;
            capabilities = capabilities == null ? List.of() : capabilities;
        }
    }

    /** The options of {@link io.cutover.plan.Strategies#inPlaceUpdate}. */
    public record InPlaceUpdate(
            StepSpec.TemplateRef template,
            Map<String, String> parameters,
            StepSpec.StorageGuard storageGuard,
            List<StepSpec.Check> checks,
            HookPair maintenanceMode,
            Boolean backup,
            List<String> allowReplacement) {
        public InPlaceUpdate {
            parameters = parameters == null ? Map.of() : parameters;
            allowReplacement = allowReplacement == null ? List.of() : allowReplacement;
            checks = checks == null ? List.of() : checks;
        }
    }
}
