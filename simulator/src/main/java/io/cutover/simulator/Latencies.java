package io.cutover.simulator;

import java.time.Duration;

/**
 * How long each operation of the simulated cloud takes. The defaults are commonly reported AWS figures for
 * a small deployment: RDS snapshot about 5 min and restore to available about 15 min (AWS RDS user guide;
 * both grow with storage), EBS snapshot of a lightly changed volume about 3 min, a stack create dominated
 * by its database, Route 53 changes INSYNC within about 60 s (Route 53 API reference, GetChange; 45 s is
 * typical), a Run Command script about 10 s (delivery through the SSM agent, plus the script's own
 * {@code sleep}s).
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
        Duration commandRun) {

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
                Duration.ofSeconds(10));
    }

    /** Every operation instant: for engine-overhead measurements and fast tests of logic. */
    public static Latencies zero() {
        Duration z = Duration.ZERO;
        return new Latencies(z, z, z, z, z, z, z, z, z, z, z, z);
    }
}
