package io.cutover.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints a shell completion script (picocli's), for bash or zsh. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Print a completion script for bash or zsh. Load it in the current shell with",
            "  source <(cutover completion bash)      (or zsh)",
            "or keep it: cutover completion bash > /etc/bash_completion.d/cutover"
        })
final class CompletionCommand implements Callable<Integer> {
    /** The shells the script works in. */
    enum Shell {
        bash,
        zsh
    }

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh")
    Shell shell;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = Main.commandLine(Console.plain(
                new java.io.PrintWriter(java.io.Writer.nullWriter()),
                new java.io.PrintWriter(java.io.Writer.nullWriter())));
        var out = Main.console(spec).out();
        // One script for both: picocli's script turns on zsh's bash compatibility (bashcompinit) when zsh runs it.
        out.print(AutoComplete.bash("cutover", root));
        out.flush();
        return ExitCodes.OK;
    }
}
