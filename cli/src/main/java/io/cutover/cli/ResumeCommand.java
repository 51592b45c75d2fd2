package io.cutover.cli;

import io.cutover.engine.CutoverRun;
import java.util.function.Consumer;
import picocli.CommandLine.Command;

/** Take over a stored cutover (after its process died, or from another machine) and follow it until it settles. */
@Command(
        name = "resume",
        mixinStandardHelpOptions = true,
        description =
                "Take over a stored cutover (after its process died, or from another machine) and follow it until it settles.")
final class ResumeCommand extends LifecycleCommand {
    @Override
    Consumer<CutoverRun> action() {
        return run -> {};
    }
}
