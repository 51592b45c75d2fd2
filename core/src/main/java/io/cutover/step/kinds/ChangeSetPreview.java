package io.cutover.step.kinds;

import io.cutover.internal.StackCalls;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Validation;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.spi.StackProvider;
import io.cutover.step.AccountReads;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-place update's change set computed before the cutover (created, read and deleted, never executed), so
 * that one replacing a stateful resource refuses the plan before maintenance mode or any other change.
 */
final class ChangeSetPreview {
    /** How long the change set may take to compute before the check gives up on it. */
    static final Duration MAX_WAIT = Duration.ofMinutes(5);

    private static final Duration POLL = Duration.ofSeconds(2);

    private ChangeSetPreview() {}

    static void check(StepSpec.UpdateStack u, AccountReads reads) {
        Plan plan = reads.plan();
        Optional<String> unknown = Optional.ofNullable(Validation.refers(u.stack()) ? "its stack" : null)
                .or(() -> u.template()
                        .flatMap(StepSpec.TemplateRef::url)
                        .filter(Validation::refers)
                        .map(x -> "its template URL"))
                .or(() -> u.parameters().entrySet().stream()
                        .filter(e -> Validation.staticValue(e.getValue(), plan).isEmpty())
                        .map(e -> "parameter " + e.getKey())
                        .findFirst());
        String at = "steps[" + u.id() + "]";
        if (unknown.isPresent()) {
            reads.note(at + ": change set not previewed: " + unknown.get()
                    + " is known only while the cutover runs (a reference or a secret); the step refuses a "
                    + "replacement of a stateful resource then, before executing its change set");
            return;
        }
        StackProvider stacks = reads.cloud().stacks();
        String name = u.stack();
        String changeSet = "cutover-" + plan.id() + "-" + u.id() + "-check";
        try {
            var current = stacks.describe(name);
            StackProvider.Template template = u.template()
                    .map(t -> t.body().isPresent()
                            ? StackProvider.Template.ofBody(t.body().get())
                            : StackProvider.Template.ofUrl(t.url().orElseThrow()))
                    .orElseGet(() -> StackProvider.Template.ofBody(stacks.templateBody(name)));
            var declared = stacks.validate(template).parameters();
            Map<String, String> params = new LinkedHashMap<>();
            current.parameters().forEach((k, v) -> {
                if (declared.containsKey(k)) {
                    params.put(k, v);
                }
            });
            u.parameters()
                    .forEach((k, v) ->
                            params.put(k, Validation.staticValue(v, plan).orElseThrow()));
            stacks.createChangeSet(
                    new StackProvider.StackRequest(
                            name,
                            template,
                            params,
                            current.tags(),
                            List.of("CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"),
                            changeSet,
                            plan.environment().roleArn()),
                    changeSet);
            try {
                judge(u, reads, stacks, name, changeSet);
            } finally {
                try {
                    stacks.deleteChangeSet(name, changeSet);
                } catch (ProviderException e) {
                    reads.note(at + ": the preview change set " + changeSet + " of stack " + name
                            + " could not be deleted (" + e.getMessage() + "); delete it, it is never executed");
                }
            }
        } catch (ProviderException e) {
            reads.note(at + ": change set not previewed: " + e.getMessage()
                    + (e.kind() == FailureKind.ACCESS_DENIED ? "; grant it to the caller to preview the update" : ""));
        }
    }

    private static void judge(
            StepSpec.UpdateStack u, AccountReads reads, StackProvider stacks, String name, String changeSet) {
        String at = "steps[" + u.id() + "]";
        StackProvider.ChangeSetDescription cs = stacks.describeChangeSet(name, changeSet);
        for (Duration waited = Duration.ZERO;
                cs.status() == StackProvider.ChangeSetStatus.PENDING && waited.compareTo(MAX_WAIT) < 0;
                waited = waited.plus(POLL)) {
            reads.sleep(POLL);
            cs = stacks.describeChangeSet(name, changeSet);
        }
        switch (cs.status()) {
            case PENDING ->
                reads.note(at + ": the preview change set of stack " + name + " was not computed in "
                        + MAX_WAIT.toMinutes() + " minutes; not checked for replacements");
            case FAILED -> reads.problem("template", "the change set of stack " + name + " would fail: " + cs.reason());
            case NO_CHANGES -> reads.note(at + ": the update changes nothing in stack " + name);
            case READY -> {
                // A literal stack is never green's (green's name is a reference): its replacements are refused.
                StackCalls.refusedReplacements(name, cs.changes(), u.allowReplacement(), at + ".allowReplacement")
                        .ifPresent(m -> reads.problem("allowReplacement", m));
                reads.note(at + ": the update would make " + cs.changes().size() + " change(s) to stack " + name);
            }
        }
    }
}
