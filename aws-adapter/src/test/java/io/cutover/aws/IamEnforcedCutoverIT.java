package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.IamPolicy;
import io.cutover.engine.PollPolicy;
import io.cutover.engine.SystemScheduler;
import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.state.InMemoryStateStore;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.step.Grant;
import io.cutover.step.Hooks;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * A user who holds exactly the policy {@code cutover plan} prints runs the cutover to the end, on moto with its
 * IAM enforcement on; the same user without any one of its actions is refused at the call that needs it (or,
 * for an action only an undo needs, still completes: those are named below).
 *
 * <p>What moto enforces (measured with moto 5.2.5, {@code POST /moto-api/reset-auth}): the action of every
 * call, against the user's policies. It evaluates every call against the resource {@code *}, so a statement
 * with an ARN pattern never matches (a scoped policy is refused outright), and it ignores conditions it cannot
 * evaluate ({@code aws:ResourceTag/...}). So this test grants each of the policy's statements on {@code *}
 * without its conditions: it proves the action set, and {@code IamPolicyNamesTest} checks every ARN pattern
 * against the names a run really used. Route 53 refuses every signed call while enforcement is on, even under
 * {@code "Action": "*"}, so the plan here moves an Elastic IP instead of DNS (the DNS statements are checked by name instead).
 */
@AwsEmulator
class IamEnforcedCutoverIT {
    /** Actions only the plan's undo (or the explanation of a failed stack) needs: a run that succeeds never calls them. */
    static final Set<String> ONLY_FOR_UNDO = Set.of(
            "rds:DeleteDBSnapshot", "ec2:DeleteSnapshot", "rds:DeleteDBInstance", "cloudformation:DescribeStackEvents");

    /**
     * Actions AWS authorizes as dependent actions of a call that tags what it creates (CreateDBSnapshot and
     * RestoreDBInstanceFromDBSnapshot with Tags need rds:AddTagsToResource; CreateSnapshot with
     * TagSpecifications needs ec2:CreateTags), which moto does not check.
     */
    static final Set<String> DEPENDENT_ACTIONS_MOTO_SKIPS = Set.of("rds:AddTagsToResource", "ec2:CreateTags");

    /**
     * Actions granted only through CloudFormation ({@code aws:CalledVia}): CloudFormation's own calls for the
     * template's resources, which moto makes without checking the caller's policy.
     */
    static Set<String> onlyThroughCloudFormation(IamPolicy policy) {
        Set<String> via = new java.util.TreeSet<>();
        Set<String> direct = new java.util.TreeSet<>();
        for (Grant g : policy.grants()) {
            boolean calledVia = g.conditions().stream().anyMatch(c -> c.key().equals("aws:CalledVia"));
            (calledVia ? via : direct).addAll(g.actions());
        }
        via.removeAll(direct);
        return via;
    }

