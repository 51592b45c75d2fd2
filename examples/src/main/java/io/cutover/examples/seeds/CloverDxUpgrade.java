package io.cutover.examples.seeds;

import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec.Check;
import io.cutover.plan.StepSpec.Downtime;
import io.cutover.plan.StepSpec.TemplateRef;
import io.cutover.plan.Steps;
import io.cutover.state.RunState;
import io.cutover.step.Hooks;
import java.time.Duration;
import java.util.List;

/**
 * Seed 002, CloverDX: a whole-architecture upgrade from snapshots. Pause job processing (downtime starts),
 * snapshot the system database and the data disk at once, resume the old version (downtime ends), deploy
 * the new version from the snapshots beside the old, activate it (a new licence), test it, and re-use the
 * old Elastic IP for the new server; the old one is kept for a week, then retired with final snapshots.
 */
public final class CloverDxUpgrade {
    private CloverDxUpgrade() {}

    public static Environment environment() {
        return Environment.of("cloverdx-prod", "cloverdx-6-2")
                .withDatabase(Environment.Database.instance("cloverdx-6-2-database"))
                .withVolume("vol-0c10e7d7a6b5c4d3e")
                .withAddress("eipalloc-0c10e7d7a6b5c4d3e");
    }

    public static Plan plan() {
        Environment env = environment();
        return Plan.of(
                "clover-6-3",
                env,
                List.of(
                        Steps.hook("pause-jobs")
                                .hook("pause-jobs")
                                .undo("resume-jobs")
                                .downtime(Downtime.STARTS)
                                .description("pause job processing: disable schedules and event listeners")
                                .build(),
                        Steps.snapshotDatabase("snapshot-db")
                                .dependsOn("pause-jobs")
                                .database(env.databases().get(0))
                                .build(),
                        Steps.snapshotVolume("snapshot-disk")
                                .dependsOn("pause-jobs")
                                .volume(env.volumes().get(0))
                                .build(),
                        Steps.hook("resume-jobs")
                                .dependsOn("snapshot-db", "snapshot-disk")
                                .hook("resume-jobs")
                                .downtime(Downtime.ENDS)
                                .description("resume job processing on the old version")
                                .build(),
                        Steps.cloneStack("deploy-new")
                                .dependsOn("snapshot-db", "snapshot-disk")
                                .stackName("cloverdx-6-3")
                                .template(TemplateRef.ofBody(SeedWorld.template("app-stack.json")))
                                .parameter("AppVersion", "6.3")
                                .parameter("DBSnapshotIdentifier", "${snapshot-db.snapshotId}")
                                .parameter("DataSnapshotId", "${snapshot-disk.snapshotId}")
                                .build(),
                        Steps.approval("activate")
                                .dependsOn("deploy-new")
                                .prompt("enter the licence for the new version on its login page")
                                .build(),
                        Steps.verify("test")
                                .dependsOn("activate")
                                .check(Check.Http.of("http://${green.outputs.Endpoint}/clover/"))
                                .build(),
                        Steps.approval("tests-passed")
                                .dependsOn("test")
                                .prompt("the new version passed your tests; move the IP to it")
                                .build(),
                        Steps.moveAddress("reuse-ip")
                                .dependsOn("tests-passed")
                                .instance("${green.outputs.InstanceId}")
                                .build(),
                        Steps.bake("keep-old")
                                .dependsOn("reuse-ip")
                                .duration(Duration.ofDays(7))
                                .build(),
                        Steps.decommission("remove-old").dependsOn("keep-old").build()));
    }

    public static Hooks hooks(SeedWorld world) {
        return Hooks.builder()
                .hook("pause-jobs", world.recorded("pause-jobs"))
                .hook("resume-jobs", world.recorded("resume-jobs"))
                .build();
    }

    public static RunState run(SeedWorld world, boolean print) {
        return world.run(plan(), hooks(world), print);
    }

    public static void main(String[] args) {
        run(new SeedWorld(), true);
    }
}
