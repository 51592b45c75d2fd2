package io.cutover.step.kinds;

import io.cutover.plan.StepSpec.Check;
import io.cutover.step.CreatedResource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers shared by the built-in kinds' declarations. */
final class Kinds {
    private Kinds() {}

    /** One text field (left out when absent). */
    static Map<String, String> fields(String name, String value) {
        Map<String, String> f = new LinkedHashMap<>();
        if (value != null) {
            f.put(name, value);
        }
        return f;
    }

    /** The URLs of HTTP checks and the names of alarm checks, which may hold references. */
    static Map<String, String> checkFields(List<Check> checks, String name) {
        Map<String, String> f = new LinkedHashMap<>();
        for (int i = 0; i < checks.size(); i++) {
            if (checks.get(i) instanceof Check.Http h && h.url() != null) {
                f.put(name + "[" + i + "].url", h.url());
            } else if (checks.get(i) instanceof Check.Alarm a && a.name() != null) {
                f.put(name + "[" + i + "].name", a.name());
            }
        }
        return f;
    }

    /** The resource named by {@code key} in the outputs, or else in the memo (saved before it was created). */
    static List<CreatedResource> created(
            CreatedResource.Type type, Map<String, String> outputs, Map<String, String> memo, String key) {
        String id = outputs.getOrDefault(key, memo.get(key));
        return id == null || id.isBlank() ? List.of() : List.of(new CreatedResource(type, id));
    }

    /**
     * How long after a create its resource may still be unknown to the describe calls: the EC2 and RDS APIs are
     * eventually consistent, and a NOT_FOUND this soon after the step created something is not proof it is gone.
     */
    static final Duration VISIBILITY = Duration.ofMinutes(2);

    /** Whether the step started so recently that what it created may not be visible yet. */
    static boolean mayNotBeVisibleYet(io.cutover.step.StepContext ctx) {
        return Duration.between(ctx.startedAt(), ctx.now()).compareTo(VISIBILITY) < 0;
    }

    /**
     * Why a step must not create {@code name}, resolved just now, before its create call: it is one of blue's
     * resources, it is longer than the cloud allows (names are never shortened), or another step of the
     * cutover claimed it.
     */
    static java.util.Optional<String> refusedName(
            io.cutover.step.StepContext ctx, io.cutover.plan.StepRules.Namespace namespace, String name, String field) {
        java.util.Optional<String> blue =
                io.cutover.plan.Validation.blueClash(ctx.plan().environment(), namespace, name);
        if (blue.isPresent()) {
            return java.util.Optional.of(field + ": " + blue.get() + "; nothing was created");
        }
        if (name.length() > namespace.limit()) {
            return java.util.Optional.of(field + ": '" + name + "' is " + name.length()
                    + " characters long; the limit is " + namespace.limit() + "; choose a shorter " + field);
        }
        return ctx.claimsOfOtherSteps().entrySet().stream()
                .filter(e -> e.getValue().equalsIgnoreCase(name))
                .findFirst()
                .map(e -> field + ": '" + name + "' is claimed by step '" + e.getKey() + "' of this cutover; choose"
                        + " another " + field);
    }

    /**
     * The start of a step that creates a database under {@code id}: refused as {@link #refusedName} says, or else
     * the claim of {@code id} (with the run's tags), saved before the next call of {@code operation} creates it, so a
     * compensation deletes only what this step made. {@code what} names the id in the progress, e.g. "replica id".
     */
    static io.cutover.step.StepOutcome claimDatabase(
            io.cutover.step.StepContext ctx, String id, String operation, String what) {
        java.util.Optional<String> refused =
                refusedName(ctx, io.cutover.plan.StepRules.Namespace.DATABASE, id, "newId");
        if (refused.isPresent()) {
            return io.cutover.step.StepOutcome.Failed.of(io.cutover.FailureType.REFUSED, refused.get());
        }
        return new io.cutover.step.StepOutcome.Pending(
                operation,
                java.util.Optional.of(Duration.ZERO),
                what + " " + id + " claimed",
                io.cutover.step.Claim.of(ctx, id, "create").memo());
    }

    /** {@code d}, but no less than {@code low} and no more than {@code high}. */
    static Duration within(Duration d, Duration low, Duration high) {
        return d.compareTo(low) < 0 ? low : d.compareTo(high) > 0 ? high : d;
    }

    static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
