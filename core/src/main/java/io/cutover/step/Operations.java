package io.cutover.step;

/** The names of the long operations steps wait on; keys of the engine's {@code PollPolicy}. */
public final class Operations {
    public static final String DATABASE_SNAPSHOT = "database.snapshot";
    public static final String VOLUME_SNAPSHOT = "volume.snapshot";
    public static final String DATABASE_RESTORE = "database.restore";
    public static final String DATABASE_DELETE = "database.delete";
    public static final String STACK_CREATE = "stack.create";
    public static final String STACK_UPDATE = "stack.update";
    public static final String STACK_DELETE = "stack.delete";
    public static final String CHANGE_SET = "stack.change-set";
    public static final String DNS_SYNC = "dns.sync";
    public static final String ADDRESS_MOVE = "address.move";
    /** A load balancer's listener or rule forwarding to other target groups (effective in seconds). */
    public static final String FORWARD_SWITCH = "lb.forward";
    /** An Aurora fast clone (copy-on-write) and its instances being created: minutes, whatever the size. */
    public static final String DATABASE_CLONE = "database.clone";
    /** An RDS blue/green deployment being created (green's replica built and caught up). */
    public static final String BLUE_GREEN_CREATE = "database.blue-green.create";
    /** An RDS blue/green switchover (about a minute). */
    public static final String BLUE_GREEN_SWITCHOVER = "database.blue-green.switchover";
    /** An RDS blue/green deployment (and its green database) being deleted. */
    public static final String BLUE_GREEN_DELETE = "database.blue-green.delete";
    /** A script run on instances (Run Command). */
    public static final String COMMAND_RUN = "command.run";
    /** A read replica being created (a snapshot of the source, an instance from it, replication caught up). */
    public static final String REPLICA_CREATE = "database.replica.create";
    /** A read replica being promoted to a standalone instance (a reboot: several minutes). */
    public static final String REPLICA_PROMOTE = "database.replica.promote";
    /** A volume created from a snapshot (inside a stack); for critical paths. */
    public static final String VOLUME_CREATE = "volume.create";
    /**
     * A data volume replaced on green's instance: a volume created from a snapshot, green's old one detached, the
     * new one attached at its device.
     */
    public static final String VOLUME_REPLACE = "volume.replace";
    /** A copy of a volume in its own zone (EC2 CopyVolumes), usable once available: "created immediately". */
    public static final String VOLUME_COPY = "volume.copy";
    /** A volume attached to or detached from an instance. */
    public static final String VOLUME_ATTACH = "volume.attach";
    /** Fast snapshot restore being enabled for a snapshot in a zone (60 minutes per TiB to optimize). */
    public static final String FAST_SNAPSHOT_RESTORE = "volume.fast-snapshot-restore";
    /** Waiting out a DNS record's old TTL; for critical paths, its duration is the TTL in force. */
    public static final String TTL_WAIT = "dns.ttl-wait";

    public static final String HOOK = "hook";
    public static final String CHECK = "check";
    public static final String WAIT = "wait";

    private Operations() {}

    /**
     * How long a database's snapshot or restore is expected to take for its allocated storage, for its time limit
     * (four times this, at least half an hour; and never while its progress still rises):
     *
     * <ul>
     *   <li>a snapshot: 5 minutes plus 6 seconds per GB (a first snapshot copies every block, about 10 GB a
     *       minute): 20 GB about 7 minutes (limit 30 minutes), 2 TB about 3 h 30 (limit about 14 h);
     *   <li>a restore: 15 minutes plus 3 seconds per GB: 20 GB about 16 minutes (limit about 1 h), 2 TB about
     *       2 h (limit about 8 h).
     * </ul>
     *
     * Empty for other operations, whose duration does not grow with a size AWS reports.
     */
    public static java.util.Optional<java.time.Duration> expectedForStorage(String operation, int storageGb) {
        int gb = Math.max(0, storageGb);
        return switch (operation) {
            case DATABASE_SNAPSHOT ->
                java.util.Optional.of(java.time.Duration.ofMinutes(5).plusSeconds(6L * gb));
            case DATABASE_RESTORE ->
                java.util.Optional.of(java.time.Duration.ofMinutes(15).plusSeconds(3L * gb));
            default -> java.util.Optional.empty();
        };
    }
}
