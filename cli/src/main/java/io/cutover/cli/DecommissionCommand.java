package io.cutover.cli;

import io.cutover.engine.CutoverRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Let decommission go ahead now; refused, with what its gate waits for, before the gate opened. */
@Command(name = "decommission", mixinStandardHelpOptions = true, description = "Let decommission go ahead now; refused, with what its gate waits for, before the gate opened.")
final class DecommissionCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN_ID", description = "the cutover (its plan id)")
  String runId;

  @Option(names = "--plan", description = "the plan file, for the commands of its hooks and checks")
  Path plan;

  @Mixin Options options;

  @Mixin StateOption state;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return Lifecycle.drive(options, state, runId, plan, spec.commandLine().getOut(), CutoverRun::decommission);
  }
}
