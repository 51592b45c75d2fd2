package io.cutover.engine;

/** The names of the long operations steps wait on; keys of {@link PollPolicy#expected()}. */
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
    public static final String HOOK = "hook";
    public static final String CHECK = "check";
    public static final String WAIT = "wait";

    private Operations() {}
}
