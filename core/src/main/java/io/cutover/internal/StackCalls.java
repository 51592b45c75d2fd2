package io.cutover.internal;

import io.cutover.plan.StepSpec;
import io.cutover.spi.StackProvider;
import io.cutover.spi.StackProvider.StackDescription;
import io.cutover.spi.StackProvider.StackEvent;
import io.cutover.step.StepContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Helpers for the stack actions: templates, parameters and failure reasons. */
public final class StackCalls {
    private StackCalls() {}

    public static StackProvider.Template template(StepContext ctx, StepSpec.TemplateRef ref) {
        return ref.body().isPresent()
                ? StackProvider.Template.ofBody(ref.body().get())
                : StackProvider.Template.ofUrl(ctx.resolve(ref.url().orElseThrow()));
    }

    /**
     * The parameters for a stack: the old stack's values for the parameters the template declares (when
     * carried over), then the overrides, resolved.
     */
    public static Map<String, String> parameters(
            StepContext ctx,
            Map<String, String> carried,
            Map<String, Optional<String>> declared,
            Map<String, String> overrides) {
        Map<String, String> out = new java.util.TreeMap<>();
        carried.forEach((k, v) -> {
            if (declared.containsKey(k)) {
                out.put(k, v);
            }
        });
        overrides.forEach((k, v) -> out.put(k, ctx.resolve(v)));
        return out;
    }

    /** Why a stack ended badly: its status reason and the first resource that failed, from its events. */
    public static String failure(StackProvider stacks, StackDescription d) {
        StringBuilder sb = new StringBuilder("stack " + d.name() + " ended " + d.rawStatus());
        if (d.reason() != null && !d.reason().isEmpty()) {
            sb.append(": ").append(d.reason());
        }
        try {
            List<StackEvent> events = stacks.events(d.name());
            // Events are newest first; the root cause is the oldest failure.
            for (int i = events.size() - 1; i >= 0; i--) {
                StackEvent e = events.get(i);
                if (e.failed() && !e.logicalResourceId().equals(d.name())) {
                    sb.append("; first failure: ")
                            .append(e.logicalResourceId())
                            .append(" (")
                            .append(e.resourceType())
                            .append(") ")
                            .append(e.reason());
                    break;
                }
            }
        } catch (RuntimeException ignored) {
            // The reason above is still worth reporting if the events cannot be read.
        }
        return sb.toString();
    }
}
