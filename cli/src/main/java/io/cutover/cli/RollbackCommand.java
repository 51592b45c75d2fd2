package io.cutover.cli;

import io.cutover.engine.CutoverRun;
import java.util.function.Consumer;
import picocli.CommandLine.Command;

/** Roll a cutover back. Before the switch green is removed; after it users move back to blue and green is kept. Refused once decommission has started. */
@Command(
        name = "rollback",
        mixinStandardHelpOptions = true,
        description =
                "Roll a cutover back. Before the switch green is removed; after it users move back to blue and green is kept. Refused once decommission has started.")
final class RollbackCommand extends LifecycleCommand {
    @Override
    Consumer<CutoverRun> action() {
        return CutoverRun::rollback;
    }
}
