package io.cutover.step.kinds;

import io.cutover.internal.*;
import io.cutover.plan.DataDisks;
import io.cutover.plan.DataDisks.ReplaceVolume;
import io.cutover.plan.Plan;
import io.cutover.plan.Validation;
import io.cutover.spi.VolumeProvider;
import io.cutover.spi.VolumeProvider.FastRestoreState;
import io.cutover.spi.VolumeProvider.Status;
import io.cutover.spi.VolumeProvider.VolumeDescription;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Puts a snapshot's data, or a copy of blue's volume, on green's machine in place of its data volume: records green's
 * volume and where it is attached (and, for a copy, checks that blue's volume is in the same zone), then (with fast
 * snapshot restore) enables it for the snapshot in that zone and waits until it is enabled, creates the new volume
 * (from the snapshot, or as a copy) (tagged with the cutover's tags, under a client token, so a repeated call returns
 * the same volume), detaches green's volume and attaches the new one at the same device. Each call looks first and
 * acts only on what it sees, so a call repeated after a crash does nothing twice. The undo puts green's volume back
 * and deletes the new one (only the one this step created and recorded).
 */
final class ReplaceVolumeKind implements StepKind<ReplaceVolume> {
    @Override
    public String name() {
        return "replace-volume";
    }

    @Override
    public Class<ReplaceVolume> type() {
        return ReplaceVolume.class;
    }

    @Override
    public void validate(ReplaceVolume s, Validation v) {
        DataDisks.check(s, v);
    }

    @Override
    public Map<String, String> textFields(ReplaceVolume s) {
        Map<String, String> f = new HashMap<>(Kinds.fields("volume", s.volume()));
        f.putAll(Kinds.fields("snapshot", s.snapshot()));
        s.copyOf().ifPresent(c -> f.putAll(Kinds.fields("copyOf", c)));
        return f;
    }

    @Override
    public Outputs outputs(ReplaceVolume s) {
        return Outputs.of("volumeId", "replacedVolumeId", "instance", "device");
    }

    @Override
    public void preflight(ReplaceVolume s, PreflightReads reads) {
        var green = new java.util.concurrent.atomic.AtomicReference<VolumeDescription>();
        var blue = new java.util.concurrent.atomic.AtomicReference<VolumeDescription>();
        if (!Validation.refers(s.volume())) {
            reads.read(
                    "volume",
                    "volume '" + s.volume() + "'",
                    () -> green.set(reads.cloud().volumes().describe(s.volume())));
        }
        s.copyOf()
                .filter(c -> !Validation.refers(c))
                .ifPresent(c -> reads.read(
                        "copyOf",
                        "volume '" + c + "'",
                        () -> blue.set(reads.cloud().volumes().describe(c))));
        // Both named: the copy's zone is known before anything runs (with a reference, the step checks it itself).
        if (green.get() != null
                && blue.get() != null
                && !green.get().availabilityZone().equals(blue.get().availabilityZone())) {
            reads.problem(
                    "copyOf",
                    blue.get().id() + " is in " + blue.get().availabilityZone() + " and green's volume "
                            + green.get().id() + " in " + green.get().availabilityZone()
                            + "; a volume copy stays in its source's zone (CopyVolumes): put green in "
                            + blue.get().availabilityZone() + ", or use snapshot: instead of copyOf");
        }
    }

    @Override
    public Map<String, Integer> preflightCalls(ReplaceVolume s) {
        int n = (Validation.refers(s.volume()) ? 0 : 1)
                + (s.copyOf().filter(c -> !Validation.refers(c)).isPresent() ? 1 : 0);
        return n == 0 ? Map.of() : Map.of(Services.EC2_DESCRIBE, n);
    }

    @Override
    public List<CreatedResource> created(ReplaceVolume s, Map<String, String> outputs, Map<String, String> memo) {
        return Kinds.created(CreatedResource.Type.VOLUME, outputs, memo, "volumeId");
    }

    @Override
    public Duration minimumDuration(ReplaceVolume s, Function<String, Duration> expected) {
        Duration d = expected.apply(s.copyOf().isPresent() ? Operations.VOLUME_COPY : Operations.VOLUME_CREATE)
                .plus(expected.apply(Operations.VOLUME_ATTACH).multipliedBy(2));
        return s.fastSnapshotRestore() ? d.plus(expected.apply(Operations.FAST_SNAPSHOT_RESTORE)) : d;
    }

