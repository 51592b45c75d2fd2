package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every bad plan file in {@code src/test/resources/bad-plans} is refused by {@code cutover plan} and by
 * {@code cutover run --simulate} with exit status 2 and a message naming the file, the line, the field and
 * what would be valid; nothing runs.
 */
class BadPlanCorpusTest {
    static final Path CORPUS = Path.of("src/test/resources/bad-plans");

    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
      malformed.yaml             | 4  |                             | not valid YAML
      unknown-field.yaml         | 4  | environment.stak            | unknown field 'stak'; valid here:
      wrong-type.yaml            | 9  | steps[0].ttl                | expected a whole number
      missing-field.yaml         | 6  | steps[snap].database        | is missing; name the database by kind (instance or cluster) and id
      unknown-step.yaml          | 6  | steps[0].kind               | 'snapshot-db' is not a step kind; valid: hook, snapshot-database
      bad-identifier.yaml        | 6  | environment.databases[0].id | 'shop--db' contains two hyphens in a row, which RDS rejects
      impossible-order.yaml      | 5  | steps                       | the dependencies form a cycle: first -> second -> first
      undefined-hook.yaml        | 8  | steps[pause].hook           | names hook 'pause-job', which the file's hooks section does not define; defined: [pause-jobs]
      bad-duration.yaml          | 10 | steps[1].duration           | expected a duration such as 90s, 5m, 24h, 7d or PT24H
      weight-out-of-range.yaml   | 14 | steps[switch].weights[2]    | 256 is out of range; weights are 0 to 255
      output-not-upstream.yaml   | 12 | steps[restore].snapshot     | ${snap.snapshotId} is an output of 'snap', which this step does not depend on; add it to dependsOn
      unknown-check-type.yaml    | 8  | steps[0].checks[0].type     | 'tcp' is not a check type; valid: http, custom
      unsafe-order.yaml          | 7  | steps[switch].dependsOn     | moves traffic to green, but no verify step comes before it
      bad-ttl.yaml               | 7  | steps[ttl].ttl              | -60 is out of range; a TTL is 0 to 2147483647 seconds
      missing-template-file.yaml | 9  | steps[0].template.file      | no-such-template.json does not exist; check the path
      missing-volume.yaml        | 6  | steps[snap-vol].volume      | is missing; name a volume of the environment
      """)
    void aBadPlanIsRefusedWithItsFileLineFieldAndFix(String file, int line, String field, String message) {
        Path p = CORPUS.resolve(file);
        for (String[] r : new String[][] {run("plan", p.toString()), run("run", "--simulate", p.toString())}) {
            assertThat(r[0]).as("exit status").isEqualTo(String.valueOf(ExitCodes.INVALID));
            assertThat(r[1]).as("nothing ran").doesNotContain("started");
            String where = p + ":" + line;
            assertThat(r[2]).contains(where).contains(message);
            if (field != null) {
                assertThat(r[2]).contains(where).contains(field + ": ");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void theCorpusIsCoveredWhole() throws Exception {
        try (Stream<Path> files = Files.list(CORPUS)) {
            assertThat(files.count()).isEqualTo(16);
        }
    }
}
