package io.cutover.cli;

import io.cutover.plan.Identifiers;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Converters for command-line arguments that refuse a bad value with what was wrong and what to give (exit
 * status 2), never with a Java exception's text.
 */
final class Arguments {
    private Arguments() {}

    /** A run id: a plan id (lower-case letters, digits and hyphens, at most 40 characters). */
    static final class RunId implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            Identifiers.checkRunId(value).ifPresent(m -> {
                throw new CommandLine.TypeConversionException(m);
            });
            return value;
        }
    }

    /** A step id (of a gate to approve). */
    static final class StepId implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            Identifiers.checkStepId(value).ifPresent(m -> {
                throw new CommandLine.TypeConversionException("the gate " + m);
            });
            return value;
        }
    }

    /** A lease: {@code 20s}, {@code 2m}, {@code 1h}, {@code 1500ms} or ISO-8601 ({@code PT20S}), 5 s to 1 h. */
    static final class Lease implements CommandLine.ITypeConverter<Duration> {
        static final Duration MIN = Duration.ofSeconds(5);
        static final Duration MAX = Duration.ofHours(1);

        @Override
        public Duration convert(String value) {
            return bounded(value, MIN, MAX, "a lease is 5s to 1h (default 20s)");
        }
    }

    /** How often to look again ({@code status --watch --interval}): as a lease is written, 1 s to 1 h. */
    static final class Interval implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return bounded(value, Duration.ofSeconds(1), Duration.ofHours(1), "an interval is 1s to 1h (default 5s)");
        }
    }

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    private static Duration bounded(String value, Duration min, Duration max, String range) {
        Duration d = parse(value);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new CommandLine.TypeConversionException("'" + shown(value) + "' is out of range; " + range);
        }
        return d;
    }

    private static Duration parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        String fix = "'" + shown(value) + "' is not a duration; give e.g. 20s, 2m, 1h or PT20S";
        if (v.startsWith("p") || v.startsWith("-p")) {
            try {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new CommandLine.TypeConversionException(fix);
            }
        }
        Matcher m = SHORT.matcher(v);
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException(fix);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static String shown(String value) {
        String v = value.length() <= 40 ? value : value.substring(0, 40) + "...";
        return v.replaceAll("\\p{Cntrl}|\\p{Cf}", "?");
    }
}
