package io.cutover.tck;

import io.cutover.engine.VirtualScheduler;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.simulator.SimulatedCloud;
import io.cutover.spi.CloudProvider;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;

/** The simulated cloud keeps the provider contract, in virtual time. */
class SimulatedCloudContractTest extends ProviderContract {
    private VirtualScheduler time;
    private SimulatedCloud cloud;

    @BeforeEach
    void newCloud() {
        time = VirtualScheduler.ofDefaults();
        cloud = SimulatedCloud.of(time::now, Latencies.ofDefaults(), RateLimits.unlimited(), new Faults());
    }

    @Override
    protected CloudProvider cloud() {
        return cloud;
    }

    @Override
    protected void awaitUntil(String what, BooleanSupplier condition) {
        for (int i = 0; i < 24 * 60; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            time.runFor(Duration.ofMinutes(1));
        }
        throw new AssertionError(what + ": not within a day of simulated time");
    }

    @Override
    protected String createZone(String name) {
        String id = "Z" + Integer.toHexString(name.hashCode()).toUpperCase();
        cloud.zone(id, name);
        return id;
    }

    @Override
    protected void makeDeletesFail(String stackName) {
        cloud.faults().deleteFails(stackName);
    }

    @Override
    protected void putAlarm(String name, io.cutover.spi.AlarmProvider.AlarmState state) {
        cloud.alarm(name, state);
    }

    @Override
    protected void createAuroraCluster(String id) {
        cloud.addDatabase(io.cutover.plan.Environment.Database.Kind.CLUSTER, id, null);
    }

    @Override
    protected long writeTo(String volumeId) {
        return cloud.volumeModel().write(volumeId, 1);
    }

    @Override
    protected long contentOf(String volumeId) {
        return cloud.volumeModel().volume(volumeId).orElseThrow().dataVersion();
    }

    @Override
    protected String allocateAddress() {
        return cloud.allocateAddress(null);
    }
}
