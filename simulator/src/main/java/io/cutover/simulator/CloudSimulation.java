package io.cutover.simulator;

import io.cutover.engine.Engine;
import io.cutover.engine.Scheduler;
import io.cutover.engine.VirtualScheduler;
import io.cutover.plan.Environment;
import io.cutover.plan.Environment.Database.Kind;
import io.cutover.spi.DnsProvider.RecordSet;
import io.cutover.state.InMemoryStateStore;
import io.cutover.state.StateStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A whole world for rehearsing cutovers: virtual time, the simulated cloud on that time, a state store,
 * and a running application ("blue") to cut over. Everything runs on the caller's thread.
 *
 * <pre>{@code
 * CloudSimulation sim = CloudSimulation.create();
 * Environment env = sim.deployApp("shop-prod", "shop-blue", "1.0");
 * Engine engine = sim.engine().hooks(hooks).build();
 * CutoverRun run = engine.start(plan);
 * sim.runUntilSettled(run);
 * }</pre>
 */
public final class CloudSimulation {
    /** The hosted zone of the sample application. */
    public static final String ZONE = "Z0SIMULATED0ZONE";
    /** The name users reach the sample application by. */
    public static final String HOST = "app.example.com";

    private final VirtualScheduler scheduler;
    private final SimulatedCloud cloud;
    private final StateStore store;

    private CloudSimulation(VirtualScheduler scheduler, SimulatedCloud cloud, StateStore store) {
        this.scheduler = scheduler;
        this.cloud = cloud;
        this.store = store;
    }

    /** AWS's default latencies and rate limits, no faults, state in memory. */
    public static CloudSimulation create() {
        VirtualScheduler s = VirtualScheduler.ofDefaults();
        return new CloudSimulation(s, SimulatedCloud.on(s::now), new InMemoryStateStore());
    }

    public static CloudSimulation create(Latencies latencies, RateLimits limits, Faults faults, StateStore store) {
        VirtualScheduler s = VirtualScheduler.ofDefaults();
        return new CloudSimulation(s, SimulatedCloud.of(s::now, latencies, limits, faults), store);
    }

    public VirtualScheduler scheduler() {
        return scheduler;
    }

    public SimulatedCloud cloud() {
        return cloud;
    }

    public StateStore store() {
        return store;
    }

    /** An engine builder on this world's cloud, store and time (a new scope of it: a new "process"). */
    public Engine.Builder engine() {
        return engine(scheduler.scope());
    }

    public Engine.Builder engine(Scheduler scope) {
        return Engine.builder().cloud(cloud).stateStore(store).scheduler(scope);
    }

