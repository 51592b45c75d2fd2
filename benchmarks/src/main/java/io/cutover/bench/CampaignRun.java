package io.cutover.bench;

import io.cutover.InvalidPlanException;
import io.cutover.RefusedException;
import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.VirtualScheduler;
import io.cutover.event.CutoverEvent;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.Strategies;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.simulator.SimulatedCloud;
import io.cutover.spi.ApiService;
import io.cutover.spi.FailureKind;
import io.cutover.spi.RateLimit;
import io.cutover.state.EnvironmentLock;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Collectors;

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
            int injected) {}

    /** The death of a process: unwinds what it was doing; its scheduled work is dropped with its scope. */
    static final class ProcessDied extends Error {
        private static final long serialVersionUID = 1L;

        ProcessDied() {
            super("process died", null, false, false);
        }
    }

    /** One successful save, and which engine ("process") made it. */
    record Commit(int process, Instant at, long version) {}

    /**
     * The state store as one process sees it: every save is logged with the process's number, and the
     * process can be made to die at its N-th step boundary, just before or just after the save.
     */
    static final class ProcessStore implements StateStore {
        final StateStore inner;
        final int process;
        final VirtualScheduler.Scope scope;
        final List<Commit> log;
        /** When each step was first saved as succeeded: what a new process would find. */
        final Map<String, Instant> succeededAt;

        final int dieAt;
        final boolean beforeSave;
        boolean died;
        int boundaries;

        ProcessStore(
                StateStore inner,
                int process,
                VirtualScheduler.Scope scope,
                List<Commit> log,
                Map<String, Instant> succeededAt,
                int dieAt,
                boolean beforeSave) {
            this.inner = inner;
            this.succeededAt = succeededAt;
            this.process = process;
            this.scope = scope;
            this.log = log;
            this.dieAt = dieAt;
            this.beforeSave = beforeSave;
        }

        @Override
        public RunState create(RunState initial) {
            return inner.create(initial);
        }

        @Override
        public Optional<RunState> load(String runId) {
            return inner.load(runId);
        }

        @Override
        public RunState commit(RunState next) {
            RunState stored = inner.load(next.runId()).orElseThrow();
            boolean boundary = stored.status() != next.status()
                    || next.steps().entrySet().stream()
                            .anyMatch(e -> stored.steps().get(e.getKey()).status()
                                    != e.getValue().status());
            if (boundary && ++boundaries == dieAt && beforeSave) {
                die();
            }
            RunState saved = inner.commit(next);
            log.add(new Commit(process, saved.updatedAt(), saved.version()));
            saved.steps().forEach((id, st) -> {
                if (st.status() == io.cutover.state.StepStatus.SUCCEEDED) {
                    succeededAt.putIfAbsent(id, saved.updatedAt());
                }
            });
            if (boundary && boundaries == dieAt) {
                die();
            }
            return saved;
        }

        void die() {
            died = true;
            scope.kill();
            throw new ProcessDied();
        }

        @Override
        public Optional<EnvironmentLock> lock(String environment) {
            return inner.lock(environment);
        }

        @Override
        public void release(String environment, String runId) {
            inner.release(environment, runId);
        }

        @Override
        public List<String> runIds() {
            return inner.runIds();
        }
    }

    private final long seed;
    private final Random r;
    private final Consumer<String> trace;
    private final List<String> faults = new ArrayList<>();
    private final List<CutoverEvent> events = new ArrayList<>();
    private final List<Commit> commits = new ArrayList<>();
    private final Map<String, Instant> succeededAt = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
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
        if (chance(0.15)) {
            limits = limits.with(ApiService.CLOUDFORMATION, RateLimit.of(2, 0.2))
                    .with(ApiService.ROUTE53, RateLimit.of(1, 0.5))
                    .with(ApiService.RDS, RateLimit.of(3, 0.5));
            faults.add("throttling storm (tight limits)");
        }
        if (chance(0.25)) {
            String op = pick(THROTTLED_OPERATIONS);
            int n = 3 + r.nextInt(25);
            f.failNext(op, FailureKind.THROTTLING, n);
            faults.add("throttling burst: " + n + "x " + op);
        }
        if (chance(0.25)) {
            double rate = 0.01 + r.nextDouble() * 0.09;
            f.transientErrors(rate, r.nextLong());
            faults.add(String.format("transient errors %.0f%%", rate * 100));
        }
        if (chance(0.15)) {
            String op = pick(FAILING_OPERATIONS);
            f.failNext(op, chance(0.5) ? FailureKind.PERMANENT : FailureKind.INVALID_REQUEST, 1);
            faults.add("operation fails: " + op);
        }
        World w = new World(Latencies.ofDefaults(), limits, f).deploy(1);
        World.App app = w.apps.get(0);
        if (chance(0.1)) {
            f.rollbackStack(app.greenStack());
            faults.add("green's stack rolls back");
        }
        if (chance(0.1)) {
            f.unhealthy(app.greenStack());
            faults.add("green unhealthy");
        }
        if (chance(0.06)) {
            String src = chance(0.5) ? app.database() : app.volume();
            f.snapshotNeverCompletes(src);
            faults.add("snapshot never completes: " + src);
        } else if (chance(0.06)) {
            String src = chance(0.5) ? app.database() : app.volume();
            f.snapshotFails(src);
            faults.add("snapshot fails: " + src);
        }
        if (chance(0.15)) {
            Duration slow = Duration.ofMinutes(1 + r.nextInt(30));
            f.slowDns(slow);
            faults.add("DNS slow to sync: +" + slow.toMinutes() + " min");
        }
        boolean rehearsal = chance(0.5);
        boolean gate = chance(0.15);
        Strategies.ParallelUpgrade up = w.upgrade(app).bake(Duration.ofMinutes(10 + r.nextInt(50)));
        if (!rehearsal) {
            up.withoutRehearsal();
        }
        if (gate && rehearsal) {
            up.approveBeforeFreeze();
        }
        Plan plan = up.build();
        faults.add(rehearsal ? "plan: with rehearsal" + (gate ? ", approval gate" : "") : "plan: without rehearsal");
        int crashPlan = r.nextInt(10);
        // 0-3: dies at a step boundary; 4-5: dies at a random time; 6: a second process resumes while the first
        // still runs; 7-9: no crash.
        int dieAt = crashPlan <= 3 ? 1 + r.nextInt(45) : Integer.MAX_VALUE;
        boolean beforeSave = chance(0.5);
        Duration dieAfter = Duration.ofSeconds(r.nextInt(3 * 3600));
        boolean zombie = crashPlan == 6;
        boolean secondCrash = chance(0.2);
        Optional<Duration> approveAfter =
                gate && chance(0.7) ? Optional.of(Duration.ofMinutes(r.nextInt(90))) : Optional.empty();
        Optional<Duration> rollbackAt =
                chance(0.08) ? Optional.of(Duration.ofMinutes(r.nextInt(120))) : Optional.empty();
        Optional<Duration> secondCutoverAt =
                chance(0.15) ? Optional.of(Duration.ofMinutes(r.nextInt(120))) : Optional.empty();
        if (crashPlan <= 3) {
            faults.add("process dies at step boundary " + dieAt + (beforeSave ? " before" : " after") + " its save");
        } else if (crashPlan <= 5) {
            faults.add("process dies at a random moment: +" + dieAfter.toMinutes() + " min");
        } else if (zombie) {
            faults.add("a second process resumes while the first still runs");
        }
        rollbackAt.ifPresent(d -> faults.add("rollback requested at +" + d.toMinutes() + " min"));
        secondCutoverAt.ifPresent(
                d -> faults.add("second cutover of the environment tried at +" + d.toMinutes() + " min"));
        faults.forEach(x -> trace.accept("fault: " + x));

        // ---- the cutover
        Instant t0 = w.scheduler.now();
        Instant horizon = t0.plus(HORIZON);
        w.startWriting(app);
        var hooks = w.hooks(true);
        int[] process = {0};
        CutoverRun[] current = new CutoverRun[1];
        ProcessStore[] store = new ProcessStore[1];
        Engine[] engine = new Engine[1];
        Runnable newProcess = () -> {
            process[0]++;
            VirtualScheduler.Scope scope = w.scheduler.scope();
            boolean dies = process[0] == 1 || secondCrash && process[0] == 2;
            store[0] = new ProcessStore(
                    w.store, process[0], scope, commits, succeededAt, dies ? dieAt : Integer.MAX_VALUE, beforeSave);
            int p = process[0];
            engine[0] = Engine.builder()
                    .cloud(w.cloud)
                    .stateStore(store[0])
                    .scheduler(scope)
                    .hooks(hooks)
                    .withoutLogging()
                    .seed(seed + p)
                    .owner("process-" + p)
                    .listener(e -> {
                        events.add(e);
                        trace.accept("p" + p + " " + e.describe());
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
        try {
            current[0] = engine[0].start(plan);
        } catch (InvalidPlanException e) {
            trace.accept("refused: " + e.getMessage());
            return result(w, app, plan, "refused by the preflight", Optional.empty(), t0);
        } catch (ProcessDied e) {
            crashes++;
        }
        String runId = plan.id();
        approveAfter.ifPresent(d -> w.scheduler.schedule(d, survive(() -> approve(current[0], "approve-freeze"))));
        rollbackAt.ifPresent(d -> w.scheduler.schedule(d, survive(() -> {
            try {
                if (current[0] != null && !store[0].died) {
                    current[0].rollback();
                }
            } catch (RefusedException ignored) {
                // past the point of no return, or ended: the refusal is the right answer
            }
        })));
        secondCutoverAt.ifPresent(d -> w.scheduler.schedule(d, () -> secondCutover(w, app)));
        if (zombie) {
            w.scheduler.schedule(Duration.ofMinutes(r.nextInt(60)), survive(() -> {
                if (w.store.load(runId).map(s -> !s.status().terminal()).orElse(false)) {
                    ProcessStore first = store[0];
                    CutoverRun firstRun = current[0];
                    newProcess.run();
                    resumes++;
                    current[0] = engine[0].resume(runId);
                    trace.accept("p" + process[0] + " resumed while p" + first.process + " still runs ("
                            + (firstRun == null ? "?" : firstRun.status()) + ")");
                }
            }));
        }
        while (w.scheduler.now().isBefore(horizon)) {
            ProcessStore s = store[0];
            w.scheduler.runWhile(() -> !s.died
                    && w.scheduler.now().isBefore(horizon)
                    && (current[0] == null || !current[0].settled().isDone()));
            if (s.died) {
                crashes++;
                trace.accept("p" + s.process + " died");
                newProcess.run();
                resumes++;
                try {
                    current[0] = engine[0].resume(runId);
                } catch (ProcessDied e) {
                    // died again at once; the loop resumes once more
                }
                continue;
            }
            if (current[0] != null && current[0].settled().isDone()) {
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
        String outcome = switch (end.status()) {
            case COMPLETED -> "completed";
            case ROLLED_BACK -> "rolled back";
            case FAILED -> "failed (reported)";
            case WAITING -> "waiting at a gate";
            default -> "unsettled after " + HORIZON.toHours() + " h (" + end.status() + ")";
        };
        return result(w, app, plan, outcome, Optional.of(end), t0);
    }

    /**
     * An outside action (a person approving, rolling back, starting a process) that runs on the process's
     * call stack: if the process dies under it, the main loop sees the death and resumes.
     */
    private static Runnable survive(Runnable action) {
        return () -> {
            try {
                action.run();
            } catch (ProcessDied died) {
                // the store marked its process dead; the loop counts the crash and starts a new process
            }
        };
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

    // ------------------------------------------------------------------------------------------- invariants

    private Result result(World w, World.App app, Plan plan, String outcome, Optional<RunState> end, Instant t0) {
        SimulatedCloud c = w.cloud;
        // 1. Blue's data is never deleted without a retained final snapshot of it.
        if (c.deletedDatabases().contains(app.database())) {
            boolean kept = c.databaseSnapshots().stream()
                    .anyMatch(s -> s.source().equals(app.database())
                            && s.status().equals("AVAILABLE")
                            && s.dataVersion() == app.lastWrite);
            if (!kept) {
                violations.add(
                        "blue's database " + app.database() + " was deleted without an available snapshot of its "
                                + "last write (version " + app.lastWrite + "); snapshots: " + c.databaseSnapshots());
            }
        }
        if (c.deletedVolumes().contains(app.volume())) {
            boolean kept = c.volumeSnapshots().stream()
                    .anyMatch(s -> s.source().equals(app.volume()) && s.status().equals("COMPLETED"));
            if (!kept) {
                violations.add("blue's volume " + app.volume() + " was deleted without a completed snapshot of it");
            }
        }
        // 2. DNS never points at a stack that did not pass verification.
        StepId switchStep = plan.steps().stream()
                .filter(s -> io.cutover.plan.PlanValidator.flags(io.cutover.step.kinds.StepKinds.builtIn(), s)
                        .movesTraffic())
                .findFirst()
                .orElseThrow()
                .id();
        List<StepId> verifies = plan.stepOrThrow(switchStep).dependsOn();
        String greenEndpoint = app.greenStack() + ".app.example.com";
        for (SimulatedCloud.DnsChange ch : c.dnsChanges()) {
            if (!ch.record().name().equals(app.host) || !ch.record().values().contains(greenEndpoint)) {
                continue;
            }
            // Judged by the saved state, not by events: a process may die between saving a success and telling.
            boolean verified = verifies.stream()
                    .allMatch(v -> succeededAt.containsKey(v.value())
                            && !succeededAt.get(v.value()).isAfter(ch.at()));
            if (!verified) {
                violations.add("DNS pointed " + app.host + " at " + app.greenStack() + " at " + ch.at()
                        + " before green passed " + verifies);
            }
        }
        // 4. Nothing created twice.
        List<SimulatedCloud.Creation> created =
                c.creations().stream().filter(x -> !x.at().isBefore(t0)).toList();
        Map<String, Long> stacks = created.stream()
                .filter(x -> x.kind().equals("stack"))
                .collect(Collectors.groupingBy(SimulatedCloud.Creation::id, Collectors.counting()));
        stacks.forEach((name, n) -> {
            if (n > 1) {
                violations.add("stack " + name + " created " + n + " times");
            }
        });
        Map<String, Long> dbSnaps = created.stream()
                .filter(x -> x.kind().equals("database-snapshot"))
                .collect(Collectors.groupingBy(SimulatedCloud.Creation::id, Collectors.counting()));
        dbSnaps.forEach((id, n) -> {
            if (n > 1) {
                violations.add("database snapshot " + id + " created " + n + " times");
            }
        });
        Map<String, Long> volSnaps = created.stream()
                .filter(x -> x.kind().equals("volume-snapshot"))
                .collect(Collectors.groupingBy(
                        x -> x.tags().getOrDefault("cutover:step", "?") + "/"
                                + x.tags().getOrDefault("cutover:final-snapshot-of", ""),
                        Collectors.counting()));
        volSnaps.forEach((step, n) -> {
            if (n > 1) {
                violations.add("volume snapshot of step " + step + " created " + n + " times");
            }
        });
        // 5. Never two processes writing one cutover's state: once a process has saved, no earlier one does.
        int newest = 0;
        for (Commit k : commits) {
            if (k.process() < newest) {
                violations.add("process " + k.process() + " saved the state (version " + k.version()
                        + ") after process " + newest + " had taken over");
                break;
            }
            newest = Math.max(newest, k.process());
        }
        // 3. Every resource green created is in use, removed, or reported (once the cutover has ended).
        if (end.isPresent() && end.get().status().terminal()) {
            String report = String.join("\n", end.get().reportLines());
            List<SimulatedCloud.SimStack> live = c.allStacks();
            String inUse = c.stackBehind(app.host).orElse("");
            for (SimulatedCloud.Creation x : created) {
                boolean exists;
                boolean used;
                switch (x.kind()) {
                    case "stack" -> {
                        exists = c.stack(x.id()).isPresent();
                        used = x.id().equals(inUse);
                    }
                    case "database-snapshot" -> {
                        exists = c.databaseSnapshots().stream().anyMatch(s -> s.id().equals(x.id()));
                        used = live.stream()
                                .anyMatch(s ->
                                        s.name().equals(inUse) && s.parameters().containsValue(x.id()));
                    }
                    case "volume-snapshot" -> {
                        exists = c.volumeSnapshots().stream().anyMatch(s -> s.id().equals(x.id()));
                        used = live.stream()
                                .anyMatch(s ->
                                        s.name().equals(inUse) && s.parameters().containsValue(x.id()));
                    }
                    default -> {
                        continue; // databases and volumes inside stacks live and die with their stack
                    }
                }
                if (exists && !used && !report.contains(x.id())) {
                    violations.add(
                            x.kind() + " " + x.id() + " created by the cutover is neither in use, removed nor reported"
                                    + " (status " + end.get().status() + ")");
                }
            }
        }
        violations.forEach(v -> trace.accept("VIOLATION: " + v));
        return new Result(
                seed,
                List.copyOf(faults),
                crashes,
                resumes,
                outcome,
                List.copyOf(violations),
                w.cloud.faults().injected());
    }

    static Map<String, Integer> count(List<String> keys) {
        Map<String, Integer> m = new HashMap<>();
        keys.forEach(k -> m.merge(k, 1, Integer::sum));
        return m;
    }
}
