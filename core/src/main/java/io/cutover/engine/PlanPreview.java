package io.cutover.engine;

import io.cutover.internal.Action;
import io.cutover.internal.Actions;
import io.cutover.plan.Plan;
import io.cutover.plan.PlanValidator;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import java.util.List;
import java.util.TreeSet;

/** The dry run: a plan's steps in order, with what each changes and how it is undone. Calls nothing. */
public final class PlanPreview {
    private PlanPreview() {}

    public static String render(Plan plan) {
        PlanValidator.validate(plan);
        StringBuilder sb = new StringBuilder();
        sb.append("Plan ")
                .append(plan.id())
                .append(" for environment ")
                .append(plan.environment().name())
                .append(" (blue stack ")
                .append(plan.environment().stack())
                .append(")\n");
        int n = 1;
        boolean switched = false;
        for (StepSpec s : plan.inOrder()) {
            Action a = Actions.of(s);
            if (s.switchesTraffic() && !switched) {
                sb.append("   -- traffic moves to green here: a failure from now on moves users back to blue --\n");
                switched = true;
            }
            if (s instanceof StepSpec.Decommission) {
                sb.append("   -- point of no return --\n");
            }
            sb.append(String.format("%2d. %-22s [%s]", n++, s.id(), s.kind()));
            if (!s.dependsOn().isEmpty()) {
                sb.append(" after ")
                        .append(String.join(
                                ", ", s.dependsOn().stream().map(StepId::value).toList()));
            }
            sb.append("\n      ").append(a.describe()).append('\n');
            if (a.compensation() != Action.Compensation.NONE) {
                sb.append("      undo: ").append(a.describeCompensation()).append('\n');
            }
        }
        return sb.toString();
    }

    /** The permissions the plan's steps need, as {@code service:Action}, sorted. */
    public static List<String> permissions(Plan plan) {
        TreeSet<String> out = new TreeSet<>();
        plan.steps().forEach(s -> out.addAll(Actions.of(s).permissions()));
        return List.copyOf(out);
    }
}
