package io.cutover.cli;

import io.cutover.RefusedException;
import io.cutover.state.RunState;
import io.cutover.state.StateStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Writes a stored cutover's report as one self-contained HTML page. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Write a stored cutover's report as one self-contained HTML page (no network needed to view "
                + "it): its timeline (steps as bars, the downtime window, gates and waits), its summary, and what it "
                + "kept or left behind. For a fleet: cutover fleet report. Reads only.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "the cutover")
    String runId;

    @Option(names = "--html", required = true, paramLabel = "HTML_FILE", description = "where to write the page")
    Path html;

    @Mixin
    Options options;

    @Mixin
    StateOption state;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        StateStore store = state.open(options);
        RunState s = store.load(runId)
                .orElseThrow(() -> new RefusedException(
                        "no cutover '" + runId + "' in " + state.where(options) + "; known: " + store.runIds()));
        HtmlReport.write(html, HtmlReport.ofRun(s, false));
        written(Main.console(spec), options.output(), html, runId);
        return ExitCodes.OK;
    }

    /** Says where the report is: a line, or a {@code Report} JSON line. */
    static void written(Console console, Options.Output output, Path file, String id) {
        if (output == Options.Output.json) {
            var node = JsonLines.line("Report");
            node.put("id", id);
            node.put("file", file.toAbsolutePath().toString());
            JsonLines.print(console.out(), node);
        } else {
            console.out().println("report of " + id + " written to " + file.toAbsolutePath());
            console.out().flush();
        }
    }
}
