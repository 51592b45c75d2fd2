package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.VirtualScheduler;
import io.cutover.event.CutoverEvent;
import io.cutover.plan.Environment;
import io.cutover.plan.Environment.Database;
import io.cutover.plan.Environment.Database.Kind;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.plan.StepSpec.Check;
import io.cutover.plan.StepSpec.Downtime;
import io.cutover.plan.StepSpec.TemplateRef;
import io.cutover.plan.Steps;
import io.cutover.plan.Strategies;
import io.cutover.scenarios.CrashAndResumeTest.DyingStore;
import io.cutover.scenarios.CrashAndResumeTest.ProcessDied;
import io.cutover.simulator.BlueGreenSimulation;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.SimulatedCloud;
import io.cutover.simulator.SimulatedCloud.SimSnapshot;
import io.cutover.simulator.VolumeSimulation;
import io.cutover.spi.DatabaseProvider;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StepStatus;
import io.cutover.step.Hooks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The database sync modes side by side (docs/database-sync-modes.md), each with both ways of moving users: DNS and
 * the load balancer's listener. For each, what a person checks: after a cutover that went well, after one that
 * failed once writes were frozen but before the database switched over or users moved, after a rollback once users
 * were on green, and after a process that died at any step boundary and was resumed by another.
 *
 * <p>Someone else's work shares the account throughout: a blue/green deployment of another database, made by the
 * DBA team. Whatever happens, it is left alone, and whatever the cutover leaves in the account is either where users
 * are or named in its report.
 */
class SyncModesTest {
    static final String PLAN = "upgrade-2-0";
    /** Blue's database in the rds-blue-green mode: one standing alone, as the mode requires. */
    static final String DB = "shop-db";

    /** Long enough to roll back during it; short, so that a run is quick in real time too. */
    static final Duration BAKE = Duration.ofMinutes(10);

    static final String LISTENER = LoadBalancerSwitchTest.LISTENER;
    static final String ALB_HOST = LoadBalancerSwitchTest.ALB_HOST;
    static final String BLUE_TG = LoadBalancerSwitchTest.BLUE_TG;
    static final String GREEN_TG = LoadBalancerSwitchTest.GREEN_TG;

    enum Mode {
        SNAPSHOT_RESTORE("snapshot-restore"),
        RDS_BLUE_GREEN("rds-blue-green"),
        /** As benchmarks' DowntimeModes: the data disk re-synced by a copy of blue's volume (replace-volume). */
        RDS_BLUE_GREEN_DISK_COPY("rds-blue-green, disk copy");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    enum Move {
        DNS("dns", "switch-dns"),
        LOAD_BALANCER("load-balancer", "switch-target-group");

        final String label;
        final StepId step;

        Move(String label, String step) {
            this.label = label;
            this.step = StepId.of(step);
        }
    }

    record Case(Mode mode, Move move) {
        boolean blueGreen() {
            return mode != Mode.SNAPSHOT_RESTORE;
        }

        @Override
        public String toString() {
            return mode.label + ", " + move.label;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(Mode.values()).flatMap(m -> Stream.of(Move.values()).map(s -> new Case(m, s)));
    }

    /** What exists in the account, by kind: stacks, databases (not being deleted), deployments, snapshots. */
    record Inventory(Map<String, Set<String>> byKind) {
        static Inventory of(World w) {
            Map<String, Set<String>> m = new TreeMap<>();
            m.put("stack", ids(w.cloud.allStacks().stream().map(SimulatedCloud.SimStack::name)));
            m.put(
                    "database",
                    ids(w.cloud.allDatabases().stream()
                            .filter(d -> d.status() != DatabaseProvider.Status.DELETING)
                            .map(SimulatedCloud.SimDatabase::id)));
            m.put("deployment", ids(w.bg.deployments().stream().map(BlueGreenSimulation.View::id)));
            m.put("database-snapshot", ids(w.cloud.databaseSnapshots().stream().map(SimSnapshot::id)));
            m.put("volume-snapshot", ids(w.cloud.volumeSnapshots().stream().map(SimSnapshot::id)));
            m.put("volume", ids(w.cloud.volumeModel().all().stream().map(VolumeSimulation.View::id)));
            return new Inventory(m);
        }

