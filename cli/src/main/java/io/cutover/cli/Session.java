package io.cutover.cli;

import io.cutover.CutoverException;
import io.cutover.aws.AwsClients;
import io.cutover.aws.AwsCloud;
import io.cutover.aws.AwsSecrets;
import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.RateBudget;
import io.cutover.engine.Scheduler;
import io.cutover.engine.SystemScheduler;
import io.cutover.plan.StepId;
import io.cutover.plan.file.PlanDocument;
import io.cutover.plan.file.PlanFile;
import io.cutover.simulator.CloudSimulation;
import io.cutover.state.FileStateStore;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StateStore;
import io.cutover.state.StepStatus;
import io.cutover.step.Hooks;
import io.cutover.step.StepOutcome;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * One invocation's engine and its progress display: on AWS (the SDK's default chain, with the command's
 * region, profile and endpoint) with the state in the state directory or table, or on the simulated cloud in
 * virtual time with the state in memory, where hooks are not run but reported.
 */
final class Session implements AutoCloseable {
    /** How often a cutover this tool drives re-reads its saved state for another process's changes. */
    static final Duration FOLLOW_EVERY = Duration.ofSeconds(5);
    /** How long a call in flight may take to answer after Ctrl-C before it is abandoned. */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Options options;
    private final CloudSimulation sim;
    private final Engine engine;
    private final SystemScheduler scheduler;
    private final Progress progress;
    private final AtomicReference<CutoverRun> run;
    /** The store, remembering a write it could not make; null in a simulation. */
    private final CheckedStore checked;

    private Session(
            Options options,
            CloudSimulation sim,
            Engine engine,
            SystemScheduler scheduler,
            Progress progress,
            AtomicReference<CutoverRun> run,
            CheckedStore checked) {
        this.checked = checked;
        this.options = options;
        this.sim = sim;
        this.engine = engine;
        this.scheduler = scheduler;
        this.progress = progress;
        this.run = run;
    }

    /**
     * A session for a plan file (null: the stored plan's, without commands), simulated or real, with the state
     * in {@code store} (ignored when simulated).
     */
    static Session open(Options options, PlanFile file, boolean simulate, Console console, StateStore store) {
        AtomicReference<CutoverRun> run = new AtomicReference<>();
        if (simulate) {
            CloudSimulation sim = CloudSimulation.create();
            sim.seed(file.plan());
            // virtual time jumps from event to event: the display is redrawn on events, it does not tick
            Progress progress = Progress.of(console, options.output(), () -> state(run), Optional.empty());
            Engine engine = sim.engine()
                    .hooks(simulatedHooks(file, progress::note))
                    .withoutLogging()
                    .listener(progress)
                    .secrets((id, key) -> "simulated-secret-value")
                    .build();
            return new Session(options, sim, engine, null, progress, run, null);
        }
        CheckedStore checked = new CheckedStore(store != null ? store : FileStateStore.in(options.stateDir));
        SystemScheduler scheduler = SystemScheduler.ofDefaults();
        Progress progress =
                Progress.of(console, options.output(), () -> state(run), Optional.of((Scheduler) scheduler));
        try {
            Engine engine = Engine.builder()
                    .cloud(awsCloud(options))
                    .rateBudget(RateBudget.ofAws())
                    // an approval or a rollback from another shell is noticed within seconds, not at the bake's end
                    .followEvery(FOLLOW_EVERY)
                    .pollPolicy(options.pollPolicy(System::getenv))
                    .stateStore(checked)
                    .secrets(AwsSecrets.lazily(() -> secretsClient(options)))
                    .scheduler(scheduler)
                    .hooks(file == null ? Hooks.none() : ShellHooks.from(file, progress::output))
                    .withoutLogging()
                    .listener(progress)
                    .build();
            return new Session(options, null, engine, scheduler, progress, run, checked);
        } catch (RuntimeException e) {
            progress.close();
            scheduler.close();
            throw e;
        }
    }

    /**
     * The account checks of a plan ({@link Engine#check}) on AWS with the command's options, read-only: an engine
     * with no state, whose hooks are the plan file's (not run, only named).
     */
    static io.cutover.engine.AccountCheck.Report check(Options options, PlanFile file, Console console) {
        Engine engine = Engine.builder()
                .cloud(awsCloud(options))
                .stateStore(new io.cutover.state.InMemoryStateStore())
                .hooks(ShellHooks.from(file, line -> {}))
                .withoutLogging()
                .build();
        return engine.check(file.plan(), Session::sleep);
    }

    /**
     * The account checks before the first change of a run ({@link Engine#check}); in a simulation the wait for a
     * change set is virtual. Notes go to the display; a plan the checks refuse is thrown as invalid.
     */
    void check(io.cutover.plan.Plan plan) {
        io.cutover.engine.AccountCheck.Report report =
                engine.checkBeforeStart(plan, sim != null ? d -> sim.scheduler().runFor(d) : Session::sleep);
        report.notes().forEach(n -> progress.note("check: " + n));
        if (!report.passed()) {
            throw new io.cutover.InvalidPlanException(report.problems());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CutoverException("interrupted while waiting for AWS to compute a check", e);
        }
    }