    private static String template(String name) {
        try (InputStream in = IamEnforcedCutoverIT.class.getResourceAsStream("/templates/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The plan, given blue's database and volume ids (which moto names at random). */
    static Plan plan(String blueDb, String blueVolume, String address) {
        Environment env = Environment.of("iam-prod", "iam-blue")
                .withDatabase(Environment.Database.instance(blueDb))
                .withVolume(blueVolume)
                .withAddress(address);
        return Plan.of(
                "iam-1",
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
                                "iam-green",
                                StepSpec.TemplateRef.ofBody(template("green-server.json")),
                                Map.of("AppVersion", "2.0", "DatabaseEndpoint", "${restore-db.endpoint}"),
                                true,
                                Map.of(),
                                List.of()),
                        new StepSpec.Verify(
                                StepId.of("verify"),
                                List.of(StepId.of("clone")),
                                List.of(new StepSpec.Check.Custom("green-stack-answers")),
                                Duration.ofSeconds(30),
                                Duration.ofMillis(200)),
                        new StepSpec.MoveAddress(
                                StepId.of("move-ip"),
                                List.of(StepId.of("verify")),
                                Optional.empty(),
                                "${green.outputs.InstanceId}"),
                        new StepSpec.Bake(
                                StepId.of("bake"),
                                List.of(StepId.of("move-ip")),
                                Duration.ofMillis(200),
                                List.of(),
                                Duration.ofMillis(100)),
                        new StepSpec.Decommission(StepId.of("decommission"), List.of(StepId.of("bake")), List.of())));
    }

    static Stream<String> actions() {
        return IamPolicy.of(plan("db", "vol-0123456789abcdef0", "eipalloc-0123456789abcdef0")).actions().stream();
    }

    @Test
    void aUserWithExactlyThePolicyRunsTheCutoverToTheEnd(EmulatorEndpoint aws) {
        assumeThat(aws.isMoto()).as("IAM enforcement is moto's").isTrue();
        Outcome o = runWithout(aws, Optional.empty());
        assertThat(o.completed()).as(o.describe()).isTrue();
    }

    @ParameterizedTest(name = "without {0}")
    @MethodSource("actions")
    void withoutOneActionTheUserIsRefusedAtTheCallThatNeedsIt(String action, EmulatorEndpoint aws) {
        assumeThat(aws.isMoto()).as("IAM enforcement is moto's").isTrue();
        Outcome o = runWithout(aws, Optional.of(action));
        IamPolicy policy = IamPolicy.of(plan("db", "vol-0123456789abcdef0", "eipalloc-0123456789abcdef0"));
        if (ONLY_FOR_UNDO.contains(action)
                || DEPENDENT_ACTIONS_MOTO_SKIPS.contains(action)
                || onlyThroughCloudFormation(policy).contains(action)) {
            // Not called (or not checked by moto) on the way to the end: the run still completes.
            assertThat(o.completed()).as(o.describe()).isTrue();
            return;
        }
        assertThat(o.completed()).as(o.describe()).isFalse();
        assertThat(o.describe()).as("the refusal names the action").contains(action.substring(action.indexOf(':') + 1));
    }

    /** How the run ended ({@code refused} when the preflight refused before any change), and why. */
    record Outcome(Optional<RunStatus> status, String describe) {
        boolean completed() {
            return status.equals(Optional.of(RunStatus.COMPLETED));
        }
    }

    private static Outcome runWithout(EmulatorEndpoint aws, Optional<String> removed) {
        aws.reset();
        AwsClients admin = Emulated.clients(aws);
        var cfn = admin.cloudFormation();
        cfn.createStack(r -> r.stackName("iam-blue").templateBody(template("blue.json")));
        var outputs =
                cfn.describeStacks(r -> r.stackName("iam-blue")).stacks().get(0).outputs();
        String blueDb = output(outputs, "DatabaseId");
        String blueVolume = output(outputs, "DataVolumeId");
        String address = admin.ec2().allocateAddress(r -> r.domain("vpc")).allocationId();
        Plan plan = plan(blueDb, blueVolume, address);

        // The user holds the generated policy's statements (on *, see the class comment), less one action.
        List<String> statements = new ArrayList<>();
        for (Grant g : IamPolicy.of(plan).grants()) {
            List<String> actions = g.actions().stream()
                    .filter(a -> removed.map(r -> !r.equals(a)).orElse(true))
                    .toList();
            if (!actions.isEmpty()) {
                statements.add("{\"Effect\":\"Allow\",\"Action\":[\"" + String.join("\",\"", actions)
                        + "\"],\"Resource\":\"*\"}");
            }
        }
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
        StaticCredentialsProvider adminKey =
                StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()));
        String keyId;
        String secret;
        try (IamClient iam = IamClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(adminKey)
                .build()) {
            iam.createUser(r -> r.userName("cutover"));
            iam.putUserPolicy(r -> r.userName("cutover").policyName("cutover").policyDocument(policy));
            var key = iam.createAccessKey(r -> r.userName("cutover")).accessKey();
            keyId = key.accessKeyId();
            secret = key.secretAccessKey();
        }
        AwsClients user = AwsClients.builder()
                .endpointOverride(aws.endpoint())
                .region(aws.region())
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)))
                .build();
        Hooks hooks = Hooks.builder()
                .check(
                        "green-stack-answers",
                        ctx -> ctx.cloud()
                                        .stacks()
                                        .describe(ctx.resolve("${green.stack}"))
                                        .outputs()
                                        .containsKey("Endpoint")
                                ? Hooks.CheckResult.healthy()
                                : Hooks.CheckResult.unhealthy("green has no Endpoint output"))
                .build();
        PollPolicy quick = new PollPolicy(
                Map.of(),
                Duration.ofMillis(100),
                Duration.ofMillis(300),
                0.02,
                Duration.ofMillis(100),
                Duration.ofMillis(300));
        enforce(aws, true);
        try (SystemScheduler scheduler = SystemScheduler.of(2)) {
            Engine engine = Engine.builder()
                    .cloud(Emulated.cloud(user))
                    .stateStore(new InMemoryStateStore())
                    .scheduler(scheduler)
                    .hooks(hooks)
                    .pollPolicy(quick)
                    .build();
            try {
                CutoverRun run = engine.start(plan);
                RunState end = run.awaitSettled(Duration.ofMinutes(1));
                return new Outcome(
                        Optional.of(end.status()),
                        end.status() + " " + end.failure() + " " + end.report() + " " + end.steps());
            } catch (RuntimeException refused) {
                // The preflight's reads refused before anything changed.
                return new Outcome(Optional.empty(), "refused before any change: " + refused.getMessage());
            }
        } finally {
            enforce(aws, false);
            user.close();
            admin.close();
        }
    }

    /** Turns moto's IAM enforcement on (every later call is checked) or off. */
    private static void enforce(EmulatorEndpoint aws, boolean on) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(aws.endpoint() + "/moto-api/reset-auth"))
                                    .header("Content-Type", "text/plain")
                                    .POST(HttpRequest.BodyPublishers.ofString(on ? "0" : "inf"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
