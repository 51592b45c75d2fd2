package io.cutover.release;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's snippets that a test compiles: each fenced code block right after a
 * {@code <!-- snippet: PATH -->} line, keyed by PATH (where the consumer project gets it). Markers are HTML
 * comments, invisible on the rendered page, so the reader sees the same code the test builds.
 */
final class ReadmeSnippets {
    private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\S+) -->\\n");
    private static final Pattern FENCE = Pattern.compile("```[a-z]*\\n(.*?)```\\n", Pattern.DOTALL);

    private ReadmeSnippets() {}

    /** Every marked snippet, in the README's order; a marker without its block at once after it is an error. */
    static Map<String, String> from(String readme) {
        Map<String, String> snippets = new LinkedHashMap<>();
        Matcher marker = MARKER.matcher(readme);
        while (marker.find()) {
            String path = marker.group(1);
            Matcher fence = FENCE.matcher(readme);
            if (!fence.find(marker.end()) || fence.start() != marker.end()) {
                throw new IllegalArgumentException("README.md: the marker for " + path
                        + " is not followed at once by a fenced code block; put the block on the next line");
            }
            if (snippets.put(path, fence.group(1)) != null) {
                throw new IllegalArgumentException("README.md: two snippets are marked " + path);
            }
        }
        return snippets;
    }
}
