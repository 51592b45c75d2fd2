package io.cutover.simulator;

import io.cutover.spi.ApiService;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.spi.VolumeProvider;
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
        long dataVersion;
        Map<String, String> tags = new LinkedHashMap<>();
    }

    private final SimWorld world;
    // Every volume and snapshot put here with a due time set is due then (DueTimes); snapshots are indexed by tag.
    private final Map<String, Vol> vols = DueTimes.onPut(v -> this.volsDue.add(v));
    private final Map<String, VolSnap> volSnaps = DueTimes.onPut(s -> {
        this.snapsDue.add(s);
        s.tags.forEach((k, val) -> this.byTag
                .computeIfAbsent(k + "=" + val, x -> new java.util.LinkedHashSet<>())
                .add(s));
    });
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

    SimVolumes(SimWorld world) {
        this.world = world;
    }

    // ------------------------------------------------------------------------------------------- time

    @Override
    public void advance(Instant now) {
        List<Vol> dueVols = volsDue.due(now);
        for (Vol v : dueVols) {
            if (v.status == Status.PENDING && v.readyAt != null && !v.readyAt.isAfter(now)) {
                v.status = Status.AVAILABLE;
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
    }

    @Override
    public Instant nextDue(Instant now, Instant due) {
        return snapsDue.next(now, volsDue.next(now, due));
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
            s.readyAt = world.now().plus(world.latencies.volumeSnapshot());
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
                gone.tags.forEach((k, v) -> byTag.getOrDefault(k + "=" + v, new java.util.LinkedHashSet<>())
                        .remove(gone));
                world.happened("volume-snapshot", snapshotId, "DELETED");
            }
        }
    }

    private VolumeSnapshotDescription describe(VolSnap s) {
        int pct = s.status == Status.COMPLETED ? 100 : world.progress(s.readyAt, world.latencies.volumeSnapshot());
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
