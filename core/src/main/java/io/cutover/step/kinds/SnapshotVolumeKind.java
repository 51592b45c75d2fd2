package io.cutover.step.kinds;

import io.cutover.internal.*;
import io.cutover.plan.Identifiers;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Validation;
import io.cutover.spi.VolumeProvider;
import io.cutover.spi.VolumeProvider.VolumeSnapshotDescription;
import io.cutover.step.Arns;
import io.cutover.step.Compensation;
import io.cutover.step.CreatedResource;
import io.cutover.step.Grant;
import io.cutover.step.Operations;
import io.cutover.step.PreflightReads;
import io.cutover.step.Services;
import io.cutover.step.StepBehaviour;
import io.cutover.step.StepBehaviour.Phase;
import io.cutover.step.StepContext;
import io.cutover.step.StepKind;
import io.cutover.step.StepOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Snapshots a data volume. Volume snapshot ids are chosen by the provider, so the snapshot is tagged with
 * the plan and step ids in the create call itself and found by those tags after a restart.
 */
final class SnapshotVolumeKind implements StepKind<StepSpec.SnapshotVolume> {
    @Override
    public String name() {
        return "snapshot-volume";
    }

    @Override
    public Class<StepSpec.SnapshotVolume> type() {
        return StepSpec.SnapshotVolume.class;
    }

    @Override
    public void validate(StepSpec.SnapshotVolume s, Validation v) {
        if (s.volume() == null) {
            v.problem("volume", "is missing; name a volume of the environment, e.g. vol-0123456789abcdef0");
        } else if (!Validation.refers(s.volume())) {
            Identifiers.checkVolumeId(s.volume()).ifPresent(m -> v.problem("volume", m));
        }
    }

    @Override
    public Map<String, String> textFields(StepSpec.SnapshotVolume s) {
        return Kinds.fields("volume", s.volume());
    }

    @Override
    public Outputs outputs(StepSpec.SnapshotVolume s) {
        return Outputs.of("snapshotId");
    }

    @Override
    public void preflight(StepSpec.SnapshotVolume s, PreflightReads reads) {
        if (!Validation.refers(s.volume())) {
            reads.read(
                    "volume",
                    "volume '" + s.volume() + "'",
                    () -> reads.cloud().volumes().describe(s.volume()));
        }
    }

    @Override
    public Map<String, Integer> preflightCalls(StepSpec.SnapshotVolume s) {
        return Map.of(Services.EC2_DESCRIBE, 1);
    }

    @Override
    public List<CreatedResource> created(
            StepSpec.SnapshotVolume s, Map<String, String> outputs, Map<String, String> memo) {
        return Kinds.created(CreatedResource.Type.VOLUME_SNAPSHOT, outputs, memo, "snapshotId");
    }

    @Override
    public Duration minimumDuration(StepSpec.SnapshotVolume s, Function<String, Duration> expected) {
        return expected.apply(Operations.VOLUME_SNAPSHOT);
    }

    @Override
    public List<Grant> grants(StepSpec.SnapshotVolume s, Plan plan, Arns arns) {
        // A snapshot's id is AWS's: the snapshot is created with this cutover's tags in the same call, and only
        // a snapshot carrying them may be tagged (at creation) or deleted.
        String snapshots = arns.ec2("snapshot", "*");
        return List.of(
                Grant.read(List.of("ec2:DescribeSnapshots"), List.of("*")),
                Grant.write(List.of("ec2:CreateSnapshot"), List.of(arns.ec2("volume", Names.literal(s.volume())))),
                Grant.write(
                        List.of("ec2:CreateSnapshot"),
                        List.of(snapshots),
                        Grant.Condition.equals("aws:RequestTag/cutover:plan", plan.id())),
                Grant.write(
                        List.of("ec2:CreateTags"),
                        List.of(snapshots),
                        Grant.Condition.equals("ec2:CreateAction", "CreateSnapshot")));
    }

