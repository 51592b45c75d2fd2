package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.spi.StackProvider;
import io.cutover.spi.StackProvider.ChangeSetDescription;
import io.cutover.spi.StackProvider.ResourceChange;
import io.cutover.spi.StackProvider.StackEvent;
import io.cutover.spi.StackProvider.StackState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudformation.model.TemplateParameter;
import software.amazon.awssdk.services.cloudformation.model.ValidateTemplateResponse;

class CfnStacksMappingTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
      CREATE_IN_PROGRESS, IN_PROGRESS
      UPDATE_IN_PROGRESS, IN_PROGRESS
      UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, IN_PROGRESS
      ROLLBACK_IN_PROGRESS, IN_PROGRESS
      UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS, IN_PROGRESS
      DELETE_IN_PROGRESS, IN_PROGRESS
      REVIEW_IN_PROGRESS, IN_PROGRESS
      CREATE_COMPLETE, COMPLETE
      UPDATE_COMPLETE, COMPLETE
      IMPORT_COMPLETE, COMPLETE
      ROLLBACK_COMPLETE, ROLLED_BACK
      UPDATE_ROLLBACK_COMPLETE, ROLLED_BACK
      CREATE_FAILED, FAILED
      ROLLBACK_FAILED, FAILED
      UPDATE_ROLLBACK_FAILED, FAILED
      DELETE_FAILED, DELETE_FAILED
      UPDATE_FAILED, FAILED
      DELETE_COMPLETE, DELETED
      SOMETHING_AWS_ADDS_LATER, FAILED
      """)
    void mapsEveryStackStatus(String raw, StackState expected) {
        assertThat(CfnStacks.stateOf(StackStatus.fromValue(raw), raw)).isEqualTo(expected);
    }

    static StackEvent event(String logicalId, String type, String status, String reason, int second) {
        return new StackEvent(
                "e" + second, logicalId, type, status, CfnStacks.failed(status), reason, Instant.ofEpochSecond(second));
    }

    @Test
    void theFirstFailureIsTheEarliestResourceFailureOfTheLatestOperation() {
        String stack = "AWS::CloudFormation::Stack";
        List<StackEvent> newestFirst = List.of(
                event("app", stack, "ROLLBACK_COMPLETE", "", 9),
                event("Queue", "AWS::SQS::Queue", "DELETE_COMPLETE", "", 8),
                event(
                        "app",
                        stack,
                        "ROLLBACK_IN_PROGRESS",
                        "The following resource(s) failed to create: [Db, Queue]",
                        7),
                event("Queue", "AWS::SQS::Queue", "CREATE_FAILED", "Resource creation cancelled", 6),
                event("Db", "AWS::RDS::DBInstance", "CREATE_FAILED", "DBSnapshot wiki-snap not found", 5),
                event("Db", "AWS::RDS::DBInstance", "CREATE_IN_PROGRESS", "", 4),
                event("app", stack, "CREATE_IN_PROGRESS", "User Initiated", 3),
                // an older operation's failure must not be blamed
                event("Old", "AWS::EC2::Volume", "CREATE_FAILED", "an old failure", 1));

        assertThat(CfnStacks.firstFailure(newestFirst))
                .map(StackEvent::logicalResourceId)
                .contains("Db");
        assertThat(CfnStacks.firstFailure(newestFirst))
                .map(StackEvent::reason)
                .contains("DBSnapshot wiki-snap not found");
    }

    @Test
    void aStackWithoutResourceFailuresHasNoFirstFailure() {
        List<StackEvent> newestFirst = List.of(
                event("app", "AWS::CloudFormation::Stack", "CREATE_COMPLETE", "", 2),
                event("app", "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", "User Initiated", 1));

        assertThat(CfnStacks.firstFailure(newestFirst)).isEmpty();
    }

    @Test
    void templateSummaryKeepsDefaultsAndMarksParametersWithoutOne() {
        ValidateTemplateResponse response = ValidateTemplateResponse.builder()
                .parameters(
                        TemplateParameter.builder().parameterKey("Purpose").build(),
                        TemplateParameter.builder()
                                .parameterKey("Tier")
                                .defaultValue("web")
                                .build())
                .build();

        assertThat(CfnStacks.templateSummary(response).parameters())
                .containsEntry("Purpose", Optional.empty())
                .containsEntry("Tier", Optional.of("web"));
    }

    @Test
    void aChangeSetIsReadyOnlyWhenCreatedAndAvailableAndCollectsEveryPage() {
        DescribeChangeSetResponse page1 = DescribeChangeSetResponse.builder()
                .changeSetName("cs")
                .status("CREATE_COMPLETE")
                .executionStatus("AVAILABLE")
                .parameters(Parameter.builder()
                        .parameterKey("Tier")
                        .parameterValue("web")
                        .build())
                .changes(Change.builder()
                        .resourceChange(rc -> rc.action("Modify")
                                .logicalResourceId("Db")
                                .resourceType("AWS::RDS::DBInstance")
                                .replacement("True"))
                        .build())
                .nextToken("more")
                .build();
        DescribeChangeSetResponse page2 = DescribeChangeSetResponse.builder()
                .changeSetName("cs")
                .changes(Change.builder()
                        .resourceChange(rc ->
                                rc.action("Add").logicalResourceId("Queue").resourceType("AWS::SQS::Queue"))
                        .build())
                .build();

        ChangeSetDescription cs = CfnStacks.changeSet(List.of(page1, page2));

        assertThat(cs.status()).isEqualTo(StackProvider.ChangeSetStatus.READY);
        assertThat(cs.changes())
                .containsExactly(
                        new ResourceChange("Modify", "Db", "AWS::RDS::DBInstance", "True"),
                        new ResourceChange("Add", "Queue", "AWS::SQS::Queue", ""));
        assertThat(cs.parameters()).containsEntry("Tier", "web");
    }

    @Test
    void aChangeSetStillBeingComputedIsNotReady() {
        DescribeChangeSetResponse pending = DescribeChangeSetResponse.builder()
                .changeSetName("cs")
                .status("CREATE_IN_PROGRESS")
                .executionStatus("UNAVAILABLE")
                .build();

        ChangeSetDescription cs = CfnStacks.changeSet(List.of(pending));

        assertThat(cs.status()).isEqualTo(StackProvider.ChangeSetStatus.PENDING);
    }

    @Test
    void aChangeSetWithoutChangesSaysNoChangesWithCloudFormationsReason() {
        DescribeChangeSetResponse empty = DescribeChangeSetResponse.builder()
                .changeSetName("cs")
                .status("FAILED")
                .executionStatus("UNAVAILABLE")
                .statusReason("The submitted information didn't contain changes.")
                .build();

        ChangeSetDescription cs = CfnStacks.changeSet(List.of(empty));

        assertThat(cs.status()).isEqualTo(StackProvider.ChangeSetStatus.NO_CHANGES);
        assertThat(cs.reason()).contains("didn't contain changes");
    }

    @Test
    void aChangeSetThatFailsForAnotherReasonIsFailed() {
        DescribeChangeSetResponse bad = DescribeChangeSetResponse.builder()
                .changeSetName("cs")
                .status("FAILED")
                .executionStatus("UNAVAILABLE")
                .statusReason("Template format error: Unresolved resource dependencies [Nope]")
                .build();

        ChangeSetDescription cs = CfnStacks.changeSet(List.of(bad));

        assertThat(cs.status()).isEqualTo(StackProvider.ChangeSetStatus.FAILED);
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
      CREATE_IN_PROGRESS, CREATE
      REVIEW_IN_PROGRESS, CREATE
      CREATE_COMPLETE, CREATE
      ROLLBACK_IN_PROGRESS, ROLLBACK
      ROLLBACK_COMPLETE, ROLLBACK
      UPDATE_IN_PROGRESS, UPDATE
      UPDATE_ROLLBACK_COMPLETE, UPDATE
      UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, UPDATE
      IMPORT_COMPLETE, UPDATE
      DELETE_IN_PROGRESS, DELETE
      DELETE_FAILED, DELETE
      """)
    void mapsEveryStackStatusToItsOperation(String raw, StackProvider.StackOperation expected) {
        assertThat(CfnStacks.operationOf(raw)).isEqualTo(expected);
    }

    @Test
    void onlyFailedResourceStatusesAreFailures() {
        assertThat(CfnStacks.failed("CREATE_FAILED")).isTrue();
        assertThat(CfnStacks.failed("DELETE_FAILED")).isTrue();
        assertThat(CfnStacks.failed("CREATE_COMPLETE")).isFalse();
        assertThat(CfnStacks.failed("DELETE_SKIPPED")).isFalse();
    }
}
