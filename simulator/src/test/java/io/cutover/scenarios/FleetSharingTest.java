package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.FenceLostException;
import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.Fence;
import io.cutover.engine.RateBudget;
import io.cutover.engine.VirtualScheduler;
import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec.Check;
import io.cutover.plan.StepSpec.TemplateRef;
import io.cutover.plan.Strategies;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.SimulatedCloud;
import io.cutover.spi.DnsProvider.RecordSet;
import io.cutover.state.RunState;
import io.cutover.state.StepStatus;
import io.cutover.step.Hooks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Several environments cut over at once by one engine, in one account and one hosted zone, on the simulated
 * cloud in virtual time: what the engine shares among its cutovers (the template's validation, the zone's
 * read, Route 53 changes sent together and their status polled once) and what it never shares (a read that
 * decides a change), and that a batch of changes keeps each cutover's guarantees: one bad change fails only
 * its own cutover, a process that lost its cutover has no change in the batch, and a crash after the batch
 * went out is resumed.
 */
class FleetSharingTest {
    private static final String ZONE = CloudSimulation.ZONE;
    private static final StepId SWITCH = StepId.of("switch-dns");

    private final CloudSimulation sim = CloudSimulation.create();
    private final SimulatedCloud cloud = sim.cloud();
    private final List<Environment> envs = new ArrayList<>();

    private void deploy(int n) {
        cloud.zone(ZONE);
        for (int i = 0; i < n; i++) {
            SimulatedCloud.SimStack blue =
                    cloud.deploy("app-" + i + "-blue", CloudSimulation.sampleTemplate(), Map.of("AppVersion", "1.0"));
            String host = "app-" + i + ".example.com";
            cloud.record(
                    ZONE, RecordSet.simple(host, "CNAME", 300, blue.outputs().get("Endpoint")));
            envs.add(Environment.of("app-" + i, "app-" + i + "-blue")
                    .withDatabase(Environment.Database.instance(blue.resource("Database")))
                    .withVolume(blue.resource("DataVolume"))
                    .withDns(Environment.DnsRecord.of(ZONE, host, "CNAME")));
        }
    }

    private Plan plan(int i) {
        Environment env = envs.get(i);
        return Strategies.parallelUpgrade("upgrade-" + i, env)
                .greenStack("app-" + i + "-green")
                .template(TemplateRef.ofBody(CloudSimulation.sampleTemplate()))
                .parameter("AppVersion", "2.0")
                .snapshotParameter(
                        "DBSnapshotIdentifier", env.databases().get(0).id())
                .snapshotParameter("DataSnapshotId", env.volumes().get(0))
                .check(Check.Http.of("http://${green.outputs.Endpoint}/health"))
                .bake(Duration.ofHours(1))
                .withoutRehearsal()
                .build();
    }

    private Engine.Builder engine(io.cutover.engine.Scheduler scope) {
        return sim.engine(scope)
                .hooks(Hooks.none())
                .rateBudget(RateBudget.ofAws())
                .withoutLogging();
    }

    private static boolean switched(CutoverRun r) {
        return r.state().step(SWITCH).status() == StepStatus.SUCCEEDED;
    }

    private String target(int i) {
        return cloud.records(ZONE).stream()
                .filter(r -> r.name().equals("app-" + i + ".example.com"))
                .findFirst()
                .orElseThrow()
                .target();
    }

    private String green(int i) {
        return cloud.stack("app-" + i + "-green").orElseThrow().outputs().get("Endpoint");
    }

