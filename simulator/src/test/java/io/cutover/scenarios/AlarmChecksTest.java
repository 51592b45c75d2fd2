package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.InvalidPlanException;
import io.cutover.engine.CutoverRun;
import io.cutover.event.CutoverEvent;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec.Check;
import io.cutover.simulator.CloudSimulation;
import io.cutover.spi.AlarmProvider.AlarmState;
import io.cutover.spi.FailureKind;
import io.cutover.state.RunStatus;
import io.cutover.state.StepStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A CloudWatch alarm as a check: green is not healthy while the alarm is in ALARM. In the bake, an alarm going
 * off moves users back to blue as a failing HTTP check does; in a verification, it holds the switch back.
 */
class AlarmChecksTest {
    static final String ALARM = "shop-green-5xx";

    final Fixture f = new Fixture();

    Plan plan(String id) {
        return f.upgrade(id).check(Check.Alarm.of(ALARM)).build();
    }

    @Test
    void anAlarmGoingOffDuringTheBakeMovesUsersBackToBlue() {
        f.cloud.alarm(ALARM, AlarmState.OK);
        CutoverRun run = f.engine().start(plan("alarm-bake"));
        f.runUntil(() -> run.state().step(StepId.of("bake")).status() == StepStatus.RUNNING);
        assertThat(f.cloud.stackBehind(CloudSimulation.HOST)).contains("shop-green");
        // Twenty minutes into the hour of baking, green's error rate trips the alarm.
        f.cloud.faults().alarmFires(ALARM, f.sim.scheduler().now().plus(Duration.ofMinutes(20)), Duration.ofHours(2));
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(f.cloud.stackBehind(CloudSimulation.HOST)).contains("shop-blue");
        assertThat(f.cloud.stack("shop-blue")).isPresent();
        assertThat(f.events)
                .filteredOn(e -> e instanceof CutoverEvent.StepFailed)
                .map(CutoverEvent::describe)
                .containsExactly("bake FAILED: bake check failed: alarm 'shop-green-5xx' is in ALARM");
        assertThat(f.events)
                .filteredOn(e -> e instanceof CutoverEvent.RollbackStarted)
                .singleElement()
                .satisfies(e -> assertThat(((CutoverEvent.RollbackStarted) e).afterSwitch())
                        .isTrue());
    }

    @Test
    void anAlarmWithoutDataYetSaysNothingAgainstGreenAndTheCutoverCompletes() {
        f.cloud.alarm(ALARM, AlarmState.INSUFFICIENT_DATA);
        CutoverRun run = f.runToEnd(plan("alarm-nodata"));

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(f.cloud.stackBehind(CloudSimulation.HOST)).contains("shop-green");
        assertThat(f.cloud.calls()).containsKey("DescribeAlarms");
    }

    @Test
    void anAlarmInAlarmHoldsTheSwitchBackUntilTheVerificationGivesUpAndBlueIsUntouched() {
        f.cloud.alarm(ALARM, AlarmState.ALARM);
        CutoverRun run = f.runToEnd(plan("alarm-verify"));

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(f.cloud.stackBehind(CloudSimulation.HOST)).contains("shop-blue");
        // DNS never named green (the TTL was lowered and put back on blue's record).
        assertThat(f.cloud.dnsChanges())
                .allSatisfy(c -> assertThat(c.record().values()).containsExactly("shop-blue.app.example.com"));
        assertThat(f.events)
                .filteredOn(e -> e instanceof CutoverEvent.StepFailed)
                .map(CutoverEvent::describe)
                .singleElement()
                .asString()
                .startsWith("verify-rehearsal FAILED")
                .contains("alarm 'shop-green-5xx' is in ALARM");
    }

    @Test
    void cloudWatchNotAnsweringForAWhileIsRepeatedNotTakenForAnAlarm() {
        f.cloud.alarm(ALARM, AlarmState.OK);
        CutoverRun run = f.engine().start(plan("alarm-throttled"));
        f.runUntil(() -> run.state().step(StepId.of("bake")).status() == StepStatus.RUNNING);
        f.cloud.faults().failNext("DescribeAlarms", FailureKind.THROTTLING, 3);
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(f.cloud.faults().injected()).isGreaterThanOrEqualTo(3);
        assertThat(f.cloud.stackBehind(CloudSimulation.HOST)).contains("shop-green");
    }

    @Test
    void anAlarmThatDoesNotExistIsRefusedBeforeAnythingChanges() {
        f.cloud.alarm("shop-green-5xx-typo", AlarmState.OK);
        int seeded = f.cloud.creations().size();
        assertThatThrownBy(() -> f.engine().start(plan("alarm-missing")))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("alarm 'shop-green-5xx' does not exist in CloudWatch");
        assertThat(f.cloud.creations()).hasSize(seeded);
    }
}
