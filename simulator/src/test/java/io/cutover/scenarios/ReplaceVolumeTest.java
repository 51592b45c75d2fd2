package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.PlanPreview;
import io.cutover.engine.VirtualScheduler;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.plan.StepSpec.Check;
import io.cutover.plan.Steps;
import io.cutover.scenarios.CrashAndResumeTest.DyingStore;
import io.cutover.scenarios.CrashAndResumeTest.ProcessDied;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.SimulatedCloud;
import io.cutover.simulator.VolumeSimulation;
import io.cutover.spi.VolumeProvider.FastRestoreState;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StepState;
import io.cutover.step.Hooks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The data disk re-synced without a stack update: after writes freeze, blue's disk is snapshotted (an increment of
 * its rehearsal snapshot) and a volume of that snapshot, or a copy of blue's volume itself (CopyVolumes), replaces
 * green's data volume on green's instance at the same device, and green answers with blue's last data. The undo puts
 * green's own volume back and deletes the one the cutover made, never another; a process that dies at any save of the
 * step leaves nothing made twice.
 */
class ReplaceVolumeTest {
    static final String DEVICE = "/dev/sdf";

    /** Where green's new data volume comes from. */
    enum Source {
        /** A volume of the final snapshot, loaded lazily. */
        SNAPSHOT,
        /** A volume of the final snapshot, warm through fast snapshot restore. */
        FAST_SNAPSHOT_RESTORE,
        /** A copy of blue's volume as the freeze left it (the final snapshot is still taken, for blue's safety). */
        COPY
    }

    /** Blue (the sample application) and green already running beside it, as a rehearsal leaves them. */
    static final class World {
        final CloudSimulation sim = CloudSimulation.create();
        final SimulatedCloud cloud = sim.cloud();
        final VolumeSimulation volumes = cloud.volumeModel();
        final io.cutover.plan.Environment env = sim.deployApp("shop-prod", "shop-blue", "1.0");
        final SimulatedCloud.SimStack green =
                cloud.deploy("shop-green", CloudSimulation.sampleTemplate(), Map.of("AppVersion", "2.0"));
        final AtomicBoolean frozen = new AtomicBoolean();
        /** What happens in the world as writes freeze (a test's change). */
        Runnable atFreeze = () -> {};

        final Hooks hooks = Hooks.builder()
                .action("freeze", ctx -> {
                    frozen.set(true);
                    atFreeze.run();
                })
                .action("unfreeze", ctx -> frozen.set(false))
                .build();

        String blueVolume() {
            return env.volumes().get(0);
        }

        void frozenThen(Runnable r) {
            atFreeze = r;
        }

        String greenVolume() {
            return green.resource("DataVolume");
        }

        String greenInstance() {
            return green.resource("AppServer");
        }

        /** Blue's application changes 100 MiB of its disk a minute until writes freeze. */
        void startWriting() {
            Runnable[] w = new Runnable[1];
            w[0] = () -> {
                if (!frozen.get()) {
                    volumes.write(blueVolume(), 100);
                    sim.scheduler().schedule(Duration.ofMinutes(1), w[0]);
                }
            };
            w[0].run();
        }

        /**
         * A first snapshot of blue's disk (the rehearsal's); then writes freeze, the final snapshot is taken and
         * green's disk replaced by a volume of it (or, with {@link Source#COPY}, by a copy of blue's volume made
         * beside the snapshot), and green is verified.
         */
        Plan plan(Source source) {
            var replace = Steps.replaceVolume("replace-disk").volume(greenVolume());
            if (source == Source.COPY) {
                replace.dependsOn("freeze").copyOf(blueVolume());
            } else {
                replace.dependsOn("snap-final-vol")
                        .snapshot("${snap-final-vol.snapshotId}")
                        .fastSnapshotRestore(source == Source.FAST_SNAPSHOT_RESTORE);
            }
            List<StepSpec> steps = List.of(
                    Steps.snapshotVolume("snap-rehearsal-vol")
                            .volume(blueVolume())
                            .build(),
                    Steps.hook("freeze")
                            .dependsOn("snap-rehearsal-vol")
                            .hook("freeze")
                            .undo("unfreeze")
                            .downtime(StepSpec.Downtime.STARTS)
                            .build(),
                    Steps.snapshotVolume("snap-final-vol")
                            .dependsOn("freeze")
                            .volume(blueVolume())
                            .build(),
                    replace.build(),
                    Steps.verify("verify-green")
                            .dependsOn("replace-disk", "snap-final-vol")
                            .check(Check.Http.of("http://shop-green.app.example.com/health"))
                            .timeout(Duration.ofMinutes(5))
                            .build());
            return Plan.of("upgrade-2-0", env, steps);
        }

