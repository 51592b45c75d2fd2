package io.cutover.plan.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.cutover.step.kinds.StepKinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/schema/plan.schema.json is what {@link JsonSchemas} generates from the model now, and every example plan
 * passes it. To write it anew after changing the model: {@code ./mvnw -q -pl core test -Dtest=PlanSchemaTest
 * -Dcutover.writeSchemas=true}.
 */
class PlanSchemaTest {
    static final Path DOCS = Path.of("..", "docs", "schema", "plan.schema.json");
    private static final Path EXAMPLES = Path.of("..", "examples", "plans");

    @Test
    void theSchemaInTheDocsIsTheOneTheModelGivesNow() throws IOException {
        String generated = JsonSchemas.render(JsonSchemas.plan(StepKinds.builtIn()));
        if (Boolean.getBoolean("cutover.writeSchemas")) {
            Files.writeString(DOCS, generated);
        }
        assertThat(Files.readString(DOCS))
                .as("%s is out of date; regenerate it with -Dcutover.writeSchemas=true (see this test's Javadoc)", DOCS)
                .isEqualTo(generated);
    }

    @Test
    void everyExamplePlanFilePassesTheSchema() throws IOException {
        Schema schema = schema();
        List<Path> plans;
        try (Stream<Path> files = Stream.concat(Files.list(EXAMPLES), Files.list(EXAMPLES.resolve("fleet")))) {
            plans = files.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !p.getFileName().toString().equals("fleet.yaml"))
                    .sorted()
                    .toList();
        }
        assertThat(plans).hasSizeGreaterThanOrEqualTo(7);
        for (Path plan : plans) {
            assertThat(errors(schema, plan, Files.readString(plan)))
                    .as(plan.toString())
                    .isEmpty();
        }
    }

    @Test
    void aMisspelledKindAFieldNoKindHasAndAWrongTypeFailIt() {
        String bad = """
                id: bad
                environment: {name: shop, stack: shop-blue, databases: [{kind: instance, id: shop-db}]}
                steps:
                  - {kind: snapshot-databse, id: snap}
                  - {kind: snapshot-volume, id: vol, volumeId: vol-0123456789abcdef0}
                  - {kind: lower-ttl, id: ttl, ttl: sixty}
                  - {kind: bake, id: bake, duration: a day}
                """;
        List<String> errors = errors(schema(), Path.of("bad.yaml"), bad).stream()
                .map(e -> e.getInstanceLocation() + " " + e.getMessage())
                .toList();

        assertThat(String.join("\n", errors))
                .contains("/steps/0/kind")
                .contains("volumeId")
                .contains("/steps/2/ttl")
                .contains("/steps/3/duration");
        assertThat(errors(schema(), Path.of("ok.yaml"), bad.lines().limit(2).reduce("", (a, b) -> a + b + "\n")))
                .isEmpty();
    }

    static Schema schema() {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(JsonSchemas.render(JsonSchemas.plan(StepKinds.builtIn())), InputFormat.JSON);
    }

    /** The file as the reader sees it (StrictYaml's tree), checked against the schema. */
    static List<Error> errors(Schema schema, Path file, String text) {
        StrictYaml.Document tree = StrictYaml.parse(file.toString(), text, StrictYaml.MAX_PLAN_BYTES, "empty");
        return schema.validate(tree.root().toString(), InputFormat.JSON);
    }
}
