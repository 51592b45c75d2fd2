package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.spi.AlarmProvider;
import io.cutover.spi.AlarmProvider.AlarmState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * Alarm states through CloudWatch's DescribeAlarms, on the emulator: alarms are created and put in each state
 * through the SDK's CloudWatch client, and the adapter must read every state and leave out a name with no alarm.
 *
 * <p>On moto this runs through a protocol bridge, and says so. The SDK's CloudWatch client (2.57.8) speaks only
 * Smithy RPC v2 CBOR ({@code POST /service/GraniteServiceVersion20100801/operation/<Operation>}); moto 5.2.5, the
 * newest release on PyPI when this was checked (2026-12-03), answers CloudWatch in awsQuery and JSON 1.0 only
 * (getmoto/moto#9253; HTTP 404 on the CBOR path, and its maintainers plan no CBOR support, getmoto/moto#9195). So on
 * moto the client's HTTP client is {@link RpcV2CborToJsonBridge}, which re-encodes each CBOR request as the same
 * operation in JSON 1.0 and moto's JSON answer as CBOR. What this proves there is the adapter against moto's
 * CloudWatch semantics (names, states, missing alarms); the wire format itself (the CBOR request, the reading of a
 * CBOR answer, errors) is proven by {@code CloudWatchAlarmsWireTest} on the SDK's real client. On LocalStack, which
 * speaks the CBOR protocol, the client is the plain one and no bridge is involved.
 */
@AwsEmulator
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudWatchAlarmsIT {
    static final String NO_COMPOSITE_ON_MOTO = "moto 5.2.5 has no PutCompositeAlarm (it answers HTTP 500), and its"
            + " PutMetricAlarm drops AlarmRule; the reading of composite alarms is proven by CloudWatchAlarmsWireTest"
            + " and on the simulated cloud";

    CloudWatchClient cloudWatch;
    AlarmProvider alarms;
    EmulatorEndpoint aws;

    @BeforeAll
    void setUp(EmulatorEndpoint aws) {
        this.aws = aws;
        cloudWatch = Emulated.cloudWatch(aws);
        alarms = new CloudWatchAlarms(cloudWatch);
    }

    @AfterAll
    void close() {
        cloudWatch.close();
    }

    @Test
    void eachAlarmIsReadInItsStateAndOneThatDoesNotExistIsAbsent() {
        putAlarm("shop-green-5xx", StateValue.ALARM);
        putAlarm("shop-green-latency", StateValue.OK);
        putAlarm("shop-green-cpu", StateValue.INSUFFICIENT_DATA);

        Map<String, AlarmState> states =
                alarms.states(List.of("shop-green-5xx", "shop-green-latency", "shop-green-cpu", "no-such-alarm"));

        assertThat(states)
                .containsOnly(
                        Map.entry("shop-green-5xx", AlarmState.ALARM),
                        Map.entry("shop-green-latency", AlarmState.OK),
                        Map.entry("shop-green-cpu", AlarmState.INSUFFICIENT_DATA));
    }

    @Test
    void anAlarmThatChangesStateIsReadInItsNewState() {
        putAlarm("shop-blue-5xx", StateValue.ALARM);
        assertThat(alarms.states(List.of("shop-blue-5xx"))).containsOnly(Map.entry("shop-blue-5xx", AlarmState.ALARM));

        cloudWatch.setAlarmState(
                r -> r.alarmName("shop-blue-5xx").stateValue(StateValue.OK).stateReason("recovered"));

        assertThat(alarms.states(List.of("shop-blue-5xx"))).containsOnly(Map.entry("shop-blue-5xx", AlarmState.OK));
    }

    @Test
    void aCompositeAlarmIsReadInItsState() {
        putAlarm("shop-green-errors", StateValue.ALARM);
        try {
            cloudWatch.putCompositeAlarm(
                    r -> r.alarmName("shop-green-health").alarmRule("ALARM(\"shop-green-errors\")"));
        } catch (SdkServiceException e) {
            // moto answers PutCompositeAlarm with an HTML 500 page; anything else is a failure of this test.
            if (!aws.isMoto() || e.statusCode() != 500) {
                throw e;
            }
            Assumptions.abort(NO_COMPOSITE_ON_MOTO + " (" + e.getMessage() + ")");
        }
        cloudWatch.setAlarmState(r ->
                r.alarmName("shop-green-health").stateValue(StateValue.ALARM).stateReason("test"));

        assertThat(alarms.states(List.of("shop-green-health", "shop-green-errors")))
                .containsOnly(
                        Map.entry("shop-green-health", AlarmState.ALARM),
                        Map.entry("shop-green-errors", AlarmState.ALARM));
    }

    private void putAlarm(String name, StateValue state) {
        cloudWatch.putMetricAlarm(r -> r.alarmName(name)
                .namespace("AWS/ApplicationELB")
                .metricName("HTTPCode_Target_5XX_Count")
                .statistic(Statistic.SUM)
                .period(60)
                .evaluationPeriods(1)
                .threshold(10.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
        cloudWatch.setAlarmState(r -> r.alarmName(name).stateValue(state).stateReason("test"));
    }
}
