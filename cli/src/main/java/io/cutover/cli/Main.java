package io.cutover.cli;

import io.cutover.CutoverException;
import io.cutover.InvalidPlanException;
import io.cutover.RefusedException;
import io.cutover.plan.file.PlanFileException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cutover} command. */
@Command(
        name = "cutover",
        mixinStandardHelpOptions = true,
        version = "cutover 0.1.0",
        description = "Blue/green parallel upgrades of self-hosted applications on AWS, from plan files.",
        subcommands = {
            PlanCommand.class,
            RunCommand.class,
            ResumeCommand.class,
            StatusCommand.class,
            ApproveCommand.class,
            RollbackCommand.class,
            DecommissionCommand.class,
            UnlockCommand.class,
            FleetCommand.class
        },
        footer = {
            "",
            "Exit status: 0 completed, 1 failed (rolled back), 2 invalid input, 3 waiting at a gate, " + "4 refused."
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "name a command: plan, run, resume, status, approve, rollback, decommission, unlock or fleet");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the tool with the given output streams and returns its exit status. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(e -> ExitCodes.INVALID);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println(ex.getMessage());
            ex.getCommandLine().usage(err);
            return ExitCodes.INVALID;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof CutoverException) {
                err.println(ex.getMessage());
            }
            if (ex instanceof PlanFileException
                    || ex instanceof InvalidPlanException
                    || ex instanceof io.cutover.fleet.FleetException) {
                return ExitCodes.INVALID;
            }
            if (ex instanceof RefusedException) {
                return ExitCodes.REFUSED;
            }
            if (ex instanceof CutoverException) {
                return ExitCodes.FAILED;
            }
            // Not an error Cutover knows: a bug. The trace only on request, never a Java text for users.
            if (System.getenv("CUTOVER_DEBUG") != null) {
                ex.printStackTrace(err);
            } else {
                err.println("(an unexpected error: this is a bug in Cutover; set CUTOVER_DEBUG=1 for the details"
                        + " to report)");
            }
            return ExitCodes.FAILED;
        });
        return cl.execute(args);
    }
}
