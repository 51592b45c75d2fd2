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
    void aPlanThatLowersTheTtlAndSwitchesWithoutRestoringItIsRefusedWithTheStepThatFixesIt() {
        Plan withRestore = Strategies.parallelUpgrade("up-1", ENV)
                .greenStack("app-green")
                .template(StepSpec.TemplateRef.ofBody("{}"))
                .check(StepSpec.Check.Http.of("https://${green.outputs.Endpoint}/health"))
                .lowerTtlTo(60)
                .bake(java.time.Duration.ofHours(1))
                .build();
        Plan without = Plan.of(
                "up-1",
                ENV,
                withRestore.steps().stream()
                        .filter(s -> !(s instanceof StepSpec.RestoreTtl))
                        .toList());

        assertThat(PlanValidator.problems(withRestore, io.cutover.step.kinds.StepKinds.builtIn()))
                .isEmpty();
        assertThat(PlanValidator.problems(without, io.cutover.step.kinds.StepKinds.builtIn()))
                .anySatisfy(p -> {
                    assertThat(p.field()).isEqualTo("steps[lower-ttl].ttl");
                    assertThat(p.message())
                            .contains("would keep 60 s after the cutover")
                            .contains("{kind: restore-ttl, id: restore-ttl, lowered: lower-ttl");
                });
    }

    @Test
    void theParallelUpgradeStrategyWritesAValidPlanWithTheRehearsalAndTheResync() {
        Plan plan = Strategies.parallelUpgrade("up-1", ENV)
                .template(StepSpec.TemplateRef.ofUrl("https://my-bucket.s3.eu-west-1.amazonaws.com/t.json"))
                .snapshotParameter("DBSnapshotIdentifier", "app-db")
                .check(StepSpec.Check.Http.of("https://${green.outputs.Endpoint}/health"))
                .freezeWrites("freeze", "unfreeze")
                .build();

        assertThat(PlanValidator.problems(plan, io.cutover.step.kinds.StepKinds.builtIn()))
                .isEmpty();
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
                        "restore-ttl",
                        "decommission");
        assertThat(plan.upstreamOf(StepId.of("decommission"))).contains(StepId.of("freeze"), StepId.of("lower-ttl"));
    }

    @Test
    void aDerivedNameOverTheLimitIsRefusedNotShortenedIntoAHashThatCanCollide() {
        String planId = "p".repeat(40);
        Plan plan = Plan.of(
                planId,
                ENV,
                List.of(new StepSpec.SnapshotDatabase(
                        StepId.of("s".repeat(30)), List.of(), Environment.Database.instance("app-db"))));

        assertThat(PlanValidator.problems(plan, io.cutover.step.kinds.StepKinds.builtIn()))
                .anySatisfy(p -> {
                    assertThat(p.field()).isEqualTo("steps[" + "s".repeat(30) + "]");
                    assertThat(p.message())
                            .contains(planId + "-" + "s".repeat(30))
                            .contains("71 characters long; the limit is 63")
                            .contains("never shortens");
                });
    }

    @Test
    void twoStepsThatWouldNameTheirSnapshotsAlikeIgnoringCaseAreRefused() {
        Plan clash = Plan.of(
                "up",
                ENV,
                List.of(
                        new StepSpec.SnapshotDatabase(
                                StepId.of("app-db-final"), List.of(), Environment.Database.instance("app-db")),
                        new StepSpec.RestoreDatabase(
                                StepId.of("copy"),
                                List.of(),
                                Environment.Database.instance("app-db"),
                                "snap-1",
                                Optional.of("UP-APP-DB-FINAL"),
                                Optional.empty()),
                        new StepSpec.RestoreDatabase(
                                StepId.of("copy-2"),
                                List.of(),
                                Environment.Database.instance("app-db"),
                                "snap-1",
                                Optional.of("up-app-db-final"),
                                Optional.empty())));
        assertThat(PlanValidator.problems(clash, io.cutover.step.kinds.StepKinds.builtIn()))
                .anySatisfy(p -> {
                    assertThat(p.field()).isEqualTo("steps[copy-2].newId");
                    assertThat(p.message()).contains("is also the name of").contains("'copy'");
                });
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Plan plan = Plan.of(
                "Bad Id",
                Environment.of("", "9stack"),
                List.of(new StepSpec.Verify(StepId.of("v"), List.of(), List.of(), Duration.ZERO, null)));
        assertThat(PlanValidator.problems(plan, io.cutover.step.kinds.StepKinds.builtIn()))
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

    @Test
    void aReferenceToAnOutputTheStepNeverGivesIsRefusedBeforeARun() {
        StepSpec snap = new StepSpec.SnapshotVolume(StepId.of("snap-vol"), List.of(), "vol-0123456789abcdef0");
        StepSpec restore = new StepSpec.RestoreDatabase(
                StepId.of("restore"),
                List.of(StepId.of("snap-vol")),
                Environment.Database.instance("app-db"),
                "${snap-vol.snapshotID}",
                Optional.empty(),
                Optional.empty());
        List<Problem> problems = PlanValidator.problems(
                Plan.of("p", ENV, List.of(snap, restore)), io.cutover.step.kinds.StepKinds.builtIn());

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("steps[restore].snapshot");
            assertThat(p.message())
                    .contains("${snap-vol.snapshotID}")
                    .contains("gives no output 'snapshotID'")
                    .contains("it gives snapshotId");
        });
    }

    @Test
    void aReferenceToAStepNotUpstreamIsRefusedEvenWhenTheOutputExists() {
        StepSpec snap = new StepSpec.SnapshotVolume(StepId.of("snap-vol"), List.of(), "vol-0123456789abcdef0");
        StepSpec restore = new StepSpec.RestoreDatabase(
                StepId.of("restore"),
                List.of(),
                Environment.Database.instance("app-db"),
                "${snap-vol.snapshotId}",
                Optional.empty(),
                Optional.empty());
        List<Problem> problems = PlanValidator.problems(
                Plan.of("p", ENV, List.of(snap, restore)), io.cutover.step.kinds.StepKinds.builtIn());

        assertThat(problems)
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("which this step does not depend on"));
    }

    @Test
    void anOutputAKindGivesUnderAPrefixIsAccepted() {
        StepRules.Outputs finals = StepRules.Outputs.none().withPrefix("finalSnapshot.");
        assertThat(finals.gives("finalSnapshot.app-db")).isTrue();
        assertThat(finals.gives("snapshotId")).isFalse();
        assertThat(StepRules.Outputs.any().gives("Endpoint")).isTrue();
    }
}