    private List<CutoverRun> startAll(Engine engine, int n, Function<Integer, Fence> fences) {
        List<CutoverRun> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            runs.add(engine.start(plan(i), fences.apply(i)));
        }
        return runs;
    }

    private void runUntilSwitchedOrSettled(List<CutoverRun> runs) {
        sim.scheduler()
                .runWhile(() ->
                        runs.stream().anyMatch(r -> !switched(r) && !r.settled().isDone()));
    }

    @Test
    void threeCutoversValidateTheTemplateOnceAndSendTheirDnsChangesTogether() {
        deploy(3);
        Engine engine = engine(sim.scheduler().scope()).batchDnsChanges().build();
        List<CutoverRun> runs = startAll(engine, 3, i -> Fence.none());
        runUntilSwitchedOrSettled(runs);

        for (int i = 0; i < 3; i++) {
            assertThat(switched(runs.get(i))).as("cutover %d switched", i).isTrue();
            assertThat(target(i)).as("app-%d's users on its green", i).isEqualTo(green(i));
        }
        Map<String, Integer> calls = cloud.calls();
        assertThat(calls.get("ValidateTemplate"))
                .as("one template, validated once")
                .isEqualTo(1);
        assertThat(calls)
                .as("the zone proven by its records' reads, not read on its own")
                .doesNotContainKey("GetHostedZone");
        // each cutover reads its record once, in its preflight: lower-ttl's change expects what it read, and the
        // switch's what lower-ttl left
        assertThat(calls.get("ListResourceRecordSets")).isEqualTo(3);
        // three TTL changes and three switches, two requests
        assertThat(calls.get("ChangeResourceRecordSets")).isEqualTo(2);
        assertThat(engine.sharedCalls()).containsEntry("dnsRequests", 2);
    }

    @Test
    void aRecordChangedAfterThePreflightReadItIsReadAgainBeforeTheTtlIsLowered() {
        deploy(1);
        Engine engine = engine(sim.scheduler().scope()).batchDnsChanges().build();
        CutoverRun run = engine.start(plan(0));
        // Someone lowers the TTL to 120 s after the preflight read the record (300 s), before lower-ttl's change:
        // Route 53 refuses the change that expects 300 s, and lower-ttl reads the record and goes on from it.
        RecordSet now = cloud.records(ZONE).get(0);
        cloud.record(ZONE, now.withTtl(120));
        sim.runUntilSettled(run);

        assertThat(run.state().step(StepId.of("lower-ttl")).memo()).containsEntry("orig.ttl", "120");
        assertThat(run.state().step(StepId.of("restore-ttl")).outputs())
                .as("the TTL given back is the one it had when lowered")
                .containsEntry("ttl", "120");
    }

    @Test
    void oneBadChangeInTheBatchFailsOnlyItsOwnCutover() {
        deploy(3);
        Engine engine = engine(sim.scheduler().scope()).batchDnsChanges().build();
        RecordSet[] planted = new RecordSet[1];
        // Just before the batch of switches goes out, someone else points app-1 elsewhere: its change, conditional
        // on the record it read, is refused; the batch goes again without it.
        Function<Integer, Fence> fences = i -> () -> {
            if (i == 1 && planted[0] == null && queuedSwitch(1)) {
                RecordSet mine = cloud.records(ZONE).stream()
                        .filter(r -> r.name().equals("app-1.example.com"))
                        .findFirst()
                        .orElseThrow();
                planted[0] = mine.withValues(List.of("maintenance.example.com"));
                cloud.record(ZONE, planted[0]);
            }
            return new Fence.Held();
        };
        List<CutoverRun> runs = startAll(engine, 3, fences);
        runUntilSwitchedOrSettled(runs);

        assertThat(planted[0]).as("the record was changed under the batch").isNotNull();
        assertThat(switched(runs.get(0))).isTrue();
        assertThat(switched(runs.get(2))).isTrue();
        assertThat(target(0)).isEqualTo(green(0));
        assertThat(target(2)).isEqualTo(green(2));
        assertThat(switched(runs.get(1)))
                .as("the cutover whose change was refused")
                .isFalse();
        assertThat(runs.get(1).state().step(SWITCH).error())
                .hasValueSatisfying(e -> assertThat(e).contains("app-1.example.com"));
    }

    /** Whether cutover {@code i}'s switch has saved its queued change (the batch is about to go). */
    private boolean queuedSwitch(int i) {
        return sim.store()
                .load("upgrade-" + i)
                .map(s -> s.step(SWITCH).memo().getOrDefault("changeId", "").startsWith("cutover-batch/"))
                .orElse(false);
    }

    @Test
    void aCutoverThatLostItsFenceBeforeTheBatchWentOutHasNoChangeInIt() {
        deploy(3);
        Engine engine = engine(sim.scheduler().scope()).batchDnsChanges().build();
        String blue2 = target(2);
        // Cutover 2's lease runs out between its switch saving its change and the batch going out.
        Function<Integer, Fence> fences =
                i -> () -> i == 2 && queuedSwitch(2) ? new Fence.Lost("lease expired") : new Fence.Held();
        List<CutoverRun> runs = startAll(engine, 3, fences);
        runUntilSwitchedOrSettled(runs);

        assertThat(switched(runs.get(0))).isTrue();
        assertThat(switched(runs.get(1))).isTrue();
        assertThat(target(2))
                .as("users of the cutover that lost its fence stay on blue")
                .isEqualTo(blue2);
        assertThat(runs.get(2).settled()).isCompletedExceptionally();
        assertThat(runs.get(2).settled().handle((s, e) -> e).join()).isInstanceOf(FenceLostException.class);
    }

    @Test
    void aCrashAfterTheBatchWentOutIsResumedAndTheSwitchEndsInSync() {
        deploy(2);
        VirtualScheduler.Scope first = sim.scheduler().scope();
        Engine a = engine(first).batchDnsChanges().build();
        List<CutoverRun> runs = startAll(a, 2, i -> Fence.none());
        // The process dies right after the switches' batch was sent, before either run saved anything more.
        sim.scheduler().runWhile(() -> !(queuedSwitch(0) && queuedSwitch(1)));
        int before = cloud.calls().getOrDefault("ChangeResourceRecordSets", 0);
        sim.scheduler().runWhile(() -> cloud.calls().getOrDefault("ChangeResourceRecordSets", 0) == before);
        first.kill();
        assertThat(target(0)).as("the batch went out").isEqualTo(green(0));
        RunState saved = sim.store().load("upgrade-0").orElseThrow();
        String queued = saved.step(SWITCH).memo().get("changeId");
        assertThat(queued).startsWith("cutover-batch/");

        Engine b = engine(sim.scheduler().scope()).batchDnsChanges().build();
        List<CutoverRun> resumed = List.of(b.resume("upgrade-0"), b.resume("upgrade-1"));
        runUntilSwitchedOrSettled(resumed);

        for (int i = 0; i < 2; i++) {
            assertThat(switched(resumed.get(i)))
                    .as("resumed cutover %d switched", i)
                    .isTrue();
            assertThat(target(i)).isEqualTo(green(i));
            assertThat(resumed.get(i).state().step(SWITCH).memo().get("changeId"))
                    .as("followed through a change this process made")
                    .isNotEqualTo(Optional.ofNullable(queued).orElse(""));
        }
    }
}
