package io.cutover.cli;

import static io.cutover.cli.BadPlanCorpusTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.state.StateCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command-line tool as a script sees it: output, and exit status. */
class CliTest {
    static final Path PLANS = Path.of("../examples/plans");

    @TempDir
    Path state;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "000-cloudshell-validation.yaml",
                "000-cloudshell-production.yaml",
                "001-qhub.yaml",
                "002-cloverdx.yaml",
                "003-openboxes.yaml",
                "004-codeocean.yaml"
            })
    void everyExamplePlanPreviewsAndRehearses(String file) throws Exception {
        String[] plan = run("plan", PLANS.resolve(file).toString());
        assertThat(plan[0]).as(plan[2]).isEqualTo("0");
        assertThat(plan[1]).contains("AWS API calls, by step:").contains("Least-privilege IAM policy:");
        JsonNode policy =
                StateCodec.mapper().readTree(plan[1].substring(plan[1].indexOf("Least-privilege IAM policy:") + 27));
        assertThat(policy.get("Statement").get(0).get("Action")).isNotEmpty();
        // No action that changes something may be granted on every resource: each is scoped to the plan's
        // names or, where AWS names the thing, to this cutover's tags.
        for (JsonNode st : policy.get("Statement")) {
            boolean mutating = false;
            for (JsonNode a : st.get("Action")) {
                mutating |= !io.cutover.step.Grant.readsOnly(a.asText());
            }
            if (mutating) {
                assertThat(st.get("Resource").asText()).as("%s in %s", st, file).isNotEqualTo("*");
                for (JsonNode r : st.get("Resource")) {
                    assertThat(r.asText()).as("%s in %s", st, file).isNotEqualTo("*");
                }
            }
        }

        String[] rehearsal = run(
                "run",
                "--simulate",
                "--state-dir",
                state.toString(),
                PLANS.resolve(file).toString());
        assertThat(rehearsal[0]).as(rehearsal[1] + rehearsal[2]).isEqualTo("0");
        assertThat(rehearsal[1]).contains(": COMPLETED").contains("downtime:");
        assertThat(state.resolve("runs"))
                .as("a rehearsal leaves no state behind")
                .doesNotExist();
    }

    /** Each vendor's steps, in its order: each is done before the next starts, as the rehearsal prints them. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = '|',
            value = {
                "000-cloudshell-validation.yaml | stop-service backup-files run-installer start-service"
                        + " keep-sandbox-api-https verify",
                "000-cloudshell-production.yaml | stop-service backup-files run-installer start-service"
                        + " keep-sandbox-api-https verify",
                "001-qhub.yaml | hide-old backup-db prevent-deploy allow-deploy deploy-new switch-dns",
                "002-cloverdx.yaml | pause-jobs snapshot-disk resume-jobs deploy-new activate test reuse-ip",
                "003-openboxes.yaml | export-config import-config start-new verify-rehearsal freeze snap-final-db"
                        + " resync start-new-again verify-final switch-dns",
                "004-codeocean.yaml | update-backup-stack maintenance-on backup-db update-stack verify"
                        + " maintenance-off"
            })
    void aRehearsalsOutputShowsTheVendorsStepsInTheVendorsOrder(String file, String steps) {
        String[] r = run(
                "run",
                "--simulate",
                "--state-dir",
                state.toString(),
                PLANS.resolve(file).toString());
        assertThat(r[0]).as(r[1] + r[2]).isEqualTo("0");
        List<String> lines = r[1].lines().toList();
        List<String> order = List.of(steps.split(" "));
        for (int i = 1; i < order.size(); i++) {
            int done = line(lines, "] " + order.get(i - 1) + " done in ");
            int next = line(lines, "] " + order.get(i) + " started: ");
            assertThat(done)
                    .as("%s done before %s starts", order.get(i - 1), order.get(i))
                    .isLessThan(next);
        }
    }

    private static int line(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + part + "' in\n" + String.join("\n", lines));
    }

    @Test
    void aRehearsalThatReachesAGateWithoutAutoApprovalExitsThree() {
        String[] r = run(
                "run",
                "--simulate",
                "--no-auto-approve",
                PLANS.resolve("002-cloverdx.yaml").toString());
        assertThat(r[0]).isEqualTo("3");
        assertThat(r[1]).contains("WAITING").contains("cutover approve clover-6-3 activate");
    }

    @Test
    void anApprovalPromptShowsTheValuesItsReferencesHave() {
        String[] r = run(
                "run",
                "--simulate",
                "--no-auto-approve",
                PLANS.resolve("001-qhub.yaml").toString());
        assertThat(r[0]).isEqualTo("3");
        assertThat(r[1])
                .containsPattern("gate prevent-deploy waiting: confirm the backups \\(database qhub-0-4-backup-db, NFS"
                        + " snap-[0-9a-f]+\\)")
                .containsPattern("waiting at gate 'prevent-deploy': confirm the backups \\(database"
                        + " qhub-0-4-backup-db, NFS snap-[0-9a-f]+\\)");
    }

    @Test
    void jsonOutputIsOneEventPerLineThenTheSummary() throws Exception {
        String[] r = run(
                "run",
                "--simulate",
                "--output",
                "json",
                PLANS.resolve("003-openboxes.yaml").toString());
        assertThat(r[0]).isEqualTo("0");
        List<String> lines = r[1].lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines).hasSizeGreaterThan(20);
        for (String line : lines) {
            assertThat(StateCodec.mapper().readTree(line).get("type")).isNotNull();
        }
        JsonNode summary = StateCodec.mapper().readTree(lines.get(lines.size() - 1));
        assertThat(summary.get("type").asText()).isEqualTo("Summary");
        assertThat(summary.get("status").asText()).isEqualTo("COMPLETED");
        // both servers stopped (a script, 10 s) until DNS is in sync on green (28:35 before polls learnt, issue 16)
        assertThat(summary.get("downtimeSeconds").asLong()).isEqualTo(25 * 60 + 36);
        assertThat(lines).anyMatch(l -> l.contains("\"type\":\"DowntimeStarted\""));
    }

    @Test
    void aRehearsalThatFailsVerificationRollsBackAndExitsOne() throws Exception {
        Path plan = state.resolve("unhealthy.yaml");
        Files.writeString(
                plan,
                Files.readString(PLANS.resolve("003-openboxes.yaml"))
                        .replace(
                                "http://${green.outputs.Endpoint}/openboxes/api/status", "http://nobody.invalid/status")
                        .replace(
                                "file: app-stack.json",
                                "file: " + PLANS.toAbsolutePath().resolve("app-stack.json")));
        // The template lies outside the plan's folder: read only when the flag allows it.
        String[] refused = run("run", "--simulate", plan.toString());
        assertThat(refused[0]).isEqualTo("2");
        assertThat(refused[2])
                .contains("unhealthy.yaml:21:16: steps[2].template.file:")
                .contains("is outside the plan's folder")
                .contains("--files-from-anywhere");
        String[] r = run("run", "--simulate", "--files-from-anywhere", plan.toString());
        assertThat(r[0]).as(r[1] + r[2]).isEqualTo("1");
        assertThat(r[1]).contains("ROLLED_BACK").contains("verify-rehearsal failed");
    }

    @Test
    void lifecycleCommandsOnACutoverThatDoesNotExistAreRefused() {
        for (String cmd : List.of("resume", "rollback", "decommission")) {
            String[] r = run(cmd, "no-such-run", "--state-dir", state.toString());
            assertThat(r[0]).as(cmd).isEqualTo("4");
            assertThat(r[2]).contains("no cutover 'no-such-run'");
        }
        String[] approve = run("approve", "no-such-run", "bake", "--state-dir", state.toString());
        assertThat(approve[0]).isEqualTo("4");
        String[] status = run("status", "--state-dir", state.toString());
        assertThat(status[0]).isEqualTo("0");
    }

    @Test
    void theExampleFleetRehearsesEveryTenantWaveByWave() {
        String[] r = run(
                "fleet", "run", "--simulate", PLANS.resolve("fleet/fleet.yaml").toString());
        assertThat(r[0]).as(r[1] + r[2]).isEqualTo("0");
        assertThat(r[1]).contains("waves [1, 3, 8]").contains("fleet shop-2-0: 12 done, 0 running, 0 failed");
    }

    @Test
    void aMissingArgumentIsInvalidInput() {
        String[] r = run("run");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("Missing required parameter: 'FILE'");
    }
}
