package io.cutover.cli;

import io.cutover.engine.CutoverRun;
import io.cutover.plan.file.PlanFile;
import io.cutover.plan.file.PlanFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Starts a cutover from a plan file and follows it until it settles. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run a cutover from a plan file, following it until it completes, rolls back or waits at a "
                + "gate. With --simulate, rehearse it on the simulated cloud in virtual time instead.")
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the plan file (YAML)")
    Path file;

    @Option(
            names = "--simulate",
            description = "rehearse on the simulated cloud in virtual time; nothing real "
                    + "is touched and no hook command runs")
    boolean simulate;

    @Option(
            names = "--auto-approve",
            defaultValue = "true",
            negatable = true,
            fallbackValue = "true",
            description = "in a simulation, approve gates as they are reached (default: ${DEFAULT-VALUE})")
    boolean autoApprove;

    @Mixin
    Options options;

    @Mixin
    StateOption state;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        PlanFile pf = PlanFiles.load(file, options.fileAccess());
        AtomicReference<CutoverRun> ref = new AtomicReference<>();
        Session session = Session.open(
                options,
                pf,
                simulate,
                out,
                () -> Display.of(
                        options.output,
                        out,
                        () -> ref.get() == null ? null : ref.get().state()),
                simulate ? null : state.open(options));
        try {
            if (simulate && options.output == Options.Output.text) {
                out.println("Rehearsing " + pf.plan().id() + " on the simulated cloud (virtual time)");
            }
            CutoverRun run = session.engine().start(pf.plan());
            ref.set(run);
            return Outcome.report(session.await(run, simulate && autoApprove), options.output, out);
        } finally {
            session.close();
        }
    }
}
