package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.VirtualScheduler;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.simulator.SimulatedCloud.ForwardChange;
import io.cutover.spi.LoadBalancerProvider.Forward;
import io.cutover.state.InMemoryStateStore;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StepStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parallel upgrade behind an application load balancer: the switch moves the listener from blue's target
 * group to green's, users reach green with their next request, and the undo moves the listener back only while
 * it still forwards as the cutover left it.
 */
class LoadBalancerSwitchTest {
    static final String LISTENER =
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2";
    static final String ALB_HOST = "shop-123.us-east-1.elb.amazonaws.com";
    static final String BLUE_TG =
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-blue/0a1b2c3d4e5f6a7b";
    static final String GREEN_TG =
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-green/1a2b3c4d5e6f7a8b";

    private static Fixture behindAlb(Fixture f) {
        f.cloud
                .targetGroup(BLUE_TG, "shop-blue")
                .targetGroup(GREEN_TG, "shop-green")
                .listener(LISTENER, ALB_HOST, BLUE_TG);
        return f;
    }

    private static Plan plan(Fixture f, Integer... percents) {
        return f.upgrade("upgrade-2-0")
                .switchTargetGroup(LISTENER, GREEN_TG)
                .weighted(List.of(percents))
                .build();
    }

    @Test
    void theListenerMovesToGreensTargetGroupAndTheDowntimeEndsWithoutWaitingForDns() {
        Fixture f = behindAlb(new Fixture());
        CutoverRun run = f.runToEnd(plan(f));
        RunState end = run.state();

        assertThat(end.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(f.cloud.listenerShares(LISTENER)).isEqualTo(Map.of("shop-green", 100));
        assertThat(f.cloud.stackBehind(ALB_HOST)).contains("shop-green");
        assertThat(f.cloud.forwardChanges()).extracting(ForwardChange::forward).containsExactly(Forward.to(GREEN_TG));
        // No TTL to lower, no record touched: the load balancer is the switch.
        assertThat(end.steps()).doesNotContainKeys("lower-ttl", "switch-dns");
        assertThat(f.cloud.dnsChanges()).isEmpty();
        assertThat(end.downtimeEndedAt())
                .contains(end.step(StepId.of("switch-target-group")).endedAt().orElseThrow());
        // From the change to the downtime's end: one describe call later, not a DNS sync of 45 s and more.
        ForwardChange change = f.cloud.forwardChanges().get(0);
        assertThat(Duration.between(change.at(), end.downtimeEndedAt().orElseThrow()))
                .isLessThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(end.step(StepId.of("switch-target-group")).outputs())
                .containsEntry("targetGroup", GREEN_TG)
                .containsEntry("previousTargetGroups", BLUE_TG);
    }

    @Test
    void weightedStagesShiftUsersInStepsWithChecksBetween() {
        Fixture f = behindAlb(new Fixture());
        CutoverRun run = f.runToEnd(plan(f, 10, 50, 100));

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(f.cloud.forwardChanges())
                .extracting(ForwardChange::forward)
                .containsExactly(
                        new Forward(Map.of(BLUE_TG, 90, GREEN_TG, 10)),
                        new Forward(Map.of(BLUE_TG, 50, GREEN_TG, 50)),
                        Forward.to(GREEN_TG));
        List<ForwardChange> c = f.cloud.forwardChanges();
        assertThat(Duration.between(c.get(0).at(), c.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
        assertThat(f.cloud.listenerShares(LISTENER)).isEqualTo(Map.of("shop-green", 100));
    }

    @Test
    void greenFailsVerificationSoGreenIsRemovedAndTheListenerNeverMoved() {
        Fixture f = behindAlb(new Fixture());
        f.cloud.faults().unhealthy("shop-green");
        CutoverRun run = f.runToEnd(plan(f));

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(f.cloud.stack("shop-green")).isEmpty();
        assertThat(f.cloud.forwardChanges()).isEmpty();
        assertThat(f.cloud.listenerShares(LISTENER)).isEqualTo(Map.of("shop-blue", 100));
        assertThat(f.cloud.stackBehind(ALB_HOST)).contains("shop-blue");
    }

    @Test
    void rollbackAfterTheSwitchForwardsToBlueAgain() {
        Fixture f = behindAlb(new Fixture());
        CutoverRun run = f.engine().start(plan(f));
        f.runUntil(() -> run.state().step(StepId.of("bake")).status() == StepStatus.RUNNING);
        assertThat(f.cloud.stackBehind(ALB_HOST)).contains("shop-green");

        run.rollback();
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(f.cloud.stackBehind(ALB_HOST)).contains("shop-blue");
        assertThat(f.cloud.listenerShares(LISTENER)).isEqualTo(Map.of("shop-blue", 100));
        assertThat(run.state().step(StepId.of("switch-target-group")).status()).isEqualTo(StepStatus.COMPENSATED);
        assertThat(f.frozen).as("blue takes writes again").isFalse();
    }

    @Test
    void aFailingStageCheckMovesTheListenerBackFromAPartialShift() {
        Fixture f = behindAlb(new Fixture());
        CutoverRun run = f.engine().start(plan(f, 10, 100));
        f.runUntil(() -> !f.cloud.forwardChanges().isEmpty());
        f.cloud.faults().unhealthy("shop-green");
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(run.state().step(StepId.of("switch-target-group")).error())
                .hasValueSatisfying(r -> assertThat(r).contains("checks failed at stage 1/2"));
        assertThat(f.cloud.listenerShares(LISTENER)).isEqualTo(Map.of("shop-blue", 100));
    }

    @Test
    void aListenerSomeoneChangedAfterTheSwitchIsLeftAsItIsAndTheRollbackSaysSo() {
        Fixture f = behindAlb(new Fixture());
        String other = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/maint/2a2b3c4d5e6f7a8b";
        f.cloud.targetGroup(other, "shop-green");
        CutoverRun run = f.engine().start(plan(f));
        f.runUntil(() -> run.state().step(StepId.of("bake")).status() == StepStatus.RUNNING);
        f.cloud.loadBalancers().forward(LISTENER, Forward.to(other));

        run.rollback();
        f.sim.runUntilSettled(run);

        assertThat(f.cloud.forwardChanges())
                .last()
                .extracting(ForwardChange::forward)
                .isEqualTo(Forward.to(other));
        assertThat(run.state().step(StepId.of("switch-target-group")).error().orElse("")
                        + String.join("\n", run.state().reportLines()))
                .contains("someone changed it since the switch");
    }

    @Test
    void aSwitchWhoseAnswerWasLostIsNotMadeTwiceWhenAnotherProcessResumes() {
        Faults faults = new Faults().loseAnswers("ModifyListener", 1);
        Fixture f = behindAlb(new Fixture(
                CloudSimulation.create(Latencies.ofDefaults(), RateLimits.ofAws(), faults, new InMemoryStateStore())));
        VirtualScheduler.Scope first = f.sim.scheduler().scope();
        CutoverRun dying = Engine.builder()
                .cloud(f.cloud)
                .stateStore(f.sim.store())
                .scheduler(first)
                .hooks(f.hooks)
                .build()
                .start(plan(f));
        f.runUntil(() -> !f.cloud.forwardChanges().isEmpty());
        first.kill();
        assertThat(dying.state().step(StepId.of("switch-target-group")).memo()).doesNotContainKey("set");
        CutoverRun run = Engine.builder()
                .cloud(f.cloud)
                .stateStore(f.sim.store())
                .scheduler(f.sim.scheduler().scope())
                .hooks(f.hooks)
                .build()
                .resume("upgrade-2-0");
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(f.cloud.forwardChanges()).hasSize(1);
        assertThat(f.cloud.listenerShares(LISTENER)).isEqualTo(Map.of("shop-green", 100));
    }
}
