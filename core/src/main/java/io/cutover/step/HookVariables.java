package io.cutover.step;

import io.cutover.plan.StepId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The run's values as environment variables, for a hook or check that runs as a command (the command-line
 * tool's plan-file hooks): what a hook needs to act on green (its endpoint, a snapshot id) without a reference
 * in its command.
 *
 * <ul>
 *   <li>{@code CUTOVER_PLAN}, {@code CUTOVER_STEP}, {@code CUTOVER_ENVIRONMENT}: the plan's id, the step's id,
 *       the environment's name;
 *   <li>{@code CUTOVER_BLUE_STACK}: blue's stack;
 *   <li>{@code CUTOVER_GREEN_STACK} and {@code CUTOVER_GREEN_OUTPUT_<Name>}: green's stack and each of its
 *       outputs, once the step that builds green has succeeded and this step depends on it;
 *   <li>{@code CUTOVER_OUTPUT_<STEP>_<name>}: each output of each step this one depends on (directly or
 *       through others) that has succeeded: the step id upper-cased with {@code -} as {@code _}, the output's
 *       name as the step gives it (e.g. {@code CUTOVER_OUTPUT_SNAPSHOT_DB_snapshotId}).
 * </ul>
 *
 * Characters that a variable's name cannot hold become {@code _}. Secrets are never among them: an output
 * that echoes one holds its mask; a hook gets a secret only from its own {@code env}.
 */
public final class HookVariables {
    private HookVariables() {}

    /**
     * The variables of a step of {@code plan}, from the outputs of the steps it depends on that have succeeded
     * and, if green is built by one of them, {@code green}'s step id.
     */
    public static Map<String, String> of(
            io.cutover.plan.Plan plan,
            StepId step,
            Map<StepId, Map<String, String>> upstreamOutputs,
            Optional<StepId> green) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("CUTOVER_PLAN", plan.id());
        out.put("CUTOVER_STEP", step.value());
        out.put("CUTOVER_ENVIRONMENT", plan.environment().name());
        out.put("CUTOVER_BLUE_STACK", plan.environment().stack());
        green.map(upstreamOutputs::get)
                .ifPresent(g -> g.forEach((k, v) -> {
                    if (k.equals("stackName")) {
                        out.put("CUTOVER_GREEN_STACK", v);
                    } else {
                        out.put("CUTOVER_GREEN_OUTPUT_" + name(k), v);
                    }
                }));
        upstreamOutputs.forEach((id, outputs) -> outputs.forEach((k, v) -> out.put(output(id, k), v)));
        return out;
    }

    /** The variable that carries output {@code key} of step {@code step}. */
    public static String output(StepId step, String key) {
        return "CUTOVER_OUTPUT_" + name(step.value()).toUpperCase(java.util.Locale.ROOT) + "_" + name(key);
    }

    private static String name(String s) {
        return s.replaceAll("[^A-Za-z0-9_]", "_");
    }
}
