package io.cutover.simulator;

import static io.cutover.simulator.SimWorld.normal;

import io.cutover.spi.DnsProvider.RecordSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The record sets of one simulated hosted zone, in the order they were written (a changed set goes to the end, as
 * in a list), indexed by normalised name, so that a fleet's thousands of records in one zone cost a lookup of the
 * name, not a look at every record.
 */
final class SimZone {
    private final TreeMap<Long, RecordSet> ordered = new TreeMap<>();
    private final Map<String, List<Long>> byName = new HashMap<>();
    private long sequence;

    /** Every record set, in order. */
    List<RecordSet> all() {
        return List.copyOf(ordered.values());
    }

    /** The record sets of this normalised name, in order. */
    List<RecordSet> named(String normalName) {
        List<Long> seqs = byName.get(normalName);
        if (seqs == null) {
            return List.of();
        }
        List<RecordSet> out = new ArrayList<>(seqs.size());
        seqs.forEach(q -> out.add(ordered.get(q)));
        return out;
    }

    /** Adds a record set at the end. */
    void add(RecordSet r) {
        long q = sequence++;
        ordered.put(q, r);
        byName.computeIfAbsent(normal(r.name()), k -> new ArrayList<>(2)).add(q);
    }

    /** Removes the record sets of {@code r}'s name that {@code which} accepts; whether any was. */
    boolean removeIf(RecordSet r, Predicate<RecordSet> which) {
        String name = normal(r.name());
        List<Long> seqs = byName.get(name);
        if (seqs == null) {
            return false;
        }
        boolean removed = seqs.removeIf(q -> {
            if (which.test(ordered.get(q))) {
                ordered.remove(q);
                return true;
            }
            return false;
        });
        if (seqs.isEmpty()) {
            byName.remove(name);
        }
        return removed;
    }

    /**
     * Applies a batch as Route 53 does, whole or not at all: each of {@code deletes} must match a set that
     * {@code matches} accepts (else {@code missing} is thrown for it), then none of {@code creates} may find a set
     * that {@code clashes} with it (else {@code exists} is thrown); the created sets go to the end, in order.
     */
    <E extends RuntimeException> void apply(
            List<RecordSet> deletes,
            List<RecordSet> creates,
            java.util.function.BiPredicate<RecordSet, RecordSet> matches,
            java.util.function.BiPredicate<RecordSet, RecordSet> clashes,
            java.util.function.Function<RecordSet, E> missing,
            java.util.function.Function<RecordSet, E> exists) {
        // The batch is checked on copies of the names it touches, so that a refused batch changes nothing.
        Map<String, List<RecordSet>> staged = new HashMap<>();
        for (RecordSet r : deletes) {
            if (!staged.computeIfAbsent(normal(r.name()), k -> new ArrayList<>(named(k)))
                    .removeIf(x -> matches.test(x, r))) {
                throw missing.apply(r);
            }
        }
        for (RecordSet r : creates) {
            List<RecordSet> here = staged.computeIfAbsent(normal(r.name()), k -> new ArrayList<>(named(k)));
            if (here.stream().anyMatch(x -> clashes.test(x, r))) {
                throw exists.apply(r);
            }
            here.add(r);
        }
        for (RecordSet r : deletes) {
            removeIf(r, x -> matches.test(x, r));
        }
        creates.forEach(this::add);
    }
}