        Engine.Builder engine() {
            return sim.engine().hooks(hooks);
        }

        CutoverRun run(Plan plan) {
            startWriting();
            CutoverRun run = engine().build().start(plan);
            sim.runUntilSettled(run);
            return run;
        }

        /** The volumes this cutover created (by its tags). */
        List<VolumeSimulation.View> made() {
            return volumes.all().stream()
                    .filter(v -> "replace-disk".equals(v.tags().get("cutover:step")))
                    .toList();
        }

        String finalSnapshot() {
            return cloud.volumeSnapshots().stream()
                    .filter(s -> "snap-final-vol".equals(s.tags().get("cutover:step")))
                    .findFirst()
                    .orElseThrow()
                    .id();
        }
    }

    @Test
    void greensInstanceGetsBlueDiskAsItWasAtTheFreezeAtTheSameDeviceWithoutAStackUpdate() {
        World w = new World();
        CutoverRun run = w.run(w.plan(Source.SNAPSHOT));
        RunState end = run.state();

        assertThat(end.status()).as(end.failure().orElse("")).isEqualTo(RunStatus.COMPLETED);
        VolumeSimulation.View onGreen = w.volumes.at(w.greenInstance(), DEVICE).orElseThrow();
        assertThat(w.made())
                .singleElement()
                .extracting(VolumeSimulation.View::id)
                .isEqualTo(onGreen.id());
        assertThat(onGreen.fromSnapshot()).contains(w.finalSnapshot());
        assertThat(onGreen.dataVersion())
                .as("green holds blue's disk as it was when writes froze")
                .isEqualTo(w.volumes.volume(w.blueVolume()).orElseThrow().dataVersion())
                .isGreaterThan(1);
        assertThat(onGreen.initializedAtCreation())
                .as("loaded lazily without fast snapshot restore")
                .isFalse();
        // Green's own volume is detached and kept: the cutover did not make it, so it never deletes it.
        VolumeSimulation.View old = w.volumes.volume(w.greenVolume()).orElseThrow();
        assertThat(old.instance()).isEmpty();
        assertThat(old.status()).isEqualTo("AVAILABLE");
        assertThat(end.step(StepId.of("replace-disk")).outputs())
                .containsEntry("volumeId", onGreen.id())
                .containsEntry("replacedVolumeId", w.greenVolume())
                .containsEntry("instance", w.greenInstance())
                .containsEntry("device", DEVICE);
        assertThat(w.cloud.stack("shop-green").orElseThrow().status())
                .as("no stack update")
                .isEqualTo("CREATE_COMPLETE");
        // The final snapshot is an increment of the rehearsal's: the writes between them, not the whole disk.
        Duration took = w.volumes.snapshotTook(w.finalSnapshot()).orElseThrow();
        assertThat(took).isLessThan(Latencies.ofDefaults().volumeSnapshot());
        // Writes froze, then: the snapshot, a minute for the volume, detach and attach; the engine adds seconds.
        Duration frozenFor = Duration.between(
                end.downtimeStartedAt().orElseThrow(),
                end.step(StepId.of("replace-disk")).endedAt().orElseThrow());
        assertThat(frozenFor)
                .isLessThanOrEqualTo(took.plus(Duration.ofMinutes(1)).plusSeconds(5));
    }

