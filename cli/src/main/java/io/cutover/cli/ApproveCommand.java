package io.cutover.cli;

import io.cutover.engine.CutoverRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Approve a gate (an approval step, or a bake to end it early) and follow the cutover until it settles. */
@Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a gate (an approval step, or a bake to end it early) and follow the cutover until it settles.")
final class ApproveCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN_ID", description = "the cutover (its plan id)")
  String runId;

  @Parameters(index = "1", paramLabel = "GATE", description = "the gate step to approve")
  String gate;

  @Option(names = "--plan", description = "the plan file, for the commands of its hooks and checks")
  Path plan;

  @Mixin Options options;

  @Mixin StateOption state;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return Lifecycle.drive(options, state, runId, plan, spec.commandLine().getOut(), run -> run.approve(gate));
  }
}