        private static Set<String> ids(Stream<String> s) {
            return s.collect(Collectors.toCollection(HashSet::new));
        }

        Set<String> all() {
            return byKind.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        }
    }

    /**
     * Blue, running: its stack (the sample application) and data volume, the database its application writes to
     * once a minute while writes are not frozen, and users reaching it by DNS or through a load balancer's listener.
     */
    static final class World {
        final Case c;
        final CloudSimulation sim = CloudSimulation.create();
        final SimulatedCloud cloud = sim.cloud();
        final BlueGreenSimulation bg = cloud.blueGreenModel();
        final Environment env;
        final String blueDb;
        final String volume;
        final AtomicBoolean frozen = new AtomicBoolean();
        final AtomicLong lastWrite = new AtomicLong();
        /** Blue's data volume's data version after its last write. */
        final AtomicLong lastDiskWrite = new AtomicLong();

        final Instant writesUntil;
        /** What strikes when writes freeze (a test's fault). */
        Runnable atFreeze = () -> {};

        final String foreignDeployment;
        final Inventory before;

        World(Case c) {
            this.c = c;
            Environment app = sim.deployApp("shop-prod", "shop-blue", "1.0");
            volume = app.volumes().get(0);
            if (c.blueGreen()) {
                cloud.addDatabase(Kind.INSTANCE, DB, null);
                Environment e = Environment.of("shop-prod", "shop-blue")
                        .withDatabase(new Database(Kind.INSTANCE, DB, false))
                        .withVolume(volume);
                env = c.move == Move.DNS ? e.withDns(app.dns().orElseThrow()) : e;
                blueDb = DB;
            } else {
                env = app;
                blueDb = app.databases().get(0).id();
            }
            if (c.move == Move.LOAD_BALANCER) {
                cloud.targetGroup(BLUE_TG, "shop-blue")
                        .targetGroup(GREEN_TG, "shop-green")
                        .listener(LISTENER, ALB_HOST, BLUE_TG);
            }
            // The DBA team's own blue/green deployment of another database, in the same account.
            cloud.addDatabase(Kind.INSTANCE, "reports-db", null);
            foreignDeployment = cloud.blueGreen()
                    .create("reports-db-upgrade", "reports-db", Optional.of("16.4"), Map.of("owner", "dba-team"));
            writesUntil = sim.scheduler().now().plus(Duration.ofHours(12));
            before = Inventory.of(this);
            writeEveryMinute();
        }

        void writeEveryMinute() {
            Runnable[] w = new Runnable[1];
            w[0] = () -> {
                if (!frozen.get()
                        && cloud.stack("shop-blue").isPresent()
                        && cloud.database(Kind.INSTANCE, blueDb).isPresent()
                        && !bg.readOnly(blueDb)
                        && sim.scheduler().now().isBefore(writesUntil)) {
                    lastWrite.set(cloud.write(Kind.INSTANCE, blueDb));
                    if (c.mode == Mode.RDS_BLUE_GREEN_DISK_COPY) {
                        lastDiskWrite.set(cloud.volumeModel().write(volume, 100));
                    }
                    sim.scheduler().schedule(Duration.ofMinutes(1), w[0]);
                }
            };
            w[0].run();
        }

        Hooks hooks() {
            return Hooks.builder()
                    .action("freeze-writes", ctx -> {
                        frozen.set(true);
                        atFreeze.run();
                    })
                    .action("unfreeze-writes", ctx -> {
                        frozen.set(false);
                        writeEveryMinute();
                    })
                    .build();
        }

        Engine engine() {
            return sim.engine().hooks(hooks()).build();
        }

