package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.InvalidPlanException;
import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Validation;
import io.cutover.plan.file.PlanFiles;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.state.InMemoryStateStore;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.step.Compensation;
import io.cutover.step.Operations;
import io.cutover.step.PreflightReads;
import io.cutover.step.Services;
import io.cutover.step.StepBehaviour;
import io.cutover.step.StepContext;
import io.cutover.step.StepKind;
import io.cutover.step.StepOutcome;
import io.cutover.step.kinds.StepKinds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A step kind added through the registry alone (this file and one {@code with(...)}), run in a plan on the
 * simulated cloud: validated, checked by the preflight, started, polled, its output used by a later step.
 */
class CustomStepKindTest {
    /** Reads one output of blue's stack, after a wait, and gives it as {@code value}. */
    record RememberOutput(StepId id, List<StepId> dependsOn, String output) implements StepSpec {
        RememberOutput {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        }
    }

    static final class RememberOutputKind implements StepKind<RememberOutput> {
        @Override
        public String name() {
            return "remember-output";
        }

        @Override
        public Class<RememberOutput> type() {
            return RememberOutput.class;
        }

        @Override
        public void validate(RememberOutput step, Validation v) {
            v.present(step.output(), "output", "name an output of blue's stack, e.g. Endpoint");
        }

        @Override
        public Outputs outputs(RememberOutput step) {
            return Outputs.of("value");
        }

        @Override
        public void preflight(RememberOutput step, PreflightReads reads) {
            reads.read("output", "blue's stack", () -> {
                var d = reads.cloud().stacks().describe(reads.environment().stack());
                if (!d.outputs().containsKey(step.output())) {
                    reads.problem("output", "blue's stack has no output '" + step.output() + "'");
                }
            });
        }

        @Override
        public Map<String, Integer> preflightCalls(RememberOutput step) {
            return Map.of(Services.CLOUDFORMATION, 1);
        }

        @Override
        public StepBehaviour behaviour(RememberOutput step) {
            return new StepBehaviour() {
                @Override
                public String describe() {
                    return "remember blue's output " + step.output();
                }

                @Override
                public List<String> permissions() {
                    return List.of("cloudformation:DescribeStacks");
                }

                @Override
                public StepOutcome start(StepContext ctx) {
                    return StepOutcome.Pending.after(Duration.ofSeconds(30), Operations.WAIT, "waiting a little");
                }

                @Override
                public StepOutcome poll(StepContext ctx) {
                    var d = ctx.cloud()
                            .stacks()
                            .describe(ctx.plan().environment().stack());
                    return StepOutcome.Done.of(Map.of("value", d.outputs().get(step.output())));
                }

                @Override
                public Compensation compensation() {
                    return Compensation.NONE;
                }
            };
        }
    }

    private static final StepKinds KINDS = StepKinds.builtIn().with(new RememberOutputKind());

    @Test
    void aKindAddedThroughTheRegistryRunsInAPlanAndItsOutputFeedsALaterStep() {
        CloudSimulation sim = CloudSimulation.create(
                Latencies.ofDefaults(), RateLimits.ofAws(), new Faults(), InMemoryStateStore.of(KINDS));
        Environment env = sim.deployApp("shop-prod", "shop-blue", "1.0");
        Plan plan = Plan.of(
                "custom-1",
                env,
                List.of(
                        new RememberOutput(StepId.of("remember"), List.of(), "Endpoint"),
                        new StepSpec.Verify(
                                StepId.of("check-blue"),
                                List.of(StepId.of("remember")),
                                List.of(StepSpec.Check.Http.of("http://${remember.value}/health")),
                                null,
                                null)));
        Engine engine = sim.engine().stepKinds(KINDS).build();

        assertThat(Engine.preview(plan, KINDS))
                .contains("[remember-output]")
                .contains("remember blue's output Endpoint");
        CutoverRun run = engine.start(plan);
        sim.runUntilSettled(run);

        RunState end = run.state();
        assertThat(end.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(end.step(StepId.of("remember")).outputs().get("value")).isNotBlank();
        assertThat(end.step(StepId.of("remember")).calls()).isGreaterThanOrEqualTo(2);
        assertThat(end.step(StepId.of("check-blue")).status().name()).isEqualTo("SUCCEEDED");
        // The stored state reads back through the same registry.
        assertThat(sim.store().load("custom-1"))
                .hasValueSatisfying(s -> assertThat(s.plan()).isEqualTo(plan));
    }

    @Test
    void theKindsRulesAndPreflightRefuseABadStepBeforeAnythingRuns() {
        CloudSimulation sim = CloudSimulation.create(
                Latencies.ofDefaults(), RateLimits.ofAws(), new Faults(), InMemoryStateStore.of(KINDS));
        Environment env = sim.deployApp("shop-prod", "shop-blue", "1.0");
        Engine engine = sim.engine().stepKinds(KINDS).build();
        Plan wrongOutput = Plan.of(
                "custom-2",
                env,
                List.of(
                        new RememberOutput(StepId.of("remember"), List.of(), "Endpoint"),
                        new StepSpec.Verify(
                                StepId.of("check-blue"),
                                List.of(StepId.of("remember")),
                                List.of(StepSpec.Check.Http.of("http://${remember.valu}/health")),
                                null,
                                null)));
        assertThatThrownBy(() -> engine.start(wrongOutput))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("steps[check-blue].checks[0].url")
                .hasMessageContaining("gives no output 'valu'; it gives value");

        Plan noSuchOutput =
                Plan.of("custom-3", env, List.of(new RememberOutput(StepId.of("remember"), List.of(), "NoSuchOutput")));
        assertThatThrownBy(() -> engine.start(noSuchOutput))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("steps[remember].output: blue's stack has no output 'NoSuchOutput'");
        assertThat(sim.store().runIds()).isEmpty();
    }

    @Test
    void planFilesReadTheKindByItsName() {
        String yaml = """
                id: custom-4
                environment: {name: shop-prod, stack: shop-blue}
                steps:
                  - {kind: remember-output, id: remember, output: Endpoint}
                """;
        Plan plan = PlanFiles.parse(Path.of("custom.yaml"), yaml, KINDS).plan();
        assertThat(plan.steps())
                .singleElement()
                .isEqualTo(new RememberOutput(StepId.of("remember"), List.of(), "Endpoint"));
        assertThatThrownBy(() -> PlanFiles.parse(Path.of("custom.yaml"), yaml))
                .hasMessageContaining("'remember-output' is not a step kind; valid: hook,");
    }
}
