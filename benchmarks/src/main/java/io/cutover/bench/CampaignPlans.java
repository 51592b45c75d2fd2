package io.cutover.bench;

import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec;
import io.cutover.plan.StepSpec.Check;
import io.cutover.plan.StepSpec.TemplateRef;
import io.cutover.plan.Steps;
import io.cutover.plan.Strategies;
import io.cutover.simulator.CloudSimulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The plan a campaign seed runs, of one of the shapes the product supports: the parallel upgrade (with or
 * without a rehearsal, an approval gate, weighted DNS, a lower TTL, a short verify) or the in-place update
 * (maintenance mode, a backup of the database, the stack updated through a change set, a verify), or the parallel
 * upgrade in a blue/green mode ({@link Sync}: an RDS Blue/Green Deployment or a read replica, the data disk re-synced
 * by {@code replace-volume}, users moved by the listener or DNS).
 */
final class CampaignPlans {
    private CampaignPlans() {}

    /**
     * What was drawn: the plan, its shape in words, whether it updates blue in place, and the gate draw (as
     * drawn, even where the shape has no gate: later draws depend on it).
     */
    record Drawn(Plan plan, String shape, boolean inPlace, boolean gate) {}

    /** How green's database catches up with blue's after the freeze. */
    enum Sync {
        /** Today's: snapshots of blue restored into green's stack. */
        SNAPSHOT_RESTORE("snapshot-restore"),
        /** An RDS Blue/Green Deployment made during the rehearsal, switched over after the freeze. */
        RDS_BLUE_GREEN("rds-blue-green"),
        /** A read replica of blue made during the rehearsal, promoted after the freeze. */
        READ_REPLICA("read-replica");

        final String label;

        Sync(String label) {
            this.label = label;
        }
    }

    /**
     * The database sync mode of a seed, by its last digit and not by a draw (so that every other seed draws exactly
     * what it drew before these modes were in the campaign): 4 rds-blue-green, 6 read-replica. No seed a past
     * campaign found and a test replays ends in 4 or 6, so those replays hold.
     */
    static Sync sync(long seed) {
        return switch ((int) Math.floorMod(seed, 10)) {
            case 4 -> Sync.RDS_BLUE_GREEN;
            case 6 -> Sync.READ_REPLICA;
            default -> Sync.SNAPSHOT_RESTORE;
        };
    }

    /**
     * Whether a seed runs the in-place update: one seed in ten, chosen by the seed's last digit and not by a
     * draw, so that every other seed draws exactly what it drew before the shape existed (its replay holds).
     */
    static boolean inPlace(long seed) {
        return Math.floorMod(seed, 10) == 7;
    }

    /** Whether blue's record is a Route 53 alias (unless weighted): one seed in ten, by its last digit. */
    static boolean alias(long seed) {
        return Math.floorMod(seed, 10) == 1;
    }

    static Drawn draw(long seed, Random r, World w, World.App app, boolean weighted) {
        boolean rehearsal = r.nextDouble() < 0.5;
        boolean gate = r.nextDouble() < 0.15;
        Duration bake = Duration.ofMinutes(10 + r.nextInt(50));
        Strategies.ParallelUpgrade up = w.upgrade(app).bake(bake);
        String shape = rehearsal ? "with rehearsal" + (gate ? ", approval gate" : "") : "without rehearsal";
        if (!rehearsal) {
            up.withoutRehearsal();
        }
        if (gate && rehearsal) {
            up.approveBeforeFreeze();
        }
        if (weighted) {
            up.weighted(List.of(25, 128, 255));
            shape += ", weighted DNS";
        }
        if (r.nextDouble() < 0.2) {
            up.lowerTtlTo(30);
            shape += ", TTL 30 s";
        }
        if (r.nextDouble() < 0.2) {
            up.verifyTimeout(Duration.ofMinutes(5 + r.nextInt(20)));
            shape += ", short verify";
        }
        if (alias(seed) && !weighted) {
            shape += ", alias DNS";
        }
        if (sync(seed) != Sync.SNAPSHOT_RESTORE) {
            // Drawn after every draw a seed of another shape makes here, which are made all the same.
            boolean lb = r.nextBoolean();
            boolean copy = r.nextBoolean();
            int ttl = r.nextBoolean() ? 30 : 60;
            if (lb) {
                w.behindLoadBalancer(app);
            }
            String s = sync(seed).label + (lb ? ", load-balancer" : ", dns (TTL " + ttl + " s)") + ", disk by "
                    + (copy ? "copy" : "snapshot") + (gate ? ", approval gate" : "");
            return new Drawn(syncPlan(w, app, sync(seed), lb, copy, gate, ttl, bake), s, false, gate);
        }
        if (inPlace(seed)) {
            String endpoint =
                    w.cloud.stack(app.blueStack()).orElseThrow().outputs().get("Endpoint");
            Plan plan = Strategies.inPlaceUpdate(app.planId(), app.env)
                    .template(TemplateRef.ofBody(CloudSimulation.sampleTemplate()))
                    .parameter("AppVersion", "2.0")
                    .check(Check.Http.of("http://" + endpoint + "/health"))
                    .maintenanceMode("freeze-" + app.index, "unfreeze-" + app.index)
                    .build();
            return new Drawn(plan, "in-place update", true, gate);
        }
        return new Drawn(up.build(), shape, false, gate);
    }

