package io.cutover.examples.seeds;

import static io.cutover.examples.seeds.QhubRedeploy.ids;

import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.plan.StepSpec.Downtime;
import io.cutover.state.RunState;
import io.cutover.step.Hooks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
                        new StepSpec.Hook(
                                StepId.of("pause-jobs"),
                                List.of(),
                                "pause-jobs",
                                Optional.of("resume-jobs"),
                                Downtime.STARTS,
                                "pause job processing: disable schedules and event listeners"),
                        new StepSpec.SnapshotDatabase(
                                StepId.of("snapshot-db"),
                                ids("pause-jobs"),
                                env.databases().get(0)),
                        new StepSpec.SnapshotVolume(
                                StepId.of("snapshot-disk"),
                                ids("pause-jobs"),
                                env.volumes().get(0)),
                        new StepSpec.Hook(
                                StepId.of("resume-jobs"),
                                ids("snapshot-db", "snapshot-disk"),
                                "resume-jobs",
                                Optional.empty(),
                                Downtime.ENDS,
                                "resume job processing on the old version"),
                        new StepSpec.CloneStack(
                                StepId.of("deploy-new"),
                                ids("snapshot-db", "snapshot-disk"),
                                "cloverdx-6-3",
                                StepSpec.TemplateRef.ofBody(SeedWorld.template("app-stack.json")),
                                Map.of(
                                        "AppVersion",
                                        "6.3",
                                        "DBSnapshotIdentifier",
                                        "${snapshot-db.snapshotId}",
                                        "DataSnapshotId",
                                        "${snapshot-disk.snapshotId}"),
                                true,
                                Map.of(),
                                List.of()),
                        new StepSpec.Approval(
                                StepId.of("activate"),
                                ids("deploy-new"),
                                "enter the licence for the new version on its login page"),
                        new StepSpec.Verify(
                                StepId.of("test"),
                                ids("activate"),
                                List.of(StepSpec.Check.Http.of("http://${green.outputs.Endpoint}/clover/")),
                                null,
                                null),
                        new StepSpec.Approval(
                                StepId.of("tests-passed"),
                                ids("test"),
                                "the new version passed your tests; move the IP to it"),
                        new StepSpec.MoveAddress(
                                StepId.of("reuse-ip"),
                                ids("tests-passed"),
                                Optional.empty(),
                                "${green.outputs.InstanceId}"),
                        new StepSpec.Bake(StepId.of("keep-old"), ids("reuse-ip"), Duration.ofDays(7), List.of(), null),
                        new StepSpec.Decommission(StepId.of("remove-old"), ids("keep-old"), List.of())));
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
