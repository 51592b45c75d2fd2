package io.cutover.internal;

import io.cutover.plan.Environment.DnsRecord;
import io.cutover.spi.DnsProvider;
import io.cutover.spi.DnsProvider.RecordSet;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.step.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Helpers for the DNS actions: saving a record set in a step's memo and reading it back. */
public final class DnsCalls {
    /**
     * Where a step's saved record ({@code orig.}) came from: a read the preflight made ({@link #FROM_PREFLIGHT}),
     * what an earlier step of the cutover left ({@link #FROM_STEP}), or the step's own read (absent).
     */
    public static final String ORIG_FROM = "orig.from";

    public static final String FROM_PREFLIGHT = "preflight";
    public static final String FROM_STEP = "step";

    private DnsCalls() {}

    /**
     * A DNS step's grants: reads of the zone, changes to the one record name only
     * ({@code route53:ChangeResourceRecordSetsNormalizedRecordNames}: lower case, no trailing dot), and its
     * changes' status.
     */
    public static java.util.List<io.cutover.step.Grant> grants(Optional<DnsRecord> record, io.cutover.step.Arns arns) {
        String zone =
                record.map(r -> arns.hostedZone(Names.literal(r.zoneId()))).orElse(arns.hostedZone("*"));
        var change = record.map(DnsRecord::name)
                .filter(n -> !n.contains("${"))
                .map(n -> io.cutover.step.Grant.write(
                        java.util.List.of("route53:ChangeResourceRecordSets"),
                        java.util.List.of(zone),
                        io.cutover.step.Grant.Condition.equals(
                                "route53:ChangeResourceRecordSetsNormalizedRecordNames",
                                n.toLowerCase(java.util.Locale.ROOT).replaceAll("\\.$", ""))))
                .orElseGet(() -> io.cutover.step.Grant.write(
                        java.util.List.of("route53:ChangeResourceRecordSets"), java.util.List.of(zone)));
        return java.util.List.of(
                // the preflight's look at the record (which proves the zone too) and the steps' reads of it
                io.cutover.step.Grant.read(
                        java.util.List.of("route53:ListResourceRecordSets"), java.util.List.of(zone)),
                io.cutover.step.Grant.read(
                        java.util.List.of("route53:GetChange"), java.util.List.of(arns.route53Changes())),
                change);
    }

    public static DnsRecord record(StepContext ctx, Optional<DnsRecord> override) {
        return override.or(() -> ctx.plan().environment().dns()).orElseThrow();
    }

    /** Blue's record set: the one with blue's set identifier when weighted, else the only one. */
    public static Optional<RecordSet> blue(DnsProvider dns, DnsRecord r) {
        List<RecordSet> sets = dns.records(r.zoneId(), r.name(), r.type());
        if (r.setIdentifier().isPresent()) {
            return sets.stream()
                    .filter(s -> s.setIdentifier().equals(r.setIdentifier()))
                    .findFirst();
        }
        return sets.stream().filter(s -> s.setIdentifier().isEmpty()).findFirst();
    }

    public static void save(String prefix, RecordSet s, Map<String, String> memo) {
        memo.put(prefix + "name", s.name());
        memo.put(prefix + "type", s.type());
        memo.put(prefix + "ttl", String.valueOf(s.ttl()));
        memo.put(prefix + "values", String.join("\n", s.values()));
        s.setIdentifier().ifPresent(v -> memo.put(prefix + "setId", v));
        s.weight().ifPresent(v -> memo.put(prefix + "weight", String.valueOf(v)));
        s.aliasTarget().ifPresent(a -> {
            memo.put(prefix + "alias.zone", a.hostedZoneId());
            memo.put(prefix + "alias.name", a.dnsName());
            memo.put(prefix + "alias.health", String.valueOf(a.evaluateTargetHealth()));
        });
    }

    public static Optional<RecordSet> load(String prefix, Map<String, String> memo) {
        if (!memo.containsKey(prefix + "name")) {
            return Optional.empty();
        }
        String values = memo.get(prefix + "values");
        List<String> list = values == null || values.isEmpty() ? List.of() : List.of(values.split("\n"));
        Optional<DnsProvider.AliasTarget> alias = Optional.ofNullable(memo.get(prefix + "alias.name"))
                .map(n -> new DnsProvider.AliasTarget(
                        memo.get(prefix + "alias.zone"), n, Boolean.parseBoolean(memo.get(prefix + "alias.health"))));
        return Optional.of(new RecordSet(
                memo.get(prefix + "name"),
                memo.get(prefix + "type"),
                Long.parseLong(memo.get(prefix + "ttl")),
                new ArrayList<>(list),
                Optional.ofNullable(memo.get(prefix + "setId")),
                Optional.ofNullable(memo.get(prefix + "weight")).map(Integer::parseInt),
                alias));
    }

