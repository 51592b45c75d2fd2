package io.cutover.cli;

import static io.cutover.cli.BadPlanCorpusTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

    /** Every command that reaches AWS, with --output json: each stdout line parses, with its schema's version. */
    @Test
    void everyCommandPrintsOnlyJsonLinesAgainstTheEmulator(EmulatorEndpoint aws) throws Exception {
        try (CloudFormationClient cfn = CloudFormationClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.of(aws.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey())))
                .build()) {
            cfn.createStack(r -> r.stackName("json-blue")
                    .templateBody("{\"Resources\": {\"Topic\": " + "{\"Type\": \"AWS::SNS::Topic\"}}}"));
        }
        Path plan = dir.resolve("plan.yaml");
        String body = """
        id: %s
        environment: {name: %s, stack: json-blue}
        hooks:
          maintenance-on: {run: "echo maintenance on"}
          maintenance-off: {run: "echo maintenance off"}
        steps:
          - {kind: hook, id: maintenance-on, hook: maintenance-on, undo: maintenance-off, downtime: starts}
          - {kind: approval, id: go-ahead, dependsOn: [maintenance-on], prompt: "the backup is confirmed"}
          - {kind: hook, id: maintenance-off, dependsOn: [go-ahead], hook: maintenance-off, downtime: ends}
        """;
        Files.writeString(plan, body.formatted("json-1", "json-env-1"));
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, body.formatted("json-2", "json-env-2"));
        List<String> common =
                List.of("--endpoint-url", aws.endpoint().toString(), "--region", aws.region(), "--output", "json");
        List<String> table = List.of("--table", "cli-json");

        assertThat(type(json(0, args(List.of("fleet", "create-table", "--table", "cli-json"), common))))
                .isEqualTo("Table");
        List<JsonNode> run = json(3, args(List.of("run", plan.toString()), table, common));
        assertThat(run.get(run.size() - 1).get("waitingAt").get(0).asText()).isEqualTo("go-ahead");
        assertThat(run).anyMatch(l -> type(l).equals("GateWaiting"));

        assertThat(json(0, args(List.of("status"), table, common))).allMatch(l -> type(l).equals("Cutover"));
        assertThat(type(json(0, args(List.of("status", "json-1"), table, common))))
                .isEqualTo("Summary");
        assertThat(last(json(3, args(List.of("resume", "json-1", "--plan", plan.toString()), table, common)))
                        .get("status")
                        .asText())
                .isEqualTo("WAITING");
        assertThat(last(json(
                                0,
                                args(
                                        List.of("approve", "json-1", "go-ahead", "--plan", plan.toString()),
                                        table,
                                        common)))
                        .get("status")
                        .asText())
                .isEqualTo("COMPLETED");
        List<JsonNode> decommission = json(-1, args(List.of("decommission", "json-1"), table, common));
        assertThat(type(last(decommission))).isIn("Summary", "Error");
        assertThat(type(json(
                        0,
                        args(
                                List.of(
                                        "report",
                                        "json-1",
                                        "--html",
                                        dir.resolve("r.html").toString()),
                                table,
                                common))))
                .isEqualTo("Report");

        json(3, args(List.of("run", other.toString()), table, common));
        assertThat(last(json(1, args(List.of("rollback", "json-2", "--plan", other.toString()), table, common)))
                        .get("status")
                        .asText())
                .isEqualTo("ROLLED_BACK");

        Path fleet =
                FleetCommandTest.files(dir, "  - name: acme\n  - name: globex\n  - name: initech\n  - name: hooli\n");
        JsonNode fleetStatus = json(0, args(List.of("fleet", "status", fleet.toString()), table, common))
                .get(0);
        assertThat(type(fleetStatus)).isEqualTo("FleetSummary");
        assertThat(fleetStatus.get("counts").get("not_started").asInt()).isEqualTo(4);
    }

    /** Runs the command, checks its exit status (unless negative) and parses every line of its stdout. */
    private static List<JsonNode> json(int exit, String[] args) throws Exception {
        String[] r = run(args);
        if (exit >= 0) {
            assertThat(r[0]).as(String.join(" ", args) + "\n" + r[1] + r[2]).isEqualTo(String.valueOf(exit));
        }
        return JsonOutputTest.lines(r[1]);
    }

    private static String type(List<JsonNode> lines) {
        assertThat(lines).hasSize(1);
        return type(lines.get(0));
    }

    private static String type(JsonNode line) {
        return line.get("type").asText();
    }

    private static JsonNode last(List<JsonNode> lines) {
        return lines.get(lines.size() - 1);
    }

    private static String[] args(List<String> a, List<String> b, List<String> c) {
        return java.util.stream.Stream.of(a, b, c).flatMap(List::stream).toArray(String[]::new);
    }

    private static String[] args(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }
}
