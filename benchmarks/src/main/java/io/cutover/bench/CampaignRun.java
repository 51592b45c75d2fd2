package io.cutover.bench;

import io.cutover.FailureType;
import io.cutover.InvalidPlanException;
import io.cutover.RefusedException;
import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.VirtualScheduler;
import io.cutover.event.CutoverEvent;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.simulator.SimulatedCloud;
import io.cutover.spi.ApiService;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.FailureKind;
import io.cutover.spi.RateLimit;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.step.Hooks;
import io.cutover.step.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One seeded simulation of a whole cutover with random faults and crashes, and the invariants checked at
 * its end. The seed decides everything (the plan's shape, the faults, when the process dies), so a seed
 * replays exactly.
 */
final class CampaignRun {
    /** How long (virtual) a cutover may take before the campaign calls it unsettled. */
    static final Duration HORIZON = Duration.ofHours(12);

    /** What one seed did and what was wrong at its end. */
    record Result(
            long seed,
            List<String> faults,
            int crashes,
            int resumes,
            String outcome,
            List<String> violations,
            int injected,
            java.util.Set<String> paths) {}

    /** One successful save, and which engine ("process") made it. */
    record Commit(int process, Instant at, long version) {}

    private final long seed;
    private final Random r;
    private final Consumer<String> trace;
    private final List<String> faults = new ArrayList<>();
    private final List<CutoverEvent> events = new ArrayList<>();
    private final List<Commit> commits = new ArrayList<>();
    private final Map<String, Instant> succeededAt = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final java.util.Set<String> paths = new java.util.TreeSet<>();
    private int crashes;
    private int resumes;

    CampaignRun(long seed, Consumer<String> trace) {
        this.seed = seed;
        this.r = new Random(seed);
        this.trace = trace;
    }

    private boolean chance(double p) {
        return r.nextDouble() < p;
    }

    private static final List<String> FAILING_OPERATIONS = List.of(
            "CreateDBSnapshot",
            "CreateSnapshot",
            "CreateStack",
            "ChangeResourceRecordSets",
            "DeleteStack",
            "ExecuteChangeSet",
            "DescribeDBSnapshots",
            "GetChange",
            "DeleteDBSnapshot");
    private static final List<String> LOST_ANSWERS = List.of(
            "CreateDBSnapshot",
            "CreateSnapshot",
            "CreateStack",
            "ChangeResourceRecordSets",
            "ChangeResourceRecordSets",
            "DeleteStack",
            "ExecuteChangeSet",
            "CreateChangeSet",
            "DeleteDBSnapshot",
            "DeleteSnapshot");
    private static final List<String> THROTTLED_OPERATIONS = List.of(
            "DescribeStacks",
            "DescribeDBSnapshots",
            "DescribeSnapshots",
            "GetChange",
            "CreateStack",
            "CreateDBSnapshot",
            "ChangeResourceRecordSets",
            "ListResourceRecordSets",
            "DeleteStack");

    Result run() {
        // ---- the world and its faults, all drawn from the seed
        Faults f = new Faults();
        RateLimits limits = RateLimits.ofAws();
        if (chance(0.05)) {
            limits = limits.with(ApiService.CLOUDFORMATION, RateLimit.of(2, 0.2))
                    .with(ApiService.ROUTE53, RateLimit.of(1, 0.5))
                    .with(ApiService.RDS, RateLimit.of(3, 0.5));
            faults.add("tight rate limits");
        }
        boolean weighted = chance(0.25);
        // Seeds ending in 1 (not weighted) have blue behind a Route 53 alias: chosen by the seed, not drawn.
        boolean alias = !weighted && CampaignPlans.alias(seed);
        // Seeds ending in 4 or 6 run a blue/green mode (chosen by the seed): blue's database stands alone, and blue's
        // record is a simple one whatever was drawn.
        CampaignPlans.Sync sync = CampaignPlans.sync(seed);
        boolean syncMode = sync != CampaignPlans.Sync.SNAPSHOT_RESTORE;
        World w = new World(Latencies.ofDefaults(), limits, f).deploy(1, weighted && !syncMode, alias);
        World.App app = syncMode ? w.standAlone(0) : w.apps.get(0);
        Instant t0 = w.scheduler.now();
        if (chance(0.2)) {
            String op = pick(THROTTLED_OPERATIONS);
            int n = 3 + r.nextInt(25);
            f.failNext(op, FailureKind.THROTTLING, n);
            faults.add("throttling burst: " + n + "x " + op);
        }
        if (chance(0.15)) {
            // Past the preflight (a storm at the start only refuses the cutover, which tests nothing).
            ApiService service = pick(List.of(
                    ApiService.CLOUDFORMATION,
                    ApiService.RDS,
                    ApiService.ROUTE53,
                    ApiService.EC2_DESCRIBE,
                    ApiService.EC2_MUTATE));
            Duration from = Duration.ofMinutes(2 + r.nextInt(120));
            Duration length = Duration.ofMinutes(2 + r.nextInt(14));
            f.throttlingStorm(service, t0.plus(from), length);
            faults.add("throttling storm: " + service + " at +" + from.toMinutes() + " min for " + length.toMinutes()
                    + " min");
        }
        if (chance(0.25)) {
            double rate = 0.01 + r.nextDouble() * 0.09;
            f.transientErrors(rate, r.nextLong());
            faults.add(String.format("transient errors %.0f%%", rate * 100));
        }
        if (chance(0.12)) {
            String op = pick(FAILING_OPERATIONS);
            f.failNext(op, chance(0.5) ? FailureKind.PERMANENT : FailureKind.INVALID_REQUEST, 1);
            faults.add("operation fails: " + op);
        }
        if (chance(0.3)) {
            String op = pick(LOST_ANSWERS);
            int n = 1 + r.nextInt(2);
            f.loseAnswers(op, n);
            faults.add("answer lost: " + n + "x " + op);
        }
        if (chance(0.2)) {
            Duration window = Duration.ofSeconds(1 + r.nextInt(60));
            f.eventualConsistency(window);
            faults.add("eventual consistency: " + window.toSeconds() + " s");
        }
        if (chance(0.08)) {
            f.rollbackStack(app.greenStack());
            faults.add("green's stack rolls back");
        } else if (chance(0.04)) {
            f.rollbackFails(app.greenStack());
            faults.add("green's stack rolls back and its rollback fails");
        }
        if (chance(0.06)) {
            f.unhealthy(app.greenStack());
            faults.add("green unhealthy");
        }
        boolean greenFailsAfterSwitch = chance(0.15);
        if (greenFailsAfterSwitch) {
            faults.add("green fails after the switch");
        }
        boolean finalSnapshotFails = chance(0.1);
        String finalSnapshotSource = chance(0.5) ? app.database() : app.volume();
        if (finalSnapshotFails) {
            faults.add("the final snapshot fails: " + finalSnapshotSource);
        }
        if (chance(0.07)) {
            f.deleteFails(app.blueStack());
            faults.add("blue's stack fails to delete");
        }
        if (chance(0.1)) {
            boolean full = chance(0.3);
            Duration from = Duration.ofMinutes(r.nextInt(90));
            Duration length = Duration.ofMinutes(5 + r.nextInt(60));
            f.databaseState(
                    app.database(),
                    full ? DatabaseProvider.Status.FAILED : DatabaseProvider.Status.MODIFYING,
                    t0.plus(from),
                    length);
            faults.add("blue's database " + (full ? "storage-full" : "backing-up") + ": at +" + from.toMinutes()
                    + " min for " + length.toMinutes() + " min");
        }
        if (chance(0.05)) {
            String src = chance(0.5) ? app.database() : app.volume();
            f.snapshotNeverCompletes(src);
            faults.add("snapshot never completes: " + src);
        } else if (chance(0.05)) {
            String src = chance(0.5) ? app.database() : app.volume();
            f.snapshotFails(src);
            faults.add("snapshot fails: " + src);
        }
        if (chance(0.15)) {
            Duration slow = Duration.ofMinutes(1 + r.nextInt(30));
            f.slowDns(slow);
            faults.add("DNS slow to sync: +" + slow.toMinutes() + " min");
        }
        if (chance(0.15)) {
            double rate = 0.1 + r.nextDouble() * 0.3;
            f.flakyChecks(rate);
            faults.add(String.format("checks flap: %.0f%% of probes fail", rate * 100));
        }
        String failingHook = chance(0.12) ? (chance(0.5) ? "freeze-0" : "unfreeze-0") : null;
        int hookFailures = 1 + r.nextInt(3);
        boolean hookRefuses = chance(0.3);
        if (failingHook != null) {
            faults.add("hook " + failingHook + (hookRefuses ? " refuses" : " fails " + hookFailures + "x"));
        }
        // ---- the plan, of one of the shapes the product supports
        CampaignPlans.Drawn drawn = CampaignPlans.draw(seed, r, w, app, weighted);
        Plan plan = drawn.plan();
        boolean gate = drawn.gate();
        faults.add("plan: " + drawn.shape());
        boolean blueFailsAfterUpdate = drawn.inPlace() && chance(0.3);
        if (blueFailsAfterUpdate) {
            faults.add("blue unhealthy once updated");
        }
        int crashPlan = r.nextInt(10);
        // 0-3: dies at a step boundary; 4-5: dies at a random time; 6: a second process resumes while the first
        // still runs; 7-9: no crash.
        int dieAt = crashPlan <= 3 ? 1 + r.nextInt(45) : Integer.MAX_VALUE;
        boolean beforeSave = chance(0.5);
        Duration dieAfter = Duration.ofSeconds(r.nextInt(3 * 3600));
        boolean zombie = crashPlan == 6;
        boolean secondCrash = chance(0.2);
        Optional<Duration> pauseBeforeResume =
                chance(0.5) ? Optional.of(Duration.ofMinutes(1 + r.nextInt(120))) : Optional.empty();
        int failSave = chance(0.15) ? 1 + r.nextInt(40) : Integer.MAX_VALUE;
        boolean ambiguousSave = chance(0.5);
        Duration skew =
                chance(0.15) ? Duration.ofSeconds((chance(0.5) ? 1 : -1) * (1 + r.nextInt(300))) : Duration.ZERO;
        Optional<Duration> approveAfter =
                gate && chance(0.7) ? Optional.of(Duration.ofMinutes(r.nextInt(90))) : Optional.empty();
        Optional<Duration> rollbackAt =
                chance(0.1) ? Optional.of(Duration.ofMinutes(r.nextInt(150))) : Optional.empty();
        Optional<Duration> secondCutoverAt =
                chance(0.1) ? Optional.of(Duration.ofMinutes(r.nextInt(120))) : Optional.empty();
        if (crashPlan <= 3) {
            faults.add("process dies at step boundary " + dieAt + (beforeSave ? " before" : " after") + " its save");
        } else if (crashPlan <= 5) {
            faults.add("process dies at a random moment: +" + dieAfter.toMinutes() + " min");
        } else if (zombie) {
            faults.add("a second process resumes while the first still runs");
        }
        if (crashPlan <= 5) {
            pauseBeforeResume.ifPresent(d -> faults.add("resumed after a pause: +" + d.toMinutes() + " min"));
        }
        if (failSave != Integer.MAX_VALUE) {
            faults.add("state store: save " + failSave + (ambiguousSave ? " applied but its answer lost" : " fails"));
        }
        if (!skew.isZero()) {
            faults.add("clock skew: " + skew.toSeconds() + " s");
        }
        rollbackAt.ifPresent(d -> faults.add("rollback requested at +" + d.toMinutes() + " min"));
        secondCutoverAt.ifPresent(
                d -> faults.add("second cutover of the environment tried at +" + d.toMinutes() + " min"));
        if (syncMode) {
            SyncFaults.draw(r, faults, w, f, app, sync);
        }
        faults.forEach(x -> trace.accept("fault: " + x));

        // ---- the cutover
        Instant horizon = t0.plus(HORIZON);
        before = c(w).records(World.ZONE).stream()
                .filter(x -> x.name().equals(app.host))
                .toList();
        w.startWriting(app);
        Hooks hooks = hooks(w, failingHook, hookFailures, hookRefuses);
        int[] process = {0};
        CutoverRun[] current = new CutoverRun[1];
        ProcessStore[] store = new ProcessStore[1];
        Engine[] engine = new Engine[1];
        Optional<StepId> switchStep = switchStep(plan);
        Runnable newProcess = () -> {
            process[0]++;
            VirtualScheduler.Scope scope = w.scheduler.scope();
            boolean dies = process[0] == 1 || secondCrash && process[0] == 2;
            store[0] = new ProcessStore(
                    w.store,
                    process[0],
                    scope,
                    commits,
                    succeededAt,
                    dies ? dieAt : Integer.MAX_VALUE,
                    beforeSave,
                    process[0] == 1 ? failSave : Integer.MAX_VALUE,
                    ambiguousSave);
            int p = process[0];
            io.cutover.engine.Scheduler time = skew.isZero() || p % 2 == 0 ? scope : new Skewed(scope, skew);
            engine[0] = Engine.builder()
                    .cloud(w.cloud)
                    .stateStore(store[0])
                    .scheduler(time)
                    .hooks(hooks)
                    .withoutLogging()
                    .seed(seed + p)
                    .owner("process-" + p)
                    .listener(e -> {
                        events.add(e);
                        trace.accept("p" + p + " " + e.describe());
                        if (e instanceof CutoverEvent.StepSucceeded ok
                                && switchStep.map(ok.step()::equals).orElse(false)) {
                            switched(w, f, app, greenFailsAfterSwitch, finalSnapshotFails, finalSnapshotSource);
                        }
                        if (blueFailsAfterUpdate) {
                            // In place, the new version is blue itself: it fails once updated, until updated back.
                            if (e instanceof CutoverEvent.StepSucceeded ok
                                    && ok.step().value().equals("update-stack")) {
                                f.unhealthy(app.blueStack());
                            } else if (e instanceof CutoverEvent.StepCompensated back
                                    && back.step().value().equals("update-stack")) {
                                f.healthy(app.blueStack());
                            }
                        }
                    })
                    .build();
            if (crashPlan == 4 || crashPlan == 5) {
                if (p == 1) {
                    w.scheduler.schedule(dieAfter, () -> {
                        if (!store[0].died && store[0].process == 1) {
                            store[0].died = true;
                            scope.kill();
                        }
                    });
                }
            }
        };
        newProcess.run();
        // A preflight refused only because its reads were throttled (or failed transiently) changed nothing: the
        // operator starts the cutover again a minute later, up to three times, as the refusal's message says.
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                current[0] = engine[0].start(plan);
            } catch (InvalidPlanException e) {
                trace.accept("refused: " + e.getMessage());
                if (e.retryable() && attempt < 3) {
                    paths.add("preflight throttled, started again");
                    w.scheduler.runFor(Duration.ofMinutes(1));
                    continue;
                }
                paths.add("refused by the preflight");
                return judge().result(
                                w, app, plan, "refused by the preflight", Optional.empty(), null, t0, crashes, resumes);
            } catch (ProcessDied e) {
                crashes++;
            } catch (io.cutover.CutoverException e) { // the store failed on the first save: nothing was started
                trace.accept("start failed: " + e.getMessage());
            }
            break;
        }
        String runId = plan.id();
        if (current[0] == null && store[0].storeFailed && w.store.load(runId).isEmpty()) {
            newProcess.run();
            current[0] = engine[0].start(plan);
        }
        approveAfter.ifPresent(d ->
                w.scheduler.schedule(d, ProcessDied.survive(() -> approve(current[0], "approve-freeze"))));
        rollbackAt.ifPresent(d -> w.scheduler.schedule(d, ProcessDied.survive(() -> {
            try {
                if (current[0] != null && !store[0].died) {
                    current[0].rollback();
                    paths.add("rollback requested");
                }
            } catch (RefusedException ignored) {
                // past the point of no return, or ended: the refusal is the right answer
            }
        })));
        secondCutoverAt.ifPresent(d -> w.scheduler.schedule(d, () -> secondCutover(w, app)));
        if (zombie) {
            w.scheduler.schedule(Duration.ofMinutes(r.nextInt(60)), ProcessDied.survive(() -> {
                if (w.store.load(runId).map(s -> !s.status().terminal()).orElse(false)) {
                    ProcessStore first = store[0];
                    CutoverRun firstRun = current[0];
                    newProcess.run();
                    resumes++;
                    paths.add("a second process took over");
                    current[0] = engine[0].resume(runId);
                    trace.accept("p" + process[0] + " resumed while p" + first.process + " still runs ("
                            + (firstRun == null ? "?" : firstRun.status()) + ")");
                }
            }));
        }
        int restarts = 0;
        while (w.scheduler.now().isBefore(horizon) && restarts < 20) {
            ProcessStore s = store[0];
            w.scheduler.runWhile(() -> !store[0].died
                    && w.scheduler.now().isBefore(horizon)
                    && (current[0] == null || !current[0].settled().isDone()));
            if (store[0] != s) {
                continue; // a second process took over meanwhile
            }
            CutoverRun run = current[0];
            boolean storeFault = run != null && s.storeFailed && run.settled().isDone();
            if (s.died || storeFault) {
                restarts++;
                if (s.died) {
                    crashes++;
                    paths.add("crashed and resumed");
                    trace.accept("p" + s.process + " died");
                } else {
                    paths.add(s.ambiguous ? "ambiguous state save, resumed" : "state store error, resumed");
                    trace.accept("p" + s.process + " stopped: the state store failed");
                }
                if (pauseBeforeResume.isPresent()) {
                    paths.add("resumed after a pause");
                    w.scheduler.runUntil(w.scheduler.now().plus(pauseBeforeResume.get()));
                }
                newProcess.run();
                resumes++;
                try {
                    current[0] = engine[0].resume(runId);
                } catch (ProcessDied e) {
                    // died again at once; the loop resumes once more
                }
                continue;
            }
            if (run != null && run.settled().isDone()) {
                RunState st = w.store.load(runId).orElseThrow();
                boolean approvalComing = st.status() == RunStatus.WAITING
                        && approveAfter.isPresent()
                        && w.scheduler.now().isBefore(t0.plus(approveAfter.get()));
                if (!approvalComing) {
                    break;
                }
                w.scheduler.runUntil(t0.plus(approveAfter.get()).plusSeconds(1));
                continue;
            }
            if (w.scheduler.pending() == 0) {
                break;
            }
        }
        RunState end = w.store.load(runId).orElseThrow();
        trace.accept("end: " + end.status() + " v" + end.version() + " "
                + end.steps().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().status())
                        .toList() + " pending tasks " + w.scheduler.pending());
        end.reportLines().forEach(x -> trace.accept("report: " + x));
        String outcome = switch (end.status()) {
            case COMPLETED -> "completed";
            case ROLLED_BACK -> "rolled back";
            case FAILED -> "failed (reported)";
            case WAITING -> "waiting at a gate";
            default -> "unsettled after " + HORIZON.toHours() + " h (" + end.status() + ")";
        };
        return judge().result(
                        w,
                        app,
                        plan,
                        outcome,
                        Optional.of(end),
                        store[0].storeFailed ? null : current[0],
                        t0,
                        crashes,
                        resumes);
    }

    /** Where the record pointed before the cutover: what a rollback must put back exactly. */
    private List<io.cutover.spi.DnsProvider.RecordSet> before = List.of();

    private static SimulatedCloud c(World w) {
        return w.cloud;
    }

    /** Faults that start only once traffic is on green: green failing, and the final snapshot failing. */
    private void switched(
            World w,
            Faults f,
            World.App app,
            boolean greenFails,
            boolean finalSnapshotFails,
            String finalSnapshotSource) {
        if (greenFails && !switchedOnce) {
            Duration after = Duration.ofMinutes(r.nextInt(15));
            w.scheduler.schedule(after, () -> f.unhealthy(app.greenStack()));
            trace.accept("fault: green fails at +" + after.toMinutes() + " min after the switch");
        }
        if (finalSnapshotFails) {
            f.snapshotFails(finalSnapshotSource);
        }
        switchedOnce = true;
    }

    private boolean switchedOnce;

    /** The step that moves traffic to green; none in an in-place update. */
    static Optional<StepId> switchStep(Plan plan) {
        return plan.steps().stream()
                .filter(s -> io.cutover.plan.PlanValidator.flags(io.cutover.step.kinds.StepKinds.builtIn(), s)
                        .movesTraffic())
                .findFirst()
                .map(StepSpec::id);
    }

    /** The application's hooks; one of them may fail a few times (the application's admin API erring), or refuse. */
    private Hooks hooks(World w, String failing, int failures, boolean refuses) {
        Hooks real = w.hooks(true);
        Hooks.Builder b = Hooks.builder();
        int[] calls = {0};
        for (String name : real.hookNames()) {
            Hooks.Hook h = real.hook(name);
            if (!name.equals(failing)) {
                b.hook(name, h);
                continue;
            }
            b.hook(name, ctx -> {
                if (refuses) {
                    return StepOutcome.Failed.of(FailureType.REFUSED, "hook " + name + " refused (injected)");
                }
                if (calls[0]++ < failures) {
                    throw io.cutover.spi.ProviderException.of(
                            FailureKind.TRANSIENT, "hook " + name, "the application's admin API answered 500");
                }
                return h.run(ctx);
            });
        }
        return b.build();
    }

    private void approve(CutoverRun run, String gate) {
        if (run == null) {
            return;
        }
        try {
            run.approve(gate);
        } catch (RefusedException ignored) {
            // the cutover ended before the approval came
        }
    }

    private void secondCutover(World w, World.App app) {
        boolean firstLive =
                w.store.load(app.planId()).map(s -> !s.status().terminal()).orElse(false);
        if (!firstLive) {
            return;
        }
        Plan second = w.upgrade(app, app.planId() + "-again", app.greenStack() + "-again")
                .withoutRehearsal()
                .build();
        Engine e = Engine.builder()
                .cloud(w.cloud)
                .stateStore(w.store)
                .scheduler(w.scheduler.scope())
                .withoutLogging()
                .hooks(w.hooks(true))
                .build();
        try {
            CutoverRun run = e.start(second);
            {
                violations.add("a second cutover (" + second.id() + ") of environment " + app.env.name()
                        + " started while " + app.planId() + " was "
                        + w.store.load(app.planId()).orElseThrow().status());
            }
            // Not part of the campaign: stop it before it changes anything more.
            run.rollback();
        } catch (RefusedException | InvalidPlanException expected) {
            trace.accept("second cutover refused: " + expected.getMessage());
        }
    }

    private <T> T pick(List<T> list) {
        return list.get(r.nextInt(list.size()));
    }

    private CampaignJudge judge() {
        return new CampaignJudge(seed, trace, faults, events, commits, succeededAt, violations, paths, before);
    }

    static Map<String, Integer> count(List<String> keys) {
        Map<String, Integer> m = new HashMap<>();
        keys.forEach(k -> m.merge(k, 1, Integer::sum));
        return m;
    }
}
