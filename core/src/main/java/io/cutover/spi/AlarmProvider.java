package io.cutover.spi;

import java.util.Collection;
import java.util.Map;

/** Reads the state of CloudWatch alarms (metric and composite), for alarm checks. */
public interface AlarmProvider {
    /** What CloudWatch says of an alarm. */
    enum AlarmState {
        OK,
        ALARM,
        INSUFFICIENT_DATA
    }

    /**
     * The state of each alarm of {@code names} that exists, by name; an alarm that does not exist is absent from
     * the answer. One call (DescribeAlarms) for up to 100 names.
     */
    Map<String, AlarmState> states(Collection<String> names);
}
