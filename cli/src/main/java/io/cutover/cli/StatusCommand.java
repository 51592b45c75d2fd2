package io.cutover.cli;

import io.cutover.RefusedException;
import io.cutover.engine.RunSummary;
import io.cutover.state.RunState;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Shows stored cutovers; reads the state only. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Show a stored cutover (its steps, downtime and report), or list them all. Reads the state only.")
final class StatusCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "RUN_ID",
            converter = Arguments.RunId.class,
            description = "the cutover; all when omitted")
    String runId;

    @Mixin
    Options options;

    @Mixin
    StateOption state;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        io.cutover.state.StateStore store = state.open(options);
        if (runId == null) {
            for (String id : store.runIds()) {
                RunState s = store.load(id).orElseThrow();
                out.printf(
                        "%-22s %-12s %-20s updated %s%n",
                        id, s.status(), s.plan().environment().name(), s.updatedAt());
            }
            return ExitCodes.OK;
        }
        RunState s = store.load(runId)
                .orElseThrow(() -> new RefusedException(
                        "no cutover '" + runId + "' in " + state.where(options) + "; known: " + store.runIds()));
        if (options.output == Options.Output.json) {
            Outcome.report(s, options.output, out);
            return ExitCodes.OK;
        }
        out.print(RunSummary.render(s));
        s.steps()
                .forEach((k, v) -> out.printf(
                        "  %-28s %-20s %s%n", k, v.status(), v.error().orElse(v.progress())));
        return ExitCodes.OK;
    }
}
