package io.cutover.cli;

import static io.cutover.cli.BadPlanCorpusTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.plan.file.PlanFiles;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.state.FileStateStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --output json} as a script reads it: every line of standard output parses as JSON on its own, with the
 * schema's version and a type, and nothing else is on standard output. Commands that need AWS are covered
 * here where they fail before reaching it (their {@code Error} line) and in {@code CliOnEmulatorIT} against moto.
 */
class JsonOutputTest {
    static final Path PLANS = Path.of("../examples/plans");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Parses every line of standard output; fails on the first that is not a JSON object of the schema. */
    static List<JsonNode> lines(String stdout) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : stdout.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            JsonNode node = JSON.readTree(line);
            assertThat(node.isObject()).as(line).isTrue();
            assertThat(node.get("schemaVersion").asInt()).as(line).isEqualTo(JsonLines.SCHEMA_VERSION);
            assertThat(node.get("type").asText()).as(line).isNotEmpty();
            out.add(node);
        }
        assertThat(stdout).as("ends with a newline").endsWith("\n");
        return out;
    }

    @Test
    void planIsOneLineWithTheStepsInOrderAndThePolicy() throws Exception {
        String[] r = run(
                "plan", "--output", "json", PLANS.resolve("003-openboxes.yaml").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        List<JsonNode> lines = lines(r[1]);
        assertThat(lines).hasSize(1);
        JsonNode plan = lines.get(0);
        assertThat(plan.get("type").asText()).isEqualTo("Plan");
        assertThat(plan.get("steps").get(0).get("id").asText()).isEqualTo("lower-ttl");
        assertThat(plan.get("steps").findValuesAsText("kind")).contains("decommission");
        assertThat(plan.get("iamPolicy").get("Statement").get(0).get("Action").size())
                .isGreaterThan(5);
    }

    @Test
    void aRehearsalPrintsEventsThenTheSummaryAndItsTextGoesToStandardError() throws Exception {
        String[] r = run(
                "run",
                "--simulate",
                "--output",
                "json",
                PLANS.resolve("001-qhub.yaml").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        List<JsonNode> lines = lines(r[1]);
        assertThat(lines.get(0).get("type").asText()).isEqualTo("RunStarted");
        JsonNode summary = lines.get(lines.size() - 1);
        assertThat(summary.get("type").asText()).isEqualTo("Summary");
        assertThat(summary.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(summary.get("steps").get(0).get("id").asText()).isEqualTo("hide-old");
        assertThat(lines).anyMatch(l -> l.get("type").asText().equals("StepSucceeded"));
        assertThat(r[2]).contains("Rehearsing qhub-0-4").contains("(simulated) hook migrate-config would run");
    }

    @Test
    void storedCutoversListAndShowAsJsonAndAReportSaysWhereItIs() throws Exception {
        Path state = dir.resolve("state");
        String runId = storedCutoverAtAGate(state);

        List<JsonNode> list = lines(run("status", "--output", "json", "--state-dir", state.toString())[1]);
        assertThat(list).singleElement().satisfies(l -> {
            assertThat(l.get("type").asText()).isEqualTo("Cutover");
            assertThat(l.get("runId").asText()).isEqualTo(runId);
            assertThat(l.get("status").asText()).isEqualTo("WAITING");
        });

        List<JsonNode> one = lines(run("status", runId, "--output", "json", "--state-dir", state.toString())[1]);
        assertThat(one).singleElement().satisfies(l -> {
            assertThat(l.get("type").asText()).isEqualTo("Summary");
            assertThat(l.get("waitingAt").get(0).asText()).isEqualTo("activate");
        });

        String[] watch = run("status", runId, "--watch", "--output", "json", "--state-dir", state.toString());
        assertThat(watch[0]).isEqualTo("3");
        assertThat(lines(watch[1]))
                .last()
                .satisfies(l -> assertThat(l.get("status").asText()).isEqualTo("WAITING"));

        Path html = dir.resolve("report.html");
        String[] report =
                run("report", runId, "--html", html.toString(), "--output", "json", "--state-dir", state.toString());
        assertThat(lines(report[1])).singleElement().satisfies(l -> {
            assertThat(l.get("type").asText()).isEqualTo("Report");
            assertThat(l.get("file").asText()).isEqualTo(html.toAbsolutePath().toString());
        });
    }

    @Test
    void commandsThatFailPrintOneErrorLineWithTheirExitStatus() throws Exception {
        for (String cmd : List.of("resume", "rollback", "decommission")) {
            String[] r = run(cmd, "no-such-run", "--output", "json", "--state-dir", dir.toString());
            assertThat(r[0]).isEqualTo("4");
            assertThat(lines(r[1])).singleElement().satisfies(l -> {
                assertThat(l.get("type").asText()).isEqualTo("Error");
                assertThat(l.get("exitCode").asInt()).isEqualTo(4);
                assertThat(l.get("message").asText()).contains("no cutover 'no-such-run'");
            });
        }
        String[] approve = run("approve", "no-such-run", "bake", "--output=json", "--state-dir", dir.toString());
        assertThat(lines(approve[1]))
                .singleElement()
                .satisfies(l -> assertThat(l.get("exitCode").asInt()).isEqualTo(4));
        String[] bad = run("plan", "--output", "json", "../cli/src/test/resources/bad-plans/unknown-step.yaml");
        assertThat(bad[0]).isEqualTo("2");
        assertThat(lines(bad[1]))
                .singleElement()
                .satisfies(l -> assertThat(l.get("exitCode").asInt()).isEqualTo(2));
        String[] unknownOption = run("status", "--output", "json", "--no-such-option");
        assertThat(unknownOption[0]).isEqualTo("2");
        assertThat(lines(unknownOption[1]))
                .singleElement()
                .satisfies(l -> assertThat(l.get("type").asText()).isEqualTo("Error"));
    }

    @Test
    void aFleetRehearsalPrintsEveryEnvironmentsEventsThenTheFleetSummaryOnce() throws Exception {
        String[] r = run(
                "fleet",
                "run",
                "--simulate",
                "--output",
                "json",
                PLANS.resolve("fleet/fleet.yaml").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        List<JsonNode> lines = lines(r[1]);
        assertThat(lines.stream().filter(l -> l.get("type").asText().equals("FleetSummary")))
                .hasSize(1);
        JsonNode summary = lines.get(lines.size() - 1);
        assertThat(summary.get("counts").get("done").asInt()).isEqualTo(12);
        assertThat(summary.get("environments").get(0).get("wave").asInt()).isEqualTo(1);
        assertThat(lines.stream().filter(l -> l.get("type").asText().equals("RunSettled")))
                .hasSize(12);
    }

    @Test
    void initWritesAPlanAndSaysSo() throws Exception {
        Path plan = dir.resolve("p.yaml");
        String[] r = run("init", "--strategy", "in-place-update", "--output", "json", plan.toString());
        assertThat(lines(r[1]))
                .singleElement()
                .satisfies(l -> assertThat(l.get("strategy").asText()).isEqualTo("in-place-update"));
    }

    /** The same plan previews byte for byte the same in every JVM (the order of maps once changed per JVM). */
    @Test
    void aPlanPreviewsIdenticallyInEveryJvm() throws Exception {
        List<String> texts = new ArrayList<>();
        List<String> jsons = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            texts.add(inNewJvm("plan", PLANS.resolve("001-qhub.yaml").toString()));
            jsons.add(inNewJvm(
                    "plan", "--output", "json", PLANS.resolve("001-qhub.yaml").toString()));
        }
        assertThat(texts.get(0)).contains("Least-privilege IAM policy");
        assertThat(texts).containsOnly(texts.get(0));
        assertThat(jsons).containsOnly(jsons.get(0));
    }

    private static String inNewJvm(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor()).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The CloverDX rehearsal stored in a state directory, stopped at its first gate; returns its run id. */
    static String storedCutoverAtAGate(Path state) {
        var file = PlanFiles.load(PLANS.resolve("002-cloverdx.yaml"));
        var plan = file.plan();
        CloudSimulation sim = CloudSimulation.create(
                Latencies.ofDefaults(), RateLimits.ofAws(), new Faults(), FileStateStore.in(state));
        sim.seed(plan);
        var hooks = io.cutover.step.Hooks.builder();
        file.hooks().keySet().forEach(h -> hooks.hook(h, ctx -> io.cutover.step.StepOutcome.Done.of()));
        var run = sim.engine()
                .hooks(hooks.build())
                .secrets((id, key) -> "simulated-secret-value") // the CloverDX API's credentials
                .withoutLogging()
                .build()
                .start(plan);
        sim.runUntilSettled(run);
        assertThat(run.state().status().name()).isEqualTo("WAITING");
        assertThat(Files.exists(state)).isTrue();
        return run.state().runId();
    }
}