    @Test
    void withFastSnapshotRestoreTheVolumeIsWarmAtCreationTheCostIsInThePreviewAndItIsDisabledAfter() {
        World w = new World();
        Plan plan = w.plan(Source.FAST_SNAPSHOT_RESTORE);
        assertThat(PlanPreview.render(plan))
                .contains("fast snapshot restore")
                .contains("$0.75 per hour")
                .contains("60 minutes per TiB");
        CutoverRun run = w.run(plan);

        assertThat(run.status()).as(run.state().failure().orElse("")).isEqualTo(RunStatus.COMPLETED);
        VolumeSimulation.View onGreen = w.volumes.at(w.greenInstance(), DEVICE).orElseThrow();
        assertThat(onGreen.initializedAtCreation()).isTrue();
        assertThat(w.volumes.fastSnapshotRestore(w.finalSnapshot(), "us-east-1a"))
                .as("billed per minute: off once the volume is made")
                .contains(FastRestoreState.DISABLED);
        // 100 GiB optimize for 60 minutes per TiB: about 6 minutes before the volume could be made.
        StepState st = run.state().step(StepId.of("replace-disk"));
        assertThat(Duration.between(st.startedAt().orElseThrow(), st.endedAt().orElseThrow()))
                .isGreaterThan(Duration.ofMinutes(5).plusSeconds(50));
    }

    @Test
    void aCopyOfBluesVolumeGivesGreenBluesLastWriteInSecondsWithoutWaitingForTheSnapshot() {
        World w = new World();
        CutoverRun run = w.run(w.plan(Source.COPY));
        RunState end = run.state();

        assertThat(end.status()).as(end.failure().orElse("")).isEqualTo(RunStatus.COMPLETED);
        VolumeSimulation.View onGreen = w.volumes.at(w.greenInstance(), DEVICE).orElseThrow();
        assertThat(w.made())
                .singleElement()
                .extracting(VolumeSimulation.View::id)
                .isEqualTo(onGreen.id());
        assertThat(onGreen.copiedFrom()).contains(w.blueVolume());
        assertThat(onGreen.fromSnapshot()).isEmpty();
        assertThat(onGreen.availabilityZone()).isEqualTo("us-east-1a");
        assertThat(onGreen.dataVersion())
                .as("green holds blue's disk as it was when writes froze")
                .isEqualTo(w.volumes.volume(w.blueVolume()).orElseThrow().dataVersion())
                .isGreaterThan(1);
        assertThat(onGreen.tags()).containsEntry("cutover:plan", "upgrade-2-0");
        VolumeSimulation.View old = w.volumes.volume(w.greenVolume()).orElseThrow();
        assertThat(old.instance()).isEmpty();
        VolumeSimulation.View blue = w.volumes.volume(w.blueVolume()).orElseThrow();
        assertThat(blue.instance()).as("blue keeps its own volume, attached").isPresent();
        assertThat(w.cloud.deletedVolumes()).isEmpty();
        // The copy is made beside the final snapshot, not after it: green has its disk a second after the freeze.
        Duration frozenFor = Duration.between(
                end.downtimeStartedAt().orElseThrow(),
                end.step(StepId.of("replace-disk")).endedAt().orElseThrow());
        assertThat(frozenFor)
                .isLessThanOrEqualTo(Latencies.ofDefaults().volumeCopy().plusSeconds(1));
        assertThat(w.finalSnapshot()).as("blue's final snapshot is still taken").isNotBlank();
        assertThat(PlanPreview.render(w.plan(Source.COPY))).contains("a copy of " + w.blueVolume());
    }

    @Test
    void aCopyIsRefusedBeforeAnythingRunsWhenBluesVolumeIsInAnotherZoneThanGreens() {
        World w = new World();
        w.volumes.placeIn(w.blueVolume(), "us-east-1b");

        assertThatThrownBy(() -> w.engine().build().start(w.plan(Source.COPY)))
                .isInstanceOf(io.cutover.InvalidPlanException.class)
                .hasMessageContaining("steps[replace-disk].copyOf")
                .hasMessageContaining(w.blueVolume() + " is in us-east-1b")
                .hasMessageContaining("us-east-1a")
                .hasMessageContaining("snapshot");
        assertThat(w.sim.store().runIds()).isEmpty();
        assertThat(w.made()).isEmpty();
    }

    @Test
    void aCopyIsRefusedBeforeAnyChangeWhenTheZonesDifferOnlyWhenItRuns() {
        World w = new World();
        // Known only when the step runs (as with a reference): blue's volume is in another zone by then.
        w.frozenThen(() -> w.volumes.placeIn(w.blueVolume(), "us-east-1b"));
        CutoverRun run = w.run(w.plan(Source.COPY));

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(run.state().failure().orElse(""))
                .contains(w.blueVolume())
                .contains("us-east-1b")
                .contains("us-east-1a")
                .contains("Nothing was changed");
        assertThat(w.made()).as("no copy made").isEmpty();
        assertThat(w.volumes.at(w.greenInstance(), DEVICE))
                .map(VolumeSimulation.View::id)
                .contains(w.greenVolume());
    }

