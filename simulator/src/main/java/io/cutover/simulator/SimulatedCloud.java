package io.cutover.simulator;

import io.cutover.plan.Environment.Database.Kind;
import io.cutover.spi.AccessProvider;
import io.cutover.spi.AddressProvider;
import io.cutover.spi.AlarmProvider;
import io.cutover.spi.BlueGreenProvider;
import io.cutover.spi.CloudProvider;
import io.cutover.spi.CommandProvider;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.DatabaseProvider.Status;
import io.cutover.spi.DnsProvider;
import io.cutover.spi.HttpProbe;
import io.cutover.spi.LoadBalancerProvider;
import io.cutover.spi.NotificationProvider;
import io.cutover.spi.ReplicaProvider;
import io.cutover.spi.StackProvider;
import io.cutover.spi.VolumeProvider;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final SimLoadBalancers loadBalancers;
    private final SimBlueGreen blueGreen;
    private final BlueGreenProvider blueGreenApi;
    private final SimReplicas replicas;
    private final ReplicaProvider replicasApi;
    private final StackProvider stacksApi;
    private final DatabaseProvider databasesApi;
    private final VolumeProvider volumesApi;
    private final DnsProvider dnsApi;
    private final AddressProvider addressesApi;
    private final LoadBalancerProvider loadBalancersApi;
    private final SimNotifications notifications;
    private final SimAlarms alarms;
    private final SimCommands commands;
    private final CommandProvider commandsApi;
    private final SimHttp http;
    private final SimAccess access = new SimAccess();

    private SimulatedCloud(Supplier<Instant> clock, Latencies latencies, RateLimits limits, Faults faults) {
        this.world = new SimWorld(clock, latencies, limits, faults);
        this.databases = new SimDatabases(world);
        this.volumes = new SimVolumes(world);
        this.stacks = new SimStacks(world, databases, volumes);
        this.network = new SimNetwork(
                world, stacks::holds, host -> stacks.serving(host).map(st -> Map.entry(st.name, stacks.healthy(st))));
        this.stacksApi = world.answered(StackProvider.class, stacks);
        this.databasesApi = world.answered(DatabaseProvider.class, databases);
        this.volumesApi = world.answered(VolumeProvider.class, volumes);
        this.dnsApi = world.answered(DnsProvider.class, network);
        this.addressesApi = world.answered(AddressProvider.class, network);
        this.loadBalancers = new SimLoadBalancers(
                world,
                tg -> stacks.serving(SimWorld.normal(tg)).map(st -> st.name),
                n -> stacks.live(n).isPresent());
        this.loadBalancersApi = world.answered(LoadBalancerProvider.class, loadBalancers);
        this.blueGreen = new SimBlueGreen(world, databases);
        this.blueGreenApi = world.answered(BlueGreenProvider.class, blueGreen);
        this.replicas = new SimReplicas(world, databases);
        this.replicasApi = world.answered(ReplicaProvider.class, replicas);
        this.notifications = new SimNotifications(world);
        this.alarms = new SimAlarms(world);
        this.commands = new SimCommands(world, stacks::instances);
        this.commandsApi = world.answered(CommandProvider.class, commands);
        this.http = new SimHttp(world, stacks, loadBalancers, network);
        // The order in which time moves things on: databases, volumes, then the stacks that wait for them.
        world.add(databases);
        world.add(blueGreen);
        world.add(replicas);
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

    /** Each operation's duration from {@code times} from now on, instead of the latency model's one figure. */
    public SimulatedCloud operationTimes(OperationTimes times) {
        synchronized (world) {
            world.times = java.util.Objects.requireNonNull(times, "times");
        }
        return this;
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
    public NotificationProvider notifications() {
        return notifications;
    }

    @Override
    public AlarmProvider alarms() {
        return alarms;
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
    public LoadBalancerProvider loadBalancers() {
        return loadBalancersApi;
    }

    @Override
    public BlueGreenProvider blueGreen() {
        return blueGreenApi;
    }

    /** The EBS model: writes to data disks, volumes and their attachments, fast snapshot restore. */
    public VolumeSimulation volumeModel() {
        return new VolumeSimulation(world, volumes);
    }

    /** The RDS Blue/Green Deployments model: times, replica lag, guardrails, what exists. */
    public BlueGreenSimulation blueGreenModel() {
        return new BlueGreenSimulation(world, blueGreen);
    }

    /** The Aurora fast clones model: clone time, how far restorable times trail, which clone is of which cluster. */
    public CloneSimulation cloneModel() {
        return new CloneSimulation(world, databases.clones);
    }

    @Override
    public ReplicaProvider replicas() {
        return replicasApi;
    }

    /** The RDS read replicas model: times, replica lag, broken replication, what exists. */
    public ReplicaSimulation replicaModel() {
        return new ReplicaSimulation(world, replicas);
    }

    @Override
    public CommandProvider commands() {
        return commandsApi;
    }

    @Override
    public HttpProbe http() {
        return http;
    }

    /**
     * IAM's simulation of the caller's policies: every action allowed except those {@link #deny} names; the caller
     * is a user unless {@link #callerIsNoPrincipal} or {@link #simulationDenied} says otherwise.
     */
    @Override
    public Optional<AccessProvider> access() {
        return Optional.of(access);
    }

    /** The caller's policies do not allow {@code action} (e.g. {@code rds:CreateDBSnapshot}). */
    public SimulatedCloud deny(String action) {
        access.deny(action);
        return this;
    }

    /** The caller is no principal whose policies can be simulated (the account's root user). */
    public SimulatedCloud callerIsNoPrincipal() {
        access.callerIsNoPrincipal();
        return this;
    }

    /** The caller may not call iam:SimulatePrincipalPolicy. */
    public SimulatedCloud simulationDenied() {
        access.simulationDenied();
        return this;
    }

    /**
     * How the URLs that start with {@code urlPrefix} answer http-call steps: each call the next status (0: no
     * answer), the last one from then on; e.g. {@code httpAnswers("https://admin.example.com/", 503, 200)}.
     */
    public SimulatedCloud httpAnswers(String urlPrefix, int... statuses) {
        http.answers(urlPrefix, statuses);
        return this;
    }

    /** A resource of a stack was changed outside it ({@code MODIFIED}) or deleted ({@code DELETED}). */
    public void driftResource(String stackName, String logicalId, String status) {
        stacks.drift(stackName, logicalId, status);
    }

    // ------------------------------------------------------------------------------------------- seeding

    /** Creates the CloudWatch alarm {@code name}, or sets its state: a check sees it from the next call. */
    public SimulatedCloud alarm(String name, AlarmProvider.AlarmState state) {
        synchronized (world) {
            alarms.set(name, state);
            return this;
        }
    }

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

    /**
     * Adds an application load balancer's listener (or rule) at {@code arn}, answering {@code hostName} (its
     * load balancer's DNS name, or null), forwarding all requests to {@code targetGroupArn}.
     */
    public SimulatedCloud listener(String arn, String hostName, String targetGroupArn) {
        synchronized (world) {
            loadBalancers.listener(arn, hostName, LoadBalancerProvider.Forward.to(targetGroupArn));
            return this;
        }
    }

    /** Adds a target group whose targets are the instances of {@code stack} (blue's, seeded with it). */
    public SimulatedCloud targetGroup(String arn, String stack) {
        synchronized (world) {
            loadBalancers.targetGroup(arn, stack);
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
            if (blueGreen.readOnly.contains(databaseId)) {
                throw new IllegalStateException("database " + databaseId + " is read-only (blue's old one)");
            }
            if (replicas.readOnly(databaseId)) {
                throw new IllegalStateException("database " + databaseId + " is read-only (a read replica)");
            }
            long v = databases.write(kind, databaseId);
            blueGreen.wrote(databaseId);
            replicas.wrote(databaseId, v);
            return v;
        }
    }

    /**
     * Gives a database a class and settings (by RestoreSettings' names: multiAz, storageType, iops, port, ...),
     * which a restore from its snapshots copies.
     */
    public void configure(Kind kind, String databaseId, String instanceClass, Map<String, String> settings) {
        synchronized (world) {
            databases.configure(kind, databaseId, instanceClass, settings);
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
            Map<String, String> tags,
            String instanceClass,
            Map<String, String> settings) {}

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

    /** A listener's (or rule's) forward changed through {@code ModifyListener} or {@code ModifyRule}, and when. */
    public record ForwardChange(Instant at, String listener, LoadBalancerProvider.Forward forward) {}

    /**
     * Something the cloud did, and when it really happened: a snapshot becoming {@code AVAILABLE},
     * {@code COMPLETED}, {@code FAILED} or {@code ERROR} (at its completion time), a delete requested
     * ({@code DELETE_REQUESTED}) or done ({@code DELETED}; a stack's volume {@code DELETED with its stack}) of a
     * stack, database, volume or snapshot, a volume
     * attached ({@code ATTACHED <instance> <device> v<the data version it holds>}) or detached
     * ({@code DETACHED <instance>}) through the API.
     */
    public record Happening(Instant at, String kind, String id, String what) {}

    /** A notification sent: {@code channel} {@code sns} (to topic {@code target}) or {@code webhook} (to URL). */
    public record Notification(Instant at, String channel, String target, String subject, String text) {}

    /** Every notification sent so far, in order. */
    public List<Notification> notificationsSent() {
        synchronized (world) {
            return notifications.sent();
        }
    }

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
            return http.reachedBy(host).map(s -> s.name);
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

    /** Each stack's percent of the listener's (or rule's) requests now: where its users are. */
    public Map<String, Integer> listenerShares(String arn) {
        synchronized (world) {
            return loadBalancers.shares(arn);
        }
    }

    /** Every listener or rule change made through the API so far, in order. */
    public List<ForwardChange> forwardChanges() {
        synchronized (world) {
            return loadBalancers.changes();
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
        synchronized (world) {
            return world.callsByService();
        }
    }
}
