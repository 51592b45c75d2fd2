package io.cutover.cli;

import static io.cutover.cli.BadPlanCorpusTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/**
 * The lifecycle commands against the emulator, with the state in a shared DynamoDB table: a cutover that
 * waits at a gate is left by one command and approved by another (as from another machine), and both see
 * the same state. The cutover is hooks and a gate on an existing stack, since moto runs no application.
 */
@AwsEmulator
class CliOnEmulatorIT {
    @TempDir
    Path dir;

    @Test
    void runWaitsAtAGateThenApproveFinishesItFromTheSharedTable(EmulatorEndpoint aws) throws Exception {
        try (CloudFormationClient cfn = CloudFormationClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.of(aws.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey())))
                .build()) {
            cfn.createStack(r -> r.stackName("shop-blue")
                    .templateBody("{\"Resources\": {\"Topic\": " + "{\"Type\": \"AWS::SNS::Topic\"}}}"));
        }
        Path marker = dir.resolve("maintenance");
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, """
        id: cli-it-1
        environment: {name: shop-prod, stack: shop-blue}
        hooks:
          maintenance-on: {run: "touch %1$s"}
          maintenance-off: {run: "rm -f %1$s"}
        steps:
          - {kind: hook, id: maintenance-on, hook: maintenance-on, undo: maintenance-off, downtime: starts}
          - {kind: approval, id: go-ahead, dependsOn: [maintenance-on], prompt: "the backup is confirmed"}
          - {kind: hook, id: maintenance-off, dependsOn: [go-ahead], hook: maintenance-off, downtime: ends}
        """.formatted(marker));
        String endpoint = aws.endpoint().toString();
        List<String> common = List.of("--endpoint-url", endpoint, "--region", aws.region());

        String[] table = run(args(List.of("fleet", "create-table", "--table", "cli-it"), common));
        assertThat(table[0]).as(table[1] + table[2]).isEqualTo("0");

        String[] first = run(args(List.of("run", plan.toString(), "--table", "cli-it"), common));
        assertThat(first[0]).as(first[1] + first[2]).isEqualTo("3");
        assertThat(first[1]).contains("waiting at gate 'go-ahead'");
        assertThat(marker).exists();

        String[] status = run(args(List.of("status", "cli-it-1", "--table", "cli-it"), common));
        assertThat(status[1]).contains("WAITING");

        String[] approve = run(args(
                List.of("approve", "cli-it-1", "go-ahead", "--plan", plan.toString(), "--table", "cli-it"), common));
        assertThat(approve[0]).as(approve[1] + approve[2]).isEqualTo("0");
        assertThat(approve[1]).contains(": COMPLETED");
        assertThat(marker).doesNotExist();

        String[] again = run(args(List.of("run", plan.toString(), "--table", "cli-it"), common));
        assertThat(again[0]).isEqualTo("4");
        assertThat(again[2]).contains("a cutover with id 'cli-it-1' exists already");
    }

    private static String[] args(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }
}
