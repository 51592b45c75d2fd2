package io.cutover.bench;

import io.cutover.engine.Engine;
import io.cutover.engine.Scheduler;
import io.cutover.engine.VirtualScheduler;
import io.cutover.plan.Environment;
import io.cutover.plan.Environment.Database.Kind;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec.Check;
import io.cutover.plan.StepSpec.TemplateRef;
import io.cutover.plan.Strategies;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.simulator.SimulatedCloud;
import io.cutover.simulator.VolumeSimulation;
import io.cutover.spi.DnsProvider.RecordSet;
import io.cutover.state.InMemoryStateStore;
import io.cutover.state.StateStore;
import io.cutover.step.Hooks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One AWS account in virtual time: the simulated cloud, a state store, and any number of copies of the
 * sample application (blue), each with its own stack, database, data volume and DNS name in one hosted
 * zone, all sharing the account's rate limits.
 */
final class World {
    static final String ZONE = CloudSimulation.ZONE;
    static final Duration RECORD_TTL = Duration.ofSeconds(300);

    /** Virtual time; null for a world on the wall clock. */
    final VirtualScheduler scheduler;
    /** Where the applications' writers are scheduled: the virtual scheduler, or the wall clock's. */
    final Scheduler time;

    final SimulatedCloud cloud;
    final StateStore store;
    final Latencies latencies;
    final List<App> apps = new ArrayList<>();

    /** One deployed application and the flag its freeze hook sets. */
    static final class App {
        final int index;
        /** Its environment; a blue/green-mode seed takes its DNS record out once it draws the load balancer. */
        Environment env;

        final String host;
        boolean frozen;
        long lastWrite;
        /** When writes were last frozen, if ever. */
        java.time.Instant frozenAt;

        boolean writing;

        /** Every write blue's database accepted: when, to which database (by name), and its data version. */
        final List<Write> writes = new ArrayList<>();

        /** When and why blue's database refused the application's write, if it ever did. */
        String refused;

        /** Blue's data volume's data version when writes were last frozen (the cloud's, read by the freeze hook). */
        long volumeAtFreeze = -1;

        App(int index, Environment env, String host) {
            this.index = index;
            this.env = env;
            this.host = host;
        }

        String blueStack() {
            return env.stack();
        }

        String greenStack() {
            return "app-" + index + "-green";
        }

        String planId() {
            return "upgrade-" + index;
        }

        String database() {
            return env.databases().get(0).id();
        }

        String volume() {
            return env.volumes().get(0);
        }
    }

    World(Latencies latencies, RateLimits limits, Faults faults) {
        this.scheduler = VirtualScheduler.ofDefaults();
        this.time = scheduler;
        this.latencies = latencies;
        this.cloud = SimulatedCloud.of(scheduler::now, latencies, limits, faults);
        this.store = new InMemoryStateStore();
    }

    /** A world on the wall clock and the threads of {@code time}. */
    World(Scheduler time, Latencies latencies, RateLimits limits) {
        this.scheduler = null;
        this.time = time;
        this.latencies = latencies;
        this.cloud = SimulatedCloud.of(time::now, latencies, limits, new Faults());
        this.store = new InMemoryStateStore();
    }

    /** Deploys {@code n} applications, blue and healthy, each at {@code app-<i>.example.com} (TTL 300 s). */
    World deploy(int n) {
        return deploy(n, false);
    }

    /**
     * As {@link #deploy(int)}; with {@code weighted}, blue's record is a weighted one (set identifier
     * {@code blue}, weight 255), as a plan that shifts traffic by weights needs.
     */
    World deploy(int n, boolean weighted) {
        return deploy(n, weighted, false);
    }

    /**
     * As {@link #deploy(int, boolean)}; with {@code alias} (and not weighted), blue's record is a Route 53 alias
     * of its endpoint, with no TTL of its own.
     */
    World deploy(int n, boolean weighted, boolean alias) {
        cloud.zone(ZONE);
        String template = CloudSimulation.sampleTemplate();
        for (int i = apps.size(); i < n; i++) {
            String stack = "app-" + i + "-blue";
            SimulatedCloud.SimStack blue = cloud.deploy(stack, template, Map.of("AppVersion", "1.0"));
            String host = "app-" + i + ".example.com";
            cloud.record(
                    ZONE,
                    alias && !weighted
                            ? new RecordSet(
                                    host,
                                    "A",
                                    0,
                                    List.of(),
                                    java.util.Optional.empty(),
                                    java.util.Optional.empty(),
                                    java.util.Optional.of(new io.cutover.spi.DnsProvider.AliasTarget(
                                            "Z2FDTNDATAQYW2", blue.outputs().get("Endpoint"), false)))
                            : weighted
                                    ? new RecordSet(
                                            host,
                                            "CNAME",
                                            RECORD_TTL.toSeconds(),
                                            List.of(blue.outputs().get("Endpoint")),
                                            java.util.Optional.of("blue"),
                                            java.util.Optional.of(255),
                                            java.util.Optional.empty())
                                    : RecordSet.simple(
                                            host,
                                            "CNAME",
                                            RECORD_TTL.toSeconds(),
                                            blue.outputs().get("Endpoint")));
            Environment env = Environment.of("app-" + i, stack)
                    .withDatabase(Environment.Database.instance(blue.resource("Database")))
                    .withVolume(blue.resource("DataVolume"))
                    .withDns(
                            weighted
                                    ? new Environment.DnsRecord(ZONE, host, "CNAME", java.util.Optional.of("blue"))
                                    : Environment.DnsRecord.of(ZONE, host, alias ? "A" : "CNAME"));
            apps.add(new App(i, env, host));
        }
        return this;
    }

