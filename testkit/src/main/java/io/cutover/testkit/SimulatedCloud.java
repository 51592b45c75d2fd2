package io.cutover.testkit;

import io.cutover.plan.Environment.Database.Kind;
import io.cutover.spi.AddressProvider;
import io.cutover.spi.CloudProvider;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.DatabaseProvider.Status;
import io.cutover.spi.DnsProvider;
import io.cutover.spi.FailureKind;
import io.cutover.spi.HttpProbe;
import io.cutover.spi.ProviderException;
import io.cutover.spi.StackProvider;
import io.cutover.spi.VolumeProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * An in-memory cloud that behaves like AWS where a cutover can tell: operations take time (a latency per
 * operation, in the time of the clock it is given, virtual in tests), snapshots and stacks pass through
 * in-progress states and can fail, a restored database carries its snapshot's data version, a deleted
 * stack's resources are gone, DNS changes are PENDING before INSYNC, each service has a rate limit that
 * answers with throttling errors, and faults can be injected. Its state can be read for assertions.
 *
 * <p>Templates are CloudFormation JSON; the simulated cloud understands {@code AWS::RDS::DBInstance}
 * (including {@code DBSnapshotIdentifier}), {@code AWS::RDS::DBCluster} ({@code SnapshotIdentifier}),
 * {@code AWS::EC2::Volume} ({@code SnapshotId}), {@code AWS::EC2::Instance} and outputs with
 * {@code Ref}, {@code Fn::GetAtt} and {@code Fn::Join}. An application in a stack answers HTTP health
 * checks on the host names in the stack's outputs, once the stack is complete, its databases available and
 * {@link Latencies#healthCheck()} has passed (it warms up), unless a fault makes it unhealthy.
 */
public final class SimulatedCloud implements CloudProvider {
    private final Supplier<Instant> clock;
    private final Latencies latencies;
    private final RateLimits rateLimits;
    private final Faults faults;
    private final Map<String, Stack> stacks = new LinkedHashMap<>();
    private final Map<String, Db> dbs = new LinkedHashMap<>();
    private final Map<String, DbSnap> dbSnaps = new LinkedHashMap<>();
    private final Map<String, Vol> vols = new LinkedHashMap<>();
    private final Map<String, VolSnap> volSnaps = new LinkedHashMap<>();
    private final Map<String, List<DnsProvider.RecordSet>> zones = new LinkedHashMap<>();
    private final Map<String, String> zoneNames = new LinkedHashMap<>();
    private final Map<String, Instant> changes = new LinkedHashMap<>();
    private final Map<String, String[]> addresses = new LinkedHashMap<>();
    private final Map<String, Integer> calls = new TreeMap<>();
    private final List<String> deletedDatabases = new ArrayList<>();
    private final List<String> deletedVolumes = new ArrayList<>();
    private final List<Creation> creations = new ArrayList<>();
    private final List<DnsChange> dnsChanges = new ArrayList<>();
    private long counter = 0x1000;

    private SimulatedCloud(Supplier<Instant> clock, Latencies latencies, RateLimits limits, Faults faults) {
        this.clock = clock;
        this.latencies = latencies;
        this.rateLimits = limits;
        this.faults = faults;
    }

    /** A cloud on the given clock, with AWS's default latencies and rate limits and no faults. */
    public static SimulatedCloud on(Supplier<Instant> clock) {
        return new SimulatedCloud(clock, Latencies.ofDefaults(), RateLimits.ofAws(), new Faults());
    }

    public static SimulatedCloud of(Supplier<Instant> clock, Latencies latencies, RateLimits limits, Faults faults) {
        return new SimulatedCloud(clock, latencies, limits, faults);
    }

    public Faults faults() {
        return faults;
    }

    public RateLimits rateLimits() {
        return rateLimits;
    }

    // ------------------------------------------------------------------------------------------- model

    private static final class Stack {
        String name;
        String id;
        String status;
        String reason = "";
        String token;
        SimTemplate template;
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, String> outputs = new LinkedHashMap<>();
        Map<String, String> tags = new LinkedHashMap<>();
        Map<String, String> physical = new LinkedHashMap<>();
        Instant readyAt;
        Instant healthyAt;
        SimTemplate nextTemplate;
        Map<String, String> nextParams;
        List<String> retain = List.of();
        final Map<String, ChangeSet> changeSets = new LinkedHashMap<>();
        final List<StackProvider.StackEvent> events = new ArrayList<>();
    }

    private record ChangeSet(
            String name,
            Instant readyAt,
            SimTemplate template,
            Map<String, String> params,
            List<StackProvider.ResourceChange> changes,
            String failure) {}

    private static final class Db {
        Kind kind;
        String id;
        Status status;
        Instant readyAt;
        long dataVersion;
        String fromSnapshot;
        int storage;
        Integer maxStorage;
        String instanceClass = "db.t3.medium";
        String engine = "postgres";
        String ownerStack;
        Map<String, String> tags = new LinkedHashMap<>();
        String finalSnapshot;
    }

    private static final class DbSnap {
        Kind kind;
        String id;
        String source;
        Status status;
        Instant readyAt;
        long dataVersion;
        int storage;
        Map<String, String> tags = new LinkedHashMap<>();
    }

    private static final class Vol {
        String id;
        VolumeProvider.Status status;
        Instant readyAt;
        int size;
        String az = "us-east-1a";
        String fromSnapshot;
        long dataVersion;
        String ownerStack;
        Map<String, String> tags = new LinkedHashMap<>();
    }

    private static final class VolSnap {
        String id;
        String volume;
        VolumeProvider.Status status;
        Instant readyAt;
        long dataVersion;
        Map<String, String> tags = new LinkedHashMap<>();
    }

    // ------------------------------------------------------------------------------------------- plumbing

    private Instant now() {
        return clock.get();
    }

    private String nextHex() {
        return String.format("%017x", counter++);
    }

    /** Every provider call passes here: due transitions are applied, faults and rate limits enforced. */
    private void enter(String bucket, String operation) {
        Instant now = now();
        tick(now);
        if (!(operation.startsWith("Describe")
                || operation.startsWith("Get")
                || operation.startsWith("List")
                || operation.equals("ValidateTemplate"))) {
            // The call may start something that ends later: the next tick must look at everything again.
            nextDue = null;
        }
        calls.merge(operation, 1, Integer::sum);
        FailureKind fault = faults.callFault(operation);
        if (fault != null) {
            throw ProviderException.of(
                    fault, operation, "injected fault (" + fault.name().toLowerCase() + ")");
        }
        if (!rateLimits.tryAcquire(bucket, now)) {
            throw ProviderException.of(FailureKind.THROTTLING, operation, "Rate exceeded");
        }
    }

    /**
     * The earliest time at which something in progress is due to change, or null when unknown. Lets a tick
     * skip its scan of every resource while nothing is due; only speed (fleets of thousands), same behaviour.
     */
    private Instant nextDue;

    private void tick(Instant now) {
        if (nextDue != null && now.isBefore(nextDue)) {
            return;
        }
        scan(now);
        Instant due = Instant.MAX;
        for (Db d : dbs.values()) {
            due = later(d.readyAt, now, due);
        }
        for (DbSnap x : dbSnaps.values()) {
            due = x.status == Status.CREATING ? later(x.readyAt, now, due) : due;
        }
        for (Vol v : vols.values()) {
            due = v.status == VolumeProvider.Status.PENDING ? later(v.readyAt, now, due) : due;
        }
        for (VolSnap x : volSnaps.values()) {
            due = x.status == VolumeProvider.Status.PENDING ? later(x.readyAt, now, due) : due;
        }
        for (Stack x : stacks.values()) {
            due = later(x.readyAt, now, due);
        }
        nextDue = due;
    }

    /** The earlier of {@code due} and {@code at}, counting only times still to come. */
    private static Instant later(Instant at, Instant now, Instant due) {
        return at != null && at.isAfter(now) && at.isBefore(due) ? at : due;
    }

    private void scan(Instant now) {
        for (Db d : new ArrayList<>(dbs.values())) {
            if (d.readyAt != null && !d.readyAt.isAfter(now)) {
                if (d.status == Status.CREATING || d.status == Status.MODIFYING) {
                    d.status = Status.AVAILABLE;
                } else if (d.status == Status.DELETING) {
                    dbs.remove(key(d.kind, d.id));
                    deletedDatabases.add(d.id);
                }
                d.readyAt = null;
            }
        }
        for (DbSnap s : dbSnaps.values()) {
            if (s.status == Status.CREATING && s.readyAt != null && !s.readyAt.isAfter(now)) {
                if (faults.snapshotFailing(s.source)) {
                    s.status = Status.FAILED;
                } else if (!faults.snapshotStuck(s.source)) {
                    s.status = Status.AVAILABLE;
                }
            }
        }
        for (Vol v : new ArrayList<>(vols.values())) {
            if (v.status == VolumeProvider.Status.PENDING && v.readyAt != null && !v.readyAt.isAfter(now)) {
                v.status = VolumeProvider.Status.AVAILABLE;
            }
        }
        for (VolSnap s : volSnaps.values()) {
            if (s.status == VolumeProvider.Status.PENDING && !s.readyAt.isAfter(now)) {
                if (faults.snapshotFailing(s.volume)) {
                    s.status = VolumeProvider.Status.ERROR;
                } else if (!faults.snapshotStuck(s.volume)) {
                    s.status = VolumeProvider.Status.COMPLETED;
                }
            }
        }
        for (Stack s : new ArrayList<>(stacks.values())) {
            if (s.readyAt == null || s.readyAt.isAfter(now)) {
                continue;
            }
            s.readyAt = null;
            switch (s.status) {
                case "CREATE_IN_PROGRESS" -> {
                    if (faults.rollsBack(s.name)) {
                        String failing =
                                s.template.resources.keySet().iterator().next();
                        event(
                                s,
                                failing,
                                s.template.resources.get(failing).type(),
                                "CREATE_FAILED",
                                "Resource handler returned message: \"simulated failure of " + failing + "\"");
                        removeResources(s, List.of());
                        s.status = "ROLLBACK_COMPLETE";
                        s.reason = "The following resource(s) failed to create: [" + failing
                                + "]. Rollback requested by user.";
                    } else {
                        s.status = "CREATE_COMPLETE";
                        s.healthyAt = now.plus(latencies.healthCheck());
                        computeOutputs(s);
                    }
                    event(s, s.name, "AWS::CloudFormation::Stack", s.status, s.reason);
                }
                case "UPDATE_IN_PROGRESS" -> {
                    if (faults.rollsBack(s.name)) {
                        String failing =
                                s.nextTemplate.resources.keySet().iterator().next();
                        event(
                                s,
                                failing,
                                s.nextTemplate.resources.get(failing).type(),
                                "UPDATE_FAILED",
                                "Resource handler returned message: \"simulated failure of " + failing + "\"");
                        s.status = "UPDATE_ROLLBACK_COMPLETE";
                        s.reason = "The following resource(s) failed to update: [" + failing + "].";
                    } else {
                        applyUpdate(s, now);
                        s.status = "UPDATE_COMPLETE";
                        s.reason = "";
                        s.healthyAt = now.plus(latencies.healthCheck());
                    }
                    s.nextTemplate = null;
                    s.nextParams = null;
                    event(s, s.name, "AWS::CloudFormation::Stack", s.status, s.reason);
                }
                case "DELETE_IN_PROGRESS" -> {
                    removeResources(s, s.retain);
                    s.status = "DELETE_COMPLETE";
                    event(s, s.name, "AWS::CloudFormation::Stack", s.status, "");
                }
                default -> {}
            }
        }
    }

    private static String key(Kind kind, String id) {
        return kind + "/" + id;
    }

    private void event(Stack s, String logical, String type, String status, String reason) {
        s.events.add(0, new StackProvider.StackEvent(nextHex(), logical, type, status, reason, now()));
    }

    // ------------------------------------------------------------------------------------------- stacks

    private void createResources(Stack s, SimTemplate t, Map<String, String> params, Instant now) {
        Instant ready = now.plus(latencies.stackCreate());
        for (SimTemplate.Resource r : t.resources.values()) {
            Instant rr = createResource(s, t, r, params, now);
            if (rr.isAfter(ready)) {
                ready = rr;
            }
        }
        s.readyAt = ready;
    }

    private Instant createResource(Stack s, SimTemplate.Resource r, Map<String, String> params, Instant now) {
        return createResource(s, s.template, r, params, now);
    }

    private Instant createResource(
            Stack s, SimTemplate t, SimTemplate.Resource r, Map<String, String> params, Instant now) {
        String prop = "";
        switch (r.type()) {
            case "AWS::RDS::DBInstance", "AWS::RDS::DBCluster" -> {
                Kind kind = r.type().endsWith("DBCluster") ? Kind.CLUSTER : Kind.INSTANCE;
                String idProp = kind == Kind.CLUSTER ? "DBClusterIdentifier" : "DBInstanceIdentifier";
                String id = t.evaluate(r.properties().get(idProp), params, s.physical, (a, b) -> "", s.name);
                if (id.isEmpty()) {
                    id = (s.name + "-" + r.logicalId()).toLowerCase();
                }
                prop = kind == Kind.CLUSTER ? "SnapshotIdentifier" : "DBSnapshotIdentifier";
                String snap = t.evaluate(r.properties().get(prop), params, s.physical, (a, b) -> "", s.name);
                Db d = new Db();
                d.kind = kind;
                d.id = id;
                d.status = Status.CREATING;
                d.ownerStack = s.name;
                d.storage = parseInt(
                        t.evaluate(r.properties().get("AllocatedStorage"), params, s.physical, (a, b) -> "", s.name),
                        20);
                String cls =
                        t.evaluate(r.properties().get("DBInstanceClass"), params, s.physical, (a, b) -> "", s.name);
                if (!cls.isEmpty()) {
                    d.instanceClass = cls;
                }
                d.tags.putAll(s.tags);
                Duration took = latencies.databaseRestore();
                if (!snap.isEmpty()) {
                    DbSnap from = dbSnaps.get(key(kind, snap));
                    if (from == null || from.status != Status.AVAILABLE) {
                        s.reason = "DBSnapshot " + snap + " not found or not available";
                        throw ProviderException.of(
                                FailureKind.INVALID_REQUEST,
                                "CreateStack",
                                "Parameter validation failed: DB snapshot " + snap + " is not available");
                    }
                    d.dataVersion = from.dataVersion;
                    d.fromSnapshot = snap;
                    d.storage = Math.max(d.storage, from.storage);
                }
                d.readyAt = now.plus(took);
                dbs.put(key(kind, id), d);
                created("database", id);
                s.physical.put(r.logicalId(), id);
                return d.readyAt;
            }
            case "AWS::EC2::Volume" -> {
                Vol v = new Vol();
                v.id = "vol-" + nextHex();
                v.status = VolumeProvider.Status.PENDING;
                v.size =
                        parseInt(t.evaluate(r.properties().get("Size"), params, s.physical, (a, b) -> "", s.name), 100);
                String snap = t.evaluate(r.properties().get("SnapshotId"), params, s.physical, (a, b) -> "", s.name);
                if (!snap.isEmpty()) {
                    VolSnap from = volSnaps.get(snap);
                    if (from == null || from.status != VolumeProvider.Status.COMPLETED) {
                        throw ProviderException.of(
                                FailureKind.INVALID_REQUEST,
                                "CreateStack",
                                "The snapshot '" + snap + "' does not exist or is not completed");
                    }
                    v.dataVersion = from.dataVersion;
                    v.fromSnapshot = snap;
                }
                v.readyAt = now.plus(latencies.volumeCreate());
                v.ownerStack = s.name;
                v.tags.putAll(s.tags);
                vols.put(v.id, v);
                created("volume", v.id);
                s.physical.put(r.logicalId(), v.id);
                return v.readyAt;
            }
            case "AWS::EC2::Instance" -> {
                s.physical.put(r.logicalId(), "i-" + nextHex());
                return now;
            }
            default -> {
                s.physical.put(r.logicalId(), s.name + "-" + r.logicalId());
                return now;
            }
        }
    }

    private static int parseInt(String s, int dflt) {
        try {
            return s.isEmpty() ? dflt : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private void removeResources(Stack s, List<String> retain) {
        for (var e : new ArrayList<>(s.physical.entrySet())) {
            if (retain.contains(e.getKey())) {
                continue;
            }
            removePhysical(e.getValue());
            s.physical.remove(e.getKey());
        }
    }

    private void removePhysical(String physical) {
        for (Kind k : Kind.values()) {
            Db d = dbs.remove(key(k, physical));
            if (d != null) {
                deletedDatabases.add(d.id);
            }
        }
        if (vols.remove(physical) != null) {
            deletedVolumes.add(physical);
        }
    }

    private void computeOutputs(Stack s) {
        s.outputs.clear();
        for (var o : s.template.outputs.entrySet()) {
            s.outputs.put(
                    o.getKey(),
                    s.template.evaluate(
                            o.getValue(), s.params, s.physical, (res, attr) -> getAtt(s, res, attr), s.name));
        }
    }

    private String getAtt(Stack s, String logical, String attr) {
        String physical = s.physical.getOrDefault(logical, logical);
        if (attr.equals("Endpoint.Address")) {
            return physical + ".sim.rds.local";
        }
        if (attr.equals("Endpoint.Port")) {
            return "5432";
        }
        if (attr.equals("PublicIp")) {
            return "198.51.100." + (Math.abs(physical.hashCode()) % 250 + 1);
        }
        return physical + "." + attr;
    }

    private void applyUpdate(Stack s, Instant now) {
        SimTemplate next = s.nextTemplate;
        Map<String, String> params = s.nextParams;
        for (SimTemplate.Resource r : next.resources.values()) {
            SimTemplate.Resource old = s.template.resources.get(r.logicalId());
            String oldProps = old == null ? null : resolvedProps(s, s.template, old, s.params);
            String newProps = resolvedProps(s, next, r, params);
            if (old != null && oldProps.equals(newProps)) {
                continue;
            }
            if (old != null && r.type().startsWith("AWS::RDS::") && !replaces(s, next, old, r, params)) {
                Db d = dbs.get(key(
                        r.type().endsWith("DBCluster") ? Kind.CLUSTER : Kind.INSTANCE, s.physical.get(r.logicalId())));
                if (d != null) {
                    d.storage = parseInt(
                            next.evaluate(
                                    r.properties().get("AllocatedStorage"), params, s.physical, (a, b) -> "", s.name),
                            d.storage);
                }
                continue;
            }
            if (old != null) {
                removePhysical(s.physical.remove(r.logicalId()));
            }
            createResource(s, next, r, params, now);
            // The update waited for the new resource; it is ready when the stack is.
            String id = s.physical.get(r.logicalId());
            for (Kind k : Kind.values()) {
                Db d = dbs.get(key(k, id));
                if (d != null) {
                    d.status = Status.AVAILABLE;
                    d.readyAt = null;
                }
            }
            Vol v = vols.get(id);
            if (v != null) {
                v.status = VolumeProvider.Status.AVAILABLE;
                v.readyAt = null;
            }
        }
        for (String gone : new ArrayList<>(s.template.resources.keySet())) {
            if (!next.resources.containsKey(gone) && s.physical.containsKey(gone)) {
                removePhysical(s.physical.remove(gone));
            }
        }
        s.template = next;
        s.params = new LinkedHashMap<>(params);
        computeOutputs(s);
    }

    private String resolvedProps(Stack s, SimTemplate t, SimTemplate.Resource r, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(r.type());
        r.properties()
                .fields()
                .forEachRemaining(e -> sb.append('|')
                        .append(e.getKey())
                        .append('=')
                        .append(t.evaluate(e.getValue(), params, s.physical, (a, b) -> a + "." + b, s.name)));
        return sb.toString();
    }

    /** Whether an update of a database resource replaces it (as a changed snapshot or identifier does). */
    private boolean replaces(
            Stack s, SimTemplate next, SimTemplate.Resource old, SimTemplate.Resource r, Map<String, String> params) {
        for (String p : List.of(
                "DBSnapshotIdentifier",
                "SnapshotIdentifier",
                "DBInstanceIdentifier",
                "DBClusterIdentifier",
                "Engine",
                "SnapshotId")) {
            String a = s.template.evaluate(old.properties().get(p), s.params, s.physical, (x, y) -> "", s.name);
            String b = next.evaluate(r.properties().get(p), params, s.physical, (x, y) -> "", s.name);
            if (!a.equals(b)) {
                return true;
            }
        }
        return false;
    }

    private Stack liveStack(String name, String operation) {
        Stack s = stacks.get(name);
        if (s == null || s.status.equals("DELETE_COMPLETE")) {
            throw ProviderException.of(FailureKind.NOT_FOUND, operation, "Stack with id " + name + " does not exist");
        }
        return s;
    }

    private final StackProvider stackProvider = new StackProvider() {
        @Override
        public StackDescription describe(String stackName) {
            synchronized (SimulatedCloud.this) {
                enter("cloudformation", "DescribeStacks");
                Stack s = liveStack(stackName, "DescribeStacks");
                return new StackDescription(
                        s.name, s.id, state(s.status), s.status, s.reason, s.params, s.outputs, s.tags);
            }
        }

        @Override
        public String templateBody(String stackName) {
            synchronized (SimulatedCloud.this) {
                enter("cloudformation", "GetTemplate");
                return liveStack(stackName, "GetTemplate").template.body;
            }
        }

        @Override
        public TemplateSummary validate(Template template) {
            synchronized (SimulatedCloud.this) {
                enter("cloudformation", "ValidateTemplate");
                return new TemplateSummary(load(template, "ValidateTemplate").parameters);
            }
        }

        @Override
        public void create(StackRequest request) {
            synchronized (SimulatedCloud.this) {
                enter("cloudformation", "CreateStack");
                Stack existing = stacks.get(request.stackName());
                if (existing != null && !existing.status.equals("DELETE_COMPLETE")) {
                    if (request.clientToken().equals(existing.token)) {
                        return;
                    }
                    throw ProviderException.of(
                            FailureKind.ALREADY_EXISTS,
                            "CreateStack",
                            "Stack [" + request.stackName() + "] already exists");
                }
                SimTemplate t = load(request.template(), "CreateStack");
                Stack s = new Stack();
                s.name = request.stackName();
                s.id = "arn:aws:cloudformation:us-east-1:000000000000:stack/" + s.name + "/" + nextHex();
                s.token = request.clientToken();
                s.template = t;
                s.params = t.bind(request.parameters(), "CreateStack");
                s.tags.putAll(request.tags());
                s.status = "CREATE_IN_PROGRESS";
                createResources(s, t, s.params, now());
                stacks.put(s.name, s);
                created("stack", s.name);
                event(s, s.name, "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", "User Initiated");
            }
        }

        @Override
        public void createChangeSet(StackRequest request, String changeSetName) {
            synchronized (SimulatedCloud.this) {
                enter("cloudformation", "CreateChangeSet");
                Stack s = liveStack(request.stackName(), "CreateChangeSet");
                if (s.changeSets.containsKey(changeSetName)) {
                    throw ProviderException.of(
                            FailureKind.ALREADY_EXISTS,
                            "CreateChangeSet",
                            "ChangeSet [" + changeSetName + "] already exists");
                }
                if (s.status.endsWith("_IN_PROGRESS")) {
                    throw ProviderException.of(
                            FailureKind.INVALID_REQUEST,
                            "CreateChangeSet",
                            "Stack:" + s.id + " is in " + s.status + " state and can not be updated.");
                }
                SimTemplate t = load(request.template(), "CreateChangeSet");
                Map<String, String> params = t.bind(request.parameters(), "CreateChangeSet");
                List<ResourceChange> diff = new ArrayList<>();
                for (SimTemplate.Resource r : t.resources.values()) {
                    SimTemplate.Resource old = s.template.resources.get(r.logicalId());
                    if (old == null) {
                        diff.add(new ResourceChange("Add", r.logicalId(), r.type(), ""));
                    } else if (!resolvedProps(s, s.template, old, s.params).equals(resolvedProps(s, t, r, params))) {
                        diff.add(new ResourceChange(
                                "Modify",
                                r.logicalId(),
                                r.type(),
                                r.type().startsWith("AWS::RDS::") && replaces(s, t, old, r, params)
                                        ? "True"
                                        : "False"));
                    }
                }
                s.template.resources.keySet().stream()
                        .filter(k -> !t.resources.containsKey(k))
                        .forEach(k -> diff.add(new ResourceChange(
                                "Remove", k, s.template.resources.get(k).type(), "")));
                String failure = diff.isEmpty() && params.equals(s.params)
                        ? "The submitted information didn't contain changes. Submit different information to create a change set."
                        : null;
                s.changeSets.put(
                        changeSetName,
                        new ChangeSet(changeSetName, now().plus(latencies.changeSet()), t, params, diff, failure));
            }
        }

        @Override
        public ChangeSetDescription describeChangeSet(String stackName, String changeSetName) {
            synchronized (SimulatedCloud.this) {
                enter("cloudformation", "DescribeChangeSet");
                Stack s = liveStack(stackName, "DescribeChangeSet");
                ChangeSet cs = s.changeSets.get(changeSetName);
                if (cs == null) {
                    throw ProviderException.of(
                            FailureKind.NOT_FOUND,
                            "DescribeChangeSet",
                            "ChangeSet [" + changeSetName + "] does not exist");
                }
                boolean ready = !cs.readyAt().isAfter(now());
                return new ChangeSetDescription(
                        cs.name(),
                        ready && cs.failure() == null,
                        ready && cs.failure() != null,
                        ready ? cs.failure() : null,
                        ready ? cs.changes() : List.of(),
                        cs.params());
            }
        }

        @Override
        public void executeChangeSet(String stackName, String changeSetName, String clientToken) {
            synchronized (SimulatedCloud.this) {
                enter("cloudformation", "ExecuteChangeSet");
                Stack s = liveStack(stackName, "ExecuteChangeSet");
                if (clientToken.equals(s.token) && s.status.startsWith("UPDATE")) {
                    return;
                }
                ChangeSet cs = s.changeSets.get(changeSetName);
                if (cs == null) {
                    throw ProviderException.of(
                            FailureKind.NOT_FOUND,
                            "ExecuteChangeSet",
                            "ChangeSet [" + changeSetName + "] does not exist");
                }
                if (cs.readyAt().isAfter(now()) || cs.failure() != null) {
                    throw ProviderException.of(
                            FailureKind.INVALID_REQUEST,
                            "ExecuteChangeSet",
                            "ChangeSet [" + changeSetName + "] cannot be executed in its current status");
                }
                s.token = clientToken;
                s.status = "UPDATE_IN_PROGRESS";
                s.nextTemplate = cs.template();
                s.nextParams = cs.params();
                boolean replacesDb = cs.changes().stream().anyMatch(c -> "True".equals(c.replacement()));
                s.readyAt = now().plus(latencies.stackUpdate())
                        .plus(replacesDb ? latencies.databaseRestore() : Duration.ZERO);
                s.changeSets.clear();
                event(s, s.name, "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", "User Initiated");
            }
        }

        @Override
        public void delete(String stackName, List<String> retainResources, String clientToken) {
            synchronized (SimulatedCloud.this) {
                enter("cloudformation", "DeleteStack");
                Stack s = stacks.get(stackName);
                if (s == null || s.status.equals("DELETE_COMPLETE") || s.status.equals("DELETE_IN_PROGRESS")) {
                    return;
                }
                s.status = "DELETE_IN_PROGRESS";
                s.retain = List.copyOf(retainResources);
                s.readyAt = now().plus(latencies.stackDelete());
                event(s, s.name, "AWS::CloudFormation::Stack", "DELETE_IN_PROGRESS", "User Initiated");
            }
        }

        @Override
        public List<StackEvent> events(String stackName) {
            synchronized (SimulatedCloud.this) {
                enter("cloudformation", "DescribeStackEvents");
                return List.copyOf(liveStack(stackName, "DescribeStackEvents").events);
            }
        }
    };

    private SimTemplate load(StackProvider.Template template, String operation) {
        if (template.url().isPresent()) {
            String body = templatesByUrl.get(template.url().get());
            if (body == null) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        operation,
                        "TemplateURL must be a supported URL; nothing is stored at "
                                + template.url().get());
            }
            return SimTemplate.parse(body);
        }
        return SimTemplate.parse(template.body().orElseThrow());
    }

    private final Map<String, String> templatesByUrl = new HashMap<>();

    /** Stores a template at a URL, as an S3 object would be, for plans that name templates by URL. */
    public synchronized SimulatedCloud putTemplate(String url, String body) {
        templatesByUrl.put(url, body);
        return this;
    }

    private static StackProvider.StackState state(String status) {
        if (status.endsWith("_IN_PROGRESS")) {
            return StackProvider.StackState.IN_PROGRESS;
        }
        return switch (status) {
            case "CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE" -> StackProvider.StackState.COMPLETE;
            case "ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_COMPLETE" -> StackProvider.StackState.ROLLED_BACK;
            case "DELETE_COMPLETE" -> StackProvider.StackState.DELETED;
            default -> StackProvider.StackState.FAILED;
        };
    }

    // ------------------------------------------------------------------------------------------- databases

    private Db liveDb(Kind kind, String id, String operation) {
        Db d = dbs.get(key(kind, id));
        if (d == null) {
            throw ProviderException.of(
                    FailureKind.NOT_FOUND,
                    operation,
                    (kind == Kind.CLUSTER ? "DBCluster " : "DBInstance ") + id + " not found.");
        }
        return d;
    }

    private final DatabaseProvider databaseProvider = new DatabaseProvider() {
        @Override
        public DatabaseDescription describe(Kind kind, String databaseId) {
            synchronized (SimulatedCloud.this) {
                enter("rds", kind == Kind.CLUSTER ? "DescribeDBClusters" : "DescribeDBInstances");
                Db d = liveDb(kind, databaseId, "DescribeDBInstances");
                return new DatabaseDescription(
                        d.kind,
                        d.id,
                        d.status,
                        d.engine,
                        d.instanceClass,
                        Optional.of(d.id + ".sim.rds.local"),
                        d.storage,
                        Optional.ofNullable(d.maxStorage),
                        true,
                        Optional.of("alias/aws/rds"),
                        Optional.of("default"),
                        List.of("sg-0sim"),
                        Optional.of("default.postgres16"),
                        d.tags,
                        d.kind == Kind.CLUSTER ? List.of(d.id + "-1") : List.of());
            }
        }

        @Override
        public void createSnapshot(Kind kind, String databaseId, String snapshotId, Map<String, String> tags) {
            synchronized (SimulatedCloud.this) {
                String op = kind == Kind.CLUSTER ? "CreateDBClusterSnapshot" : "CreateDBSnapshot";
                enter("rds", op);
                Db d = liveDb(kind, databaseId, op);
                if (dbSnaps.containsKey(key(kind, snapshotId))) {
                    throw ProviderException.of(
                            FailureKind.ALREADY_EXISTS,
                            op,
                            "Cannot create the snapshot because a snapshot " + "with the identifier " + snapshotId
                                    + " already exists.");
                }
                if (d.status != Status.AVAILABLE) {
                    throw ProviderException.of(
                            FailureKind.INVALID_REQUEST,
                            op,
                            "DB " + databaseId + " is not in available state (" + d.status + ")");
                }
                dbSnaps.put(key(kind, snapshotId), snapshotOf(d, snapshotId, tags));
                created("database-snapshot", snapshotId, tags);
            }
        }

        @Override
        public SnapshotDescription describeSnapshot(Kind kind, String snapshotId) {
            synchronized (SimulatedCloud.this) {
                String op = kind == Kind.CLUSTER ? "DescribeDBClusterSnapshots" : "DescribeDBSnapshots";
                enter("rds", op);
                DbSnap s = dbSnaps.get(key(kind, snapshotId));
                if (s == null) {
                    throw ProviderException.of(FailureKind.NOT_FOUND, op, "DBSnapshot " + snapshotId + " not found.");
                }
                int pct = s.status == Status.AVAILABLE
                        ? 100
                        : s.readyAt == null
                                ? 0
                                : (int) Math.min(
                                        99,
                                        100
                                                - 100.0
                                                        * Math.max(
                                                                0,
                                                                Duration.between(now(), s.readyAt)
                                                                        .toMillis())
                                                        / Math.max(
                                                                1,
                                                                latencies
                                                                        .databaseSnapshot()
                                                                        .toMillis()));
                return new SnapshotDescription(
                        s.kind,
                        s.id,
                        s.source,
                        s.status,
                        pct,
                        Optional.of(s.readyAt),
                        true,
                        Optional.of("alias/aws/rds"),
                        s.tags);
            }
        }

        @Override
        public void restore(RestoreRequest request) {
            synchronized (SimulatedCloud.this) {
                String op = request.kind() == Kind.CLUSTER
                        ? "RestoreDBClusterFromSnapshot"
                        : "RestoreDBInstanceFromDBSnapshot";
                enter("rds", op);
                if (dbs.containsKey(key(request.kind(), request.newDatabaseId()))) {
                    throw ProviderException.of(
                            FailureKind.ALREADY_EXISTS, op, "DB " + request.newDatabaseId() + " already exists");
                }
                DbSnap s = dbSnaps.get(key(request.kind(), request.snapshotId()));
                if (s == null || s.status != Status.AVAILABLE) {
                    throw ProviderException.of(
                            s == null ? FailureKind.NOT_FOUND : FailureKind.INVALID_REQUEST,
                            op,
                            "DBSnapshot " + request.snapshotId() + (s == null ? " not found." : " is not available."));
                }
                Db d = new Db();
                d.kind = request.kind();
                d.id = request.newDatabaseId();
                d.status = Status.CREATING;
                d.readyAt = now().plus(latencies.databaseRestore());
                d.dataVersion = s.dataVersion;
                d.fromSnapshot = s.id;
                d.storage = s.storage;
                d.instanceClass = request.instanceClass().orElse("db.t3.medium");
                d.tags.putAll(request.tags());
                dbs.put(key(d.kind, d.id), d);
                created("database", d.id);
            }
        }

        @Override
        public void delete(Kind kind, String databaseId, Optional<String> finalSnapshotId) {
            synchronized (SimulatedCloud.this) {
                String op = kind == Kind.CLUSTER ? "DeleteDBCluster" : "DeleteDBInstance";
                enter("rds", op);
                Db d = liveDb(kind, databaseId, op);
                if (d.status == Status.DELETING) {
                    return;
                }
                if (finalSnapshotId.isPresent()) {
                    if (dbSnaps.containsKey(key(kind, finalSnapshotId.get()))) {
                        throw ProviderException.of(
                                FailureKind.ALREADY_EXISTS,
                                op,
                                "Snapshot " + finalSnapshotId.get() + " already exists");
                    }
                    dbSnaps.put(key(kind, finalSnapshotId.get()), snapshotOf(d, finalSnapshotId.get(), d.tags));
                    created("database-snapshot", finalSnapshotId.get());
                    d.finalSnapshot = finalSnapshotId.get();
                }
                d.status = Status.DELETING;
                d.readyAt = now().plus(latencies.databaseDelete());
            }
        }

        @Override
        public void deleteSnapshot(Kind kind, String snapshotId) {
            synchronized (SimulatedCloud.this) {
                enter("rds", kind == Kind.CLUSTER ? "DeleteDBClusterSnapshot" : "DeleteDBSnapshot");
                DbSnap s = dbSnaps.get(key(kind, snapshotId));
                if (s != null && s.status == Status.CREATING) {
                    throw ProviderException.of(
                            FailureKind.INVALID_REQUEST,
                            "DeleteDBSnapshot",
                            "Cannot delete snapshot " + snapshotId + " while it is being created");
                }
                dbSnaps.remove(key(kind, snapshotId));
            }
        }

        @Override
        public void copySnapshot(
                Kind kind,
                String sourceSnapshotId,
                String targetSnapshotId,
                Optional<String> kmsKeyId,
                Map<String, String> tags) {
            synchronized (SimulatedCloud.this) {
                enter("rds", kind == Kind.CLUSTER ? "CopyDBClusterSnapshot" : "CopyDBSnapshot");
                DbSnap s = dbSnaps.get(key(kind, sourceSnapshotId));
                if (s == null) {
                    throw ProviderException.of(
                            FailureKind.NOT_FOUND, "CopyDBSnapshot", "DBSnapshot " + sourceSnapshotId + " not found.");
                }
                if (dbSnaps.containsKey(key(kind, targetSnapshotId))) {
                    throw ProviderException.of(
                            FailureKind.ALREADY_EXISTS,
                            "CopyDBSnapshot",
                            "Snapshot " + targetSnapshotId + " already exists");
                }
                DbSnap c = new DbSnap();
                c.kind = kind;
                c.id = targetSnapshotId;
                c.source = s.source;
                c.status = Status.CREATING;
                c.readyAt = now().plus(latencies.databaseSnapshot());
                c.dataVersion = s.dataVersion;
                c.storage = s.storage;
                c.tags.putAll(tags);
                dbSnaps.put(key(kind, targetSnapshotId), c);
                created("database-snapshot", targetSnapshotId);
            }
        }
    };

    private DbSnap snapshotOf(Db d, String id, Map<String, String> tags) {
        DbSnap s = new DbSnap();
        s.kind = d.kind;
        s.id = id;
        s.source = d.id;
        s.status = Status.CREATING;
        s.readyAt = now().plus(latencies.databaseSnapshot());
        s.dataVersion = d.dataVersion;
        s.storage = d.storage;
        s.tags.putAll(tags);
        return s;
    }

    // ------------------------------------------------------------------------------------------- volumes

    private final VolumeProvider volumeProvider = new VolumeProvider() {
        @Override
        public VolumeDescription describe(String volumeId) {
            synchronized (SimulatedCloud.this) {
                enter("ec2.describe", "DescribeVolumes");
                Vol v = vols.get(volumeId);
                if (v == null) {
                    throw ProviderException.of(
                            FailureKind.NOT_FOUND, "DescribeVolumes", "The volume '" + volumeId + "' does not exist.");
                }
                return new VolumeDescription(
                        v.id, v.status, v.size, v.az, Optional.empty(), Optional.ofNullable(v.fromSnapshot), v.tags);
            }
        }

        @Override
        public String createSnapshot(String volumeId, String description, Map<String, String> tags) {
            synchronized (SimulatedCloud.this) {
                enter("ec2.mutate", "CreateSnapshot");
                Vol v = vols.get(volumeId);
                if (v == null) {
                    throw ProviderException.of(
                            FailureKind.NOT_FOUND, "CreateSnapshot", "The volume '" + volumeId + "' does not exist.");
                }
                VolSnap s = new VolSnap();
                s.id = "snap-" + nextHex();
                s.volume = volumeId;
                s.status = VolumeProvider.Status.PENDING;
                s.readyAt = now().plus(latencies.volumeSnapshot());
                s.dataVersion = v.dataVersion;
                s.tags.putAll(tags);
                volSnaps.put(s.id, s);
                created("volume-snapshot", s.id, tags);
                return s.id;
            }
        }

        @Override
        public List<VolumeSnapshotDescription> findSnapshots(Map<String, String> tags) {
            synchronized (SimulatedCloud.this) {
                enter("ec2.describe", "DescribeSnapshots");
                return volSnaps.values().stream()
                        .filter(s -> s.tags.entrySet().containsAll(tags.entrySet()))
                        .map(s -> describeSnap(s))
                        .toList();
            }
        }

        @Override
        public VolumeSnapshotDescription describeSnapshot(String snapshotId) {
            synchronized (SimulatedCloud.this) {
                enter("ec2.describe", "DescribeSnapshots");
                VolSnap s = volSnaps.get(snapshotId);
                if (s == null) {
                    throw ProviderException.of(
                            FailureKind.NOT_FOUND,
                            "DescribeSnapshots",
                            "The snapshot '" + snapshotId + "' does not exist.");
                }
                return describeSnap(s);
            }
        }

        @Override
        public String createVolume(
                String snapshotId,
                String availabilityZone,
                Optional<String> volumeType,
                Map<String, String> tags,
                String clientToken) {
            synchronized (SimulatedCloud.this) {
                enter("ec2.mutate", "CreateVolume");
                for (Vol v : vols.values()) {
                    if (clientToken.equals(v.tags.get("_token"))) {
                        return v.id;
                    }
                }
                VolSnap s = volSnaps.get(snapshotId);
                if (s == null || s.status != VolumeProvider.Status.COMPLETED) {
                    throw ProviderException.of(
                            FailureKind.INVALID_REQUEST,
                            "CreateVolume",
                            "The snapshot '" + snapshotId + "' does not exist or is not completed.");
                }
                Vol v = new Vol();
                v.id = "vol-" + nextHex();
                v.status = VolumeProvider.Status.PENDING;
                v.readyAt = now().plus(latencies.volumeCreate());
                v.az = availabilityZone;
                v.size = 100;
                v.fromSnapshot = snapshotId;
                v.dataVersion = s.dataVersion;
                v.tags.putAll(tags);
                v.tags.put("_token", clientToken);
                vols.put(v.id, v);
                created("volume", v.id);
                return v.id;
            }
        }

        @Override
        public void deleteVolume(String volumeId) {
            synchronized (SimulatedCloud.this) {
                enter("ec2.mutate", "DeleteVolume");
                if (vols.remove(volumeId) != null) {
                    deletedVolumes.add(volumeId);
                } else {
                    throw ProviderException.of(
                            FailureKind.NOT_FOUND, "DeleteVolume", "The volume '" + volumeId + "' does not exist.");
                }
            }
        }

        @Override
        public void deleteSnapshot(String snapshotId) {
            synchronized (SimulatedCloud.this) {
                enter("ec2.mutate", "DeleteSnapshot");
                volSnaps.remove(snapshotId);
            }
        }
    };

    private VolumeProvider.VolumeSnapshotDescription describeSnap(VolSnap s) {
        int pct = s.status == VolumeProvider.Status.COMPLETED
                ? 100
                : (int) Math.min(
                        99,
                        100
                                - 100.0
                                        * Math.max(
                                                0,
                                                Duration.between(now(), s.readyAt)
                                                        .toMillis())
                                        / Math.max(1, latencies.volumeSnapshot().toMillis()));
        return new VolumeProvider.VolumeSnapshotDescription(s.id, s.volume, s.status, pct, s.tags);
    }

    // ------------------------------------------------------------------------------------------- dns

    private final DnsProvider dnsProvider = new DnsProvider() {
        @Override
        public String describeZone(String zoneId) {
            synchronized (SimulatedCloud.this) {
                enter("route53", "GetHostedZone");
                if (!zones.containsKey(zoneId)) {
                    throw ProviderException.of(
                            FailureKind.NOT_FOUND, "GetHostedZone", "No hosted zone found with ID: " + zoneId);
                }
                return zoneNames.getOrDefault(zoneId, zoneId);
            }
        }

        @Override
        public List<RecordSet> records(String zoneId, String name, String type) {
            synchronized (SimulatedCloud.this) {
                enter("route53", "ListResourceRecordSets");
                List<RecordSet> z = zones.get(zoneId);
                if (z == null) {
                    throw ProviderException.of(
                            FailureKind.NOT_FOUND, "ListResourceRecordSets", "No hosted zone found with ID: " + zoneId);
                }
                String n = normal(name);
                return z.stream()
                        .filter(r -> normal(r.name()).equals(n) && r.type().equals(type))
                        .toList();
            }
        }

        @Override
        public String upsert(String zoneId, List<RecordSet> records, String comment) {
            synchronized (SimulatedCloud.this) {
                enter("route53", "ChangeResourceRecordSets");
                List<RecordSet> z = zones.get(zoneId);
                if (z == null) {
                    throw ProviderException.of(
                            FailureKind.NOT_FOUND,
                            "ChangeResourceRecordSets",
                            "No hosted zone found with ID: " + zoneId);
                }
                for (RecordSet r : records) {
                    if (r.weight().isPresent()
                            && (r.weight().get() < 0 || r.weight().get() > 255)) {
                        throw ProviderException.of(
                                FailureKind.INVALID_REQUEST,
                                "ChangeResourceRecordSets",
                                "Invalid weight " + r.weight().get());
                    }
                    z.removeIf(x -> normal(x.name()).equals(normal(r.name()))
                            && x.type().equals(r.type())
                            && x.setIdentifier().equals(r.setIdentifier()));
                    z.add(r);
                }
                String id = "C" + nextHex().toUpperCase();
                for (RecordSet r : records) {
                    dnsChanges.add(new DnsChange(now(), zoneId, r, id));
                }
                changes.put(id, now().plus(latencies.dnsSync()).plus(faults.dnsDelay()));
                return id;
            }
        }

        @Override
        public ChangeStatus changeStatus(String changeId) {
            synchronized (SimulatedCloud.this) {
                enter("route53", "GetChange");
                Instant at = changes.get(changeId);
                if (at == null) {
                    throw ProviderException.of(
                            FailureKind.NOT_FOUND, "GetChange", "No change found with ID: " + changeId);
                }
                return at.isAfter(now()) ? ChangeStatus.PENDING : ChangeStatus.INSYNC;
            }
        }
    };

    private static String normal(String name) {
        String n = name.toLowerCase();
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    // ------------------------------------------------------------------------------------------- addresses

    private final AddressProvider addressProvider = new AddressProvider() {
        @Override
        public AddressDescription describe(String allocationId) {
            synchronized (SimulatedCloud.this) {
                enter("ec2.describe", "DescribeAddresses");
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
            synchronized (SimulatedCloud.this) {
                enter("ec2.mutate", "AssociateAddress");
                String[] a = addresses.get(allocationId);
                if (a == null) {
                    throw ProviderException.of(
                            FailureKind.NOT_FOUND,
                            "AssociateAddress",
                            "The allocation ID '" + allocationId + "' does not exist");
                }
                boolean known = stacks.values().stream()
                        .filter(s -> !s.status.equals("DELETE_COMPLETE"))
                        .anyMatch(s -> s.physical.containsValue(instanceId));
                if (!known) {
                    throw ProviderException.of(
                            FailureKind.INVALID_REQUEST,
                            "AssociateAddress",
                            "The instance ID '" + instanceId + "' does not exist");
                }
                a[1] = instanceId;
            }
        }
    };

    // ------------------------------------------------------------------------------------------- http

    private final HttpProbe httpProbe = (uri, timeout) -> {
        synchronized (SimulatedCloud.this) {
            tick(now());
            calls.merge("HTTP GET", 1, Integer::sum);
            Optional<Stack> stack = reachedBy(uri.getHost() == null ? "" : uri.getHost());
            if (stack.isPresent()) {
                return healthy(stack.get()) ? 200 : 503;
            }
            throw ProviderException.of(
                    FailureKind.TRANSIENT,
                    "HTTP GET",
                    "no answer from " + uri.getHost() + " within " + timeout.toSeconds() + "s");
        }
    };

    /** The stack a host name leads to: one whose outputs name it, or, through DNS, up to three hops on. */
    private Optional<Stack> reachedBy(String host) {
        String h = normal(host);
        for (int hop = 0; hop < 3; hop++) {
            Optional<Stack> s = stackServing(h);
            if (s.isPresent()) {
                return s;
            }
            Optional<String> next = resolve(h);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            h = normal(next.get());
        }
        return Optional.empty();
    }

    private Optional<Stack> stackServing(String host) {
        return stacks.values().stream()
                .filter(s -> !s.status.equals("DELETE_COMPLETE"))
                .filter(s -> s.outputs.values().stream().anyMatch(v -> normal(v).equals(host)))
                .findFirst();
    }

    private Optional<String> resolve(String host) {
        for (List<DnsProvider.RecordSet> z : zones.values()) {
            List<DnsProvider.RecordSet> matches =
                    z.stream().filter(r -> normal(r.name()).equals(host)).toList();
            // A weighted record answers with the heaviest set; good enough to tell which stack users reach.
            Optional<DnsProvider.RecordSet> best = matches.stream()
                    .max((a, b) ->
                            Integer.compare(a.weight().orElse(255), b.weight().orElse(255)));
            if (best.isPresent()) {
                return Optional.of(best.get()
                        .aliasTarget()
                        .map(DnsProvider.AliasTarget::dnsName)
                        .orElse(
                                best.get().values().isEmpty()
                                        ? ""
                                        : best.get().values().get(0)));
            }
        }
        return Optional.empty();
    }

    private boolean healthy(Stack s) {
        if (faults.isUnhealthy(s.name) || s.healthyAt == null || s.healthyAt.isAfter(now())) {
            return false;
        }
        if (!(s.status.equals("CREATE_COMPLETE") || s.status.equals("UPDATE_COMPLETE") || s.status.equals("SEEDED"))) {
            return false;
        }
        for (String physical : s.physical.values()) {
            for (Kind k : Kind.values()) {
                Db d = dbs.get(key(k, physical));
                if (d != null && d.status != Status.AVAILABLE) {
                    return false;
                }
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------- CloudProvider

    @Override
    public StackProvider stacks() {
        return stackProvider;
    }

    @Override
    public DatabaseProvider databases() {
        return databaseProvider;
    }

    @Override
    public VolumeProvider volumes() {
        return volumeProvider;
    }

    @Override
    public DnsProvider dns() {
        return dnsProvider;
    }

    @Override
    public AddressProvider addresses() {
        return addressProvider;
    }

    @Override
    public HttpProbe http() {
        return httpProbe;
    }

    // ------------------------------------------------------------------------------------------- seeding

    /**
     * Deploys a stack at once, complete and healthy, as if it had been running for a while: blue, before a
     * cutover. Returns the stack as deployed.
     */
    public synchronized SimStack deploy(String name, String templateBody, Map<String, String> parameters) {
        nextDue = null;
        SimTemplate t = SimTemplate.parse(templateBody);
        Stack s = new Stack();
        s.name = name;
        s.id = "arn:aws:cloudformation:us-east-1:000000000000:stack/" + name + "/" + nextHex();
        s.template = t;
        s.token = "seed";
        s.params = t.bind(parameters, "CreateStack");
        createResources(s, t, s.params, now());
        s.readyAt = null;
        for (Db d : dbs.values()) {
            if (name.equals(d.ownerStack)) {
                d.status = Status.AVAILABLE;
                d.readyAt = null;
                d.dataVersion = Math.max(d.dataVersion, 1);
            }
        }
        for (Vol v : vols.values()) {
            if (name.equals(v.ownerStack)) {
                v.status = VolumeProvider.Status.IN_USE;
                v.readyAt = null;
                v.dataVersion = Math.max(v.dataVersion, 1);
            }
        }
        s.status = "CREATE_COMPLETE";
        s.healthyAt = now();
        computeOutputs(s);
        stacks.put(name, s);
        return stack(name).orElseThrow();
    }

    /**
     * Adds a database with a given id, available at once, as part of {@code ownerStack} (deleted with it) or
     * standing alone when that is null.
     */
    public synchronized SimulatedCloud addDatabase(Kind kind, String id, String ownerStack) {
        Db d = new Db();
        d.kind = kind;
        d.id = id;
        d.status = Status.AVAILABLE;
        d.dataVersion = 1;
        d.storage = 20;
        d.ownerStack = ownerStack;
        dbs.put(key(kind, id), d);
        Stack s = ownerStack == null ? null : stacks.get(ownerStack);
        if (s != null) {
            s.physical.put("Database" + id, id);
        }
        return this;
    }

    /** Adds a volume with a given id, in use at once, as part of {@code ownerStack} or standing alone. */
    public synchronized SimulatedCloud addVolume(String id, String ownerStack) {
        Vol v = new Vol();
        v.id = id;
        v.status = VolumeProvider.Status.IN_USE;
        v.size = 100;
        v.dataVersion = 1;
        v.ownerStack = ownerStack;
        vols.put(id, v);
        Stack s = ownerStack == null ? null : stacks.get(ownerStack);
        if (s != null) {
            s.physical.put("Volume" + id, id);
        }
        return this;
    }

    /** Adds a static address with a given allocation id, attached to {@code instanceId}. */
    public synchronized SimulatedCloud addAddress(String allocationId, String instanceId) {
        addresses.put(allocationId, new String[] {"203.0.113." + (addresses.size() + 10), instanceId});
        return this;
    }

    /** Creates a hosted zone. */
    public synchronized SimulatedCloud zone(String zoneId) {
        zones.putIfAbsent(zoneId, new ArrayList<>());
        return this;
    }

    /** Creates a hosted zone for a domain name. */
    public synchronized SimulatedCloud zone(String zoneId, String name) {
        zone(zoneId);
        zoneNames.put(zoneId, normal(name));
        return this;
    }

    /** Puts a record in a zone at once (as it was before the cutover). */
    public synchronized SimulatedCloud record(String zoneId, DnsProvider.RecordSet record) {
        zone(zoneId);
        zones.get(zoneId)
                .removeIf(x -> normal(x.name()).equals(normal(record.name()))
                        && x.type().equals(record.type())
                        && x.setIdentifier().equals(record.setIdentifier()));
        zones.get(zoneId).add(record);
        return this;
    }

    /** Allocates a static address attached to an instance; returns its allocation id. */
    public synchronized String allocateAddress(String instanceId) {
        String id = "eipalloc-" + nextHex();
        addresses.put(id, new String[] {"203.0.113." + (addresses.size() + 10), instanceId});
        return id;
    }

    /** The application writes to a database: its data version goes up by one. Refused while frozen. */
    public synchronized long write(Kind kind, String databaseId) {
        Db d = dbs.get(key(kind, databaseId));
        if (d == null || d.status != Status.AVAILABLE) {
            throw new IllegalStateException("database " + databaseId + " cannot take writes now");
        }
        return ++d.dataVersion;
    }

    /** Storage auto-scaling grew a database to {@code gb}. */
    public synchronized void growStorage(Kind kind, String databaseId, int gb) {
        Db d = dbs.get(key(kind, databaseId));
        d.storage = gb;
        d.maxStorage = Math.max(gb * 2, d.maxStorage == null ? 0 : d.maxStorage);
    }

    // ------------------------------------------------------------------------------------------- reading

    /** A stack as the simulated cloud holds it. */
    public record SimStack(
            String name,
            String status,
            Map<String, String> parameters,
            Map<String, String> outputs,
            Map<String, String> resources,
            Map<String, String> tags) {
        /** The physical id of a logical resource. */
        public String resource(String logicalId) {
            return resources.get(logicalId);
        }
    }

    /** A database as the simulated cloud holds it; {@code dataVersion} counts the writes it has seen. */
    public record SimDatabase(
            Kind kind,
            String id,
            Status status,
            long dataVersion,
            Optional<String> restoredFrom,
            int storageGb,
            Optional<String> ownerStack,
            Map<String, String> tags) {}

    /** A snapshot (of a database or a volume) as the simulated cloud holds it. */
    public record SimSnapshot(String id, String source, String status, long dataVersion, Map<String, String> tags) {}

    public synchronized Optional<SimStack> stack(String name) {
        tick(now());
        Stack s = stacks.get(name);
        if (s == null || s.status.equals("DELETE_COMPLETE")) {
            return Optional.empty();
        }
        return Optional.of(new SimStack(
                s.name,
                s.status,
                Map.copyOf(s.params),
                Map.copyOf(s.outputs),
                Map.copyOf(s.physical),
                Map.copyOf(s.tags)));
    }

    /** Every stack that exists (not deleted). */
    public synchronized List<SimStack> allStacks() {
        tick(now());
        return stacks.keySet().stream()
                .map(this::stack)
                .flatMap(Optional::stream)
                .toList();
    }

    public synchronized Optional<SimDatabase> database(Kind kind, String id) {
        tick(now());
        Db d = dbs.get(key(kind, id));
        return d == null
                ? Optional.empty()
                : Optional.of(new SimDatabase(
                        d.kind,
                        d.id,
                        d.status,
                        d.dataVersion,
                        Optional.ofNullable(d.fromSnapshot),
                        d.storage,
                        Optional.ofNullable(d.ownerStack),
                        Map.copyOf(d.tags)));
    }

    public synchronized List<SimDatabase> allDatabases() {
        tick(now());
        return dbs.values().stream()
                .map(d -> database(d.kind, d.id).orElseThrow())
                .toList();
    }

    /** Ids of every database deleted so far, in order. */
    public synchronized List<String> deletedDatabases() {
        tick(now());
        return List.copyOf(deletedDatabases);
    }

    public synchronized List<SimSnapshot> databaseSnapshots() {
        tick(now());
        return dbSnaps.values().stream()
                .map(s -> new SimSnapshot(s.id, s.source, s.status.name(), s.dataVersion, Map.copyOf(s.tags)))
                .toList();
    }

    public synchronized List<SimSnapshot> volumeSnapshots() {
        tick(now());
        return volSnaps.values().stream()
                .map(s -> new SimSnapshot(s.id, s.volume, s.status.name(), s.dataVersion, Map.copyOf(s.tags)))
                .toList();
    }

    public synchronized List<DnsProvider.RecordSet> records(String zoneId) {
        return List.copyOf(zones.getOrDefault(zoneId, List.of()));
    }

    /** Which stack a host name leads to now, through DNS, if any. */
    public synchronized Optional<String> stackBehind(String host) {
        return reachedBy(host).map(s -> s.name);
    }

    public synchronized Optional<String> addressTarget(String allocationId) {
        String[] a = addresses.get(allocationId);
        return a == null ? Optional.empty() : Optional.ofNullable(a[1]);
    }

    /** Something the cloud created (through its API, or by {@link #deploy}): its kind, id and when. */
    public record Creation(Instant at, String kind, String id, Map<String, String> tags) {}

    /** A record set written through {@code ChangeResourceRecordSets}, and when. */
    public record DnsChange(Instant at, String zoneId, DnsProvider.RecordSet record, String changeId) {}

    /**
     * Every stack, database, volume and snapshot created so far, in order (a database or volume that a stack
     * update replaces is created again under its stack); kinds are
     * {@code stack}, {@code database}, {@code volume}, {@code database-snapshot}, {@code volume-snapshot}.
     * A name that appears twice was created twice.
     */
    public synchronized List<Creation> creations() {
        return List.copyOf(creations);
    }

    /** Ids of every volume deleted so far (with its stack or on its own), in order. */
    public synchronized List<String> deletedVolumes() {
        tick(now());
        return List.copyOf(deletedVolumes);
    }

    /** Every record set written through the API so far, in order: where DNS pointed, and from when. */
    public synchronized List<DnsChange> dnsChanges() {
        return List.copyOf(dnsChanges);
    }

    private void created(String kind, String id) {
        created(kind, id, Map.of());
    }

    private void created(String kind, String id, Map<String, String> tags) {
        creations.add(new Creation(now(), kind, id, Map.copyOf(tags)));
    }

    /** Calls made so far, by operation name (e.g. {@code CreateDBSnapshot}). */
    public synchronized Map<String, Integer> calls() {
        return Map.copyOf(calls);
    }

    /** Calls made so far, by service bucket. */
    public synchronized Map<String, Integer> callsByService() {
        Map<String, Integer> out = new TreeMap<>();
        calls.forEach((op, n) -> out.merge(service(op), n, Integer::sum));
        return out;
    }

    private static String service(String op) {
        if (op.startsWith("HTTP")) {
            return "http";
        }
        if (op.contains("DB")) {
            return "rds";
        }
        if (op.contains("Stack") || op.contains("ChangeSet") || op.contains("Template")) {
            return "cloudformation";
        }
        if (op.contains("HostedZone") || op.contains("RecordSets") || op.equals("GetChange")) {
            return "route53";
        }
        return "ec2";
    }
}
