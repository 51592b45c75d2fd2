package io.cutover.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fleet files: one plan for many environments, waves, and bad input refused with file, line and field. */
class FleetFilesTest {
    @TempDir
    Path dir;

    private static final String PLAN = """
      id: up
      environment:
        name: ${fleet.environment}
        stack: ${fleet.stack}
      hooks:
        pause: {run: "echo pause ${fleet.environment}"}
      steps:
        - {kind: hook, id: pause, hook: pause}
      """;

    @BeforeEach
    void plan() throws IOException {
        Files.writeString(dir.resolve("upgrade.yaml"), PLAN);
    }

    private Fleet load(String text) throws IOException {
        Path f = dir.resolve("fleet.yaml");
        Files.writeString(f, text);
        return FleetFiles.load(f);
    }

    private static String environments(int n) {
        StringBuilder sb = new StringBuilder("environments:\n");
        for (int i = 1; i <= n; i++) {
            sb.append("  - {name: c")
                    .append(i)
                    .append(", region: eu-west-1, variables: {stack: c")
                    .append(i)
                    .append("-blue}}\n");
        }
        return sb.toString();
    }

    @Test
    void onePlanServesEveryEnvironmentWithItsOwnNamesAndRunId() throws IOException {
        Fleet fleet = load("id: shop-2-0\nplan: upgrade.yaml\n" + environments(40));

        assertThat(fleet.environments()).hasSize(40);
        FleetEnvironment c7 = fleet.environment("c7").orElseThrow();
        assertThat(c7.plan().environment().stack()).isEqualTo("c7-blue");
        assertThat(c7.runId()).isEqualTo("up-c7");
        assertThat(c7.planFile().hooks().get("pause").run()).isEqualTo("echo pause \"${CUTOVER_FLEET_environment}\"");
        assertThat(c7.planFile().hooks().get("pause").env())
                .containsEntry("CUTOVER_FLEET_environment", "c7")
                .containsEntry("CUTOVER_FLEET_stack", "c7-blue");
        assertThat(c7.target()).isEqualTo("default/eu-west-1");
        // the default waves: a canary, then 5% (rounded up), then the rest
        assertThat(fleet.waveSizes()).containsExactly(1, 2, 37);
        assertThat(fleet.maxFailuresPerWave().allowed(37)).isZero();
    }

    @Test
    void wavesAreNumbersPercentagesAndTheRest() throws IOException {
        Fleet fleet = load("id: f\nplan: upgrade.yaml\nwaves: [1, 10%, 3, rest]\nmaxFailuresPerWave: 10%\n"
                + "concurrency: 4\n" + environments(20));

        assertThat(fleet.waveSizes()).containsExactly(1, 2, 3, 14);
        assertThat(fleet.wave(3)).hasSize(14);
        assertThat(fleet.maxFailuresPerWave().allowed(14)).isEqualTo(1);
        assertThat(fleet.concurrency()).isEqualTo(4);
    }

    @Test
    void anEnvironmentNamedTwiceIsRefusedAtItsSecondLine() throws IOException {
        String text = "id: f\nplan: upgrade.yaml\nenvironments:\n  - name: acme\n    variables: {stack: a}\n"
                + "  - name: globex\n    variables: {stack: g}\n  - name: acme\n    variables: {stack: b}\n";

        assertThatThrownBy(() -> load(text))
                .isInstanceOf(FleetFileException.class)
                .hasMessageContaining("fleet.yaml:8:5: environments[2].name: environment 'acme' is listed twice "
                        + "(also environments[0]); list each environment once")
                .hasMessageContaining("nothing was started");
    }

    @Test
    void wavesThatAddUpToMoreOrLessThanTheFleetAreRefused() {
        assertThatThrownBy(() -> load("id: f\nplan: upgrade.yaml\nwaves: [1, 2]\n" + environments(5)))
                .isInstanceOf(FleetFileException.class)
                .hasMessageContaining(
                        "fleet.yaml:3:1: waves: the waves [1, 2] add up to 3 environments but the fleet has 5; "
                                + "make them add up to 5, or end with 'rest'");
        assertThatThrownBy(() -> load("id: f\nplan: upgrade.yaml\nwaves: [1, 50%, 4]\n" + environments(5)))
                .isInstanceOf(FleetFileException.class)
                .hasMessageContaining("add up to 8 environments but the fleet has 5");
        assertThatThrownBy(() -> load("id: f\nplan: upgrade.yaml\nwaves: [2, 4, rest]\n" + environments(5)))
                .isInstanceOf(FleetFileException.class)
                .hasMessageContaining("the waves before 'rest' add up to 6, more than the fleet's 5 environments");
        assertThatThrownBy(() -> load("id: f\nplan: upgrade.yaml\nwaves: [rest, 1]\n" + environments(5)))
                .isInstanceOf(FleetFileException.class)
                .hasMessageContaining("'rest' must be the last wave");
        assertThatThrownBy(() -> load("id: f\nplan: upgrade.yaml\nwaves: [1, some]\n" + environments(5)))
                .isInstanceOf(FleetFileException.class)
                .hasMessageContaining("'some' is not a wave");
    }

