package io.cutover.plan.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.plan.StepId;
import io.cutover.plan.TimeLimits;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Time limits in a plan file: for every operation, by step id, on a step; bounded, on steps that exist. */
class TimeLimitsFileTest {
    private static final String PLAN = """
            id: big-db
            environment:
              name: shop-prod
              stack: shop-blue
              databases: [{kind: instance, id: shop-db}]
            %s
            steps:
              - {kind: snapshot-database, id: snap-db, database: {kind: instance, id: shop-db}%s}
              - {kind: snapshot-database, id: snap-db2, database: {kind: instance, id: shop-db}}
            """;

    private static PlanFileException refused(String top, String onStep) {
        return (PlanFileException) org.assertj.core.api.Assertions.catchThrowable(
                () -> PlanFiles.parse(Path.of("plan.yaml"), PLAN.formatted(top, onStep)));
    }

    @Test
    void aPlanSetsALimitForEveryOperationAndOneForAStepOnTheStepOrByItsId() {
        TimeLimits limits = PlanFiles.parse(
                        Path.of("plan.yaml"),
                        PLAN.formatted("defaults: {operationTimeout: 2h}\ntimeouts: {snap-db2: 3h}", ", timeout: 6h"))
                .plan()
                .limits();

        assertThat(limits.operationTimeout()).contains(Duration.ofHours(2));
        assertThat(limits.of(StepId.of("snap-db"))).contains(Duration.ofHours(6));
        assertThat(limits.of(StepId.of("snap-db2"))).contains(Duration.ofHours(3));
    }

    @Test
    void aVerifyStepKeepsItsOwnTimeoutForItsChecks() {
        String plan = PLAN.formatted("", "")
                + "  - {kind: verify, id: v, dependsOn: [snap-db], timeout: 15m, checks: [{type: custom, name: c}]}\n";
        var parsed = PlanFiles.parse(Path.of("plan.yaml"), plan).plan();
        assertThat(((io.cutover.plan.StepSpec.Verify) parsed.stepOrThrow(StepId.of("v"))).timeout())
                .isEqualTo(Duration.ofMinutes(15));
        assertThat(parsed.limits().steps()).doesNotContainKey(StepId.of("v"));
    }

    @Test
    void withoutLimitsEachOperationKeepsItsScaledDefault() {
        assertThat(PlanFiles.parse(Path.of("plan.yaml"), PLAN.formatted("", ""))
                        .plan()
                        .limits()
                        .isEmpty())
                .isTrue();
    }

    @Test
    void aLimitOutOfBoundsOrOnAStepThePlanDoesNotHaveIsRefusedByName() {
        assertThat(refused("defaults: {operationTimeout: 10s}", "").getMessage())
                .contains("defaults.operationTimeout")
                .contains("10s is out of range; a time limit is at least 1m and at most 7d");
        assertThat(refused("", ", timeout: 30d").getMessage())
                .contains("steps[snap-db].timeout")
                .contains("at most");
        assertThat(refused("timeouts: {snap-dbb: 3h}", "").getMessage())
                .contains("steps[snap-dbb].timeout")
                .contains("not a step of this plan");
        assertThatThrownBy(() -> PlanFiles.parse(Path.of("plan.yaml"), PLAN.formatted("", ", timeout: soon")))
                .isInstanceOf(PlanFileException.class);
    }
}
