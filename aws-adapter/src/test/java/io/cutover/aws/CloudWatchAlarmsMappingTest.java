package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.spi.AlarmProvider.AlarmState;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.CompositeAlarm;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsRequest;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * DescribeAlarms as the adapter reads it, on canned answers: metric and composite alarms by name, every page, the
 * states mapped (moto, in {@code CloudWatchAlarmsIT}, has no composite alarms and answers in one page).
 */
class CloudWatchAlarmsMappingTest {
    final List<DescribeAlarmsRequest> requests = new ArrayList<>();

    CloudWatchClient answering(List<DescribeAlarmsResponse> pages) {
        return new CloudWatchClient() {
            @Override
            public DescribeAlarmsResponse describeAlarms(DescribeAlarmsRequest r) {
                requests.add(r);
                return pages.get(requests.size() - 1);
            }

            @Override
            public String serviceName() {
                return "cloudwatch";
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void metricAndCompositeAlarmsOnEveryPageAreReadByNameAndAMissingOneIsAbsent() {
        var alarms = new CloudWatchAlarms(answering(List.of(
                DescribeAlarmsResponse.builder()
                        .metricAlarms(MetricAlarm.builder()
                                .alarmName("green-5xx")
                                .stateValue(StateValue.ALARM)
                                .build())
                        .nextToken("page-2")
                        .build(),
                DescribeAlarmsResponse.builder()
                        .compositeAlarms(CompositeAlarm.builder()
                                .alarmName("green-health")
                                .stateValue(StateValue.INSUFFICIENT_DATA)
                                .build())
                        .metricAlarms(MetricAlarm.builder()
                                .alarmName("green-latency")
                                .stateValue(StateValue.OK)
                                .build())
                        .build())));

        Map<String, AlarmState> states = alarms.states(List.of("green-5xx", "green-health", "green-latency", "typo"));

        assertThat(states)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "green-5xx", AlarmState.ALARM,
                        "green-health", AlarmState.INSUFFICIENT_DATA,
                        "green-latency", AlarmState.OK));
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).alarmNames()).containsExactly("green-5xx", "green-health", "green-latency", "typo");
        assertThat(requests.get(0).alarmTypes()).containsExactly(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM);
        assertThat(requests.get(1).nextToken()).isEqualTo("page-2");
    }

    @Test
    void accessDeniedNamesTheActionToGrant() {
        CloudWatchClient denied = new CloudWatchClient() {
            @Override
            public DescribeAlarmsResponse describeAlarms(DescribeAlarmsRequest r) {
                throw (CloudWatchException) CloudWatchException.builder()
                        .statusCode(403)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("AccessDenied")
                                .errorMessage("User is not authorized to perform: cloudwatch:DescribeAlarms")
                                .build())
                        .build();
            }

            @Override
            public String serviceName() {
                return "cloudwatch";
            }

            @Override
            public void close() {}
        };

        assertThatThrownBy(() -> new CloudWatchAlarms(denied).states(List.of("green-5xx")))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.ACCESS_DENIED))
                .hasMessageContaining("cloudwatch:DescribeAlarms");
    }
}
