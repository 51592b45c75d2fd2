package io.cutover.step;

import com.google.common.collect.ImmutableMap;
import io.cutover.InvalidPlanException;
import java.util.Map;
import java.util.Set;

/**
 * The user's code that a plan names: hooks (pause jobs, maintenance mode, re-point OAuth callbacks) and
 * health checks. Registered with the engine by name; a plan that names one not registered is refused
 * before it starts.
 */
public final class Hooks {
    /** A user action. It must return promptly: a long action returns Pending and is called again. */
    @FunctionalInterface
    public interface Hook {
        StepOutcome run(HookContext context);
    }

    /** A health check: healthy, or the reason it is not. */
    @FunctionalInterface
    public interface HealthCheck {
        CheckResult check(HookContext context);
    }

    /** The outcome of a check. */
    public sealed interface CheckResult {
        record Healthy(String detail) implements CheckResult {}

        record Unhealthy(String reason) implements CheckResult {}

        static CheckResult healthy() {
            return new Healthy("");
        }

        static CheckResult unhealthy(String reason) {
            return new Unhealthy(reason);
        }
    }

    /** What a hook or check sees: the step's context, with blue's and green's stack names resolved. */
    public interface HookContext extends StepContext {}

    private final ImmutableMap<String, Hook> hooks;
    private final ImmutableMap<String, HealthCheck> checks;

    private Hooks(Map<String, Hook> hooks, Map<String, HealthCheck> checks) {
        this.hooks = ImmutableMap.copyOf(hooks);
        this.checks = ImmutableMap.copyOf(checks);
    }

    public static Hooks none() {
        return new Hooks(Map.of(), Map.of());
    }

    public static Builder builder() {
        return new Builder();
    }

    public Hook hook(String name) {
        Hook h = hooks.get(name);
        if (h == null) {
            throw InvalidPlanException.of(
                    "hook", "no hook named '" + name + "' is registered; registered: " + hooks.keySet());
        }
        return h;
    }

    public HealthCheck check(String name) {
        HealthCheck c = checks.get(name);
        if (c == null) {
            throw InvalidPlanException.of(
                    "check", "no check named '" + name + "' is registered; registered: " + checks.keySet());
        }
        return c;
    }

    public Set<String> hookNames() {
        return hooks.keySet();
    }

    public Set<String> checkNames() {
        return checks.keySet();
    }

    /** Collects hooks and checks by name. */
    public static final class Builder {
        private final ImmutableMap.Builder<String, Hook> hooks = ImmutableMap.builder();
        private final ImmutableMap.Builder<String, HealthCheck> checks = ImmutableMap.builder();

        public Builder hook(String name, Hook hook) {
            hooks.put(name, hook);
            return this;
        }

        /** A hook that does its work in one call and succeeds. */
        public Builder action(String name, java.util.function.Consumer<HookContext> action) {
            hooks.put(name, ctx -> {
                action.accept(ctx);
                return StepOutcome.Done.of();
            });
            return this;
        }

        public Builder check(String name, HealthCheck check) {
            checks.put(name, check);
            return this;
        }

        public Hooks build() {
            return new Hooks(hooks.buildOrThrow(), checks.buildOrThrow());
        }
    }
}
