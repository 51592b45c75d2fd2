package io.cutover.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.engine.DurationEstimates;
import io.cutover.engine.VirtualScheduler;
import io.cutover.event.CutoverEvent;
import io.cutover.plan.StepId;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.state.InMemoryStateStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A fleet whose engines share one {@link DurationEstimates} (as {@code cutover fleet run} gives the engines of an
 * account and region): what the canary wave's operations took sets when the later waves look again. In an account
 * whose stacks take an hour to create, where the engine expects 20 minutes, the later waves find their stacks done
 * sooner after they are than the canary did, still within the SDK waiter's budget of calls; engines that learn
 * alone find them exactly as late as the canary.
 */
class FleetLearningTest {
    /** The account's stacks take an hour to create, where the engine expects 20 minutes; the rest as modelled. */
    private static Latencies slowStacks() {
        Latencies d = Latencies.ofDefaults();
        return new Latencies(
                d.databaseSnapshot(),
                d.volumeSnapshot(),
                d.databaseRestore(),
                d.databaseDelete(),
                Duration.ofHours(1),
                d.stackUpdate(),
                d.stackDelete(),
                d.changeSet(),
                d.dnsSync(),
                d.volumeCreate(),
                d.healthCheck(),
                d.commandRun(),
                d.volumeSnapshotPerChangedGiB(),
                d.blueGreenSwitchover(),
                d.volumeCopy());
    }

    /** Green's stack creation as one environment's engine saw it: how long until found done, and its polls. */
    record Seen(Duration took, int polls) {}

    /** Per environment (the canary first), how its green stack's creation was seen. */
    private static List<Seen> run(Supplier<Optional<DurationEstimates>> estimates) {
        InMemoryStateStore store = new InMemoryStateStore();
        CloudSimulation sim = CloudSimulation.create(slowStacks(), RateLimits.ofAws(), new Faults(), store);
        VirtualScheduler time = sim.scheduler();
        VirtualScheduler.Scope scope = time.scope();
        Fleet fleet = SimFleet.deploy(sim.cloud(), "shop-2-0", 4, List.of(1, 3), 0, 3);
        Map<String, Integer> polls = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Duration> took = new java.util.concurrent.ConcurrentHashMap<>();
        StepId clone = StepId.of("clone");
        FleetRunner.FleetRun run = FleetRunner.builder()
                .fleet(fleet)
                .store(store)
                .leases(LocalLeases.on(time::now).forOwner("host-a/1"))
                .engines(e -> {
                    var b = SimFleet.engine(sim.cloud(), store, scope, "host-a/1")
                            .listener(ev -> {
                                if (ev instanceof CutoverEvent.StepProgressed p
                                        && p.step().equals(clone)) {
                                    polls.merge(p.runId(), 1, Integer::sum);
                                } else if (ev instanceof CutoverEvent.StepSucceeded d
                                        && d.step().equals(clone)) {
                                    took.put(d.runId(), d.took());
                                }
                            });
                    estimates.get().ifPresent(b::durationEstimates);
                    return b.build();
                })
                .scheduler(scope)
                .checkEvery(Duration.ofSeconds(30))
                .build()
                .start();
        time.runWhile(() -> !run.finished().isDone());
        assertThat(run.finished().join().count(FleetSummary.State.DONE)).isEqualTo(4);
        return fleet.environments().stream()
                .map(e -> new Seen(took.get(e.runId()), polls.getOrDefault(e.runId(), 0)))
                .toList();
    }

    @Test
    void theCanaryWaveTeachesTheLaterWavesWhenTheirEnginesShareWhatTheyLearn() {
        DurationEstimates shared = DurationEstimates.inMemory();
        List<Seen> learning = run(() -> Optional.of(shared));
        List<Seen> apart = run(Optional::empty);

        Duration stack = Duration.ofHours(1);
        Duration canaryLate = learning.get(0).took().minus(stack);
        assertThat(apart.get(0)).isEqualTo(learning.get(0));
        for (int i = 1; i < 4; i++) {
            assertThat(apart.get(i).took())
                    .as("alone, a later wave's engine finds its stack as late as the canary's")
                    .isEqualTo(apart.get(0).took());
            assertThat(learning.get(i).took().minus(stack))
                    .as("taught by the canary, a later wave finds its stack done sooner after it is")
                    .isLessThan(canaryLate.minusSeconds(5));
            assertThat(learning.get(i).polls())
                    .as("within the SDK waiter's budget: one call per 30 s")
                    .isLessThanOrEqualTo(1 + (int) (learning.get(i).took().toSeconds() / 30));
        }
        assertThat(shared.estimate(io.cutover.step.Operations.STACK_CREATE))
                .hasValueSatisfying(e -> assertThat(e.median()).isGreaterThan(Duration.ofMinutes(55)));
    }
}
