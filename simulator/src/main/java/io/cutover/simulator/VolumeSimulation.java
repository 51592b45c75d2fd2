package io.cutover.simulator;

import io.cutover.spi.VolumeProvider.FastRestoreState;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated cloud's EBS volumes, for tests and benchmarks: the application's writes to its data disk (which
 * the next snapshot copies), where volumes are attached, the data they hold, and fast snapshot restore.
 */
public final class VolumeSimulation {
    private final SimWorld world;
    private final SimVolumes volumes;

    VolumeSimulation(SimWorld world, SimVolumes volumes) {
        this.world = world;
        this.volumes = volumes;
    }

    /**
     * A volume as the simulated cloud holds it: where it is attached, the data version it holds, the snapshot it
     * was made from or the volume it is a copy of, its zone, and whether its blocks were all there at creation (fast
     * snapshot restore) or load lazily.
     */
    public record View(
            String id,
            String status,
            Optional<String> instance,
            Optional<String> device,
            long dataVersion,
            Optional<String> fromSnapshot,
            boolean initializedAtCreation,
            Map<String, String> tags,
            Optional<String> copiedFrom,
            String availabilityZone,
            String type,
            Optional<Integer> iops,
            Optional<Integer> throughput) {}

    /**
     * The application writes {@code mib} MiB to its data disk: the volume's data version goes up by one, and its
     * next snapshot has that much more to copy.
     */
    public long write(String volumeId, long mib) {
        synchronized (world) {
            return volumes.write(volumeId, mib);
        }
    }

    /** Puts a volume in another Availability Zone, as a deployment that made it there would (seeding a world). */
    public void placeIn(String volumeId, String availabilityZone) {
        synchronized (world) {
            SimVolumes.Vol v = volumes.get(volumeId);
            if (v == null) {
                throw new IllegalArgumentException("no volume " + volumeId);
            }
            v.az = availabilityZone;
        }
    }

    /**
     * Gives a volume another type and provisioned performance (IOPS, throughput in MiB/s; null where the type takes
     * none), as a deployment that made it so would (seeding a world).
     */
    public void provision(String volumeId, String type, Integer iops, Integer throughput) {
        synchronized (world) {
            SimVolumes.Vol v = volumes.get(volumeId);
            if (v == null) {
                throw new IllegalArgumentException("no volume " + volumeId);
            }
            v.type = type;
            v.iops = iops;
            v.throughput = throughput;
        }
    }

    /** A volume, if it exists. */
    public Optional<View> volume(String id) {
        synchronized (world) {
            world.tick(world.now());
            return Optional.ofNullable(volumes.get(id)).map(VolumeSimulation::view);
        }
    }

    /** The volume attached to an instance at a device, if any. */
    public Optional<View> at(String instanceId, String device) {
        synchronized (world) {
            world.tick(world.now());
            return volumes.attachedAt(instanceId, device).map(VolumeSimulation::view);
        }
    }

    /** Every volume. */
    public List<View> all() {
        synchronized (world) {
            world.tick(world.now());
            return volumes.all().stream().map(VolumeSimulation::view).toList();
        }
    }

    /**
     * How long the model takes for a snapshot: a first one of its volume the full {@link Latencies#volumeSnapshot()},
     * a later one by the MiB written since the volume's last completed snapshot.
     */
    public Optional<java.time.Duration> snapshotTook(String snapshotId) {
        synchronized (world) {
            return Optional.ofNullable(volumes.snapshot(snapshotId)).map(x -> x.took);
        }
    }

    /** Where fast snapshot restore stands for a snapshot in a zone; empty if it was never enabled. */
    public Optional<FastRestoreState> fastSnapshotRestore(String snapshotId, String availabilityZone) {
        synchronized (world) {
            world.tick(world.now());
            return volumes.fastRestore(snapshotId, availabilityZone);
        }
    }

    private static View view(SimVolumes.Vol v) {
        return new View(
                v.id,
                v.status.name(),
                Optional.ofNullable(v.instance),
                Optional.ofNullable(v.device),
                v.dataVersion,
                Optional.ofNullable(v.fromSnapshot),
                v.initializedAtCreation,
                Map.copyOf(v.tags),
                Optional.ofNullable(v.copiedFrom),
                v.az,
                v.type,
                Optional.ofNullable(v.iops),
                Optional.ofNullable(v.throughput));
    }
}
