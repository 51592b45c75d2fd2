package io.cutover.cli;

import static io.cutover.cli.BadPlanCorpusTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * {@code cutover plan --check} against moto: an in-place update whose storage guard would fail is refused with
 * exit 2 before anything changes (the change set is never created); with a size that fits, the check previews the
 * change set, deletes it, and passes. moto 5.2.5 has neither DetectStackDrift nor SimulatePrincipalPolicy (HTTP
 * 500): the check says it could not make them. It neither masks NoEcho parameters in DescribeStacks nor reports
 * them in ValidateTemplate: that refusal is tested on the simulated cloud (AccountCheckTest), and here only if
 * moto masks them.
 */
@AwsEmulator
class PlanCheckOnEmulatorIT {
    @TempDir
    Path dir;

    private static final String TEMPLATE = """
            {"Parameters": {"AdminPassword": {"Type": "String", "NoEcho": true, "Default": "x"},
                            "Version": {"Type": "String"}, "DBAllocatedStorage": {"Type": "String"}},
             "Resources": {"Topic": {"Type": "AWS::SNS::Topic",
                                     "Properties": {"DisplayName": {"Fn::Join": ["-", [{"Ref": "Version"},
                                                                    {"Ref": "DBAllocatedStorage"}]]}}},
                           "Admin": {"Type": "AWS::SNS::Topic",
                                     "Properties": {"DisplayName": {"Ref": "AdminPassword"}}}}}
            """;

    private static final String PLAN = """
            id: check-it
            environment:
              name: check-prod
              stack: check-blue
              databases: [{kind: instance, id: check-db}]
            steps:
              - kind: update-stack
                id: update
                stack: check-blue
                parameters: {Version: "2", DBAllocatedStorage: "%s"}
                storageGuard: {parameter: DBAllocatedStorage, database: {kind: instance, id: check-db}}
            """;

    @Test
    void aStorageGuardThatWouldFailIsRefusedBeforeAnyChange(EmulatorEndpoint aws) throws Exception {
        try (CloudFormationClient cfn = CloudFormationClient.builder()
                        .endpointOverride(aws.endpoint())
                        .region(Region.of(aws.region()))
                        .credentialsProvider(credentials(aws))
                        .build();
                RdsClient rds = RdsClient.builder()
                        .endpointOverride(aws.endpoint())
                        .region(Region.of(aws.region()))
                        .credentialsProvider(credentials(aws))
                        .build()) {
            rds.createDBInstance(r -> r.dbInstanceIdentifier("check-db")
                    .engine("postgres")
                    .dbInstanceClass("db.t3.micro")
                    .allocatedStorage(50)
                    .masterUsername("admin1")
                    .masterUserPassword("password123"));
            cfn.createStack(r -> r.stackName("check-blue")
                    .templateBody(TEMPLATE)
                    .parameters(
                            p -> p.parameterKey("AdminPassword").parameterValue("s3cret"),
                            p -> p.parameterKey("Version").parameterValue("1"),
                            p -> p.parameterKey("DBAllocatedStorage").parameterValue("50")));
            Path plan = dir.resolve("plan.yaml");
            Files.writeString(plan, PLAN.formatted("20"));
            String[] common = {"--endpoint-url", aws.endpoint().toString(), "--region", aws.region()};

            String[] refused = run(args(plan, common));
            assertThat(refused[0]).as(refused[1] + refused[2]).isEqualTo("2");
            assertThat(refused[2])
                    .contains("steps[update].storageGuard: storage guard: the update would set DBAllocatedStorage to "
                            + "20 GB, but check-db has grown to 50 GB")
                    .contains("set parameter DBAllocatedStorage to 50");
            assertThat(cfn.listChangeSets(r -> r.stackName("check-blue")).summaries())
                    .isEmpty();

            Files.writeString(plan, PLAN.formatted("60"));
            String[] passed = run(args(plan, common));
            assertThat(passed[0]).as(passed[1] + passed[2]).isEqualTo("0");
            assertThat(passed[1])
                    .contains("steps[update]: the update would make")
                    .contains("drift of stack check-blue not checked")
                    .contains("permissions not simulated")
                    .contains("The account checks passed.");
            // The preview's change set is gone and the stack is as it was.
            assertThat(cfn.listChangeSets(r -> r.stackName("check-blue")).summaries())
                    .isEmpty();
            assertThat(cfn.describeStacks(r -> r.stackName("check-blue"))
                            .stacks()
                            .get(0)
                            .stackStatusAsString())
                    .isEqualTo("CREATE_COMPLETE");
        }
    }

    @Test
    void aNoEchoParameterCarriedOverIsRefusedWhereTheEmulatorMasksIt(EmulatorEndpoint aws) throws Exception {
        try (CloudFormationClient cfn = CloudFormationClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials(aws))
                .build()) {
            cfn.createStack(r -> r.stackName("echo-blue")
                    .templateBody(TEMPLATE)
                    .parameters(
                            p -> p.parameterKey("AdminPassword").parameterValue("s3cret"),
                            p -> p.parameterKey("Version").parameterValue("1"),
                            p -> p.parameterKey("DBAllocatedStorage").parameterValue("50")));
            boolean masks = cfn.describeStacks(r -> r.stackName("echo-blue")).stacks().get(0).parameters().stream()
                    .anyMatch(p -> p.parameterKey().equals("AdminPassword")
                            && p.parameterValue().equals("****"));
            Assumptions.assumeTrue(
                    masks,
                    "moto 5.2.5 does not mask NoEcho parameters (DescribeStacks returns the value): the refusal of one "
                            + "carried over is tested on the simulated cloud (AccountCheckTest)");
            Path plan = dir.resolve("plan.yaml");
            Files.writeString(plan, """
                    id: echo-it
                    environment: {name: echo-prod, stack: echo-blue}
                    steps:
                      - {kind: update-stack, id: update, stack: echo-blue, parameters: {Version: "2"}}
                    """);
            String[] noEcho = run(
                    args(plan, new String[] {"--endpoint-url", aws.endpoint().toString()}));
            assertThat(noEcho[0]).isEqualTo("2");
            assertThat(noEcho[2]).contains("parameter AdminPassword of stack echo-blue is NoEcho");
        }
    }

    private static StaticCredentialsProvider credentials(EmulatorEndpoint aws) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()));
    }

    private static String[] args(Path plan, String[] common) {
        String[] out = new String[3 + common.length];
        out[0] = "plan";
        out[1] = plan.toString();
        out[2] = "--check";
        System.arraycopy(common, 0, out, 3, common.length);
        return out;
    }
}
