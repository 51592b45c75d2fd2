package io.cutover.simulator;

import io.cutover.spi.ApiService;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.spi.VolumeProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Simulated EBS: volumes, their attachments to instances and their snapshots, found by tags; a snapshot carries
 * its volume's data version. A volume counts the MiB written to it: a first snapshot takes
 * {@link Latencies#volumeSnapshot()}, a later one an increment of the volume's last completed snapshot, as long as
 * the MiB written since take ({@link Latencies#volumeSnapshot(boolean, long)}; rewritten blocks count again, so it
 * is an upper bound). A volume created from a snapshot is available after {@link Latencies#volumeCreate()}, fully
 * initialized when fast snapshot restore was enabled for the snapshot in its zone, else loaded lazily. Fast snapshot
 * restore optimizes for 60 minutes per TiB of the snapshot (Amazon EBS user guide, fast snapshot restore states).
 * A copy of a volume (CopyVolumes) holds the source's data as the call found it and is available after
 * {@link Latencies#volumeCopy()}, in the source's zone. Attaching and detaching take effect at once: AWS documents no figure for them (they take seconds).
 */
final class SimVolumes implements VolumeProvider, SimWorld.Ticking {
    static final class Vol {
        String id;
        Status status;
        Instant readyAt;
        int size;
        String az = "us-east-1a";
        String fromSnapshot;
        long dataVersion;
        String ownerStack;
        Map<String, String> tags = new LinkedHashMap<>();
        String instance;
        String device;
        String type = "gp3";
        /** Provisioned IOPS and throughput (MiB/s), where the type takes them: gp3's baseline by default. */
        Integer iops = 3000;

        Integer throughput = 125;
        String clientToken;
        /** MiB written since the volume was made. */
        long writtenMiB;
        /** The volume it is a copy of (CopyVolumes), if any. */
        String copiedFrom;
        /** When a copy has all its blocks (it is usable before). */
        Instant initializedAt;
        /** Whether its blocks were all there at creation (fast snapshot restore). */
        boolean initializedAtCreation;
    }

    static final class VolSnap {
        String id;
        String volume;
        Status status;
        Instant readyAt;
        /** How long it takes in all, for its progress. */
        Duration took;

        long dataVersion;
        long atMiB;
        boolean incremental;
        int size;
        Map<String, String> tags = new LinkedHashMap<>();
    }

    /** Fast snapshot restore for one snapshot in one zone. */
    static final class Fsr {
        FastRestoreState state;
        Instant enabledAt;
        Instant since;
    }

    private final SimWorld world;
    // Every volume and snapshot put here with a due time set is due then (DueTimes); snapshots are indexed by tag.
    private final Map<String, Vol> vols = DueTimes.onPut(v -> this.volsDue.add(v));
    private final Map<String, VolSnap> volSnaps = DueTimes.onPut(s -> {
        this.snapsDue.add(s);
        this.byVolume
                .computeIfAbsent(s.volume, x -> new java.util.LinkedHashSet<>())
                .add(s);
        s.tags.forEach((k, val) -> this.byTag
                .computeIfAbsent(k + "=" + val, x -> new java.util.LinkedHashSet<>())
                .add(s));
    });
    /** Fast snapshot restores: few, looked at in full. */
    private final Map<String, Fsr> fsr = new LinkedHashMap<>();
    /**
     * Volumes by the instance and device they are attached at ({@code instance + " " + device}), so that a health
     * check of a stack that attaches a disk does not look at every volume; checked on use (a volume deleted with its
     * stack may still be here).
     */
    private final Map<String, Vol> attachedAt = new java.util.HashMap<>();

    private final List<String> deletedVolumes = new ArrayList<>();
    private final DueTimes<Vol> volsDue = new DueTimes<>(
            "volume", v -> vols.get(v.id) == v && v.status == Status.PENDING ? v.readyAt : null, vols::values);
    private final DueTimes<VolSnap> snapsDue = new DueTimes<>(
            "volume snapshot",
            s -> volSnaps.get(s.id) == s && s.status == Status.PENDING ? s.readyAt : null,
            volSnaps::values);
    /**
     * Snapshots by each of their tags ({@code key=value}), in the order they were taken, so that finding a
     * cutover's snapshot by its tags does not look at every snapshot in the account; entries checked on use.
     */
    private final Map<String, java.util.LinkedHashSet<VolSnap>> byTag = new java.util.HashMap<>();
    /**
     * Snapshots by the volume they are of, in the order they were taken, so that a new snapshot finds the last one
     * it is an increment of without looking at every snapshot in the account.
     */
    private final Map<String, java.util.LinkedHashSet<VolSnap>> byVolume = new java.util.HashMap<>();

    SimVolumes(SimWorld world) {
        this.world = world;
    }

    // ------------------------------------------------------------------------------------------- time

    @Override
    public void advance(Instant now) {
        List<Vol> dueVols = volsDue.due(now);
        for (Vol v : dueVols) {
            if (v.status == Status.PENDING && v.readyAt != null && !v.readyAt.isAfter(now)) {
                v.status = v.instance != null ? Status.IN_USE : Status.AVAILABLE;
            }
        }
        volsDue.advanced(dueVols, now);
        List<VolSnap> dueSnaps = snapsDue.due(now);
        for (VolSnap s : dueSnaps) {
            if (s.status == Status.PENDING && !s.readyAt.isAfter(now)) {
                if (world.faults.snapshotFailing(s.volume)) {
                    s.status = Status.ERROR;
                    world.happened(s.readyAt, "volume-snapshot", s.id, "ERROR");
                } else if (!world.faults.snapshotStuck(s.volume)) {
                    s.status = Status.COMPLETED;
                    world.happened(s.readyAt, "volume-snapshot", s.id, "COMPLETED");
                }
            }
        }
        snapsDue.advanced(dueSnaps, now);
        for (Fsr f : fsr.values()) {
            if (f.state == FastRestoreState.OPTIMIZING && !f.enabledAt.isAfter(now)) {
                f.state = FastRestoreState.ENABLED;
            }
        }
    }

    @Override
    public Instant nextDue(Instant now, Instant due) {
        due = snapsDue.next(now, volsDue.next(now, due));
        for (Fsr f : fsr.values()) {
            due = f.state == FastRestoreState.OPTIMIZING ? SimWorld.later(f.enabledAt, now, due) : due;
        }
        return due;
    }

    // ------------------------------------------------------------------------------------------- for stacks

    Vol get(String id) {
        return vols.get(id);
    }

    VolSnap snapshot(String id) {
        return volSnaps.get(id);
    }

    /** A new volume's id. */
    String newId() {
        return "vol-" + world.nextHex();
    }

    void put(Vol v) {
        vols.put(v.id, v);
        world.created("volume", v.id);
    }

    /** Removes a stack's volume with the stack, if the id is one. */
    void removeWithStack(String physical) {
        if (vols.remove(physical) != null) {
            deletedVolumes.add(physical);
            world.happened("volume", physical, "DELETED with its stack");
        }
    }

    // ------------------------------------------------------------------------------------------- the SPI

    @Override
    public VolumeDescription describe(String volumeId) {
        synchronized (world) {
            world.enter(ApiService.EC2_DESCRIBE, "DescribeVolumes");
            Vol v = vols.get(volumeId);
            if (v == null) {
                throw ProviderException.of(
                        FailureKind.NOT_FOUND, "DescribeVolumes", "The volume '" + volumeId + "' does not exist.");
            }
            return view(v);
        }
    }

    private VolumeDescription view(Vol v) {
        return new VolumeDescription(
                v.id,
                v.status,
                v.size,
                v.az,
                Optional.ofNullable(v.instance),
                Optional.ofNullable(v.fromSnapshot),
                v.tags,
                Optional.ofNullable(v.device),
                Optional.ofNullable(v.type),
                new Performance(Optional.ofNullable(v.iops), Optional.ofNullable(v.throughput)));
    }

    /** A new volume's type and performance: as asked, else EC2's defaults for the type. */
    private static void provision(Vol v, String type, Performance asked, String op) {
        if (Performance.requiresIops(type) && asked.iops().isEmpty()) {
            throw ProviderException.of(
                    FailureKind.INVALID_REQUEST,
                    op,
                    "InvalidParameterCombination: the parameter iops must be specified for " + type + " volumes.");
        }
        v.type = type;
        Performance p = asked.forType(type);
        v.iops = p.iops().orElse(type.equals("gp3") ? 3000 : null);
        v.throughput = p.throughputMiBps().orElse(type.equals("gp3") ? 125 : null);
    }

    @Override
    public String createSnapshot(String volumeId, String description, Map<String, String> tags) {
        synchronized (world) {
            world.enter(ApiService.EC2_MUTATE, "CreateSnapshot");
            Vol v = vols.get(volumeId);
            if (v == null) {
                throw ProviderException.of(
                        FailureKind.NOT_FOUND, "CreateSnapshot", "The volume '" + volumeId + "' does not exist.");
            }
            VolSnap s = new VolSnap();
            s.id = "snap-" + world.nextHex();
            s.volume = volumeId;
            s.status = Status.PENDING;
            Optional<VolSnap> last = byVolume.getOrDefault(volumeId, new java.util.LinkedHashSet<>()).stream()
                    .filter(x -> volSnaps.get(x.id) == x && x.status == Status.COMPLETED)
                    .reduce((a, b) -> b);
            s.incremental = last.isPresent();
            s.atMiB = v.writtenMiB;
            s.size = v.size;
            s.took = world.took(
                    "volumeSnapshot",
                    world.latencies.volumeSnapshot(
                            last.isEmpty(),
                            v.writtenMiB - last.map(x -> x.atMiB).orElse(0L)));
            s.readyAt = world.now().plus(s.took);
            s.dataVersion = v.dataVersion;
            s.tags.putAll(tags);
            volSnaps.put(s.id, s);
            world.created("volume-snapshot", s.id, tags);
            return s.id;
        }
    }

    @Override
    public List<VolumeSnapshotDescription> findSnapshots(Map<String, String> tags) {
        synchronized (world) {
            world.enter(ApiService.EC2_DESCRIBE, "DescribeSnapshots");
            List<VolumeSnapshotDescription> found = tagged(tags).stream()
                    .filter(s -> !world.unseen(s.id))
                    .map(this::describe)
                    .toList();
            if (volSnaps.size() <= 256) {
                // In a small world (tests), the index is checked against a look at every snapshot.
                List<String> all = volSnaps.values().stream()
                        .filter(s -> s.tags.entrySet().containsAll(tags.entrySet()))
                        .filter(s -> !world.unseen(s.id))
                        .map(s -> s.id)
                        .toList();
                if (!all.equals(
                        found.stream().map(VolumeSnapshotDescription::id).toList())) {
                    throw new IllegalStateException("simulated cloud: snapshots tagged " + tags + " are " + all
                            + " but its index of tags finds " + found + "; index a snapshot where it is created");
                }
            }
            return found;
        }
    }

    /** The snapshots that carry all of {@code tags}, in the order they were taken. */
    private List<VolSnap> tagged(Map<String, String> tags) {
        java.util.Set<VolSnap> fewest = null;
        for (Map.Entry<String, String> t : tags.entrySet()) {
            java.util.Set<VolSnap> these = byTag.get(t.getKey() + "=" + t.getValue());
            if (these == null) {
                return List.of();
            }
            if (fewest == null || these.size() < fewest.size()) {
                fewest = these;
            }
        }
        if (fewest != null && !fewest.isEmpty()) {
            fewest.removeIf(s -> volSnaps.get(s.id) != s);
        }
        return (fewest == null ? volSnaps.values() : fewest)
                .stream()
                        .filter(s -> s.tags.entrySet().containsAll(tags.entrySet()))
                        .toList();
    }

    @Override
    public VolumeSnapshotDescription describeSnapshot(String snapshotId) {
        synchronized (world) {
            world.enter(ApiService.EC2_DESCRIBE, "DescribeSnapshots");
            VolSnap s = volSnaps.get(snapshotId);
            if (s == null || world.unseen(snapshotId)) {
                throw ProviderException.of(
                        FailureKind.NOT_FOUND,
                        "DescribeSnapshots",
                        "The snapshot '" + snapshotId + "' does not exist.");
            }
            return describe(s);
        }
    }

    @Override
    public void deleteSnapshot(String snapshotId) {
        synchronized (world) {
            world.enter(ApiService.EC2_MUTATE, "DeleteSnapshot");
            VolSnap gone = volSnaps.remove(snapshotId);
            if (gone != null) {
                byVolume.getOrDefault(gone.volume, new java.util.LinkedHashSet<>())
                        .remove(gone);
                gone.tags.forEach((k, v) -> byTag.getOrDefault(k + "=" + v, new java.util.LinkedHashSet<>())
                        .remove(gone));
                world.happened("volume-snapshot", snapshotId, "DELETED");
            }
        }
    }

    private VolumeSnapshotDescription describe(VolSnap s) {
        int pct = s.status == Status.COMPLETED ? 100 : world.progress(s.readyAt, s.took);
        return new VolumeSnapshotDescription(s.id, s.volume, s.status, pct, s.tags);
    }

    @Override
    public String createVolume(NewVolume n) {
        synchronized (world) {
            world.enter(ApiService.EC2_MUTATE, "CreateVolume");
            Optional<String> again = byClientToken(n.clientToken());
            if (again.isPresent()) {
                return again.get();
            }
            VolSnap from = volSnaps.get(n.snapshotId());
            if (from == null || world.unseen(n.snapshotId())) {
                throw ProviderException.of(
                        FailureKind.NOT_FOUND,
                        "CreateVolume",
                        "InvalidSnapshot.NotFound: The snapshot '" + n.snapshotId() + "' does not exist.");
            }
            if (from.status != Status.COMPLETED) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        "CreateVolume",
                        "IncorrectState: Snapshot '" + n.snapshotId() + "' is not 'completed'.");
            }
            Vol v = new Vol();
            v.id = newId();
            v.status = Status.PENDING;
            v.readyAt = world.now().plus(world.took("volumeCreate", world.latencies.volumeCreate()));
            v.size = Math.max(n.sizeGb(), from.size);
            v.az = n.availabilityZone();
            v.fromSnapshot = from.id;
            v.dataVersion = from.dataVersion;
            provision(v, n.volumeType().orElse("gp3"), n.performance(), "CreateVolume");
            v.clientToken = n.clientToken();
            v.tags.putAll(n.tags());
            Fsr f = fsr.get(from.id + "|" + n.availabilityZone());
            v.initializedAtCreation = f != null && f.state == FastRestoreState.ENABLED;
            vols.put(v.id, v);
            world.created("volume", v.id, n.tags());
            return v.id;
        }
    }

    /** How fast a copy's blocks arrive: the baseline throughput a copy gives while it initializes, in MiB/s. */
    static final long COPY_MIB_PER_SECOND = 125;

    @Override
    public Optional<Initialization> initialization(String volumeId) {
        synchronized (world) {
            world.enter(ApiService.EC2_DESCRIBE, "DescribeVolumeStatus");
            Vol v = live(volumeId, "DescribeVolumeStatus");
            if (v.initializedAt == null || !v.initializedAt.isAfter(world.now())) {
                return Optional.empty();
            }
            Instant start = v.readyAt != null ? v.readyAt : world.now();
            Duration whole = Duration.between(start, v.initializedAt);
            return Optional.of(new Initialization(
                    world.progress(v.initializedAt, whole),
                    Optional.of(Duration.between(world.now(), v.initializedAt))));
        }
    }

    /** The volume a create or copy under this client token made: EC2 answers a repeated token with it. */
    private Optional<String> byClientToken(String token) {
        return vols.values().stream()
                .filter(v -> token.equals(v.clientToken))
                .map(v -> v.id)
                .findFirst();
    }

    @Override
    public String copyVolume(VolumeCopy c) {
        synchronized (world) {
            world.enter(ApiService.EC2_MUTATE, "CopyVolumes");
            Optional<String> again = byClientToken(c.clientToken());
            if (again.isPresent()) {
                return again.get();
            }
            Vol from = live(c.sourceVolumeId(), "CopyVolumes");
            if (from.status != Status.AVAILABLE && from.status != Status.IN_USE) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        "CopyVolumes",
                        "IncorrectState: Volume '" + from.id + "' is "
                                + from.status.name().toLowerCase());
            }
            if (c.sizeGb() != 0 && c.sizeGb() < from.size) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        "CopyVolumes",
                        "InvalidParameterValue: the size of the copy (" + c.sizeGb()
                                + " GiB) must be at least the source's (" + from.size + " GiB)");
            }
            Vol v = new Vol();
            v.id = newId();
            v.status = Status.PENDING;
            v.readyAt = world.now().plus(world.took("volumeCopy", world.latencies.volumeCopy()));
            v.size = Math.max(c.sizeGb(), from.size);
            v.az = from.az; // a copy stays in its source's zone
            v.dataVersion = from.dataVersion; // every block written to the source when the call was made
            // CopyVolumes: "If not specified, the volume type defaults to gp2".
            provision(v, c.volumeType().orElse("gp2"), c.performance(), "CopyVolumes");
            v.clientToken = c.clientToken();
            v.tags.putAll(c.tags());
            v.copiedFrom = from.id;
            // Its blocks come from the source at the copy's baseline, 125 MiB/s (AWS documents no rate of its own).
            v.initializedAt = v.readyAt.plusSeconds(v.size * 1024L / COPY_MIB_PER_SECOND);
            vols.put(v.id, v);
            world.created("volume", v.id, c.tags());
            return v.id;
        }
    }

    @Override
    public List<VolumeDescription> findVolumes(Map<String, String> tags) {
        synchronized (world) {
            world.enter(ApiService.EC2_DESCRIBE, "DescribeVolumes");
            return vols.values().stream()
                    .filter(v -> v.tags.entrySet().containsAll(tags.entrySet()))
                    .filter(v -> !world.unseen(v.id))
                    .map(this::view)
                    .toList();
        }
    }

    @Override
    public void attachVolume(String volumeId, String instanceId, String device) {
        synchronized (world) {
            world.enter(ApiService.EC2_MUTATE, "AttachVolume");
            Vol v = live(volumeId, "AttachVolume");
            if (instanceId.equals(v.instance) && device.equals(v.device)) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        "AttachVolume",
                        "VolumeInUse: " + volumeId + " is already attached to an instance");
            }
            if (v.status != Status.AVAILABLE) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        "AttachVolume",
                        "IncorrectState: vol '" + volumeId + "' is not 'available'.");
            }
            if (attachedAt(instanceId, device).isPresent()) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        "AttachVolume",
                        "InvalidParameterValue: Attachment point " + device + " is already in use");
            }
            attach(v, instanceId, device);
            v.status = Status.IN_USE;
            world.happened("volume", volumeId, "ATTACHED " + instanceId + " " + device + " v" + v.dataVersion);
        }
    }

    @Override
    public void detachVolume(String volumeId, String instanceId) {
        synchronized (world) {
            world.enter(ApiService.EC2_MUTATE, "DetachVolume");
            Vol v = live(volumeId, "DetachVolume");
            if (v.instance == null || !v.instance.equals(instanceId)) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        "DetachVolume",
                        "IncorrectState: Volume '" + volumeId + "' is in the 'available' state.");
            }
            attachedAt.remove(v.instance + " " + v.device, v);
            v.instance = null;
            v.device = null;
            v.status = Status.AVAILABLE;
            world.happened("volume", volumeId, "DETACHED " + instanceId);
        }
    }

    @Override
    public void deleteVolume(String volumeId) {
        synchronized (world) {
            world.enter(ApiService.EC2_MUTATE, "DeleteVolume");
            Vol v = live(volumeId, "DeleteVolume");
            if (v.instance != null) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        "DeleteVolume",
                        "VolumeInUse: Volume " + volumeId + " is currently attached to " + v.instance);
            }
            vols.remove(volumeId);
            deletedVolumes.add(volumeId);
            world.happened("volume", volumeId, "DELETED");
        }
    }

    private Vol live(String volumeId, String op) {
        Vol v = vols.get(volumeId);
        if (v == null || world.unseen(volumeId)) {
            throw ProviderException.of(
                    FailureKind.NOT_FOUND, op, "InvalidVolume.NotFound: The volume '" + volumeId + "' does not exist.");
        }
        return v;
    }

    @Override
    public void enableFastSnapshotRestore(String snapshotId, String availabilityZone) {
        synchronized (world) {
            world.enter(ApiService.EC2_MUTATE, "EnableFastSnapshotRestores");
            VolSnap s = volSnaps.get(snapshotId);
            if (s == null || s.status != Status.COMPLETED) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        "EnableFastSnapshotRestores",
                        "InvalidSnapshot.NotFound: snapshot " + snapshotId + " does not exist or is not completed");
            }
            Fsr f = fsr.computeIfAbsent(snapshotId + "|" + availabilityZone, k -> new Fsr());
            if (f.state == null || f.state == FastRestoreState.DISABLED || f.state == FastRestoreState.DISABLING) {
                f.state = FastRestoreState.OPTIMIZING;
                f.since = world.now();
                // 60 minutes per TiB of the snapshot's size.
                f.enabledAt = world.now().plus(Duration.ofSeconds(3600L * s.size / 1024));
                world.happened("fast-snapshot-restore", snapshotId + " " + availabilityZone, "ENABLING");
            }
        }
    }

    @Override
    public void disableFastSnapshotRestore(String snapshotId, String availabilityZone) {
        synchronized (world) {
            world.enter(ApiService.EC2_MUTATE, "DisableFastSnapshotRestores");
            Fsr f = fsr.get(snapshotId + "|" + availabilityZone);
            if (f != null && f.state != FastRestoreState.DISABLED) {
                f.state = FastRestoreState.DISABLED;
                world.happened("fast-snapshot-restore", snapshotId + " " + availabilityZone, "DISABLED");
            }
        }
    }

    @Override
    public FastRestoreState describeFastSnapshotRestore(String snapshotId, String availabilityZone) {
        synchronized (world) {
            world.enter(ApiService.EC2_DESCRIBE, "DescribeFastSnapshotRestores");
            Fsr f = fsr.get(snapshotId + "|" + availabilityZone);
            return f == null ? FastRestoreState.DISABLED : f.state;
        }
    }

    /** The application writes {@code mib} MiB to a volume: its data version goes up by one. */
    long write(String volumeId, long mib) {
        Vol v = vols.get(volumeId);
        if (v == null) {
            throw new IllegalStateException("no volume " + volumeId);
        }
        v.writtenMiB += mib;
        return ++v.dataVersion;
    }

    /** The volume attached to an instance at a device, if any. */
    Optional<Vol> attachedAt(String instance, String device) {
        Vol v = attachedAt.get(instance + " " + device);
        return v != null && vols.get(v.id) == v && instance.equals(v.instance) && device.equals(v.device)
                ? Optional.of(v)
                : Optional.empty();
    }

    private void attach(Vol v, String instance, String device) {
        v.instance = instance;
        v.device = device;
        attachedAt.put(instance + " " + device, v);
    }

    /** Attaches a stack's volume to its instance as the stack is made (AWS::EC2::VolumeAttachment). */
    void attachForStack(String volumeId, String instance, String device) {
        Vol v = vols.get(volumeId);
        if (v != null) {
            attach(v, instance, device);
        }
    }

    /** Whether fast snapshot restore is enabled or on its way for a snapshot in a zone (seen by tests). */
    Optional<FastRestoreState> fastRestore(String snapshotId, String availabilityZone) {
        return Optional.ofNullable(fsr.get(snapshotId + "|" + availabilityZone)).map(f -> f.state);
    }

    List<Vol> all() {
        return List.copyOf(vols.values());
    }

    // ------------------------------------------------------------------------------------------- seeding

    void add(String id, String ownerStack) {
        Vol v = new Vol();
        v.id = id;
        v.status = Status.IN_USE;
        v.size = 100;
        v.dataVersion = 1;
        v.ownerStack = ownerStack;
        vols.put(id, v);
    }

    // ------------------------------------------------------------------------------------------- reading

    List<String> deleted() {
        return List.copyOf(deletedVolumes);
    }

    List<SimulatedCloud.SimSnapshot> snapshots() {
        return volSnaps.values().stream()
                .map(s -> new SimulatedCloud.SimSnapshot(
                        s.id, s.volume, s.status.name(), s.dataVersion, Map.copyOf(s.tags)))
                .toList();
    }
}
