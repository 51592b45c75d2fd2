package io.cutover.aws;

import io.cutover.spi.ApiService;
import io.cutover.spi.DnsProvider;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * {@link DnsProvider} over Route 53. Names are reported without the trailing dot and accepted with or without
 * it; zone and change ids are accepted with or without their {@code /hostedzone/} and {@code /change/}
 * prefixes and reported without them.
 */
final class Route53Dns implements DnsProvider {
    private static final ApiService API = ApiService.ROUTE53;

    private final Route53Client route53;
    private final AwsCalls calls;

    Route53Dns(Route53Client route53, AwsCalls calls) {
        this.route53 = route53;
        this.calls = calls;
    }

    @Override
    public String describeZone(String zoneId) {
        String id = bareId(zoneId);
        return normalise(
                calls.call(API, "GetHostedZone", "hosted zone '" + id + "'", () -> route53.getHostedZone(r -> r.id(id)))
                        .hostedZone()
                        .name());
    }

    @Override
    public List<RecordSet> records(String zoneId, String name, String type) {
        String id = bareId(zoneId);
        String wantedName = normalise(name);
        List<RecordSet> found = new ArrayList<>();
        String startName = absolute(name);
        String startType = type;
        String startIdentifier = null;
        while (true) {
            String n = startName;
            String t = startType;
            String i = startIdentifier;
            ListResourceRecordSetsResponse page = calls.call(
                    API,
                    "ListResourceRecordSets",
                    "hosted zone '" + id + "'",
                    () -> route53.listResourceRecordSets(r -> r.hostedZoneId(id)
                            .startRecordName(n)
                            .startRecordType(t)
                            .startRecordIdentifier(i)));
            // The listing starts at name/type and runs on through the rest of the zone in DNS order: stop at the
            // first record set of another name or type.
            for (ResourceRecordSet rrs : page.resourceRecordSets()) {
                if (!normalise(rrs.name()).equals(wantedName) || !type.equalsIgnoreCase(rrs.typeAsString())) {
                    return found;
                }
                found.add(recordSet(rrs));
            }
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                return found;
            }
            startName = page.nextRecordName();
            startType = page.nextRecordTypeAsString();
            startIdentifier = page.nextRecordIdentifier();
        }
    }

    @Override
    public String upsert(String zoneId, List<RecordSet> records, String comment) {
        String id = bareId(zoneId);
        List<Change> changes = records.stream()
                .map(rs -> Change.builder()
                        .action(ChangeAction.UPSERT)
                        .resourceRecordSet(resourceRecordSet(rs))
                        .build())
                .toList();
        String changeId = calls.call(
                        API,
                        "ChangeResourceRecordSets",
                        "hosted zone '" + id + "'",
                        () -> route53.changeResourceRecordSets(r -> r.hostedZoneId(id)
                                .changeBatch(b -> b.comment(comment).changes(changes))))
                .changeInfo()
                .id();
        return bareId(changeId);
    }

    @Override
    public String replace(String zoneId, List<RecordSet> read, List<RecordSet> next, String comment) {
        String id = bareId(zoneId);
        List<Change> changes = new ArrayList<>();
        read.forEach(rs -> changes.add(Change.builder()
                .action(ChangeAction.DELETE)
                .resourceRecordSet(resourceRecordSet(rs))
                .build()));
        next.forEach(rs -> changes.add(Change.builder()
                .action(ChangeAction.CREATE)
                .resourceRecordSet(resourceRecordSet(rs))
                .build()));
        try {
            return bareId(calls.call(
                            API,
                            "ChangeResourceRecordSets",
                            "hosted zone '" + id + "'",
                            () -> route53.changeResourceRecordSets(r -> r.hostedZoneId(id)
                                    .changeBatch(b -> b.comment(comment).changes(changes))))
                    .changeInfo()
                    .id());
        } catch (ProviderException e) {
            throw conflict(e);
        }
    }

    /** Route 53 takes up to 1,000 ResourceRecord elements in one request: 500 replaces of a one-value record. */
    @Override
    public int maxBatchParts() {
        return 500;
    }

    /**
     * Several callers' changes in one {@code ChangeResourceRecordSets}: each part's DELETEs and CREATEs (or UPSERTs,
     * for a part that read nothing). Route 53 applies all or none; its {@code InvalidChangeBatch} names the record
     * set at fault, and the part whose DELETE or CREATE it is is returned as refused. A refusal that names no part's
     * record set is thrown, and the engine sends the batch again in halves.
     */
    @Override
    public BatchResult changeAll(String zoneId, List<BatchPart> parts, String comment) {
        String id = bareId(zoneId);
        List<Change> changes = new ArrayList<>();
        for (BatchPart p : parts) {
            p.read()
                    .forEach(rs -> changes.add(Change.builder()
                            .action(ChangeAction.DELETE)
                            .resourceRecordSet(resourceRecordSet(rs))
                            .build()));
            p.next()
                    .forEach(rs -> changes.add(Change.builder()
                            .action(p.read().isEmpty() ? ChangeAction.UPSERT : ChangeAction.CREATE)
                            .resourceRecordSet(resourceRecordSet(rs))
                            .build()));
        }
        try {
            return new BatchResult.Applied(bareId(calls.call(
                            API,
                            "ChangeResourceRecordSets",
                            "hosted zone '" + id + "'",
                            () -> route53.changeResourceRecordSets(r -> r.hostedZoneId(id)
                                    .changeBatch(b -> b.comment(comment).changes(changes))))
                    .changeInfo()
                    .id()));
        } catch (ProviderException e) {
            if (e.retryable()) {
                throw e;
            }
            ProviderException why = conflict(e);
            java.util.OptionalInt bad = partAtFault(e, parts);
            if (bad.isPresent()) {
                return new BatchResult.Refused(bad.getAsInt(), why);
            }
            throw why;
        }
    }

    /**
     * The part whose record set Route 53's refusal names ("Tried to delete resource record set [name='a.example.com.',
     * type='CNAME'] ..." is a part's DELETE, "Tried to create ..." its CREATE), if any.
     */
    static java.util.OptionalInt partAtFault(ProviderException e, List<BatchPart> parts) {
        java.util.regex.Matcher m = NAMED.matcher(e.getMessage());
        if (!m.find()) {
            return java.util.OptionalInt.empty();
        }
        boolean delete = m.group(1).equals("delete");
        String name = normalise(m.group(2));
        String type = m.group(3);
        for (int i = 0; i < parts.size(); i++) {
            BatchPart p = parts.get(i);
            List<RecordSet> where = delete ? p.read() : p.next();
            if (where.stream()
                    .anyMatch(
                            rs -> normalise(rs.name()).equals(name) && rs.type().equalsIgnoreCase(type))) {
                return java.util.OptionalInt.of(i);
            }
        }
        return java.util.OptionalInt.empty();
    }

    private static final java.util.regex.Pattern NAMED = java.util.regex.Pattern.compile(
            "Tried to (delete|create) resource record set \\[name='([^']*)', type='([^']*)'");

    /**
     * Route 53 refuses a batch whose DELETE does not match the record as it is now ("Tried to delete resource
     * record set ... but it was not found" or "... but the values provided do not match the current values"),
     * or whose CREATE finds it there ("... but it already exists"), as {@code InvalidChangeBatch}: for a
     * conditional change, that is another process's change, not a bad request.
     */
    static ProviderException conflict(ProviderException e) {
        if (e.kind() == FailureKind.INVALID_REQUEST
                && CONFLICT.matcher(e.getMessage()).find()) {
            String message = e.getMessage().substring(e.getMessage().indexOf(": ") + 2);
            return new ProviderException(
                    FailureKind.CONFLICT,
                    e.operation(),
                    message + " (changed by another process since it was read)",
                    e,
                    null);
        }
        return e;
    }

    private static final java.util.regex.Pattern CONFLICT = java.util.regex.Pattern.compile(
            "Tried to (delete|create) resource record set.*(not found|do not match|already exists)",
            java.util.regex.Pattern.DOTALL);

    @Override
    public ChangeStatus changeStatus(String changeId) {
        String id = bareId(changeId);
        var status = calls.call(API, "GetChange", "change '" + id + "'", () -> route53.getChange(r -> r.id(id)))
                .changeInfo()
                .status();
        return status == software.amazon.awssdk.services.route53.model.ChangeStatus.INSYNC
                ? ChangeStatus.INSYNC
                : ChangeStatus.PENDING;
    }

    // ---- mapping, package-private for the unit tests ----

    static RecordSet recordSet(ResourceRecordSet rrs) {
        Optional<AliasTarget> alias = Optional.ofNullable(rrs.aliasTarget())
                .map(a -> new AliasTarget(
                        a.hostedZoneId(), normalise(a.dnsName()), Boolean.TRUE.equals(a.evaluateTargetHealth())));
        return new RecordSet(
                normalise(rrs.name()),
                rrs.typeAsString(),
                Optional.ofNullable(rrs.ttl()).orElse(0L),
                rrs.resourceRecords().stream().map(ResourceRecord::value).toList(),
                Optional.ofNullable(rrs.setIdentifier()),
                Optional.ofNullable(rrs.weight()).map(Long::intValue),
                alias);
    }

    static ResourceRecordSet resourceRecordSet(RecordSet rs) {
        ResourceRecordSet.Builder b =
                ResourceRecordSet.builder().name(absolute(rs.name())).type(rs.type());
        rs.setIdentifier().ifPresent(b::setIdentifier);
        rs.weight().ifPresent(w -> b.weight(w.longValue()));
        if (rs.aliasTarget().isPresent()) {
            // An alias has no TTL or values of its own; Route 53 rejects a change that gives them.
            var a = rs.aliasTarget().get();
            b.aliasTarget(software.amazon.awssdk.services.route53.model.AliasTarget.builder()
                    .hostedZoneId(a.hostedZoneId())
                    .dnsName(absolute(a.dnsName()))
                    .evaluateTargetHealth(a.evaluateTargetHealth())
                    .build());
        } else {
            b.ttl(rs.ttl())
                    .resourceRecords(rs.values().stream()
                            .map(v -> ResourceRecord.builder().value(v).build())
                            .toList());
        }
        return b.build();
    }

    /**
     * A name as users write it: lower case, no trailing dot, and Route 53's octal escapes ({@code \052} for
     * {@code *}) decoded.
     */
    static String normalise(String name) {
        if (name == null) {
            return "";
        }
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        StringBuilder sb = new StringBuilder(n.length());
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c == '\\' && isOctal(n, i + 1)) {
                sb.append((char) Integer.parseInt(n.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    /** "/hostedzone/Z123" and "/change/C123" are accepted where "Z123" and "C123" are meant. */
    static String bareId(String id) {
        int slash = id.lastIndexOf('/');
        return slash >= 0 ? id.substring(slash + 1) : id;
    }
}
