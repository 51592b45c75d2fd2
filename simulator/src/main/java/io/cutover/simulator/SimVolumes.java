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

/** Simulated EBS: volumes and their snapshots, found by tags; a snapshot carries its volume's data version. */
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
    }

    static final class VolSnap {
        String id;
        String volume;
        Status status;
        Instant readyAt;
        /** How long it takes in all, for its progress. */
        Duration took;

        long dataVersion;
        Map<String, String> tags = new LinkedHashMap<>();
    }

    private final SimWorld world;
    private final Map<String, Vol> vols = new LinkedHashMap<>();
    private final Map<String, VolSnap> volSnaps = new LinkedHashMap<>();
    private final List<String> deletedVolumes = new ArrayList<>();

    SimVolumes(SimWorld world) {
        this.world = world;
    }

    // ------------------------------------------------------------------------------------------- time

    @Override
    public void advance(Instant now) {
        for (Vol v : new ArrayList<>(vols.values())) {
            if (v.status == Status.PENDING && v.readyAt != null && !v.readyAt.isAfter(now)) {
                v.status = Status.AVAILABLE;
            }
        }
        for (VolSnap s : volSnaps.values()) {
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
    }

    @Override
    public Instant nextDue(Instant now, Instant due) {
        for (Vol v : vols.values()) {
            due = v.status == Status.PENDING ? SimWorld.later(v.readyAt, now, due) : due;
        }
        for (VolSnap x : volSnaps.values()) {
            due = x.status == Status.PENDING ? SimWorld.later(x.readyAt, now, due) : due;
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
            world.happened("volume", physical, "DELETED");
        }
    }

    List<Vol> ownedBy(String stack) {
        return vols.values().stream().filter(v -> stack.equals(v.ownerStack)).toList();
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
            return new VolumeDescription(
                    v.id, v.status, v.size, v.az, Optional.empty(), Optional.ofNullable(v.fromSnapshot), v.tags);
        }
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
            s.took = world.took("volumeSnapshot", world.latencies.volumeSnapshot());
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
            return volSnaps.values().stream()
                    .filter(s -> s.tags.entrySet().containsAll(tags.entrySet()))
                    .filter(s -> !world.unseen(s.id))
                    .map(this::describe)
                    .toList();
        }
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
            if (volSnaps.remove(snapshotId) != null) {
                world.happened("volume-snapshot", snapshotId, "DELETED");
            }
        }
    }

    private VolumeSnapshotDescription describe(VolSnap s) {
        int pct = s.status == Status.COMPLETED ? 100 : world.progress(s.readyAt, s.took);
        return new VolumeSnapshotDescription(s.id, s.volume, s.status, pct, s.tags);
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
