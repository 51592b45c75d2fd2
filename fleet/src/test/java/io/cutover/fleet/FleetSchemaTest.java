package io.cutover.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.cutover.plan.file.JsonSchemas;
import io.cutover.plan.file.StrictYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/schema/fleet.schema.json is what {@link FleetFiles#schema()} generates now, and the example fleet passes
 * it. To write it anew: {@code ./mvnw -q -pl fleet -am test -Dtest=FleetSchemaTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dcutover.writeSchemas=true}.
 */
class FleetSchemaTest {
    private static final Path DOCS = Path.of("..", "docs", "schema", "fleet.schema.json");

    @Test
    void theSchemaInTheDocsIsTheOneTheModelGivesNow() throws IOException {
        String generated = JsonSchemas.render(FleetFiles.schema());
        if (Boolean.getBoolean("cutover.writeSchemas")) {
            Files.writeString(DOCS, generated);
        }
        assertThat(Files.readString(DOCS))
                .as("%s is out of date; regenerate it with -Dcutover.writeSchemas=true (see this test's Javadoc)", DOCS)
                .isEqualTo(generated);
    }

    @Test
    void theExampleFleetPassesAndAMisspelledFieldOrWrongTypeFails() throws IOException {
        Path example = Path.of("..", "examples", "plans", "fleet", "fleet.yaml");
        assertThat(errors(example.toString(), Files.readString(example))).isEmpty();

        String bad = """
                id: shop
                plan: upgrade.yaml
                concurrency: ten
                environments:
                  - {name: acme, regoin: eu-west-1}
                """;
        assertThat(errors("bad.yaml", bad).stream()
                        .map(e -> e.getInstanceLocation() + " " + e.getMessage())
                        .toList())
                .anySatisfy(m -> assertThat(m).contains("/concurrency"))
                .anySatisfy(m -> assertThat(m).contains("regoin"));
    }

    private static List<Error> errors(String file, String text) {
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(JsonSchemas.render(FleetFiles.schema()), InputFormat.JSON);
        StrictYaml.Document tree = StrictYaml.parse(file, text, StrictYaml.MAX_FLEET_BYTES, "empty");
        return schema.validate(tree.root().toString(), InputFormat.JSON);
    }
}