        /** The stack users reach now. */
        Optional<String> usersOn() {
            return cloud.stackBehind(c.move == Move.DNS ? CloudSimulation.HOST : ALB_HOST);
        }

        long blueData() {
            return cloud.database(Kind.INSTANCE, blueDb).orElseThrow().dataVersion();
        }

        /** The database green's application uses: its stack's (restored) one, or the switched-over one. */
        long greenData() {
            String id =
                    c.blueGreen() ? DB : cloud.stack("shop-green").orElseThrow().resource("Database");
            return cloud.database(Kind.INSTANCE, id).orElseThrow().dataVersion();
        }

        /** The deployments this cutover made (by its tags). */
        List<BlueGreenSimulation.View> ours() {
            return bg.deployments().stream()
                    .filter(d -> PLAN.equals(d.tags().get("cutover:plan")))
                    .toList();
        }

        /** Fails the cutover once writes froze, before users move: green's application breaks, or green lags. */
        void failAfterTheFreeze() {
            atFreeze = c.blueGreen()
                    // A long transaction on blue: green cannot catch up within the switchover's timeout.
                    ? () -> bg.lag(DB, Duration.ofHours(2))
                    : () -> cloud.faults().unhealthy("shop-green");
        }

        Plan plan() {
            Check health = Check.Http.of("http://${green.outputs.Endpoint}/health");
            if (!c.blueGreen()) {
                Strategies.ParallelUpgrade u = Strategies.parallelUpgrade(PLAN, env)
                        .greenStack("shop-green")
                        .template(TemplateRef.ofBody(CloudSimulation.sampleTemplate()))
                        .parameter("AppVersion", "2.0")
                        .snapshotParameter("DBSnapshotIdentifier", blueDb)
                        .snapshotParameter("DataSnapshotId", volume)
                        .check(health)
                        .freezeWrites("freeze-writes", "unfreeze-writes")
                        .bake(BAKE);
                if (c.move == Move.LOAD_BALANCER) {
                    u.switchTargetGroup(LISTENER, GREEN_TG);
                }
                return u.build();
            }
            // The demo plan in the rds-blue-green mode (as benchmarks' DowntimeModes): the deployment is built
            // beside the rehearsal; after the freeze the switchover runs beside the data disk's re-sync.
            boolean dns = c.move == Move.DNS;
            List<StepSpec> steps = new ArrayList<>();
            steps.add(Steps.createBlueGreen("create-bg")
                    .database(env.databases().get(0))
                    .build());
            steps.add(Steps.snapshotVolume("snap-rehearsal-vol").volume(volume).build());
            steps.add(Steps.cloneStack("clone")
                    .dependsOn("snap-rehearsal-vol")
                    .stackName("shop-green")
                    .template(TemplateRef.ofBody(CloudSimulation.sampleTemplate()))
                    .parameter("AppVersion", "2.0")
                    .parameter("DataSnapshotId", "${snap-rehearsal-vol.snapshotId}")
                    .build());
            steps.add(Steps.verify("verify-rehearsal")
                    .dependsOn("clone")
                    .check(health)
                    .build());
            List<String> freezeAfter = new ArrayList<>(List.of("create-bg", "verify-rehearsal"));
            if (dns) {
                steps.add(Steps.lowerTtl("lower-ttl").ttl(60).build());
                freezeAfter.add("lower-ttl");
            }
            steps.add(Steps.hook("freeze")
                    .dependsOn(freezeAfter.toArray(String[]::new))
                    .hook("freeze-writes")
                    .undo("unfreeze-writes")
                    .downtime(Downtime.STARTS)
                    .build());
            steps.add(Steps.switchoverBlueGreen("switchover")
                    .dependsOn("freeze")
                    .deployment("${create-bg.deploymentId}")
                    .build());
            steps.add(Steps.snapshotVolume("snap-final-vol")
                    .dependsOn("freeze")
                    .volume(volume)
                    .build());
            boolean copy = c.mode == Mode.RDS_BLUE_GREEN_DISK_COPY;
            steps.add(
                    copy
                            ? Steps.replaceVolume("resync")
                                    .dependsOn("freeze")
                                    .volume("${green.outputs.DataVolumeId}")
                                    .copyOf(volume)
                                    .build()
                            : Steps.updateStack("resync")
                                    .dependsOn("snap-final-vol")
                                    .stack("${green.stack}")
                                    .parameter("DataSnapshotId", "${snap-final-vol.snapshotId}")
                                    .build());
            steps.add(Steps.verify("verify-final")
                    .dependsOn("switchover", "resync", "snap-final-vol")
                    .check(health)
                    .build());
            steps.add(
                    dns
                            ? Steps.switchDns("switch-dns")
                                    .dependsOn("verify-final")
                                    .target("${green.outputs.Endpoint}")
                                    .build()
                            : Steps.switchTargetGroup("switch-target-group")
                                    .dependsOn("verify-final")
                                    .listener(LISTENER)
                                    .targetGroup(GREEN_TG)
                                    .build());
            steps.add(Steps.bake("bake")
                    .dependsOn(c.move.step.value())
                    .duration(BAKE)
                    .check(health)
                    .build());
            if (dns) {
                steps.add(Steps.restoreTtl("restore-ttl")
                        .dependsOn("bake")
                        .lowered("lower-ttl")
                        .build());
            }
            steps.add(Steps.decommission("decommission").dependsOn("bake").build());
            return Plan.of(PLAN, env, steps);
        }

