package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.plan.file.PlanDocument;
import io.cutover.step.Hooks;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellHooksTreeKillTest {
    @TempDir
    Path dir;

    /** The hook's view of its step: only what {@link ShellHooks#run} reads. */
    private static Hooks.HookContext context() {
        Plan plan = Plan.of(
                "p-1",
                Environment.of("env", "blue"),
                List.of(new StepSpec.Hook(StepId.of("h"), List.of(), "h", Optional.empty(), null, null)));
        return (Hooks.HookContext) Proxy.newProxyInstance(
                ShellHooksTreeKillTest.class.getClassLoader(),
                new Class<?>[] {Hooks.HookContext.class},
                (p, m, a) -> switch (m.getName()) {
                    case "plan" -> plan;
                    case "stepId" -> StepId.of("h");
                    case "variables" -> java.util.Map.of();
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void aHookThatTimesOutHasItsWholeProcessTreeKilled() throws Exception {
        Path pids = dir.resolve("pids");
        String script = "sleep 300 & echo $! > " + pids + "; (sleep 301; true) & echo $! >> " + pids + "; wait";
        List<Long> children = new ArrayList<>();
        try {
            String failure =
                    ShellHooks.run(new PlanDocument.Command(script, Duration.ofSeconds(2)), dir, context(), line -> {});
            assertThat(failure).contains("did not finish within 2s");
            Files.readAllLines(pids).forEach(l -> children.add(Long.parseLong(l.trim())));
            assertThat(children).hasSize(2);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (children.stream().anyMatch(ShellHooksTreeKillTest::alive) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(children)
                    .as("the hook's children after its time limit")
                    .noneMatch(ShellHooksTreeKillTest::alive);
        } finally {
            children.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
