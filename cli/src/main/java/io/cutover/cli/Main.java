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
                "name a command: plan, run, resume, status, " + "approve, rollback or decommission");
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
            err.println(ex.getMessage());
            if (ex instanceof PlanFileException
                    || ex instanceof InvalidPlanException
                    || ex instanceof io.cutover.fleet.FleetException
                    || ex instanceof io.cutover.dynamodb.StateTableException) {
                return ExitCodes.INVALID;
            }
            if (ex instanceof RefusedException) {
                return ExitCodes.REFUSED;
            }
            if (ex instanceof CutoverException) {
                return ExitCodes.FAILED;
            }
            ex.printStackTrace(err);
            return ExitCodes.FAILED;
        });
        return cl.execute(args);
    }
}
