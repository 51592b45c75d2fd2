package io.cutover.internal;

import io.cutover.plan.StepSpec.Check;
import io.cutover.spi.ProviderException;
import io.cutover.step.Hooks;
import io.cutover.step.StepContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Runs health checks and collects why any failed. */
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
                        failures.add("GET " + shown(h.url(), url) + " answered " + status + ", expected "
                                + h.expectStatus());
                    }
                } catch (ProviderException e) {
                    failures.add("GET " + shown(h.url(), url) + " failed: "
                            + e.getMessage().replace(url, shown(h.url(), url)));
                } catch (IllegalArgumentException e) {
                    failures.add("'" + shown(h.url(), url) + "' is not a valid URL");
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

    /** The URL as messages show it: resolved, unless it holds a secret (then as the plan writes it). */
    private static String shown(String written, String resolved) {
        return io.cutover.plan.Expressions.holdsSecret(written) ? written : resolved;
    }

    public static String describe(List<Check> checks) {
        return String.join(", ", checks.stream().map(Check::describe).toList());
    }
}
