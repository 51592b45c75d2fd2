package io.cutover.examples.seeds;

import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.RunSummary;
import io.cutover.examples.ConsoleProgress;
import io.cutover.plan.Plan;
import io.cutover.simulator.CloudSimulation;
import io.cutover.state.RunState;
import io.cutover.step.Hooks;
import io.cutover.step.StepOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the seed examples share: the plans' templates (from {@code examples/plans/}), a simulated cloud
 * seeded with a plan's environment, and hooks that record what they did.
 */
public final class SeedWorld {
    private final CloudSimulation sim = CloudSimulation.create();
    private final List<String> hookLog = Collections.synchronizedList(new ArrayList<>());

    public CloudSimulation sim() {
        return sim;
    }

    /** The hooks that ran, in order ({@code name} or {@code name:failed}). */
    public List<String> hookLog() {
        return List.copyOf(hookLog);
    }

    /** A hook that does nothing but record that it ran. */
    public Hooks.Hook recorded(String name) {
        return ctx -> {
            hookLog.add(name);
            return StepOutcome.Done.of();
        };
    }

    /** Builds blue as the plan describes it, then runs the plan, approving each gate as it is reached. */
    public RunState run(Plan plan, Hooks hooks, boolean print) {
        sim.seed(plan);
        // a secret a plan reads (an admin API's credentials) has a stand-in value, as in `cutover run --simulate`
        Engine.Builder b = sim.engine()
                .hooks(hooks)
                .secrets((id, key) -> "rehearsal-secret-value")
                .withoutLogging();
        if (print) {
            b.listener(new ConsoleProgress(System.out, false));
        }
        CutoverRun run = b.build().start(plan);
        while (true) {
            sim.runUntilSettled(run);
            RunState s = run.state();
            if (s.status() != io.cutover.state.RunStatus.WAITING) {
                if (print) {
                    System.out.print(RunSummary.render(s));
                }
                return s;
            }
            s.steps().forEach((id, st) -> {
                if (st.status() == io.cutover.state.StepStatus.WAITING) {
                    if (print) {
                        System.out.println("  approving gate " + id + ": " + st.progress());
                    }
                    run.approve(id);
                }
            });
        }
    }

    /** A template from {@code examples/plans/}, found from the working directory or the repository root. */
    public static String template(String file) {
        for (Path dir : List.of(Path.of("plans"), Path.of("examples/plans"), Path.of("../examples/plans"))) {
            Path p = dir.resolve(file);
            if (Files.exists(p)) {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("cannot find examples/plans/" + file + "; run from the repository root");
    }
}
