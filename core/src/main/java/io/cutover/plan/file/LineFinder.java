package io.cutover.plan.file;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the line of a field such as {@code steps[snap-db].database.id} or {@code environment.dns.name} in
 * plan-file text, so that problems found after parsing still point at a line. Steps are found by their
 * id; a field not written in the file (a missing one) points at its step or section.
 */
final class LineFinder {
    private static final Pattern STEP = Pattern.compile("^steps\\[([^\\]]+)\\](.*)$");

    private LineFinder() {}

    static int find(String text, String field) {
        String[] lines = text.split("\n", -1);
        int from = 0;
        String rest = field;
        Matcher m = STEP.matcher(field);
        if (m.matches()) {
            int at = findStep(lines, m.group(1));
            if (at < 0) {
                return find(lines, 0, "steps");
            }
            from = at;
            rest = m.group(2).startsWith(".") ? m.group(2).substring(1) : m.group(2);
            if (rest.isEmpty() || rest.equals("id")) {
                return at + 1;
            }
        }
        int best = from;
        for (String part : rest.split("\\.")) {
            String name = part.replaceAll("\\[.*$", "");
            if (name.isEmpty()) {
                continue;
            }
            int found = find(lines, best, name);
            if (found == 0) {
                break;
            }
            best = found - 1;
            Matcher index = Pattern.compile("\\[(\\d+)]").matcher(part);
            if (index.find()) {
                best = item(lines, best, Integer.parseInt(index.group(1)));
            }
        }
        return best + 1;
    }

    private static int findStep(String[] lines, String id) {
        Pattern p = Pattern.compile("(^|[{,\\s-])id:\\s*['\"]?" + Pattern.quote(id) + "['\"]?\\s*([,}#].*)?$");
        for (int i = 0; i < lines.length; i++) {
            if (p.matcher(lines[i]).find()) {
                // The step starts at its "- " line, which may be the id line or one above it.
                for (int j = i; j >= 0 && j >= i - 10; j--) {
                    if (lines[j].trim().startsWith("- ")) {
                        return j;
                    }
                }
                return i;
            }
        }
        return -1;
    }

    /** The line of the n-th item ("- ") of the block list under the line {@code at}; {@code at} if none. */
    private static int item(String[] lines, int at, int n) {
        int indent = indent(lines[at]);
        int seen = -1;
        for (int i = at + 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            if (indent(lines[i]) <= indent && !lines[i].trim().startsWith("- ")) {
                break;
            }
            if (lines[i].trim().startsWith("- ") && ++seen == n) {
                return i;
            }
        }
        return at;
    }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** 1-based line of the first {@code name:} at or after line {@code from}, or 0. */
    private static int find(String[] lines, int from, String name) {
        Pattern p = Pattern.compile("^\\s*-?\\s*['\"]?" + Pattern.quote(name) + "['\"]?\\s*:.*$");
        for (int i = from; i < lines.length; i++) {
            if (p.matcher(lines[i]).matches()) {
                return i + 1;
            }
        }
        return 0;
    }
}
