package io.cutover.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.InvalidPlanException;
import io.cutover.plan.DataDisks.ReplaceVolume;
import io.cutover.plan.file.PlanFiles;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The checks of replace-volume's source: a snapshot, or blue's volume to copy, and never both. */
class DataDisksTest {
    private static final String PLAN = """
            id: copy
            environment: {name: shop-prod, stack: shop-blue, volumes: [vol-0123456789abcdef0]}
            hooks:
              pause-jobs: {run: "true"}
              resume-jobs: {run: "true"}
            steps:
              - {kind: hook, id: freeze, hook: pause-jobs, undo: resume-jobs, downtime: STARTS}
              - kind: replace-volume
                id: replace-disk
                dependsOn: [freeze]
                volume: vol-0fedcba9876543210
                copyOf: vol-0123456789abcdef0
            """;

    @Test
    void aPlanFileCopiesBluesVolumeWithCopyOf() {
        Plan plan = PlanFiles.parse(Path.of("copy.yaml"), PLAN).plan();

        ReplaceVolume step = (ReplaceVolume) plan.steps().get(1);
        assertThat(step.copyOf()).contains("vol-0123456789abcdef0");
        assertThat(step.snapshot()).isNull();
        assertThat(step)
                .isEqualTo(Steps.replaceVolume("replace-disk")
                        .dependsOn("freeze")
                        .volume("vol-0fedcba9876543210")
                        .copyOf("vol-0123456789abcdef0")
                        .build());
    }

    @Test
    void aSourceIsRequiredAndTheMessageNamesBothWays() {
        assertThatThrownBy(() ->
                        Steps.replaceVolume("r").volume("vol-0123456789abcdef0").build())
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("steps[r].snapshot: is missing")
                .hasMessageContaining("copyOf");
    }

    @Test
    void aSnapshotAndACopyTogetherAreRefused() {
        assertThatThrownBy(() -> Steps.replaceVolume("r")
                        .volume("vol-0123456789abcdef0")
                        .snapshot("snap-0123456789abcdef0")
                        .copyOf("vol-0123456789abcdef1")
                        .build())
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("steps[r].copyOf")
                .hasMessageContaining("snap-0123456789abcdef0");
    }

    @Test
    void fastSnapshotRestoreIsRefusedForACopy() {
        assertThatThrownBy(() -> Steps.replaceVolume("r")
                        .volume("vol-0123456789abcdef0")
                        .copyOf("vol-0123456789abcdef1")
                        .fastSnapshotRestore(true)
                        .build())
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("steps[r].fastSnapshotRestore")
                .hasMessageContaining("not supported for volume copies");
    }

    @Test
    void aCopyOfSomethingThatIsNotAVolumeIsRefusedWithTheShapeExpected() {
        assertThatThrownBy(() -> Steps.replaceVolume("r")
                        .volume("vol-0123456789abcdef0")
                        .copyOf("snap-0123456789abcdef0")
                        .build())
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("steps[r].copyOf")
                .hasMessageContaining("vol-");
        ReplaceVolume ok = Steps.replaceVolume("r")
                .volume("vol-0123456789abcdef0")
                .copyOf("${blue.outputs.DataVolumeId}")
                .build();
        assertThat(ok.copyOf()).isEqualTo(Optional.of("${blue.outputs.DataVolumeId}"));
    }
}
