package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.FailureType;
import io.cutover.FenceLostException;
import io.cutover.engine.CutoverRun;
import io.cutover.engine.Fence;
import io.cutover.plan.StepId;
import io.cutover.simulator.CloudSimulation;
import io.cutover.spi.DnsProvider.RecordSet;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StepState;
import io.cutover.state.StepStatus;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Fencing, on the simulated cloud in virtual time: a process that no longer provably holds its cutover makes
 * no call that changes anything. Process A's pause is played inside A's own fence check (the last thing A does
 * before its DNS change): while A is "stopped" there, process B takes the cutover over and the test drives B;
 * then A wakes, and its fence says Held, as a lease that did not notice the pause would.
 */
class FencingTest {
    private static final StepId SWITCH = StepId.of("switch-dns");

    private final Fixture f = new Fixture();

    /** Whether the saved switch has saved blue's record and is about to send its change. */
    private boolean aboutToSwitch() {
        var saved = f.sim.store().load("upgrade-2-0");
        if (saved.isEmpty()) {
            return false;
        }
        StepState sw = saved.get().step(SWITCH);
        return sw.status() == StepStatus.RUNNING
                && sw.memo().containsKey("orig.name")
                && !sw.memo().containsKey("changeId");
    }

    private int dnsChanges() {
        return f.cloud.calls().getOrDefault("ChangeResourceRecordSets", 0);
    }

    @Test
    void aProcessPausedJustBeforeItsDnsChangeMakesNoCallAfterAnotherTookOverSwitchedAndRolledBack() {
        List<RecordSet> bluesRecord = f.cloud.records(CloudSimulation.ZONE);
        AtomicReference<CutoverRun> b = new AtomicReference<>();
        AtomicInteger changesWhenAWoke = new AtomicInteger();
        Fence pausedA = () -> {
            if (b.get() == null && aboutToSwitch()) {
                // A is stopped here. B finds A's lease run out and takes the cutover over; it switches, then
                // (its bake's checks failing) rolls back: users are on blue again.
                CutoverRun taken =
                        f.sim.engine().hooks(f.hooks).owner("machine-b").build().resume("upgrade-2-0");
                b.set(taken);
                f.runUntil(() -> taken.state().step(SWITCH).status() == StepStatus.SUCCEEDED);
                taken.rollback();
                f.runUntil(() -> taken.status().terminal());
                changesWhenAWoke.set(dnsChanges());
            }
            return new Fence.Held();
        };
        CutoverRun a = f.sim.engine().hooks(f.hooks).owner("machine-a").build().start(f.plan(), pausedA);
        f.sim.runUntilSettled(a);

        assertThat(b.get()).as("B took over while A was paused").isNotNull();
        assertThat(b.get().status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(changesWhenAWoke.get()).as("B switched and switched back").isGreaterThanOrEqualTo(2);
        assertThat(dnsChanges()).as("DNS changes by A after it woke").isEqualTo(changesWhenAWoke.get());
        assertThat(f.cloud.records(CloudSimulation.ZONE)).as("users on blue").isEqualTo(bluesRecord);
        RunState saved = f.sim.store().load("upgrade-2-0").orElseThrow();
        assertThat(saved.status()).as("B's rollback, not saved over").isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(saved.owner()).isEqualTo("machine-b");
        assertThatThrownBy(() -> a.settled().join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(FenceLostException.class)
                .hasMessageContaining("not calling DnsProvider.replace")
                .hasMessageContaining("was saved by machine-b");
    }

    @Test
    void aSwitchWhoseRecordAnotherProcessChangedAfterBluesWasSavedFailsWithAConflictAndSendsNoUserToGreen() {
        AtomicReference<String> green = new AtomicReference<>();
        Fence changedMeanwhile = () -> {
            if (green.get() == null && aboutToSwitch()) {
                green.set(f.cloud.stack("shop-green").orElseThrow().outputs().get("Endpoint"));
                // Someone else points the record elsewhere between A's last check and its change: the fence cannot
                // see that; the change, conditional on the record A read, must.
                RecordSet now = f.cloud.records(CloudSimulation.ZONE).get(0);
                f.cloud
                        .dns()
                        .upsert(
                                CloudSimulation.ZONE,
                                List.of(now.withValues(List.of("maintenance.example.net"))),
                                "other");
            }
            return new Fence.Held();
        };
        CutoverRun a = f.sim.engine().hooks(f.hooks).build().start(f.plan(), changedMeanwhile);
        f.sim.runUntilSettled(a);

        assertThat(a.status()).isEqualTo(RunStatus.ROLLED_BACK);
        StepState sw = a.state().step(SWITCH);
        assertThat(sw.errorType()).hasValue(FailureType.CONFLICT);
        assertThat(sw.error()).hasValueSatisfying(e -> assertThat(e).contains("do not match"));
        assertThat(f.cloud.dnsChanges())
                .as("no change ever sent users to green")
                .noneSatisfy(c -> assertThat(c.record().target()).isEqualTo(green.get()));
    }

    @Test
    void aCutoverWhoseFenceIsLostBeforeItStartsSavesNothingAndCallsNothing() {
        var before = f.cloud.calls().getOrDefault("CreateStack", 0);
        assertThatThrownBy(() -> f.engine().start(f.plan(), () -> new Fence.Lost("the lease on shop-prod ran out")))
                .isInstanceOf(FenceLostException.class)
                .hasMessageContaining("the lease on shop-prod ran out");
        assertThat(f.sim.store().load("upgrade-2-0")).isEmpty();
        assertThat(f.sim.store().lock("shop-prod")).isEmpty();
        assertThat(f.cloud.calls().getOrDefault("CreateStack", 0)).isEqualTo(before);
    }

    @Test
    void aStoreThatCannotBeReadAtTheFenceStopsTheRunWithoutARollbackAndAResumeFinishesIt() {
        java.util.concurrent.atomic.AtomicBoolean unreadable = new java.util.concurrent.atomic.AtomicBoolean(true);
        io.cutover.state.StateStore store = f.sim.store();
        io.cutover.state.StateStore flaky = (io.cutover.state.StateStore) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {io.cutover.state.StateStore.class}, (p, m, a) -> {
                    // The fence reads the stored version (StateStore.version); a store that cannot be read fails both.
                    if ((m.getName().equals("load") || m.getName().equals("version")) && unreadable.get()) {
                        throw new IllegalStateException("connection reset by peer");
                    }
                    try {
                        return m.invoke(store, a);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        CutoverRun run = f.sim.engine().hooks(f.hooks).stateStore(flaky).build().start(f.plan());
        f.sim.runUntilSettled(run);

        assertThatThrownBy(() -> run.settled().join())
                .cause()
                .isInstanceOf(FenceLostException.class)
                .hasMessageContaining("could not be read")
                .hasMessageContaining("connection reset by peer");
        RunState saved = store.load("upgrade-2-0").orElseThrow();
        assertThat(saved.phase().rollingBack())
                .as("a store that could not be read is no reason to roll back")
                .isFalse();
        assertThat(saved.status()).isEqualTo(RunStatus.RUNNING);

        unreadable.set(false);
        CutoverRun resumed = f.engine().resume("upgrade-2-0");
        f.sim.runUntilSettled(resumed);
        assertThat(resumed.status()).isEqualTo(RunStatus.COMPLETED);
    }
}
