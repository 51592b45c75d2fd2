package io.cutover.step.kinds;

import io.cutover.FailureType;
import io.cutover.internal.*;
import io.cutover.plan.Expressions;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec;
import io.cutover.plan.StepSpec.RunCommand;
import io.cutover.plan.Validation;
import io.cutover.spi.CommandProvider;
import io.cutover.spi.CommandProvider.CommandRequest;
import io.cutover.spi.CommandProvider.Invocation;
import io.cutover.spi.CommandProvider.Status;
import io.cutover.step.Arns;
import io.cutover.step.Compensation;
import io.cutover.step.Grant;
import io.cutover.step.Operations;
import io.cutover.step.Services;
import io.cutover.step.StepBehaviour;
import io.cutover.step.StepContext;
import io.cutover.step.StepKind;
import io.cutover.step.StepOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a script on blue's or green's instances through the cloud's run-command service: stop a service before a
 * backup, migrate a configuration file, start the service before a check. The script is sent once: the command
 * carries a comment derived from the plan and step ids, so a step that crashed between its send and the record of
 * the command's id finds the command again instead of sending it twice. Its undo is a second script on the same
 * instances.
 */
final class RunCommandKind implements StepKind<RunCommand> {
    /** The most of a script's output kept in the step's outputs and failure (its end). */
    static final int OUTPUT_LIMIT = 4096;

    /** The longest a script may run on an instance (Run Command's own limit is 48 hours). */
    static final Duration MAX_EXECUTION = Duration.ofHours(48);

    @Override
    public String name() {
        return "run-command";
    }

    @Override
    public Class<RunCommand> type() {
        return RunCommand.class;
    }

    @Override
    public void validate(RunCommand r, Validation v) {
        if (r.instances().isEmpty() == r.tags().isEmpty()) {
            v.problem(
                    "instances",
                    "give exactly one of instances (e.g. [\"${green.outputs.InstanceId}\"]) and tags (e.g."
                            + " {aws:cloudformation:stack-name: \"${blue.stack}\"})");
        }
        for (int i = 0; i < r.instances().size(); i++) {
            v.present(r.instances().get(i), "instances[" + i + "]", "e.g. ${green.outputs.InstanceId}");
        }
        v.present(r.script(), "script", "give the commands to run, e.g. systemctl stop tomcat");
        r.undo().ifPresent(u -> v.present(u, "undo", "give the commands that reverse the script, or leave undo out"));
        v.positive(r.executionTimeout(), "executionTimeout");
        v.bounded(r.executionTimeout(), MAX_EXECUTION, "executionTimeout");
        for (Map.Entry<String, String> f : textFields(r).entrySet()) {
            try {
                if (!f.getKey().startsWith("tags")
                        && !f.getKey().startsWith("instances")
                        && Expressions.holdsSecret(f.getValue())) {
                    v.problem(
                            f.getKey(),
                            "holds a secret (${secret:...} or ${env:...}), and a script is kept in the command's"
                                    + " history where anyone who may list commands reads it; read the secret on the"
                                    + " instance instead (aws secretsmanager get-secret-value --secret-id ...)");
                }
            } catch (IllegalArgumentException e) {
                // a malformed reference is reported with the step's other references
            }
        }
    }

    @Override
    public Map<String, String> textFields(RunCommand r) {
        Map<String, String> f = new LinkedHashMap<>();
        for (int i = 0; i < r.instances().size(); i++) {
            f.put("instances[" + i + "]", r.instances().get(i));
        }
        r.tags().forEach((k, val) -> f.put("tags." + k, val));
        f.putAll(Kinds.fields("script", r.script()));
        r.undo().ifPresent(u -> f.put("undo", u));
        return f;
    }

    @Override
    public Outputs outputs(RunCommand r) {
        return Outputs.of("commandId", "instances", "exitCode", "output");
    }

    @Override
    public Flags flags(RunCommand r) {
        return Flags.NONE.withDowntime(r.downtime());
    }

    @Override
    public Duration minimumDuration(RunCommand r, java.util.function.Function<String, Duration> expected) {
        return expected.apply(Operations.COMMAND_RUN);
    }

