package io.cutover.examples;

import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.RunSummary;
import io.cutover.plan.Environment;
import io.cutover.plan.Environment.Database.Kind;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec.Check;
import io.cutover.plan.StepSpec.TemplateRef;
import io.cutover.plan.Strategies;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.SimulatedCloud;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.step.Hooks;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo: a complete parallel upgrade of a sample application on the simulated cloud, in virtual time.
 * Blue runs version 1.0; green is built beside it from snapshots of its database and data volume, tested,
 * re-synced from fresh snapshots while writes are frozen, tested again, and DNS moves to it; after a bake,
 * blue is retired with a final snapshot of its database kept.
 */
public final class DemoCutover {
    private DemoCutover() {}

    public static void main(String[] args) {
        CloudSimulation sim = CloudSimulation.create();
        Environment env = sim.deployApp("shop-prod", "shop-blue", "1.0");
        // The application keeps writing to blue's database once a minute until its writes are frozen.
        AtomicBoolean frozen = new AtomicBoolean();
        AtomicLong lastWrite = new AtomicLong();
        Runnable[] writer = new Runnable[1];
        writer[0] = () -> {
            if (!frozen.get()) {
                lastWrite.set(sim.write(env));
                sim.scheduler().schedule(Duration.ofMinutes(1), writer[0]);
            }
        };
        writer[0].run();
        Hooks hooks = Hooks.builder()
                .action("freeze-writes", ctx -> frozen.set(true))
                .action("unfreeze-writes", ctx -> frozen.set(false))
                .build();
        Plan plan = Strategies.parallelUpgrade("upgrade-2-0", env)
                .greenStack("shop-green")
                .template(TemplateRef.ofBody(CloudSimulation.sampleTemplate()))
                .parameter("AppVersion", "2.0")
                .snapshotParameter(
                        "DBSnapshotIdentifier", env.databases().get(0).id())
                .snapshotParameter("DataSnapshotId", env.volumes().get(0))
                .check(Check.Http.of("http://${green.outputs.Endpoint}/health"))
                .freezeWrites("freeze-writes", "unfreeze-writes")
                .bake(Duration.ofHours(1))
                .build();

        System.out.println("=== Dry run: what the cutover will do ===");
        System.out.println(Engine.preview(plan));
        System.out.println("=== The cutover, on the simulated cloud (virtual time) ===");
        Engine engine = sim.engine()
                .hooks(hooks)
                .withoutLogging()
                .listener(new ConsoleProgress(System.out, false))
                .build();
        long started = System.nanoTime();
        CutoverRun run = engine.start(plan);
        sim.runUntilSettled(run);
        RunState end = run.state();
        System.out.println();
        System.out.println("=== Summary ===");
        System.out.print(RunSummary.render(end));
        String greenDb = end.step(StepId.of("clone")).outputs().get("DatabaseId");
        System.out.printf(
                "  users now reach: %s; its database holds data version %d, the last write blue took "
                        + "before the freeze was version %d%n",
                sim.cloud().stackBehind(CloudSimulation.HOST).orElse("nothing"),
                sim.cloud()
                        .database(Kind.INSTANCE, greenDb)
                        .map(SimulatedCloud.SimDatabase::dataVersion)
                        .orElse(-1L),
                lastWrite.get());
        System.out.printf("  simulated in %d ms of real time%n", (System.nanoTime() - started) / 1_000_000);
        if (end.status() != RunStatus.COMPLETED) {
            System.exit(1);
        }
    }
}
