package io.cutover.fleet;

import io.cutover.plan.Plan;
import io.cutover.plan.file.PlanFile;
import java.util.Optional;

/**
 * One environment of a fleet: its name, the wave it belongs to (0 first), where it lives (the account, an
 * AWS profile name, and the region: together the key of a shared rate budget), and its plan, whose id is
 * the plan file's id followed by the environment's name (so that names and tokens derived from it differ
 * per environment). The run id of its cutover is the plan's id.
 */
public record FleetEnvironment(
        String name, int wave, Optional<String> account, Optional<String> region, PlanFile planFile) {
    public Plan plan() {
        return planFile.plan();
    }

    public String runId() {
        return planFile.plan().id();
    }

    /** The account and region, the unit of a shared API rate budget. */
    public String target() {
        return account.orElse("default") + "/" + region.orElse("default");
    }
}
