package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.RunSummary;
import io.cutover.engine.VirtualScheduler;
import io.cutover.plan.StepId;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.state.FileStateStore;
import io.cutover.state.ReportEntry;
import io.cutover.state.RunPhase;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StateCodec;
import io.cutover.state.StateFormat;
import io.cutover.state.StepState;
import io.cutover.state.StepStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * States saved by the release before state format versions (format 0: the engine's bookkeeping in the
 * memo as {@code _op}/{@code _opSince}, the report as text) are migrated on read and resumed; a state of a
 * format newer than this release knows is refused with what to do. The fixtures were written by the code
 * of commit 321caa3's state format (its RunState, StepState and StateCodec, unchanged up to ff9fea3), from
 * the scenario fixture's parallel upgrade.
 */
class StateFormatTest {
    private static final StepId SNAPSHOT = StepId.of("snap-final-db");

    @TempDir
    Path dir;

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = StateFormatTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aFormat0StateWithASnapshotInFlightIsMigratedAndResumedToTheEnd() throws IOException {
        // The same world as when the fixture was saved: the fixture's run, driven up to the snapshot of blue's
        // database in flight, by a process that then dies.
        Fixture f = new Fixture(CloudSimulation.create(
                Latencies.ofDefaults(), RateLimits.ofAws(), new Faults(), FileStateStore.in(dir)));
        VirtualScheduler.Scope first = f.sim.scheduler().scope();
        // the previous release's schedule (each operation first asked about at its expected duration), by which the
        // fixture was saved at 00:22:00
        io.cutover.engine.PollPolicy d = io.cutover.engine.PollPolicy.ofDefaults();
        CutoverRun died = Engine.builder()
                .cloud(f.cloud)
                .stateStore(f.sim.store())
                .scheduler(first)
                .hooks(f.hooks)
                .pollPolicy(new io.cutover.engine.PollPolicy(
                        d.expected(),
                        d.fallbackExpected(),
                        d.maxWait(),
                        d.lateFraction(),
                        d.minInterval(),
                        d.maxInterval()))
                .build()
                .start(f.plan());
        f.runUntil(() -> died.state().step(SNAPSHOT).waitingOn().isPresent()
                && f.cloud.databaseSnapshots().stream().anyMatch(s -> s.id().equals("upgrade-2-0-snap-final-db")));
        first.kill();
        assertThat(f.sim.scheduler().now()).isEqualTo(Instant.parse("2026-01-01T00:22:00Z"));
        // What that process saved is replaced by what the previous release saved at the same moment.
        Files.write(dir.resolve("runs/upgrade-2-0.json"), fixture("format-0-snapshot-in-flight.json"));

        RunState migrated = f.sim.store().load("upgrade-2-0").orElseThrow();
        assertThat(migrated.formatVersion()).isEqualTo(StateFormat.CURRENT);
        assertThat(migrated.phase()).isEqualTo(RunPhase.FORWARD);
        StepState snapshot = migrated.step(SNAPSHOT);
        assertThat(snapshot.waitingOn())
                .contains(new StepState.Wait("database.snapshot", Instant.parse("2026-01-01T00:22:00Z")));
        assertThat(snapshot.memo()).containsOnlyKeys("snapshotId");

        CutoverRun resumed = Engine.builder()
                .cloud(f.cloud)
                .stateStore(f.sim.store())
                .scheduler(f.sim.scheduler().scope())
                .hooks(f.hooks)
                .build()
                .resume("upgrade-2-0");
        f.sim.runUntilSettled(resumed);

        RunState end = resumed.state();
        assertThat(end.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(end.step(SNAPSHOT).outputs()).containsEntry("snapshotId", "upgrade-2-0-snap-final-db");
        assertThat(f.cloud.databaseSnapshots())
                .filteredOn(s -> s.id().equals("upgrade-2-0-snap-final-db"))
                .hasSize(1);
        assertThat(end.reportLines())
                .anyMatch(l -> l.contains("KEPT final snapshot " + f.blueDb() + "-final-upgrade-2-0"));
        // Saved back in the current format: the old keys are gone for good.
        String saved = Files.readString(dir.resolve("runs/upgrade-2-0.json"), StandardCharsets.UTF_8);
        assertThat(saved).contains("\"formatVersion\" : 1").doesNotContain("_op");
    }

    @Test
    void aFormat0StateThatEndedKeepsItsReportAndIsPastThePointOfNoReturn() throws IOException {
        RunState s = StateCodec.ofDefaults().decode(fixture("format-0-completed.json"), "format-0-completed.json");

        assertThat(s.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(s.phase()).isEqualTo(RunPhase.RETIRING);
        assertThat(s.report()).hasSize(6).allMatch(e -> e instanceof ReportEntry.Note);
        assertThat(s.reportLines())
                .contains(
                        "KEPT final snapshot shop-blue-database-final-upgrade-2-0",
                        "KEPT snapshot upgrade-2-0-snap-rehearsal-db taken by snap-rehearsal-db; delete it when green no"
                                + " longer needs it");
        assertThat(s.step(StepId.of("decommission")).memo()).doesNotContainKeys("_op", "_opSince");
        assertThat(s.step(StepId.of("decommission")).waitingOn().map(StepState.Wait::operation))
                .contains("stack.delete");
        assertThat(RunSummary.render(s)).contains("KEPT final snapshot snap-0000000000000100f");
        assertThat(s.steps().values()).allMatch(st -> st.status() == StepStatus.SUCCEEDED);
    }

    @Test
    void aStateOfANewerFormatIsRefusedNamingTheRunTheFileAndTheFix() throws IOException {
        String json = new String(fixture("format-0-snapshot-in-flight.json"), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"formatVersion\" : 2,");
        Files.createDirectories(dir.resolve("runs"));
        Path file = dir.resolve("runs/upgrade-2-0.json");
        Files.writeString(file, json);
        FileStateStore store = FileStateStore.in(dir);

        assertThatThrownBy(() -> store.load("upgrade-2-0"))
                .isInstanceOf(CutoverException.class)
                .hasMessageContaining("run upgrade-2-0")
                .hasMessageContaining(file.toString())
                .hasMessageContaining("state format 2")
                .hasMessageContaining("written by a newer release")
                .hasMessageContaining("resume the cutover with that release");
        // Nothing was written back: the newer release can still read its state.
        assertThat(Files.readString(file)).isEqualTo(json);
    }

    @Test
    void aFormat0MarkerForAParameterKeptAsItIsBecomesItsOwnMemoKey() throws IOException {
        String json = new String(fixture("format-0-snapshot-in-flight.json"), StandardCharsets.UTF_8)
                .replace(
                        "\"snapshotId\" : \"upgrade-2-0-snap-final-db\"",
                        "\"snapshotId\" : \"upgrade-2-0-snap-final-db\", \"prev.param.DbPassword\" : \"\\u0000keep-current\","
                                + " \"prev.param.AppVersion\" : \"1.0\"");
        RunState s = StateCodec.ofDefaults().decode(json.getBytes(StandardCharsets.UTF_8), "test");

        assertThat(s.step(SNAPSHOT).memo())
                .containsEntry("prev.keep.DbPassword", "")
                .containsEntry("prev.param.AppVersion", "1.0")
                .doesNotContainKey("prev.param.DbPassword");
    }
}