    @Test
    void aCopyKeepsBluesTypeAndProvisionedPerformanceWhichEc2WouldOtherwiseMakeGp2() {
        World w = new World();
        w.volumes.provision(w.blueVolume(), "io2", 16_000, null);
        CutoverRun run = w.run(w.plan(Source.COPY));

        assertThat(run.status()).as(run.state().failure().orElse("")).isEqualTo(RunStatus.COMPLETED);
        VolumeSimulation.View onGreen = w.volumes.at(w.greenInstance(), DEVICE).orElseThrow();
        assertThat(onGreen.type()).isEqualTo("io2");
        assertThat(onGreen.iops()).contains(16_000);

        World g = new World();
        g.volumes.provision(g.blueVolume(), "gp3", 6_000, 500);
        g.run(g.plan(Source.COPY));
        VolumeSimulation.View gp3 = g.volumes.at(g.greenInstance(), DEVICE).orElseThrow();
        assertThat(gp3.type()).isEqualTo("gp3");
        assertThat(gp3.iops()).contains(6_000);
        assertThat(gp3.throughput()).contains(500);
    }

    @Test
    void aPlanThatCopiesGreensOwnDiskOrCopiesBeforeWritesStopIsRefused() {
        World w = new World();
        Plan ownDisk = Plan.of(
                "upgrade-2-0",
                w.env,
                List.of(
                        Steps.hook("freeze")
                                .hook("freeze")
                                .undo("unfreeze")
                                .downtime(StepSpec.Downtime.STARTS)
                                .build(),
                        Steps.replaceVolume("replace-disk")
                                .dependsOn("freeze")
                                .volume(w.blueVolume())
                                .copyOf(w.greenVolume())
                                .build()));
        assertThatThrownBy(() -> w.engine().build().start(ownDisk))
                .isInstanceOf(io.cutover.InvalidPlanException.class)
                .hasMessageContaining("steps[replace-disk].volume: " + w.blueVolume() + " is blue's data volume")
                .hasMessageContaining(
                        "steps[replace-disk].copyOf: " + w.greenVolume() + " is not one of blue's data volumes");
        Plan early = Plan.of(
                "upgrade-2-0",
                w.env,
                List.of(Steps.replaceVolume("replace-disk")
                        .volume(w.greenVolume())
                        .copyOf(w.blueVolume())
                        .build()));
        assertThatThrownBy(() -> w.engine().build().start(early))
                .isInstanceOf(io.cutover.InvalidPlanException.class)
                .hasMessageContaining(
                        "steps[replace-disk].dependsOn: a copy of blue's volume must be made after" + " writes stop");
        assertThat(w.sim.store().runIds()).isEmpty();
    }

    @Test
    void whenGreenFailsAfterwardsTheUndoPutsGreensVolumeBackAndDeletesOnlyTheCopyItMade() {
        World w = new World();
        w.cloud.faults().unhealthy("shop-green");
        CutoverRun run = w.run(w.plan(Source.COPY));

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(w.volumes.at(w.greenInstance(), DEVICE))
                .map(VolumeSimulation.View::id)
                .contains(w.greenVolume());
        assertThat(w.made()).as("the copy is deleted").isEmpty();
        assertThat(w.cloud.deletedVolumes()).hasSize(1).doesNotContain(w.greenVolume(), w.blueVolume());
        assertThat(w.volumes.volume(w.blueVolume()).orElseThrow().instance())
                .as("blue's volume is untouched")
                .isPresent();
    }

    @Test
    void whenGreenFailsAfterwardsTheUndoPutsGreensVolumeBackAndDeletesOnlyTheOneItMade() {
        World w = new World();
        w.cloud.faults().unhealthy("shop-green");
        CutoverRun run = w.run(w.plan(Source.SNAPSHOT));

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(run.state().step(StepId.of("replace-disk")).status())
                .isEqualTo(io.cutover.state.StepStatus.COMPENSATED);
        assertThat(w.volumes.at(w.greenInstance(), DEVICE))
                .map(VolumeSimulation.View::id)
                .contains(w.greenVolume());
        assertThat(w.made()).as("the volume the cutover made is deleted").isEmpty();
        assertThat(w.cloud.deletedVolumes()).hasSize(1).doesNotContain(w.greenVolume(), w.blueVolume());
        assertThat(w.volumes.at(w.cloud.stack("shop-blue").orElseThrow().resource("AppServer"), DEVICE))
                .map(VolumeSimulation.View::id)
                .as("blue's disk is untouched")
                .contains(w.blueVolume());
    }

