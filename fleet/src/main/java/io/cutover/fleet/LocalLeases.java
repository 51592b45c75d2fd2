package io.cutover.fleet;

import com.google.common.base.Preconditions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Leases between the runners of one process (or of one simulation): the right choice with the file store,
 * where one machine runs the fleet. Several {@link #forOwner owners} share one table of holders; a lease is
 * never lost by time, only by {@link #expire} (a simulated death) or release.
 */
public final class LocalLeases {
    private final Map<String, LeaseHolder> held = new HashMap<>();
    private final Supplier<Instant> clock;

    private LocalLeases(Supplier<Instant> clock) {
        this.clock = clock;
    }

    public static LocalLeases on(Supplier<Instant> clock) {
        return new LocalLeases(clock);
    }

    /** The leases as seen by one process. */
    public EnvironmentLeases forOwner(String owner) {
        Preconditions.checkArgument(owner != null && !owner.isBlank(), "owner: name the process");
        return new Owner(owner);
    }

    /** Drops every lease of {@code owner}, as if its process died and its leases ran out. */
    public synchronized void expire(String owner) {
        held.values().removeIf(h -> h.owner().equals(owner));
    }

    private final class Owner implements EnvironmentLeases {
        private final String owner;

        Owner(String owner) {
            this.owner = owner;
        }

        @Override
        public LeaseAttempt tryAcquire(String environment, String runId) {
            synchronized (LocalLeases.this) {
                LeaseHolder h = held.get(environment);
                if (h != null && !h.owner().equals(owner)) {
                    return new LeaseAttempt.Held(h);
                }
                LeaseHolder mine = new LeaseHolder(environment, owner, runId, clock.get(), Duration.ZERO);
                held.put(environment, mine);
                return new LeaseAttempt.Acquired(new Lease() {
                    @Override
                    public LeaseHolder holder() {
                        return mine;
                    }

                    @Override
                    public boolean valid() {
                        synchronized (LocalLeases.this) {
                            return mine.equals(held.get(environment));
                        }
                    }

                    @Override
                    public Duration remaining() {
                        return valid() ? java.time.temporal.ChronoUnit.FOREVER.getDuration() : Duration.ZERO;
                    }

                    @Override
                    public void release() {
                        synchronized (LocalLeases.this) {
                            held.remove(environment, mine);
                        }
                    }
                });
            }
        }

        @Override
        public Optional<LeaseHolder> holder(String environment) {
            synchronized (LocalLeases.this) {
                return Optional.ofNullable(held.get(environment));
            }
        }

        @Override
        public String owner() {
            return owner;
        }

        @Override
        public void close() {
            expire(owner);
        }
    }
}
