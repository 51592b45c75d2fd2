package io.cutover.plan.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cutover.plan.file.PlanFileException.Located;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The one strict reader of plan and fleet files. It reads a regular file of bounded size as UTF-8 text,
 * parses exactly one YAML document, and turns it into a tree in which every value keeps the line and column
 * the parser saw it at. It refuses what a loose reader would silently guess at: a key written twice, a
 * second document, a tag ({@code !Ref}, {@code !!binary}), a merge key ({@code <<}), an empty list item,
 * control characters and bidirectional marks in text, and numbers that no field can hold. Aliases
 * ({@code *name}) are expanded to their anchor's value, up to a bounded size.
 *
 * <p>Scalars follow YAML 1.2's core schema: {@code true}/{@code false}, {@code null}/{@code ~}, decimal
 * integers and decimal numbers; everything else (including {@code yes}, {@code on}, {@code 0x1F}) is text.
 * Quoted scalars are always text.
 *
 * <p>No message ever holds a Java class name, an exception's text, or the content of the file beyond the
 * value at fault.
 */
public final class StrictYaml {
    /** The largest plan file read (8 MiB: a 10,000-step plan is about 1.5 MiB). */
    public static final long MAX_PLAN_BYTES = 8L << 20;
    /** The largest fleet file read (8 MiB: 10,000 environments are about 1 MiB). */
    public static final long MAX_FLEET_BYTES = 8L << 20;
    /**
     * The largest template file read into a plan (51,200 bytes): CloudFormation takes a template body of at
     * most this size; larger templates go to S3 and are named by {@code template.url}.
     */
    public static final long MAX_TEMPLATE_BYTES = 51_200;
    /** The most values a document may expand to, aliases included. */
    static final int MAX_NODES = 2_000_000;

    static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
    static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    static final Pattern NULL = Pattern.compile("null|Null|NULL|~|");
    static final Pattern TRUE = Pattern.compile("true|True|TRUE");
    static final Pattern FALSE = Pattern.compile("false|False|FALSE");
    static final Set<String> CORE_TAGS = Set.of(
            Tag.STR.getValue(),
            Tag.INT.getValue(),
            Tag.FLOAT.getValue(),
            Tag.BOOL.getValue(),
            Tag.NULL.getValue(),
            Tag.MAP.getValue(),
            Tag.SEQ.getValue(),
            Tag.TIMESTAMP.getValue(),
            Tag.MERGE.getValue());

    private StrictYaml() {}

    /** A position in a file: 1-based line and column. */
    public record Position(int line, int column) {
        static final Position UNKNOWN = new Position(0, 0);

        static Position of(Mark m) {
            return m == null ? UNKNOWN : new Position(m.getLine() + 1, m.getColumn() + 1);
        }
    }

    /**
     * A parsed document: its tree, and where each value was written, by path ({@code steps[2].database.id};
     * a mapping value is placed at its key).
     */
    public static final class Document {
        private final String file;
        private final JsonNode root;
        private final Map<String, Position> positions;

        Document(String file, JsonNode root, Map<String, Position> positions) {
            this.file = file;
            this.root = root;
            this.positions = positions;
        }

        public String file() {
            return file;
        }

        public JsonNode root() {
            return root;
        }

        /** The same document with another tree of the same shape (values substituted), keeping positions. */
        public Document withRoot(JsonNode newRoot) {
            return new Document(file, newRoot, positions);
        }

        /** The position of the value at {@code path} exactly, if it was written. */
        public Optional<Position> exact(String path) {
            return Optional.ofNullable(positions.get(path));
        }

        /**
         * The position of a field named as problems name it: {@code steps[snap-db].database.id} (a step by its
         * id), {@code environment.databases[0].id}. A field that was not written (a missing one) is placed at
         * the nearest enclosing value that was; a step the file does not hold (one a strategy wrote) at the
         * strategy.
         */
        public Position locate(String field) {
            JsonNode at = root;
            String path = "";
            Position best = positions.getOrDefault("", new Position(1, 1));
            boolean first = true;
            for (String seg : segments(field)) {
                String next = null;
                JsonNode child = null;
                if (seg.startsWith("[")) {
                    String key = seg.substring(1, seg.length() - 1);
                    if (at instanceof ArrayNode arr) {
                        int idx = indexIn(arr, key);
                        if (idx >= 0) {
                            next = path + "[" + idx + "]";
                            child = arr.get(idx);
                        }
                    }
                } else if (at instanceof ObjectNode obj && obj.has(seg)) {
                    next = path.isEmpty() ? seg : path + "." + seg;
                    child = obj.get(seg);
                }
                if (next == null) {
                    if (first || (path.equals("steps") && seg.startsWith("["))) {
                        Position strategy = positions.get("strategy");
                        if (strategy != null && (first || path.equals("steps"))) {
                            return strategy;
                        }
                    }
                    break;
                }
                first = false;
                path = next;
                at = child;
                Position p = positions.get(path);
                if (p != null) {
                    best = p;
                }
            }
            return best;
        }