    @Override
    public List<Grant> grants(ReplaceVolume s, Plan plan, Arns arns) {
        String volumes = arns.ec2("volume", "*");
        String plans = "aws:ResourceTag/cutover:plan";
        String create = s.copyOf().isPresent() ? "CopyVolumes" : "CreateVolume";
        List<Grant> out = new java.util.ArrayList<>(List.of(
                Grant.read(List.of("ec2:DescribeVolumes"), List.of("*")),
                // The new volume is created with this cutover's tags in the same call, from the snapshot or as a
                // copy of blue's volume.
                Grant.write(
                        List.of("ec2:" + create),
                        List.of(volumes),
                        Grant.Condition.equals("aws:RequestTag/cutover:plan", plan.id())),
                Grant.write(
                        List.of("ec2:CreateTags"),
                        List.of(volumes),
                        Grant.Condition.equals("ec2:CreateAction", create)),
                // Green's volume and the new one move on green's instance, named by green's stack's outputs.
                Grant.write(
                        List.of("ec2:AttachVolume", "ec2:DetachVolume"), List.of(arns.ec2("instance", "*"), volumes)),
                // Only a volume carrying this cutover's tag is ever deleted (the undo's).
                Grant.write(List.of("ec2:DeleteVolume"), List.of(volumes), Grant.Condition.equals(plans, plan.id()))));
        if (s.copyOf().isEmpty()) {
            out.add(Grant.write(List.of("ec2:CreateVolume"), List.of(arns.ec2("snapshot", "*"))));
        } else {
            // CopyVolumes is authorized on the source volume as well as on the copy, and the aws:RequestTag condition
            // above holds only for the copy being created (as CreateSnapshot's is for the snapshot, not its volume):
            // AWS's own AmazonEBSCSIDriverPolicy grants the source in a statement of its own. Scoped to blue's volume.
            // A reference to a volume known only while the cutover runs is one of blue's (the plan's validation refuses
            // a literal that is not): blue's volumes, or any where the plan names none.
            String src = s.copyOf().get();
            List<String> sources = !Validation.refers(src)
                    ? List.of(arns.ec2("volume", src))
                    : plan.environment().volumes().isEmpty()
                            ? List.of(volumes)
                            : plan.environment().volumes().stream()
                                    .map(v -> arns.ec2("volume", v))
                                    .toList();
            out.add(Grant.write(List.of("ec2:CopyVolumes"), sources));
        }
        if (s.copyOf().isPresent()) {
            // Decommission deletes blue's volume only once the copy has all its blocks (its initialization).
            out.add(Grant.read(List.of("ec2:DescribeVolumeStatus"), List.of("*")));
        }
        if (s.fastSnapshotRestore()) {
            out.add(Grant.read(List.of("ec2:DescribeFastSnapshotRestores"), List.of("*")));
            out.add(Grant.write(
                    List.of("ec2:EnableFastSnapshotRestores", "ec2:DisableFastSnapshotRestores"),
                    List.of(arns.ec2("snapshot", "*"))));
        }
        return out;
    }