    /** The sample application's CloudFormation template (JSON). */
    public static String sampleTemplate() {
        try (InputStream in = CloudSimulation.class.getResourceAsStream("sample-app.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deploys the sample application as blue: a stack with a database, a data volume and a server, and a
     * CNAME {@link #HOST} (TTL 300 s) pointing at it. Returns the environment that describes it.
     */
    public Environment deployApp(String environment, String stackName, String version) {
        SimulatedCloud.SimStack blue = cloud.deploy(stackName, sampleTemplate(), Map.of("AppVersion", version));
        cloud.zone(ZONE)
                .record(
                        ZONE,
                        RecordSet.simple(HOST, "CNAME", 300, blue.outputs().get("Endpoint")));
        return Environment.of(environment, stackName)
                .withDatabase(Environment.Database.instance(blue.resource("Database")))
                .withVolume(blue.resource("DataVolume"))
                .withDns(Environment.DnsRecord.of(ZONE, HOST, "CNAME"));
    }

    /**
     * Builds blue as a plan's environment describes it, so that any plan can be rehearsed: its stack from
     * {@code templateBody} (the sample application's template when none is given), its databases, volumes,
     * DNS record (pointing at the stack's first output that looks like a host name) and address (on the
     * stack's first instance), each with the ids the environment gives.
     */
    public void seed(Environment env, java.util.Optional<String> templateBody) {
        SimulatedCloud.SimStack blue;
        try {
            blue = cloud.deploy(
                    env.stack(),
                    templateBody.orElse(sampleTemplate()),
                    standIns(env, templateBody.orElse(sampleTemplate())));
        } catch (io.cutover.spi.ProviderException e) {
            // A template the simulated cloud cannot deploy is replaced by the sample application's.
            blue = cloud.deploy(env.stack(), sampleTemplate(), Map.of());
        }
        for (Environment.Database db : env.databases()) {
            if (cloud.database(db.kind(), db.id()).isEmpty()) {
                cloud.addDatabase(db.kind(), db.id(), db.ownedByStack() ? env.stack() : null);
            }
        }
        for (String v : env.volumes()) {
            cloud.addVolume(v, env.stack());
        }
        String host = blue.outputs().values().stream()
                .filter(v -> v.matches("[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"))
                .findFirst()
                .orElse(env.stack() + ".sim.local");
        SimulatedCloud.SimStack seeded = blue;
        env.dns()
                .ifPresent(r -> cloud.zone(r.zoneId())
                        .record(
                                r.zoneId(),
                                new RecordSet(
                                        r.name(),
                                        r.type(),
                                        300,
                                        java.util.List.of(host),
                                        r.setIdentifier(),
                                        r.setIdentifier().map(x -> 255),
                                        java.util.Optional.empty())));
        env.address()
                .ifPresent(a -> cloud.addAddress(
                        a,
                        seeded.resources().values().stream()
                                .filter(x -> x.startsWith("i-"))
                                .findFirst()
                                .orElse("i-blue")));
    }

    /**
     * Builds what a plan needs to find, as {@link #seed(Environment, java.util.Optional)} does, and also every
     * other stack its in-place updates name (a backup stack, say), from the template the step gives, and the
     * CloudWatch alarms its checks name (in OK).
     */
    public void seed(io.cutover.plan.Plan plan) {
        Environment env = plan.environment();
        io.cutover.step.kinds.StepKinds kinds = io.cutover.step.kinds.StepKinds.builtIn();
        // Blue's template is the first one a step gives for blue's stack with its body in the plan.
        java.util.Optional<String> template = java.util.Optional.empty();
        Map<String, java.util.Optional<io.cutover.plan.StepSpec.TemplateRef>> others = new java.util.LinkedHashMap<>();
        for (io.cutover.plan.StepSpec s : plan.steps()) {
            for (var named : kinds.of(s).templates(s, env).entrySet()) {
                if (named.getKey().equals(env.stack())) {
                    if (template.isEmpty()) {
                        template = named.getValue().flatMap(io.cutover.plan.StepSpec.TemplateRef::body);
                    }
                } else if (!named.getKey().contains("${")) {
                    others.putIfAbsent(named.getKey(), named.getValue());
                }
            }
        }
        seed(env, template);
        others.forEach((stack, t) -> {
            if (cloud.stack(stack).isEmpty()) {
                String body =
                        t.flatMap(io.cutover.plan.StepSpec.TemplateRef::body).orElse(sampleTemplate());
                try {
                    cloud.deploy(stack, body, Map.of());
                } catch (io.cutover.spi.ProviderException e) {
                    cloud.deploy(stack, sampleTemplate(), Map.of());
                }
            }
        });
        // The alarms the checks name exist, quiet (a rehearsal's fault can set one off).
        for (io.cutover.plan.StepSpec s : plan.steps()) {
            for (io.cutover.plan.StepSpec.Check c : io.cutover.plan.PlanValidator.checksOf(kinds, s)) {
                if (c instanceof io.cutover.plan.StepSpec.Check.Alarm a
                        && !a.name().contains("${")) {
                    cloud.alarm(a.name(), io.cutover.spi.AlarmProvider.AlarmState.OK);
                }
            }
        }
    }

    /** Values for the parameters a template requires (no default): blue's stack name stands in for each. */
    private static Map<String, String> standIns(Environment env, String templateBody) {
        Map<String, String> out = new java.util.HashMap<>();
        try {
            SimTemplate.parse(templateBody).parameters.forEach((k, v) -> {
                if (v.isEmpty()) {
                    out.put(k, env.stack());
                }
            });
        } catch (io.cutover.spi.ProviderException e) {
            // not a template the simulated cloud reads; the caller falls back to the sample
        }
        return out;
    }

    /** The sample application writes once to its database. */
    public long write(Environment env) {
        return cloud.write(Kind.INSTANCE, env.databases().get(0).id());
    }

    /** Runs virtual time until the cutover settles (or nothing is left to run). */
    public void runUntilSettled(io.cutover.engine.CutoverRun run) {
        scheduler.runWhile(() -> !run.settled().isDone());
    }
}
