package io.cutover.step;

import io.cutover.spi.CloudProvider;
import io.cutover.spi.StackProvider;

/**
 * Where a step kind makes its read-only checks before a cutover starts: each read names the field it
 * checks and the thing it reads, and a failure becomes a problem of that field (a thing that does not exist,
 * access denied) rather than an exception.
 */
public interface PreflightReads {
    CloudProvider cloud();

    /** The environment the plan cuts over. */
    io.cutover.plan.Environment environment();

    /** Reads {@code what} for {@code field} (a path below the step); a failure is reported as a problem. */
    void read(String field, String what, Runnable read);

    /** Reads {@code what}, which is expected NOT to exist; its existing is reported by {@code read} itself. */
    void readExpectingAbsent(String field, String what, Runnable read);

    /** Reports a problem with {@code field} of the step. */
    void problem(String field, String message);

    /**
     * Hands what the preflight read to the step's first call, which finds it in its memo (saved with the
     * cutover's first state). Only for a value the step uses as a guess that the cloud checks (the record a
     * conditional DNS change expects), never for one that decides a change unchecked: the preflight may be
     * minutes old when the step starts.
     */
    default void remember(java.util.Map<String, String> memo) {}

    /** Asks the provider to validate a template (skipped when its URL holds a reference). */
    default void template(String field, io.cutover.plan.StepSpec.TemplateRef t) {
        if (t.url().map(u -> u.contains("${")).orElse(false)) {
            return;
        }
        StackProvider.Template template = t.body().isPresent()
                ? StackProvider.Template.ofBody(t.body().get())
                : StackProvider.Template.ofUrl(t.url().orElseThrow());
        read(field, "the template", () -> cloud().stacks().validate(template));
    }
}