    @Override
    public StepBehaviour behaviour(ReplaceVolume step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private static final Duration SOON = Duration.ofSeconds(1);
        private static final Duration CREATING = Duration.ofSeconds(2);
        private final ReplaceVolume spec;

        Behaviour(ReplaceVolume spec) {
            this.spec = spec;
        }

        @Override
        public String describe() {
            if (spec.copyOf().isPresent()) {
                return "replace green's data volume " + spec.volume() + " with a copy of "
                        + spec.copyOf().get()
                        + " as it is when the step runs (CopyVolumes; same zone, instance and device): usable at"
                        + " once, its blocks copied in the background";
            }
            String base = "replace green's data volume " + spec.volume() + " with a volume of snapshot "
                    + spec.snapshot() + " (same zone, instance and device)";
            if (!spec.fastSnapshotRestore()) {
                return base + "; its blocks load lazily, so first reads of each block are slow";
            }
            return base + ", fully initialized through fast snapshot restore: enabling it takes 60 minutes per TiB of"
                    + " the snapshot, and costs " + DataDisks.FAST_SNAPSHOT_RESTORE_PRICE
                    + "; the step disables it once the volume is made";
        }

        @Override
        public List<String> permissions() {
            List<String> p = new java.util.ArrayList<>(List.of(
                    "ec2:DescribeVolumes",
                    spec.copyOf().isPresent() ? "ec2:CopyVolumes" : "ec2:CreateVolume",
                    "ec2:CreateTags",
                    "ec2:AttachVolume",
                    "ec2:DetachVolume",
                    "ec2:DeleteVolume"));
            if (spec.copyOf().isPresent()) {
                p.add("ec2:DescribeVolumeStatus");
            }
            if (spec.fastSnapshotRestore()) {
                p.addAll(List.of(
                        "ec2:EnableFastSnapshotRestores",
                        "ec2:DisableFastSnapshotRestores",
                        "ec2:DescribeFastSnapshotRestores"));
            }
            return p;
        }

        /**
         * Records green's volume, its instance, device, zone, size and type, and the token of the create to come,
         * before any change: the undo needs them, and the new volume is known as this step's before it exists.
         */
        @Override
        public StepOutcome start(StepContext ctx) {
            if (ctx.memo("instance").isPresent()) {
                return poll(ctx);
            }
            String old = ctx.resolve(spec.volume());
            VolumeDescription d = ctx.cloud().volumes().describe(old);
            if (d.attachedInstance().isEmpty() || d.device().isEmpty()) {
                return Calls.failed("green's volume " + old + " is attached to no instance (it is " + d.status()
                        + "); replace-volume swaps the data volume an instance uses: name the one green's"
                        + " instance has, e.g. ${green.outputs.DataVolumeId}");
            }
            Map<String, String> memo = new HashMap<>();
            int size = d.sizeGb();
            // The new volume is like the one it stands for: blue's (a copy) or green's (from a snapshot), in type and
            // in provisioned performance, unless the plan names another type.
            VolumeDescription like = d;
            if (spec.copyOf().isPresent()) {
                String src = ctx.resolve(spec.copyOf().get());
                VolumeDescription sd = ctx.cloud().volumes().describe(src);
                if (src.equals(old) || sd.attachedInstance().equals(d.attachedInstance())) {
                    return Calls.failed("copyOf " + src + " is green's own disk (attached to green's instance "
                            + d.attachedInstance().get() + "), not blue's: copyOf names blue's data volume and volume"
                            + " green's. Nothing was changed");
                }
                if (!sd.availabilityZone().equals(d.availabilityZone())) {
                    return Calls.failed("blue's volume " + src + " is in " + sd.availabilityZone()
                            + " and green's instance " + d.attachedInstance().get() + " in " + d.availabilityZone()
                            + "; a volume copy stays in its source's zone (CopyVolumes), so it cannot reach green:"
                            + " put green's instance in " + sd.availabilityZone() + ", or use snapshot: instead of"
                            + " copyOf. Nothing was changed");
                }
                memo.put("source", src);
                size = Math.max(size, sd.sizeGb());
                like = sd;
            }
            String type = spec.volumeType().or(like::volumeType).orElse("gp3");
            VolumeProvider.Performance perf = like.volumeType().equals(Optional.of(type))
                    ? like.performance().forType(type)
                    : VolumeProvider.Performance.DEFAULT;
            if (VolumeProvider.Performance.requiresIops(type) && perf.iops().isEmpty()) {
                return Calls.failed("a " + type + " volume needs its IOPS, which " + like.id() + " (of type "
                        + like.volumeType().orElse("unknown") + ") does not give: leave volumeType out to keep the"
                        + " type of " + like.id() + ", or name one that takes no IOPS. Nothing was changed");
            }
            memo.put("replacedVolumeId", old);
            memo.put("instance", d.attachedInstance().get());
            memo.put("device", d.device().get());
            memo.put("zone", d.availabilityZone());
            memo.put("size", String.valueOf(size));
            memo.put("type", type);
            perf.iops().ifPresent(i -> memo.put("iops", String.valueOf(i)));
            perf.throughputMiBps().ifPresent(t -> memo.put("throughput", String.valueOf(t)));
            memo.put("createToken", ctx.token("volume"));
            if (spec.fastSnapshotRestore()) {
                memo.put("fsr", ctx.resolve(spec.snapshot()));
            }
            return new StepOutcome.Pending(
                    Operations.VOLUME_REPLACE,
                    Optional.of(Duration.ZERO),
                    "green's volume " + old + " is on " + d.attachedInstance().get() + " at "
                            + d.device().get(),
                    memo);
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            if (ctx.memo("instance").isEmpty()) {
                return start(ctx);
            }
            VolumeProvider volumes = ctx.cloud().volumes();
            Optional<String> source = ctx.memo("source");
            String snapshot = source.isPresent() ? "" : ctx.resolve(spec.snapshot());
            String from = source.map(x -> "a copy of " + x).orElse("of snapshot " + snapshot);
            String zone = ctx.memo("zone").orElseThrow();
            String instance = ctx.memo("instance").orElseThrow();
            String device = ctx.memo("device").orElseThrow();
            String old = ctx.memo("replacedVolumeId").orElseThrow();
            if (spec.fastSnapshotRestore() && ctx.memo("fsrEnabled").isEmpty()) {
                FastRestoreState st = volumes.describeFastSnapshotRestore(snapshot, zone);
                if (st == FastRestoreState.ENABLED) {
                    return StepOutcome.Pending.after(
                                    Duration.ZERO, Operations.FAST_SNAPSHOT_RESTORE, "fast snapshot restore enabled")
                            .withMemo(Map.of("fsrEnabled", "true"));
                }
                if (st == FastRestoreState.DISABLED || st == FastRestoreState.DISABLING) {
                    volumes.enableFastSnapshotRestore(snapshot, zone);
                }
                return StepOutcome.Pending.after(
                        optimizing(ctx),
                        Operations.FAST_SNAPSHOT_RESTORE,
                        "fast snapshot restore of " + snapshot + " in " + zone + " "
                                + st.name().toLowerCase() + " (60 minutes per TiB)");
            }
            Optional<String> made = ctx.memo("volumeId");
            if (made.isEmpty()) {
                Optional<String> type = ctx.memo("type");
                int size = Integer.parseInt(ctx.memo("size").orElse("0"));
                String token = ctx.memo("createToken").orElseThrow();
                VolumeProvider.Performance perf = new VolumeProvider.Performance(
                        ctx.memo("iops").map(Integer::valueOf),
                        ctx.memo("throughput").map(Integer::valueOf));
                String id = source.isPresent()
                        ? volumes.copyVolume(
                                new VolumeProvider.VolumeCopy(source.get(), type, size, token, ctx.tags(), perf))
                        : volumes.createVolume(
                                new VolumeProvider.NewVolume(snapshot, zone, type, size, token, ctx.tags(), perf));
                return StepOutcome.Pending.of(
                        source.isPresent() ? Operations.VOLUME_COPY : Operations.VOLUME_CREATE,
                        "volume " + id + ", " + from + ", being created in " + zone,
                        Map.of("volumeId", id));
            }
            String fresh = made.get();
            Optional<VolumeDescription> nv = Calls.find(() -> volumes.describe(fresh));
            if (nv.isEmpty()) {
                if (Kinds.mayNotBeVisibleYet(ctx)) {
                    return StepOutcome.Pending.after(
                            SOON, Operations.VOLUME_CREATE, "volume " + fresh + " not visible yet");
                }
                return Calls.failed("the volume " + fresh + " this step created (" + from + ") is gone");
            }
            if (nv.get().status() == Status.PENDING) {
                // Past the engine's expectation of a minute: a volume is usable once available, so look often.
                return StepOutcome.Pending.after(
                        source.isPresent() ? SOON : CREATING,
                        source.isPresent() ? Operations.VOLUME_COPY : Operations.VOLUME_CREATE,
                        "volume " + fresh + " being created");
            }
            if (nv.get().status() == Status.ERROR) {
                return Calls.failed("the volume " + fresh + " (" + from + ") ended in error");
            }
            if (spec.fastSnapshotRestore() && ctx.memo("fsrDisabled").isEmpty()) {
                // Made: fast snapshot restore has done its work and is billed by the minute from now on.
                volumes.disableFastSnapshotRestore(snapshot, zone);
                return StepOutcome.Pending.after(
                                Duration.ZERO, Operations.VOLUME_ATTACH, "fast snapshot restore disabled again")
                        .withMemo(Map.of("fsrDisabled", "true"));
            }
            if (nv.get().attachedInstance().equals(Optional.of(instance))) {
                return StepOutcome.Done.of(
                        Map.of("volumeId", fresh, "replacedVolumeId", old, "instance", instance, "device", device));
            }
            if (nv.get().status() == Status.AVAILABLE) {
                VolumeDescription od = volumes.describe(old);
                if (od.attachedInstance().isPresent()) {
                    volumes.detachVolume(old, instance);
                    // EC2 takes seconds to detach (the volume stays in-use, its device busy, until then); when it
                    // shows the volume free at once, the attach follows in the same call.
                    od = volumes.describe(old);
                }
                if (od.status() != Status.AVAILABLE) {
                    return StepOutcome.Pending.after(
                            SOON, Operations.VOLUME_ATTACH, "detaching green's volume " + old + " from " + instance);
                }
                volumes.attachVolume(fresh, instance, device);
            }
            if (volumes.describe(fresh).attachedInstance().equals(Optional.of(instance))) {
                return StepOutcome.Done.of(
                        Map.of("volumeId", fresh, "replacedVolumeId", old, "instance", instance, "device", device));
            }
            return StepOutcome.Pending.after(
                    SOON, Operations.VOLUME_ATTACH, "attaching " + fresh + " to " + instance + " at " + device);
        }

        /** When to look again at fast snapshot restore: it optimizes for 60 minutes per TiB of the snapshot. */
        private static Duration optimizing(StepContext ctx) {
            long gb = Long.parseLong(ctx.memo("size").orElse("0"));
            Duration whole = Duration.ofSeconds(3600L * gb / 1024);
            Duration gone = Duration.between(ctx.startedAt(), ctx.now());
            return Kinds.within(whole.minus(gone), Duration.ofSeconds(5), Duration.ofMinutes(5));
        }

        @Override
        public Compensation compensation() {
            return Compensation.REMOVES_GREEN;
        }

        @Override
        public String describeCompensation() {
            return "detach the new volume, attach green's own volume again at its device, delete the new volume (only"
                    + " the one this step created)"
                    + (spec.fastSnapshotRestore() ? ", and disable fast snapshot restore if still on" : "");
        }

        @Override
        public StepOutcome compensate(StepContext ctx) {
            Optional<String> instance = ctx.memo("instance");
            if (instance.isEmpty()) {
                return StepOutcome.Done.of(); // nothing was recorded, so nothing was changed
            }
            VolumeProvider volumes = ctx.cloud().volumes();
            String old = ctx.memo("replacedVolumeId").orElseThrow();
            String device = ctx.memo("device").orElseThrow();
            Optional<VolumeDescription> fresh = ctx.memo("volumeId")
                    .flatMap(id -> Calls.find(() -> volumes.describe(id)))
                    .or(() -> volumes.findVolumes(ctx.tags()).stream().findFirst());
            if (fresh.isPresent() && fresh.get().attachedInstance().isPresent()) {
                volumes.detachVolume(
                        fresh.get().id(), fresh.get().attachedInstance().get());
                return StepOutcome.Pending.after(
                        SOON,
                        Operations.VOLUME_ATTACH,
                        "detaching " + fresh.get().id());
            }
            if (fresh.isPresent() && fresh.get().status() == Status.IN_USE) {
                return StepOutcome.Pending.after(
                        SOON, Operations.VOLUME_ATTACH, fresh.get().id() + " detaching");
            }
            Optional<VolumeDescription> od = Calls.find(() -> volumes.describe(old));
            if (od.isPresent()
                    && od.get().status() == Status.IN_USE
                    && od.get().attachedInstance().isEmpty()) {
                return StepOutcome.Pending.after(SOON, Operations.VOLUME_ATTACH, old + " detaching");
            }
            if (od.isPresent() && od.get().status() == Status.AVAILABLE) {
                volumes.attachVolume(old, instance.get(), device);
                return StepOutcome.Pending.after(
                        SOON, Operations.VOLUME_ATTACH, "attaching green's volume " + old + " again");
            }
            if (fresh.isPresent()) {
                if (fresh.get().status() == Status.PENDING) {
                    return StepOutcome.Pending.after(
                            SOON,
                            Operations.VOLUME_CREATE,
                            "waiting for " + fresh.get().id() + " to delete it");
                }
                Calls.deleteQuietly(() -> volumes.deleteVolume(fresh.get().id()));
                return StepOutcome.Pending.after(
                        SOON, Operations.VOLUME_ATTACH, "deleted " + fresh.get().id());
            }
            Optional<String> fsr = ctx.memo("fsr");
            if (fsr.isPresent() && ctx.memo("fsrDisabled").isEmpty()) {
                String zone = ctx.memo("zone").orElseThrow();
                FastRestoreState st = volumes.describeFastSnapshotRestore(fsr.get(), zone);
                if (st != FastRestoreState.DISABLED && st != FastRestoreState.DISABLING) {
                    volumes.disableFastSnapshotRestore(fsr.get(), zone);
                }
            }
            return StepOutcome.Done.of();
        }

        @Override
        public Map<String, Integer> calls(Phase phase, Map<String, String> memo) {
            return phase == Phase.START
                    ? Map.of(Services.EC2_DESCRIBE, spec.copyOf().isPresent() ? 2 : 1)
                    : Map.of(Services.EC2_DESCRIBE, 4, Services.EC2_MUTATE, 2);
        }
    }
}
