package io.cutover.cli;

import io.cutover.FenceLostException;
import io.cutover.aws.AwsClients;
import io.cutover.aws.AwsCloud;
import io.cutover.dynamodb.DynamoDbStateStore;
import io.cutover.dynamodb.StateTable;
import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.Fence;
import io.cutover.engine.PollPolicy;
import io.cutover.engine.SystemScheduler;
import io.cutover.fleet.DynamoDbLeases;
import io.cutover.fleet.Lease;
import io.cutover.fleet.LeaseAttempt;
import io.cutover.plan.StepId;
import io.cutover.plan.file.PlanFiles;
import io.cutover.spi.AddressProvider;
import io.cutover.spi.CloudProvider;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.DnsProvider;
import io.cutover.spi.HttpProbe;
import io.cutover.spi.StackProvider;
import io.cutover.spi.VolumeProvider;
import io.cutover.state.RunState;
import io.cutover.state.StepStatus;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * One machine of {@link PausedMachineIT}, in a JVM of its own, on moto's DynamoDB (state and lease) and Route 53
 * (the record it switches). It prints what it does, one fact a line: {@code CALL DnsProvider.<method>} for
 * every DNS call it sends, {@code PAUSING <pid>} when machine A stops itself, and how it ended.
 *
 * <ul>
 *   <li>{@code a}: takes the lease and starts the cutover; just before its DNS change it sends itself SIGSTOP
 *       (a real pause: every thread, the lease's heartbeat too, stops until the test sends SIGCONT). Exits 0 if
 *       the cutover ended, 3 if it stopped because its fence was lost ({@code FENCE-LOST <reason>}).
 *   <li>{@code b}: waits for A's lease to run out, takes it, resumes the cutover, lets the switch finish, then
 *       rolls back (as a failing bake check would) and exits 0 with {@code B-END <status>}.
 * </ul>
 *
 * <p>Arguments: role, endpoint, region, table, plan file, run id, lease (ms), heartbeat (ms).
 */
public final class PausedMachineWorker {
    private static final StepId SWITCH = StepId.of("switch-dns");

    private PausedMachineWorker() {}

    public static void main(String[] args) throws Exception {
        String role = args[0];
        URI endpoint = URI.create(args[1]);
        Region region = Region.of(args[2]);
        StateTable table = StateTable.named(args[3]);
        Path planFile = Path.of(args[4]);
        String runId = args[5];
        Duration lease = Duration.ofMillis(Long.parseLong(args[6]));
        Duration heartbeat = Duration.ofMillis(Long.parseLong(args[7]));
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
        String owner = "machine-" + role;
        int exit;
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                        .endpointOverride(endpoint)
                        .region(region)
                        .credentialsProvider(credentials)
                        .build();
                Route53Client route53 = Route53Client.builder()
                        .endpointOverride(endpoint)
                        .region(region)
                        .credentialsProvider(credentials)
                        .build();
                CloudFormationClient cfn = CloudFormationClient.builder()
                        .endpointOverride(endpoint)
                        .region(region)
                        .credentialsProvider(credentials)
                        .build();
                SystemScheduler scheduler = SystemScheduler.of(2);
                DynamoDbLeases leases = DynamoDbLeases.builder(dynamo, table)
                        .owner(owner)
                        .leaseDuration(lease)
                        .heartbeat(heartbeat)
                        .build()) {
            DynamoDbStateStore store = DynamoDbStateStore.of(dynamo, table);
            AwsCloud aws = AwsCloud.of(AwsClients.of(
                    cfn,
                    RdsClient.builder()
                            .endpointOverride(endpoint)
                            .region(region)
                            .credentialsProvider(credentials)
                            .build(),
                    Ec2Client.builder()
                            .endpointOverride(endpoint)
                            .region(region)
                            .credentialsProvider(credentials)
                            .build(),
                    route53));
            Engine engine = Engine.builder()
                    .cloud(recordingDns(aws))
                    .stateStore(store)
                    .scheduler(scheduler)
                    .pollPolicy(PollPolicy.ofEmulator())
                    .hooks(io.cutover.step.Hooks.builder()
                            .check("green-is-up", ctx -> io.cutover.step.Hooks.CheckResult.healthy())
                            .build())
                    .owner(owner)
                    .build();
            String environment = PlanFiles.load(planFile).plan().environment().name();
            exit = role.equals("a")
                    ? machineA(engine, store, leases, environment, planFile, runId)
                    : machineB(engine, store, leases, environment, runId);
        }
        System.out.flush();
        System.exit(exit);
    }

    private static int machineA(
            Engine engine,
            DynamoDbStateStore store,
            DynamoDbLeases leases,
            String environment,
            Path planFile,
            String runId) {
        Lease lease = ((LeaseAttempt.Acquired) leases.tryAcquire(environment, runId)).lease();
        Fence leaseFence = lease.fence(leases.fenceMargin());
        boolean[] paused = {false};
        Fence fence = () -> {
            if (!paused[0] && aboutToSwitch(store.load(runId))) {
                paused[0] = true;
                long pid = ProcessHandle.current().pid();
                System.out.println("PAUSING " + pid);
                System.out.flush();
                try {
                    // SIGSTOP from outside the JVM: every thread stops here, the heartbeat included.
                    new ProcessBuilder("kill", "-STOP", Long.toString(pid))
                            .start()
                            .waitFor();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                System.out.println("WOKE");
            }
            return leaseFence.check();
        };
        CutoverRun run = engine.start(PlanFiles.load(planFile).plan(), fence);
        try {
            RunState end = run.settled().get(120, TimeUnit.SECONDS);
            System.out.println("A-END " + end.status());
            return 0;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof FenceLostException lost) {
                System.out.println("FENCE-LOST " + lost.getMessage());
                return 3;
            }
            System.out.println("A-FAILED " + e.getCause());
            return 1;
        } catch (Exception e) {
            System.out.println("A-FAILED " + e);
            return 1;
        }
    }

    private static int machineB(
            Engine engine, DynamoDbStateStore store, DynamoDbLeases leases, String environment, String runId)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Lease lease = null;
        while (lease == null && System.nanoTime() < deadline) {
            if (leases.tryAcquire(environment, runId) instanceof LeaseAttempt.Acquired a) {
                lease = a.lease();
            } else {
                Thread.sleep(250);
            }
        }
        if (lease == null) {
            System.out.println("B-FAILED the lease never ran out");
            return 1;
        }
        System.out.println("B-TOOK-OVER");
        CutoverRun run = engine.resume(runId, lease.fence(leases.fenceMargin()), r -> {});
        while (run.state().step(SWITCH).status() != StepStatus.SUCCEEDED && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        System.out.println("B-SWITCHED");
        run.rollback();
        try {
            RunState end = run.awaitSettled(Duration.ofSeconds(60));
            System.out.println("B-END " + end.status());
            return 0;
        } catch (CompletionException | io.cutover.CutoverException e) {
            System.out.println("B-FAILED " + e);
            return 1;
        } finally {
            lease.release();
        }
    }

    private static boolean aboutToSwitch(Optional<RunState> saved) {
        if (saved.isEmpty()) {
            return false;
        }
        var sw = saved.get().step(SWITCH);
        return sw.status() == StepStatus.RUNNING
                && sw.memo().containsKey("orig.name")
                && !sw.memo().containsKey("changeId");
    }

    /** The cloud, with every DNS call it sends printed (after the engine's fence let it through). */
    private static CloudProvider recordingDns(AwsCloud aws) {
        Set<String> quiet = Set.of("records", "describeZone", "changeStatus");
        DnsProvider dns = (DnsProvider) Proxy.newProxyInstance(
                DnsProvider.class.getClassLoader(), new Class<?>[] {DnsProvider.class}, (proxy, m, a) -> {
                    if (m.getDeclaringClass() != Object.class && !quiet.contains(m.getName())) {
                        System.out.println("CALL DnsProvider." + m.getName());
                        System.out.flush();
                    }
                    try {
                        return m.invoke(aws.dns(), a);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new CloudProvider() {
            @Override
            public StackProvider stacks() {
                return aws.stacks();
            }

            @Override
            public DatabaseProvider databases() {
                return aws.databases();
            }

            @Override
            public VolumeProvider volumes() {
                return aws.volumes();
            }

            @Override
            public DnsProvider dns() {
                return dns;
            }

            @Override
            public AddressProvider addresses() {
                return aws.addresses();
            }

            @Override
            public io.cutover.spi.LoadBalancerProvider loadBalancers() {
                return aws.loadBalancers();
            }

            @Override
            public io.cutover.spi.BlueGreenProvider blueGreen() {
                return aws.blueGreen();
            }

            @Override
            public io.cutover.spi.ReplicaProvider replicas() {
                return aws.replicas();
            }

            @Override
            public io.cutover.spi.AlarmProvider alarms() {
                return aws.alarms();
            }

            @Override
            public io.cutover.spi.NotificationProvider notifications() {
                return aws.notifications();
            }

            @Override
            public io.cutover.spi.CommandProvider commands() {
                return aws.commands();
            }

            @Override
            public HttpProbe http() {
                return aws.http();
            }
        };
    }
}
