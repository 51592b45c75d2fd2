package io.cutover.simulator;

import io.cutover.plan.Environment.Database.Kind;
import io.cutover.spi.AddressProvider;
import io.cutover.spi.CloudProvider;
import io.cutover.spi.CommandProvider;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.DatabaseProvider.Status;
import io.cutover.spi.DnsProvider;
import io.cutover.spi.FailureKind;
import io.cutover.spi.HttpProbe;
import io.cutover.spi.ProviderException;
import io.cutover.spi.StackProvider;
import io.cutover.spi.VolumeProvider;
import java.time.Instant;
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
 *
 * <p>This class is the facade: each service lives in its own class ({@code SimStacks}, {@code SimDatabases},
 * {@code SimVolumes}, {@code SimNetwork} for DNS and addresses) over one shared {@code SimWorld} (clock,
 * latencies, rate limits, faults, ids, counted calls), which is also the lock every call holds.
 */
public final class SimulatedCloud implements CloudProvider {
    private final SimWorld world;
    private final SimDatabases databases;
    private final SimVolumes volumes;
    private final SimStacks stacks;
    private final SimNetwork network;
    private final HttpProbe http = new HttpProbe() {
        @Override
        public int get(java.net.URI uri, java.time.Duration timeout) {
            return probe(uri, timeout);
        }

        @Override
        public Response send(Request request) {
            return call(request);
        }
    };
    /** Fixed answers of http-call URLs, by prefix: each call takes the next status, the last one repeats. */
    private final Map<String, java.util.ArrayDeque<Integer>> httpAnswers = new java.util.LinkedHashMap<>();

    private final StackProvider stacksApi;
    private final DatabaseProvider databasesApi;
    private final VolumeProvider volumesApi;
    private final DnsProvider dnsApi;
    private final AddressProvider addressesApi;
    private final SimCommands commands;
    private final CommandProvider commandsApi;

    private SimulatedCloud(Supplier<Instant> clock, Latencies latencies, RateLimits limits, Faults faults) {
        this.world = new SimWorld(clock, latencies, limits, faults);
        this.databases = new SimDatabases(world);
        this.volumes = new SimVolumes(world);
        this.stacks = new SimStacks(world, databases, volumes);
        this.network = new SimNetwork(
                world, stacks::holds, host -> stacks.serving(host).map(st -> Map.entry(st.name, stacks.healthy(st))));
        this.stacksApi = answered(StackProvider.class, stacks);
        this.databasesApi = answered(DatabaseProvider.class, databases);
        this.volumesApi = answered(VolumeProvider.class, volumes);
        this.dnsApi = answered(DnsProvider.class, network);
        this.addressesApi = answered(AddressProvider.class, network);
        this.commands = new SimCommands(world, stacks::instances);
        this.commandsApi = answered(CommandProvider.class, commands);
        // The order in which time moves things on: databases, volumes, then the stacks that wait for them.
        world.add(databases);
        world.add(volumes);
        world.add(stacks);
    }

    /** A cloud on the given clock, with AWS's default latencies and rate limits and no faults. */
    public static SimulatedCloud on(Supplier<Instant> clock) {
        return new SimulatedCloud(clock, Latencies.ofDefaults(), RateLimits.ofAws(), new Faults());
    }

    public static SimulatedCloud of(Supplier<Instant> clock, Latencies latencies, RateLimits limits, Faults faults) {
        return new SimulatedCloud(clock, latencies, limits, faults);
    }

    public Faults faults() {
        return world.faults;
    }

    public RateLimits rateLimits() {
        return world.rateLimits;
    }

    // ------------------------------------------------------------------------------------------- CloudProvider

    @Override
    public StackProvider stacks() {
        return stacksApi;
    }

    @Override
    public DatabaseProvider databases() {
        return databasesApi;
    }

    @Override
    public VolumeProvider volumes() {
        return volumesApi;
    }

    @Override
    public DnsProvider dns() {
        return dnsApi;
    }

