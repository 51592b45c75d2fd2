package io.cutover.plan.file;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cutover.InvalidPlanException;
import io.cutover.plan.Plan;
import io.cutover.plan.PlanValidator;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Strategies;
import io.cutover.plan.file.PlanFileException.Located;
import io.cutover.step.kinds.StepKinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads plan files (YAML). Every field of the Java model can be written; a field that is not one is an
 * error, not ignored. Every problem is reported with the file, line and field, and what would be valid,
 * before anything else happens. Durations are ISO-8601 ({@code PT24H}) or short ({@code 24h},
 * {@code 90s}, {@code 1h30m}).
 */
public final class PlanFiles {
    private static final Pattern SHORT_DURATION = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private PlanFiles() {}

    /** The YAML mapper for plan files. */
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
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .registerSubtypes(kinds.jsonSubtypes())
                .build();
    }

    public static PlanFile load(Path path) {
        return load(path, StepKinds.builtIn());
    }

    /** Reads a plan file whose steps are of {@code kinds}. */
    public static PlanFile load(Path path, StepKinds kinds) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new PlanFileException(List.of(new Located(path.toString(), 0, 0, "", "no such file")));
        } catch (IOException e) {
            throw new PlanFileException(
                    List.of(new Located(path.toString(), 0, 0, "", "cannot read: " + e.getMessage())));
        }
        return parse(path, text, kinds);
    }

    /** Parses plan-file text; {@code path} names it in messages and anchors relative template files. */
    public static PlanFile parse(Path path, String text) {
        return parse(path, text, StepKinds.builtIn());
    }

    /** Parses plan-file text whose steps are of {@code kinds}. */
    public static PlanFile parse(Path path, String text, StepKinds kinds) {
        String file = path.toString();
        Path dir = path.toAbsolutePath().getParent();
        PlanDocument doc;
        try {
            doc = yamlMapper(kinds)
                    .reader(new InjectableValues.Std().addValue("planDirectory", dir))
                    .forType(PlanDocument.class)
                    .readValue(text);
        } catch (JsonProcessingException e) {
            throw new PlanFileException(List.of(locate(file, text, e, kinds)));
        }
        if (doc == null) {
            throw new PlanFileException(List.of(new Located(
                    file,
                    1,
                    1,
                    "",
                    "the file is empty; a plan needs an id, an " + "environment, and a strategy or steps")));
        }
        Plan plan;
        try {
            plan = toPlan(doc);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new PlanFileException(List.of(new Located(file, 0, 0, "", e.getMessage())));
        }
        List<InvalidPlanException.Problem> problems = PlanValidator.problems(plan, kinds);
        List<Located> located = new ArrayList<>();
        for (InvalidPlanException.Problem p : problems) {
            int line = LineFinder.find(text, p.field());
            located.add(new Located(file, line, 0, p.field(), p.message()));
        }
        doc.hooks().forEach((name, c) -> {
            if (c.run() == null || c.run().isBlank()) {
                located.add(new Located(
                        file,
                        LineFinder.find(text, "hooks." + name),
                        0,
                        "hooks." + name + ".run",
                        "is missing; give the command to run"));
            }
        });
        for (StepSpec s : plan.steps()) {
            {
                for (String name : kinds.of(s).hooks(s).values()) {
                    if (!doc.hooks().containsKey(name)) {
                        located.add(new Located(
                                file,
                                LineFinder.find(text, "steps[" + s.id() + "].hook"),
                                0,
                                "steps[" + s.id() + "].hook",
                                "names hook '" + name + "', which the file's hooks section does not "
                                        + "define; defined: " + doc.hooks().keySet()));
                    }
                }
            }
        }
        if (!located.isEmpty()) {
            throw new PlanFileException(located);
        }
        return new PlanFile(path, plan, doc.hooks(), doc.checks());
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
        p.checks().forEach(b::check);
        if (p.maintenanceMode() != null) {
            b.maintenanceMode(p.maintenanceMode().hook(), p.maintenanceMode().undo());
        }
        if (Boolean.FALSE.equals(p.backup())) {
            b.withoutBackup();
        }
        return b.build();
    }

    private static Located locate(String file, String text, JsonProcessingException e, StepKinds kinds) {
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        int col = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
        String field = "";
        if (e instanceof JsonMappingException m) {
            field = path(m.getPath());
        }
        String message;
        if (e instanceof UnrecognizedPropertyException u) {
            message = "unknown field '" + u.getPropertyName() + "'; valid here: " + u.getKnownPropertyIds();
            field = field.isEmpty() ? u.getPropertyName() : field;
            // Jackson points past the field; the field's own line is what a person looks for.
            int at = LineFinder.find(text, field);
            if (at > 0) {
                line = at;
                col = 0;
            }
        } else if (e instanceof InvalidTypeIdException t) {
            boolean check = t.getBaseType() != null && t.getBaseType().getRawClass() == StepSpec.Check.class;
            message = "'" + t.getTypeId() + "' is not a "
                    + (check
                            ? "check type; valid: http, custom"
                            : "step kind; valid: " + String.join(", ", kinds.names()));
            if (t.getTypeId() == null) {
                message = check ? "a check needs a type: http or custom" : "a step needs a kind (e.g. kind: verify)";
            }
        } else if (e instanceof MismatchedInputException mi) {
            String type = mi.getTargetType() == null ? "value" : friendly(mi.getTargetType());
            message = "expected " + type + ": " + firstLine(e.getOriginalMessage());
        } else if (e instanceof JsonMappingException && e.getCause() instanceof IllegalArgumentException iae) {
            message = iae.getMessage();
        } else {
            message = "not valid YAML: " + firstLine(e.getOriginalMessage());
        }
        return new Located(file, line, col, field, message);
    }

    private static String friendly(Class<?> type) {
        if (type == Duration.class) {
            return "a duration such as 90s, 5m, 24h, 7d or PT24H";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a text";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a mapping";
        }
        if (type.isEnum()) {
            return "one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase();
        }
        return "a " + type.getSimpleName();
    }

    private static String firstLine(String s) {
        String line = s == null ? "" : s.split("\n")[0];
        int noise = line.indexOf(" (set DeserializationConfig");
        return noise < 0 ? line : line.substring(0, noise);
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** Durations as ISO-8601 or as {@code 1h30m}, {@code 90s}. */
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
            if (m.matches() && !text.isEmpty()) {
                long s = 0;
                s += m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 86400;
                s += m.group(2) == null ? 0 : Long.parseLong(m.group(2)) * 3600;
                s += m.group(3) == null ? 0 : Long.parseLong(m.group(3)) * 60;
                s += m.group(4) == null ? 0 : Long.parseLong(m.group(4));
                return Duration.ofSeconds(s);
            }
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw MismatchedInputException.from(p, Duration.class, "'" + text + "' is not a duration");
            }
        }
    }
}
