package io.cutover.fleet;

import java.time.Duration;
import java.time.Instant;

/**
 * Who is driving an environment right now: the process ({@code owner}, {@code host/pid} by default), the
 * cutover it drives, since when, and the lease it must keep renewing. When the process dies, nobody renews
 * the lease, and another process may take the environment over once {@code lease} has passed.
 */
public record LeaseHolder(String environment, String owner, String runId, Instant since, Duration lease) {
    /** For messages: "host-a/123 (run upgrade-2-0-acme) since 2026-03-01T09:00:00Z, lease 10 s". */
    public String describe() {
        return owner + " (run " + runId + ") since " + since + ", lease " + lease.toSeconds() + " s";
    }
}
