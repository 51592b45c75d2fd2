package io.cutover.plan.file;

import io.cutover.plan.Expressions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@code ${...}} references in a hook's or check's shell command ({@code run}) and in the values of its
 * {@code env}. A reference is Cutover's when its inside is {@code plan.id}, {@code blue...}, {@code green...},
 * {@code step-id.output}, {@code env:NAME} or {@code secret:ID}; any other {@code ${NAME}} (with or without a
 * shell operator, {@code ${HOME}}, {@code ${X:-default}}) is the shell's and is left as written.
 *
 * <p>In a command, each of Cutover's references becomes a reference to an environment variable that holds its
 * value ({@code CUTOVER_REF_1}, ...), quoted for where it stands, so that the shell expands the value as data:
 * whatever it holds ({@code ;}, {@code $(...)}, quotes) is never run. A secret ({@code ${secret:...}} or
 * {@code ${env:...}}) is refused in a command: a command line is visible to every user of the machine
 * ({@code ps}), so a secret reaches a hook only through its {@code env}, e.g.
 * {@code env: {TOKEN: "${secret:vendor-api#token}"}} and {@code $TOKEN} in the command.
 */
public final class HookCommand {
    private static final Pattern CUTOVER_BODY =
            Pattern.compile("(env|secret):[A-Za-z0-9_/:.+=@-].*|[a-z0-9][a-z0-9-]*\\..*", Pattern.DOTALL);

    /** The prefix of the environment variables that carry a command's references. */
    public static final String REF_VARIABLE = "CUTOVER_REF_";

    private HookCommand() {}

    /** A command ready to run: its text, and the environment variables its references became. */
    public record Prepared(String command, Map<String, String> env) {
        public Prepared {
            env = Map.copyOf(env);
        }
    }

    /**
     * Cutover's references in a command or an env value, in order; a malformed one is refused (as in a step's
     * fields) with the reason and the fix.
     */
    public static List<Expressions.Ref> references(String text) {
        List<Expressions.Ref> out = new ArrayList<>();
        scan(text, (body, quote) -> {
            out.addAll(Expressions.parse("${" + body + "}"));
            return "";
        });
        return out;
    }

    /** Why a command line cannot hold one of its references (a secret), with the fix; empty when it can. */
    public static Optional<String> secretProblem(String command) {
        for (Expressions.Ref r : references(command)) {
            if (r instanceof Expressions.SecretRef) {
                return Optional.of(r.text() + " is a secret, and a command line is visible to every user of the"
                        + " machine; pass it through the hook's env (env: {VALUE: \"" + r.text()
                        + "\"}) and write $VALUE in the command");
            }
            if (r instanceof Expressions.EnvVar e) {
                return Optional.of(r.text() + " may hold a secret, and a command line is visible to every user of"
                        + " the machine; the hook inherits Cutover's environment, so write $" + e.name()
                        + " in the command instead");
            }
        }
        return Optional.empty();
    }

    /**
     * The command with each of Cutover's references replaced by a quoted reference to an environment variable,
     * and those variables' values from {@code resolve} (given a reference's text, e.g. {@code ${plan.id}}).
     */
    public static Prepared prepare(String command, Function<String, String> resolve) {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        String text = scan(command, (body, quote) -> {
            String ref = "${" + body + "}";
            String name = names.computeIfAbsent(ref, r -> {
                String n = REF_VARIABLE + (names.size() + 1);
                env.put(n, resolve.apply(r));
                return n;
            });
            String shell = "${" + name + "}";
            return switch (quote) {
                case '"' -> shell;
                case '\'' -> "'\"" + shell + "\"'";
                default -> "\"" + shell + "\"";
            };
        });
        return new Prepared(text, env);
    }

    /** The text (an env value, which is data, not shell) with each of Cutover's references resolved. */
    public static String resolveValue(String text, Function<String, String> resolve) {
        return scan(text, (body, quote) -> resolve.apply("${" + body + "}"), false);
    }

    private interface Replacer {
        String replace(String body, char quote);
    }

    private static String scan(String text, Replacer replacer) {
        return scan(text, replacer, true);
    }

    /** Walks the text, tracking shell quotes when {@code shell}, and replaces each of Cutover's references. */
    private static String scan(String text, Replacer replacer, boolean shell) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        char quote = 0;
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("${", i)) {
                int close = text.indexOf('}', i + 2);
                if (close > 0
                        && CUTOVER_BODY.matcher(text.substring(i + 2, close)).matches()) {
                    out.append(replacer.replace(text.substring(i + 2, close), quote));
                    i = close + 1;
                    continue;
                }
            }
            char c = text.charAt(i);
            out.append(c);
            if (shell && c == '\\' && quote != '\'' && i + 1 < text.length()) {
                out.append(text.charAt(++i));
            } else if (shell && quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (shell && c == quote) {
                quote = 0;
            }
            i++;
        }
        return out.toString();
    }
}
