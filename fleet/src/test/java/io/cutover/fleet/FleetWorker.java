package io.cutover.fleet;

import io.cutover.dynamodb.DynamoDbStateStore;
import io.cutover.dynamodb.StateTable;
import io.cutover.engine.Engine;
import io.cutover.engine.SystemScheduler;
import io.cutover.event.CutoverEvent;
import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.plan.file.PlanFile;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.simulator.SimulatedCloud;
import io.cutover.step.Hooks;
import io.cutover.step.StepOutcome;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One "machine" of {@link TwoMachinesFleetIT}, run in a JVM of its own: it runs the fleet against the
 * DynamoDB table and writes what it does to a log, one line per fact ({@code <epoch ms> <FACT> <environment>}).
 * Every environment's cloud is simulated (in this JVM); its plan is hooks only (prepare, a two-second
 * upgrade, switch), so that a takeover by the other JVM needs nothing but the stored state.
 *
 * <p>Arguments: endpoint, region, table, owner, environments, lease (ms), heartbeat (ms), log file.
 */
public final class FleetWorker {
    static final Duration UPGRADE_TAKES = Duration.ofSeconds(2);

    private FleetWorker() {}

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String region = args[1];
        StateTable table = StateTable.named(args[2]);
        String owner = args[3];
        int size = Integer.parseInt(args[4]);
        Duration lease = Duration.ofMillis(Long.parseLong(args[5]));
        Duration heartbeat = Duration.ofMillis(Long.parseLong(args[6]));
        Path logFile = Path.of(args[7]);

        try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile), true);
                DynamoDbClient dynamo = Dynamo.client(endpoint, region, "testing", "testing");
                SystemScheduler scheduler = SystemScheduler.of(4);
                DynamoDbLeases leases = DynamoDbLeases.builder(dynamo, table)
                        .owner(owner)
                        .leaseDuration(lease)
                        .heartbeat(heartbeat)
                        .build()) {
            Fact fact = (what, env) -> {
                synchronized (log) {
                    log.println(System.currentTimeMillis() + " " + what + " " + env);
                }
            };
            DynamoDbStateStore store = DynamoDbStateStore.of(dynamo, table);
            SimulatedCloud cloud = SimulatedCloud.of(
                    Clock.systemUTC()::instant, Latencies.zero(), RateLimits.unlimited(), new Faults());
            Fleet fleet = fleet(cloud, size);
            Hooks hooks = Hooks.builder()
                    .action("prepare", ctx -> {})
                    .hook(
                            "upgrade",
                            ctx -> Duration.between(ctx.startedAt(), ctx.now()).compareTo(UPGRADE_TAKES) >= 0
                                    ? StepOutcome.Done.of()
                                    : StepOutcome.Pending.after(Duration.ofMillis(200), "upgrade", "installing 2.0"))
                    .action(
                            "switch",
                            ctx -> fact.log("SWITCHED", ctx.plan().environment().name()))
                    .build();
            FleetRunner.FleetRun run = FleetRunner.builder()
                    .fleet(fleet)
                    .store(store)
                    .leases(leases)
                    .engines(e -> Engine.builder()
                            .cloud(cloud)
                            .stateStore(store)
                            .scheduler(scheduler)
                            .hooks(hooks)
                            .owner(owner)
                            .withoutLogging()
                            .listener(event -> {
                                if (event instanceof CutoverEvent.RunStarted s) {
                                    fact.log("STARTED", s.environment());
                                } else if (event instanceof CutoverEvent.RunResumed r) {
                                    fact.log("RESUMED", r.environment());
                                } else if (event instanceof CutoverEvent.RunSettled s) {
                                    fact.log("SETTLED-" + s.status(), e.name());
                                }
                            })
                            .build())
                    .scheduler(scheduler)
                    .checkEvery(Duration.ofMillis(250))
                    .startSpacing(Duration.ZERO)
                    .build()
                    .start();
            FleetSummary end = run.finished().get(100, TimeUnit.SECONDS);
            fact.log("FINISHED", end.counts().toString().replace(' ', '_'));
            System.out.println(end.render());
        }
        System.exit(0);
    }

    @FunctionalInterface
    interface Fact {
        void log(String what, String env);
    }

    /** The same fleet in both JVMs: {@code size} environments, a canary wave of one, three at a time. */
    static Fleet fleet(SimulatedCloud cloud, int size) {
        List<FleetEnvironment> envs = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            String name = "tenant-" + i;
            cloud.deploy(name + "-blue", SimFleet.TEMPLATE, Map.of("AppVersion", "1.0"));
            Plan plan = Plan.of(
                    "up-" + name,
                    Environment.of(name, name + "-blue"),
                    List.of(
                            hook("prepare", List.of()),
                            hook("upgrade", List.of("prepare")),
                            hook("switch", List.of("upgrade"))));
            envs.add(new FleetEnvironment(
                    name,
                    i == 1 ? 0 : 1,
                    Optional.empty(),
                    Optional.empty(),
                    new PlanFile(Path.of("plan.yaml"), plan, Map.of(), Map.of())));
        }
        return new Fleet(
                "two-machines",
                Path.of("fleet.yaml"),
                envs,
                List.of(1, size - 1),
                Fleet.FailureThreshold.ofCount(0),
                3);
    }

    private static StepSpec hook(String id, List<String> after) {
        return new StepSpec.Hook(
                StepId.of(id), after.stream().map(StepId::of).toList(), id, Optional.empty(), null, null);
    }
}
