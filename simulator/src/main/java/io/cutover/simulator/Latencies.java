package io.cutover.simulator;

import java.time.Duration;

/**
 * How long each operation of the simulated cloud takes. The defaults are commonly reported AWS figures for
 * a small deployment: RDS snapshot about 5 min and restore to available about 15 min (AWS RDS user guide;
 * both grow with storage), a first (full) EBS snapshot of the 100 GiB data volume about 3 min, a stack create
 * dominated by its database, Route 53 changes INSYNC within about 60 s (Route 53 API reference, GetChange; 45 s
 * is typical), a Run Command script about 10 s (delivery through the SSM agent, plus the script's own
 * {@code sleep}s).
 *
 * <p>Two figures were added with the data-disk path of issue 15:
 *
 * <ul>
 *   <li>{@code volumeSnapshotPerChangedGiB}: an EBS snapshot after the first is incremental, "only the blocks on
 *       the device that have changed after your most recent snapshot are saved", and its creation "can take
 *       several hours to complete, depending on the number of modified blocks" (Amazon EBS user guide, Create
 *       Amazon EBS snapshots; the AWS Knowledge Center adds that there is no way to predict it). AWS documents no
 *       rate at which a snapshot's blocks reach S3; the model takes the lowest rate it documents for the other
 *       direction, blocks moving between S3 and a volume (Provisioned Rate for Volume Initialization, 100 to 300
 *       MiB/s, Initialize Amazon EBS volumes): 100 MiB/s, about 10 s per changed GiB, and never more than a
 *       first snapshot's {@code volumeSnapshot}.
 *   <li>{@code blueGreenSwitchover}: an RDS Blue/Green switchover "typically takes under five seconds for
 *       single-Region configurations" (Amazon RDS user guide, Overview of Amazon RDS Blue/Green Deployments, since
 *       January 2026; before, "typically under a minute"): 5 s, plus the replica lag left when it starts.
 * </ul>
 *
 * <p>{@code volumeCopy}, added with the volume-copy path of the data disk: a copy of an EBS volume in its own
 * Availability Zone (CopyVolumes) is "created immediately", "can be attached to an Amazon EC2 instance once it
 * reaches the available state" and "can be accessed instantly", its blocks copied from the source in the background
 * (Amazon EBS user guide, Copy an Amazon EBS volume). AWS gives no figure for "immediately": the model takes 1 s.
 */
public record Latencies(
        Duration databaseSnapshot,
        Duration volumeSnapshot,
        Duration databaseRestore,
        Duration databaseDelete,
        Duration stackCreate,
        Duration stackUpdate,
        Duration stackDelete,
        Duration changeSet,
        Duration dnsSync,
        Duration volumeCreate,
        Duration healthCheck,
        Duration commandRun,
        Duration volumeSnapshotPerChangedGiB,
        Duration blueGreenSwitchover,
        Duration volumeCopy) {

    /** 100 MiB/s: see the class's comment. */
    public static final Duration SNAPSHOT_PER_CHANGED_GIB = Duration.ofMillis(10_240);

    /** "Typically under five seconds": see the class's comment. */
    public static final Duration BLUE_GREEN_SWITCHOVER = Duration.ofSeconds(5);

    /** "Created immediately": see the class's comment. */
    public static final Duration VOLUME_COPY = Duration.ofSeconds(1);

    /** As before volume copies were modelled: a copy takes {@link #VOLUME_COPY}. */
    public Latencies(
            Duration databaseSnapshot,
            Duration volumeSnapshot,
            Duration databaseRestore,
            Duration databaseDelete,
            Duration stackCreate,
            Duration stackUpdate,
            Duration stackDelete,
            Duration changeSet,
            Duration dnsSync,
            Duration volumeCreate,
            Duration healthCheck,
            Duration commandRun,
            Duration volumeSnapshotPerChangedGiB,
            Duration blueGreenSwitchover) {
        this(
                databaseSnapshot,
                volumeSnapshot,
                databaseRestore,
                databaseDelete,
                stackCreate,
                stackUpdate,
                stackDelete,
                changeSet,
                dnsSync,
                volumeCreate,
                healthCheck,
                commandRun,
                volumeSnapshotPerChangedGiB,
                blueGreenSwitchover,
                VOLUME_COPY);
    }

    /** As before incremental snapshots and the documented switchover were modelled: the defaults for both. */
    public Latencies(
            Duration databaseSnapshot,
            Duration volumeSnapshot,
            Duration databaseRestore,
            Duration databaseDelete,
            Duration stackCreate,
            Duration stackUpdate,
            Duration stackDelete,
            Duration changeSet,
            Duration dnsSync,
            Duration volumeCreate,
            Duration healthCheck,
            Duration commandRun) {
        this(
                databaseSnapshot,
                volumeSnapshot,
                databaseRestore,
                databaseDelete,
                stackCreate,
                stackUpdate,
                stackDelete,
                changeSet,
                dnsSync,
                volumeCreate,
                healthCheck,
                commandRun,
                SNAPSHOT_PER_CHANGED_GIB,
                BLUE_GREEN_SWITCHOVER);
    }

    /** As before scripts ran on instances: a script takes 10 s. */
    public Latencies(
            Duration databaseSnapshot,
            Duration volumeSnapshot,
            Duration databaseRestore,
            Duration databaseDelete,
            Duration stackCreate,
            Duration stackUpdate,
            Duration stackDelete,
            Duration changeSet,
            Duration dnsSync,
            Duration volumeCreate,
            Duration healthCheck) {
        this(
                databaseSnapshot,
                volumeSnapshot,
                databaseRestore,
                databaseDelete,
                stackCreate,
                stackUpdate,
                stackDelete,
                changeSet,
                dnsSync,
                volumeCreate,
                healthCheck,
                Duration.ofSeconds(10));
    }

    public static Latencies ofDefaults() {
        return new Latencies(
                Duration.ofMinutes(5),
                Duration.ofMinutes(3),
                Duration.ofMinutes(15),
                Duration.ofMinutes(5),
                Duration.ofMinutes(3),
                Duration.ofMinutes(2),
                Duration.ofMinutes(5),
                Duration.ofSeconds(10),
                Duration.ofSeconds(45),
                Duration.ofMinutes(1),
                Duration.ofMinutes(2),
                Duration.ofSeconds(10),
                SNAPSHOT_PER_CHANGED_GIB,
                BLUE_GREEN_SWITCHOVER,
                VOLUME_COPY);
    }

    /** Every operation instant: for engine-overhead measurements and fast tests of logic. */
    public static Latencies zero() {
        Duration z = Duration.ZERO;
        return new Latencies(z, z, z, z, z, z, z, z, z, z, z, z, z, z, z);
    }

    /**
     * How long a snapshot of a volume takes: a first one {@link #volumeSnapshot()}; a later one (an increment of
     * the volume's last completed snapshot) {@link #volumeSnapshotPerChangedGiB()} for each GiB changed since,
     * never more than a first one.
     */
    public Duration volumeSnapshot(boolean first, long changedMiB) {
        if (first) {
            return volumeSnapshot;
        }
        Duration d = Duration.ofMillis(volumeSnapshotPerChangedGiB.toMillis() * Math.max(0, changedMiB) / 1024);
        return d.compareTo(volumeSnapshot) > 0 ? volumeSnapshot : d;
    }
}
