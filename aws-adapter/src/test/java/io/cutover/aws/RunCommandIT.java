package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.plan.StepSpec.Shell;
import io.cutover.spi.CommandProvider;
import io.cutover.spi.CommandProvider.CommandRequest;
import io.cutover.spi.CommandProvider.Invocation;
import io.cutover.spi.CommandProvider.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Run Command over SSM on the emulator: instances chosen by tags, a script sent, found again by its comment,
 * and its invocations polled. moto runs no script: every invocation it reports is Success with exit code 0 and
 * no output, whatever the script; a failing script, its exit code and its output are tested on the simulated
 * cloud ({@code RunCommandTest}).
 */
@AwsEmulator
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunCommandIT {
    AwsClients clients;
    SsmClient ssm;
    CommandProvider commands;
    String blue;
    String green;

    @BeforeAll
    void setUp(EmulatorEndpoint aws) {
        clients = Emulated.clients(aws);
        ssm = aws.configure(SsmClient.builder()).build();
        commands = AwsCloud.builder().clients(clients).ssm(ssm).build().commands();
        blue = runInstance("shop-blue");
        green = runInstance("shop-green");
    }

    @AfterAll
    void close() {
        clients.close();
        ssm.close();
    }

    String runInstance(String stack) {
        return clients.ec2()
                .runInstances(r -> r.imageId("ami-12c6146b")
                        .minCount(1)
                        .maxCount(1)
                        .tagSpecifications(TagSpecification.builder()
                                .resourceType(ResourceType.INSTANCE)
                                .tags(Tag.builder()
                                        .key("aws:cloudformation:stack-name")
                                        .value(stack)
                                        .build())
                                .build()))
                .instances()
                .get(0)
                .instanceId();
    }

    @Test
    void instancesAreChosenByTheirTags() {
        assertThat(commands.instances(Map.of("aws:cloudformation:stack-name", "shop-blue")))
                .containsExactly(blue);
        assertThat(commands.instances(Map.of("aws:cloudformation:stack-name", "nobody")))
                .isEmpty();
    }

    @Test
    void aScriptIsSentFoundAgainByItsCommentAndPolledToItsEnd() {
        Instant before = Instant.now().minusSeconds(60);
        String comment = "cutover it-plan stop-app " + System.nanoTime();
        assertThat(commands.find(comment, before)).isEmpty();

        String id = commands.send(new CommandRequest(
                List.of(blue), Shell.SHELL, "systemctl stop tomcat\ncp a b", comment, Duration.ofMinutes(5)));

        assertThat(commands.find(comment, before)).contains(id);
        assertThat(commands.find(comment + " undo", before)).isEmpty();
        List<Invocation> invocations = commands.invocations(id, List.of(blue));
        assertThat(invocations).hasSize(1);
        // moto reports every invocation as finished with success at once (it runs nothing)
        assertThat(invocations.get(0).status()).isEqualTo(Status.SUCCESS);
        assertThat(invocations.get(0).exitCode()).isZero();
        assertThat(invocations.get(0).instanceId()).isEqualTo(blue);
    }

    @Test
    void aPowerShellScriptGoesToItsOwnDocument() {
        String comment = "cutover it-plan ps " + System.nanoTime();
        String id = commands.send(new CommandRequest(
                List.of(green), Shell.POWERSHELL, "Stop-Service Quali", comment, Duration.ofMinutes(5)));

        var sent = ssm.listCommands(r -> r.commandId(id)).commands().get(0);
        assertThat(sent.documentName()).isEqualTo("AWS-RunPowerShellScript");
        assertThat(sent.parameters()).containsEntry("commands", List.of("Stop-Service Quali"));
        assertThat(sent.comment()).isEqualTo(comment);
    }
}
