package io.cutover.bench;

import io.cutover.engine.CutoverRun;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.state.RunState;
import io.cutover.state.StepStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The downtime (writes frozen to traffic on green) of the demo plan, the parallel upgrade with a rehearsal, in
 * each way it can end the freeze, on one latency model: each mode in a world of its own, run until users are on
 * green, its floor the plan's critical path from the freeze to the switch.
 */
final class DowntimeModes {
    static final String LISTENER =
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/app-0/50dc6c495c0c9188/f2f7dc8efc522ab2";
    static final String BLUE_TG =
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app-0-blue/0a1b2c3d4e5f6a7b";
    static final String GREEN_TG =
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app-0-green/1a2b3c4d5e6f7a8b";

    /** One mode's figures, as {@code benchmarks.json} lists them under {@code "downtime"}. */
    record Figure(String mode, Duration downtime, Duration floor, StepId switchStep) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", mode);
            m.put("downtimeSeconds", Measure.seconds(downtime));
            m.put("floorSeconds", Measure.seconds(floor));
            return m;
        }
    }

    private record Mode(String name, StepId switchStep, BiFunction<World, World.App, Plan> plan) {}

    private static final List<Mode> MODES = List.of(
            new Mode(
                    "snapshot-restore, dns",
                    StepId.of("switch-dns"),
                    (w, app) -> w.upgrade(app).build()),
            new Mode("snapshot-restore, load-balancer", StepId.of("switch-target-group"), (w, app) -> {
                w.cloud
                        .targetGroup(BLUE_TG, app.blueStack())
                        .targetGroup(GREEN_TG, app.greenStack())
                        .listener(LISTENER, "app-0-alb.elb.example.com", BLUE_TG);
                return w.upgrade(app).switchTargetGroup(LISTENER, GREEN_TG).build();
            }));

    private DowntimeModes() {}

    static List<Figure> measure(Latencies latencies, RateLimits limits) {
        List<Figure> out = new ArrayList<>();
        for (Mode mode : MODES) {
            World w = new World(latencies, limits, new Faults()).deploy(1);
            World.App app = w.apps.get(0);
            Plan plan = mode.plan().apply(w, app);
            CriticalPath cp = CriticalPath.of(plan, mode.switchStep(), latencies, World.RECORD_TTL);
            CutoverRun run =
                    w.engine(w.scheduler.scope(), w.hooks(true)).build().start(plan);
            w.startWriting(app);
            w.scheduler.runWhile(() -> run.state().step(mode.switchStep()).status() != StepStatus.SUCCEEDED
                    && !run.settled().isDone());
            RunState s = run.state();
            if (s.step(mode.switchStep()).status() != StepStatus.SUCCEEDED) {
                throw new IllegalStateException(
                        "the " + mode.name() + " cutover did not switch: " + s.status() + " " + s.failure());
            }
            Duration downtime = Duration.between(
                    s.downtimeStartedAt().orElseThrow(), s.downtimeEndedAt().orElseThrow());
            out.add(new Figure(mode.name(), downtime, cp.downtimeFloor(), mode.switchStep()));
        }
        return out;
    }
}
