package io.cutover.cli;

import io.cutover.engine.CutoverRun;
import java.util.function.Consumer;
import picocli.CommandLine.Command;

/** Let decommission go ahead now; refused, with what its gate waits for, before the gate opened. */
@Command(
        name = "decommission",
        mixinStandardHelpOptions = true,
        description = "Let decommission go ahead now; refused, with what its gate waits for, before the gate opened.")
final class DecommissionCommand extends LifecycleCommand {
    @Override
    Consumer<CutoverRun> action() {
        return CutoverRun::decommission;
    }
}
