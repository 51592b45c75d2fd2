package io.cutover.scenarios;

import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.event.CutoverEvent;
import io.cutover.plan.Environment;
import io.cutover.plan.Environment.Database.Kind;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec.Check;
import io.cutover.plan.StepSpec.TemplateRef;
import io.cutover.plan.Strategies;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.SimulatedCloud;
import io.cutover.step.Hooks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** A running application on the simulated cloud, and the parallel upgrade of it that the scenarios run. */
final class Fixture {
    final CloudSimulation sim;
    final SimulatedCloud cloud;
    final Environment env;
    final AtomicBoolean frozen = new AtomicBoolean();
    final AtomicLong lastWrite = new AtomicLong();
    final List<CutoverEvent> events = new ArrayList<>();
    final Hooks hooks;

    Fixture() {
        this(CloudSimulation.create());
    }

    Fixture(CloudSimulation sim) {
        this.sim = sim;
        this.cloud = sim.cloud();
        this.env = sim.deployApp("shop-prod", "shop-blue", "1.0");
        this.hooks = Hooks.builder()
                .action("freeze-writes", ctx -> frozen.set(true))
                .action("unfreeze-writes", ctx -> {
                    frozen.set(false);
                    startWriting();
                })
                .build();
        startWriting();
    }

    /** The application writes to blue's database once a minute while writes are not frozen. */
    void startWriting() {
        Runnable[] w = new Runnable[1];
        w[0] = () -> {
            if (!frozen.get()
                    && cloud.stack("shop-blue").isPresent()
                    && writesUntil.get() > sim.scheduler().now().toEpochMilli()) {
                lastWrite.set(sim.write(env));
                sim.scheduler().schedule(Duration.ofMinutes(1), w[0]);
            }
        };
        w[0].run();
    }

    private final AtomicLong writesUntil =
            new AtomicLong(java.time.Instant.parse("2026-01-01T06:00:00Z").toEpochMilli());

    String blueDb() {
        return env.databases().get(0).id();
    }

    long blueDataVersion() {
        return cloud.database(Kind.INSTANCE, blueDb()).orElseThrow().dataVersion();
    }

    Strategies.ParallelUpgrade upgrade(String planId) {
        return upgrade(planId, env);
    }

    /** The same upgrade of an environment described otherwise (blue's stack and DNS record as deployed). */
    Strategies.ParallelUpgrade upgrade(String planId, Environment env) {
        return Strategies.parallelUpgrade(planId, env)
                .greenStack("shop-green")
                .template(TemplateRef.ofBody(CloudSimulation.sampleTemplate()))
                .parameter("AppVersion", "2.0")
                .snapshotParameter("DBSnapshotIdentifier", blueDb())
                .snapshotParameter("DataSnapshotId", env.volumes().get(0))
                .check(Check.Http.of("http://${green.outputs.Endpoint}/health"))
                .freezeWrites("freeze-writes", "unfreeze-writes")
                .bake(Duration.ofHours(1));
    }

    Plan plan() {
        return upgrade("upgrade-2-0").build();
    }

    Engine engine() {
        return sim.engine().hooks(hooks).listener(events::add).build();
    }

    CutoverRun runToEnd(Plan plan) {
        CutoverRun run = engine().start(plan);
        sim.runUntilSettled(run);
        return run;
    }

    /** Runs virtual time until the predicate holds (the cutover keeps going in the background). */
    void runUntil(java.util.function.BooleanSupplier done) {
        sim.scheduler().runWhile(() -> !done.getAsBoolean());
    }
}
