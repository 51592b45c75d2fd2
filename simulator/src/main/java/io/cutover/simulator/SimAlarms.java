package io.cutover.simulator;

import io.cutover.spi.AlarmProvider;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CloudWatch alarms, simulated: each has the state a test set ({@link SimulatedCloud#alarm}), unless a fault has
 * it in ALARM for a while ({@link Faults#alarmFires}).
 */
final class SimAlarms implements AlarmProvider {
    private final SimWorld world;
    private final Map<String, AlarmState> alarms = new LinkedHashMap<>();

    SimAlarms(SimWorld world) {
        this.world = world;
    }

    void set(String name, AlarmState state) {
        alarms.put(name, state);
    }

    @Override
    public Map<String, AlarmState> states(Collection<String> names) {
        synchronized (world) {
            world.count("DescribeAlarms");
            FailureKind fault = world.faults.callFault("DescribeAlarms");
            if (fault != null) {
                throw ProviderException.of(
                        fault,
                        "DescribeAlarms",
                        "injected fault (" + fault.name().toLowerCase() + ")");
            }
            if (names.size() > 100) {
                throw ProviderException.of(
                        FailureKind.PERMANENT, "DescribeAlarms", "AlarmNames has more than 100 members");
            }
            Map<String, AlarmState> out = new LinkedHashMap<>();
            for (String n : names) {
                AlarmState s = alarms.get(n);
                if (s != null) {
                    out.put(n, world.faults.alarmFiring(n, world.now()) ? AlarmState.ALARM : s);
                }
            }
            return out;
        }
    }
}
