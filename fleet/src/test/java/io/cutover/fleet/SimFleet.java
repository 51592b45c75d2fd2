package io.cutover.fleet;

import io.cutover.engine.Engine;
import io.cutover.engine.Scheduler;
import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec.Check;
import io.cutover.plan.StepSpec.TemplateRef;
import io.cutover.plan.Strategies;
import io.cutover.plan.file.PlanFile;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.SimulatedCloud;
import io.cutover.spi.DnsProvider.RecordSet;
import io.cutover.state.StateStore;
import io.cutover.step.Hooks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fleet of sample applications on one simulated cloud (one account and region, so one rate budget):
 * each environment {@code customer-N} has its own blue stack, database, volume and host name.
 */
final class SimFleet {
    static final String TEMPLATE = CloudSimulation.sampleTemplate();

    private SimFleet() {}

    /** Deploys blue for every environment and returns the fleet of parallel upgrades. */
    static Fleet deploy(
            SimulatedCloud cloud, String fleetId, int size, List<Integer> waves, int maxFailures, int concurrency) {
        List<FleetEnvironment> envs = new ArrayList<>();
        int wave = 0;
        int left = waves.get(0);
        for (int i = 1; i <= size; i++) {
            if (left == 0) {
                left = waves.get(++wave);
            }
            left--;
            String name = "customer-" + i;
            envs.add(new FleetEnvironment(
                    name,
                    wave,
                    Optional.of("vendor"),
                    Optional.of("eu-west-1"),
                    new PlanFile(Path.of("upgrade.yaml"), plan(cloud, name, fleetId), Map.of(), Map.of())));
        }
        return new Fleet(
                fleetId, Path.of("fleet.yaml"), envs, waves, Fleet.FailureThreshold.ofCount(maxFailures), concurrency);
    }

    private static Plan plan(SimulatedCloud cloud, String name, String fleetId) {
        SimulatedCloud.SimStack blue = cloud.deploy(name + "-blue", TEMPLATE, Map.of("AppVersion", "1.0"));
        String host = name + ".example.com";
        cloud.zone(CloudSimulation.ZONE)
                .record(
                        CloudSimulation.ZONE,
                        RecordSet.simple(host, "CNAME", 300, blue.outputs().get("Endpoint")));
        Environment env = Environment.of(name, name + "-blue")
                .withDatabase(Environment.Database.instance(blue.resource("Database")))
                .withVolume(blue.resource("DataVolume"))
                .withDns(Environment.DnsRecord.of(CloudSimulation.ZONE, host, "CNAME"));
        return Strategies.parallelUpgrade(fleetId + "-" + name, env)
                .greenStack(green(name))
                .template(TemplateRef.ofBody(TEMPLATE))
                .parameter("AppVersion", "2.0")
                .snapshotParameter("DBSnapshotIdentifier", blue.resource("Database"))
                .snapshotParameter("DataSnapshotId", blue.resource("DataVolume"))
                .check(Check.Http.of("http://${green.outputs.Endpoint}/health"))
                .freezeWrites("freeze-writes", "unfreeze-writes")
                .bake(Duration.ofMinutes(30))
                .build();
    }

    static String green(String env) {
        return env + "-green";
    }

    static Engine.Builder engine(SimulatedCloud cloud, StateStore store, Scheduler scheduler, String owner) {
        Hooks hooks = Hooks.builder()
                .action("freeze-writes", ctx -> {})
                .action("unfreeze-writes", ctx -> {})
                .build();
        return Engine.builder()
                .cloud(cloud)
                .stateStore(store)
                .scheduler(scheduler)
                .hooks(hooks)
                .owner(owner)
                .withoutLogging();
    }
}
