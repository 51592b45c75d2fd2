package io.cutover.bench;

import io.cutover.simulator.Faults;
import io.cutover.spi.FailureKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The faults a campaign seed of a blue/green mode draws besides every other seed's ({@link CampaignRun}). */
final class SyncFaults {
    private SyncFaults() {}

    private static final List<String> SYNC_OPERATIONS =
            List.of("CopyVolumes", "CreateVolume", "AttachVolume", "DetachVolume", "DeleteVolume", "ModifyListener");

    /**
     * The faults of a blue/green mode's own calls, drawn after every other draw of the seed: one of its calls
     * failing, its answer lost, a throttling burst of it; RDS's switchover guardrail failing; replication lagging by
     * minutes from some moment (a burst of writes or a long transaction on blue).
     */
    static void draw(Random r, List<String> faults, World w, Faults f, World.App app, CampaignPlans.Sync sync) {
        boolean replica = sync == CampaignPlans.Sync.READ_REPLICA;
        List<String> ops = new ArrayList<>(SYNC_OPERATIONS);
        ops.addAll(
                replica
                        ? List.of("CreateDBInstanceReadReplica", "PromoteReadReplica", "DeleteDBInstance")
                        : List.of(
                                "CreateBlueGreenDeployment",
                                "SwitchoverBlueGreenDeployment",
                                "DeleteBlueGreenDeployment",
                                "DescribeBlueGreenDeployments"));
        if (chance(r, 0.15)) {
            String op = ops.get(r.nextInt(ops.size()));
            f.failNext(op, chance(r, 0.5) ? FailureKind.PERMANENT : FailureKind.INVALID_REQUEST, 1);
            faults.add("operation fails: " + op);
        }
        if (chance(r, 0.25)) {
            String op = ops.get(r.nextInt(ops.size()));
            int n = 1 + r.nextInt(2);
            f.loseAnswers(op, n);
            faults.add("answer lost: " + n + "x " + op);
        }
        if (chance(r, 0.15)) {
            String op = ops.get(r.nextInt(ops.size()));
            int n = 3 + r.nextInt(25);
            f.failNext(op, FailureKind.THROTTLING, n);
            faults.add("throttling burst: " + n + "x " + op);
        }
        if (!replica && chance(r, 0.1)) {
            w.cloud.blueGreenModel().guardrailFails(app.database(), "long-running transactions on the source");
            faults.add("switchover guardrail fails: long-running transactions");
        }
        if (chance(r, 0.2)) {
            Duration from = Duration.ofMinutes(r.nextInt(90));
            Duration lag = Duration.ofSeconds(10 + r.nextInt(20 * 60));
            w.scheduler.schedule(from, () -> {
                if (replica) {
                    w.cloud.replicaModel().lag(app.database(), lag);
                } else if (w.cloud.blueGreenModel().deployments().stream()
                        .anyMatch(d -> d.blue().equals(app.database()))) {
                    w.cloud.blueGreenModel().lag(app.database(), lag);
                }
            });
            faults.add("replication lags: " + lag.toSeconds() + " s at +" + from.toMinutes() + " min");
        }
    }

    private static boolean chance(Random r, double p) {
        return r.nextDouble() < p;
    }
}
