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
      run-command-secret.yaml    | 9  | steps[dump].script          | holds a secret (${secret:...} or ${env:...}), and a script is kept in the command's history
      run-command-no-target.yaml | 6  | steps[stop].instances       | give exactly one of instances (e.g. ["${green.outputs.InstanceId}"]) and tags
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

    /**
     * Hostile inputs, one per class of issue 12: YAML read loosely (duplicate keys, a second document, tags,
     * merge keys, tabs, an empty file, UTF-16, empty items, wrong shapes), numbers and durations (decimals for
     * whole numbers, overflow, negative and absurd durations), reference syntax, identifiers as AWS checks
     * them, names that become file names, and files and URLs a template may not come from. Each is refused
     * at its line and column, naming the field, what was found and the fix.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      absurd-bake.yaml                       | 10  | steps[1].duration                    | '5000d' is longer than any duration a plan may give (at most 3650d); g
      allocation-id.yaml                     | 5   | environment.address                  | 'eipalloc-XYZ' is not an allocation id; expected 'eipalloc-' and 8 or
      check-timeout-too-long.yaml            | 9   | steps[v].checks[0].timeout           | PT2H is longer than the PT5M allowed here; give a shorter one
      database-listed-twice.yaml             | 7   | environment.databases[1].id          | 'SHOP-DB' is listed twice (also environment.databases[0]; RDS ids igno
      decimal-ttl.yaml                       | 9   | steps[0].ttl                         | expected a whole number; found 60.9
      decimal-weight.yaml                    | 12  | steps[1].weights[0]                  | expected a whole number; found 25.5
      dns-label-too-long.yaml                | 5   | environment.dns.name                 | 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' has
      dns-wildcard-in-middle.yaml            | 5   | environment.dns.name                 | 'app.*.example.com' has '*' in a middle label; a wildcard replaces onl
      duplicate-key.yaml                     | 5   | environment                          | 'environment' is written twice in this mapping (first at line 2); keep
      empty-secret-key.yaml                  | 9   | steps[update].parameters.DbPassword  | ${secret:arn:aws:secretsmanager:eu-west-1:123456789012:secret:db#} has
      empty-step.yaml                        | 7   | steps[1]                             | an empty list item; give a value after the '-' or remove the line
      empty.yaml                             | 1   |                                      | the file is empty; a plan needs an id, an environment, and a strategy
      environment-name-bidi.yaml             | 3   | environment.name                     | the text holds a bidirectional-text mark (U+202E) at character 5; remo
      environment-name-control.yaml          | 3   | environment.name                     | the text holds a control character (U+0007) at character 5; remove it
      environment-name-too-long.yaml         | 3   | environment.name                     | 'ssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss...' is 1
      fleet-variable-outside-fleet.yaml      | 4   | environment.stack                    | '${fleet.stack}' must start with a letter and hold only letters, digit
      hook-env-name.yaml                     | 8   | hooks.pause-jobs.env                 | 'QUEUE; rm -rf /' is not an environment variable's name; use letters,
      huge-number.yaml                       | 9   | steps[0].checks[0].expectStatus      | 99999999999999999999 is out of range; give a whole number from 0 to 21
      merge-key.yaml                         | 7   | steps[0].<<                          | merge keys (<<) are not supported; write the fields out, or use an ali
      negative-stage-interval.yaml           | 13  | steps[switch].stageInterval          | PT-1M is not positive; give a duration above 0 and at most PT24H, e.g.
      negative-timeout.yaml                  | 8   | steps[v].timeout                     | PT-5M is not positive; give a duration above 0 and at most PT24H, e.g.
      null-steps-item.yaml                   | 6   | steps[0]                             | an empty list item; give a value after the '-' or remove the line
      overflowing-duration.yaml              | 10  | steps[1].duration                    | '100000000000000d' is longer than any duration a plan may give (at mos
      snapshot-id-starts-with-digit.yaml     | 10  | steps[restore].snapshot              | '1-nightly' must start with a letter and hold only letters, digits and
      stack-name-underscore.yaml             | 4   | environment.stack                    | 'shop_blue' must start with a letter and hold only letters, digits and
      steps-not-a-list.yaml                  | 5   | steps                                | expected a list; found a mapping
      tab-indent.yaml                        | 3   |                                      | a tab where YAML allows only spaces; indent with spaces
      template-device.yaml                   | 9   | steps[0].template.file               | '/dev/zero' is outside the plan's folder
      template-outside-folder.yaml           | 9   | steps[0].template.file               | '../../../../../../etc/passwd' is outside the plan's folder
      template-proc.yaml                     | 9   | steps[0].template.file               | '/proc/self/environ' is outside the plan's folder
      template-url-file.yaml                 | 9   | steps[clone].template.url            | 'file:///etc/passwd' is not an HTTPS URL; CloudFormation reads templat
      template-url-link-local.yaml           | 9   | steps[clone].template.url            | 'https://169.254.169.254/latest/meta-data/' is not an Amazon S3 URL; C
      two-documents.yaml                     | 8   |                                      | the file holds more than one YAML document (a second '---'); keep one
      unknown-reference-kind.yaml            | 9   | steps[update].parameters.Version     | ${vault:app/version}: 'vault:' is not a kind of reference; valid: ${en
      unknown-tag.yaml                       | 8   | steps[0].stackName                   | the tag '!Ref' is not understood here; plan and fleet files take no ta
      unterminated-reference.yaml            | 11  | steps[switch].target                 | '${green.outputs.Endpoint' opens a reference with ${ but never closes
      utf16.yaml                             | 1   |                                      | is UTF-16 (or UTF-32) text; save it as UTF-8 and try again
      volume-id-length.yaml                  | 5   | environment.volumes[0]               | 'vol-0123456789' is not a volume id; expected 'vol-' and 8 or 17 lower
      zone-id.yaml                           | 5   | environment.dns.zoneId               | 'z-1; drop' is not a hosted zone id; expected up to 32 upper-case lett
      """)
    void aHostilePlanIsRefusedWithItsFileLineFieldAndFix(String file, int line, String field, String message) {
        aBadPlanIsRefusedWithItsFileLineFieldAndFix(file, line, field, message);
    }

    @org.junit.jupiter.api.Test
    void aTemplateFromADeviceOrProcIsRefusedEvenFromAnywhereAndNothingOfItIsShown() {
        for (String file : new String[] {"template-device.yaml", "template-proc.yaml"}) {
            String[] r =
                    run("plan", "--files-from-anywhere", CORPUS.resolve(file).toString());
            assertThat(r[0]).isEqualTo("2");
            assertThat(r[2])
                    .contains(":9:16: steps[0].template.file: template file")
                    .contains("is not a regular file");
        }
        String[] r = run(
                "plan",
                "--files-from-anywhere",
                CORPUS.resolve("template-outside-folder.yaml").toString());
        assertThat(r[0]).isEqualTo("2");
        // /etc/passwd is a regular file, but not a template: its content never appears in the message.
        assertThat(r[2]).doesNotContain("root:");
    }

    @org.junit.jupiter.api.Test
    void aFifoIsRefusedWithoutWaitingForAWriter(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("plan.yaml");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor()).isZero();
        String[] r = run("plan", fifo.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("plan file " + fifo + " is not a regular file");
    }

    @org.junit.jupiter.api.Test
    void aPlanFileLargerThanTheLimitIsRefusedBeforeItIsParsed(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path big = dir.resolve("big.yaml");
        Files.write(big, new byte[(int) io.cutover.plan.file.StrictYaml.MAX_PLAN_BYTES + 1]);
        String[] r = run("plan", big.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("is 8388609 bytes; the limit is 8388608 bytes; split it");
    }

    @org.junit.jupiter.api.Test
    void theCorpusIsCoveredWhole() throws Exception {
        try (Stream<Path> files = Files.list(CORPUS)) {
            assertThat(files.count()).isEqualTo(18 + 39);
        }
    }
}
