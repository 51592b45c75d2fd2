package io.cutover.plan.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.cutover.plan.StepSpec;
import io.cutover.plan.file.PlanFileException.Located;
import io.cutover.step.kinds.StepKinds;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How a plan file's problems are placed and worded for a person: what was found, where, and the fix. */
final class PlanFileMessages {
    private PlanFileMessages() {}

    static Located locate(StrictYaml.Document tree, JsonProcessingException e, StepKinds kinds) {
        String path = "";
        if (e instanceof JsonMappingException m) {
            path = path(m.getPath());
        }
        JsonNode found = at(tree.root(), path);
        String message;
        String where = path;
        if (e instanceof UnrecognizedPropertyException u) {
            message = "unknown field '" + u.getPropertyName() + "'; valid here: " + u.getKnownPropertyIds();
        } else if (e instanceof InvalidTypeIdException t) {
            boolean check = t.getBaseType() != null && t.getBaseType().getRawClass() == StepSpec.Check.class;
            String prop = check ? "type" : "kind";
            if (tree.exact(path + "." + prop).isPresent()) {
                where = path + "." + prop;
            }
            message = "'" + t.getTypeId() + "' is not a "
                    + (check
                            ? "check type; valid: http, custom"
                            : "step kind; valid: " + String.join(", ", kinds.names()));
            if (t.getTypeId() == null) {
                message = check ? "a check needs a type: http or custom" : "a step needs a kind (e.g. kind: verify)";
            }
        } else if (e instanceof ValueInstantiationException vi) {
            message = ownMessage(vi.getCause()).orElse("is not valid here; check the fields of this item");
        } else if (e instanceof MismatchedInputException mi) {
            Class<?> type = mi.getTargetType();
            if (found != null && found.isNull()) {
                message = "is empty; give " + (type == null ? "a value" : friendly(type));
            } else if (type == Duration.class
                    && mi.getOriginalMessage() != null
                    && mi.getOriginalMessage().startsWith("TOO_LONG:")) {
                message = mi.getOriginalMessage().substring("TOO_LONG:".length());
            } else if (type != null && isWhole(type) && found != null && found.isIntegralNumber()) {
                message = found.asText() + " is out of range; give a whole number from 0 to 2147483647";
            } else {
                message = "expected " + (type == null ? "another value" : friendly(type)) + "; found "
                        + describeFound(found)
                        + (mi.getOriginalMessage() != null
                                        && mi.getOriginalMessage().startsWith("'")
                                ? " (" + firstLine(mi.getOriginalMessage()) + ")"
                                : "");
            }
        } else if (e instanceof JsonMappingException && e.getCause() instanceof IllegalArgumentException iae) {
            message = ownMessage(iae).orElse("is not valid here");
        } else if (found != null && found.isIntegralNumber()) {
            message = found.asText() + " is out of range; give a whole number from 0 to 2147483647";
        } else {
            message = "is not valid here: expected another kind of value; found " + describeFound(found);
        }
        return tree.problemAt(where, where, message);
    }

    /** The value at a path of the tree, or null. */
    static JsonNode at(JsonNode root, String path) {
        JsonNode n = root;
        Matcher m = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]").matcher(path);
        while (n != null && m.find()) {
            n = m.group(1) != null ? n.get(m.group(1)) : n.get(Integer.parseInt(m.group(2)));
        }
        return n;
    }

    static boolean isWhole(Class<?> type) {
        return type == Integer.class || type == int.class || type == Long.class || type == long.class;
    }

    /** What was found, for a message: a short scalar as written; otherwise its kind. Never a file's content. */
    static String describeFound(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        if (n.isNull()) {
            return "nothing (null)";
        }
        if (n.isNumber() || n.isBoolean()) {
            return n.asText();
        }
        if (n.isTextual()) {
            String t = n.asText();
            return t.length() <= 60 && !t.contains("\n") ? "'" + t + "'" : "a text of " + t.length() + " characters";
        }
        return kindOf(n);
    }

    static String kindOf(JsonNode n) {
        if (n.isArray()) {
            return "a list";
        }
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isNull()) {
            return "nothing (null)";
        }
        return n.isTextual()
                ? "a text"
                : n.isNumber() ? "a number" : "a " + n.getNodeType().name().toLowerCase();
    }

    /**
     * The message of an exception that Cutover itself threw with words for a person; empty for anything else
     * (a JDK or library exception's text is never shown).
     */
    static java.util.Optional<String> ownMessage(Throwable e) {
        while (e != null) {
            StackTraceElement[] st = e.getStackTrace();
            boolean ours = st.length > 0
                    && (st[0].getClassName().startsWith("io.cutover.")
                            || (st[0].getClassName().equals("java.util.Objects")
                                    && st.length > 1
                                    && st[1].getClassName().startsWith("io.cutover.")
                                    && e.getMessage() != null
                                    && e.getMessage().contains(" ")));
            if (ours
                    && e.getMessage() != null
                    && !e.getMessage().isBlank()
                    && (e instanceof IllegalArgumentException
                            || e instanceof NullPointerException
                            || e instanceof IllegalStateException)) {
                return java.util.Optional.of(firstLine(e.getMessage()));
            }
            e = e.getCause();
        }
        return java.util.Optional.empty();
    }

    static String describe(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.isNegative()) {
            return "-" + describe(d.negated());
        }
        long s = d.getSeconds();
        StringBuilder sb = new StringBuilder();
        if (s >= 86400) {
            sb.append(s / 86400).append('d');
            s %= 86400;
        }
        if (s >= 3600) {
            sb.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            sb.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0 || sb.length() == 0) {
            sb.append(s).append('s');
        }
        return sb.toString();
    }

    static String friendly(Class<?> type) {
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

    static String firstLine(String s) {
        String line = s == null ? "" : s.split("\n")[0];
        int noise = line.indexOf(" (set DeserializationConfig");
        return noise < 0 ? line : line.substring(0, noise);
    }

    static String path(List<JsonMappingException.Reference> refs) {
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
}
