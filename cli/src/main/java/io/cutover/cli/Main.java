package io.cutover.cli;

import io.cutover.CutoverException;
import io.cutover.InvalidPlanException;
import io.cutover.RefusedException;
import io.cutover.fleet.FleetException;
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
            CommandLine.HelpCommand.class,
            InitCommand.class,
            PlanCommand.class,
            RunCommand.class,
            ResumeCommand.class,
            StatusCommand.class,
            ApproveCommand.class,
            RollbackCommand.class,
            DecommissionCommand.class,
            ReportCommand.class,
            UnlockCommand.class,
            FleetCommand.class,
            CompletionCommand.class
        },
        footer = {
            "",
            "Output: a live display on a terminal, plain lines otherwise; --output json for scripts (JSON lines, "
                    + "schema in cli/README.md). NO_COLOR turns colours off.",
            "Exit status: 0 completed, 1 failed (rolled back), 2 invalid input (a plan, an option, a missing AWS region"
                    + " or credentials; nothing changed), 3 waiting at a gate, 4 refused."
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Console console;

    private Main(Console console) {
        this.console = console;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "name a command (cutover help lists them): init, plan, run, status, ...");
    }

    public static void main(String[] args) {
        int exit;
        try (Console console = Console.system()) {
            exit = execute(args, console);
        }
        System.exit(exit);
    }

    /** Runs the tool with the given output streams (not a terminal) and returns its exit status. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        try (Console console = Console.plain(out, err)) {
            return execute(args, console);
        }
    }

    /** Runs the tool on {@code console} and returns its exit status. */
    static int execute(String[] args, Console console) {
        CommandLine cl = commandLine(console);
        PrintWriter err = console.err();
        cl.setExitCodeExceptionMapper(e -> ExitCodes.INVALID);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println(ex.getMessage());
            ex.getCommandLine().usage(err);
            if (wantsJson(a)) {
                JsonLines.print(console.out(), JsonLines.error(ExitCodes.INVALID, ex.getMessage()));
            }
            return ExitCodes.INVALID;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            err.println(ex.getMessage());
            int exit;
            if (ex instanceof PlanFileException
                    || ex instanceof InvalidPlanException
                    || ex instanceof FleetException
                    || ex instanceof AwsSetup.AwsSetupException
                    || ex instanceof io.cutover.dynamodb.StateTableException) {
                exit = ExitCodes.INVALID;
            } else if (ex instanceof RefusedException) {
                exit = ExitCodes.REFUSED;
            } else if (ex instanceof io.cutover.TakenOverException t) {
                exit = t.newer().status().terminal() ? Outcome.exit(t.newer()) : ExitCodes.TAKEN_OVER;
            } else if (ex instanceof io.cutover.FenceLostException) {
                exit = ExitCodes.TAKEN_OVER;
            } else {
                exit = ExitCodes.FAILED;
                if (!(ex instanceof CutoverException)) {
                    // Not an error Cutover knows: a bug. The trace only on request, never a Java text for users.
                    if (System.getenv("CUTOVER_DEBUG") != null) {
                        ex.printStackTrace(err);
                    } else {
                        err.println("(an unexpected error: this is a bug in Cutover; set CUTOVER_DEBUG=1 for the"
                                + " details to report)");
                    }
                }
            }
            if (wantsJson(args)) {
                JsonLines.print(console.out(), JsonLines.error(exit, ex.getMessage()));
            }
            return exit;
        });
        return cl.execute(args);
    }

    /** The command line, for completion scripts and tests. */
    static CommandLine commandLine(Console console) {
        CommandLine cl = new CommandLine(new Main(console));
        cl.setOut(console.out());
        cl.setErr(console.err());
        return cl;
    }

    /** The console of the invocation a command belongs to. */
    static Console console(CommandLine.Model.CommandSpec spec) {
        return ((Main) spec.root().userObject()).console;
    }

    private static boolean wantsJson(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--output=json")
                    || (args[i].equals("--output") && i + 1 < args.length && args[i + 1].equals("json"))) {
                return true;
            }
        }
        return false;
    }
}