    /** A write the cloud accepted: when, to which database, and the data version it made. */
    record Write(java.time.Instant at, String database, long version) {}

    /**
     * Gives application {@code i} a database standing alone ({@code app-<i>-db}, as the rds-blue-green and
     * read-replica modes require) in place of its stack's.
     */
    App standAlone(int i) {
        App old = apps.get(i);
        String db = "app-" + i + "-db";
        cloud.addDatabase(Kind.INSTANCE, db, null);
        Environment env = Environment.of(old.env.name(), old.env.stack())
                .withDatabase(new Environment.Database(Kind.INSTANCE, db, false))
                .withVolume(old.volume())
                .withDns(old.env.dns().orElseThrow());
        App app = new App(i, env, old.host);
        apps.set(i, app);
        return app;
    }

    /**
     * Puts {@code app}'s blue behind an ALB listener ({@link #listener(App)}) forwarding to blue's target group, and
     * takes its DNS record out of its environment (users reach it through the load balancer).
     */
    void behindLoadBalancer(App app) {
        cloud.targetGroup(blueTargetGroup(app), app.blueStack())
                .targetGroup(greenTargetGroup(app), app.greenStack())
                .listener(listener(app), albHost(app), blueTargetGroup(app));
        app.env = Environment.of(app.env.name(), app.env.stack())
                .withDatabase(app.env.databases().get(0))
                .withVolume(app.volume());
    }

    static String albHost(App app) {
        return "app-" + app.index + "-alb.elb.example.com";
    }

    static String listener(App app) {
        return "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/app-" + app.index
                + "/50dc6c495c0c9188/f2f7dc8efc522ab2";
    }

    static String blueTargetGroup(App app) {
        return "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app-" + app.index
                + "-blue/0a1b2c3d4e5f6a7b";
    }

    static String greenTargetGroup(App app) {
        return "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app-" + app.index
                + "-green/1a2b3c4d5e6f7a8b";
    }

    /**
     * What the demo application changes on its data disk with each write (uploads, attachments, search indexes):
     * an assumption about the application, not an AWS figure. It decides how large a snapshot after the first is.
     */
    static final long DISK_MIB_PER_WRITE = 100;

    /**
     * The application writes to blue's database once a minute while its writes are not frozen, and changes
     * {@link #DISK_MIB_PER_WRITE} MiB of its data disk with each write.
     */
    void startWriting(App app) {
        if (app.writing) {
            return;
        }
        app.writing = true;
        Runnable[] w = new Runnable[1];
        w[0] = () -> {
            if (app.frozen || cloud.stack(app.blueStack()).isEmpty()) {
                app.writing = false;
                return;
            }
            try {
                app.lastWrite = cloud.write(Kind.INSTANCE, app.database());
            } catch (IllegalStateException refused) { // deleted, read-only, or not available: the users' write fails
                app.refused = time.now() + ": " + refused.getMessage();
                app.writing = false;
                return;
            }
            app.writes.add(new Write(time.now(), app.database(), app.lastWrite));
            cloud.volumeModel().write(app.volume(), DISK_MIB_PER_WRITE);
            time.schedule(Duration.ofMinutes(1), w[0]);
        };
        w[0].run();
    }

    /** Hooks for every application: {@code freeze-<i>} and {@code unfreeze-<i>}. */
    Hooks hooks(boolean writers) {
        Hooks.Builder b = Hooks.builder();
        for (App app : apps) {
            b.action("freeze-" + app.index, ctx -> {
                app.frozen = true;
                app.frozenAt = time.now();
                app.volumeAtFreeze = cloud.volumeModel()
                        .volume(app.volume())
                        .map(VolumeSimulation.View::dataVersion)
                        .orElse(-1L);
            });
            b.action("unfreeze-" + app.index, ctx -> {
                app.frozen = false;
                if (writers) {
                    startWriting(app);
                }
            });
        }
        return b.build();
    }

    /**
     * The parallel upgrade the benchmarks measure: lower the TTL; freeze writes; snapshot the database and
     * the volume (in parallel); create green from the snapshots; verify; switch DNS; bake; decommission.
     */
    Strategies.ParallelUpgrade upgrade(App app) {
        return upgrade(app, app.planId(), app.greenStack());
    }

    Strategies.ParallelUpgrade upgrade(App app, String planId, String greenStack) {
        return Strategies.parallelUpgrade(planId, app.env)
                .greenStack(greenStack)
                .template(TemplateRef.ofBody(CloudSimulation.sampleTemplate()))
                .parameter("AppVersion", "2.0")
                .snapshotParameter("DBSnapshotIdentifier", app.database())
                .snapshotParameter("DataSnapshotId", app.volume())
                .check(Check.Http.of("http://${green.outputs.Endpoint}/health"))
                .freezeWrites("freeze-" + app.index, "unfreeze-" + app.index)
                .bake(Duration.ofHours(1));
    }

    Plan benchmarkPlan(App app) {
        return upgrade(app).withoutRehearsal().build();
    }

    Engine.Builder engine(Scheduler scope, Hooks hooks) {
        return Engine.builder()
                .cloud(cloud)
                .stateStore(store)
                .scheduler(scope)
                .hooks(hooks)
                .withoutLogging();
    }
}
