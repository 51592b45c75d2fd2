package io.cutover.cli;

import io.cutover.CutoverException;
import io.cutover.aws.AwsClients;
import io.cutover.aws.AwsCloud;
import io.cutover.aws.AwsSecrets;
import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.SystemScheduler;
import io.cutover.event.CutoverListener;
import io.cutover.plan.StepId;
import io.cutover.plan.file.PlanDocument;
import io.cutover.plan.file.PlanFile;
import io.cutover.state.FileStateStore;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StepStatus;
import io.cutover.step.Hooks;
import io.cutover.step.StepOutcome;
import io.cutover.testkit.CloudSimulation;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * One invocation's engine: on AWS (the SDK's default chain, with the command's region, profile and
 * endpoint) with the state in the state directory, or on the simulated cloud in virtual time with the
 * state in memory, where hooks are not run but reported.
 */
final class Session {
    private final Options options;
    private final PrintWriter out;
    private final CloudSimulation sim;
    private final Engine engine;
    private final SystemScheduler scheduler;
    private final CheckedStore checked;

    private Session(
            Options options,
            PrintWriter out,
            CloudSimulation sim,
            Engine engine,
            SystemScheduler scheduler,
            CheckedStore checked) {
        this.checked = checked;
        this.options = options;
        this.out = out;
        this.sim = sim;
        this.engine = engine;
        this.scheduler = scheduler;
    }

    /** A session for a plan file, simulated or real; {@code display} follows the cutover. */
    static Session open(
            Options options, PlanFile file, boolean simulate, PrintWriter out, Supplier<CutoverListener> display) {
        return open(options, file, simulate, out, display, null);
    }

    /** As above, with the state in {@code store} (the state directory when null). */
    static Session open(
            Options options,
            PlanFile file,
            boolean simulate,
            PrintWriter out,
            Supplier<CutoverListener> display,
            io.cutover.state.StateStore store) {
        if (simulate) {
            CloudSimulation sim = CloudSimulation.create();
            sim.seed(file.plan());
            Hooks hooks = simulatedHooks(file, out);
            Engine engine = sim.engine()
                    .hooks(hooks)
                    .withoutLogging()
                    .listener(display.get())
                    .secrets((id, key) -> "simulated-secret-value")
                    .build();
            return new Session(options, out, sim, engine, null, null);
        }
        CheckedStore checked = new CheckedStore(store != null ? store : FileStateStore.in(options.stateDir));
        SystemScheduler scheduler = SystemScheduler.ofDefaults();
        Engine engine = Engine.builder()
                .cloud(awsCloud(options))
                .stateStore(checked)
                .secrets(AwsSecrets.of(secretsClient(options)))
                .scheduler(scheduler)
                .hooks(file == null ? Hooks.none() : ShellHooks.from(file))
                .withoutLogging()
                .listener(display.get())
                .build();
        return new Session(options, out, null, engine, scheduler, checked);
    }

    private static SecretsManagerClient secretsClient(Options options) {
        return options.configure(SecretsManagerClient.builder()).build();
    }

    private static AwsCloud awsCloud(Options options) {
        AwsClients.Builder b = AwsClients.builder();
        if (options.region != null) {
            b.region(options.region);
        }
        if (options.profile != null) {
            b.profile(options.profile);
        }
        if (options.endpointUrl != null) {
            b.endpointOverride(URI.create(options.endpointUrl));
        }
        try {
            return AwsCloud.of(b.build());
        } catch (RuntimeException e) {
            throw new CutoverException(
                    "cannot reach AWS: " + e.getMessage() + "; set --region (or AWS_REGION) and "
                            + "credentials (--profile, or the SDK's environment variables)",
                    e);
        }
    }

    /** In a simulation no command runs: each hook and check reports what it would have run. */
    private static Hooks simulatedHooks(PlanFile file, PrintWriter out) {
        Hooks.Builder b = Hooks.builder();
        for (Map.Entry<String, PlanDocument.Command> h : file.hooks().entrySet()) {
            b.hook(h.getKey(), ctx -> {
                out.println("  (simulated) hook " + h.getKey() + " would run: "
                        + h.getValue().run());
                return StepOutcome.Done.of();
            });
        }
        for (Map.Entry<String, PlanDocument.Command> c : file.checks().entrySet()) {
            b.check(c.getKey(), ctx -> Hooks.CheckResult.healthy());
        }
        return b.build();
    }

    Engine engine() {
        return engine;
    }

    boolean simulated() {
        return sim != null;
    }

    /** Drives the cutover until it settles; in a simulation, gates are approved when {@code autoApprove}. */
    RunState await(CutoverRun run, boolean autoApprove) {
        if (sim == null) {
            RunState end;
            try {
                end = run.awaitSettled(Duration.ofDays(30));
            } catch (io.cutover.CutoverException e) {
                checked.check();
                throw e;
            }
            checked.check();
            return end;
        }
        while (true) {
            sim.runUntilSettled(run);
            RunState s = run.state();
            if (s.status() != RunStatus.WAITING || !autoApprove) {
                return s;
            }
            for (var e : s.steps().entrySet()) {
                if (e.getValue().status() == StepStatus.WAITING) {
                    out.println("  (simulated) approving gate " + e.getKey());
                    run.approve(StepId.of(e.getKey()).value());
                }
            }
        }
    }

    void close() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    Options options() {
        return options;
    }
}
