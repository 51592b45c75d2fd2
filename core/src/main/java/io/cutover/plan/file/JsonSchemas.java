package io.cutover.plan.file;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.step.StepKind;
import io.cutover.step.kinds.StepKinds;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * JSON Schemas (draft 2020-12) of plan and fleet files, generated from the records the files are read into and
 * the step kinds of a registry, so that they cannot drift from what the reader accepts. A record becomes an
 * object of its components (or of its {@code @JsonCreator} factory's parameters, where a file may leave a
 * field out or give another, such as a template's {@code file}), with no other properties; {@code Optional},
 * lists and maps become what they hold; a duration is a text such as {@code 90s}, {@code 24h} or
 * {@code PT24H}; a step is one of the registry's kinds, told apart by {@code kind}. The schemas check shapes
 * and names; the bounds and rules that need the whole plan stay with the validator ({@code cutover plan}).
 */
public final class JsonSchemas {
    /** What a duration field accepts: the short forms ({@code 1d2h30m10s}) or ISO-8601. */
    public static final String DURATION_PATTERN = "^([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?$|^-?P.+$";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final StepKinds kinds;
    private final TreeMap<String, ObjectNode> defs = new TreeMap<>();

    private JsonSchemas(StepKinds kinds) {
        this.kinds = kinds;
    }

    /** The schema of a plan file whose steps are of {@code kinds}. */
    public static ObjectNode plan(StepKinds kinds) {
        return of(PlanDocument.class, kinds, "Cutover plan file", "https://cutover.io/schema/plan.schema.json");
    }

    /**
     * The schema of a file read into {@code root}, a record (its steps, if any, of {@code kinds}).
     *
     * @param id the schema's {@code $id}
     */
    public static ObjectNode of(Class<?> root, StepKinds kinds, String title, String id) {
        JsonSchemas gen = new JsonSchemas(kinds);
        ObjectNode body = gen.record(root);
        ObjectNode schema = JSON.objectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("$id", id);
        schema.put("title", title);
        schema.setAll(body);
        ObjectNode defs = schema.putObject("$defs");
        gen.defs.forEach(defs::set);
        return schema;
    }

    /** The schema as a file holds it: pretty-printed, keys in a fixed order, a final newline. */
    public static String render(ObjectNode schema) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(schema) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode type(Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (raw == Optional.class) {
                return type(args[0]);
            }
            if (Collection.class.isAssignableFrom(raw)) {
                ObjectNode n = JSON.objectNode().put("type", "array");
                n.set("items", type(args[0]));
                return n;
            }
            if (Map.class.isAssignableFrom(raw)) {
                ObjectNode n = JSON.objectNode().put("type", "object");
                n.set("additionalProperties", type(args[1]));
                return n;
            }
            return type(raw);
        }
        Class<?> c = (Class<?>) type;
        if (c == StepId.class) {
            return JSON.objectNode().put("type", "string");
        }
        if (c == String.class) {
            // the reader takes a number or true/false as its text (waves: [1, 5%], AppVersion: 2)
            ObjectNode n = JSON.objectNode();
            n.putArray("type").add("string").add("number").add("boolean");
            return n;
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return JSON.objectNode().put("type", "integer");
        }
        if (c == boolean.class || c == Boolean.class) {
            return JSON.objectNode().put("type", "boolean");
        }
        if (c == double.class || c == Double.class) {
            return JSON.objectNode().put("type", "number");
        }
        if (c == Duration.class) {
            return JSON.objectNode()
                    .put("type", "string")
                    .put("pattern", DURATION_PATTERN)
                    .put("description", "a duration: 90s, 5m, 24h, 7d, 1h30m or ISO-8601 (PT24H)");
        }
        if (c.isEnum()) {
            ObjectNode n = JSON.objectNode().put("type", "string");
            ArrayNode values = n.putArray("enum");
            // the reader ignores case; files write the lower-case form
            for (Object v : c.getEnumConstants()) {
                values.add(((Enum<?>) v).name().toLowerCase(Locale.ROOT));
            }
            for (Object v : c.getEnumConstants()) {
                values.add(((Enum<?>) v).name());
            }
            return n;
        }
        if (c == StepSpec.class) {
            return ref("Step", this::steps);
        }
        if (c.isAnnotationPresent(JsonSubTypes.class)) {
            return ref(name(c), () -> subtypes(c));
        }
        if (c.isRecord()) {
            return ref(name(c), () -> record(c));
        }
        throw new IllegalArgumentException(c + " has no schema; teach JsonSchemas its form in files");
    }

    private ObjectNode ref(String name, java.util.function.Supplier<ObjectNode> body) {
        if (!defs.containsKey(name)) {
            defs.put(name, JSON.objectNode()); // a placeholder, so a type that holds itself ends
            defs.put(name, body.get());
        }
        return JSON.objectNode().put("$ref", "#/$defs/" + name);
    }

    /** Every kind of the registry, told apart by {@code kind}. */
    private ObjectNode steps() {
        ObjectNode n = JSON.objectNode();
        n.put("type", "object");
        n.putArray("required").add("kind").add("id");
        ObjectNode kind = n.putObject("properties").putObject("kind").put("type", "string");
        ArrayNode names = kind.putArray("enum");
        ArrayNode all = n.putArray("allOf");
        List<StepKind<?>> sorted = new ArrayList<>(kinds.all());
        sorted.sort(java.util.Comparator.comparing(StepKind::name));
        for (StepKind<?> k : sorted) {
            names.add(k.name());
            ObjectNode body = record(k.type());
            ((ObjectNode) body.get("properties")).putObject("kind").put("const", k.name());
            ObjectNode rule = all.addObject();
            rule.putObject("if").putObject("properties").putObject("kind").put("const", k.name());
            rule.set("then", body);
        }
        return n;
    }

    /** A sealed type told apart by the property its {@code @JsonTypeInfo} names. */
    private ObjectNode subtypes(Class<?> c) {
        String property = Optional.ofNullable(c.getAnnotation(JsonTypeInfo.class))
                .map(JsonTypeInfo::property)
                .orElse("type");
        ObjectNode n = JSON.objectNode();
        ArrayNode one = n.putArray("oneOf");
        for (JsonSubTypes.Type t : c.getAnnotation(JsonSubTypes.class).value()) {
            ObjectNode body = record(t.value());
            ((ObjectNode) body.get("properties")).putObject(property).put("const", t.name());
            ArrayNode required = (ArrayNode) body.get("required");
            required.insert(0, property);
            one.add(body);
        }
        return n;
    }

    /** A record as an object of the fields a file may give. */
    private ObjectNode record(Class<?> c) {
        ObjectNode n = JSON.objectNode().put("type", "object");
        ObjectNode properties = n.putObject("properties");
        ArrayNode required = n.putArray("required");
        Optional<Method> creator = Arrays.stream(c.getDeclaredMethods())
                .filter(m -> Modifier.isStatic(m.getModifiers()) && m.isAnnotationPresent(JsonCreator.class))
                .findFirst();
        if (creator.isPresent()) {
            for (Parameter p : creator.get().getParameters()) {
                if (p.isAnnotationPresent(JacksonInject.class)) {
                    continue;
                }
                JsonProperty name = p.getAnnotation(JsonProperty.class);
                properties.set(name == null ? p.getName() : name.value(), type(p.getParameterizedType()));
            }
        } else {
            for (RecordComponent rc : c.getRecordComponents()) {
                properties.set(rc.getName(), type(rc.getGenericType()));
            }
        }
        if (StepSpec.class.isAssignableFrom(c) && properties.has("id")) {
            required.add("id");
        }
        n.put("additionalProperties", false);
        return n;
    }

    private static String name(Class<?> c) {
        Class<?> outer = c.getEnclosingClass();
        return outer == null || outer == StepSpec.class || outer == PlanDocument.class
                ? c.getSimpleName()
                : outer.getSimpleName() + c.getSimpleName();
    }
}
