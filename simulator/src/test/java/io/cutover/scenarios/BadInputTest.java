package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.InvalidPlanException;
import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.spi.FailureKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input is refused before anything changes in the cloud, with a message that names the field and the fix. */
class BadInputTest {
    private final Fixture f = new Fixture();

    private void refusedBeforeAnyCall(Plan plan, String field, String... fix) {
        var before = f.cloud.calls();
        assertThatThrownBy(() -> f.engine().start(plan))
                .isInstanceOf(InvalidPlanException.class)
                .satisfies(e -> assertThat(((InvalidPlanException) e).problems())
                        .anySatisfy(p -> {
                            assertThat(p.field()).isEqualTo(field);
                            for (String s : fix) {
                                assertThat(p.message()).contains(s);
                            }
                        }));
        assertThat(f.cloud.calls()).as("no provider call").isEqualTo(before);
        assertThat(f.sim.store().runIds()).isEmpty();
        assertThat(f.sim.store().lock("shop-prod")).isEmpty();
    }

    private Plan withSteps(List<StepSpec> steps) {
        return Plan.of("bad", f.env, steps);
    }

    private static StepSpec.Approval gate(String id, String... deps) {
        return new StepSpec.Approval(
                StepId.of(id), List.of(deps).stream().map(StepId::of).toList(), "ok?");
    }

    @Test
    void aCycleIsNamedWithItsPath() {
        refusedBeforeAnyCall(
                withSteps(List.of(gate("a", "c"), gate("b", "a"), gate("c", "b"))),
                "steps",
                "cycle",
                "a -> c -> b -> a",
                "remove one");
    }

    @Test
    void aDependencyOnAStepThatDoesNotExistIsNamed() {
        refusedBeforeAnyCall(withSteps(List.of(gate("a", "nope"))), "steps[a].dependsOn", "'nope'", "known steps: [a]");
    }