        /** A problem at {@code field}, placed by {@link #locate}. */
        public Located problem(String field, String message) {
            Position p = locate(field);
            return new Located(file, p.line(), p.column(), field, message);
        }

        /** A problem at an exact path, shown under the name {@code field}. */
        public Located problemAt(String path, String field, String message) {
            Position p = exact(path).orElseGet(() -> locate(path));
            return new Located(file, p.line(), p.column(), field, message);
        }

        private static int indexIn(ArrayNode arr, String key) {
            if (INT.matcher(key).matches() && !key.startsWith("-") && !key.startsWith("+")) {
                try {
                    int i = Integer.parseInt(key);
                    return i < arr.size() ? i : -1;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
            for (int i = 0; i < arr.size(); i++) {
                JsonNode id = arr.get(i).get("id");
                if (id != null && id.isTextual() && id.asText().equals(key)) {
                    return i;
                }
                JsonNode name = arr.get(i).get("name");
                if (name != null && name.isTextual() && name.asText().equals(key)) {
                    return i;
                }
            }
            return -1;
        }

        private static List<String> segments(String field) {
            List<String> out = new ArrayList<>();
            StringBuilder sb = new StringBuilder();
            int i = 0;
            while (i < field.length()) {
                char c = field.charAt(i);
                if (c == '.') {
                    if (sb.length() > 0) {
                        out.add(sb.toString());
                        sb.setLength(0);
                    }
                    i++;
                } else if (c == '[') {
                    if (sb.length() > 0) {
                        out.add(sb.toString());
                        sb.setLength(0);
                    }
                    int close = field.indexOf(']', i);
                    if (close < 0) {
                        break;
                    }
                    out.add(field.substring(i, close + 1));
                    i = close + 1;
                } else {
                    sb.append(c);
                    i++;
                }
            }
            if (sb.length() > 0) {
                out.add(sb.toString());
            }
            return out;
        }
    }

    /** Thrown with every problem found; each names its file, line, column and what to do. */
    public static PlanFileException refuse(String file, int line, int column, String field, String message) {
        return new PlanFileException(List.of(new Located(file, line, column, field, message)));
    }

    /**
     * Reads a file's text: it must be a regular file (not a directory, device, FIFO or anything under
     * {@code /proc}), at most {@code maxBytes} long (checked before reading), and UTF-8. {@code what} names the
     * file in messages ("plan file", "template file").
     */
    public static String readText(Path path, long maxBytes, String what, String file, String field) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw refuse(file, 0, 0, field, what + " " + path + " does not exist; check the path");
        } catch (AccessDeniedException e) {
            throw refuse(file, 0, 0, field, what + " " + path + " cannot be read (permission denied)");
        } catch (IOException e) {
            throw refuse(file, 0, 0, field, what + " " + path + " cannot be read; check the path");
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw refuse(file, 0, 0, field, what + " " + path + " cannot be read; check the path");
        }
        if (!attrs.isRegularFile() || real.startsWith("/proc") || real.startsWith("/sys") || real.startsWith("/dev")) {
            throw refuse(
                    file,
                    0,
                    0,
                    field,
                    what + " " + path + " is not a regular file ("
                            + (attrs.isDirectory() ? "a directory" : "a device, pipe or system file")
                            + "); give the path of a " + what);
        }
        if (attrs.size() > maxBytes) {
            throw refuse(file, 0, 0, field, tooLarge(what, path, attrs.size(), maxBytes));
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
            // The size may change between the check and the read: never read more than the limit.
            bytes = in.readNBytes((int) maxBytes + 1);
        } catch (IOException e) {
            throw refuse(file, 0, 0, field, what + " " + path + " cannot be read; check the path");
        }
        if (bytes.length > maxBytes) {
            throw refuse(file, 0, 0, field, tooLarge(what, path, bytes.length, maxBytes));
        }
        return decode(bytes, path.toString(), what, file, field);
    }

    private static String tooLarge(String what, Path path, long size, long max) {
        return what + " " + path + " is " + size + " bytes; the limit is " + max + " bytes"
                + (what.startsWith("template")
                        ? " (CloudFormation's limit for a template body); upload it to S3 and give template.url"
                        : "; split it");
    }