    /**
     * Changes the record sets {@code read} into {@code next} only while they are still as read
     * ({@link DnsProvider#replace}), so that a process that woke from a pause cannot undo a change it has not
     * seen. A repeat after a crash, which finds the record already as {@code next}, is an idempotent upsert.
     */
    public static String change(
            DnsProvider dns, String zoneId, List<RecordSet> read, List<RecordSet> next, String comment) {
        try {
            return dns.replace(zoneId, read, next, comment);
        } catch (ProviderException e) {
            if (e.kind() != FailureKind.CONFLICT) {
                throw e;
            }
            List<RecordSet> now =
                    dns.records(zoneId, next.get(0).name(), next.get(0).type());
            if (next.stream().allMatch(n -> now.stream().anyMatch(x -> sameAs(x, n)))) {
                return dns.upsert(zoneId, next, comment);
            }
            throw changedBySomeoneElse(read, now, e);
        }
    }

    /**
     * A conditional change refused because the record is neither as the step expected it nor as the step would
     * leave it: someone else changed it, and the step does not overwrite a change it has not seen.
     */
    public static ProviderException changedBySomeoneElse(
            List<RecordSet> expected, List<RecordSet> found, ProviderException refusal) {
        RecordSet e = expected.get(0);
        String seen = found.isEmpty()
                ? "it is gone"
                : "it is now " + found.stream().map(DnsCalls::shown).collect(java.util.stream.Collectors.joining(", "));
        return ProviderException.of(
                FailureKind.CONFLICT,
                refusal.operation(),
                "record " + e.name() + " " + e.type() + " was changed by someone else since this cutover saw it as "
                        + expected.stream().map(DnsCalls::shown).collect(java.util.stream.Collectors.joining(", "))
                        + "; " + seen + ". Nothing was changed, and the cutover does not overwrite a change it has"
                        + " not seen: find out who changed it, then roll back or resume (Route 53: "
                        + refusal.getMessage() + ")");
    }

    private static String shown(RecordSet s) {
        return s.target() + " (TTL " + s.ttl()
                + s.setIdentifier().map(i -> ", set " + i).orElse("")
                + s.weight().map(w -> ", weight " + w).orElse("") + ")";
    }

    /**
     * The status of a change the step saved, or empty when the provider does not know its id: a change queued for
     * a batch by a process that stopped before sending it (or after, its id unsaved). The step then makes its
     * change again, conditional as before, so one that did go out is found done.
     */
    public static Optional<DnsProvider.ChangeStatus> status(DnsProvider dns, String changeId) {
        try {
            return Optional.of(dns.changeStatus(changeId));
        } catch (ProviderException e) {
            if (e.kind() == FailureKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Whether {@code x} answers as {@code n}: name (case, final dot aside), type, set, weight, values or alias, TTL. */
    public static boolean sameAs(RecordSet x, RecordSet n) {
        return bare(x.name()).equals(bare(n.name()))
                && x.type().equals(n.type())
                && x.setIdentifier().equals(n.setIdentifier())
                && x.weight().equals(n.weight())
                && x.values().equals(n.values())
                && x.aliasTarget()
                        .map(a -> bare(a.dnsName()))
                        .equals(n.aliasTarget().map(a -> bare(a.dnsName())))
                && (x.aliasTarget().isPresent() || x.ttl() == n.ttl());
    }

    private static String bare(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replaceAll("\\.$", "");
    }

    /** The record set pointed at {@code target}: an alias keeps its zone and points at the new name. */
    public static RecordSet pointedAt(RecordSet s, String target) {
        if (s.aliasTarget().isPresent()) {
            var a = s.aliasTarget().get();
            return new RecordSet(
                    s.name(),
                    s.type(),
                    s.ttl(),
                    List.of(),
                    s.setIdentifier(),
                    s.weight(),
                    Optional.of(new DnsProvider.AliasTarget(a.hostedZoneId(), target, a.evaluateTargetHealth())));
        }
        return s.withValues(List.of(target));
    }
}
