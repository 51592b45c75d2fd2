package io.cutover.plan.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cutover.plan.file.PlanFileException.Located;
import io.cutover.plan.file.StrictYaml.Position;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Turns a YAML node graph into a Jackson tree, strictly, recording where each value stood. */
final class StrictYamlConverter {
    private final String file;
    final List<Located> problems = new ArrayList<>();
    final Map<String, Position> positions = new HashMap<>();
    private final Set<Node> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
    private int count;

    StrictYamlConverter(String file) {
        this.file = file;
    }

    private void problem(Mark m, String field, String message) {
        if (problems.size() < 100) {
            Position p = Position.of(m);
            problems.add(new Located(file, p.line(), p.column(), field, message));
        }
    }

    JsonNode convert(Node node, String path) {
        if (path.isEmpty()) {
            positions.put("", Position.of(node.getStartMark()));
        }
        if (++count > StrictYaml.MAX_NODES) {
            if (count == StrictYaml.MAX_NODES + 1) {
                problem(
                        node.getStartMark(),
                        path,
                        "the document expands to more than " + StrictYaml.MAX_NODES
                                + " values (aliases included); write it smaller");
            }
            return JsonNodeFactory.instance.nullNode();
        }
        String tag = node.getTag().getValue();
        if (!StrictYaml.CORE_TAGS.contains(tag)) {
            problem(
                    node.getStartMark(),
                    path,
                    "the tag '" + shortTag(tag) + "' is not understood here; plan and fleet files take no tags"
                            + " (a CloudFormation template with !Ref or !Sub goes in its own file, named by"
                            + " template.file)");
            return JsonNodeFactory.instance.nullNode();
        }
        if (!onPath.add(node)) {
            problem(node.getStartMark(), path, "an alias refers to a value that contains it; remove the loop");
            return JsonNodeFactory.instance.nullNode();
        }
        try {
            if (node instanceof ScalarNode s) {
                return scalar(s, path);
            } else if (node instanceof SequenceNode seq) {
                ArrayNode arr = JsonNodeFactory.instance.arrayNode();
                List<Node> items = seq.getValue();
                for (int i = 0; i < items.size(); i++) {
                    Node item = items.get(i);
                    String p = path + "[" + i + "]";
                    positions.put(p, Position.of(item.getStartMark()));
                    if (item instanceof ScalarNode s
                            && s.isPlain()
                            && StrictYaml.NULL.matcher(s.getValue()).matches()
                            && Tag.NULL.equals(s.getTag())) {
                        problem(
                                item.getStartMark(),
                                p,
                                "an empty list item; give a value after the '-' or remove the line");
                        continue;
                    }
                    arr.add(convert(item, p));
                }
                return arr;
            } else if (node instanceof MappingNode map) {
                ObjectNode obj = JsonNodeFactory.instance.objectNode();
                Map<String, Mark> seen = new HashMap<>();
                for (NodeTuple t : map.getValue()) {
                    Node k = t.getKeyNode();
                    if (!(k instanceof ScalarNode ks)) {
                        problem(k.getStartMark(), path, "a key must be a plain name, not a list or mapping");
                        continue;
                    }
                    String key = ks.getValue();
                    String p = path.isEmpty() ? key : path + "." + key;
                    if (Tag.MERGE.equals(ks.getTag()) || key.equals("<<")) {
                        problem(
                                k.getStartMark(),
                                p,
                                "merge keys (<<) are not supported; write the fields out, or use an alias"
                                        + " (*name) for a whole value");
                        continue;
                    }
                    Optional<String> bad = StrictYaml.forbiddenCharacter(key);
                    if (bad.isPresent()) {
                        problem(k.getStartMark(), path, "a key holds " + bad.get() + "; remove it");
                        continue;
                    }
                    Mark first = seen.putIfAbsent(key, k.getStartMark());
                    if (first != null) {
                        problem(
                                k.getStartMark(),
                                p,
                                "'" + key + "' is written twice in this mapping (first at line " + (first.getLine() + 1)
                                        + "); keep one");
                        continue;
                    }
                    positions.put(p, Position.of(k.getStartMark()));
                    obj.set(key, convert(t.getValueNode(), p));
                }
                return obj;
            }
            return JsonNodeFactory.instance.nullNode();
        } finally {
            onPath.remove(node);
        }
    }

    private JsonNode scalar(ScalarNode s, String path) {
        String v = s.getValue();
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (!s.isPlain() || Tag.STR.equals(s.getTag())) {
            Optional<String> bad = StrictYaml.forbiddenCharacter(v);
            if (bad.isPresent()) {
                problem(s.getStartMark(), path, "the text holds " + bad.get() + "; remove it");
            }
            return f.textNode(v);
        }
        if (StrictYaml.NULL.matcher(v).matches()) {
            return f.nullNode();
        }
        if (StrictYaml.TRUE.matcher(v).matches()) {
            return f.booleanNode(true);
        }
        if (StrictYaml.FALSE.matcher(v).matches()) {
            return f.booleanNode(false);
        }
        if (StrictYaml.INT.matcher(v).matches()) {
            BigInteger n = new BigInteger(v);
            if (n.bitLength() < 32) {
                return f.numberNode(n.intValue());
            }
            if (n.bitLength() < 64) {
                return f.numberNode(n.longValue());
            }
            return f.numberNode(n);
        }
        if (StrictYaml.FLOAT.matcher(v).matches()) {
            return f.numberNode(new BigDecimal(v));
        }
        Optional<String> bad = StrictYaml.forbiddenCharacter(v);
        if (bad.isPresent()) {
            problem(s.getStartMark(), path, "the text holds " + bad.get() + "; remove it");
        }
        return f.textNode(v);
    }

    private static String shortTag(String tag) {
        return tag.startsWith("tag:yaml.org,2002:") ? "!!" + tag.substring(18) : tag;
    }
}
