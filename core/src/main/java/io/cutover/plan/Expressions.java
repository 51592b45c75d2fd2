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

    /** All references in a text, or the reason one is malformed. */
    public static List<Ref> parse(String text) {
        List<Ref> refs = new ArrayList<>();
        if (text == null) {
            return refs;
        }
        Matcher m = REF.matcher(text);
        while (m.find()) {
            refs.add(parseOne(m.group(1)));
        }
        return refs;
    }

    private static Ref parseOne(String body) {
        String text = "${" + body + "}";
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
            return hash < 0
                    ? new SecretRef(text, rest, java.util.Optional.empty())
                    : new SecretRef(text, rest.substring(0, hash), java.util.Optional.of(rest.substring(hash + 1)));
        }
        if (body.equals("plan.id")) {
            return new PlanId(text);
        }
        String[] parts = body.split("\\.", 3);
        if ((parts[0].equals("blue") || parts[0].equals("green"))) {
            if (parts.length == 2 && parts[1].equals("stack")) {
                return new StackRef(text, parts[0], "stack", "");
            }
            if (parts.length == 3 && (parts[1].equals("outputs") || parts[1].equals("parameters"))) {
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
        return new StepOutput(text, StepId.of(two[0]), two[1]);
    }

    /** Replaces every reference by what {@code resolver} gives for it; a reference it cannot resolve fails. */
    public static String resolve(String text, Function<Ref, Optional<String>> resolver) {
        if (text == null) {
            return null;
        }
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
