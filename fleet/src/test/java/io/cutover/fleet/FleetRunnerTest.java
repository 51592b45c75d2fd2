package io.cutover.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.engine.VirtualScheduler;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.state.InMemoryStateStore;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fleets of parallel upgrades on one simulated account, in virtual time, with in-process leases. */
class FleetRunnerTest {
    private final InMemoryStateStore store = new InMemoryStateStore();
    private final CloudSimulation sim =
            CloudSimulation.create(Latencies.ofDefaults(), RateLimits.ofAws(), new Faults(), store);
    private final VirtualScheduler time = sim.scheduler();
    private final LocalLeases leases = LocalLeases.on(time::now);

    private FleetRunner.FleetRun process(Fleet fleet, String owner, VirtualScheduler.Scope scope) {
        return FleetRunner.builder()
                .fleet(fleet)
                .store(store)
                .leases(leases.forOwner(owner))
                .engines(e -> SimFleet.engine(sim.cloud(), store, scope, owner).build())
                .scheduler(scope)
                .checkEvery(Duration.ofSeconds(30))
                .build()
                .start();
    }

    private RunState state(Fleet fleet, String env) {
        return store.load(fleet.environment(env).orElseThrow().runId()).orElseThrow();
    }

    @Test
    void twoProcessesSplitAFleetWaveAfterWaveAndEveryEnvironmentIsUpgradedOnce() {
        Fleet fleet = SimFleet.deploy(sim.cloud(), "shop-2-0", 12, List.of(1, 3, 8), 0, 4);
        FleetRunner.FleetRun a = process(fleet, "host-a/1", time.scope());
        FleetRunner.FleetRun b = process(fleet, "host-b/2", time.scope());

        time.runWhile(() -> !(a.finished().isDone() && b.finished().isDone()));

        FleetSummary end = a.finished().join();
        assertThat(end.count(FleetSummary.State.DONE)).isEqualTo(12);
        assertThat(a.started() + b.started()).as("cutovers started, in all").isEqualTo(12);
        assertThat(a.started()).isPositive();
        assertThat(b.started()).isPositive();
        for (FleetEnvironment e : fleet.environments()) {
            assertThat(sim.cloud().stackBehind(e.name() + ".example.com")).contains(SimFleet.green(e.name()));
            assertThat(sim.cloud().stack(e.name() + "-blue")).as("blue retired").isEmpty();
        }
        // Wave 2 began only after the canary finished, and wave 3 only after all of wave 2 had.
        Instant canaryDone = state(fleet, "customer-1").updatedAt();
        for (FleetEnvironment e : fleet.wave(1)) {
            assertThat(state(fleet, e.name()).createdAt()).isAfterOrEqualTo(canaryDone);
        }
        Instant wave2Done = fleet.wave(1).stream()
                .map(e -> state(fleet, e.name()).updatedAt())
                .max(Instant::compareTo)
                .orElseThrow();
        for (FleetEnvironment e : fleet.wave(2)) {
            assertThat(state(fleet, e.name()).createdAt()).isAfterOrEqualTo(wave2Done);
        }
    }

    @Test
    void aWaveWithTooManyFailuresStopsTheFleetAndLeavesTheRestUntouched() {
        Fleet fleet = SimFleet.deploy(sim.cloud(), "shop-2-0", 10, List.of(1, 4, 5), 1, 10);
        // two of wave 2's green stacks never become healthy: their cutovers roll back
        sim.cloud().faults().unhealthy(SimFleet.green("customer-2")).unhealthy(SimFleet.green("customer-4"));
        FleetRunner.FleetRun run = process(fleet, "host-a/1", time.scope());

        time.runWhile(() -> !run.finished().isDone());

        FleetSummary end = run.finished().join();
        assertThat(end.stopped())
                .hasValueSatisfying(s -> assertThat(s)
                        .contains("wave 2 has 2 failed or rolled-back")
                        .contains("more than the 1 allowed"));
        assertThat(end.count(FleetSummary.State.ROLLED_BACK)).isEqualTo(2);
        assertThat(end.count(FleetSummary.State.DONE)).isEqualTo(3);
        assertThat(end.count(FleetSummary.State.NOT_STARTED)).isEqualTo(5);
        for (FleetEnvironment e : fleet.wave(2)) {
            assertThat(store.load(e.runId())).as("no cutover of %s", e.name()).isEmpty();
            assertThat(store.lock(e.name())).isEmpty();
            assertThat(sim.cloud().stack(SimFleet.green(e.name()))).isEmpty();
            assertThat(sim.cloud().stackBehind(e.name() + ".example.com")).contains(e.name() + "-blue");
            assertThat(sim.cloud().stack(e.name() + "-blue").orElseThrow().parameters())
                    .containsEntry("AppVersion", "1.0");
        }
    }

    @Test
    void whenAProcessDiesTheOtherResumesItsCutoversFromTheStoredState() {
        Fleet fleet = SimFleet.deploy(sim.cloud(), "shop-2-0", 6, List.of(1, 5), 0, 3);
        VirtualScheduler.Scope doomed = time.scope();
        FleetRunner.FleetRun a = process(fleet, "host-a/1", doomed);
        FleetRunner.FleetRun b = process(fleet, "host-b/2", time.scope());
        time.runWhile(() -> a.started() < 3);
        time.runFor(Duration.ofMinutes(3));

        doomed.kill();
        leases.expire("host-a/1");
        time.runWhile(() -> !b.finished().isDone());

        assertThat(b.finished().join().count(FleetSummary.State.DONE)).isEqualTo(6);
        assertThat(b.resumed()).as("cutovers taken over from the dead process").isPositive();
        assertThat(a.started() + b.started()).isEqualTo(6);
        for (FleetEnvironment e : fleet.environments()) {
            assertThat(state(fleet, e.name()).status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(sim.cloud().stackBehind(e.name() + ".example.com")).contains(SimFleet.green(e.name()));
        }
    }
}