    @Test
    void aPlanVariableTheEnvironmentDoesNotDefineIsNamed() {
        assertThatThrownBy(() -> load("id: f\nplan: upgrade.yaml\nenvironments:\n  - name: acme\n"))
                .isInstanceOf(FleetFileException.class)
                .hasMessageContaining(
                        "environments[acme].variables: plan file upgrade.yaml uses ${fleet.stack}, which this "
                                + "environment does not define; known: [environment]");
    }

    @Test
    void unknownFieldsAndMissingPlansAreRefusedWithTheirLine() throws IOException {
        assertThatThrownBy(() -> load("id: f\nplan: upgrade.yaml\nwave: [1]\n" + environments(1)))
                .isInstanceOf(FleetFileException.class)
                .hasMessageContaining("fleet.yaml:3:")
                .hasMessageContaining("unknown field 'wave'");
        assertThatThrownBy(() -> load("id: f\nplan: nowhere.yaml\n" + environments(1)))
                .isInstanceOf(FleetFileException.class)
                .hasMessageContaining("fleet.yaml:2:1: environments[c1].plan: plan file " + dir.resolve("nowhere.yaml")
                        + " does not exist");
        Files.writeString(dir.resolve("other.yaml"), PLAN.replace("${fleet.environment}", "someone-else"));
        assertThatThrownBy(() -> load("id: f\nplan: other.yaml\n" + environments(1)))
                .isInstanceOf(FleetFileException.class)
                .hasMessageContaining("environment.name: is 'someone-else' but the fleet environment is 'c1'");
    }

    @Test
    void theReadmeFleetFileIsValid() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("```yaml\n# fleet.yaml", readme.indexOf("## Fleets from many machines")) + 8;
        String yaml = readme.substring(start, readme.indexOf("```", start));
        Files.writeString(dir.resolve("upgrade.yaml"), PLAN.replace("id: up", "id: upgrade"));
        Files.writeString(dir.resolve("initech.yaml"), PLAN.replace("id: up", "id: us"));

        Fleet fleet = load(yaml);

