package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.InvalidPlanException;
import io.cutover.engine.CutoverRun;
import io.cutover.event.CutoverEvent;
import io.cutover.plan.Plan;
import io.cutover.state.RunStatus;
import io.cutover.state.StateCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secrets are referenced, read when a step needs them, and never stored in the state or put in an event. */
class SecretsTest {
    @Test
    void secretsReachTheCloudButNeitherTheStateNorTheEvents() {
        Fixture f = new Fixture();
        Plan plan = f.upgrade("secret-1")
                .parameter("DBInstanceClass", "${env:SHOP_DB_CLASS}")
                .parameter("AppVersion", "${secret:arn:aws:secretsmanager:us-east-1:123456789012:secret:shop#version}")
                .build();
        List<CutoverEvent> events = new ArrayList<>();
        CutoverRun run = f.sim.engine()
                .hooks(f.hooks)
                .listener(events::add)
                .environmentVariables(Map.of("SHOP_DB_CLASS", "db.r6g.secret-class")::get)
                .secrets((id, key) -> key.equals(java.util.Optional.of("version")) ? "2.0-top-secret" : "?")
                .build()
                .start(plan);
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(f.cloud.stack("shop-green").orElseThrow().parameters())
                .containsEntry("AppVersion", "2.0-top-secret")
                .containsEntry("DBInstanceClass", "db.r6g.secret-class");
        String state = new String(
                StateCodec.ofDefaults().encode(f.sim.store().load("secret-1").orElseThrow()));
        assertThat(state)
                .doesNotContain("2.0-top-secret")
                .doesNotContain("db.r6g.secret-class")
                .contains("${secret:arn:aws:secretsmanager");
        assertThat(events)
                .allSatisfy(e -> assertThat(e.describe() + e)
                        .doesNotContain("2.0-top-secret")
                        .doesNotContain("db.r6g.secret-class"));
    }

    @Test
    void anEnvironmentVariableThatIsNotSetIsRefusedBeforeAnythingChanges() {
        Fixture f = new Fixture();
        Plan plan = f.upgrade("secret-2")
                .parameter("DBPassword", "${env:SHOP_DB_PASSWORD}")
                .build();
        assertThatThrownBy(() -> f.sim.engine()
                        .hooks(f.hooks)
                        .environmentVariables(name -> null)
                        .build()
                        .start(plan))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining(
                        "steps[clone].parameters.DBPassword: ${env:SHOP_DB_PASSWORD}: environment variable "
                                + "SHOP_DB_PASSWORD is not set");
        assertThat(f.cloud.stack("shop-green")).isEmpty();
    }
}
