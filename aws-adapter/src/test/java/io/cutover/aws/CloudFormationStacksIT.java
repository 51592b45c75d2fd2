package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.spi.StackProvider;
import io.cutover.spi.StackProvider.ChangeSetDescription;
import io.cutover.spi.StackProvider.ResourceChange;
import io.cutover.spi.StackProvider.StackDescription;
import io.cutover.spi.StackProvider.StackEvent;
import io.cutover.spi.StackProvider.StackRequest;
import io.cutover.spi.StackProvider.StackState;
import io.cutover.spi.StackProvider.Template;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@AwsEmulator
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudFormationStacksIT {
    /** Two security groups in the default VPC: resources moto creates for real, with a parameter and an output. */
    static final String TEMPLATE = """
      {
        "Parameters": {
          "Purpose": {"Type": "String"},
          "Tier": {"Type": "String", "Default": "web"}
        },
        "Resources": {
          "AppGroup": {"Type": "AWS::EC2::SecurityGroup",
                       "Properties": {"GroupDescription": {"Fn::Sub": "${Purpose} ${Tier}"}}}
        },
        "Outputs": {"GroupId": {"Value": {"Ref": "AppGroup"}}}
      }""";

    static final String TEMPLATE_WITH_DB_GROUP = """
      {
        "Parameters": {
          "Purpose": {"Type": "String"},
          "Tier": {"Type": "String", "Default": "web"}
        },
        "Resources": {
          "AppGroup": {"Type": "AWS::EC2::SecurityGroup",
                       "Properties": {"GroupDescription": {"Fn::Sub": "${Purpose} ${Tier}"}}},
          "DbGroup": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "db"}}
        },
        "Outputs": {"GroupId": {"Value": {"Ref": "AppGroup"}},
                    "DbGroupId": {"Value": {"Ref": "DbGroup"}}}
      }""";

    AwsClients clients;
    StackProvider stacks;

    @BeforeAll
    void connect(EmulatorEndpoint aws) {
        clients = Emulated.clients(aws);
        stacks = Emulated.cloud(clients).stacks();
    }

    @AfterAll
    void close() {
        clients.close();
    }

    static StackRequest request(String name, String template, String token) {
        return new StackRequest(
                name,
                Template.ofBody(template),
                Map.of("Purpose", "blue"),
                Map.of("cutover:plan", "p1"),
                List.of("CAPABILITY_IAM"),
                token);
    }

    @Test
    void createdStackIsCompleteWithParametersOutputsAndTags() {
        stacks.create(request("blue", TEMPLATE, "create-blue"));

        StackDescription blue = stacks.describe("blue");

        assertThat(blue.state()).isEqualTo(StackState.COMPLETE);
        assertThat(blue.rawStatus()).isEqualTo("CREATE_COMPLETE");
        assertThat(blue.id()).contains(":stack/blue/");
        assertThat(blue.parameters()).containsEntry("Purpose", "blue").containsEntry("Tier", "web");
        assertThat(blue.outputs()).containsKey("GroupId");
        assertThat(blue.outputs().get("GroupId")).startsWith("sg-");
        assertThat(blue.tags()).containsEntry("cutover:plan", "p1");
    }

    @Test
    void templateBodyIsTheTemplateTheStackWasCreatedWith() {
        stacks.create(request("kept", TEMPLATE, "create-kept"));

        assertThat(stacks.templateBody("kept")).isEqualTo(TEMPLATE);
    }

    @Test
    void aSecondCreateOfTheSameNameWithAnotherTokenIsAlreadyExists() {
        stacks.create(request("twice", TEMPLATE, "first"));

        assertThatThrownBy(() -> stacks.create(request("twice", TEMPLATE, "second")))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.ALREADY_EXISTS));
    }

    @Test
    void changeSetListsTheChangesAndExecutingItUpdatesTheStack() {
        stacks.create(request("updated", TEMPLATE, "create-updated"));

        stacks.createChangeSet(request("updated", TEMPLATE_WITH_DB_GROUP, "cs-token"), "add-db-group");
        ChangeSetDescription changeSet = stacks.describeChangeSet("updated", "add-db-group");

        assertThat(changeSet.status()).isEqualTo(StackProvider.ChangeSetStatus.READY);
        assertThat(changeSet.changes())
                .extracting(ResourceChange::action, ResourceChange::logicalResourceId)
                .contains(org.assertj.core.groups.Tuple.tuple("Add", "DbGroup"));
        assertThat(changeSet.parameters()).containsEntry("Purpose", "blue");

        stacks.executeChangeSet("updated", "add-db-group", "exec-token");
        StackDescription after = stacks.describe("updated");

        assertThat(after.rawStatus()).isEqualTo("UPDATE_COMPLETE");
        assertThat(after.state()).isEqualTo(StackState.COMPLETE);
        assertThat(stacks.templateBody("updated")).isEqualTo(TEMPLATE_WITH_DB_GROUP);
    }

    @Test
    void motoGap_anExecutedChangeSetLeavesTheOutputsStale() {
        // AWS reports the new template's outputs; moto 5.2.5 creates the new resource and stores the new template
        // but keeps the old outputs (UpdateStack, which the adapter does not use, does refresh them).
        stacks.create(request("stale", TEMPLATE, "create-stale"));
        stacks.createChangeSet(request("stale", TEMPLATE_WITH_DB_GROUP, "cs-stale"), "add-db-group");
        stacks.executeChangeSet("stale", "add-db-group", "exec-stale");

        assertThat(stacks.describe("stale").outputs()).containsOnlyKeys("GroupId");
    }

    @Test
    void describingAMissingChangeSetIsNotFound() {
        stacks.create(request("no-change-sets", TEMPLATE, "create-ncs"));

        assertThatThrownBy(() -> stacks.describeChangeSet("no-change-sets", "nope"))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND));
    }

    @Test
    void motoGap_executingAMissingChangeSetAnswersHttp500_soTheAdapterReportsItTransient() {
        // AWS answers ChangeSetNotFound (NOT_FOUND); moto 5.2.5 fails with an internal server error.
        stacks.create(request("exec-missing", TEMPLATE, "create-em"));

        assertThatThrownBy(() -> stacks.executeChangeSet("exec-missing", "nope", "t"))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT));
    }

    @Test
    void deletedStackIsGoneAndDeletingItAgainIsNotAnError() {
        stacks.create(request("doomed", TEMPLATE, "create-doomed"));

        stacks.delete("doomed", List.of(), "delete-doomed");

        assertThatThrownBy(() -> stacks.describe("doomed"))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND));
        stacks.delete("doomed", List.of("AppGroup"), "delete-doomed-again");
    }

    @Test
    void describingAMissingStackIsNotFoundNamingIt() {
        assertThatThrownBy(() -> stacks.describe("no-such-stack"))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND);
                    assertThat(e.operation()).isEqualTo("DescribeStacks");
                    assertThat(e.getMessage()).contains("stack 'no-such-stack' does not exist");
                });
    }

    @Test
    void eventsOfAMissingStackAreNotFound() {
        assertThatThrownBy(() -> stacks.events("no-such-stack"))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND));
    }

    @Test
    void eventsComeNewestFirstEndingWithTheCompletedCreate() {
        // moto reports stack-level events only (no per-resource events).
        stacks.create(request("evented", TEMPLATE, "create-evented"));

        List<StackEvent> events = stacks.events("evented");

        assertThat(events).isNotEmpty();
        assertThat(events).extracting(StackEvent::timestamp).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(events.get(0).status()).isEqualTo("CREATE_COMPLETE");
        assertThat(events.get(events.size() - 1).status()).isEqualTo("CREATE_IN_PROGRESS");
    }

    @Test
    void aWellFormedTemplateValidates_motoGapItReportsNoParameters() {
        // AWS lists Purpose (no default) and Tier (default "web"); moto 5.2.5 always answers an empty list.
        // The mapping of a real answer is covered by CfnStacksMappingTest.
        StackProvider.TemplateSummary summary = stacks.validate(Template.ofBody(TEMPLATE));

        assertThat(summary.parameters()).isEmpty();
    }

    @Test
    void aTemplateCloudFormationRejectsIsAnInvalidRequestWithTheServiceMessage() {
        assertThatThrownBy(() -> stacks.validate(Template.ofBody("{\"Parameters\": {}}")))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FailureKind.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains("'Resources' is a required property", "ValidationError");
                });
    }

    @Test
    void motoGap_aResourceThatFailsFailsTheCreateCallInsteadOfRollingTheStackBack() {
        // AWS accepts CreateStack and rolls the stack back (ROLLBACK_COMPLETE, the subnet's error in the events);
        // moto 5.2.5 fails the CreateStack call with the resource's error and leaves the stack CREATE_IN_PROGRESS.
        String badSubnet = """
        {"Resources": {"Net": {"Type": "AWS::EC2::Subnet",
                               "Properties": {"VpcId": "vpc-00000000000000000", "CidrBlock": "10.9.0.0/24"}}}}""";

        assertThatThrownBy(() -> stacks.create(new StackRequest(
                        "broken", Template.ofBody(badSubnet), Map.of(), Map.of(), List.of(), "create-broken")))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.getMessage()).contains("InvalidVpcID.NotFound"));
        assertThat(stacks.describe("broken").state()).isEqualTo(StackState.IN_PROGRESS);
    }
}