        /** Runs virtual time until the step reaches that status (or the cutover settles). */
        void runUntil(CutoverRun run, String step, StepStatus status) {
            sim.scheduler()
                    .runWhile(() -> run.state().step(StepId.of(step)).status() != status
                            && !run.settled().isDone());
        }

        CutoverRun runToEnd() {
            CutoverRun run = engine().start(plan());
            sim.runUntilSettled(run);
            return run;
        }
    }

    // --- What a person checks, whichever way the cutover went ------------------------------------------------

    /**
     * Whatever is in the account now and was not before the cutover is where users are (green's stack and what it
     * holds, once the cutover completed) or named in the cutover's report; whatever is gone was blue's, retired
     * once the cutover completed; the DBA team's deployment and its database are as they were.
     */
    static void nothingLeftUnreported(World w, RunState end) {
        Inventory now = Inventory.of(w);
        String report = String.join("\n", end.reportLines());
        Set<String> accounted = new HashSet<>();
        for (SimulatedCloud.SimStack s : w.cloud.allStacks()) {
            boolean usersOnIt =
                    end.status() == RunStatus.COMPLETED && w.usersOn().equals(Optional.of(s.name()));
            if (usersOnIt || report.contains(s.name())) {
                accounted.add(s.name());
                accounted.addAll(s.resources().values());
            }
        }
        for (String id : now.all()) {
            if (!w.before.all().contains(id)) {
                assertThat(accounted.contains(id) || report.contains(id))
                        .as("%s is left in the account, and the cutover's report does not name it:%n%s", id, report)
                        .isTrue();
            }
        }
        Set<String> gone = new HashSet<>(w.before.all());
        gone.removeAll(now.all());
        if (end.status() == RunStatus.COMPLETED) {
            assertThat(gone).as("only blue is retired").doesNotContain(w.foreignDeployment, "reports-db");
            assertThat(w.cloud.stack("shop-blue")).isEmpty();
        } else {
            assertThat(gone)
                    .as("nothing that was there before the cutover is gone")
                    .isEmpty();
        }
        assertThat(w.bg.deployments())
                .filteredOn(d -> d.id().equals(w.foreignDeployment))
                .singleElement()
                .satisfies(d -> assertThat(d.tags()).doesNotContainKey("cutover:plan"));
    }

