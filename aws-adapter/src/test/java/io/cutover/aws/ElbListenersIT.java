package io.cutover.aws;

import static io.cutover.aws.RdsInstancesIT.assertKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.SystemScheduler;
import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Steps;
import io.cutover.spi.FailureKind;
import io.cutover.spi.LoadBalancerProvider;
import io.cutover.spi.LoadBalancerProvider.Forward;
import io.cutover.state.InMemoryStateStore;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.step.Hooks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;

/** The ELBv2 adapter on moto, which implements listeners, rules and weighted forwards (ForwardConfig). */
@AwsEmulator
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ElbListenersIT {
    AwsClients clients;
    ElasticLoadBalancingV2Client elb;
    AwsCloud cloud;
    LoadBalancerProvider lb;
    String vpc;
    String loadBalancer;
    String blue;
    String green;

    @BeforeAll
    void setUp(EmulatorEndpoint aws) {
        clients = Emulated.clients(aws);
        elb = aws.configure(ElasticLoadBalancingV2Client.builder()).build();
        cloud = AwsCloud.builder().clients(clients).elasticLoadBalancing(elb).build();
        lb = cloud.loadBalancers();
        Ec2Client ec2 = clients.ec2();
        vpc = ec2.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
        String a = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.1.1.0/24").availabilityZone(aws.region() + "a"))
                .subnet()
                .subnetId();
        String b = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.1.2.0/24").availabilityZone(aws.region() + "b"))
                .subnet()
                .subnetId();
        loadBalancer = elb.createLoadBalancer(r -> r.name("shop").subnets(a, b))
                .loadBalancers()
                .get(0)
                .loadBalancerArn();
        blue = targetGroup("shop-blue");
        green = targetGroup("shop-green");
    }

    @AfterAll
    void close() {
        elb.close();
        clients.close();
    }

    String targetGroup(String name) {
        return elb.createTargetGroup(r -> r.name(name).protocol("HTTP").port(80).vpcId(vpc))
                .targetGroups()
                .get(0)
                .targetGroupArn();
    }

    String listener(int port) {
        return elb.createListener(r -> r.loadBalancerArn(loadBalancer)
                        .protocol("HTTP")
                        .port(port)
                        .defaultActions(x -> x.type(ActionTypeEnum.FORWARD).targetGroupArn(blue)))
                .listeners()
                .get(0)
                .listenerArn();
    }

    @Test
    void aListenerForwardingToOneTargetGroupIsReadAsAllTrafficToIt() {
        assertThat(lb.forwardOf(listener(8081)))
                .hasValueSatisfying(
                        f -> assertThat(f.sameTrafficAs(Forward.to(blue))).isTrue());
    }

    @Test
    void weightsWrittenAreReadBackAndTheWholeSwitchLeavesGreenAlone() {
        String l = listener(8082);
        lb.forward(l, new Forward(Map.of(blue, 90, green, 10)));
        assertThat(lb.forwardOf(l)).contains(new Forward(Map.of(blue, 90, green, 10)));

        lb.forward(l, Forward.to(green));
        assertThat(lb.forwardOf(l))
                .hasValueSatisfying(f -> assertThat(f.carrying()).containsOnlyKeys(green));
    }

    @Test
    void aRuleIsSwitchedThroughItsOwnActions() {
        String l = listener(8083);
        String rule = elb.createRule(r -> r.listenerArn(l)
                        .priority(10)
                        .conditions(c -> c.field("path-pattern").values("/shop/*"))
                        .actions(x -> x.type(ActionTypeEnum.FORWARD).targetGroupArn(blue)))
                .rules()
                .get(0)
                .ruleArn();

        lb.forward(rule, Forward.to(green));

        assertThat(lb.forwardOf(rule))
                .hasValueSatisfying(f -> assertThat(f.carrying()).containsOnlyKeys(green));
        assertThat(lb.forwardOf(l))
                .hasValueSatisfying(
                        f -> assertThat(f.sameTrafficAs(Forward.to(blue))).isTrue());
    }

    @Test
    void aMissingListenerIsNotFound() {
        String missing = listener(8084).replaceAll("/[0-9a-f]+$", "/0123456789abcdef");
        assertKind(FailureKind.NOT_FOUND, () -> lb.forwardOf(missing));
    }

    @Test
    void theStepSwitchesTheListenerAndItsRollbackForwardsToBlueAgain() {
        String l = listener(8085);
        clients.cloudFormation()
                .createStack(r -> r.stackName("shop-blue")
                        .templateBody("{\"Resources\": {\"Nothing\": {\"Type\":"
                                + " \"AWS::CloudFormation::WaitConditionHandle\"}}}"));
        Plan plan = Plan.of(
                "lb-1",
                Environment.of("shop", "shop-blue"),
                List.of(
                        Steps.verify("verify")
                                .check(new StepSpec.Check.Custom("ok"))
                                .build(),
                        Steps.switchTargetGroup("switch")
                                .dependsOn("verify")
                                .listener(l)
                                .targetGroup(green)
                                .weights(50, 100)
                                .stageInterval(Duration.ofSeconds(1))
                                .build(),
                        Steps.approval("look").dependsOn("switch").build()));
        Hooks hooks =
                Hooks.builder().check("ok", ctx -> Hooks.CheckResult.healthy()).build();
        try (SystemScheduler scheduler = SystemScheduler.of(2)) {
            Engine engine = Engine.builder()
                    .cloud(cloud)
                    .stateStore(new InMemoryStateStore())
                    .scheduler(scheduler)
                    .hooks(hooks)
                    .pollPolicy(io.cutover.engine.PollPolicy.ofEmulator())
                    .build();
            CutoverRun run = engine.start(plan);
            RunState waiting = run.awaitSettled(Duration.ofMinutes(1));
            assertThat(waiting.step(StepId.of("switch")).status())
                    .as("%s", waiting.steps())
                    .isEqualTo(io.cutover.state.StepStatus.SUCCEEDED);
            assertThat(lb.forwardOf(l))
                    .hasValueSatisfying(f -> assertThat(f.carrying()).containsOnlyKeys(green));

            run.rollback();
            RunState end = run.awaitSettled(Duration.ofMinutes(1));

            assertThat(end.status()).as("%s", end.steps()).isEqualTo(RunStatus.ROLLED_BACK);
            assertThat(lb.forwardOf(l))
                    .hasValueSatisfying(
                            f -> assertThat(f.sameTrafficAs(Forward.to(blue))).isTrue());
        }
    }
}
