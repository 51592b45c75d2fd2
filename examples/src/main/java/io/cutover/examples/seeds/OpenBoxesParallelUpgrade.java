package io.cutover.examples.seeds;

import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Strategies;
import io.cutover.state.RunState;
import io.cutover.step.Hooks;
import java.time.Duration;

/**
 * Seed 003, OpenBoxes: the parallel upgrade. Install the new version beside the old and rehearse: back up
 * the old database, import it into the new, start and verify. Then stop both servers (downtime starts),
 * take a fresh backup, import it again and re-test, route DNS to the new one (downtime ends), and
 * deprovision the old one. It is the parallel-upgrade strategy as it comes.
 */
public final class OpenBoxesParallelUpgrade {
    private OpenBoxesParallelUpgrade() {}

    public static Environment environment() {
        return Environment.of("openboxes-prod", "openboxes-blue")
                .withDatabase(Environment.Database.instance("openboxes-db"))
                .withDns(Environment.DnsRecord.of("Z0OPENBOXES", "openboxes.example.org", "CNAME"));
    }

    public static Plan plan() {
        return Strategies.parallelUpgrade("openboxes-0-9", environment())
                .greenStack("openboxes-green")
                .template(StepSpec.TemplateRef.ofBody(SeedWorld.template("app-stack.json")))
                .parameter("AppVersion", "0.9.2")
                .snapshotParameter("DBSnapshotIdentifier", "openboxes-db")
                .check(StepSpec.Check.Http.of("http://${green.outputs.Endpoint}/openboxes/api/status"))
                .freezeWrites("stop-servers", "start-old-server")
                .lowerTtlTo(60)
                .bake(Duration.ofHours(24))
                .build();
    }

    public static Hooks hooks(SeedWorld world) {
        return Hooks.builder()
                .hook("stop-servers", world.recorded("stop-servers"))
                .hook("start-old-server", world.recorded("start-old-server"))
                .build();
    }

    public static RunState run(SeedWorld world, boolean print) {
        return world.run(plan(), hooks(world), print);
    }

    public static void main(String[] args) {
        run(new SeedWorld(), true);
    }
}