    /** UTF-8 text; a byte-order mark of UTF-16 or UTF-32, or bytes that are not UTF-8, are refused. */
    static String decode(byte[] bytes, String name, String what, String file, String field) {
        if (bytes.length >= 2
                && ((bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF)
                        || (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE))) {
            throw refuse(
                    file,
                    1,
                    1,
                    field,
                    what + " " + name + " is UTF-16 (or UTF-32) text; save it as UTF-8 and try again");
        }
        if (bytes.length >= 4 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] == (byte) 0xFE && bytes[3] == (byte) 0xFF) {
            throw refuse(file, 1, 1, field, what + " " + name + " is UTF-32 text; save it as UTF-8 and try again");
        }
        int from = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF
                ? 3
                : 0;
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, bytes.length - from))
                    .toString();
        } catch (CharacterCodingException e) {
            throw refuse(
                    file,
                    0,
                    0,
                    field,
                    what + " " + name + " is not UTF-8 text (is it a binary file, or in another encoding?); "
                            + "save it as UTF-8");
        }
    }

    /** Parses text as one strict YAML document. {@code empty} is the message for a file with no document. */
    public static Document parse(String file, String text, long maxBytes, String empty) {
        if (text.length() > maxBytes) {
            throw refuse(file, 0, 0, "", "the text is " + text.length() + " characters; the limit is " + maxBytes);
        }
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, maxBytes + 1));
        options.setMaxAliasesForCollections(100);
        options.setNestingDepthLimit(40);
        options.setProcessComments(false);
        options.setAllowRecursiveKeys(false);
        Yaml yaml = new Yaml(options);
        Node node;
        try {
            Iterator<Node> docs = yaml.composeAll(new StringReader(text)).iterator();
            if (!docs.hasNext()) {
                throw refuse(file, 1, 1, "", empty);
            }
            node = docs.next();
            if (docs.hasNext()) {
                Node second = docs.next();
                Position p = Position.of(second == null ? null : second.getStartMark());
                throw refuse(
                        file,
                        p.line(),
                        p.column(),
                        "",
                        "the file holds more than one YAML document (a second '---'); keep one document per file");
            }
        } catch (MarkedYAMLException e) {
            throw syntax(file, e);
        } catch (YAMLException e) {
            throw refuse(file, 0, 0, "", yamlProblem(e));
        }
        if (node == null) {
            throw refuse(file, 1, 1, "", empty);
        }
        StrictYamlConverter c = new StrictYamlConverter(file);
        JsonNode root = c.convert(node, "");
        if (!c.problems.isEmpty()) {
            throw new PlanFileException(c.problems);
        }
        return new Document(file, root, c.positions);
    }

    private static PlanFileException syntax(String file, MarkedYAMLException e) {
        Position p = Position.of(e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark());
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String message;
        if (problem.contains("'\\t'") || problem.contains("\\t(TAB)")) {
            message = "a tab where YAML allows only spaces; indent with spaces";
        } else if (problem.contains("found undefined alias")) {
            message = "an alias (*name) names no anchor (&name) written before it; define the anchor first";
        } else if (problem.contains("special characters are not allowed")
                || problem.contains("non-printable")
                || problem.contains("unacceptable code point")) {
            message = "a control character or other non-printable character; remove it (is this a text file?)";
        } else if (problem.contains("mapping values are not allowed")) {
            message = "not valid YAML: a ': ' where no mapping can start; quote the value or fix the indentation";
        } else if (problem.contains("could not find expected ':'")) {
            message = "not valid YAML: a key without ': ' after it; check the indentation and quoting";
        } else if (problem.contains("did not find expected key")
                || problem.contains("did not find expected '-' indicator")) {
            message = "not valid YAML: the indentation does not match the lines above; line it up with its siblings";
        } else if (problem.contains("found unexpected end of stream") || problem.contains("found unexpected end")) {
            message = "not valid YAML: the file ends inside a quoted text or a [list] or {mapping}; close it";
        } else if (problem.contains("expected ',' or ']'") || problem.contains("expected ',' or '}'")) {
            message = "not valid YAML: a [list] or {mapping} is not closed where expected; close it or add a comma";
        } else if (problem.contains("exceeds the limit") || problem.contains("Nesting Depth")) {
            message = "the document nests deeper than 40 levels or is too large; simplify it";
        } else if (!problem.isEmpty() && problem.matches("[\\p{Print}&&[^\\\\]]{1,100}")) {
            // SnakeYAML's own words for the problem: short, printable, and naming no Java type.
            message = "not valid YAML: " + problem + "; check the indentation and quoting here";
        } else {
            message = "not valid YAML here; check the indentation and quoting";
        }
        return refuse(file, p.line(), p.column(), "", message);
    }

    private static String yamlProblem(YAMLException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.contains("exceeds the limit")) {
            return "the document is too large; split it";
        }
        if (m.contains("aliases")) {
            return "the document uses more than 100 aliases (*name) of lists or mappings; write the values out";
        }
        if (m.contains("Nesting Depth")) {
            return "the document nests deeper than 40 levels; simplify it";
        }
        return "not valid YAML; check the indentation and quoting";
    }

    /** Whether a character may not appear in any text of a plan: controls and bidirectional formatting marks. */
    static boolean forbidden(int c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
        return c < 0x20
                || (c >= 0x7F && c <= 0x9F)
                || c == 0x061C
                || c == 0x200E
                || c == 0x200F
                || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069)
                || c == 0xFEFF;
    }

    /** The first forbidden character of a text, described for a person, if any. */
    public static Optional<String> forbiddenCharacter(String s) {
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (forbidden(c)) {
                String kind = (c >= 0x202A && c <= 0x202E)
                                || (c >= 0x2066 && c <= 0x2069)
                                || c == 0x200E
                                || c == 0x200F
                                || c == 0x061C
                        ? "a bidirectional-text mark"
                        : "a control character";
                return Optional.of(kind + String.format(" (U+%04X) at character %d", c, i + 1));
            }
            i += Character.charCount(c);
        }
        return Optional.empty();
    }
}