    /**
     * The demo plan in a blue/green mode (as the downtime benchmark's, {@link DowntimeModes}), with a bake and a
     * decommission: the deployment or the replica made beside the rehearsal (green's stack from a snapshot of blue's
     * volume, verified); a snapshot of blue's volume just before the freeze; after it the switchover or the promotion
     * beside the data disk's re-sync ({@code replace-volume} of green's data volume by a copy of blue's, or by a volume
     * of the final snapshot; the final snapshot taken either way); a final check; users moved by the listener or DNS;
     * the bake; the decommission. With {@code gate}, an approval before the freeze ({@code approve-freeze}).
     */
    static Plan syncPlan(
            World w, World.App app, Sync sync, boolean lb, boolean copy, boolean gate, int ttl, Duration bake) {
        boolean replica = sync == Sync.READ_REPLICA;
        Environment.Database db = app.env.databases().get(0);
        Check health = Check.Http.of("http://${green.outputs.Endpoint}/health");
        List<StepSpec> steps = new ArrayList<>();
        steps.add(
                replica
                        ? Steps.createReadReplica("create-db").database(db).build()
                        : Steps.createBlueGreen("create-db").database(db).build());
        steps.add(
                Steps.snapshotVolume("snap-rehearsal-vol").volume(app.volume()).build());
        steps.add(Steps.cloneStack("clone")
                .dependsOn("snap-rehearsal-vol")
                .stackName(app.greenStack())
                .template(TemplateRef.ofBody(CloudSimulation.sampleTemplate()))
                .parameter("AppVersion", "2.0")
                .parameter("DataSnapshotId", "${snap-rehearsal-vol.snapshotId}")
                .build());
        steps.add(Steps.verify("verify-rehearsal")
                .dependsOn("clone")
                .check(health)
                .build());
        // Taken while blue still writes: the snapshot after the freeze copies only what changed since.
        steps.add(Steps.snapshotVolume("snap-prefreeze-vol")
                .dependsOn("verify-rehearsal")
                .volume(app.volume())
                .build());
        List<String> freezeAfter = new ArrayList<>(List.of("create-db", "snap-prefreeze-vol"));
        if (!lb) {
            steps.add(Steps.lowerTtl("lower-ttl").ttl(ttl).build());
            freezeAfter.add("lower-ttl");
        }
        if (gate) {
            steps.add(Steps.approval("approve-freeze")
                    .dependsOn(freezeAfter.toArray(String[]::new))
                    .build());
            freezeAfter = List.of("approve-freeze");
        }
        steps.add(Steps.hook("freeze")
                .dependsOn(freezeAfter.toArray(String[]::new))
                .hook("freeze-" + app.index)
                .undo("unfreeze-" + app.index)
                .downtime(StepSpec.Downtime.STARTS)
                .build());
        steps.add(
                replica
                        ? Steps.promoteReadReplica("switchover")
                                .dependsOn("freeze")
                                .replica("${create-db.databaseId}")
                                .build()
                        : Steps.switchoverBlueGreen("switchover")
                                .dependsOn("freeze")
                                .deployment("${create-db.deploymentId}")
                                .build());
        steps.add(Steps.snapshotVolume("snap-final-vol")
                .dependsOn("freeze")
                .volume(app.volume())
                .build());
        var replace = Steps.replaceVolume("replace-disk").volume("${green.outputs.DataVolumeId}");
        steps.add(
                copy
                        ? replace.dependsOn("freeze").copyOf(app.volume()).build()
                        : replace.dependsOn("snap-final-vol")
                                .snapshot("${snap-final-vol.snapshotId}")
                                .build());
        steps.add(Steps.verify("verify-final")
                .dependsOn("switchover", "replace-disk")
                .check(health)
                .build());
        String move = lb ? "switch-target-group" : "switch-dns";
        steps.add(
                lb
                        ? Steps.switchTargetGroup(move)
                                .dependsOn("verify-final")
                                .listener(World.listener(app))
                                .targetGroup(World.greenTargetGroup(app))
                                .build()
                        : Steps.switchDns(move)
                                .dependsOn("verify-final")
                                .target("${green.outputs.Endpoint}")
                                .build());
        steps.add(
                Steps.bake("bake").dependsOn(move).duration(bake).check(health).build());
        if (!lb) {
            steps.add(Steps.restoreTtl("restore-ttl")
                    .dependsOn("bake")
                    .lowered("lower-ttl")
                    .build());
        }
        steps.add(Steps.decommission("decommission").dependsOn("bake").build());
        return Plan.of(app.planId(), app.env, steps);
    }
}
