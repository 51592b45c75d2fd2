package io.cutover.cli;

import io.cutover.engine.CutoverRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Take over a stored cutover (after its process died, or from another machine) and follow it until it settles. */
@Command(name = "resume", mixinStandardHelpOptions = true, description = "Take over a stored cutover (after its process died, or from another machine) and follow it until it settles.")
final class ResumeCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN_ID", description = "the cutover (its plan id)")
  String runId;

  @Option(names = "--plan", description = "the plan file, for the commands of its hooks and checks")
  Path plan;

  @Mixin Options options;

  @Mixin StateOption state;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return Lifecycle.drive(options, state, runId, plan, spec.commandLine().getOut(), run -> { });
  }
}
