package io.cutover.aws;

import io.cutover.spi.AlarmProvider;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/** Alarm states over CloudWatch's DescribeAlarms: metric and composite alarms, by name, one call per 100 names. */
final class CloudWatchAlarms implements AlarmProvider {
    private final CloudWatchClient cloudWatch;

    CloudWatchAlarms(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    @Override
    public Map<String, AlarmState> states(Collection<String> names) {
        if (names.size() > 100) {
            throw ProviderException.of(FailureKind.PERMANENT, "DescribeAlarms", "at most 100 alarm names per call");
        }
        Map<String, AlarmState> out = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        String token = null;
        try {
            do {
                String next = token;
                DescribeAlarmsResponse r = cloudWatch.describeAlarms(b -> b.alarmNames(List.copyOf(names))
                        .alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM)
                        .nextToken(next));
                r.metricAlarms().forEach(a -> out.put(a.alarmName(), state(a.stateValue())));
                r.compositeAlarms().forEach(a -> out.put(a.alarmName(), state(a.stateValue())));
                token = r.nextToken();
            } while (token != null && !token.isEmpty());
        } catch (SdkException e) {
            throw AwsFailures.naming(
                    AwsFailures.classify("cloudwatch", "DescribeAlarms", e), Optional.of("alarms " + names));
        }
        return out;
    }

    static AlarmState state(StateValue v) {
        if (v == StateValue.ALARM) {
            return AlarmState.ALARM;
        }
        // UNKNOWN_TO_SDK_VERSION (a state newer than this SDK) counts as no data, like INSUFFICIENT_DATA.
        return v == StateValue.OK ? AlarmState.OK : AlarmState.INSUFFICIENT_DATA;
    }
}
