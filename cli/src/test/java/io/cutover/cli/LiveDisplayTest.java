package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.engine.VirtualScheduler;
import io.cutover.plan.Plan;
import io.cutover.plan.file.PlanFiles;
import io.cutover.state.RunState;
import io.cutover.state.StepState;
import io.cutover.state.StepStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The live display in a pseudo-terminal of a set width: every line fits (no wrapped line, so no stray header),
 * it ticks between events on the injected scheduler, and notes stay above it.
 */
class LiveDisplayTest {
    static final Path PLANS = Path.of("../examples/plans");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aRehearsalInANarrowTerminalFitsEveryLineAndLeavesOneHeaderAndTheHookLinesAbove() throws Exception {
        try (VirtualScreen screen = new VirtualScreen(60, 40)) {
            int exit = Main.execute(
                    new String[] {
                        "run", "--simulate", PLANS.resolve("001-qhub.yaml").toString()
                    },
                    screen.console(Map.of(), VirtualScheduler.startingAt(T0)));

            List<String> lines = screen.lines();
            assertThat(exit).as(String.join("\n", lines) + screen.err).isZero();
            // the display, up to the summary printed below its last frame (which wraps as text does)
            String raw = screen.raw();
            VirtualScreen.Model display =
                    VirtualScreen.Model.of(raw.substring(0, raw.indexOf("Cutover qhub-0-4 of qhub-prod:")), 60);
            assertThat(display.wraps).as("lines that reached the last column").isZero();
            assertThat(display.widest).isLessThan(60);
            assertThat(display.lines()).anyMatch(l -> l.endsWith("\u2026")); // long lines were cut, not wrapped
            assertThat(lines.stream().filter(l -> l.startsWith("STEP ")))
                    .as("one header: every redraw erased the one before")
                    .hasSize(1);
            assertThat(lines).anyMatch(l -> l.startsWith("  (simulated) hook migrate-config would run"));
            assertThat(lines).anyMatch(l -> l.contains("deploy-new started"));
            assertThat(lines).anyMatch(l -> l.startsWith("[####################] 13/13 steps  COMPLETED"));
            assertThat(lines).contains("Cutover qhub-0-4 of qhub-prod: COMPLETED");
            assertThat(lines.indexOf("Cutover qhub-0-4 of qhub-prod: COMPLETED"))
                    .as("the summary follows the last frame")
                    .isGreaterThan(lines.indexOf(lines.stream()
                            .filter(l -> l.startsWith("STEP "))
                            .findFirst()
                            .orElseThrow()));
        }
    }

    @Test
    void theDisplayTicksEverySecondBetweenEventsAndStopsWhenClosed() throws Exception {
        Plan plan = PlanFiles.load(PLANS.resolve("003-openboxes.yaml")).plan();
        String first = plan.inOrder().get(0).id().value();
        RunState s = RunState.start(plan, T0, "test")
                .withStep(
                        plan.inOrder().get(0).id(),
                        StepState.pending().started(T0).withStatus(StepStatus.RUNNING),
                        T0)
                .withDowntimeStarted(T0);
        AtomicReference<RunState> state = new AtomicReference<>(s);
        VirtualScheduler clock = VirtualScheduler.startingAt(T0);
        try (VirtualScreen screen = new VirtualScreen(100, 40)) {
            Progress live =
                    Progress.of(screen.console(Map.of(), clock), Options.Output.text, state::get, Optional.of(clock));

            clock.runFor(java.time.Duration.ofSeconds(1));
            assertThat(row(screen, first)).contains(" 1s ");
            assertThat(screen.lines()).anyMatch(l -> l.contains("DOWNTIME 1s and counting"));

            clock.runFor(java.time.Duration.ofSeconds(2));
            assertThat(row(screen, first)).contains(" 3s ");
            assertThat(screen.lines()).anyMatch(l -> l.contains("DOWNTIME 3s and counting"));
            assertThat(screen.lines()).anyMatch(l -> l.contains("elapsed 3s"));

            live.note("a hook said hello");
            clock.runFor(java.time.Duration.ofSeconds(1));
            List<String> lines = screen.lines();
            assertThat(lines.get(0)).isEqualTo("a hook said hello");
            assertThat(lines.stream().filter(l -> l.startsWith("STEP "))).hasSize(1);
            assertThat(row(screen, first)).contains(" 4s ");

            live.close();
            String before = screen.raw();
            clock.runFor(java.time.Duration.ofSeconds(10));
            assertThat(screen.raw()).as("no tick after close").isEqualTo(before);
            assertThat(clock.runUntilIdle()).isZero();
        }
    }

    @Test
    void noColorTurnsColoursOffAndTheyAreOnOtherwise() throws Exception {
        String[] args = {
            "run", "--simulate", PLANS.resolve("004-codeocean.yaml").toString()
        };
        try (VirtualScreen plain = new VirtualScreen(120, 40);
                VirtualScreen coloured = new VirtualScreen(120, 40)) {
            assertThat(Main.execute(args, plain.console(Map.of("NO_COLOR", "1"), null)))
                    .isZero();
            assertThat(Main.execute(args, coloured.console(Map.of(), null))).isZero();
            assertThat(plain.raw()).doesNotContainPattern("\033\\[[0-9;]*m");
            assertThat(coloured.raw()).containsPattern("\033\\[[0-9;]*m");
        }
    }

    @Test
    void aFleetRehearsalShowsItsWavesInPlaceAndItsSummaryOnce() throws Exception {
        try (VirtualScreen screen = new VirtualScreen(72, 30)) {
            int exit = Main.execute(
                    new String[] {
                        "fleet",
                        "run",
                        "--simulate",
                        PLANS.resolve("fleet/fleet.yaml").toString()
                    },
                    screen.console(Map.of("NO_COLOR", "1"), null));

            List<String> lines = screen.lines();
            assertThat(exit).as(String.join("\n", lines) + screen.err).isZero();
            String raw = screen.raw();
            VirtualScreen.Model display = VirtualScreen.Model.of(raw.substring(0, raw.indexOf("fleet shop-2-0: ")), 72);
            assertThat(display.wraps).isZero();
            assertThat(lines.stream().filter(l -> l.startsWith("WAVE "))).hasSize(1);
            assertThat(lines)
                    .contains(
                            "1         1      1        0       0            0        0            0",
                            "2         3      3        0       0            0        0            0",
                            "3         8      8        0       0            0        0            0");
            assertThat(lines).anyMatch(l -> l.startsWith("[####################] 12/12 environments settled"));
            assertThat(lines).anyMatch(l -> l.matches("\\[\\+\\d\\d:\\d\\d:\\d\\d] wave 3 hooli: completed after .*"));
            assertThat(lines.stream().filter(l -> l.startsWith("fleet shop-2-0: 12 done")))
                    .as("the summary, once")
                    .hasSize(1);
            assertThat(screen.err.toString()).as("no log lines").isEmpty();
        }
    }

    private static String row(VirtualScreen screen, String step) {
        return screen.lines().stream()
                .filter(l -> l.startsWith(step + " "))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no row for " + step + " in " + screen.lines()));
    }
}