    // ---------------------------------------------------------------------------------------- deaths

    static int saves(boolean greenFails, Source source) {
        World w = new World();
        if (greenFails) {
            w.cloud.faults().unhealthy("shop-green");
        }
        VirtualScheduler.Scope p = w.sim.scheduler().scope();
        DyingStore counter =
                new DyingStore(w.sim.store(), p, Integer.MAX_VALUE, false, DyingStore.stepChanged("replace-disk"));
        w.startWriting();
        CutoverRun run = w.engine().stateStore(counter).scheduler(p).build().start(w.plan(source));
        w.sim.runUntilSettled(run);
        return counter.boundaries;
    }

    static Stream<Arguments> deaths(boolean greenFails) {
        return Stream.of(Source.SNAPSHOT, Source.COPY)
                .flatMap(source -> IntStream.rangeClosed(1, saves(greenFails, source))
                        .boxed()
                        .flatMap(i -> Stream.of(Arguments.of(source, i, true), Arguments.of(source, i, false))));
    }

    static Stream<Arguments> deathsOnTheWay() {
        return deaths(false);
    }

    static Stream<Arguments> deathsInTheUndo() {
        return deaths(true);
    }

    static CutoverRun dieThenResume(World w, Source source, int dieAt, boolean beforeSave) {
        VirtualScheduler.Scope first = w.sim.scheduler().scope();
        DyingStore dying =
                new DyingStore(w.sim.store(), first, dieAt, beforeSave, DyingStore.stepChanged("replace-disk"));
        w.startWriting();
        try {
            CutoverRun run =
                    w.engine().stateStore(dying).scheduler(first).build().start(w.plan(source));
            w.sim.scheduler().runWhile(() -> !dying.died.get() && !run.settled().isDone());
        } catch (ProcessDied expected) {
            // died inside start()
        }
        assertThat(dying.died).as("the process died").isTrue();
        CutoverRun resumed = w.engine()
                .stateStore(w.sim.store())
                .scheduler(w.sim.scheduler().scope())
                .build()
                .resume("upgrade-2-0");
        w.sim.runUntilSettled(resumed);
        return resumed;
    }

    @ParameterizedTest(name = "{0}: dies at the step's save {1}, before it: {2}")
    @MethodSource("deathsOnTheWay")
    void aNewEngineFinishesTheReplacementWithOneVolumeMade(Source source, int dieAt, boolean beforeSave) {
        World w = new World();
        CutoverRun resumed = dieThenResume(w, source, dieAt, beforeSave);

        assertThat(resumed.status()).as(resumed.state().failure().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(w.made()).as("one volume made across the death").hasSize(1);
        assertThat(w.volumes.at(w.greenInstance(), DEVICE))
                .map(VolumeSimulation.View::id)
                .contains(w.made().get(0).id());
        assertThat(w.volumes.volume(w.greenVolume()).orElseThrow().instance()).isEmpty();
        assertThat(w.cloud.deletedVolumes()).isEmpty();
    }

    @ParameterizedTest(name = "{0}, green fails; dies at the step's save {1}, before it: {2}")
    @MethodSource("deathsInTheUndo")
    void aNewEngineFinishesTheUndoAndGreenHasItsOwnVolumeBack(Source source, int dieAt, boolean beforeSave) {
        World w = new World();
        w.cloud.faults().unhealthy("shop-green");
        CutoverRun resumed = dieThenResume(w, source, dieAt, beforeSave);

        assertThat(resumed.status()).as(resumed.state().failure().orElse("")).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(w.volumes.at(w.greenInstance(), DEVICE))
                .map(VolumeSimulation.View::id)
                .contains(w.greenVolume());
        assertThat(w.made()).isEmpty();
        assertThat(w.cloud.deletedVolumes()).hasSizeLessThanOrEqualTo(1).doesNotContain(w.greenVolume());
    }
}
