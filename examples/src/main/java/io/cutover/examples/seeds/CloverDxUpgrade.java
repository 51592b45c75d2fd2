package io.cutover.examples.seeds;

import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec;
import io.cutover.plan.StepSpec.Check;
import io.cutover.plan.StepSpec.Downtime;
import io.cutover.plan.StepSpec.TemplateRef;
import io.cutover.plan.Steps;
import io.cutover.state.RunState;
import io.cutover.step.Hooks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Seed 002, CloverDX: a whole-architecture upgrade from snapshots. Pause job processing through the server's
 * HTTP API (downtime starts),
 * snapshot the system database and the data disk at once, resume the old version (downtime ends), deploy
 * the new version from the snapshots beside the old, activate it (a new licence), test it, and re-use the
 * old Elastic IP for the new server; the old one is kept for a week, then retired with final snapshots.
 */
public final class CloverDxUpgrade {
    /**
     * CloverDX Server's Simple HTTP API on the old server: while the server is suspended no job is started, so
     * its schedules and event listeners start nothing. It asks for basic authentication (an administrator's
     * "user:password", base64, in Secrets Manager) and an X-Requested-By header (its CSRF protection).
     */
    static final String SUSPEND = "http://${blue.outputs.Endpoint}/clover/simpleHttpApi/suspend";

    static final String RESUME = "http://${blue.outputs.Endpoint}/clover/simpleHttpApi/resume";
    static final String ADMIN = "Basic ${secret:cloverdx-admin#basic}";

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
                        Steps.httpCall("pause-jobs")
                                .call("GET", SUSPEND)
                                .header("Authorization", ADMIN)
                                .header("X-Requested-By", "cutover")
                                .expectStatus(200)
                                .retries(3)
                                .undo(new StepSpec.HttpRequest(
                                        "GET",
                                        RESUME,
                                        Map.of("Authorization", ADMIN, "X-Requested-By", "cutover"),
                                        Optional.empty(),
                                        Optional.of(200)))
                                .downtime(Downtime.STARTS)
                                .description(
                                        "pause job processing: suspend the old server (GET simpleHttpApi/suspend), so that no"
                                                + " schedule or event listener starts a job")
                                .build(),
                        Steps.snapshotDatabase("snapshot-db")
                                .dependsOn("pause-jobs")
                                .database(env.databases().get(0))
                                .build(),
                        Steps.snapshotVolume("snapshot-disk")
                                .dependsOn("pause-jobs")
                                .volume(env.volumes().get(0))
                                .build(),
                        Steps.httpCall("resume-jobs")
                                .dependsOn("snapshot-db", "snapshot-disk")
                                .call("GET", RESUME)
                                .header("Authorization", ADMIN)
                                .header("X-Requested-By", "cutover")
                                .expectStatus(200)
                                .retries(3)
                                .downtime(Downtime.ENDS)
                                .description("resume job processing on the old version (GET simpleHttpApi/resume)")
                                .build(),
                        Steps.cloneStack("deploy-new")
                                .dependsOn("resume-jobs")
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
                                .prompt(
                                        "the new version passed your tests (with no job processing production data); move the IP to it")
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

    /** No hooks: job processing is paused and resumed through the server's HTTP API. */
    public static Hooks hooks(SeedWorld world) {
        return Hooks.none();
    }

    public static RunState run(SeedWorld world, boolean print) {
        return world.run(plan(), hooks(world), print);
    }

    public static void main(String[] args) {
        run(new SeedWorld(), true);
    }
}