    private static RunState state(AtomicReference<CutoverRun> run) {
        CutoverRun r = run.get();
        return r == null ? null : r.state();
    }

    private static SecretsManagerClient secretsClient(Options options) {
        return options.configure(SecretsManagerClient.builder()).build();
    }

    private static AwsCloud awsCloud(Options options) {
        // A missing region or credentials is one line naming it and the fix (exit 2), before any client is built;
        // the region found (perhaps the profile's) is then every client's, Secrets Manager's and IAM's too.
        options.region = AwsSetup.check(options);
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
            // Run Command (run-command steps) beside the four services every cutover uses
            return AwsCloud.builder()
                    .clients(b.build())
                    .access(
                            () -> options.configure(software.amazon.awssdk.services.iam.IamClient.builder())
                                    .build(),
                            () -> options.configure(software.amazon.awssdk.services.sts.StsClient.builder())
                                    .build())
                    .elasticLoadBalancing(b.buildElasticLoadBalancing())
                    .sns(b.configure(software.amazon.awssdk.services.sns.SnsClient.builder())
                            .build())
                    .cloudWatch(b.configure(software.amazon.awssdk.services.cloudwatch.CloudWatchClient.builder())
                            .build())
                    .ssm(b.ssm())
                    .build();
        } catch (RuntimeException e) {
            throw new AwsSetup.AwsSetupException("cannot set up the AWS clients: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                    + "; set --region (or AWS_REGION) and credentials (--profile, or AWS_ACCESS_KEY_ID)");
        }
    }

    /** In a simulation no command runs: each hook and check reports what it would have run. */
    private static Hooks simulatedHooks(PlanFile file, Consumer<String> notes) {
        Hooks.Builder b = Hooks.builder();
        for (Map.Entry<String, PlanDocument.Command> h : file.hooks().entrySet()) {
            b.hook(h.getKey(), ctx -> {
                // shown with the values its references have, as the shell would get them (never a secret:
                // a command line cannot hold one)
                notes.accept("  (simulated) hook " + h.getKey() + " would run: "
                        + io.cutover.plan.file.HookCommand.resolveValue(
                                h.getValue().run(), ctx::resolve));
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

    Progress progress() {
        return progress;
    }

    boolean simulated() {
        return sim != null;
    }

    /** The cutover this session follows, once started or taken over: the display reads its state. */
    void follow(CutoverRun r) {
        run.set(r);
    }

    /**
     * Drives the cutover until it settles; in a simulation, gates are approved when {@code autoApprove}. The
     * display's last frame stays on the screen. A state that could not be saved ends it with an error.
     */
    RunState await(CutoverRun r, boolean autoApprove) {
        follow(r);
        try {
            if (sim == null) {
                RunState end;
                // Ctrl-C or SIGTERM: the call in flight answers (or is abandoned), the state is saved as it stands,
                // and the operator is told how to go on.
                Thread onSignal = new Thread(
                        () -> {
                            RunState s = r.stop(STOP_GRACE);
                            progress.close();
                            System.err.println(System.lineSeparator() + "stopped: cutover " + r.id() + " is saved as "
                                    + s.status() + "; resume it with: cutover resume " + r.id());
                            System.err.flush();
                        },
                        "cutover-stop");
                Runtime.getRuntime().addShutdownHook(onSignal);
                try {
                    end = r.awaitSettled(Duration.ofDays(30));
                } catch (io.cutover.CutoverException e) {
                    removeHook(onSignal);
                    checked.check();
                    if (e.getCause() instanceof io.cutover.TakenOverException t) {
                        throw new io.cutover.TakenOverException(
                                t.getMessage() + "; follow it with: cutover status " + r.id() + " --watch", t.newer());
                    }
                    if (e.getCause() instanceof io.cutover.FenceLostException lost) {
                        throw lost;
                    }
                    throw e;
                }
                removeHook(onSignal);
                checked.check();
                return end;
            }
            while (true) {
                sim.runUntilSettled(r);
                RunState s = r.state();
                if (s.status() != RunStatus.WAITING || !autoApprove) {
                    return s;
                }
                for (var e : s.steps().entrySet()) {
                    if (e.getValue().status() == StepStatus.WAITING) {
                        progress.note("  (simulated) approving gate " + e.getKey());
                        r.approve(StepId.of(e.getKey()).value());
                    }
                }
            }
        } finally {
            progress.close();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running (Ctrl-C): it tells the operator
        }
    }

    @Override
    public void close() {
        progress.close();
        if (scheduler != null) {
            scheduler.close();
        }
    }

    Options options() {
        return options;
    }
}
