package io.cutover.cli;

import io.cutover.engine.CutoverRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What resume, approve, rollback and decommission share: a stored cutover, taken over and followed. */
abstract class LifecycleCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "the cutover (its plan id)")
    String runId;

    @Option(names = "--plan", description = "the plan file, for the commands of its hooks and checks")
    Path plan;

    @Mixin
    Options options;

    @Mixin
    StateOption state;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** What to do to the cutover once it is taken over. */
    abstract Consumer<CutoverRun> action();

    @Override
    public Integer call() {
        return Lifecycle.drive(options, state, runId, plan, Main.console(spec), action());
    }
}
