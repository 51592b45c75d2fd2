package io.cutover.cli;

import io.cutover.InvalidPlanException;
import io.cutover.engine.AccountCheck;
import io.cutover.engine.Engine;
import io.cutover.engine.IamPolicy;
import io.cutover.plan.file.PlanFile;
import io.cutover.plan.file.PlanFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Validates a plan file and previews it; changes nothing and calls nothing. */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description = "Validate a plan file and preview it: the steps in order with their dependencies, what each "
                + "changes, the AWS API calls it makes, and the least-privilege IAM policy it needs. Nothing changes.")
final class PlanCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the plan file (YAML)")
    Path file;

    @picocli.CommandLine.Mixin
    Options options;

    @picocli.CommandLine.Option(
            names = "--check",
            description = "also check the plan against the account, read-only: what run checks before its first "
                    + "change (every stack, database, volume, zone, record and address it names; templates; the "
                    + "storage guard; NoEcho parameters), each in-place update's change set previewed for "
                    + "replacements of stateful resources, blue's drift, and the caller's permissions simulated; "
                    + "exit 2 when the plan would be refused")
    boolean check;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PlanFile pf = PlanFiles.load(file, options.fileAccess());
        var out = Main.console(spec).out();
        if (options.output() == Options.Output.json) {
            Engine.preview(pf.plan()); // validates
            JsonLines.print(out, JsonLines.plan(pf.plan(), policy(pf)));
            return check ? check(pf) : ExitCodes.OK;
        }
        out.println(Engine.preview(pf.plan()));
        out.println("AWS API calls, by step:");
        var byStep =
                io.cutover.engine.PlanPreview.permissionsByStep(pf.plan(), io.cutover.step.kinds.StepKinds.builtIn());
        for (var s : pf.plan().inOrder()) {
            List<String> calls = byStep.get(s.id());
            out.printf("  %-28s %s%n", s.id(), calls.isEmpty() ? "(none)" : String.join(" ", calls));
        }
        out.println();
        IamPolicy policy = IamPolicy.of(pf.plan());
        out.println("Least-privilege IAM policy:");
        out.println(policy.toJson());
        policy.roleArn().ifPresent(role -> {
            out.println();
            out.println("Policy of the CloudFormation service role " + role
                    + " (from the templates' resource types; CloudFormation acts with it):");
            out.println(policy.roleJson().orElseThrow());
        });
        policy.notes().forEach(n -> out.println("note: " + n));
        return check ? check(pf) : ExitCodes.OK;
    }

    /** The account checks; a plan they refuse ends the command as an invalid plan does (exit 2). */
    private int check(PlanFile pf) {
        Console console = Main.console(spec);
        AccountCheck.Report report = Session.check(options, pf, console);
        if (options.output() == Options.Output.json) {
            JsonLines.print(console.out(), JsonLines.check(pf.plan(), report));
        } else {
            console.out().println();
            console.out().println("Account checks (read-only):");
            report.notes().forEach(n -> console.out().println("  " + n));
            console.out().println(report.passed() ? "The account checks passed." : "The plan would be refused.");
        }
        if (!report.passed()) {
            throw new InvalidPlanException(report.problems());
        }
        return ExitCodes.OK;
    }

    /** The least-privilege IAM policy ({@link IamPolicy}) as a JSON object, for {@code --output json}. */
    static com.fasterxml.jackson.databind.node.ObjectNode policy(PlanFile pf) throws java.io.IOException {
        return (com.fasterxml.jackson.databind.node.ObjectNode) io.cutover.state.StateCodec.mapper()
                .readTree(IamPolicy.of(pf.plan()).toJson());
    }
}
