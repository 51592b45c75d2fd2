package io.cutover.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ${...}} references in a plan's text fields: {@code ${step-id.key}} (an output of an earlier
 * step), {@code ${blue.outputs.X}}, {@code ${blue.parameters.X}}, {@code ${blue.stack}},
 * {@code ${green.outputs.X}}, {@code ${green.stack}}, {@code ${plan.id}}, {@code ${env:NAME}} (read from
 * the environment when used, never stored) and {@code ${secret:ARN}} or {@code ${secret:ARN#key}} (read from
 * the secret store when used, never stored).
 */
public final class Expressions {
    private static final Pattern REF = Pattern.compile("\\$\\{([^}]*)}");

    private Expressions() {}

    /** A parsed reference. */
    public sealed interface Ref {
        String text();
    }

    /** An output of a step. */
    public record StepOutput(String text, StepId step, String key) implements Ref {}

    /** Something of blue's or green's stack: {@code part} is outputs, parameters or stack. */
    public record StackRef(String text, String side, String part, String key) implements Ref {}

    /** An environment variable, read at the moment it is needed. */
    public record EnvVar(String text, String name) implements Ref {}

    /** The plan's id. */
    public record PlanId(String text) implements Ref {}

    /**
     * A secret kept in a secret store (AWS Secrets Manager: its ARN or name, optionally {@code #key} to pick
     * one key of a JSON secret), read at the moment it is needed.
     */
    public record SecretRef(String text, String id, java.util.Optional<String> key) implements Ref {}

    /**
     * All references in a text; a malformed one is refused with the reason and the fix: a <code>$&#123;</code> that is
     * never closed, an empty {@code ${}}, a reference inside a reference, an unknown kind ({@code ${foo:x}}),
     * a secret without an id or with an empty key ({@code ${secret:ARN#}}), an environment variable that is
     * not a name, a step id that is not one.
     */
    public static List<Ref> parse(String text) {
        List<Ref> refs = new ArrayList<>();
        if (text == null) {
            return refs;
        }
        for (int at = text.indexOf("${"); at >= 0; ) {
            int close = text.indexOf('}', at + 2);
            if (close < 0) {
                throw new IllegalArgumentException("'" + cut(text.substring(at))
                        + "' opens a reference with ${ but never closes it; end it with }");
            }
            String body = text.substring(at + 2, close);
            if (body.contains("${")) {
                throw new IllegalArgumentException("'" + cut(text.substring(at, close + 1))
                        + "' holds a reference inside a reference; references cannot be nested");
            }
            refs.add(parseOne(body));
            at = text.indexOf("${", close + 1);
        }
        return refs;
    }

    private static String cut(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    private static Ref parseOne(String body) {
        String text = "${" + body + "}";
        if (body.isBlank()) {
            throw new IllegalArgumentException(text + " is empty; write ${step-id.output}, ${blue.outputs.NAME}, "
                    + "${green.outputs.NAME}, ${plan.id}, ${env:NAME} or ${secret:ID}");
        }
        if (body.startsWith("env:")) {
            String name = body.substring(4);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException(text + " names no environment variable; write ${env:NAME}");
            }
            return new EnvVar(text, name);
        }
        if (body.startsWith("secret:")) {
            String rest = body.substring(7);
            if (rest.isBlank()) {
                throw new IllegalArgumentException(text + " names no secret; write ${secret:ARN} or ${secret:ARN#key}");
            }
            int hash = rest.lastIndexOf('#');
            if (hash == 0) {
                throw new IllegalArgumentException(text + " names no secret before '#'; write ${secret:ARN#key}");
            }
            if (hash > 0 && rest.substring(hash + 1).isBlank()) {
                throw new IllegalArgumentException(
                        text + " has an empty key after '#'; write ${secret:ARN#key}, or ${secret:ARN} for the whole"
                                + " secret");
            }
            return hash < 0
                    ? new SecretRef(text, rest, java.util.Optional.empty())
                    : new SecretRef(text, rest.substring(0, hash), java.util.Optional.of(rest.substring(hash + 1)));
        }
        int colon = body.indexOf(':');
        int dot = body.indexOf('.');
        if (colon > 0 && (dot < 0 || colon < dot)) {
            throw new IllegalArgumentException(text + ": '" + body.substring(0, colon + 1)
                    + "' is not a kind of reference; valid: ${env:NAME}, ${secret:ID}, or ${step-id.output}");
        }
        if (body.equals("plan.id")) {
            return new PlanId(text);
        }
        String[] parts = body.split("\\.", 3);
        if (parts[0].equals("fleet")) {
            throw new IllegalArgumentException(text + " is a fleet variable, filled in only when the plan is run by a"
                    + " fleet file ('cutover fleet'); write the value here, or run the plan from a fleet");
        }
        if ((parts[0].equals("blue") || parts[0].equals("green"))) {
            if (parts.length == 2 && parts[1].equals("stack")) {
                return new StackRef(text, parts[0], "stack", "");
            }
            if (parts.length == 3
                    && (parts[1].equals("outputs") || parts[1].equals("parameters"))
                    && !parts[2].isEmpty()) {
                return new StackRef(text, parts[0], parts[1], parts[2]);
            }
            throw new IllegalArgumentException(text + " is not a reference; write ${" + parts[0] + ".outputs.NAME}, ${"
                    + parts[0] + ".parameters.NAME} or ${" + parts[0] + ".stack}");
        }
        String[] two = body.split("\\.", 2);
        if (two.length != 2 || two[0].isEmpty() || two[1].isEmpty()) {
            throw new IllegalArgumentException(text + " is not a reference; write ${step-id.output}, "
                    + "${blue.outputs.NAME}, ${green.outputs.NAME}, ${plan.id} or ${env:NAME}");
        }
        if (Identifiers.checkStepId(two[0]).isPresent()) {
            throw new IllegalArgumentException(text + ": '" + cut(two[0])
                    + "' is not a step id; write ${step-id.output}" + " with the id of a step this one depends on");
        }
        return new StepOutput(text, StepId.of(two[0]), two[1]);
    }

    /** Replaces every reference by what {@code resolver} gives for it; a reference it cannot resolve fails. */
    public static String resolve(String text, Function<Ref, Optional<String>> resolver) {
        if (text == null) {
            return null;
        }
        parse(text);
        Matcher m = REF.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Ref ref = parseOne(m.group(1));
            String value =
                    resolver.apply(ref).orElseThrow(() -> new IllegalStateException(ref.text() + " has no value yet"));
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Whether the text holds a secret reference, so that its resolved value must never be stored. */
    public static boolean holdsSecret(String text) {
        return parse(text).stream().anyMatch(r -> r instanceof EnvVar || r instanceof SecretRef);
    }
}
