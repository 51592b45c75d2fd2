package io.cutover.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.RefusedException;
import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest {
    @TempDir
    Path dir;

    private static Plan plan(String id, String env) {
        return Plan.of(
                id,
                Environment.of(env, "stack-" + env),
                List.of(new StepSpec.Approval(StepId.of("go"), List.of(), "go?")));
    }

    private static RunState initial(String id, String env) {
        return RunState.start(plan(id, env), Instant.parse("2026-01-01T00:00:00Z"), "test/1");
    }

    @Test
    void aStateSurvivesAReopenWithEveryField() {
        FileStateStore store = FileStateStore.in(dir);
        RunState saved = store.create(initial("r1", "prod"));
        Instant t = Instant.parse("2026-01-01T00:01:00Z");
        StepId go = StepId.of("go");
        saved = store.commit(saved.withApproval(go, t)
                .withStep(
                        go,
                        saved.step(go)
                                .started(t)
                                .withMemo(java.util.Map.of("snapshotId", "s-1"))
                                .waitingOn("database.snapshot", t)
                                .withError(io.cutover.FailureType.TIMED_OUT, "stuck"),
                        t)
                .withPhase(io.cutover.state.RunPhase.COMPENSATING, t)
                .withReport(
                        new ReportEntry.KeptFinalSnapshot(
                                go,
                                new io.cutover.step.CreatedResource(
                                        io.cutover.step.CreatedResource.Type.DATABASE_SNAPSHOT, "db-final"),
                                true),
                        t)
                .withReport(
                        new ReportEntry.LeftBehind(go, "delete the snapshot", java.util.List.of(), "still creating"), t)
                .withReport(new ReportEntry.Note("KEPT x"), t));

        RunState loaded = FileStateStore.in(dir).load("r1").orElseThrow();
        assertThat(loaded).isEqualTo(saved);
        assertThat(loaded.version()).isEqualTo(2);
        assertThat(loaded.plan()).isEqualTo(plan("r1", "prod"));
    }

    @Test
    void aCrashMidWriteLeavesThePreviousStateReadable() throws Exception {
        FileStateStore store = FileStateStore.in(dir);
        RunState saved = store.create(initial("r1", "prod"));
        // A crash after the temporary file was half written and before the rename: the state is the old one.
        Files.writeString(dir.resolve("runs/r1.json.tmp"), "{\"runId\": \"r1\", \"plan\": {tr");

        assertThat(FileStateStore.in(dir).load("r1")).contains(saved);
        RunState next = FileStateStore.in(dir).commit(saved.withStatus(RunStatus.WAITING, Instant.EPOCH));
        assertThat(FileStateStore.in(dir).load("r1")).contains(next);
    }

    @Test
    void aSaveNeverWritesTheStoredFileInPlace() throws Exception {
        // A crash in the middle of writing a file in place leaves a torn state (the campaign's torn-write fault).
        // The store writes a new file and renames it over the old one: the old file's bytes, reached through a
        // second name (a hard link to the same inode), are never touched, whole or in part.
        FileStateStore store = FileStateStore.in(dir);
        RunState saved = store.create(initial("r1", "prod"));
        Path file = dir.resolve("runs/r1.json");
        Path old = dir.resolve("old-r1.json");
        Files.createLink(old, file);
        byte[] before = Files.readAllBytes(old);

        store.commit(saved.withStatus(RunStatus.WAITING, Instant.EPOCH));

        assertThat(Files.readAllBytes(old))
                .as("the previous state's file, untouched")
                .isEqualTo(before);
        assertThat(Files.readAllBytes(file)).isNotEqualTo(before);
    }

    @Test
    void aSaveBasedOnAnOlderVersionIsRefused() {
        FileStateStore a = FileStateStore.in(dir);
        FileStateStore b = FileStateStore.in(dir);
        RunState v1 = a.create(initial("r1", "prod"));
        a.commit(v1.withStatus(RunStatus.WAITING, Instant.EPOCH));

        assertThatThrownBy(() -> b.commit(v1.withStatus(RunStatus.FAILED, Instant.EPOCH)))
                .isInstanceOf(StateConflictException.class)
                .hasMessageContaining("another process is driving it");
        assertThat(a.load("r1").orElseThrow().status()).isEqualTo(RunStatus.WAITING);
    }

    @Test
    void oneCutoverPerEnvironmentUntilItsLockIsReleased() {
        FileStateStore store = FileStateStore.in(dir);
        RunState r1 = store.create(initial("r1", "prod"));

        assertThatThrownBy(() -> store.create(initial("r2", "prod")))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("environment 'prod' is being cut over by run 'r1' (started by test/1");
        assertThat(store.runIds()).containsExactly("r1");
        store.create(initial("r3", "staging"));

        store.commit(r1.withStatus(RunStatus.ROLLED_BACK, Instant.EPOCH));
        store.release("prod", "r1");
        store.create(initial("r2", "prod"));
        assertThat(store.lock("prod").orElseThrow().runId()).isEqualTo("r2");
    }

    @Test
    void aRunIdIsUsedOnce() {
        FileStateStore store = FileStateStore.in(dir);
        store.create(initial("r1", "prod"));
        store.release("prod", "r1");
        assertThatThrownBy(() -> store.create(initial("r1", "prod")))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("a cutover with id 'r1' exists already");
    }
}
