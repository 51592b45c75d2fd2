package io.cutover.internal;

import io.cutover.plan.StepSpec.Check;
import io.cutover.spi.AlarmProvider.AlarmState;
import io.cutover.spi.ProviderException;
import io.cutover.step.Hooks;
import io.cutover.step.StepContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs health checks (HTTP, custom, CloudWatch alarms) and collects why any failed. The reasons show the URLs as resolved: a secret in one is
 * masked by the engine with everything else a step's call returns.
 */
public final class Checks {
    private Checks() {}

    /** The reasons the checks failed; empty when all passed. */
    public static List<String> run(StepContext ctx, List<Check> checks) {
        List<String> failures = new ArrayList<>();
        Map<String, AlarmState> alarms = alarms(ctx, checks);
        for (Check check : checks) {
            if (check instanceof Check.Http h) {
                String url = ctx.resolve(h.url());
                try {
                    int status = ctx.cloud().http().get(URI.create(url), h.timeout());
                    if (status != h.expectStatus()) {
                        failures.add("GET " + url + " answered " + status + ", expected " + h.expectStatus());
                    }
                } catch (ProviderException e) {
                    failures.add("GET " + url + " failed: " + e.getMessage());
                } catch (IllegalArgumentException e) {
                    failures.add("'" + url + "' is not a valid URL");
                }
            } else if (check instanceof Check.Custom c) {
                Hooks.CheckResult r = ctx.hooks().check(c.name()).check(new HookView(ctx));
                if (r instanceof Hooks.CheckResult.Unhealthy u) {
                    failures.add("check '" + c.name() + "': " + u.reason());
                }
            } else if (check instanceof Check.Alarm a) {
                String name = ctx.resolve(a.name());
                AlarmState state = alarms.get(name);
                if (state == null) {
                    failures.add("alarm '" + name + "' does not exist in CloudWatch; check its name and region");
                } else if (state == AlarmState.ALARM) {
                    failures.add("alarm '" + name + "' is in ALARM");
                }
            }
        }
        return failures;
    }

    /**
     * The states of the checks' alarms, in one call. A failure of that call is thrown, not counted as an unhealthy
     * check: a throttled or transient one is repeated by the engine (that CloudWatch did not answer says nothing
     * against green, and a bake must not move users back to blue for it); any other (access denied) fails the
     * step with its reason.
     */
    private static Map<String, AlarmState> alarms(StepContext ctx, List<Check> checks) {
        List<String> names = checks.stream()
                .filter(c -> c instanceof Check.Alarm)
                .map(c -> ctx.resolve(((Check.Alarm) c).name()))
                .distinct()
                .toList();
        if (names.isEmpty()) {
            return Map.of();
        }
        return ctx.cloud().alarms().states(names);
    }

    public static String describe(List<Check> checks) {
        return String.join(", ", checks.stream().map(Check::describe).toList());
    }
}
