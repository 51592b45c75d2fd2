package io.cutover.cli;

import io.cutover.engine.RunSummary;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StepStatus;
import java.io.PrintWriter;

/** The end of a command that drove a cutover: the summary, and the exit status it means. */
final class Outcome {
    private Outcome() {}

    static int report(RunState s, Options.Output output, PrintWriter out) {
        if (output == Options.Output.json) {
            JsonLines.print(out, JsonLines.summary(s));
        } else {
            out.println();
            out.print(RunSummary.render(s));
            if (s.status() == RunStatus.WAITING) {
                s.steps().forEach((k, v) -> {
                    if (v.status() == StepStatus.WAITING) {
                        out.println("  waiting at gate '" + k + "': " + v.progress() + " -- run: cutover approve "
                                + s.runId() + " " + k);
                    }
                });
            }
        }
        out.flush();
        return exit(s);
    }

    static int exit(RunState s) {
        return switch (s.status()) {
            case COMPLETED -> ExitCodes.OK;
            case WAITING -> ExitCodes.WAITING;
            default -> ExitCodes.FAILED;
        };
    }
}
