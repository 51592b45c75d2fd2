package io.cutover.cli;

import io.cutover.engine.CutoverRun;
import io.cutover.plan.file.PlanFile;
import io.cutover.plan.file.PlanFiles;
import io.cutover.state.RunState;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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

    @Option(
            names = "--report",
            paramLabel = "HTML_FILE",
            description = "when the cutover settles, write its report (timeline, summary, kept resources) here")
    Path report;

    @Mixin
    Options options;

    @Mixin
    StateOption state;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Console console = Main.console(spec);
        PlanFile pf = PlanFiles.load(file, options.fileAccess());
        try (Session session = Session.open(options, pf, simulate, console, simulate ? null : state.open(options))) {
            if (simulate) {
                session.progress().note("Rehearsing " + pf.plan().id() + " on the simulated cloud (virtual time)");
            }
            // The account's checks before the first change: a plan they refuse changes nothing (exit 2).
            session.check(pf.plan());
            CutoverRun run = session.engine().start(pf.plan());
            RunState end = session.await(run, simulate && autoApprove);
            if (report != null) {
                HtmlReport.write(report, HtmlReport.ofRun(end, simulate));
                ReportCommand.written(console, options.output(), report, end.runId());
            }
            return Outcome.report(end, options.output(), console.out());
        }
    }
}
