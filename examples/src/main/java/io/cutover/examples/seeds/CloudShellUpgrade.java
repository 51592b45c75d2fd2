package io.cutover.examples.seeds;

import io.cutover.RefusedException;
import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.plan.StepSpec.Downtime;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.step.Hooks;
import io.cutover.step.StepOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Seed 000, Quali CloudShell: an in-place upgrade with its preparation. The upgrade path is checked by
 * rules as code before anything changes; a major or minor change waits for a new licence; the service is
 * stopped so that no data changes; what the installer overwrites is backed up, with the database; the
 * installer runs through a stack update; the portal is verified; the service starts. The validation
 * environment is upgraded first, and production only once it completed.
 */
public final class CloudShellUpgrade {
    private CloudShellUpgrade() {}

    public static Environment environment(String name) {
        return Environment.of("cloudshell-" + name, "cloudshell-" + name)
                .withDatabase(Environment.Database.instance("cloudshell-" + name + "-database"));
    }

    public static Plan plan(String planId, Environment env, String from, String to) {
        CloudShellUpgradePath.Verdict verdict = CloudShellUpgradePath.check(
                CloudShellUpgradePath.Version.parse(from), CloudShellUpgradePath.Version.parse(to));
        List<StepSpec> steps = new ArrayList<>();
        steps.add(new StepSpec.Hook(
                StepId.of("check-upgrade-path"),
                List.of(),
                "check-upgrade-path",
                Optional.empty(),
                Downtime.NONE,
                "refuse an unsupported upgrade path (" + from + " to " + to + ")"));
        StepId before = StepId.of("check-upgrade-path");
        if (verdict instanceof CloudShellUpgradePath.Verdict.Supported s && s.newLicenceNeeded()) {
            steps.add(new StepSpec.Approval(
                    StepId.of("new-licence"),
                    List.of(before),
                    to + " is a new major or minor version: install the new licence"));
            before = StepId.of("new-licence");
        }
        steps.add(new StepSpec.Hook(
                StepId.of("stop-service"),
                List.of(before),
                "stop-service",
                Optional.of("start-service"),
                Downtime.STARTS,
                "stop the Quali Server service so that no data changes"));
        steps.add(new StepSpec.Hook(
                StepId.of("backup-files"),
                List.of(StepId.of("stop-service")),
                "backup-overwritten-files",
                Optional.empty(),
                Downtime.NONE,
                "back up the out-of-the-box attributes and packages the installer overwrites"));
        steps.add(new StepSpec.SnapshotDatabase(
                StepId.of("backup-db"),
                List.of(StepId.of("stop-service")),
                env.databases().get(0)));
        steps.add(new StepSpec.UpdateStack(
                StepId.of("run-installer"),
                List.of(StepId.of("backup-files"), StepId.of("backup-db")),
                env.stack(),
                Optional.of(StepSpec.TemplateRef.ofBody(SeedWorld.template("cloudshell-stack.json"))),
                Map.of("CloudShellVersion", to.split(" ")[0]),
                Optional.empty()));
        steps.add(new StepSpec.Verify(
                StepId.of("verify"),
                List.of(StepId.of("run-installer")),
                List.of(StepSpec.Check.Http.of("http://${blue.outputs.Endpoint}/Portal")),
                null,
                null));
        steps.add(new StepSpec.Hook(
                StepId.of("start-service"),
                List.of(StepId.of("verify")),
                "start-service",
                Optional.empty(),
                Downtime.ENDS,
                "start the Quali Server service"));
        return Plan.of(planId, env, steps);
    }

    /** The hooks, in Java: the path check uses the rules; the rest record what they would do. */
    public static Hooks hooks(SeedWorld world, String from, String to) {
        return Hooks.builder()
                .hook(
                        "check-upgrade-path",
                        ctx -> CloudShellUpgradePath.refusal(from, to)
                                .<StepOutcome>map(StepOutcome.Failed::new)
                                .orElse(StepOutcome.Done.of()))
                .hook("stop-service", world.recorded("stop-service"))
                .hook("start-service", world.recorded("start-service"))
                .hook("backup-overwritten-files", world.recorded("backup-overwritten-files"))
                .build();
    }

    /** Upgrades validation, then production only if validation completed. */
    public static List<RunState> upgradeBoth(SeedWorld world, String from, String to, boolean print) {
        RunState validation =
                world.run(plan("cloudshell-val", environment("validation"), from, to), hooks(world, from, to), print);
        if (validation.status() != RunStatus.COMPLETED) {
            throw new RefusedException("the validation environment's upgrade ended " + validation.status()
                    + "; production is not upgraded: " + validation.failure().orElse(""));
        }
        RunState production =
                world.run(plan("cloudshell-prod", environment("production"), from, to), hooks(world, from, to), print);
        return List.of(validation, production);
    }

    public static void main(String[] args) {
        upgradeBoth(new SeedWorld(), "2022.2 GA", "2023.3 GA", true);
    }
}
