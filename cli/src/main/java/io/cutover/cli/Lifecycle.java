package io.cutover.cli;

import io.cutover.InvalidPlanException;
import io.cutover.RefusedException;
import io.cutover.engine.CutoverRun;
import io.cutover.plan.file.PlanDocument;
import io.cutover.plan.file.PlanFile;
import io.cutover.plan.file.PlanFiles;
import io.cutover.state.RunState;
import io.cutover.state.StateStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Takes a stored cutover over and acts on it (resume, approve, roll back, decommission), then follows it
 * until it settles. Hook commands come from the plan file, which the command may name again with
 * {@code --plan} (the state holds the plan, not the commands).
 */
final class Lifecycle {
    private Lifecycle() {}

    static int drive(
            Options options,
            StateOption state,
            String runId,
            Path planFile,
            Console console,
            Consumer<CutoverRun> action) {
        StateStore store = state.open(options);
        RunState stored = store.load(runId)
                .orElseThrow(() -> new RefusedException(
                        "no cutover '" + runId + "' in " + state.where(options) + "; known: " + store.runIds()));
        boolean namesCommands = stored.plan().steps().stream()
                .anyMatch(s -> !io.cutover.step.kinds.StepKinds.builtIn()
                                .of(s)
                                .hooks(s)
                                .isEmpty()
                        || io.cutover.plan.PlanValidator.checksOf(io.cutover.step.kinds.StepKinds.builtIn(), s).stream()
                                .anyMatch(c -> c instanceof io.cutover.plan.StepSpec.Check.Custom));
        if (planFile == null && namesCommands && !stored.status().terminal()) {
            throw new InvalidPlanException(List.of(new InvalidPlanException.Problem(
                    "--plan",
                    "cutover '" + runId + "' runs hooks or checks whose commands are in its plan file; "
                            + "give it with --plan FILE")));
        }
        PlanFile pf = planFile == null
                ? new PlanFile(null, stored.plan(), Map.<String, PlanDocument.Command>of(), Map.of())
                : PlanFiles.load(planFile);
        try (Session session = Session.open(options, pf, false, console, store)) {
            CutoverRun run = session.engine().resume(runId, r -> {
                session.follow(r);
                action.accept(r);
            });
            return Outcome.report(session.await(run, false), options.output(), console.out());
        }
    }
}
