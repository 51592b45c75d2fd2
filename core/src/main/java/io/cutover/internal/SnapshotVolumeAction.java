package io.cutover.internal;

import io.cutover.engine.Operations;
import io.cutover.engine.RateBudget;
import io.cutover.plan.StepSpec;
import io.cutover.spi.VolumeProvider;
import io.cutover.spi.VolumeProvider.VolumeSnapshotDescription;
import io.cutover.step.StepContext;
import io.cutover.step.StepOutcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Snapshots a data volume. Volume snapshot ids are chosen by the provider, so the snapshot is tagged with
 * the plan and step ids in the create call itself and found by those tags after a restart.
 */
final class SnapshotVolumeAction implements Action {
    private final StepSpec.SnapshotVolume spec;

    SnapshotVolumeAction(StepSpec.SnapshotVolume spec) {
        this.spec = spec;
    }

    @Override
    public String describe() {
        return "snapshot volume " + spec.volume();
    }

    @Override
    public List<String> permissions() {
        return List.of("ec2:CreateSnapshot", "ec2:CreateTags", "ec2:DescribeSnapshots", "ec2:DeleteSnapshot");
    }

    private static Optional<VolumeSnapshotDescription> existing(StepContext ctx) {
        return ctx
                .cloud()
                .volumes()
                .findSnapshots(Map.of(
                        "cutover:plan",
                        ctx.plan().id(),
                        "cutover:step",
                        ctx.stepId().value()))
                .stream()
                .findFirst();
    }

    @Override
    public StepOutcome start(StepContext ctx) {
        String volume = ctx.resolve(spec.volume());
        String id = existing(ctx)
                .map(VolumeSnapshotDescription::id)
                .orElseGet(() -> ctx.cloud()
                        .volumes()
                        .createSnapshot(volume, "cutover " + ctx.plan().id() + " " + ctx.stepId(), ctx.tags()));
        return StepOutcome.Pending.of(
                Operations.VOLUME_SNAPSHOT, "snapshot " + id + " of " + volume + " started", Map.of("snapshotId", id));
    }

    @Override
    public StepOutcome poll(StepContext ctx) {
        Optional<String> id = ctx.memo("snapshotId");
        if (id.isEmpty()) {
            return start(ctx);
        }
        VolumeSnapshotDescription s = ctx.cloud().volumes().describeSnapshot(id.get());
        if (s.status() == VolumeProvider.Status.COMPLETED) {
            return StepOutcome.Done.of(Map.of("snapshotId", id.get()));
        }
        if (s.status() == VolumeProvider.Status.ERROR || s.status() == VolumeProvider.Status.DELETED) {
            return Calls.failed("snapshot " + id.get() + " of " + spec.volume() + " ended in " + s.status());
        }
        return StepOutcome.Pending.of(
                Operations.VOLUME_SNAPSHOT, "snapshot " + id.get() + " " + s.progressPercent() + "%");
    }

    @Override
    public Compensation compensation() {
        return Compensation.REMOVES_GREEN;
    }

    @Override
    public String describeCompensation() {
        return "delete the volume snapshot this cutover took";
    }

    @Override
    public StepOutcome compensate(StepContext ctx) {
        Optional<VolumeSnapshotDescription> s = existing(ctx);
        if (s.isEmpty()) {
            return StepOutcome.Done.of();
        }
        if (s.get().status() == VolumeProvider.Status.PENDING) {
            return StepOutcome.Pending.of(
                    Operations.VOLUME_SNAPSHOT,
                    "waiting for snapshot " + s.get().id() + " to finish before deleting it");
        }
        Calls.deleteQuietly(() -> ctx.cloud().volumes().deleteSnapshot(s.get().id()));
        return StepOutcome.Done.of();
    }

    @Override
    public Map<String, Integer> calls(String phase, Map<String, String> memo) {
        return phase.equals("poll")
                ? Map.of(RateBudget.EC2_DESCRIBE, 1)
                : Map.of(RateBudget.EC2_DESCRIBE, 1, RateBudget.EC2_MUTATE, 1);
    }
}