    /** Nothing the cutover created was created twice: one of each per plan, step and what it is a snapshot of. */
    static void nothingCreatedTwice(World w) {
        Map<String, List<String>> byRole = new TreeMap<>();
        for (SimulatedCloud.Creation x : w.cloud.creations()) {
            if (PLAN.equals(x.tags().get("cutover:plan"))) {
                String role = x.kind() + " by " + x.tags().get("cutover:step")
                        + Optional.ofNullable(x.tags().get("cutover:final-snapshot-of"))
                                .map(o -> " of " + o)
                                .orElse("");
                byRole.computeIfAbsent(role, k -> new ArrayList<>()).add(x.id());
            }
        }
        assertThat(byRole)
                .isNotEmpty()
                .allSatisfy((role, ids) -> assertThat(ids).as(role).hasSize(1));
    }

    /** Blue's data survives in final snapshots taken after its last write, kept and named. */
    static void bluesFinalSnapshotsKeptWithItsLastWrite(World w, RunState end) {
        String finalDb = w.blueDb + "-final-" + PLAN;
        assertThat(w.cloud.databaseSnapshots())
                .filteredOn(s -> s.id().equals(finalDb))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.status()).isEqualTo("AVAILABLE");
                    assertThat(s.dataVersion()).isEqualTo(w.lastWrite.get());
                    // rds-blue-green: of blue's old database, renamed by the switchover.
                    assertThat(s.source()).isEqualTo(w.c.blueGreen() ? DB + "-old1" : w.blueDb);
                });
        assertThat(w.cloud.volumeSnapshots())
                .anyMatch(s -> w.volume.equals(s.tags().get("cutover:final-snapshot-of"))
                        && s.status().equals("COMPLETED"));
        assertThat(end.reportLines()).contains("KEPT final snapshot " + finalDb);
    }

    // --- Happy path ----------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void usersEndOnGreenWhoseDataHasEveryWriteBlueTookAndBluesDataIsKeptInFinalSnapshots(Case c) {
        World w = new World(c);
        CutoverRun run = w.runToEnd();
        RunState end = run.state();

        assertThat(end.status()).as("%s", end.failure()).isEqualTo(RunStatus.COMPLETED);
        assertThat(w.usersOn()).contains("shop-green");
        assertThat(w.greenData()).isEqualTo(w.lastWrite.get()).isGreaterThan(20);
        if (c.mode == Mode.RDS_BLUE_GREEN_DISK_COPY) {
            String instance = w.cloud.stack("shop-green").orElseThrow().resource("AppServer");
            assertThat(w.cloud.volumeModel().at(instance, "/dev/sdf")).hasValueSatisfying(v -> {
                assertThat(v.copiedFrom()).contains(w.volume);
                assertThat(v.dataVersion())
                        .as("green's disk holds blue's last write")
                        .isEqualTo(w.lastDiskWrite.get())
                        .isGreaterThan(20);
            });
            Instant copied = w.cloud.creations().stream()
                    .filter(x -> x.kind().equals("volume")
                            && "resync".equals(x.tags().get("cutover:step")))
                    .findFirst()
                    .orElseThrow()
                    .at();
            Instant blueDeleted = w.cloud.history().stream()
                    .filter(h -> h.id().equals("shop-blue") && h.what().equals("DELETE_REQUESTED"))
                    .findFirst()
                    .orElseThrow()
                    .at();
            assertThat(blueDeleted)
                    .as("blue's volume goes only once green's copy has all its blocks (100 GiB at 125 MiB/s, past"
                            + " the 10-minute bake)")
                    .isAfterOrEqualTo(copied.plusSeconds(100 * 1024 / 125));
        }
        bluesFinalSnapshotsKeptWithItsLastWrite(w, end);
        nothingLeftUnreported(w, end);
        if (c.blueGreen()) {
            // Green's database carries blue's name; blue's old one was retired after its final snapshot. No
            // snapshot of blue's database and no restore while writes were frozen.
            assertThat(w.cloud.deletedDatabases()).contains(DB + "-old1").doesNotContain(DB);
            // The switched-over deployment was deleted with blue's old database; green's database stays.
            assertThat(w.ours()).isEmpty();
            assertThat(w.cloud.history())
                    .anyMatch(h ->
                            h.kind().equals("blue-green-deployment") && h.what().equals("SWITCHOVER_COMPLETED"));
            // No snapshot of blue's database and no restore while writes were frozen: its one snapshot is the
            // decommission's final one, of blue's old database.
            assertThat(w.cloud.calls())
                    .containsEntry("CreateDBSnapshot", 1)
                    .doesNotContainKey("RestoreDBInstanceFromDBSnapshot");
        } else {
            var green = w.cloud
                    .database(
                            Kind.INSTANCE,
                            w.cloud.stack("shop-green").orElseThrow().resource("Database"))
                    .orElseThrow();
            assertThat(green.restoredFrom()).contains(PLAN + "-snap-final-db");
        }
        // The downtime ends when users reach green, whichever way they are moved.
        assertThat(end.downtimeEndedAt())
                .contains(end.step(c.move.step).endedAt().orElseThrow());
        if (c.move == Move.LOAD_BALANCER) {
            assertThat(w.cloud.listenerShares(LISTENER)).isEqualTo(Map.of("shop-green", 100));
            assertThat(w.cloud.dnsChanges()).isEmpty();
        } else {
            assertThat(w.cloud.forwardChanges()).isEmpty();
        }
        assertThat(w.sim.store().lock("shop-prod")).isEmpty();
    }

    // --- Failure once writes froze, before the switchover and the switch ------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aFailureBeforeTheSwitchRemovesWhatTheCutoverMadeAndBlueTakesWritesAgainUntouched(Case c) {
        World w = new World(c);
        w.failAfterTheFreeze();
        var records = w.cloud.records(CloudSimulation.ZONE);
        CutoverRun run = w.engine().start(w.plan());
        w.runUntil(run, "freeze", StepStatus.SUCCEEDED);
        long atFreeze = w.blueData();
        w.sim.runUntilSettled(run);
        RunState end = run.state();

        assertThat(end.status()).as("%s", end.failure()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(end.step(StepId.of("freeze")).status()).isEqualTo(StepStatus.COMPENSATED);
        // Green is gone: its stack, and in rds-blue-green the deployment with its green database.
        assertThat(w.cloud.stack("shop-green")).isEmpty();
        assertThat(w.ours()).isEmpty();
        assertThat(w.cloud.allDatabases())
                .extracting(SimulatedCloud.SimDatabase::id)
                .noneMatch(id -> id.startsWith(DB + "-green-"));
        // Blue is as it was: its stack, its database under its own name, writable, with no write lost; users
        // never left it, and the record (with its TTL) and the listener are as before.
        assertThat(w.cloud.stack("shop-blue").orElseThrow().status()).isEqualTo("CREATE_COMPLETE");
        assertThat(w.blueData())
                .as("every write blue's application made is on blue")
                .isEqualTo(w.lastWrite.get());
        assertThat(w.bg.readOnly(w.blueDb)).isFalse();
        assertThat(w.cloud.calls()).doesNotContainKey("SwitchoverBlueGreenDeployment");
        assertThat(w.usersOn()).contains("shop-blue");
        assertThat(w.cloud.records(CloudSimulation.ZONE)).isEqualTo(records);
        assertThat(w.cloud.forwardChanges()).isEmpty();
        assertThat(end.steps())
                .allSatisfy((id, s) -> assertThat(s.status()).as(id).isNotEqualTo(StepStatus.COMPENSATION_FAILED));
        nothingLeftUnreported(w, end);
        assertThat(w.frozen).isFalse();
        w.sim.scheduler().runFor(Duration.ofMinutes(5));
        assertThat(w.blueData()).as("blue takes writes again").isGreaterThan(atFreeze);
    }

    // --- Rollback once users were on green --------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aRollbackAfterTheSwitchPutsUsersBackOnBlueAndSaysWhereTheDataIs(Case c) {
        World w = new World(c);
        CutoverRun run = w.engine().start(w.plan());
        w.runUntil(run, "bake", StepStatus.RUNNING);
        assertThat(w.usersOn()).contains("shop-green");

        run.rollback();
        w.sim.runUntilSettled(run);
        RunState end = run.state();
        String said = String.join("\n", end.reportLines()) + "\n"
                + (c.blueGreen() ? end.step(StepId.of("switchover")).error().orElse("") : "");

        assertThat(w.usersOn()).contains("shop-blue");
        assertThat(end.step(c.move.step).status()).isEqualTo(StepStatus.COMPENSATED);
        assertThat(end.step(StepId.of("decommission")).status()).isEqualTo(StepStatus.SKIPPED);
        // Nothing of blue was retired; green's stack is kept for a person to inspect.
        assertThat(w.cloud.stack("shop-blue")).isPresent();
        assertThat(w.cloud.stack("shop-green")).isPresent();
        assertThat(said).contains("KEPT for inspection: clone");
        assertThat(w.frozen).as("writes resume").isFalse();
        if (c.blueGreen()) {
            // The database is not switched back: blue's name is green's database with every write, blue's old one
            // is kept read-only, and the rollback names both and says it did not switch back.
            assertThat(end.status()).isEqualTo(RunStatus.FAILED);
            assertThat(end.step(StepId.of("switchover")).status()).isEqualTo(StepStatus.COMPENSATION_FAILED);
            assertThat(said)
                    .contains("not undone: the database switched over")
                    .contains("'" + DB + "'")
                    .contains("'" + DB + "-old1'");
            assertThat(w.cloud.database(Kind.INSTANCE, DB + "-old1")).isPresent();
            assertThat(w.bg.readOnly(DB + "-old1")).isTrue();
            assertThat(w.ours())
                    .singleElement()
                    .satisfies(d -> assertThat(d.status()).isEqualTo("SWITCHOVER_COMPLETED"));
            // Nothing in the report tells a person to remove the database that holds the data now.
            assertThat(end.reportLines())
                    .filteredOn(l -> l.contains("remove it") || l.contains("delete it"))
                    .noneMatch(l -> l.contains("database " + DB));
            assertThat(w.cloud.deletedDatabases()).doesNotContain(DB, DB + "-old1");
        } else {
            assertThat(end.status()).isEqualTo(RunStatus.ROLLED_BACK);
            assertThat(w.cloud.database(Kind.INSTANCE, w.blueDb)).isPresent();
            long atRollback = w.blueData();
            w.sim.scheduler().runFor(Duration.ofMinutes(5));
            assertThat(w.blueData()).as("blue takes writes again").isGreaterThan(atRollback);
        }
        nothingLeftUnreported(w, end);
    }

    // --- A death at every step boundary ------------------------------------------------------------------------------

    static Stream<Arguments> deaths() {
        return cases().flatMap(c -> deathsOf(c, false));
    }

    static Stream<Arguments> deathsInAFailure() {
        return cases().flatMap(c -> deathsOf(c, true));
    }

    /**
     * A death after every saved step transition of an undisturbed run of the case's plan; for the run that fails
     * after the freeze, from the failed step's save on: until then it is the run that completes, whose deaths the
     * other test covers; from then on the rollback is under way.
     */
    private static Stream<Arguments> deathsOf(Case c, boolean failing) {
        World w = new World(c);
        if (failing) {
            w.failAfterTheFreeze();
        }
        VirtualScheduler.Scope p = w.sim.scheduler().scope();
        DyingStore counter = new DyingStore(w.sim.store(), p, Integer.MAX_VALUE, false);
        int[] from = {failing ? 0 : 1};
        CutoverRun run = Engine.builder()
                .cloud(w.cloud)
                .stateStore(counter)
                .scheduler(p)
                .hooks(w.hooks())
                .listener(e -> {
                    if (from[0] == 0 && e instanceof CutoverEvent.StepFailed) {
                        from[0] = counter.boundaries;
                    }
                })
                .build()
                .start(w.plan());
        w.sim.runUntilSettled(run);
        assertThat(run.status()).isEqualTo(failing ? RunStatus.ROLLED_BACK : RunStatus.COMPLETED);
        assertThat(from[0]).as("a step failed").isPositive();
        return IntStream.rangeClosed(from[0], counter.boundaries).mapToObj(i -> Arguments.of(c, i));
    }

    /** Runs the case's plan in a process that dies after its {@code dieAt}-th saved transition; another resumes. */
    static RunState dieThenResume(World w, int dieAt) {
        VirtualScheduler.Scope first = w.sim.scheduler().scope();
        DyingStore dying = new DyingStore(w.sim.store(), first, dieAt, false);
        try {
            CutoverRun run = Engine.builder()
                    .cloud(w.cloud)
                    .stateStore(dying)
                    .scheduler(first)
                    .hooks(w.hooks())
                    .build()
                    .start(w.plan());
            w.sim.scheduler().runWhile(() -> !dying.died.get() && !run.settled().isDone());
        } catch (ProcessDied expected) {
            // died inside start()
        }
        assertThat(dying.died).as("the process died").isTrue();
        CutoverRun resumed = w.engine().resume(PLAN);
        w.sim.runUntilSettled(resumed);
        return resumed.state();
    }

    @ParameterizedTest(name = "{0}: dies after saved transition {1}")
    @MethodSource("deaths")
    void aNewEngineFinishesTheCutoverAfterADeathAtAnyStepBoundary(Case c, int dieAt) {
        World w = new World(c);
        RunState end = dieThenResume(w, dieAt);

        assertThat(end.status()).as("%s %s", end.failure(), end.steps()).isEqualTo(RunStatus.COMPLETED);
        assertThat(w.usersOn()).contains("shop-green");
        assertThat(w.greenData()).isEqualTo(w.lastWrite.get());
        bluesFinalSnapshotsKeptWithItsLastWrite(w, end);
        nothingCreatedTwice(w);
        nothingLeftUnreported(w, end);
        assertThat(w.sim.store().lock("shop-prod")).isEmpty();
    }

    @ParameterizedTest(name = "{0}, failing after the freeze: dies after saved transition {1} (of the rollback)")
    @MethodSource("deathsInAFailure")
    void aNewEngineFinishesTheRollbackAfterADeathAtAnyStepBoundaryAndBlueKeepsEveryWrite(Case c, int dieAt) {
        World w = new World(c);
        w.failAfterTheFreeze();
        RunState end = dieThenResume(w, dieAt);

        assertThat(end.status()).as("%s %s", end.failure(), end.steps()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(w.usersOn()).contains("shop-blue");
        assertThat(w.cloud.stack("shop-green")).isEmpty();
        assertThat(w.ours()).isEmpty();
        assertThat(w.bg.readOnly(w.blueDb)).isFalse();
        // Every snapshot of blue the cutover took is kept as a backup, and named.
        List<String> taken = w.cloud.creations().stream()
                .filter(x ->
                        PLAN.equals(x.tags().get("cutover:plan")) && x.kind().endsWith("-snapshot"))
                .map(SimulatedCloud.Creation::id)
                .toList();
        assertThat(taken)
                .isNotEmpty()
                .allSatisfy(id -> assertThat(end.reportLines()).anyMatch(l -> l.startsWith("KEPT backup " + id)));
        nothingCreatedTwice(w);
        nothingLeftUnreported(w, end);
        long atEnd = w.blueData();
        w.sim.scheduler().runFor(Duration.ofMinutes(5));
        assertThat(w.blueData()).as("blue takes writes again").isGreaterThan(atEnd);
    }
}
