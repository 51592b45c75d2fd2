package io.cutover.cli;

import static io.cutover.cli.BadPlanCorpusTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;

/**
 * The command-line tool drives snapshots, a restore and green's stack on the emulator, where every operation
 * finishes at once: with an endpoint override it polls with the emulator profile (every second) instead of
 * AWS's typical durations (minutes per operation), so the run takes seconds, not the quarter of an hour the
 * AWS profile would wait.
 */
@AwsEmulator
class CliCutoverOnEmulatorIT {
    @TempDir
    Path dir;

    private static String template(String name) {
        try (InputStream in = CliCutoverOnEmulatorIT.class.getResourceAsStream("/emulator/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void snapshotsRestoreAndGreensStackRunInSecondsWithTheEmulatorPollProfile(EmulatorEndpoint aws) throws Exception {
        String blueDb;
        String blueVolume;
        try (CloudFormationClient cfn = CloudFormationClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.of(aws.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey())))
                .build()) {
            cfn.createStack(r -> r.stackName("cli-blue").templateBody(template("blue.json")));
            List<Output> outputs = cfn.describeStacks(r -> r.stackName("cli-blue"))
                    .stacks()
                    .get(0)
                    .outputs();
            blueDb = output(outputs, "DatabaseId");
            blueVolume = output(outputs, "DataVolumeId");
        }
        Files.writeString(dir.resolve("green.json"), template("green.json"));
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, """
        id: cli-e2e-1
        environment:
          name: cli-prod
          stack: cli-blue
          databases: [{kind: instance, id: %1$s}]
          volumes: [%2$s]
        steps:
          - {kind: snapshot-database, id: snap-db, database: {kind: instance, id: %1$s}}
          - {kind: snapshot-volume, id: snap-vol, volume: %2$s}
          - kind: restore-database
            id: restore-db
            dependsOn: [snap-db]
            source: {kind: instance, id: %1$s}
            snapshot: "${snap-db.snapshotId}"
          - kind: clone-stack
            id: clone
            dependsOn: [restore-db, snap-vol]
            stackName: cli-green
            template: {file: green.json}
            parameters: {AppVersion: "2.0", DatabaseEndpoint: "${restore-db.endpoint}"}
        """.formatted(blueDb, blueVolume));

        List<String> args = new ArrayList<>(List.of(
                "run",
                plan.toString(),
                "--state-dir",
                dir.resolve("state").toString(),
                "--endpoint-url",
                aws.endpoint().toString(),
                "--region",
                aws.region()));
        long started = System.nanoTime();
        String[] result = run(args.toArray(String[]::new));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.println("CliCutoverOnEmulatorIT: the CLI run took " + took.toMillis() + " ms");

        assertThat(result[0]).as(result[1] + result[2]).isEqualTo("0");
        assertThat(result[1]).contains(": COMPLETED");
        // With AWS's typical durations the first polls alone would wait 5 + 5 + 3 minutes (snapshot, restore,
        // stack); the emulator profile asks every second.
        assertThat(took).isLessThan(Duration.ofMinutes(3));
    }

    private static String output(List<Output> outputs, String key) {
        return outputs.stream()
                .filter(o -> o.outputKey().equals(key))
                .findFirst()
                .orElseThrow()
                .outputValue();
    }
}
