package io.cutover.cli;

import io.cutover.plan.file.PlanDocument;
import io.cutover.plan.file.PlanFile;
import io.cutover.step.Hooks;
import io.cutover.step.StepOutcome;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The hooks and checks of a plan file, as shell commands: a hook succeeds when its command exits 0, a
 * check is healthy when its command exits 0. The command sees {@code CUTOVER_PLAN}, {@code CUTOVER_STEP}
 * and {@code CUTOVER_ENVIRONMENT}; its output goes to the tool's standard error.
 */
final class ShellHooks {
    private ShellHooks() {}

    static Hooks from(PlanFile file) {
        Hooks.Builder b = Hooks.builder();
        for (Map.Entry<String, PlanDocument.Command> h : file.hooks().entrySet()) {
            b.hook(h.getKey(), ctx -> {
                String failure = run(h.getValue(), ctx);
                return failure == null
                        ? StepOutcome.Done.of()
                        : new StepOutcome.Failed("hook " + h.getKey() + ": " + failure);
            });
        }
        for (Map.Entry<String, PlanDocument.Command> c : file.checks().entrySet()) {
            b.check(c.getKey(), ctx -> {
                String failure = run(c.getValue(), ctx);
                return failure == null ? Hooks.CheckResult.healthy() : Hooks.CheckResult.unhealthy(failure);
            });
        }
        return b.build();
    }

    /** Runs the command; null on success, else why it failed. */
    static String run(PlanDocument.Command command, Hooks.HookContext ctx) {
        // Both of the command's streams go to the tool's standard error: standard output is the tool's own
        // (and carries --output json).
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "exec 1>&2; " + command.run())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("CUTOVER_PLAN", ctx.plan().id());
        pb.environment().put("CUTOVER_STEP", ctx.stepId().value());
        pb.environment().put("CUTOVER_ENVIRONMENT", ctx.plan().environment().name());
        try {
            Process p = pb.start();
            if (!p.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return "'" + command.run() + "' did not finish within "
                        + command.timeout().toSeconds() + "s";
            }
            return p.exitValue() == 0 ? null : "'" + command.run() + "' exited " + p.exitValue();
        } catch (IOException e) {
            return "cannot run '" + command.run() + "': " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
