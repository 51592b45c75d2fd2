package io.cutover.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.InvalidPlanException.Problem;
import io.cutover.state.StateCodec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlanValidatorTest {
    private static final Environment ENV = Environment.of("prod", "app-blue")
            .withDatabase(Environment.Database.instance("app-db"))
            .withVolume("vol-0123456789abcdef0")
            .withDns(Environment.DnsRecord.of("Z123", "app.example.com", "CNAME"));

    @ParameterizedTest
    @CsvSource({
        "app-db, ",
        "a, ",
        "1db, must start with a letter",
        "db--1, two hyphens in a row",
        "db-, ends with a hyphen",
        "db_1, must start with a letter and hold only letters",
        "'', is missing"
    })
    void databaseIdentifiersFollowRdsRules(String id, String problem) {
        Optional<String> p = Identifiers.checkDatabaseId(id);
        if (problem == null) {
            assertThat(p).isEmpty();
        } else {
            assertThat(p).hasValueSatisfying(m -> assertThat(m).contains(problem));
        }
    }

    @Test
    void sixtyFourCharactersIsOneTooMany() {
        assertThat(Identifiers.checkDatabaseId("a".repeat(63))).isEmpty();
        assertThat(Identifiers.checkDatabaseId("a".repeat(64)))
                .hasValueSatisfying(m -> assertThat(m).contains("64 characters long; the limit is 63"));
    }

    @Test
    void theParallelUpgradeStrategyWritesAValidPlanWithTheRehearsalAndTheResync() {
        Plan plan = Strategies.parallelUpgrade("up-1", ENV)
                .template(StepSpec.TemplateRef.ofUrl("https://my-bucket.s3.eu-west-1.amazonaws.com/t.json"))
                .snapshotParameter("DBSnapshotIdentifier", "app-db")
                .check(StepSpec.Check.Http.of("https://${green.outputs.Endpoint}/health"))
                .freezeWrites("freeze", "unfreeze")
                .build();

        assertThat(PlanValidator.problems(plan)).isEmpty();
        assertThat(plan.inOrder())
                .extracting(s -> s.id().value())
                .containsExactly(
                        "lower-ttl",
                        "snap-rehearsal-db",
                        "snap-rehearsal-vol",
                        "clone",
                        "verify-rehearsal",
                        "freeze",
                        "snap-final-db",
                        "snap-final-vol",
                        "resync",
                        "verify-final",
                        "switch-dns",
                        "bake",
                        "decommission");
        assertThat(plan.upstreamOf(StepId.of("decommission"))).contains(StepId.of("freeze"), StepId.of("lower-ttl"));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Plan plan = Plan.of(
                "Bad Id",
                Environment.of("", "9stack"),
                List.of(new StepSpec.Verify(StepId.of("v"), List.of(), List.of(), Duration.ZERO, null)));
        assertThat(PlanValidator.problems(plan))
                .extracting(Problem::field)
                .contains("id", "environment.name", "environment.stack", "steps[v].checks", "steps[v].timeout");
    }

    @Test
    void aPlanIsDataThatRoundTripsThroughJson() throws Exception {
        Plan plan = Strategies.parallelUpgrade("up-1", ENV)
                .template(StepSpec.TemplateRef.ofBody("{}"))
                .check(new StepSpec.Check.Custom("smoke"))
                .weighted(List.of(10, 255))
                .build();
        var mapper = StateCodec.mapper();
        String json = mapper.writeValueAsString(plan);
        assertThat(mapper.readValue(json, Plan.class)).isEqualTo(plan);
        assertThat(json).contains("\"kind\" : \"switch-dns\"").contains("\"type\" : \"custom\"");
    }

    @Test
    void expressionsResolveAndSecretsAreRecognised() {
        assertThat(Expressions.resolve(
                        "${a.b}-${plan.id}", r -> Optional.of(r instanceof Expressions.PlanId ? "p" : "x")))
                .isEqualTo("x-p");
        assertThat(Expressions.holdsSecret("postgres://u:${env:DB_PASSWORD}@h")).isTrue();
        assertThat(Expressions.holdsSecret("${green.outputs.Endpoint}")).isFalse();
    }
}
