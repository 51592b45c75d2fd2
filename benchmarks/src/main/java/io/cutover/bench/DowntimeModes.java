package io.cutover.bench;

import io.cutover.engine.CutoverRun;
import io.cutover.plan.Environment;
import io.cutover.plan.Environment.Database;
import io.cutover.plan.Environment.Database.Kind;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.plan.StepSpec.Check;
import io.cutover.plan.StepSpec.TemplateRef;
import io.cutover.plan.Steps;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.simulator.ReplicaSimulation;
import io.cutover.state.RunState;
import io.cutover.state.StepStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The downtime (writes frozen to traffic on green) of the demo plan, the parallel upgrade with a rehearsal, in
 * each way it can end the freeze, on one latency model: each mode in a world of its own, run until users are on
 * green, its floor the plan's critical path from the freeze to the switch.
 */
final class DowntimeModes {
    static final String LISTENER =
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/app-0/50dc6c495c0c9188/f2f7dc8efc522ab2";
    static final String BLUE_TG =
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app-0-blue/0a1b2c3d4e5f6a7b";
    static final String GREEN_TG =
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app-0-green/1a2b3c4d5e6f7a8b";

    /** One mode's figures, as {@code benchmarks.json} lists them under {@code "downtime"}. */
    record Figure(String mode, Duration downtime, Duration floor, StepId switchStep) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", mode);
            m.put("downtimeSeconds", Measure.seconds(downtime));
            m.put("floorSeconds", Measure.seconds(floor));
            return m;
        }
    }

    /**
     * A mode: its plan, the step that moves users, and its floor where the critical path's cost model does not fit
     * (a snapshot-volume step costs a first, full snapshot there, which the blue/green modes' final increment is not).
     */
    private record Mode(
            String name,
            StepId switchStep,
            BiFunction<World, World.App, Plan> plan,
            BiFunction<Latencies, World, Optional<Duration>> floor) {
        Mode(String name, StepId switchStep, BiFunction<World, World.App, Plan> plan) {
            this(name, switchStep, plan, (l, w) -> Optional.empty());
        }
    }

    /** How green gets blue's data disk after the freeze. */
    enum Disk {
        /** The application keeps no data on a disk. */
        NONE,
        /** A copy of blue's volume (CopyVolumes) replaces green's. */
        COPY,
        /** A final snapshot of blue's volume, then a volume created from it, replaces green's. */
        SNAPSHOT
    }

    /**
     * The critical path from the freeze to the switch, by the same latency model: the database's own step after the
     * freeze (the switchover at AWS's documented figure, or a replica's promotion) beside the data disk's re-sync,
     * then, with DNS, the record's sync. The re-sync is a copy of blue's volume ({@link Latencies#volumeCopy()}),
     * or the final snapshot (an increment of the one taken just before the freeze: the model's time for the MiB
     * written between them, {@code finalSnapshot}) then a volume created from it; attach and detach take no time in
     * the model.
     */
    private static Duration syncFloor(
            Latencies l, Duration switchover, Disk disk, boolean dns, Duration finalSnapshot) {
        Duration resync = switch (disk) {
            case NONE -> Duration.ZERO;
            case COPY -> l.volumeCopy();
            case SNAPSHOT -> finalSnapshot.plus(l.volumeCreate());
        };
        return (resync.compareTo(switchover) > 0 ? resync : switchover).plus(dns ? l.dnsSync() : Duration.ZERO);
    }

    /** A blue/green mode's row: its plan and its floor. */
    private static Mode syncMode(String name, boolean lb, Disk disk, boolean replica) {
        return new Mode(
                name,
                StepId.of(lb ? "switch-target-group" : "switch-dns"),
                (w, app) -> blueGreen(w, app, lb, disk, replica),
                (l, w) -> Optional.of(syncFloor(
                        l,
                        replica ? ReplicaSimulation.defaultPromoteTime() : l.blueGreenSwitchover(),
                        disk,
                        !lb,
                        disk == Disk.SNAPSHOT ? finalSnapshot(w) : Duration.ZERO)));
    }

    private static final List<Mode> MODES = List.of(
            new Mode(
                    "snapshot-restore, dns",
                    StepId.of("switch-dns"),
                    (w, app) -> w.upgrade(app).build()),
            new Mode("snapshot-restore, load-balancer", StepId.of("switch-target-group"), (w, app) -> {
                w.cloud
                        .targetGroup(BLUE_TG, app.blueStack())
                        .targetGroup(GREEN_TG, app.greenStack())
                        .listener(LISTENER, "app-0-alb.elb.example.com", BLUE_TG);
                return w.upgrade(app).switchTargetGroup(LISTENER, GREEN_TG).build();
            }),
            syncMode("rds-blue-green, dns", false, Disk.COPY, false),
            syncMode("rds-blue-green, load-balancer", true, Disk.COPY, false),
            syncMode("rds-blue-green, load-balancer, disk from a snapshot", true, Disk.SNAPSHOT, false),
            syncMode("rds-blue-green, load-balancer, no data disk", true, Disk.NONE, false),
            syncMode("read-replica, dns", false, Disk.COPY, true),
            syncMode("read-replica, load-balancer", true, Disk.COPY, true),
            syncMode("read-replica, load-balancer, no data disk", true, Disk.NONE, true));

    /** The model's time for the final snapshot of blue's data disk the run took. */
    private static Duration finalSnapshot(World w) {
        return w.cloud.volumeSnapshots().stream()
                .filter(x -> "snap-final-vol".equals(x.tags().get("cutover:step")))
                .findFirst()
                .flatMap(x -> w.cloud.volumeModel().snapshotTook(x.id()))
                .orElseThrow(() -> new IllegalStateException("no final snapshot of the data disk was taken"));
    }

    private DowntimeModes() {}

    /**
     * The demo plan in the rds-blue-green mode: blue's database (standing alone, as the mode requires) gets an RDS
     * Blue/Green Deployment during the rehearsal; blue's data disk is snapshotted for the rehearsal (a full copy)
     * and again just before the freeze (an increment, so that the final one after the freeze is small). After the
     * freeze the switchover runs beside the disk's re-sync, which replaces green's data volume on green's instance
     * (replace-volume, no stack update) with a copy of blue's volume ({@link Disk#COPY}) or with a volume of the
     * final snapshot ({@link Disk#SNAPSHOT}); the final snapshot is taken either way, so that blue's data has a
     * fresh snapshot. Users move by DNS or by the load balancer. With {@link Disk#NONE} the application keeps no
     * data on a disk: nothing but the switchover between the freeze and the switch. With {@code replica}, the
     * read-replica mode: a read replica of blue's database made during the rehearsal and promoted after the freeze,
     * in place of the deployment and its switchover.
     */
    private static Plan blueGreen(World w, World.App blueApp, boolean lb, Disk diskMode, boolean replica) {
        boolean disk = diskMode != Disk.NONE;
        String dbId = "app-0-db";
        w.cloud.addDatabase(Kind.INSTANCE, dbId, null);
        Database db = new Database(Kind.INSTANCE, dbId, false);
        Environment env = Environment.of(blueApp.env.name(), blueApp.env.stack())
                .withDatabase(db)
                .withVolume(blueApp.volume());
        if (!lb) {
            env = env.withDns(blueApp.env.dns().orElseThrow());
        }
        World.App app = new World.App(0, env, blueApp.host);
        w.apps.set(0, app);
        Check health = Check.Http.of("http://${green.outputs.Endpoint}/health");
        List<StepSpec> steps = new ArrayList<>();
        steps.add(
                replica
                        ? Steps.createReadReplica("create-bg").database(db).build()
                        : Steps.createBlueGreen("create-bg").database(db).build());
        List<String> rehearsal = new ArrayList<>();
        if (disk) {
            steps.add(Steps.snapshotVolume("snap-rehearsal-vol")
                    .volume(app.volume())
                    .build());
            rehearsal.add("snap-rehearsal-vol");
        }
        var clone = Steps.cloneStack("clone")
                .dependsOn(rehearsal.toArray(String[]::new))
                .stackName(app.greenStack())
                .template(TemplateRef.ofBody(CloudSimulation.sampleTemplate()))
                .parameter("AppVersion", "2.0");
        if (disk) {
            clone.parameter("DataSnapshotId", "${snap-rehearsal-vol.snapshotId}");
        }
        steps.add(clone.build());
        steps.add(Steps.verify("verify-rehearsal")
                .dependsOn("clone")
                .check(health)
                .build());
        List<String> freezeAfter = new ArrayList<>(List.of("create-bg", "verify-rehearsal"));
        if (disk) {
            // Taken while blue still writes: the snapshot after the freeze copies only what changed since this one.
            steps.add(Steps.snapshotVolume("snap-prefreeze-vol")
                    .dependsOn("verify-rehearsal")
                    .volume(app.volume())
                    .build());
            freezeAfter.add("snap-prefreeze-vol");
        }
        if (!lb) {
            steps.add(Steps.lowerTtl("lower-ttl").ttl(60).build());
            freezeAfter.add("lower-ttl");
        }
        steps.add(Steps.hook("freeze")
                .dependsOn(freezeAfter.toArray(String[]::new))
                .hook("freeze-0")
                .undo("unfreeze-0")
                .downtime(StepSpec.Downtime.STARTS)
                .build());
        steps.add(
                replica
                        ? Steps.promoteReadReplica("switchover")
                                .dependsOn("freeze")
                                .replica("${create-bg.databaseId}")
                                .build()
                        : Steps.switchoverBlueGreen("switchover")
                                .dependsOn("freeze")
                                .deployment("${create-bg.deploymentId}")
                                .build());
        List<String> ready = new ArrayList<>(List.of("switchover"));
        if (disk) {
            steps.add(Steps.snapshotVolume("snap-final-vol")
                    .dependsOn("freeze")
                    .volume(app.volume())
                    .build());
            var replace = Steps.replaceVolume("replace-disk").volume("${green.outputs.DataVolumeId}");
            steps.add(
                    diskMode == Disk.COPY
                            ? replace.dependsOn("freeze").copyOf(app.volume()).build()
                            : replace.dependsOn("snap-final-vol")
                                    .snapshot("${snap-final-vol.snapshotId}")
                                    .build());
            ready.add("replace-disk");
        }
        steps.add(Steps.verify("verify-final")
                .dependsOn(ready.toArray(String[]::new))
                .check(health)
                .build());
        if (lb) {
            w.cloud
                    .targetGroup(BLUE_TG, app.blueStack())
                    .targetGroup(GREEN_TG, app.greenStack())
                    .listener(LISTENER, "app-0-alb.elb.example.com", BLUE_TG);
            steps.add(Steps.switchTargetGroup("switch-target-group")
                    .dependsOn("verify-final")
                    .listener(LISTENER)
                    .targetGroup(GREEN_TG)
                    .build());
        } else {
            steps.add(Steps.switchDns("switch-dns")
                    .dependsOn("verify-final")
                    .target("${green.outputs.Endpoint}")
                    .build());
            // The validator wants the lowered TTL given back; after the switch, so no part of the downtime.
            steps.add(Steps.restoreTtl("restore-ttl")
                    .dependsOn("switch-dns")
                    .lowered("lower-ttl")
                    .build());
        }
        return Plan.of("upgrade-0", env, steps);
    }

    static List<Figure> measure(Latencies latencies, java.util.function.Supplier<RateLimits> limits) {
        List<Figure> out = new ArrayList<>();
        for (Mode mode : MODES) {
            // Rate limits of its own: a bucket keeps its level, and every world starts at the same virtual instant.
            World w = new World(latencies, limits.get(), new Faults()).deploy(1);
            World.App app = w.apps.get(0);
            Plan plan = mode.plan().apply(w, app);
            CriticalPath cp = CriticalPath.of(plan, mode.switchStep(), latencies, World.RECORD_TTL);
            // Paced by AWS's rate figures: a plan with DNS makes more Route 53 reads in its preflight than the
            // bucket's burst of 5.
            CutoverRun run =
                    w.engine(w.scheduler.scope(), w.hooks(true)).build().start(plan);
            w.startWriting(w.apps.get(0)); // the blue/green modes' application writes to its own database
            w.scheduler.runWhile(() -> run.state().step(mode.switchStep()).status() != StepStatus.SUCCEEDED
                    && !run.settled().isDone());
            RunState s = run.state();
            if (s.step(mode.switchStep()).status() != StepStatus.SUCCEEDED) {
                throw new IllegalStateException(
                        "the " + mode.name() + " cutover did not switch: " + s.status() + " " + s.failure());
            }
            Duration downtime = Duration.between(
                    s.downtimeStartedAt().orElseThrow(), s.downtimeEndedAt().orElseThrow());
            Duration floor = mode.floor().apply(latencies, w).orElse(cp.downtimeFloor());
            if (Boolean.getBoolean("cutover.bench.trace")) {
                java.time.Instant t0 = s.downtimeStartedAt().orElseThrow();
                System.out.println("  " + mode.name());
                s.steps()
                        .forEach((id, st) -> System.out.printf(
                                "    %-22s %-10s %s .. %s%n",
                                id,
                                st.status(),
                                st.startedAt()
                                        .map(t -> Duration.between(t0, t).toMillis())
                                        .orElse(null),
                                st.endedAt()
                                        .map(t -> Duration.between(t0, t).toMillis())
                                        .orElse(null)));
            }
            out.add(new Figure(mode.name(), downtime, floor, mode.switchStep()));
        }
        return out;
    }
}
