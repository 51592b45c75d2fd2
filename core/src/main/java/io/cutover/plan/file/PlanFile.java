package io.cutover.plan.file;

import io.cutover.plan.Plan;
import java.nio.file.Path;
import java.util.Map;

/** A loaded plan file: the plan, and the commands it names for its hooks and checks. */
public record PlanFile(
        Path path, Plan plan, Map<String, PlanDocument.Command> hooks, Map<String, PlanDocument.Command> checks) {}
