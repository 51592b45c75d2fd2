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

    /**
     * Resource types whose replacement loses data: a replaced database, volume or file system is a new, empty
     * one (or one restored from a snapshot the template names), so an update must not replace it unnoticed.
     */
    public static final java.util.Set<String> STATEFUL = java.util.Set.of(
            "AWS::RDS::DBInstance",
            "AWS::RDS::DBCluster",
            "AWS::EC2::Volume",
            "AWS::EFS::FileSystem",
            "AWS::FSx::FileSystem",
            "AWS::DynamoDB::Table",
            "AWS::S3::Bucket",
            "AWS::ElastiCache::ReplicationGroup",
            "AWS::ElastiCache::CacheCluster",
            "AWS::DocDB::DBCluster",
            "AWS::Neptune::DBCluster",
            "AWS::Redshift::Cluster",
            "AWS::OpenSearchService::Domain",
            "AWS::Elasticsearch::Domain");

    /**
     * Why a change set must not run: the stateful resources it would (or might: {@code Conditional}) replace that
     * {@code allowed} does not name; empty when there are none.
     */
    public static Optional<String> refusedReplacements(
            String stack, List<StackProvider.ResourceChange> changes, List<String> allowed, String field) {
        List<String> refused = changes.stream()
                .filter(c -> STATEFUL.contains(c.resourceType()))
                .filter(c ->
                        "True".equalsIgnoreCase(c.replacement()) || "Conditional".equalsIgnoreCase(c.replacement()))
                .filter(c -> !allowed.contains(c.logicalResourceId()))
                .map(c -> c.logicalResourceId() + " (" + c.resourceType() + ", replacement " + c.replacement() + ")")
                .toList();
        if (refused.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("the change set of stack " + stack + " would replace " + String.join(", ", refused)
                + ": a replaced database or volume starts empty; change the template so that it is updated in place, "
                + "or, if losing its data is intended, list it in " + field);
    }

    /**
     * Why parameters cannot be carried over: a {@code NoEcho} parameter's value is masked ({@code ****}) when the
     * stack is described, so carrying it over would send the mask itself; the plan must give it. Empty when every
     * NoEcho parameter is given or not carried.
     */
    public static Optional<String> maskedCarried(
            String stack,
            Map<String, String> carried,
            StackProvider.TemplateSummary declared,
            Map<String, String> overrides,
            String field) {
        List<String> masked = declared.noEcho().stream()
                .filter(k -> carried.containsKey(k) && !overrides.containsKey(k))
                .sorted()
                .toList();
        if (masked.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("parameter" + (masked.size() == 1 ? " " : "s ") + String.join(", ", masked)
                + " of stack " + stack + " " + (masked.size() == 1 ? "is" : "are")
                + " NoEcho: CloudFormation describes " + (masked.size() == 1 ? "it" : "them")
                + " as **** and carrying that over would set the mask as the value; give "
                + (masked.size() == 1 ? "it" : "each") + " in " + field + ", e.g. " + masked.get(0)
                + ": ${secret:<secret-id>#<key>}");
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
