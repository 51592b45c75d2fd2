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
    /** A script run on instances (Run Command). */
    public static final String COMMAND_RUN = "command.run";
    /** A volume created from a snapshot (inside a stack); for critical paths. */
    public static final String VOLUME_CREATE = "volume.create";
    /** Waiting out a DNS record's old TTL; for critical paths, its duration is the TTL in force. */
    public static final String TTL_WAIT = "dns.ttl-wait";

    public static final String HOOK = "hook";
    public static final String CHECK = "check";
    public static final String WAIT = "wait";

    private Operations() {}
}
