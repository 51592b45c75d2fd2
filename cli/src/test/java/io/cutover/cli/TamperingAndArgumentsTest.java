package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state directory tampered with, and command-line arguments abused: each gives a clear message naming the
 * thing and the way out, and an exit status a script can rely on; never a Java exception's text.
 */
class TamperingAndArgumentsTest {
    static final Path PLANS = Path.of("../examples/plans");

    @TempDir
    Path state;

    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    private static void noJavaText(String[] r) {
        assertThat(r[1] + r[2])
                .doesNotContain("Exception")
                .doesNotContain("java.")
                .doesNotContain("\tat ");
    }

    @Test
    void badLeasesAreInvalidArgumentsWithTheFix() {
        for (String lease : new String[] {"abc", "-PT5M", "0s", "99999999999999999999h", "P1000D"}) {
            String[] r = run(
                    "fleet",
                    "run",
                    "--simulate",
                    "--lease",
                    lease,
                    PLANS.resolve("fleet/fleet.yaml").toString());
            assertThat(r[0]).as(lease).isEqualTo("2");
            assertThat(r[2]).as(lease).contains("--lease").containsAnyOf("is not a duration", "is out of range");
            noJavaText(r);
        }
    }

    @Test
    void aRunIdOfTenThousandCharactersOrWithControlsIsRefusedShortly() {
        String[] r = run("status", "r".repeat(10_000), "--state-dir", state.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("a run id of 10000 characters; run ids have at most 40");
        assertThat(r[2].length()).isLessThan(5_000);
        noJavaText(r);
        String[] bidi = run("resume", "shop\u202Eprod", "--state-dir", state.toString());
        assertThat(bidi[0]).isEqualTo("2");
        assertThat(bidi[2]).contains("'shop\\u202Eprod' is not a run id");
    }

    @Test
    void garbageLocksAndRunFilesNameTheFileAndTheWayOut() throws Exception {
        Files.createDirectories(state.resolve("runs"));
        Files.createDirectories(state.resolve("locks"));
        Files.writeString(state.resolve("runs/shop-1.json"), "\u0000garbage{");
        String[] r = run("status", "shop-1", "--state-dir", state.toString());
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("runs/shop-1.json is not a cutover's state").contains("cutover unlock");
        noJavaText(r);

        Files.delete(state.resolve("runs/shop-1.json"));
        Files.createDirectory(state.resolve("runs/shop-1.json"));
        r = run("status", "shop-1", "--state-dir", state.toString());
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("runs/shop-1.json is not a regular file");
        noJavaText(r);

        Files.writeString(state.resolve("locks/shop.json"), "not a lock");
        r = run("unlock", "shop", "--yes", "--state-dir", state.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("released the lock of 'shop' (it was missing or could not be read)");
        assertThat(state.resolve("locks/shop.json")).doesNotExist();
    }

    @Test
    void aStateCopiedUnderAnotherIdOrEditedToCompletedIsRefused() throws Exception {
        Path runs = state.resolve("runs");
        Files.createDirectories(runs);
        // A state written by the store itself, then tampered with.
        io.cutover.state.FileStateStore store = io.cutover.state.FileStateStore.in(state);
        io.cutover.plan.Plan plan = io.cutover.plan.file.PlanFiles.load(PLANS.resolve("003-openboxes.yaml"))
                .plan();
        store.create(io.cutover.state.RunState.start(plan, java.time.Instant.EPOCH, "test/1"));
        String json = Files.readString(runs.resolve(plan.id() + ".json"));

        Files.writeString(runs.resolve("copy-of-it.json"), json);
        String[] r = run("status", "copy-of-it", "--state-dir", state.toString());
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("holds cutover '" + plan.id() + "', not 'copy-of-it' as its name says");

        Files.writeString(runs.resolve(plan.id() + ".json"), json.replaceFirst("\"RUNNING\"", "\"COMPLETED\""));
        r = run("status", plan.id(), "--state-dir", state.toString());
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("says COMPLETED but step").contains("is PENDING");
        noJavaText(r);
    }

    @Test
    void aDeletedLockDoesNotLetASecondCutoverOfTheEnvironmentStart() throws Exception {
        io.cutover.state.FileStateStore store = io.cutover.state.FileStateStore.in(state);
        io.cutover.plan.Plan plan = io.cutover.plan.file.PlanFiles.load(PLANS.resolve("003-openboxes.yaml"))
                .plan();
        store.create(io.cutover.state.RunState.start(plan, java.time.Instant.EPOCH, "test/1"));
        try (var locks = Files.list(state.resolve("locks"))) {
            for (Path p : locks.toList()) {
                Files.delete(p);
            }
        }
        io.cutover.plan.Plan again = io.cutover.plan.Plan.of("again", plan.environment(), plan.steps());
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> store.create(io.cutover.state.RunState.start(again, java.time.Instant.EPOCH, "test/2")))
                .isInstanceOf(io.cutover.RefusedException.class)
                .hasMessageContaining("is being cut over by run '" + plan.id() + "'")
                .hasMessageContaining("though its lock file is missing");
    }

    @Test
    void unlockAsksForTheEnvironmentsNameAndRefusesWhileItsCutoverRuns() throws Exception {
        io.cutover.state.FileStateStore store = io.cutover.state.FileStateStore.in(state);
        io.cutover.plan.Plan plan = io.cutover.plan.file.PlanFiles.load(PLANS.resolve("003-openboxes.yaml"))
                .plan();
        store.create(io.cutover.state.RunState.start(plan, java.time.Instant.EPOCH, "test/1"));
        String env = plan.environment().name();
        String[] r = run("unlock", env, "--yes", "--state-dir", state.toString());
        assertThat(r[0]).isEqualTo("4");
        assertThat(r[2]).contains("is held by run '" + plan.id() + "', which is RUNNING");
        // Its state deleted by hand: the lock names a run that is gone, and unlock releases it.
        Files.delete(state.resolve("runs/" + plan.id() + ".json"));
        r = run("unlock", env, "--yes", "--state-dir", state.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("released the lock of '" + env + "' (run '" + plan.id() + "'");
    }

    @Test
    void aStateWriteThatFailsIsAnErrorNotAWarning() {
        // A read-only state directory cannot be made here (the tests may run as root, who writes anyway): a store
        // whose writes fail stands in for it. The engine stops on the failed write; the command must not end as
        // if what it did had been recorded.
        io.cutover.state.StateStore readOnly = (io.cutover.state.StateStore) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {io.cutover.state.StateStore.class}, (proxy, m, args) -> {
                    throw new io.cutover.CutoverException(
                            "cannot write the state file runs/x.json (permission denied)");
                });
        CheckedStore checked = new CheckedStore(readOnly);
        checked.check();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> checked.commit(null))
                .hasMessageContaining("permission denied");
        org.assertj.core.api.Assertions.assertThatThrownBy(checked::check)
                .isInstanceOf(io.cutover.CutoverException.class)
                .hasMessageContaining(
                        "the cutover's state could not be saved, so what this command did was not recorded")
                .hasMessageContaining("permission denied");
    }
}
