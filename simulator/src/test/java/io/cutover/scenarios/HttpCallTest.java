package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.engine.CutoverRun;
import io.cutover.event.CutoverEvent;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Steps;
import io.cutover.simulator.SimulatedCloud;
import io.cutover.state.RunStatus;
import io.cutover.state.StateCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A vendor's admin API called as a step: maintenance mode on before the work and off again on rollback, with a
 * token from the secret store that never reaches the state or the events; calls retried on 5xx and no answer,
 * refused at once on 4xx.
 */
class HttpCallTest {
    static final String API = "https://admin.vendor.example/api/maintenance/on";
    static final String OFF = "https://admin.vendor.example/api/maintenance/off";
    static final String TOKEN = "t0ken-0f-the-vendor-api";

    private final Fixture f = new Fixture();
    private final List<CutoverEvent> events = new ArrayList<>();

    private static StepSpec maintenanceOn(int retries) {
        return Steps.httpCall("maintenance-on")
                .call("PUT", API)
                .header("Authorization", "Bearer ${secret:vendor-api#token}")
                .body("{\"enabled\": true, \"note\": \"upgrade-body-text\"}")
                .retries(retries)
                .undo(new StepSpec.HttpRequest(
                        "PUT",
                        OFF,
                        java.util.Map.of("Authorization", "Bearer ${secret:vendor-api#token}"),
                        Optional.of("{\"enabled\": false}"),
                        Optional.of(200)))
                .build();
    }

    private CutoverRun run(Plan plan) {
        CutoverRun run = f.sim.engine()
                .hooks(f.hooks)
                .listener(events::add)
                .secrets((id, key) -> TOKEN)
                .build()
                .start(plan);
        f.sim.runUntilSettled(run);
        return run;
    }

    private List<String> calls() {
        return f.cloud.history().stream()
                .filter(h -> h.kind().equals("http"))
                .map(h -> h.id() + " " + h.what())
                .toList();
    }

    @Test
    void maintenanceModeIsTurnedOnAndOffAgainOnRollbackWithoutTheTokenOrBodyBeingKept() {
        Plan plan = Plan.of(
                "maint-1",
                f.env,
                List.of(
                        maintenanceOn(0),
                        Steps.runCommand("check")
                                .dependsOn("maintenance-on")
                                .tag("aws:cloudformation:stack-name", "${blue.stack}")
                                .script("exit 4")
                                .build()));

        CutoverRun run = run(plan);

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(calls()).containsExactly("PUT " + API + " answered 200", "PUT " + OFF + " answered 200");
        assertThat(run.state().step(StepId.of("maintenance-on")).outputs()).containsEntry("status", "200");
        String state = new String(
                StateCodec.ofDefaults().encode(f.sim.store().load("maint-1").orElseThrow()), StandardCharsets.UTF_8);
        assertThat(state).doesNotContain(TOKEN).contains("Bearer ${secret:vendor-api#token}");
        assertThat(events)
                .allSatisfy(
                        e -> assertThat(e.describe() + e).doesNotContain(TOKEN).doesNotContain("upgrade-body-text"));
    }

    @Test
    void aCallThatGetsAServerErrorOrNoAnswerIsMadeAgainAfterABackoff() {
        f.cloud.httpAnswers(API, 503, 0, 200);

        CutoverRun run = run(Plan.of("maint-2", f.env, List.of(maintenanceOn(2))));

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(calls())
                .containsExactly(
                        "PUT " + API + " answered 503", "PUT " + API + " no answer", "PUT " + API + " answered 200");
        List<SimulatedCloud.Happening> http =
                f.cloud.history().stream().filter(h -> h.kind().equals("http")).toList();
        assertThat(java.time.Duration.between(http.get(0).at(), http.get(1).at()))
                .isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(java.time.Duration.between(http.get(1).at(), http.get(2).at()))
                .isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(10));
    }

    @Test
    void aClientErrorFailsTheStepAtOnceAndRetriesRunOut() {
        f.cloud.httpAnswers(API, 403);

        CutoverRun run = run(Plan.of("maint-3", f.env, List.of(maintenanceOn(3))));

        assertThat(run.status()).isNotEqualTo(RunStatus.COMPLETED);
        // the call may have taken effect before it was refused: its undo runs
        assertThat(calls()).containsExactly("PUT " + API + " answered 403", "PUT " + OFF + " answered 200");
        assertThat(run.state().step(StepId.of("maintenance-on")).error().orElseThrow())
                .contains("PUT " + API + " answered 403, expected 2xx");

        f.cloud.httpAnswers(API, 502);
        CutoverRun again = run(Plan.of("maint-4", f.env, List.of(maintenanceOn(1))));
        assertThat(again.state().step(StepId.of("maintenance-on")).error().orElseThrow())
                .contains("answered 502, expected 2xx (after 1 retries)");
    }
}
