package io.cutover.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.RefusedException;
import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.state.EnvironmentLock;
import io.cutover.state.ReportEntry;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StateConflictException;
import io.cutover.state.StateStore;
import io.cutover.state.StepStatus;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateStore} must do, as tests: extend this class, return a fresh, empty store from
 * {@link #newStore()} (each call must see the same data, as two processes would), and the store is held to
 * the same rules as the embedded one. Each test uses run and environment names of its own, so a store
 * that cannot be emptied (a shared DynamoDB table) passes too.
 *
 * <pre>{@code
 * class MyStoreContractTest extends StateStoreContract {
 *   @Override protected StateStore newStore() { return new MyStore(...); }
 * }
 * }</pre>
 */
public abstract class StateStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private String prefix;

    /** A store on the shared data; called once or more per test (two calls are two processes). */
    protected abstract StateStore newStore();

    @BeforeEach
    void names() {
        prefix = "t" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "-" + SEQUENCE.incrementAndGet();
    }

    private RunState initial(String run, String env, String owner) {
        Plan plan = Plan.of(
                prefix + "-" + run,
                Environment.of(prefix + "-" + env, "stack-" + env),
                List.of(
                        new StepSpec.Hook(StepId.of("pause-jobs"), List.of(), "pause", Optional.empty(), null, null),
                        new StepSpec.Approval(StepId.of("go"), List.of(StepId.of("pause-jobs")), null)));
        return RunState.start(plan, T0, owner);
    }

    private String env(String env) {
        return prefix + "-" + env;
    }

    @Test
    void aNewCutoverIsSavedAtVersionOneAndHoldsItsEnvironment() {
        StateStore store = newStore();
        RunState saved = store.create(initial("upgrade", "shop", "host-a/1"));

        assertThat(saved.version()).isEqualTo(1);
        assertThat(store.load(saved.runId())).contains(saved);
        EnvironmentLock lock = store.lock(env("shop")).orElseThrow();
        assertThat(lock.runId()).isEqualTo(saved.runId());
        assertThat(lock.owner()).isEqualTo("host-a/1");
        assertThat(lock.since()).isEqualTo(T0);
        assertThat(store.runIds()).contains(saved.runId());
    }

    @Test
    void aSecondCutoverOfTheSameEnvironmentIsRefusedNamingTheHolder() {
        StateStore store = newStore();
        RunState first = store.create(initial("upgrade", "shop", "host-a/1"));

        assertThatThrownBy(() -> newStore().create(initial("other", "shop", "host-b/2")))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining(first.runId())
                .hasMessageContaining("host-a/1")
                .hasMessageContaining(T0.toString());
        assertThat(store.load(prefix + "-other")).isEmpty();
        assertThat(store.lock(env("shop")).orElseThrow().runId()).isEqualTo(first.runId());
    }

    @Test
    void aCutoverIdCannotBeCreatedTwice() {
        StateStore store = newStore();
        RunState first = store.create(initial("upgrade", "shop", "host-a/1"));
        store.release(env("shop"), first.runId());

        assertThatThrownBy(() -> store.create(initial("upgrade", "shop", "host-b/2")))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("exists already");
        assertThat(store.load(first.runId()).orElseThrow().owner()).isEqualTo("host-a/1");
    }

    @Test
    void everyCommitRaisesTheVersionByOneAndIsReadBackWhole() {
        StateStore store = newStore();
        RunState s = store.create(initial("upgrade", "shop", "host-a/1"));
        Instant t1 = T0.plusSeconds(5);
        s = store.commit(s.withStep(
                StepId.of("pause-jobs"),
                s.step(StepId.of("pause-jobs"))
                        .started(t1)
                        .withStatus(StepStatus.RUNNING)
                        .withProgress("pausing"),
                t1));
        s = store.commit(s.withStep(
                StepId.of("pause-jobs"),
                s.step(StepId.of("pause-jobs"))
                        .ended(StepStatus.SUCCEEDED, t1)
                        .withOutputs(java.util.Map.of("jobs", "3")),
                t1));

        assertThat(s.version()).isEqualTo(3);
        assertThat(newStore().version(s.runId()))
                .as("the stored version, read alone")
                .contains(3L);
        RunState loaded = newStore().load(s.runId()).orElseThrow();
        assertThat(loaded).isEqualTo(s);
        assertThat(loaded.step(StepId.of("pause-jobs")).outputs()).containsEntry("jobs", "3");
    }

    @Test
    void aCommitBasedOnAnOldVersionIsRefusedAndChangesNothing() {
        StateStore store = newStore();
        RunState v1 = store.create(initial("upgrade", "shop", "host-a/1"));
        RunState v2 = store.commit(v1.withStatus(RunStatus.WAITING, T0.plusSeconds(1)));

        assertThatThrownBy(() -> newStore().commit(v1.withOwner("host-b/2").withStatus(RunStatus.FAILED, T0)))
                .isInstanceOf(StateConflictException.class)
                .hasMessageContaining("version 2");
        assertThat(store.load(v1.runId())).contains(v2);
    }

    @Test
    void twoWritersOfTheSameVersionNeverBothCommit() throws Exception {
        StateStore store = newStore();
        RunState v1 = store.create(initial("upgrade", "shop", "host-a/1"));
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String owner = "writer-" + i;
                StateStore mine = newStore();
                Callable<Boolean> write = () -> {
                    go.await();
                    try {
                        mine.commit(v1.withOwner(owner));
                        return true;
                    } catch (StateConflictException e) {
                        return false;
                    }
                };
                results.add(pool.submit(write));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> r : results) {
                won += r.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(won).as("writers that committed version 2").isEqualTo(1);
            RunState stored = store.load(v1.runId()).orElseThrow();
            assertThat(stored.version()).isEqualTo(2);
            assertThat(stored.owner()).startsWith("writer-");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aStateLargerThanADynamoDbItemIsStoredWhole() {
        StateStore store = newStore();
        RunState s = store.create(initial("upgrade", "shop", "host-a/1"));
        // Random text does not compress, so this is well over DynamoDB's 400 KB item limit even gzipped.
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 60; i++) {
            byte[] noise = new byte[10_000];
            random.nextBytes(noise);
            s = s.withReport(
                    new ReportEntry.Note(
                            "LEFT BEHIND " + i + " " + Base64.getEncoder().encodeToString(noise)),
                    T0);
        }
        RunState big = store.commit(s);
        RunState bigger = store.commit(big.withReport(new ReportEntry.Note("one more line"), T0));

        assertThat(String.join("", bigger.reportLines()).length()).isGreaterThan(600_000);
        RunState loaded = newStore().load(bigger.runId()).orElseThrow();
        assertThat(loaded).isEqualTo(bigger);
        assertThatThrownBy(() -> store.commit(big)).isInstanceOf(StateConflictException.class);
        assertThat(store.load(big.runId())).contains(bigger);
    }

    @Test
    void releasingFreesTheEnvironmentOnlyForTheRunThatHoldsIt() {
        StateStore store = newStore();
        RunState first = store.create(initial("upgrade", "shop", "host-a/1"));

        store.release(env("shop"), "some-other-run");
        assertThat(store.lock(env("shop"))).isPresent();

        // The engine releases a lock when its run has settled; a store may check that (the file store does).
        store.commit(first.withStatus(io.cutover.state.RunStatus.ROLLED_BACK, first.updatedAt()));
        store.release(env("shop"), first.runId());
        assertThat(store.lock(env("shop"))).isEmpty();
        RunState second = newStore().create(initial("upgrade-again", "shop", "host-b/2"));
        assertThat(store.lock(env("shop")).orElseThrow().runId()).isEqualTo(second.runId());
    }

    @Test
    void unknownCutoversAreAbsentAndCannotBeCommitted() {
        StateStore store = newStore();
        RunState never = initial("never", "shop", "host-a/1").withVersion(1);

        assertThat(store.load(never.runId())).isEmpty();
        assertThat(store.version(never.runId())).isEmpty();
        assertThat(store.lock(env("shop"))).isEmpty();
        assertThatThrownBy(() -> store.commit(never)).isInstanceOf(StateConflictException.class);
        assertThat(store.runIds()).doesNotContain(never.runId());
    }

    @Test
    void cutoversAreListedOldestFirst() {
        StateStore store = newStore();
        RunState earlier =
                store.create(RunState.start(initial("a-earlier", "one", "x").plan(), T0, "x"));
        RunState later =
                store.create(RunState.start(initial("b-later", "two", "x").plan(), T0.plusSeconds(60), "x"));

        List<String> mine =
                store.runIds().stream().filter(id -> id.startsWith(prefix)).toList();
        assertThat(mine).containsExactly(earlier.runId(), later.runId());
    }
}
