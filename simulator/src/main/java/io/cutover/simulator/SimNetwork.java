package io.cutover.simulator;

import static io.cutover.simulator.SimWorld.normal;

import io.cutover.spi.AddressProvider;
import io.cutover.spi.ApiService;
import io.cutover.spi.DnsProvider;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Simulated Route 53 and Elastic IPs: hosted zones whose changes are PENDING until {@link Latencies#dnsSync()}
 * (plus any slow-DNS fault) has passed, and static addresses that move between instances.
 */
final class SimNetwork implements DnsProvider, AddressProvider {
    private final SimWorld world;
    /** Whether an instance id belongs to a live stack: only those can take an address. */
    private final Predicate<String> instanceExists;
    /** The stack a host name is an output of, and whether its application is healthy now. */
    private final java.util.function.Function<String, Optional<Map.Entry<String, Boolean>>> servedBy;

    private final Map<String, SimZone> zones = new LinkedHashMap<>();
    private final Map<String, String> zoneNames = new LinkedHashMap<>();
    private final Map<String, Instant> changes = new LinkedHashMap<>();
    private final Map<String, String[]> addresses = new LinkedHashMap<>();
    private final List<SimulatedCloud.DnsChange> dnsChanges = new ArrayList<>();

    SimNetwork(
            SimWorld world,
            Predicate<String> instanceExists,
            java.util.function.Function<String, Optional<Map.Entry<String, Boolean>>> servedBy) {
        this.world = world;
        this.instanceExists = instanceExists;
        this.servedBy = servedBy;
    }

    // ------------------------------------------------------------------------------------------- DNS

    @Override
    public String describeZone(String zoneId) {
        synchronized (world) {
            world.enter(ApiService.ROUTE53, "GetHostedZone");
            if (!zones.containsKey(zoneId)) {
                throw ProviderException.of(
                        FailureKind.NOT_FOUND, "GetHostedZone", "No hosted zone found with ID: " + zoneId);
            }
            return zoneNames.getOrDefault(zoneId, zoneId);
        }
    }

    @Override
    public List<RecordSet> records(String zoneId, String name, String type) {
        synchronized (world) {
            world.enter(ApiService.ROUTE53, "ListResourceRecordSets");
            SimZone z = zones.get(zoneId);
            if (z == null) {
                throw ProviderException.of(
                        FailureKind.NOT_FOUND, "ListResourceRecordSets", "No hosted zone found with ID: " + zoneId);
            }
            return z.named(normal(name)).stream()
                    .filter(r -> r.type().equals(type))
                    .toList();
        }
    }

    @Override
    public String upsert(String zoneId, List<RecordSet> records, String comment) {
        synchronized (world) {
            world.enter(ApiService.ROUTE53, "ChangeResourceRecordSets");
            SimZone z = zones.get(zoneId);
            if (z == null) {
                throw ProviderException.of(
                        FailureKind.NOT_FOUND, "ChangeResourceRecordSets", "No hosted zone found with ID: " + zoneId);
            }
            checkWeights(records);
            records.forEach(r -> replace(z, r));
            return changed(zoneId, records);
        }
    }

    @Override
    public String replace(String zoneId, List<RecordSet> read, List<RecordSet> next, String comment) {
        synchronized (world) {
            world.enter(ApiService.ROUTE53, "ChangeResourceRecordSets");
            SimZone z = zones.get(zoneId);
            if (z == null) {
                throw ProviderException.of(
                        FailureKind.NOT_FOUND, "ChangeResourceRecordSets", "No hosted zone found with ID: " + zoneId);
            }
            checkWeights(next);
            // As Route 53: the batch fails as a whole when a DELETE does not match the record set exactly, or a
            // CREATE finds one there already.
            applyTo(z, read, next);
            return changed(zoneId, next);
        }
    }

    /** As Route 53: up to 1,000 ResourceRecord elements a request, so 500 replaces of one record. */
    @Override
    public int maxBatchParts() {
        return 500;
    }

    /**
     * Several callers' changes as one ChangeResourceRecordSets: applied all together, or none when one part's
     * DELETE does not match or its CREATE finds a record there (Route 53's InvalidChangeBatch, which names the
     * record; here, the part).
     */
    @Override
    public BatchResult changeAll(String zoneId, List<BatchPart> parts, String comment) {
        synchronized (world) {
            world.enter(ApiService.ROUTE53, "ChangeResourceRecordSets");
            SimZone z = zones.get(zoneId);
            if (z == null) {
                throw ProviderException.of(
                        FailureKind.NOT_FOUND, "ChangeResourceRecordSets", "No hosted zone found with ID: " + zoneId);
            }
            // Applied to a copy, so that a refused part leaves the zone as it was (the whole request is refused).
            SimZone after = new SimZone();
            z.all().forEach(after::add);
            List<RecordSet> written = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                BatchPart c = parts.get(i);
                try {
                    checkWeights(c.next());
                    if (c.read().isEmpty()) {
                        c.next().forEach(r -> replace(after, r));
                    } else {
                        applyTo(after, c.read(), c.next());
                    }
                } catch (ProviderException e) {
                    return new BatchResult.Refused(i, e);
                }
                written.addAll(c.next());
            }
            zones.put(zoneId, after);
            return new BatchResult.Applied(changed(zoneId, written));
        }
    }

    /** One change, as Route 53 applies it: each of {@code read} deleted as it is, then {@code next} created. */
    private static void applyTo(SimZone z, List<RecordSet> read, List<RecordSet> next) {
        z.apply(
                read,
                next,
                (x, r) -> same(x, r)
                        && x.ttl() == r.ttl()
                        && x.values().equals(r.values())
                        && x.weight().equals(r.weight())
                        && x.aliasTarget().equals(r.aliasTarget()),
                SimNetwork::same,
                r -> ProviderException.of(
                        FailureKind.CONFLICT,
                        "ChangeResourceRecordSets",
                        "Tried to delete resource record set [name='" + r.name() + "', type='" + r.type()
                                + "'] but it was not found or its values do not match the current values"),
                r -> ProviderException.of(
                        FailureKind.CONFLICT,
                        "ChangeResourceRecordSets",
                        "Tried to create resource record set [name='" + r.name() + "', type='" + r.type()
                                + "'] but it already exists"));
    }

    private static boolean same(RecordSet x, RecordSet r) {
        return normal(x.name()).equals(normal(r.name()))
                && x.type().equals(r.type())
                && x.setIdentifier().equals(r.setIdentifier());
    }

    private static void checkWeights(List<RecordSet> records) {
        for (RecordSet r : records) {
            if (r.weight().isPresent() && (r.weight().get() < 0 || r.weight().get() > 255)) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        "ChangeResourceRecordSets",
                        "Invalid weight " + r.weight().get());
            }
        }
    }

    private String changed(String zoneId, List<RecordSet> records) {
        String id = "C" + world.nextHex().toUpperCase();
        for (RecordSet r : records) {
            Map<String, Boolean> health = new java.util.TreeMap<>();
            java.util.stream.Stream.concat(r.values().stream(), r.aliasTarget().map(AliasTarget::dnsName).stream())
                    .forEach(v -> servedBy.apply(normal(v)).ifPresent(e -> health.put(e.getKey(), e.getValue())));
            dnsChanges.add(new SimulatedCloud.DnsChange(world.now(), zoneId, r, id, health));
        }
        changes.put(
                id,
                world.now()
                        .plus(world.took("dnsSync", world.latencies.dnsSync()))
                        .plus(world.faults.dnsDelay()));
        return id;
    }

    private static void replace(SimZone zone, RecordSet r) {
        zone.removeIf(r, x -> same(x, r));
        zone.add(r);
    }

    @Override
    public ChangeStatus changeStatus(String changeId) {
        synchronized (world) {
            world.enter(ApiService.ROUTE53, "GetChange");
            Instant at = changes.get(changeId);
            if (at == null) {
                throw ProviderException.of(FailureKind.NOT_FOUND, "GetChange", "No change found with ID: " + changeId);
            }
            return at.isAfter(world.now()) ? ChangeStatus.PENDING : ChangeStatus.INSYNC;
        }
    }

    /** Where a host name's record points (the heaviest set of a weighted record), if a zone has one. */
    Optional<String> resolve(String host) {
        for (SimZone z : zones.values()) {
            List<RecordSet> matches = z.named(host);
            // A weighted record answers with the heaviest set; good enough to tell which stack users reach.
            Optional<RecordSet> best = matches.stream()
                    .max((a, b) ->
                            Integer.compare(a.weight().orElse(255), b.weight().orElse(255)));
            if (best.isPresent()) {
                return Optional.of(best.get()
                        .aliasTarget()
                        .map(AliasTarget::dnsName)
                        .orElse(
                                best.get().values().isEmpty()
                                        ? ""
                                        : best.get().values().get(0)));
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------------------------------- addresses

    @Override
    public AddressDescription describe(String allocationId) {
        synchronized (world) {
            world.enter(ApiService.EC2_DESCRIBE, "DescribeAddresses");
            String[] a = addresses.get(allocationId);
            if (a == null) {
                throw ProviderException.of(
                        FailureKind.NOT_FOUND,
                        "DescribeAddresses",
                        "The allocation ID '" + allocationId + "' does not exist");
            }
            return new AddressDescription(allocationId, a[0], Optional.ofNullable(a[1]));
        }
    }

    @Override
    public void associate(String allocationId, String instanceId) {
        synchronized (world) {
            world.enter(ApiService.EC2_MUTATE, "AssociateAddress");
            String[] a = addresses.get(allocationId);
            if (a == null) {
                throw ProviderException.of(
                        FailureKind.NOT_FOUND,
                        "AssociateAddress",
                        "The allocation ID '" + allocationId + "' does not exist");
            }
            if (!instanceExists.test(instanceId)) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        "AssociateAddress",
                        "The instance ID '" + instanceId + "' does not exist");
            }
            a[1] = instanceId;
        }
    }

    // ------------------------------------------------------------------------------------------- seeding

    void zone(String zoneId) {
        zones.putIfAbsent(zoneId, new SimZone());
    }

    void zone(String zoneId, String name) {
        zone(zoneId);
        zoneNames.put(zoneId, normal(name));
    }

    void record(String zoneId, RecordSet record) {
        zone(zoneId);
        replace(zones.get(zoneId), record);
    }

    void addAddress(String allocationId, String instanceId) {
        addresses.put(allocationId, new String[] {"203.0.113." + (addresses.size() + 10), instanceId});
    }

    String allocateAddress(String instanceId) {
        String id = "eipalloc-" + world.nextHex();
        addAddress(id, instanceId);
        return id;
    }

    // ------------------------------------------------------------------------------------------- reading

    List<RecordSet> recordsIn(String zoneId) {
        SimZone z = zones.get(zoneId);
        return z == null ? List.of() : z.all();
    }

    Optional<String> addressTarget(String allocationId) {
        String[] a = addresses.get(allocationId);
        return a == null ? Optional.empty() : Optional.ofNullable(a[1]);
    }

    List<SimulatedCloud.DnsChange> dnsChanges() {
        return List.copyOf(dnsChanges);
    }
}