    @Override
    public StepBehaviour behaviour(StepSpec.SnapshotVolume step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private final StepSpec.SnapshotVolume spec;

        Behaviour(StepSpec.SnapshotVolume spec) {
            this.spec = spec;
        }

        @Override
        public String describe() {
            return "snapshot volume " + spec.volume();
        }

        @Override
        public List<String> permissions() {
            return List.of("ec2:CreateSnapshot", "ec2:CreateTags", "ec2:DescribeSnapshots");
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
            FoundByTags.Next next = FoundByTags.findOrCreate(
                    ctx,
                    "snapshot",
                    () -> existing(ctx).map(VolumeSnapshotDescription::id),
                    () -> ctx.cloud()
                            .volumes()
                            .createSnapshot(volume, "cutover " + ctx.plan().id() + " " + ctx.stepId(), ctx.tags()));
            if (next instanceof FoundByTags.Next.Looking l) {
                return new StepOutcome.Pending(
                        Operations.VOLUME_SNAPSHOT,
                        Optional.of(java.time.Duration.ofSeconds(15)),
                        "looking for a snapshot of " + volume + " an earlier call may have started (until " + l.until()
                                + ", before starting one)",
                        l.memo());
            }
            if (next instanceof FoundByTags.Next.Created c) {
                return started(c.id(), volume).withMemo(c.memo());
            }
            return started(((FoundByTags.Next.Found) next).id(), volume);
        }

        /**
         * A snapshot after a volume's first copies only the blocks changed since the last one and may be done in
         * seconds (a final one taken just after writes froze), so the first look comes soon; later ones follow the
         * progress EC2 reports ({@link #next}).
         */
        private static StepOutcome.Pending started(String id, String volume) {
            return new StepOutcome.Pending(
                    Operations.VOLUME_SNAPSHOT,
                    Optional.of(FIRST_LOOK),
                    "snapshot " + id + " of " + volume + " started",
                    Map.of("snapshotId", id));
        }

        static final Duration FIRST_LOOK = Duration.ofSeconds(1);

        /**
         * When to look again at a snapshot {@code percent} done after {@code elapsed}: when it would be done at the
         * rate so far (at least a second, at most five minutes from now); the engine's own expectation while EC2
         * reports no progress yet.
         */
        static Optional<Duration> next(Duration elapsed, int percent) {
            if (percent <= 0 || percent >= 100) {
                return Optional.empty();
            }
            Duration left = Duration.ofMillis(elapsed.toMillis() * (100 - percent) / percent);
            Duration min = Duration.ofSeconds(1);
            Duration max = Duration.ofMinutes(5);
            return Optional.of(left.compareTo(min) < 0 ? min : left.compareTo(max) > 0 ? max : left);
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            Optional<String> id = ctx.memo("snapshotId");
            if (id.isEmpty()) {
                return start(ctx);
            }
            Optional<VolumeSnapshotDescription> found =
                    Calls.find(() -> ctx.cloud().volumes().describeSnapshot(id.get()));
            if (found.isEmpty()) {
                if (Kinds.mayNotBeVisibleYet(ctx)) {
                    return StepOutcome.Pending.of(
                            Operations.VOLUME_SNAPSHOT, "snapshot " + id.get() + " not visible yet");
                }
                return Calls.failed("snapshot " + id.get() + " of " + spec.volume() + " does not exist");
            }
            VolumeSnapshotDescription s = found.get();
            if (s.status() == VolumeProvider.Status.COMPLETED) {
                return StepOutcome.Done.of(Map.of("snapshotId", id.get()));
            }
            if (s.status() == VolumeProvider.Status.ERROR || s.status() == VolumeProvider.Status.DELETED) {
                return Calls.failed("snapshot " + id.get() + " of " + spec.volume() + " ended in " + s.status());
            }
            int pct = Math.max(0, Math.min(100, s.progressPercent()));
            return new StepOutcome.Pending(
                            Operations.VOLUME_SNAPSHOT,
                            next(Duration.between(ctx.startedAt(), ctx.now()), pct),
                            "snapshot " + id.get() + " " + s.progressPercent() + "%",
                            Map.of())
                    .withPercent(pct);
        }

        @Override
        public Compensation compensation() {
            return Compensation.KEEPS_BACKUP;
        }

        @Override
        public String describeCompensation() {
            return "nothing: the volume snapshot is a backup of blue's data and is kept (the report names it)";
        }

        @Override
        public Map<String, Integer> calls(Phase phase, Map<String, String> memo) {
            return phase == Phase.START
                    ? Map.of(Services.EC2_DESCRIBE, 1, Services.EC2_MUTATE, 1)
                    : Map.of(Services.EC2_DESCRIBE, 1);
        }
    }
}
