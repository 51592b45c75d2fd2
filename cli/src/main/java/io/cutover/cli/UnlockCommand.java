package io.cutover.cli;

import io.cutover.InvalidPlanException;
import io.cutover.plan.Identifiers;
import io.cutover.state.EnvironmentLock;
import io.cutover.state.FileStateStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Releases an environment's lock in the state directory when no cutover holds it any more: its run file was
 * deleted or damaged, or the lock file itself is. Asks for the environment's name as confirmation (or
 * {@code --yes}). Refused while the lock's cutover exists and is unfinished.
 */
@Command(
        name = "unlock",
        mixinStandardHelpOptions = true,
        description = "Release an environment's lock when its cutover is gone or its lock file is damaged "
                + "(asks for confirmation). Refused while the cutover that holds it is unfinished.")
final class UnlockCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ENVIRONMENT", description = "the environment whose lock to release")
    String environment;

    @Option(names = "--yes", description = "do not ask for confirmation")
    boolean yes;

    @Mixin
    Options options;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Identifiers.checkEnvironmentName(environment).ifPresent(m -> {
            throw new InvalidPlanException(List.of(new InvalidPlanException.Problem("ENVIRONMENT", m)));
        });
        var out = spec.commandLine().getOut();
        if (!yes) {
            out.print("Release the lock of environment '" + environment + "' in " + options.stateDir.toAbsolutePath()
                    + "? Only do this when no cutover of it is running. Type the environment's name to confirm: ");
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (answer == null || !answer.trim().equals(environment)) {
                out.println("not confirmed; nothing changed");
                return ExitCodes.REFUSED;
            }
        }
        Optional<EnvironmentLock> held = FileStateStore.in(options.stateDir).unlock(environment);
        out.println(held.map(l -> "released the lock of '" + environment + "' (run '" + l.runId() + "', taken by "
                        + l.owner() + " at " + l.since() + ")")
                .orElse("released the lock of '" + environment + "' (it was missing or could not be read)"));
        return ExitCodes.OK;
    }
}
