package io.cutover.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cutover.engine.Engine;
import io.cutover.engine.PlanPreview;
import io.cutover.plan.file.PlanFile;
import io.cutover.plan.file.PlanFiles;
import io.cutover.state.StateCodec;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
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
    OutputOption output;

    @picocli.CommandLine.Option(
            names = "--files-from-anywhere",
            description = "let the plan name template files outside its own folder")
    boolean filesFromAnywhere;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** What every cutover reads before it starts, and while it runs, whatever its steps. */
    static final List<String> READS = List.of(
            "cloudformation:DescribeStacks",
            "cloudformation:ValidateTemplate",
            "rds:DescribeDBInstances",
            "rds:DescribeDBClusters",
            "ec2:DescribeVolumes",
            "ec2:DescribeAddresses",
            "route53:GetHostedZone",
            "route53:ListResourceRecordSets");

    @Override
    public Integer call() throws Exception {
        PlanFile pf = PlanFiles.load(
                file, filesFromAnywhere ? PlanFiles.FileAccess.ANYWHERE : PlanFiles.FileAccess.PLAN_FOLDER);
        var out = Main.console(spec).out();
        if (output.output == Options.Output.json) {
            Engine.preview(pf.plan()); // validates
            JsonLines.print(out, JsonLines.plan(pf.plan(), policy(pf)));
            return ExitCodes.OK;
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
        out.println("Least-privilege IAM policy:");
        out.println(iamPolicy(pf));
        return ExitCodes.OK;
    }

    static String iamPolicy(PlanFile pf) throws Exception {
        return StateCodec.mapper().writeValueAsString(policy(pf));
    }

    /** The least-privilege IAM policy for Cutover's own calls, actions sorted. */
    static ObjectNode policy(PlanFile pf) {
        TreeSet<String> actions = new TreeSet<>(READS);
        actions.addAll(PlanPreview.permissions(pf.plan()));
        var mapper = StateCodec.mapper();
        ObjectNode policy = mapper.createObjectNode();
        policy.put("Version", "2012-10-17");
        ArrayNode statements = policy.putArray("Statement");
        ObjectNode st = statements.addObject();
        st.put("Sid", "Cutover" + pf.plan().id().replaceAll("[^A-Za-z0-9]", ""));
        st.put("Effect", "Allow");
        ArrayNode a = st.putArray("Action");
        actions.forEach(a::add);
        st.put("Resource", "*");
        return policy;
    }
}
