package io.cutover.cli;

import io.cutover.engine.CutoverRun;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Approve a gate (an approval step, or a bake to end it early) and follow the cutover until it settles. */
@Command(
        name = "approve",
        mixinStandardHelpOptions = true,
        description =
                "Approve a gate (an approval step, or a bake to end it early) and follow the cutover until it settles.")
final class ApproveCommand extends LifecycleCommand {
    @Parameters(
            index = "1",
            paramLabel = "GATE",
            converter = Arguments.StepId.class,
            description = "the gate step to approve")
    String gate;

    @Override
    Consumer<CutoverRun> action() {
        return run -> run.approve(gate);
    }
}
