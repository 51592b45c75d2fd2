package io.cutover.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.dynamodb.DynamoDbStateStore;
import io.cutover.dynamodb.StateTable;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Two machines (two JVMs running {@link FleetWorker}) run one fleet against one DynamoDB table; machine A is
 * killed (SIGKILL) while it drives cutovers. Every environment must finish exactly once, none is cut over
 * twice, and A's environments are taken over by B only after their leases ran out.
 */
@AwsEmulator
class TwoMachinesFleetIT {
    private static final int SIZE = 10;
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);

    /**
     * Once by default; {@code -Dcutover.twoMachines.times=N} repeats it N times, each on a table of its own
     * ({@code fleet/scripts/two-machines-under-load.sh} runs it 20 times on a loaded machine).
     */
    @TestFactory
    Stream<DynamicTest> aMachineDiesMidFleetAndTheOtherFinishesItsCutoversExactlyOnce(EmulatorEndpoint aws) {
        int times = Integer.getInteger("cutover.twoMachines.times", 1);
        return IntStream.rangeClosed(1, times)
                .mapToObj(i -> DynamicTest.dynamicTest("run " + i + " of " + times, () -> {
                    run(aws, i);
                    System.out.println("two-machines run " + i + " of " + times + " passed");
                }));
    }

    private void run(EmulatorEndpoint aws, int i) throws Exception {
        StateTable table = StateTable.named("two-machines-" + i);
        Path dir = Files.createDirectories(Path.of("target", "two-machines", "run-" + i));
        try (DynamoDbClient dynamo = Dynamo.client(aws)) {
            table.create(dynamo);
            DynamoDbStateStore store = DynamoDbStateStore.of(dynamo, table);
            Fleet fleet = FleetWorker.fleet(io.cutover.simulator.SimulatedCloud.on(java.time.Instant::now), SIZE);

            Process a = spawn(aws, table, "machine-a", dir);
            // B joins once A has begun (with the canary), as a second operator would.
            long joinBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (store.load(fleet.environments().get(0).runId()).isEmpty() && System.nanoTime() < joinBy) {
                Thread.sleep(50);
            }
            Process b = spawn(aws, table, "machine-b", dir);
            // Kill A once it drives cutovers of the second wave, mid-upgrade.
            Set<String> heldByA = new TreeSet<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (heldByA.size() < 2 && System.nanoTime() < deadline && a.isAlive()) {
                for (FleetEnvironment e : fleet.wave(1)) {
                    store.load(e.runId())
                            .filter(s -> s.owner().equals("machine-a") && s.status() == RunStatus.RUNNING)
                            .ifPresent(s -> heldByA.add(e.name()));
                }
                Thread.sleep(50);
            }
            assertThat(heldByA)
                    .as("cutovers machine A was driving when it was killed")
                    .isNotEmpty();
            a.destroyForcibly().waitFor();
            long killedAt = System.currentTimeMillis();

            assertThat(b.waitFor(90, TimeUnit.SECONDS))
                    .as("machine B finished the fleet")
                    .isTrue();
            assertThat(b.exitValue()).isZero();

            List<Fact> facts = new ArrayList<>();
            facts.addAll(read(dir.resolve("machine-a.log"), "machine-a"));
            facts.addAll(read(dir.resolve("machine-b.log"), "machine-b"));
            for (FleetEnvironment e : fleet.environments()) {
                RunState s = store.load(e.runId()).orElseThrow();
                assertThat(s.status()).as(e.name()).isEqualTo(RunStatus.COMPLETED);
                assertThat(store.lock(e.name()))
                        .as("%s's lock released", e.name())
                        .isEmpty();
                // A fact is logged after the state it reports is saved: machine A, killed between saving a new
                // cutover's first state and logging STARTED, leaves none, and B resumes what A created. So: started
                // at most once, and if no machine logged it, B resumed it (the store refuses a second create).
                long started = count(facts, "STARTED", e.name());
                assertThat(started).as("%s started at most once", e.name()).isLessThanOrEqualTo(1);
                if (started == 0) {
                    assertThat(facts)
                            .as("%s, created by machine A as it was killed, resumed by B", e.name())
                            .anyMatch(f -> f.what().equals("RESUMED")
                                    && f.env().equals(e.name())
                                    && f.machine().equals("machine-b"));
                }
                assertThat(count(facts, "SWITCHED", e.name()))
                        .as("%s cut over once", e.name())
                        .isEqualTo(1);
                assertThat(count(facts, "SETTLED-completed", e.name()))
                        .as("%s completed once", e.name())
                        .isEqualTo(1);
            }
            for (String env : heldByA) {
                Fact resumed = facts.stream()
                        .filter(f -> f.what().equals("RESUMED") && f.env().equals(env))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(env + " was never resumed after machine A died"));
                assertThat(resumed.machine()).isEqualTo("machine-b");
                assertThat(resumed.at())
                        .as("%s taken over only after its lease ran out", env)
                        .isGreaterThanOrEqualTo(
                                killedAt + LEASE.minus(HEARTBEAT).toMillis());
                assertThat(count(facts, "SETTLED-completed", env)).isEqualTo(1);
                assertThat(facts)
                        .filteredOn(f ->
                                f.what().equals("SETTLED-completed") && f.env().equals(env))
                        .allMatch(f -> f.machine().equals("machine-b"));
            }
            Map<String, Long> finishedBy = facts.stream()
                    .filter(f -> f.what().equals("SETTLED-completed"))
                    .collect(Collectors.groupingBy(Fact::machine, Collectors.counting()));
            System.out.println("killed machine A holding " + heldByA + "; completed per machine: " + finishedBy);
        }
    }

    private record Fact(long at, String what, String env, String machine) {}

    private static List<Fact> read(Path log, String machine) throws IOException {
        Function<String, Fact> parse = l -> {
            String[] p = l.split(" ", 3);
            return new Fact(Long.parseLong(p[0]), p[1], p[2], machine);
        };
        return Files.readAllLines(log).stream()
                .filter(l -> l.split(" ").length == 3)
                .map(parse)
                .toList();
    }

    private static long count(List<Fact> facts, String what, String env) {
        return facts.stream()
                .filter(f -> f.what().equals(what) && f.env().equals(env))
                .count();
    }

    private static Process spawn(EmulatorEndpoint aws, StateTable table, String owner, Path dir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                FleetWorker.class.getName(),
                aws.endpoint().toString(),
                aws.region(),
                table.name(),
                owner,
                Integer.toString(SIZE),
                Long.toString(LEASE.toMillis()),
                Long.toString(HEARTBEAT.toMillis()),
                dir.resolve(owner + ".log").toString());
        pb.redirectErrorStream(true).redirectOutput(dir.resolve(owner + ".out").toFile());
        return pb.start();
    }
}
