package io.cutover.internal;

import io.cutover.plan.StepSpec.Check;
import io.cutover.spi.ProviderException;
import io.cutover.step.Hooks;
import io.cutover.step.StepContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs health checks and collects why any failed. The reasons show the URLs as resolved: a secret in one is
 * masked by the engine with everything else a step's call returns.
 */
public final class Checks {
    private Checks() {}

    /** The reasons the checks failed; empty when all passed. */
    public static List<String> run(StepContext ctx, List<Check> checks) {
        List<String> failures = new ArrayList<>();
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
            }
        }
        return failures;
    }

    public static String describe(List<Check> checks) {
        return String.join(", ", checks.stream().map(Check::describe).toList());
    }
}
