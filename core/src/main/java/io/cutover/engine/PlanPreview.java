package io.cutover.engine;

import io.cutover.plan.Plan;
import io.cutover.plan.PlanValidator;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.step.Compensation;
import io.cutover.step.StepBehaviour;
import io.cutover.step.StepKind;
import io.cutover.step.kinds.StepKinds;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The dry run: a plan's steps in order, with what each changes and how it is undone. Calls nothing. */
public final class PlanPreview {
    private PlanPreview() {}

    public static String render(Plan plan) {
        return render(plan, StepKinds.builtIn());
    }

    /** The dry run of a plan whose steps are of {@code kinds}. */
    public static String render(Plan plan, StepKinds kinds) {
        PlanValidator.validate(plan, kinds);
        StringBuilder sb = new StringBuilder();
        sb.append("Plan ")
                .append(plan.id())
                .append(" for environment ")
                .append(plan.environment().name())
                .append(" (blue stack ")
                .append(plan.environment().stack())
                .append(")\n");
        var notify = plan.notifications();
        if (notify.snsTopic().isPresent() || notify.webhook().isPresent()) {
            List<String> to = new java.util.ArrayList<>();
            notify.snsTopic().ifPresent(t -> to.add("SNS topic " + t));
            notify.webhook().ifPresent(w -> to.add(RunNotifier.webhookName(w)));
            sb.append("Notifies ")
                    .append(String.join(" and ", to))
                    .append(" of gates waiting, downtime start and end, failures, rollback and the end\n");
        }
        int n = 1;
        boolean switched = false;
        for (StepSpec s : plan.inOrder()) {
            StepKind<StepSpec> kind = kinds.of(s);
            StepBehaviour a = kind.behaviour(s);
            if (kind.flags(s).movesTraffic() && !switched) {
                sb.append("   -- traffic moves to green here: a failure from now on moves users back to blue --\n");
                switched = true;
            }
            if (kind.flags(s).pointOfNoReturn()) {
                sb.append("   -- point of no return --\n");
            }
            sb.append(String.format("%2d. %-22s [%s]", n++, s.id(), kind.name()));
            if (!s.dependsOn().isEmpty()) {
                sb.append(" after ")
                        .append(String.join(
                                ", ", s.dependsOn().stream().map(StepId::value).toList()));
            }
            sb.append("\n      ").append(a.describe()).append('\n');
            if (a.compensation() != Compensation.NONE) {
                sb.append("      undo: ").append(a.describeCompensation()).append('\n');
            }
        }
        return sb.toString();
    }

    /** The permissions the plan's steps need, as {@code service:Action}, sorted. */
    public static List<String> permissions(Plan plan) {
        TreeSet<String> out = new TreeSet<>();
        permissionsByStep(plan, StepKinds.builtIn()).values().forEach(out::addAll);
        return List.copyOf(out);
    }

    /** The permissions each step needs, as {@code service:Action}, in the plan's order. */
    public static Map<StepId, List<String>> permissionsByStep(Plan plan, StepKinds kinds) {
        Map<StepId, List<String>> out = new LinkedHashMap<>();
        plan.steps().forEach(s -> out.put(s.id(), kinds.of(s).behaviour(s).permissions()));
        return out;
    }
}
