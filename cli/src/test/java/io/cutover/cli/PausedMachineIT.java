package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.dynamodb.DynamoDbStateStore;
import io.cutover.dynamodb.StateTable;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The paused machine, on moto's DynamoDB and Route 53, with two real JVMs
 * ({@link PausedMachineWorker}): machine A stops itself with SIGSTOP just before its DNS change; machine B
 * waits for A's lease to run out, takes the cutover over, switches and rolls back; then the test sends A
 * SIGCONT. A must make no call that changes anything after it wakes: its own record of DNS calls, moto's record
 * and the saved state all say so.
 */
@AwsEmulator
class PausedMachineIT {
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final String HOST = "app.paused.example.com";

    @TempDir
    Path dir;

    @Test
    void aMachinePausedJustBeforeItsDnsChangeMakesNoCallAfterAnotherTookOverAndRolledBack(EmulatorEndpoint aws)
            throws Exception {
        var credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()));
        StateTable table = StateTable.named("paused-machine");
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                        .endpointOverride(aws.endpoint())
                        .region(Region.of(aws.region()))
                        .credentialsProvider(credentials)
                        .build();
                Route53Client route53 = Route53Client.builder()
                        .endpointOverride(aws.endpoint())
                        .region(Region.of(aws.region()))
                        .credentialsProvider(credentials)
                        .build();
                CloudFormationClient cfn = CloudFormationClient.builder()
                        .endpointOverride(aws.endpoint())
                        .region(Region.of(aws.region()))
                        .credentialsProvider(credentials)
                        .build()) {
            table.create(dynamo);
            DynamoDbStateStore store = DynamoDbStateStore.of(dynamo, table);
            cfn.createStack(r -> r.stackName("paused-blue")
                    .templateBody("{\"Resources\":{\"Topic\":{\"Type\":\"AWS::SNS::Topic\"}}}"));
            String zone = route53.createHostedZone(
                            r -> r.name("paused.example.com").callerReference("paused-it"))
                    .hostedZone()
                    .id()
                    .replace("/hostedzone/", "");
            route53.changeResourceRecordSets(r -> r.hostedZoneId(zone)
                    .changeBatch(b -> b.changes(c -> c.action(ChangeAction.UPSERT)
                            .resourceRecordSet(s -> s.name(HOST)
                                    .type(RRType.CNAME)
                                    .ttl(60L)
                                    .resourceRecords(v -> v.value("blue.paused.example.com"))))));
            Path plan = dir.resolve("plan.yaml");
            Files.writeString(plan, """
                    id: paused-1
                    environment:
                      name: paused-prod
                      stack: paused-blue
                      dns: {zoneId: %s, name: %s, type: CNAME}
                    steps:
                      - {kind: verify, id: verify-green, checks: [{type: custom, name: green-is-up}]}
                      - {kind: switch-dns, id: switch-dns, dependsOn: [verify-green], target: green.paused.example.com}
                      - {kind: bake, id: bake, dependsOn: [switch-dns], duration: 1h}
                    """.formatted(zone, HOST));

            Process a = spawn(aws, table, plan, "a");
            try {
                pausedAndTakenOver(a, aws, table, plan, store, route53, zone);
            } finally {
                a.destroyForcibly(); // a stopped JVM is killed too, whatever failed above
            }
        }
    }

    private void pausedAndTakenOver(
            Process a,
            EmulatorEndpoint aws,
            StateTable table,
            Path plan,
            DynamoDbStateStore store,
            Route53Client route53,
            String zone)
            throws Exception {
        Path aOut = dir.resolve("machine-a.out");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(aOut).contains("PAUSING") && a.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(Files.readString(aOut)).as("machine A paused itself").contains("PAUSING");
        awaitStopped(a);

        Process b = spawn(aws, table, plan, "b");
        assertThat(b.waitFor(90, TimeUnit.SECONDS)).as("machine B finished").isTrue();
        String bOut = Files.readString(dir.resolve("machine-b.out"));
        assertThat(b.exitValue()).as(bOut).isZero();
        assertThat(bOut).contains("B-TOOK-OVER", "B-SWITCHED", "B-END ROLLED_BACK");
        assertThat(bOut).contains("CALL DnsProvider.replace", "CALL DnsProvider.upsert");
        RunState afterB = store.load("paused-1").orElseThrow();
        assertThat(record(route53, zone))
                .as("B's rollback put users back on blue")
                .isEqualTo("blue.paused.example.com");

        new ProcessBuilder("kill", "-CONT", Long.toString(a.pid())).start().waitFor();
        assertThat(a.waitFor(60, TimeUnit.SECONDS))
                .as("machine A ended after it woke")
                .isTrue();
        String aText = Files.readString(aOut);
        String afterWake = aText.substring(aText.indexOf("PAUSING"));
        assertThat(afterWake).as("machine A after it woke").doesNotContain("CALL DnsProvider.");
        assertThat(afterWake).contains("FENCE-LOST", "not calling DnsProvider.replace");
        assertThat(a.exitValue()).as(aText).isEqualTo(3);
        assertThat(record(route53, zone)).as("users still on blue").isEqualTo("blue.paused.example.com");
        RunState end = store.load("paused-1").orElseThrow();
        assertThat(end.version()).as("nothing saved over B's rollback").isEqualTo(afterB.version());
        assertThat(end.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(end.owner()).isEqualTo("machine-b");
        System.out.println("machine A after it woke:\n" + afterWake);
    }

    private static String record(Route53Client route53, String zone) {
        List<ResourceRecordSet> sets =
                route53.listResourceRecordSets(r -> r.hostedZoneId(zone)).resourceRecordSets().stream()
                        .filter(s -> s.name().replaceAll("\\.$", "").equals(HOST))
                        .toList();
        assertThat(sets).hasSize(1);
        return sets.get(0).resourceRecords().get(0).value();
    }

    /** Waits until the process is stopped (state T in /proc), as SIGSTOP leaves it. */
    private static void awaitStopped(Process p) throws Exception {
        Path stat = Path.of("/proc", Long.toString(p.pid()), "stat");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String state = "";
        while (System.nanoTime() < deadline) {
            String s = Files.readString(stat);
            state = s.substring(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3);
            if (state.equals("T")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("machine A is not stopped (state " + state + ")");
    }

    private Process spawn(EmulatorEndpoint aws, StateTable table, Path plan, String role) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                PausedMachineWorker.class.getName(),
                role,
                aws.endpoint().toString(),
                aws.region(),
                table.name(),
                plan.toString(),
                "paused-1",
                Long.toString(LEASE.toMillis()),
                Long.toString(HEARTBEAT.toMillis()));
        Path out = dir.resolve("machine-" + role + ".out");
        Files.writeString(out, "");
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        return pb.start();
    }
}