        assertThat(fleet.environments())
                .extracting(FleetEnvironment::runId)
                .containsExactly("upgrade-acme", "upgrade-globex", "us-initech");
        assertThat(fleet.environment("initech").orElseThrow().target()).isEqualTo("hosting-us/us-east-1");
        assertThat(fleet.waveSizes()).containsExactly(1, 1, 1);
        assertThat(fleet.concurrency()).isEqualTo(10);
    }

    @Test
    void aVariableIsAValueNeverYaml() throws IOException {
        // A value that would add a step if it were pasted into the plan's text.
        // Pasted as text it would add a decommission step; as a value it is one (bad) stack name, refused as such.
        assertThatThrownBy(() -> load("id: f\nplan: upgrade.yaml\nenvironments:\n  - name: acme\n    variables:\n"
                        + "      stack: \"acme-blue\\nsteps:\\n  - {kind: decommission, id: boom}\"\n"))
                .isInstanceOf(FleetFileException.class)
                .hasMessageContaining("upgrade.yaml:4:3: environment.stack: 'acme-blue\\u000Asteps:\\u000A  - {kind:"
                        + " decommission, id: boom}' must start with a letter and hold only letters, digits and hyphens"
                        + " (for fleet environment 'acme')")
                .hasMessageNotContaining("steps[boom]");
    }

    @Test
    void environmentsThatShareAStackOrDifferOnlyByCaseAreRefusedWithBothNames() {
        assertThatThrownBy(() -> load("id: f\nplan: upgrade.yaml\nenvironments:\n"
                        + "  - {name: acme, variables: {stack: shared-blue}}\n"
                        + "  - {name: globex, variables: {stack: shared-blue}}\n"))
                .isInstanceOf(FleetFileException.class)
                .hasMessageContaining("fleet.yaml:5:5: environments[globex]: environments 'acme' and 'globex' share"
                        + " stack shared-blue; each environment needs its own");
        assertThatThrownBy(() -> load("id: f\nplan: upgrade.yaml\nenvironments:\n"
                        + "  - {name: acme, variables: {stack: a-blue}}\n"
                        + "  - {name: ACME, variables: {stack: b-blue}}\n"))
                .isInstanceOf(FleetFileException.class)
                .hasMessageContaining("fleet.yaml:5:6: environments[1].name: environment 'ACME' differs from 'acme'"
                        + " (environments[0]) only by case");
    }

    @Test
    void largeNumbersAndAPlanThatIsNoPlanAreRefusedWithoutEchoingTheFile() throws IOException {
        assertThatThrownBy(() -> load("id: f\nplan: upgrade.yaml\nconcurrency: 99999999999\n" + environments(1)))
                .isInstanceOf(FleetFileException.class)
                .hasMessageContaining("fleet.yaml:3:1: concurrency: 99999999999 is out of range");
        assertThatThrownBy(() -> load("id: f\nplan: upgrade.yaml\nwaves: [99999999999, rest]\n" + environments(1)))
                .isInstanceOf(FleetFileException.class)
                .hasMessageContaining("'99999999999' is not a wave");
        Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/:/sbin/nologin\n");
        assertThatThrownBy(() -> load("id: f\nplan: passwd\n" + environments(1)))
                .isInstanceOf(FleetFileException.class)
                .hasMessageContaining("passwd:1:1: the file holds a text, not a plan")
                .hasMessageNotContaining("root:x");
        assertThatThrownBy(() -> load("id: f\nplan: ../../etc/passwd\n" + environments(1)))
                .isInstanceOf(FleetFileException.class)
                .hasMessageContaining("fleet.yaml:2:1: environments[c1].plan: '../../etc/passwd' is outside the fleet"
                        + " file's folder");
    }

    /** Text that a shell would run if it were pasted into a command: it parses, and it creates pwned1 and 2. */
    static String injection(Path dir) {
        return "x; touch " + dir.resolve("pwned1") + "; echo $(touch " + dir.resolve("pwned2") + ") #";
    }

    /** Text with every quote and escape a shell knows, unbalanced. */
    static String quotes(Path dir) {
        return "a ' b \" c \\ d `touch " + dir.resolve("pwned3") + "` $HOME && rm -rf " + dir.resolve("keep");
    }

    @Test
    void aVariableReachesACommandAsDataWhereverItStandsAndNothingInItRuns() throws Exception {
        Files.createDirectories(dir.resolve("keep"));
        Files.writeString(dir.resolve("upgrade.yaml"), """
          id: up
          environment: {name: "${fleet.environment}", stack: "${fleet.environment}-blue"}
          hooks:
            plain: {run: "echo ${fleet.injection}"}
            quoted:
              run: >-
                printf '%s\\n' ${fleet.quotes} "in double quotes: ${fleet.quotes}" 'in single quotes: ${fleet.quotes}'
                "$CUTOVER_FLEET_quotes"
          steps:
            - {kind: hook, id: plain, hook: plain}
            - {kind: hook, id: quoted, hook: quoted, dependsOn: [plain]}
          """);
        Path f = dir.resolve("fleet.yaml");
        // the values are written as YAML literal blocks, so they arrive exactly as given
        Files.writeString(
                f,
                "id: f\nplan: upgrade.yaml\nenvironments:\n  - name: acme\n    variables:\n      injection: |-\n"
                        + "        " + injection(dir) + "\n      quotes: |-\n        " + quotes(dir) + "\n");
        var hooks =
                FleetFiles.load(f).environment("acme").orElseThrow().planFile().hooks();

        assertThat(hooks.get("plain").run()).isEqualTo("echo \"${CUTOVER_FLEET_injection}\"");
        assertThat(hooks.get("quoted").env()).containsEntry("CUTOVER_FLEET_quotes", quotes(dir));
        assertThat(sh(hooks.get("plain"))).containsExactly(injection(dir));
        assertThat(sh(hooks.get("quoted")))
                .containsExactly(
                        quotes(dir),
                        "in double quotes: " + quotes(dir),
                        "in single quotes: " + quotes(dir),
                        quotes(dir));
        assertThat(dir.resolve("pwned1")).doesNotExist();
        assertThat(dir.resolve("pwned2")).doesNotExist();
        assertThat(dir.resolve("pwned3")).doesNotExist();
        assertThat(dir.resolve("keep")).isDirectory();
    }

    /** Runs a command as the command-line tool runs a hook ({@code ShellHooks}): its lines of output. */
    private static java.util.List<String> sh(io.cutover.plan.file.PlanDocument.Command c) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", c.run()).redirectErrorStream(true);
        pb.environment().putAll(c.env());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().toList();
    }

    @Test
    void variablesThatWouldMeetInOneShellNameAreRefusedWithBothNames() throws IOException {
        assertThatThrownBy(() -> load("id: f\nplan: upgrade.yaml\nenvironments:\n"
                        + "  - {name: acme, variables: {stack: acme-blue, db-id: a, db_id: b}}\n"))
                .isInstanceOf(FleetFileException.class)
                .hasMessageContaining("fleet.yaml:4:5: environments[acme].variables: variables 'db-id' and 'db_id'"
                        + " would both reach hook and check commands as CUTOVER_FLEET_db_id; rename one");
    }
}