    @Override
    public AddressProvider addresses() {
        return addressesApi;
    }

    @Override
    public CommandProvider commands() {
        return commandsApi;
    }

    /**
     * The service as its callers reach it: a call whose answer a fault loses ({@link Faults#loseAnswers}) has
     * taken effect, and then fails as a dropped connection would.
     */
    private <T> T answered(Class<T> type, T service) {
        return type.cast(java.lang.reflect.Proxy.newProxyInstance(
                type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
                    synchronized (world) {
                        world.takeLostAnswer();
                        Object result;
                        try {
                            world.inApiCall = true;
                            result = method.invoke(service, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            world.takeLostAnswer();
                            throw e.getCause();
                        } finally {
                            world.inApiCall = false;
                        }
                        String lost = world.takeLostAnswer();
                        if (lost != null) {
                            throw ProviderException.of(
                                    FailureKind.TRANSIENT,
                                    lost,
                                    "connection reset after the request was sent (injected: the call took effect)");
                        }
                        return result;
                    }
                }));
    }

    @Override
    public HttpProbe http() {
        return http;
    }

    private int probe(java.net.URI uri, java.time.Duration timeout) {
        synchronized (world) {
            world.count("HTTP GET");
            Optional<SimStacks.Stack> stack = reachedBy(uri.getHost() == null ? "" : uri.getHost());
            if (stack.isPresent()) {
                return stacks.healthy(stack.get()) && !world.faults.checkFlaps() ? 200 : 503;
            }
            throw ProviderException.of(
                    FailureKind.TRANSIENT,
                    "HTTP GET",
                    "no answer from " + uri.getHost() + " within " + timeout.toSeconds() + "s");
        }
    }

    /**
     * An http-call to a vendor's admin API: the answers set with {@link #httpAnswers} for its URL, else, for a host
     * a stack serves, 200 when it is healthy and 503 when not, else 200 (the vendor's API accepts). Recorded in
     * {@link #history()} as {@code http} with the method and URL without its query (never headers nor body).
     */
    private HttpProbe.Response call(HttpProbe.Request request) {
        synchronized (world) {
            world.count("HTTP " + request.method());
            java.net.URI u = request.uri();
            String url = u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
                    + (u.getPath() == null ? "" : u.getPath());
            Integer fixed = null;
            for (Map.Entry<String, java.util.ArrayDeque<Integer>> a : httpAnswers.entrySet()) {
                if (url.startsWith(a.getKey())) {
                    fixed = a.getValue().size() > 1
                            ? a.getValue().poll()
                            : a.getValue().peek();
                    break;
                }
            }
            int status;
            if (fixed != null) {
                status = fixed;
            } else {
                Optional<SimStacks.Stack> stack = reachedBy(u.getHost() == null ? "" : u.getHost());
                status = stack.isEmpty() || stacks.healthy(stack.get()) ? 200 : 503;
            }
            if (status == 0) {
                world.happened("http", request.method() + " " + url, "no answer");
                throw ProviderException.of(
                        FailureKind.TRANSIENT,
                        "HTTP " + request.method(),
                        "no answer from " + u.getHost() + " within "
                                + request.timeout().toSeconds() + "s");
            }
            world.happened("http", request.method() + " " + url, "answered " + status);
            return new HttpProbe.Response(status, "");
        }
    }

    /**
     * How the URLs that start with {@code urlPrefix} answer http-call steps: each call the next status (0: no
     * answer), the last one from then on; e.g. {@code httpAnswers("https://admin.example.com/", 503, 200)}.
     */
    public SimulatedCloud httpAnswers(String urlPrefix, int... statuses) {
        synchronized (world) {
            java.util.ArrayDeque<Integer> q = new java.util.ArrayDeque<>();
            for (int st : statuses) {
                q.add(st);
            }
            httpAnswers.put(urlPrefix, q);
            return this;
        }
    }

