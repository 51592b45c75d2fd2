package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.plan.file.PlanFile;
import io.cutover.plan.file.PlanFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The plan file the README shows is a valid plan: docs that are not tested drift. */
class ReadmeExamplesTest {
    @Test
    void theReadmePlanFileExampleParsesAndValidates() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("```yaml\n", readme.indexOf("## Plan files")) + 8;
        String yaml = readme.substring(start, readme.indexOf("```", start));
        PlanFile pf = PlanFiles.parse(Path.of("../examples/plans/readme-example.yaml"), yaml);
        assertThat(pf.plan().id()).isEqualTo("upgrade-2-0");
        assertThat(pf.plan().steps())
                .extracting(s -> s.id().value())
                .contains("freeze", "resync", "switch-dns", "notify");
        assertThat(pf.hooks()).containsKeys("pause-jobs", "resume-jobs");
        assertThat(pf.checks()).containsKey("smoke");
    }
}