    @Override
    public List<Grant> grants(RunCommand r, Plan plan, Arns arns) {
        String document = "arn:" + arns.partition() + ":ssm:" + arns.region() + "::document/"
                + (r.shell() == StepSpec.Shell.POWERSHELL ? "AWS-RunPowerShellScript" : "AWS-RunShellScript");
        List<String> instances = r.instances().stream()
                .map(i -> arns.ec2("instance", Names.literal(i)))
                .distinct()
                .toList();
        List<Grant> out = new ArrayList<>();
        out.add(Grant.read(
                List.of("ssm:ListCommands", "ssm:GetCommandInvocation", "ec2:DescribeInstances"), List.of("*")));
        out.add(Grant.write(List.of("ssm:SendCommand"), List.of(document)));
        if (!instances.isEmpty()) {
            out.add(Grant.write(List.of("ssm:SendCommand"), instances));
        } else {
            // instances chosen by tags: only instances that carry them (when their values are known before the run)
            List<Grant.Condition> conditions = r.tags().entrySet().stream()
                    .filter(e -> !Validation.refers(e.getValue()))
                    .map(e -> Grant.Condition.equals("ssm:resourceTag/" + e.getKey(), e.getValue()))
                    .toList();
            out.add(new Grant(
                    Grant.Access.WRITE, List.of("ssm:SendCommand"), List.of(arns.ec2("instance", "*")), conditions));
        }
        return out;
    }

