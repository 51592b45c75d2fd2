package io.cutover.spi;

import java.util.List;
import java.util.Optional;

/**
 * DNS records in hosted zones (Route 53 on AWS). Changes are applied as one batch and are pending until
 * every name server has them.
 */
public interface DnsProvider {
    /** Throws {@link FailureKind#NOT_FOUND} when the zone does not exist. */
    String describeZone(String zoneId);

    /**
     * The record sets of that name and type (several when weighted), or an empty list.
     */
    List<RecordSet> records(String zoneId, String name, String type);

    /** Applies the upserts as one atomic batch; returns the change id to follow. */
    String upsert(String zoneId, List<RecordSet> records, String comment);

    /**
     * Deletes exactly the record sets {@code read} (as they were read: name, type, set identifier, TTL, values,
     * weight, alias) and creates {@code next}, as one atomic batch; returns the change id to follow. Throws
     * {@link FailureKind#CONFLICT}, changing nothing, when any of {@code read} is no longer there as it was read
     * or one of {@code next} exists already: another process changed the record. This is how a switch makes
     * sure it does not undo a change it has not seen (Route 53 refuses such a batch with
     * {@code InvalidChangeBatch}).
     */
    String replace(String zoneId, List<RecordSet> read, List<RecordSet> next, String comment);

    ChangeStatus changeStatus(String changeId);

    /**
     * How many callers' changes {@link #changeAll} sends in one request; 1 (the default) when the provider
     * cannot batch, and the engine then sends each change on its own.
     */
    default int maxBatchParts() {
        return 1;
    }

    /**
     * Applies the changes of several callers (each a {@link BatchPart}) as one atomic batch, in one request
     * (Route 53: one {@code ChangeResourceRecordSets} of up to 1,000 {@code ResourceRecord} elements); returns
     * the one change id to follow for all of them, or which part made the batch fail, changing nothing (Route
     * 53's {@code InvalidChangeBatch} names the record at fault). Throttling and transient failures are thrown,
     * as for a single change. The default sends one part as {@link #replace} or {@link #upsert} would.
     */
    default BatchResult changeAll(String zoneId, List<BatchPart> parts, String comment) {
        if (parts.size() != 1) {
            throw new UnsupportedOperationException("this DNS provider sends one change at a time");
        }
        BatchPart c = parts.get(0);
        try {
            return new BatchResult.Applied(
                    c.read().isEmpty()
                            ? upsert(zoneId, c.next(), comment)
                            : replace(zoneId, c.read(), c.next(), comment));
        } catch (ProviderException e) {
            if (e.retryable()) {
                throw e;
            }
            return new BatchResult.Refused(0, e);
        }
    }

    /**
     * One caller's part of a batch: the record sets {@code read} deleted exactly as read and {@code next}
     * created (as {@link #replace}), or, when {@code read} is empty, {@code next} upserted (as {@link #upsert}).
     */
    record BatchPart(List<RecordSet> read, List<RecordSet> next) {
        public BatchPart {
            read = List.copyOf(read);
            next = List.copyOf(next);
            if (next.isEmpty()) {
                throw new IllegalArgumentException("a change needs at least one record set to write");
            }
        }
    }

    /** What a batch came to: applied as one change, or refused because of one part. */
    sealed interface BatchResult {
        /** Every part was applied; follow {@code changeId}. */
        record Applied(String changeId) implements BatchResult {}

        /** Nothing was applied, because of part {@code part} (its index), for {@code why}. */
        record Refused(int part, ProviderException why) implements BatchResult {}
    }

    enum ChangeStatus {
        PENDING,
        INSYNC
    }

    /**
     * One record set. {@code setIdentifier} and {@code weight} are present for weighted records; an alias
     * record carries its target in {@code aliasTarget} and has no TTL of its own.
     */
    record RecordSet(
            String name,
            String type,
            long ttl,
            List<String> values,
            Optional<String> setIdentifier,
            Optional<Integer> weight,
            Optional<AliasTarget> aliasTarget) {
        public RecordSet {
            values = List.copyOf(values);
        }

        public static RecordSet simple(String name, String type, long ttl, String value) {
            return new RecordSet(name, type, ttl, List.of(value), Optional.empty(), Optional.empty(), Optional.empty());
        }

        public RecordSet withValues(List<String> newValues) {
            return new RecordSet(name, type, ttl, newValues, setIdentifier, weight, aliasTarget);
        }

        public RecordSet withTtl(long newTtl) {
            return new RecordSet(name, type, newTtl, values, setIdentifier, weight, aliasTarget);
        }

        public RecordSet withWeight(int newWeight) {
            return new RecordSet(name, type, ttl, values, setIdentifier, Optional.of(newWeight), aliasTarget);
        }

        /** What the record answers with: the alias target's DNS name, or its values. */
        public String target() {
            return aliasTarget.map(AliasTarget::dnsName).orElse(String.join(",", values));
        }
    }

    record AliasTarget(String hostedZoneId, String dnsName, boolean evaluateTargetHealth) {}
}
