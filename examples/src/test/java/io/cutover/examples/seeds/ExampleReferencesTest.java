package io.cutover.examples.seeds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cutover.plan.Plan;
import io.cutover.state.StateCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No example names a file that is not in the repository: every template file, fleet plan, hook script or program
 * and folder a hook works in, named by a plan file in {@code examples/plans} (and its folders) or by a plan the
 * Java examples build, is there. A hook's command runs in its plan file's folder, so its relative paths are
 * resolved from there (and from the folder a {@code cd} moves to).
 */
class ExampleReferencesTest {
    static final Path PLANS = Path.of("plans");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final java.util.regex.Pattern EXPLICIT = java.util.regex.Pattern.compile("(?<![\\w./$])\\.\\.?/[\\w./-]+");

    @Test
    void everyFileAPlanFileNamesIsInTheRepository() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(PLANS)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).as("the example plan files").hasSizeGreaterThanOrEqualTo(8);

        List<String> missing = new ArrayList<>();
        int seen = 0;
        for (Path file : files) {
            JsonNode doc = YAML.readTree(file.toFile());
            if (!doc.has("steps") && !doc.has("strategy") && !doc.has("plan")) {
                continue; // not a plan nor a fleet (QHub's qhub-config.yaml, which a hook works on)
            }
            List<Reference> refs = references(doc, file.getParent());
            seen += refs.size();
            refs.stream()
                    .filter(r -> !Files.exists(r.path()))
                    .forEach(r -> missing.add(file + ": " + r.where() + " names " + r.path() + ", which is not there"));
        }
        assertThat(missing).isEmpty();
        // the templates, CloudShell's upgrade-path program, QHub's folder and config file, the fleet's plan and
        // script: what the scan must find, or it finds nothing to check
        assertThat(seen).isGreaterThanOrEqualTo(15);
    }

    @Test
    void everyFileAPlanBuiltInJavaNamesIsInTheRepository() {
        // building a plan reads its templates from examples/plans (SeedWorld.template fails on a missing one);
        // a hook in Java is code, not a file; a path in one of its fields must be there too
        List<Plan> plans = List.of(
                CloudShellUpgrade.plan(
                        "cloudshell-val", CloudShellUpgrade.environment("validation"), "2022.2 GA", "2023.3 GA"),
                QhubRedeploy.plan(),
                CloverDxUpgrade.plan(),
                OpenBoxesParallelUpgrade.plan(),
                CodeOceanStackUpdate.plan("100"));
        List<String> missing = new ArrayList<>();
        for (Plan plan : plans) {
            JsonNode tree = StateCodec.mapper().valueToTree(plan);
            for (JsonNode step : tree.get("steps")) {
                // a run-command's script names files on the instances, not in the repository
                List<String> onInstances = List.of("script", "undo");
                step.properties().stream()
                        .filter(f -> !(isRunCommand(step) && onInstances.contains(f.getKey())))
                        .forEach(f -> strings(
                                f.getValue(),
                                s -> commandPaths(s, PLANS, true).stream()
                                        .filter(p -> !Files.exists(p))
                                        .forEach(p -> missing.add(plan.id() + " step "
                                                + step.get("id").asText() + " names " + p + ", which is not there"))));
            }
        }
        assertThat(missing).isEmpty();
    }

    private static boolean isRunCommand(JsonNode step) {
        return step.has("script") && (step.has("instances") || step.has("tags"));
    }

    /** A file a plan file names, and where. */
    record Reference(String where, Path path) {}

    /**
     * The files a plan file names: each {@code file:} (a template), a fleet file's {@code plan:}, in each hook's
     * and check's {@code run:} every relative path it runs or reads, and elsewhere each {@code ./} or {@code ../}
     * path (but in a run-command's script, which names files on the instances).
     */
    static List<Reference> references(JsonNode doc, Path dir) {
        List<Reference> out = new ArrayList<>();
        walk(doc, "", (where, node) -> {
            String key = where.substring(where.lastIndexOf('.') + 1);
            if (key.equals("file") || (where.equals("plan") && node.asText().endsWith(".yaml"))) {
                out.add(new Reference(where, dir.resolve(node.asText())));
            } else if ((where.startsWith("hooks.") || where.startsWith("checks.")) && key.equals("run")) {
                commandPaths(node.asText(), dir, false).forEach(p -> out.add(new Reference(where, p)));
            } else if (!(where.startsWith("steps[") && (key.equals("script") || key.equals("undo")))) {
                // a ./ or ../ path anywhere else (a prompt, a description); a run-command's script names files
                // on the instances
                commandPaths(node.asText(), dir, true).forEach(p -> out.add(new Reference(where, p)));
            }
        });
        return out;
    }

    /**
     * The relative paths a shell command names, resolved from {@code dir}: a folder it moves to with {@code cd},
     * and each word that starts with {@code ./} or {@code ../} or names a script, program or configuration file
     * ({@code .sh}, {@code .java}, {@code .py}, {@code .ps1}, {@code .yaml}, {@code .json}, ...), from the folder
     * it has moved to (only the {@code ./} and {@code ../} ones when {@code explicitOnly}: in prose, such as a
     * gate's prompt, a file name may be one the vendor's tool writes). Words with a variable or a URL are left out.
     */
    static List<Path> commandPaths(String command, Path dir, boolean explicitOnly) {
        List<Path> out = new ArrayList<>();
        if (explicitOnly) {
            // prose is no shell command (an apostrophe is no quote): each ./ or ../ path in it
            java.util.regex.Matcher m = EXPLICIT.matcher(command);
            while (m.find()) {
                out.add(dir.resolve(m.group().replaceAll("[.]+$", "")).normalize());
            }
            return out;
        }
        Path here = dir;
        List<String> words = words(command);
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.contains("$") || w.contains("://") || w.startsWith("/") || w.startsWith("-")) {
                continue;
            }
            if (w.equals("cd") && i + 1 < words.size()) {
                here = here.resolve(words.get(++i));
                out.add(here);
            } else if (w.startsWith("./")
                    || w.startsWith("../")
                    || !explicitOnly && w.matches("[\\w./-]+\\.(sh|bash|java|jar|py|rb|pl|ps1|yaml|yml|json|conf)")) {
                out.add(here.resolve(w).normalize());
            }
        }
        return out;
    }

    /** A command's words, quotes removed, with {@code &&}, {@code ||}, {@code ;}, {@code |}, braces apart. */
    static List<String> words(String command) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        for (char c : command.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (Character.isWhitespace(c) || ";&|{}()!".indexOf(c) >= 0) {
                if (!w.isEmpty()) {
                    out.add(w.toString());
                    w.setLength(0);
                }
            } else {
                w.append(c);
            }
        }
        if (!w.isEmpty()) {
            out.add(w.toString());
        }
        return out;
    }

    private static void walk(JsonNode node, String where, java.util.function.BiConsumer<String, JsonNode> visit) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> f : node.properties()) {
                walk(f.getValue(), where.isEmpty() ? f.getKey() : where + "." + f.getKey(), visit);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), where + "[" + i + "]", visit);
            }
        } else if (node.isTextual()) {
            visit.accept(where, node);
        }
    }

    private static void strings(JsonNode node, java.util.function.Consumer<String> visit) {
        walk(node, "", (where, n) -> visit.accept(n.asText()));
    }
}
