package io.cutover.examples.seeds;

import static io.cutover.examples.seeds.QhubRedeploy.ids;

import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.state.RunState;
import io.cutover.step.Hooks;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Seed 004, Code Ocean VPC: an upgrade by CloudFormation stack update. Upgrade the backup stack first and
 * confirm the least-privilege IAM role is updated; enable maintenance mode (at a gate: the Admin Panel); update the
 * stack to the new template through a change set, previewed first, refused if the template would shrink
 * database storage that auto-scaled; follow it to UPDATE_COMPLETE; verify; check maintenance mode is off (a gate).
 */
public final class CodeOceanStackUpdate {
    /**
     * Code Ocean documents maintenance mode in its Admin Panel only, with no API to call: the administrator
     * enables it at a gate, and checks at another that Code Ocean left it when the update completed.
     */
    static final String MAINTENANCE_ON = "enable maintenance mode: in the Code Ocean VPC Admin Panel click System"
            + " Maintenance, then Enable Maintenance Mode, and approve once its progress shows every step done"
            + " (sessions saved; computations, system and AWS Batch jobs stopped; worker instances terminated)";

    static final String MAINTENANCE_OFF = "maintenance mode is off: Code Ocean leaves it once the stack update is"
            + " complete; if the Admin Panel's System Maintenance page still shows it on, click Disable"
            + " Maintenance Mode";

    private CodeOceanStackUpdate() {}

    public static Environment environment() {
        return Environment.of("codeocean-prod", "codeocean")
                .withDatabase(Environment.Database.instance("codeocean-database"));
    }

    public static Plan plan(String storageGb) {
        Environment env = environment();
        StepSpec.TemplateRef template = StepSpec.TemplateRef.ofBody(SeedWorld.template("codeocean-stack.json"));
        // the backup stack has its own template (the vendor's "latest CloudFormation backup stack template")
        StepSpec.TemplateRef backupTemplate =
                StepSpec.TemplateRef.ofBody(SeedWorld.template("codeocean-backup-stack.json"));
        return Plan.of(
                "codeocean-3-2",
                env,
                List.of(
                        new StepSpec.UpdateStack(
                                StepId.of("update-backup-stack"),
                                List.of(),
                                "codeocean-backup",
                                Optional.of(backupTemplate),
                                Map.of("Version", "3.2"),
                                Optional.empty()),
                        new StepSpec.Approval(
                                StepId.of("iam-role-updated"),
                                List.of(),
                                "the least-privilege IAM role used for the stack update is at 3.2"),
                        new StepSpec.Approval(
                                StepId.of("maintenance-on"),
                                ids("update-backup-stack", "iam-role-updated"),
                                MAINTENANCE_ON,
                                StepSpec.Downtime.STARTS),
                        new StepSpec.SnapshotDatabase(
                                StepId.of("backup-db"),
                                ids("maintenance-on"),
                                env.databases().get(0)),
                        new StepSpec.UpdateStack(
                                StepId.of("update-stack"),
                                ids("backup-db"),
                                env.stack(),
                                Optional.of(template),
                                Map.of("Version", "3.2", "DBAllocatedStorage", storageGb),
                                Optional.of(new StepSpec.StorageGuard(
                                        "DBAllocatedStorage", env.databases().get(0)))),
                        new StepSpec.Verify(
                                StepId.of("verify"),
                                ids("update-stack"),
                                List.of(StepSpec.Check.Http.of("https://${blue.outputs.Endpoint}/health")),
                                null,
                                null),
                        new StepSpec.Approval(
                                StepId.of("maintenance-off"), ids("verify"), MAINTENANCE_OFF, StepSpec.Downtime.ENDS)));
    }

    /** No hooks: maintenance mode is the administrator's, at the two gates. */
    public static Hooks hooks(SeedWorld world) {
        return Hooks.none();
    }

    public static RunState run(SeedWorld world, boolean print) {
        return world.run(plan("100"), hooks(world), print);
    }

    public static void main(String[] args) {
        run(new SeedWorld(), true);
    }
}
