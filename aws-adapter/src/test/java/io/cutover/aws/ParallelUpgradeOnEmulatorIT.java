package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.SystemScheduler;
import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.state.FileStateStore;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.step.Hooks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.route53.model.RRType;

/**
 * A whole parallel upgrade through the engine against the emulator, checked afterwards with plain SDK
 * calls. Green's database is restored by Cutover through the RDS API and passed to green's stack as a
 * parameter (moto ignores a template's DBSnapshotIdentifier, so the other way is proven on the simulated
 * cloud). moto runs no application, so green is verified by a check that reads its stack, not by HTTP.
 */
@AwsEmulator
class ParallelUpgradeOnEmulatorIT {
    @TempDir
    Path state;

    private static String template(String name) {
        try (InputStream in = ParallelUpgradeOnEmulatorIT.class.getResourceAsStream("/templates/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void snapshotRestoreCloneSwapAndBlueIsGoneButItsFinalSnapshotRemains(EmulatorEndpoint aws) {
        AwsClients clients = Emulated.clients(aws);
        AwsCloud cloud = Emulated.cloud(clients);
        var cfn = clients.cloudFormation();
        cfn.createStack(r -> r.stackName("shop-blue").templateBody(template("blue.json")));
        var outputs = cfn.describeStacks(r -> r.stackName("shop-blue"))
                .stacks()
                .get(0)
                .outputs();
        String blueDb = output(outputs, "DatabaseId");
        String blueVolume = output(outputs, "DataVolumeId");
        String zone = clients.route53()
                .createHostedZone(r -> r.name("example.com").callerReference("e2e"))
                .hostedZone()
                .id();
        cloud.dns()
                .upsert(
                        zone,
                        List.of(io.cutover.spi.DnsProvider.RecordSet.simple(
                                "app.example.com", "CNAME", 60, "shop-blue.app.example.net")),
                        "blue");

        Environment env = Environment.of("shop-prod", "shop-blue")
                .withDatabase(Environment.Database.instance(blueDb))
                .withVolume(blueVolume)
                .withDns(Environment.DnsRecord.of(zone, "app.example.com", "CNAME"));
        Plan plan = Plan.of(
                "e2e-1",
                env,
                List.of(
                        new StepSpec.SnapshotDatabase(
                                StepId.of("snap-db"), List.of(), env.databases().get(0)),
                        new StepSpec.SnapshotVolume(StepId.of("snap-vol"), List.of(), blueVolume),
                        new StepSpec.RestoreDatabase(
                                StepId.of("restore-db"),
                                List.of(StepId.of("snap-db")),
                                env.databases().get(0),
                                "${snap-db.snapshotId}",
                                Optional.empty(),
                                Optional.empty()),
                        new StepSpec.CloneStack(
                                StepId.of("clone"),
                                List.of(StepId.of("restore-db"), StepId.of("snap-vol")),
                                "shop-green",
                                StepSpec.TemplateRef.ofBody(template("green.json")),
                                Map.of("AppVersion", "2.0", "DatabaseEndpoint", "${restore-db.endpoint}"),
                                true,
                                Map.of(),
                                List.of()),
                        new StepSpec.Verify(
                                StepId.of("verify"),
                                List.of(StepId.of("clone")),
                                List.of(new StepSpec.Check.Custom("green-stack-answers")),
                                Duration.ofSeconds(30),
                                Duration.ofSeconds(1)),
                        new StepSpec.SwitchDns(
                                StepId.of("switch-dns"),
                                List.of(StepId.of("verify")),
                                Optional.empty(),
                                "${green.outputs.Endpoint}",
                                List.of(),
                                Optional.empty(),
                                null,
                                List.of()),
                        new StepSpec.Bake(
                                StepId.of("bake"),
                                List.of(StepId.of("switch-dns")),
                                Duration.ofSeconds(1),
                                List.of(),
                                Duration.ofMillis(500)),
                        new StepSpec.Decommission(StepId.of("decommission"), List.of(StepId.of("bake")), List.of())));

        Hooks hooks = Hooks.builder()
                .check("green-stack-answers", ctx -> {
                    var green = ctx.cloud().stacks().describe(ctx.resolve("${green.stack}"));
                    return green.outputs().containsKey("Endpoint")
                            ? Hooks.CheckResult.healthy()
                            : Hooks.CheckResult.unhealthy("green has no Endpoint output");
                })
                .build();
        try (SystemScheduler scheduler = SystemScheduler.of(2)) {
            Engine engine = Engine.builder()
                    .cloud(cloud)
                    .stateStore(FileStateStore.in(state))
                    .scheduler(scheduler)
                    .hooks(hooks)
                    .pollPolicy(aws.pollPolicy()) // moto completes every operation at once
                    .build();
            CutoverRun run = engine.start(plan);
            RunState end = run.awaitSettled(Duration.ofMinutes(2));
            assertThat(end.status()).as("%s %s", end.failure(), end.steps()).isEqualTo(RunStatus.COMPLETED);

            // Green's database was restored from blue's snapshot, and green's stack was given its endpoint.
            String snapshot = end.step(StepId.of("snap-db")).outputs().get("snapshotId");
            String greenDb = end.step(StepId.of("restore-db")).outputs().get("databaseId");
            var snap = clients.rds()
                    .describeDBSnapshots(r -> r.dbSnapshotIdentifier(snapshot))
                    .dbSnapshots()
                    .get(0);
            assertThat(snap.dbInstanceIdentifier()).isEqualTo(blueDb);
            var restored = clients.rds()
                    .describeDBInstances(r -> r.dbInstanceIdentifier(greenDb))
                    .dbInstances()
                    .get(0);
            assertThat(restored.tagList())
                    .anyMatch(t -> t.key().equals("cutover:step") && t.value().equals("restore-db"));
            var green =
                    cfn.describeStacks(r -> r.stackName("shop-green")).stacks().get(0);
            assertThat(green.parameters())
                    .anyMatch(p -> p.parameterKey().equals("DatabaseEndpoint")
                            && p.parameterValue().equals(restored.endpoint().address()));
            // The record names green.
            var records = clients.route53()
                    .listResourceRecordSets(r -> r.hostedZoneId(zone))
                    .resourceRecordSets();
            assertThat(records)
                    .filteredOn(r -> r.type() == RRType.CNAME && r.name().startsWith("app.example.com"))
                    .singleElement()
                    .satisfies(r -> assertThat(r.resourceRecords().get(0).value())
                            .isEqualTo(output(green.outputs(), "Endpoint")));
            // Blue's stack is gone; its final snapshot remains.
            assertThatThrownBy(() -> cfn.describeStacks(r -> r.stackName("shop-blue")).stacks().stream()
                            .filter(s -> !s.stackStatusAsString().equals("DELETE_COMPLETE"))
                            .findFirst()
                            .orElseThrow(() -> CloudFormationException.builder()
                                    .message("Stack with id shop-blue does not exist")
                                    .build()))
                    .hasMessageContaining("does not exist");
            var last = clients.rds()
                    .describeDBSnapshots(r -> r.dbSnapshotIdentifier(blueDb + "-final-e2e-1"))
                    .dbSnapshots();
            assertThat(last).singleElement().satisfies(s -> {
                assertThat(s.dbInstanceIdentifier()).isEqualTo(blueDb);
                assertThat(s.status()).isEqualTo("available");
            });
            assertThat(end.reportLines()).anyMatch(l -> l.contains(blueDb + "-final-e2e-1"));
        } finally {
            clients.close();
        }
    }

    private static String output(
            List<software.amazon.awssdk.services.cloudformation.model.Output> outputs, String key) {
        return outputs.stream()
                .filter(o -> o.outputKey().equals(key))
                .findFirst()
                .orElseThrow()
                .outputValue();
    }
}
