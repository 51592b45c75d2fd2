package io.cutover.examples.seeds;

import static io.cutover.examples.seeds.QhubRedeploy.ids;

import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.plan.StepSpec.Downtime;
import io.cutover.state.RunState;
import io.cutover.step.Hooks;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Seed 004, Code Ocean VPC: an upgrade by CloudFormation stack update. Upgrade the backup stack first and
 * confirm the least-privilege IAM role is updated; enable maintenance mode (downtime starts); update the
 * stack to the new template through a change set, previewed first, refused if the template would shrink
 * database storage that auto-scaled; follow it to UPDATE_COMPLETE; verify; leave maintenance mode.
 */
public final class CodeOceanStackUpdate {
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
                        new StepSpec.Hook(
                                StepId.of("maintenance-on"),
                                ids("update-backup-stack", "iam-role-updated"),
                                "maintenance-on",
                                Optional.of("maintenance-off"),
                                Downtime.STARTS,
                                "enable maintenance mode: sessions saved, computations, jobs and workers stopped"),
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
                        new StepSpec.Hook(
                                StepId.of("maintenance-off"),
                                ids("verify"),
                                "maintenance-off",
                                Optional.empty(),
                                Downtime.ENDS,
                                "leave maintenance mode")));
    }

    public static Hooks hooks(SeedWorld world) {
        return Hooks.builder()
                .hook("maintenance-on", world.recorded("maintenance-on"))
                .hook("maintenance-off", world.recorded("maintenance-off"))
                .build();
    }

    public static RunState run(SeedWorld world, boolean print) {
        return world.run(plan("100"), hooks(world), print);
    }

    public static void main(String[] args) {
        run(new SeedWorld(), true);
    }
}