    @Override
    public StepBehaviour behaviour(RunCommand step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private final RunCommand spec;

        Behaviour(RunCommand spec) {
            this.spec = spec;
        }

        @Override
        public String describe() {
            String on = spec.instances().isEmpty()
                    ? "instances tagged " + spec.tags()
                    : String.join(", ", spec.instances());
            String what = spec.description().isEmpty()
                    ? "run " + (spec.shell() == StepSpec.Shell.POWERSHELL ? "PowerShell" : "shell") + " script on " + on
                            + ": " + firstLine(spec.script())
                    : spec.description();
            return what
                    + switch (spec.downtime()) {
                        case STARTS -> " (downtime starts)";
                        case ENDS -> " (downtime ends)";
                        case NONE -> "";
                    };
        }

        @Override
        public List<String> permissions() {
            return List.of("ec2:DescribeInstances", "ssm:SendCommand", "ssm:ListCommands", "ssm:GetCommandInvocation");
        }

        /** Chooses the instances and records them; the send comes at the next call, once they are saved. */
        @Override
        public StepOutcome start(StepContext ctx) {
            if (ctx.memo("instances").isPresent()) {
                return StepOutcome.Pending.after(Duration.ZERO, Operations.COMMAND_RUN, "instances chosen");
            }
            List<String> ids = new ArrayList<>();
            if (!spec.instances().isEmpty()) {
                for (String expr : spec.instances()) {
                    for (String id : ctx.resolve(expr).split("[,\\s]+")) {
                        if (!id.isBlank() && !ids.contains(id)) {
                            ids.add(id);
                        }
                    }
                }
            } else {
                Map<String, String> tags = new LinkedHashMap<>();
                spec.tags().forEach((k, val) -> tags.put(k, ctx.resolve(val)));
                ids.addAll(ctx.cloud().commands().instances(tags));
                if (ids.isEmpty()) {
                    return new StepOutcome.Failed("no running instance carries the tags " + tags
                            + "; check the tags, or that the instances are running");
                }
            }
            if (ids.isEmpty()) {
                return new StepOutcome.Failed("instances " + spec.instances() + " name no instance");
            }
            return new StepOutcome.Pending(
                    Operations.COMMAND_RUN,
                    Optional.of(Duration.ZERO),
                    "sending to " + String.join(", ", ids),
                    Map.of("instances", String.join(",", ids)));
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            return run(ctx, "", spec.script());
        }

        @Override
        public Compensation compensation() {
            return spec.undo().isPresent() ? Compensation.RESTORES_BLUE : Compensation.NONE;
        }

        @Override
        public String describeCompensation() {
            return spec.undo().map(u -> "run undo script: " + firstLine(u)).orElse("nothing to undo");
        }

        @Override
        public StepOutcome compensate(StepContext ctx) {
            if (spec.undo().isEmpty() || ctx.memo("instances").isEmpty()) {
                return StepOutcome.Done.of(); // nothing sent, nothing to undo
            }
            StepOutcome o = run(ctx, "undo.", spec.undo().get());
            return o instanceof StepOutcome.Done ? StepOutcome.Done.of() : o;
        }

        @Override
        public Map<String, Integer> calls(Phase phase, Map<String, String> memo) {
            String prefix = phase == Phase.COMPENSATE ? "undo." : "";
            if (phase == Phase.START) {
                return Map.of(Services.EC2_DESCRIBE, spec.tags().isEmpty() ? 0 : 1);
            }
            int instances = memo.getOrDefault("instances", "").split(",").length;
            return memo.containsKey(prefix + "commandId") ? Map.of(Services.SSM, instances) : Map.of(Services.SSM, 2);
        }

        /** One call of the script's life: find or send it, then look at its invocations. */
        private StepOutcome run(StepContext ctx, String prefix, String script) {
            List<String> instances = List.of(ctx.memo("instances").orElseThrow().split(","));
            CommandProvider commands = ctx.cloud().commands();
            Optional<String> id = ctx.memo(prefix + "commandId");
            if (id.isEmpty()) {
                String comment = comment(ctx, prefix);
                // a send whose answer was lost (or whose record a crash lost) is found again, never sent twice
                Optional<String> earlier =
                        commands.find(comment, ctx.startedAt().minus(Duration.ofMinutes(1)));
                String commandId = earlier.orElseGet(() -> commands.send(new CommandRequest(
                        instances, spec.shell(), ctx.resolve(script), comment, spec.executionTimeout())));
                return StepOutcome.Pending.of(
                        Operations.COMMAND_RUN,
                        (earlier.isPresent() ? "found command " : "sent command ") + commandId,
                        Map.of(prefix + "commandId", commandId));
            }
            List<Invocation> invocations = commands.invocations(id.get(), instances);
            long finished =
                    invocations.stream().filter(i -> i.status().finished()).count();
            if (finished < instances.size()) {
                return StepOutcome.Pending.of(
                        Operations.COMMAND_RUN,
                        "command " + id.get() + ": " + finished + " of " + instances.size() + " instances finished");
            }
            Optional<Invocation> failed = invocations.stream()
                    .filter(i -> i.status() != Status.SUCCESS || i.exitCode() != 0)
                    .findFirst();
            String output = output(invocations);
            if (failed.isPresent()) {
                Invocation f = failed.get();
                String how = f.status() == Status.FAILED || f.status() == Status.SUCCESS
                        ? "exited " + f.exitCode()
                        : f.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
                return StepOutcome.Failed.of(
                        FailureType.PERMANENT,
                        (prefix.isEmpty() ? "script " : "undo script ") + how + " on " + f.instanceId()
                                + " (command " + id.get() + ")"
                                + (f.output().isBlank() ? "" : "; it printed: " + tail(f.output(), 1024)));
            }
            int exit = invocations.stream().mapToInt(Invocation::exitCode).max().orElse(0);
            return StepOutcome.Done.of(Map.of(
                    "commandId", id.get(),
                    "instances", String.join(",", instances),
                    "exitCode", String.valueOf(exit),
                    "output", output));
        }

        /** The comment that finds the command again: plan and step ids, and which script. */
        static String comment(StepContext ctx, String prefix) {
            String c = "cutover " + ctx.plan().id() + " " + ctx.stepId().value() + (prefix.isEmpty() ? "" : " undo");
            if (c.length() <= CommandRequest.MAX_COMMENT) {
                return c;
            }
            String hash = Integer.toHexString(c.hashCode());
            return c.substring(0, CommandRequest.MAX_COMMENT - hash.length() - 1) + "~" + hash;
        }

        /** What the instances printed, each under its id when there are several, cut to its end. */
        private static String output(List<Invocation> invocations) {
            if (invocations.size() == 1) {
                return tail(invocations.get(0).output(), OUTPUT_LIMIT);
            }
            StringBuilder b = new StringBuilder();
            for (Invocation i : invocations) {
                b.append("[").append(i.instanceId()).append("]\n").append(i.output());
                if (!i.output().endsWith("\n")) {
                    b.append('\n');
                }
            }
            return tail(b.toString(), OUTPUT_LIMIT);
        }

        static String tail(String s, int limit) {
            return s.length() <= limit ? s : "..." + s.substring(s.length() - (limit - 3));
        }

        private static String firstLine(String script) {
            if (script == null) {
                return "";
            }
            String first = script.strip().lines().findFirst().orElse("");
            return script.strip().contains("\n") ? first + " ..." : first;
        }
    }
}
