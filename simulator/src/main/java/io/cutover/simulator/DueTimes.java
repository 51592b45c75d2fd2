package io.cutover.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * When the resources of one kind are due to change on their own (a snapshot completing, a deletion ending), so
 * that time moving on looks at the resources that are due, not at every resource: with thousands of cutovers in
 * flight something is due at almost every call, and a look at everything each time made the simulated cloud's
 * cost grow with the square of the fleet.
 *
 * <p>A service calls {@link #add} whenever it sets a resource's due time; {@code dueAt} gives a resource's due
 * time as it is now (null when nothing is due, or when it is no longer in its service), so an entry whose time
 * has since changed is ignored. {@link #due} gives what is due in the order of {@code all}, the order a look at
 * every resource would take. In a small world (tests) every call of {@link #next} also checks that each due
 * resource was added, so that a due time set without {@link #add} fails at once, naming the resource.
 */
final class DueTimes<T> {
    /** Up to this many resources of the kind, {@link #next} checks that none due was left out. */
    private static final int CHECKED_UP_TO = 256;

    private record Entry<T>(Instant at, long seq, T item) {}

    private final String kind;
    private final Function<T, Instant> dueAt;
    private final Supplier<Collection<T>> all;
    private final PriorityQueue<Entry<T>> queue = new PriorityQueue<>(
            Comparator.<Entry<T>, Instant>comparing(Entry::at).thenComparingLong(Entry::seq));
    /** Resources found due and left as they were (a stuck snapshot): looked at again at every later tick. */
    private final Set<T> lingering = Collections.newSetFromMap(new IdentityHashMap<>());

    private long sequence;

    DueTimes(String kind, Function<T, Instant> dueAt, Supplier<Collection<T>> all) {
        this.kind = kind;
        this.dueAt = dueAt;
        this.all = all;
    }

    /**
     * A map in insertion order (as {@code LinkedHashMap}) that gives each value put in it to {@code onPut}: the
     * resource maps of the services, so that a resource put with its due time set is due without another call.
     */
    static <K, V> Map<K, V> onPut(java.util.function.Consumer<V> onPut) {
        return new java.util.LinkedHashMap<>() {
            @Override
            public V put(K key, V value) {
                V old = super.put(key, value);
                onPut.accept(value);
                return old;
            }
        };
    }

    /** To be called whenever {@code item}'s due time is set (or it is put in its service with one). */
    void add(T item) {
        Instant at = dueAt.apply(item);
        if (at != null) {
            queue.add(new Entry<>(at, sequence++, item));
        }
    }

    /** The resources due by {@code now}, each once, in the order of {@code all}. */
    List<T> due(Instant now) {
        Set<T> found = Collections.newSetFromMap(new IdentityHashMap<>());
        found.addAll(lingering);
        lingering.clear();
        while (!queue.isEmpty() && !queue.peek().at().isAfter(now)) {
            Entry<T> e = queue.poll();
            if (e.at().equals(dueAt.apply(e.item()))) {
                found.add(e.item());
            }
        }
        found.removeIf(t -> {
            Instant at = dueAt.apply(t);
            return at == null || at.isAfter(now);
        });
        if (found.size() <= 1) {
            return new ArrayList<>(found);
        }
        // Several at once (cutovers started together finish together): one look at all of them gives the order.
        List<T> ordered = new ArrayList<>(found.size());
        for (T t : all.get()) {
            if (found.contains(t)) {
                ordered.add(t);
            }
        }
        return ordered;
    }

    /** After {@code items} were advanced: those still due (a fault keeps them as they were) stay due. */
    void advanced(List<T> items, Instant now) {
        for (T t : items) {
            Instant at = dueAt.apply(t);
            if (at != null && !at.isAfter(now)) {
                lingering.add(t);
            } else if (at != null) {
                add(t);
            }
        }
    }

    /** The earlier of {@code due} and the next time after {@code now} a resource of this kind is due. */
    Instant next(Instant now, Instant due) {
        check(now);
        while (!queue.isEmpty()) {
            Entry<T> e = queue.peek();
            if (!e.at().equals(dueAt.apply(e.item()))) {
                queue.poll();
            } else if (!e.at().isAfter(now)) {
                // Due already but not yet advanced: the next tick that advances anything looks at it.
                lingering.add(queue.poll().item());
            } else {
                return e.at().isBefore(due) ? e.at() : due;
            }
        }
        return due;
    }

    private void check(Instant now) {
        Collection<T> items = all.get();
        if (items.size() > CHECKED_UP_TO) {
            return;
        }
        Map<T, Set<Instant>> queued = new IdentityHashMap<>();
        queue.forEach(e ->
                queued.computeIfAbsent(e.item(), k -> new java.util.HashSet<>()).add(e.at()));
        for (T t : items) {
            Instant at = dueAt.apply(t);
            if (at != null
                    && !lingering.contains(t)
                    && !queued.getOrDefault(t, Set.of()).contains(at)) {
                throw new IllegalStateException("simulated cloud: a " + kind + " is due at " + at + " (now " + now
                        + ") but was not given to DueTimes.add when its time was set; call add after setting it");
            }
        }
    }
}