    @Test
    void aMissingIdentifierIsNamed() {
        Environment env = Environment.of("shop-prod", "shop-blue").withDatabase(Environment.Database.instance(""));
        var before = f.cloud.calls();
        assertThatThrownBy(() -> f.engine().start(Plan.of("bad", env, List.of(gate("a")))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining(
                        "environment.databases[0].id: is missing; give 1 to 63 letters, digits or hyphens");
        assertThat(f.cloud.calls()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1db",
                "db--data",
                "db-",
                "db_data",
                "a123456789a123456789a123456789a123456789a123456789a123456789abcd"
            })
    void aDatabaseIdentifierRdsWouldRejectIsRefused(String id) {
        Plan plan = withSteps(List.of(
                new StepSpec.SnapshotDatabase(StepId.of("snap"), List.of(), Environment.Database.instance(id))));
        var before = f.cloud.calls();
        assertThatThrownBy(() -> f.engine().start(plan))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("steps[snap].database.id: '" + id + "'");
        assertThat(f.cloud.calls()).isEqualTo(before);
    }

    @Test
    void aTtlOutOfRangeIsRefused() {
        refusedBeforeAnyCall(
                withSteps(List.of(new StepSpec.LowerTtl(StepId.of("ttl"), List.of(), Optional.empty(), -5))),
                "steps[ttl].ttl",
                "-5 is out of range",
                "0 to 2147483647");
    }

    @Test
    void aWeightOutOfRangeIsRefused() {
        Environment env = f.env.withDns(f.env.dns().orElseThrow().weighted("blue"));
        List<StepSpec> steps = new ArrayList<>();
        steps.add(new StepSpec.Verify(
                StepId.of("verify"), List.of(), List.of(StepSpec.Check.Http.of("http://x/")), null, null));
        steps.add(new StepSpec.SwitchDns(
                StepId.of("switch"),
                List.of(StepId.of("verify")),
                Optional.empty(),
                "green.example.com",
                List.of(10, 300),
                Optional.empty(),
                Duration.ofMinutes(1),
                List.of()));
        refusedBeforeAnyCall(
                Plan.of("bad", env, steps), "steps[switch].weights[1]", "300 is out of range", "weights are 0 to 255");
    }

    @Test
    void trafficMovedToAStackNothingVerifiedIsRefused() {
        refusedBeforeAnyCall(
                withSteps(List.of(new StepSpec.SwitchDns(
                        StepId.of("switch"),
                        List.of(),
                        Optional.empty(),
                        "green.example.com",
                        List.of(),
                        Optional.empty(),
                        null,
                        List.of()))),
                "steps[switch].dependsOn",
                "no verify step comes before it");
    }

    @Test
    void aReferenceToAnOutputOfAStepNotDependedOnIsRefused() {
        refusedBeforeAnyCall(
                withSteps(List.of(
                        gate("a"),
                        new StepSpec.RestoreDatabase(
                                StepId.of("restore"),
                                List.of(),
                                Environment.Database.instance("shop-blue-database"),
                                "${a.snapshotId}",
                                Optional.empty(),
                                Optional.empty()))),
                "steps[restore].snapshot",
                "${a.snapshotId}",
                "add it to dependsOn");
    }

    @Test
    void anUnknownStackIsRefusedWithOnlyReadsMade() {
        Plan plan = Plan.of("bad", Environment.of("shop-prod", "no-such-stack"), List.of(gate("a")));
        assertThatThrownBy(() -> f.engine().start(plan))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining(
                        "environment.stack: stack 'no-such-stack' does not exist; check the name, the account "
                                + "and the region");
        assertThat(f.cloud.calls().keySet())
                .allMatch(op -> op.startsWith("Describe")
                        || op.startsWith("List")
                        || op.startsWith("Get")
                        || op.equals("ValidateTemplate"));
        assertThat(f.sim.store().runIds()).isEmpty();
    }

    @Test
    void aHostedZoneThatDoesNotExistIsNamedFromTheRecordsReadAlone() {
        Environment.DnsRecord r = f.env.dns().orElseThrow();
        Environment env = f.env.withDns(Environment.DnsRecord.of("Z0000000000NOSUCHZONE", r.name(), r.type()));
        assertThatThrownBy(() -> f.engine().start(f.upgrade("bad", env).build()))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("environment.dns.zoneId: hosted zone 'Z0000000000NOSUCHZONE' does not exist;"
                        + " check the name, the account and the region")
                .hasMessageNotContaining("environment.dns.name");
        assertThat(f.cloud.calls())
                .as("ListResourceRecordSets proves the zone; no GetHostedZone")
                .containsKey("ListResourceRecordSets")
                .doesNotContainKey("GetHostedZone");
        assertThat(f.sim.store().runIds()).isEmpty();
    }

    @Test
    void aMissingPermissionNamesTheActionToGrant() {
        f.cloud.faults().failNext("DescribeDBInstances", FailureKind.ACCESS_DENIED, 1);
        assertThatThrownBy(() -> f.engine().start(f.plan()))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("environment.databases[0]: cannot read instance database 'shop-blue-database': "
                        + "access denied; grant DescribeDBInstances");
        assertThat(f.cloud.stack("shop-green")).isEmpty();
    }

    @Test
    void aTemplateTheCloudRejectsIsRefused() {
        Plan plan = f.upgrade("bad")
                .template(StepSpec.TemplateRef.ofBody("{\"Resources\": {}}"))
                .build();
        assertThatThrownBy(() -> f.engine().start(plan))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("steps[clone].template: the template was rejected")
                .hasMessageContaining("At least one Resources member must be defined");
    }

    @Test
    void aHookThatIsNotRegisteredIsRefused() {
        Plan plan = withSteps(List.of(new StepSpec.Hook(
                StepId.of("pause"), List.of(), "pause-jobs", Optional.empty(), StepSpec.Downtime.STARTS, "")));
        assertThatThrownBy(() -> f.engine().start(plan))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("steps[pause].hook: no hook named 'pause-jobs' is registered with the engine");
    }

    @Test
    void aGreenNameThatIsTakenIsRefused() {
        Plan plan = f.upgrade("bad").greenStack("shop-blue-2").build();
        f.cloud.deploy("shop-blue-2", io.cutover.simulator.CloudSimulation.sampleTemplate(), Map.of());
        assertThatThrownBy(() -> f.engine().start(plan))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("steps[clone].stackName: a stack named 'shop-blue-2' exists already");
    }

    /** Regression: the fleet runner told "try later" from "refused" by the words "cannot check" in a message. */
    @Test
    void aReadThrottledInThePreflightIsARetryableProblemAndAPermanentOneIsNot() {
        f.cloud.faults().failNext("DescribeStacks", FailureKind.THROTTLING, 100);
        assertThatThrownBy(() -> f.engine().start(f.plan())).isInstanceOfSatisfying(InvalidPlanException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.problems())
                    .allSatisfy(p -> assertThat(p.failure()).contains(io.cutover.FailureType.THROTTLED));
        });
        Fixture g = new Fixture();
        g.cloud.faults().failNext("DescribeStacks", FailureKind.PERMANENT, 100);
        assertThatThrownBy(() -> g.engine().start(g.plan())).isInstanceOfSatisfying(InvalidPlanException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.problems()).anySatisfy(p -> assertThat(p.message()).startsWith("cannot check"));
        });
        assertThat(g.sim.store().runIds()).isEmpty();
    }
}
