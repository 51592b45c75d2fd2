package io.cutover.cli;

import io.cutover.RefusedException;
import io.cutover.engine.CutoverRun;
import io.cutover.plan.file.PlanDocument;
import io.cutover.plan.file.PlanFile;
import io.cutover.state.RunState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
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
            PrintWriter out,
            Consumer<CutoverRun> action) {
        io.cutover.state.StateStore store = state.open(options);
        RunState stored = store.load(runId)
                .orElseThrow(() -> new RefusedException(
                        "no cutover '" + runId + "' in " + state.where(options) + "; known: " + store.runIds()));
        boolean namesCommands = stored.plan().steps().stream()
                .anyMatch(s -> s instanceof io.cutover.plan.StepSpec.Hook
                        || io.cutover.plan.PlanValidator.checksOf(s).stream()
                                .anyMatch(c -> c instanceof io.cutover.plan.StepSpec.Check.Custom));
        if (planFile == null && namesCommands && !stored.status().terminal()) {
            throw new io.cutover.InvalidPlanException(java.util.List.of(new io.cutover.InvalidPlanException.Problem(
                    "--plan",
                    "cutover '" + runId + "' runs hooks or checks whose commands are in its plan file; "
                            + "give it with --plan FILE")));
        }
        PlanFile pf = planFile == null
                ? new PlanFile(null, stored.plan(), Map.<String, PlanDocument.Command>of(), Map.of())
                : io.cutover.plan.file.PlanFiles.load(planFile, options.fileAccess());
        AtomicReference<CutoverRun> ref = new AtomicReference<>();
        Session session = Session.open(
                options,
                pf,
                false,
                out,
                () -> Display.of(
                        options.output,
                        out,
                        () -> ref.get() == null ? null : ref.get().state()),
                store);
        try {
            CutoverRun run = session.engine().resume(runId, r -> {
                ref.set(r);
                action.accept(r);
            });
            return Outcome.report(session.await(run, false), options.output, out);
        } finally {
            session.close();
        }
    }
}