    /** The stack a host name leads to: one whose outputs name it, or, through DNS, up to three hops on. */
    private Optional<SimStacks.Stack> reachedBy(String host) {
        String h = SimWorld.normal(host);
        for (int hop = 0; hop < 3; hop++) {
            Optional<SimStacks.Stack> s = stacks.serving(h);
            if (s.isPresent()) {
                return s;
            }
            Optional<String> next = network.resolve(h);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            h = SimWorld.normal(next.get());
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------------------------------- seeding

    /** Stores a template at a URL, as an S3 object would be, for plans that name templates by URL. */
    public SimulatedCloud putTemplate(String url, String body) {
        synchronized (world) {
            stacks.putTemplate(url, body);
            return this;
        }
    }

    /**
     * Deploys a stack at once, complete and healthy, as if it had been running for a while: blue, before a
     * cutover. Returns the stack as deployed.
     */
    public SimStack deploy(String name, String templateBody, Map<String, String> parameters) {
        synchronized (world) {
            world.changed();
            stacks.deploy(name, templateBody, parameters);
            return stack(name).orElseThrow();
        }
    }

    /**
     * Adds a database with a given id, available at once, as part of {@code ownerStack} (deleted with it) or
     * standing alone when that is null.
     */
    public SimulatedCloud addDatabase(Kind kind, String id, String ownerStack) {
        synchronized (world) {
            databases.add(kind, id, ownerStack);
            stacks.attach(ownerStack, "Database" + id, id);
            return this;
        }
    }

    /** Adds a volume with a given id, in use at once, as part of {@code ownerStack} or standing alone. */
    public SimulatedCloud addVolume(String id, String ownerStack) {
        synchronized (world) {
            volumes.add(id, ownerStack);
            stacks.attach(ownerStack, "Volume" + id, id);
            return this;
        }
    }

    /** Adds a static address with a given allocation id, attached to {@code instanceId}. */
    public SimulatedCloud addAddress(String allocationId, String instanceId) {
        synchronized (world) {
            network.addAddress(allocationId, instanceId);
            return this;
        }
    }

    /** Creates a hosted zone. */
    public SimulatedCloud zone(String zoneId) {
        synchronized (world) {
            network.zone(zoneId);
            return this;
        }
    }

    /** Creates a hosted zone for a domain name. */
    public SimulatedCloud zone(String zoneId, String name) {
        synchronized (world) {
            network.zone(zoneId, name);
            return this;
        }
    }

    /** Puts a record in a zone at once (as it was before the cutover). */
    public SimulatedCloud record(String zoneId, DnsProvider.RecordSet record) {
        synchronized (world) {
            network.record(zoneId, record);
            return this;
        }
    }

    /** Allocates a static address attached to an instance; returns its allocation id. */
    public String allocateAddress(String instanceId) {
        synchronized (world) {
            return network.allocateAddress(instanceId);
        }
    }

    /** The application writes to a database: its data version goes up by one. Refused while frozen. */
    public long write(Kind kind, String databaseId) {
        synchronized (world) {
            return databases.write(kind, databaseId);
        }
    }

    /** Storage auto-scaling grew a database to {@code gb}. */
    public void growStorage(Kind kind, String databaseId, int gb) {
        synchronized (world) {
            databases.growStorage(kind, databaseId, gb);
        }
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

    /** Something the cloud created (through its API, or by {@link #deploy}): its kind, id and when. */
    public record Creation(Instant at, String kind, String id, Map<String, String> tags) {}

    /**
     * A record set written through {@code ChangeResourceRecordSets}, and when; {@code targetsHealthy} names
     * each stack the record's values lead to and whether its application was healthy at that moment.
     */
    public record DnsChange(
            Instant at,
            String zoneId,
            DnsProvider.RecordSet record,
            String changeId,
            Map<String, Boolean> targetsHealthy) {
        public DnsChange {
            targetsHealthy = Map.copyOf(targetsHealthy);
        }
    }

    /**
     * Something the cloud did, and when it really happened: a snapshot becoming {@code AVAILABLE},
     * {@code COMPLETED}, {@code FAILED} or {@code ERROR} (at its completion time), a delete requested
     * ({@code DELETE_REQUESTED}) or done ({@code DELETED}) of a stack, database, volume or snapshot.
     */
    public record Happening(Instant at, String kind, String id, String what) {}

    /**
     * What scripts have done to an instance ({@link SimCommands}): the services they stopped, the files they wrote.
     */
    public record SimMachine(java.util.Set<String> stoppedServices, java.util.Set<String> files) {}

    /** An instance of a live stack, as scripts left it. */
    public SimMachine machine(String instanceId) {
        synchronized (world) {
            SimCommands.Machine m = commands.machine(instanceId);
            return new SimMachine(java.util.Set.copyOf(m.stopped), java.util.Set.copyOf(m.written));
        }
    }

    /** The cloud's own history, in the order it was recorded (an audit trail; times may be out of order). */
    public List<Happening> history() {
        synchronized (world) {
            world.tick(world.now());
            return world.history();
        }
    }

    public Optional<SimStack> stack(String name) {
        synchronized (world) {
            world.tick(world.now());
            return stacks.stack(name);
        }
    }

    /** Every stack that exists (not deleted). */
    public List<SimStack> allStacks() {
        synchronized (world) {
            world.tick(world.now());
            return stacks.all();
        }
    }

    public Optional<SimDatabase> database(Kind kind, String id) {
        synchronized (world) {
            world.tick(world.now());
            return databases.database(kind, id);
        }
    }

    public List<SimDatabase> allDatabases() {
        synchronized (world) {
            world.tick(world.now());
            return databases.all();
        }
    }

    /** Ids of every database deleted so far, in order. */
    public List<String> deletedDatabases() {
        synchronized (world) {
            world.tick(world.now());
            return databases.deleted();
        }
    }

    public List<SimSnapshot> databaseSnapshots() {
        synchronized (world) {
            world.tick(world.now());
            return databases.snapshots();
        }
    }

    public List<SimSnapshot> volumeSnapshots() {
        synchronized (world) {
            world.tick(world.now());
            return volumes.snapshots();
        }
    }

    public List<DnsProvider.RecordSet> records(String zoneId) {
        synchronized (world) {
            return network.recordsIn(zoneId);
        }
    }

    /** Which stack a host name leads to now, through DNS, if any. */
    public Optional<String> stackBehind(String host) {
        synchronized (world) {
            return reachedBy(host).map(s -> s.name);
        }
    }

    public Optional<String> addressTarget(String allocationId) {
        synchronized (world) {
            return network.addressTarget(allocationId);
        }
    }

    /**
     * Every stack, database, volume and snapshot created so far, in order (a database or volume that a stack
     * update replaces is created again under its stack); kinds are
     * {@code stack}, {@code database}, {@code volume}, {@code database-snapshot}, {@code volume-snapshot}.
     * A name that appears twice was created twice.
     */
    public List<Creation> creations() {
        synchronized (world) {
            return world.creations();
        }
    }

    /** Ids of every volume deleted so far (with its stack or on its own), in order. */
    public List<String> deletedVolumes() {
        synchronized (world) {
            world.tick(world.now());
            return volumes.deleted();
        }
    }

    /** Every record set written through the API so far, in order: where DNS pointed, and from when. */
    public List<DnsChange> dnsChanges() {
        synchronized (world) {
            return network.dnsChanges();
        }
    }

    /** Calls made so far, by operation name (e.g. {@code CreateDBSnapshot}). */
    public Map<String, Integer> calls() {
        synchronized (world) {
            return world.calls();
        }
    }

    /** Calls made so far, by service bucket. */
    public Map<String, Integer> callsByService() {
        Map<String, Integer> out = new TreeMap<>();
        calls().forEach((op, n) -> out.merge(service(op), n, Integer::sum));
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
