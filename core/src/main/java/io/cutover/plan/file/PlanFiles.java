package io.cutover.plan.file;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cutover.InvalidPlanException;
import io.cutover.plan.Plan;
import io.cutover.plan.PlanValidator;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Strategies;
import io.cutover.plan.TimeLimits;
import io.cutover.plan.file.PlanFileException.Located;
import io.cutover.step.kinds.StepKinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads plan files (YAML) through the one strict reader, {@link StrictYaml}. Every field of the Java model
 * can be written; a field that is not one is an error, not ignored. Every problem is reported with the
 * file, line, column and field, what was found and what would be valid, before anything else happens.
 * Durations are ISO-8601 ({@code PT24H}) or short ({@code 24h}, {@code 90s}, {@code 1h30m}); none is longer
 * than {@link #MAX_DURATION}. A template named by {@code template.file} is read from the plan's folder only
 * (unless {@link FileAccess#ANYWHERE}), must be a regular file of at most {@link StrictYaml#MAX_TEMPLATE_BYTES}
 * bytes, and its content is never shown in a message.
 */
public final class PlanFiles {
    private static final Pattern SHORT_DURATION = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    /** The longest duration a plan file may give anywhere (10 years); each field has its own, smaller bound. */
    public static final Duration MAX_DURATION = Duration.ofDays(3650);

    /** The longest a hook's or check's command may run ({@code timeout} of hooks and checks). */
    public static final Duration MAX_COMMAND_TIMEOUT = Duration.ofHours(24);

    private static final String ENV_NAME = "[A-Za-z_][A-Za-z0-9_]{0,127}";

    private static final String EMPTY =
            "the file is empty; a plan needs an id, an environment, and a strategy or steps";

    /** Where files that a plan names (templates) may be read from. */
    public enum FileAccess {
        /** Only from the plan file's folder and below (the default). */
        PLAN_FOLDER,
        /** From anywhere the process may read (the command-line tool's {@code --files-from-anywhere}). */
        ANYWHERE
    }

    private PlanFiles() {}

    /** The YAML mapper for plan files: strict about numbers (a decimal is not a whole number). */
    public static ObjectMapper yamlMapper() {
        return yamlMapper(StepKinds.builtIn());
    }

    /** The YAML mapper for plan files whose steps are of {@code kinds}. */
    public static ObjectMapper yamlMapper(StepKinds kinds) {
        SimpleModule durations = new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer());
        return JsonMapper.builder(new YAMLFactory())
                .addModule(new Jdk8Module())
                .addModule(new JavaTimeModule())
                .addModule(durations)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .registerSubtypes(kinds.jsonSubtypes())
                .build();
    }

    private static final ObjectMapper MAPPER = yamlMapper();

    /** Reads a plan file; templates only from its folder. */
    public static PlanFile load(Path path) {
        return load(path, FileAccess.PLAN_FOLDER, StepKinds.builtIn());
    }

    /** Reads a plan file whose steps are of {@code kinds}; templates only from its folder. */
    public static PlanFile load(Path path, StepKinds kinds) {
        return load(path, FileAccess.PLAN_FOLDER, kinds);
    }

    public static PlanFile load(Path path, FileAccess access) {
        return load(path, access, StepKinds.builtIn());
    }

    public static PlanFile load(Path path, FileAccess access, StepKinds kinds) {
        String text = StrictYaml.readText(path, StrictYaml.MAX_PLAN_BYTES, "plan file", path.toString(), "");
        return parse(path, text, access, kinds);
    }

    /** Parses plan-file text; {@code path} names it in messages and anchors relative template files. */
    public static PlanFile parse(Path path, String text) {
        return parse(path, text, FileAccess.PLAN_FOLDER, StepKinds.builtIn());
    }

    /** Parses plan-file text whose steps are of {@code kinds}. */
    public static PlanFile parse(Path path, String text, StepKinds kinds) {
        return parse(path, text, FileAccess.PLAN_FOLDER, kinds);
    }

    public static PlanFile parse(Path path, String text, FileAccess access) {
        return parse(path, text, access, StepKinds.builtIn());
    }

    public static PlanFile parse(Path path, String text, FileAccess access, StepKinds kinds) {
        return fromDocument(path, read(path, text, access), kinds);
    }

    /**
     * Parses plan-file text into its strict tree, with template files read in (so that several uses of one
     * plan, as in a fleet, read them once).
     */
    public static StrictYaml.Document read(Path path, String text, FileAccess access) {
        StrictYaml.Document doc = StrictYaml.parse(path.toString(), text, StrictYaml.MAX_PLAN_BYTES, EMPTY);
        if (!doc.root().isObject()) {
            throw StrictYaml.refuse(
                    doc.file(),
                    1,
                    1,
                    "",
                    "the file holds " + PlanFileMessages.kindOf(doc.root())
                            + ", not a plan; a plan is a mapping with id, environment," + " and a strategy or steps");
        }
        List<Located> problems = new ArrayList<>();
        readTemplates(path, doc, doc.root(), "", access, problems);
        if (!problems.isEmpty()) {
            throw new PlanFileException(problems);
        }
        return doc;
    }

    /** Binds a strict tree (as {@link #read} gives, perhaps with values substituted) to a plan and checks it. */
    public static PlanFile fromDocument(Path path, StrictYaml.Document tree) {
        return fromDocument(path, tree, StepKinds.builtIn());
    }

    /** Binds a strict tree whose steps are of {@code kinds} to a plan and checks it. */
    public static PlanFile fromDocument(Path path, StrictYaml.Document tree, StepKinds kinds) {
        String file = tree.file();
        PlanDocument doc;
        Map<String, Duration> stepTimeouts = new java.util.LinkedHashMap<>();
        try {
            ObjectMapper mapper = kinds == StepKinds.builtIn() ? MAPPER : yamlMapper(kinds);
            doc = mapper.readerFor(PlanDocument.class)
                    .with(new InjectableValues.Std()
                            .addValue("planDirectory", path.toAbsolutePath().getParent()))
                    .readValue(withoutStepTimeouts(tree, mapper, kinds, stepTimeouts));
        } catch (JsonProcessingException e) {
            throw new PlanFileException(List.of(PlanFileMessages.locate(tree, e, kinds)));
        } catch (IOException | RuntimeException e) {
            throw new PlanFileException(List.of(new Located(
                    file,
                    1,
                    1,
                    "",
                    "the plan cannot be read: " + PlanFileMessages.ownMessage(e).orElse("check its fields"))));
        }
        Plan plan;
        try {
            plan = toPlan(doc, stepTimeouts);
        } catch (IllegalArgumentException | NullPointerException | IllegalStateException e) {
            throw new PlanFileException(List.of(tree.problem(
                    "strategy",
                    PlanFileMessages.ownMessage(e).orElse("the strategy cannot be built from these fields"))));
        }
        List<Located> located = new ArrayList<>();
        for (InvalidPlanException.Problem p : PlanValidator.problems(plan, kinds)) {
            located.add(tree.problem(p.field(), p.message()));
        }
        for (Map.Entry<String, Map<String, PlanDocument.Command>> section :
                Map.of("hooks", doc.hooks(), "checks", doc.checks()).entrySet()) {
            section.getValue().forEach((name, c) -> {
                String at = section.getKey() + "." + name;
                if (c == null || c.run() == null || c.run().isBlank()) {
                    located.add(tree.problem(at + ".run", "is missing; give the command to run"));
                } else if (c.env().keySet().stream().anyMatch(k -> !k.matches(ENV_NAME))) {
                    located.add(tree.problem(
                            at + ".env",
                            "'"
                                    + c.env().keySet().stream()
                                            .filter(k -> !k.matches(ENV_NAME))
                                            .findFirst()
                                            .orElseThrow()
                                    + "' is not an environment variable's name; use letters, digits and '_',"
                                    + " not starting with a digit"));
                } else if (c.timeout().isNegative()
                        || c.timeout().isZero()
                        || c.timeout().compareTo(MAX_COMMAND_TIMEOUT) > 0) {
                    located.add(tree.problem(
                            at + ".timeout",
                            PlanFileMessages.describe(c.timeout())
                                    + " is out of range; a command's timeout is more than 0 and at most "
                                    + PlanFileMessages.describe(MAX_COMMAND_TIMEOUT) + ", e.g. 5m"));
                }
            });
        }
        for (StepSpec s : plan.steps()) {
            for (String name : kinds.of(s).hooks(s).values()) {
                if (name != null && !doc.hooks().containsKey(name)) {
                    located.add(tree.problem(
                            "steps[" + s.id() + "].hook",
                            "names hook '" + name + "', which the file's hooks section does not " + "define; defined: "
                                    + doc.hooks().keySet()));
                } else if (name != null) {
                    commandReferences(
                            plan, kinds, s, "hooks." + name, doc.hooks().get(name), tree, located);
                }
            }
            for (StepSpec.Check c : PlanValidator.checksOf(kinds, s)) {
                if (c instanceof StepSpec.Check.Custom cc && doc.checks().containsKey(cc.name())) {
                    commandReferences(
                            plan, kinds, s, "checks." + cc.name(), doc.checks().get(cc.name()), tree, located);
                }
            }
        }
        if (!located.isEmpty()) {
            throw new PlanFileException(located);
        }
        return new PlanFile(path, plan, doc.hooks(), doc.checks());
    }

    /**
     * The references in a hook's or check's command and env ({@link HookCommand}), as the step that runs it
     * would resolve them: well formed, known when the step runs, and no secret on the command line.
     */
    private static void commandReferences(
            Plan plan,
            StepKinds kinds,
            StepSpec step,
            String at,
            PlanDocument.Command command,
            StrictYaml.Document tree,
            List<Located> located) {
        if (command == null || command.run() == null) {
            return;
        }
        Map<String, String> texts = new java.util.LinkedHashMap<>();
        texts.put(at + ".run", command.run());
        command.env().forEach((k, v) -> texts.put(at + ".env." + k, v));
        for (Map.Entry<String, String> t : texts.entrySet()) {
            try {
                List<io.cutover.plan.Expressions.Ref> refs = HookCommand.references(t.getValue());
                if (t.getKey().endsWith(".run")) {
                    HookCommand.secretProblem(t.getValue()).ifPresent(m -> located.add(tree.problem(t.getKey(), m)));
                }
                for (InvalidPlanException.Problem p :
                        PlanValidator.referenceProblems(plan, kinds, step, t.getKey(), refs)) {
                    located.add(tree.problem(p.field(), "(run by step '" + step.id() + "') " + p.message()));
                }
            } catch (IllegalArgumentException e) {
                located.add(tree.problem(t.getKey(), e.getMessage()));
            }
        }
    }

    /** Replaces each {@code template: {file: ...}} by the file's body, read under the rules above. */
    private static void readTemplates(
            Path planPath, StrictYaml.Document doc, JsonNode node, String path, FileAccess access, List<Located> out) {
        if (node.isObject()) {
            ObjectNode obj = (ObjectNode) node;
            if (path.endsWith("template") && obj.has("file")) {
                readTemplate(planPath, doc, obj, path, access, out);
                return;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = obj.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                readTemplates(
                        planPath,
                        doc,
                        f.getValue(),
                        path.isEmpty() ? f.getKey() : path + "." + f.getKey(),
                        access,
                        out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                readTemplates(planPath, doc, node.get(i), path + "[" + i + "]", access, out);
            }
        }
    }

    private static void readTemplate(
            Path planPath, StrictYaml.Document doc, ObjectNode obj, String path, FileAccess access, List<Located> out) {
        String field = path + ".file";
        JsonNode f = obj.get("file");
        if (obj.has("body") || obj.has("url")) {
            out.add(doc.problemAt(field, field, "give one of file, body and url"));
            return;
        }
        if (!f.isTextual() || f.asText().isBlank()) {
            out.add(doc.problemAt(field, field, "give the template file's path, e.g. file: app.json"));
            return;
        }
        String name = f.asText();
        if (name.contains("${")) {
            out.add(doc.problemAt(
                    field, field, "a template file's path cannot hold a reference (${...}); write it out"));
            return;
        }
        Path dir = planPath.toAbsolutePath().getParent();
        Path p = dir.resolve(name).normalize();
        if (access == FileAccess.PLAN_FOLDER) {
            boolean inside;
            try {
                Path realDir = dir.toRealPath();
                inside = !Files.exists(p) ? p.startsWith(dir) : p.toRealPath().startsWith(realDir);
            } catch (IOException e) {
                inside = p.startsWith(dir);
            }
            if (!inside) {
                out.add(doc.problemAt(
                        field,
                        field,
                        "'" + name + "' is outside the plan's folder " + dir
                                + "; move the template beside the plan, or allow files from anywhere"
                                + " (--files-from-anywhere)"));
                return;
            }
        }
        try {
            String body = StrictYaml.readText(p, StrictYaml.MAX_TEMPLATE_BYTES, "template file", doc.file(), field);
            obj.remove("file");
            obj.put("body", body);
        } catch (PlanFileException e) {
            StrictYaml.Position at = doc.exact(field).orElse(new StrictYaml.Position(0, 0));
            e.problems()
                    .forEach(pr -> out.add(new Located(doc.file(), at.line(), at.column(), pr.field(), pr.message())));
        }
    }

    /**
     * The tree with each explicit step's {@code timeout:} taken out (it is not a field of the step's kind but a
     * limit of the plan's), the limits put in {@code out} by step id. The document's own tree is not changed.
     */
    private static JsonNode withoutStepTimeouts(
            StrictYaml.Document tree, ObjectMapper mapper, StepKinds kinds, Map<String, Duration> out)
            throws IOException {
        JsonNode steps = tree.root().get("steps");
        if (steps == null || !steps.isArray()) {
            return tree.root();
        }
        ObjectNode copy = ((ObjectNode) tree.root()).deepCopy();
        for (JsonNode step : copy.get("steps")) {
            if (step.isObject() && step.has("timeout") && !ownsTimeout(step, kinds)) {
                JsonNode limit = ((ObjectNode) step).remove("timeout");
                JsonNode id = step.get("id");
                Duration d = mapper.readerFor(Duration.class).readValue(limit);
                if (id != null && id.isTextual() && d != null) {
                    out.put(id.asText(), d);
                }
            }
        }
        return copy;
    }

    /** Whether the step's kind has a {@code timeout} of its own (verify: how long its checks may take). */
    private static boolean ownsTimeout(JsonNode step, StepKinds kinds) {
        JsonNode kind = step.get("kind");
        return kind != null
                && kind.isTextual()
                && kinds.named(kind.asText())
                        .map(k -> java.util.Arrays.stream(
                                        k.type().getRecordComponents() == null
                                                ? new java.lang.reflect.RecordComponent[0]
                                                : k.type().getRecordComponents())
                                .anyMatch(c -> c.getName().equals("timeout")))
                        .orElse(false);
    }

    private static Plan toPlan(PlanDocument doc, Map<String, Duration> stepTimeouts) {
        Plan plan = toPlan(doc);
        TimeLimits limits = TimeLimits.ofDefaults();
        if (doc.defaults().isPresent() && doc.defaults().get().operationTimeout() != null) {
            limits = limits.operationTimeout(doc.defaults().get().operationTimeout());
        }
        Map<String, Duration> all = new java.util.LinkedHashMap<>(doc.timeouts());
        all.putAll(stepTimeouts);
        for (Map.Entry<String, Duration> e : all.entrySet()) {
            limits = limits.step(e.getKey(), e.getValue());
        }
        return plan.withLimits(limits).withNotifications(doc.notifications());
    }

    private static Plan toPlan(PlanDocument doc) {
        if (doc.environment() == null) {
            throw new IllegalArgumentException("environment is missing; describe the deployment to cut over");
        }
        List<StepSpec> steps = new ArrayList<>();
        if (doc.strategy().isPresent()) {
            PlanDocument.Strategy s = doc.strategy().get();
            if (s.parallelUpgrade().isPresent() == s.inPlaceUpdate().isPresent()) {
                throw new IllegalArgumentException("strategy: give exactly one of parallelUpgrade and inPlaceUpdate");
            }
            steps.addAll(
                    s.parallelUpgrade().isPresent()
                            ? parallel(doc, s.parallelUpgrade().get()).steps()
                            : inPlace(doc, s.inPlaceUpdate().get()).steps());
        }
        steps.addAll(doc.steps());
        return Plan.of(doc.id(), doc.environment(), steps);
    }

    private static Plan parallel(PlanDocument doc, PlanDocument.ParallelUpgrade p) {
        Strategies.ParallelUpgrade b = Strategies.parallelUpgrade(doc.id(), doc.environment());
        if (p.greenStack() != null) {
            b.greenStack(p.greenStack());
        }
        b.template(p.template());
        p.parameters().forEach(b::parameter);
        p.snapshotParameters().forEach(b::snapshotParameter);
        p.cloneParameters().forEach(b::cloneParameter);
        p.checks().forEach(b::check);
        if (p.freezeWrites() != null) {
            b.freezeWrites(p.freezeWrites().hook(), p.freezeWrites().undo());
        }
        if (p.target() != null) {
            b.target(p.target());
        }
        if (p.lowerTtlTo() != null) {
            b.lowerTtlTo(p.lowerTtlTo());
        }
        if (Boolean.FALSE.equals(p.rehearsal())) {
            b.withoutRehearsal();
        }
        if (Boolean.TRUE.equals(p.approveBeforeFreeze())) {
            b.approveBeforeFreeze();
        }
        if (p.bake() != null) {
            b.bake(p.bake());
        }
        if (p.verifyTimeout() != null) {
            b.verifyTimeout(p.verifyTimeout());
        }
        if (!p.weights().isEmpty()) {
            b.weighted(p.weights());
        }
        b.capabilities(p.capabilities());
        return b.build();
    }

    private static Plan inPlace(PlanDocument doc, PlanDocument.InPlaceUpdate p) {
        Strategies.InPlaceUpdate b = Strategies.inPlaceUpdate(doc.id(), doc.environment());
        if (p.template() != null) {
            b.template(p.template());
        }
        p.parameters().forEach(b::parameter);
        if (p.storageGuard() != null) {
            b.storageGuard(p.storageGuard().parameter(), p.storageGuard().database());
        }
        b.allowReplacement(p.allowReplacement().toArray(String[]::new));
        p.checks().forEach(b::check);
        if (p.maintenanceMode() != null) {
            b.maintenanceMode(p.maintenanceMode().hook(), p.maintenanceMode().undo());
        }
        if (Boolean.FALSE.equals(p.backup())) {
            b.withoutBackup();
        }
        return b.build();
    }

    /** A problem Jackson found while binding a strict tree, placed and worded for a person. */
    public static Located bindingProblem(StrictYaml.Document tree, JsonProcessingException e) {
        return PlanFileMessages.locate(tree, e, StepKinds.builtIn());
    }

    private static final class DurationDeserializer extends StdDeserializer<Duration> {
        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            String text = p.getValueAsString();
            if (text == null || text.isBlank()) {
                return (Duration) ctx.handleUnexpectedToken(Duration.class, p);
            }
            text = text.trim();
            Matcher m = SHORT_DURATION.matcher(text);
            Duration d;
            if (m.matches() && !text.isEmpty()) {
                java.math.BigInteger s = java.math.BigInteger.ZERO;
                long[] unit = {86400, 3600, 60, 1};
                for (int i = 0; i < 4; i++) {
                    if (m.group(i + 1) != null) {
                        s = s.add(new java.math.BigInteger(m.group(i + 1))
                                .multiply(java.math.BigInteger.valueOf(unit[i])));
                    }
                }
                if (s.compareTo(java.math.BigInteger.valueOf(MAX_DURATION.getSeconds())) > 0) {
                    throw tooLong(p, text);
                }
                d = Duration.ofSeconds(s.longValueExact());
            } else {
                try {
                    d = Duration.parse(text);
                } catch (ArithmeticException e) {
                    throw tooLong(p, text);
                } catch (DateTimeParseException e) {
                    if (e.getCause() instanceof ArithmeticException) {
                        throw tooLong(p, text);
                    }
                    throw MismatchedInputException.from(p, Duration.class, "'" + text + "' is not a duration");
                }
            }
            if (d.abs().compareTo(MAX_DURATION) > 0) {
                throw tooLong(p, text);
            }
            return d;
        }

        private static MismatchedInputException tooLong(JsonParser p, String text) {
            return MismatchedInputException.from(
                    p,
                    Duration.class,
                    "TOO_LONG:'" + text + "' is longer than any duration a plan may give (at most "
                            + PlanFileMessages.describe(MAX_DURATION) + "); give a shorter one");
        }
    }
}
