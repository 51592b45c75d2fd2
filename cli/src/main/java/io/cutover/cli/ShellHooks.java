package io.cutover.cli;

import io.cutover.plan.file.HookCommand;
import io.cutover.plan.file.PlanDocument;
import io.cutover.plan.file.PlanFile;
import io.cutover.step.Hooks;
import io.cutover.step.StepOutcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The hooks and checks of a plan file, as shell commands run in the plan file's folder: a hook succeeds when
 * its command exits 0, a check is healthy when its command exits 0. Cutover's {@code ${...}} references in the
 * command and in its {@code env} are resolved as in a step's fields ({@link HookCommand}: in the command, as
 * data the shell never runs); the command sees its {@code env} (a fleet's variables are there, as
 * {@code CUTOVER_FLEET_NAME}, and secrets, which never go on a command line) and the run's values
 * ({@link io.cutover.step.HookVariables}: {@code CUTOVER_PLAN}, {@code CUTOVER_GREEN_OUTPUT_<Name>},
 * {@code CUTOVER_OUTPUT_<STEP>_<name>}, ...). Each line it prints (on either stream) goes to {@code output},
 * prefixed with the step, never to standard output as it is (standard output carries {@code --output json}).
 */
final class ShellHooks {
    private ShellHooks() {}

    static Hooks from(PlanFile file, Consumer<String> output) {
        java.nio.file.Path dir = file.path().toAbsolutePath().getParent();
        Hooks.Builder b = Hooks.builder();
        for (Map.Entry<String, PlanDocument.Command> h : file.hooks().entrySet()) {
            b.hook(h.getKey(), ctx -> {
                String failure = run(h.getValue(), dir, ctx, output);
                return failure == null
                        ? StepOutcome.Done.of()
                        : new StepOutcome.Failed("hook " + h.getKey() + ": " + failure);
            });
        }
        for (Map.Entry<String, PlanDocument.Command> c : file.checks().entrySet()) {
            b.check(c.getKey(), ctx -> {
                String failure = run(c.getValue(), dir, ctx, output);
                return failure == null ? Hooks.CheckResult.healthy() : Hooks.CheckResult.unhealthy(failure);
            });
        }
        return b.build();
    }

    /** Runs the command in {@code dir}; null on success, else why it failed. */
    static String run(
            PlanDocument.Command command, java.nio.file.Path dir, Hooks.HookContext ctx, Consumer<String> output) {
        // loaded plans were checked; this guards a command built in code
        java.util.Optional<String> secret = HookCommand.secretProblem(command.run());
        if (secret.isPresent()) {
            return secret.get();
        }
        HookCommand.Prepared prepared = HookCommand.prepare(command.run(), ctx::resolve);
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", prepared.command()).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.environment().putAll(ctx.variables());
        command.env().forEach((k, v) -> pb.environment().put(k, HookCommand.resolveValue(v, ctx::resolve)));
        pb.environment().putAll(prepared.env());
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String prefix = "  " + ctx.stepId().value() + "| ";
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader r =
                                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                            r.lines().forEach(line -> output.accept(prefix + line));
                        } catch (IOException | UncheckedIOException e) {
                            // the process was killed: its output ends here
                        }
                    },
                    "hook-output-" + ctx.stepId().value());
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                // The whole tree: a script's background jobs and pipelines must not outlive its time limit. Taken
                // before the shell dies, since its children are then no longer its descendants.
                java.util.List<ProcessHandle> tree = p.descendants().toList();
                p.destroyForcibly();
                tree.forEach(ProcessHandle::destroyForcibly);
                return "'" + command.run() + "' did not finish within "
                        + command.timeout().toSeconds() + "s";
            }
            reader.join(TimeUnit.SECONDS.toMillis(1));
            return p.exitValue() == 0 ? null : "'" + command.run() + "' exited " + p.exitValue();
        } catch (IOException e) {
            return "cannot run '" + command.run() + "': " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
