package io.cutover.fleet;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cutover.plan.Environment;
import io.cutover.plan.Identifiers;
import io.cutover.plan.Plan;
import io.cutover.plan.file.PlanFile;
import io.cutover.plan.file.PlanFileException;
import io.cutover.plan.file.PlanFileException.Located;
import io.cutover.plan.file.PlanFiles;
import io.cutover.plan.file.PlanFiles.FileAccess;
import io.cutover.plan.file.StrictYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads fleet files (YAML) through the strict reader of plan files ({@link StrictYaml}). Every problem is
 * reported with the file, line and field before anything starts: an environment named twice (or twice but
 * for case), environments that share a stack, database, volume or DNS record, waves that add up to more or
 * less than the fleet, a plan file that cannot be read or whose plan is invalid for one environment.
 *
 * <pre>{@code
 * id: shop-2-0
 * plan: upgrade.yaml            # every environment's plan, unless it names its own
 * waves: [1, 5%, rest]          # the default; numbers, percentages (rounded up), and "rest" last
 * maxFailuresPerWave: 0         # a count or a percentage: more than this stops new starts (default 0)
 * concurrency: 10               # environments one process drives at once (default 10, at most 1000)
 * environments:
 *   - name: acme
 *     account: acme-prod        # the AWS profile; with the region, the key of a shared rate budget
 *     region: eu-west-1
 *     variables: {stack: acme-blue, db: acme-db}
 *   - name: globex
 *     plan: globex-upgrade.yaml
 * }</pre>
 *
 * <p>A plan file is read and parsed once; then, for each environment, {@code ${fleet.environment}},
 * {@code ${fleet.account}}, {@code ${fleet.region}} and {@code ${fleet.NAME}} for each of the environment's
 * variables are replaced in the parsed plan's text values, so a variable is always a value and never YAML
 * (a variable cannot add a step or a field). The plan's {@code environment.name} must be the fleet
 * environment's name (write {@code name: ${fleet.environment}}); its id gets {@code -<environment>}
 * appended. Plan files are read from the fleet file's folder only, unless {@link FileAccess#ANYWHERE}.
 */
public final class FleetFiles {
    private static final Pattern FLEET_VARIABLE = Pattern.compile("\\$\\{fleet\\.([A-Za-z0-9_-]+)}");
    private static final Pattern WAVE = Pattern.compile("(\\d{1,7})(%?)");
    private static final ObjectMapper MAPPER = PlanFiles.yamlMapper();
    /** The most environments a fleet file may list. */
    public static final int MAX_ENVIRONMENTS = 100_000;
    /** The most environments one process may drive at once. */
    public static final int MAX_CONCURRENCY = 1_000;

    private static final int MAX_SHOWN = 100;

    private FleetFiles() {}

    /** The YAML document; names are the file's fields. */
    record Document(
            String id,
            String plan,
            List<String> waves,
            String maxFailuresPerWave,
            Integer concurrency,
            List<Entry> environments) {}

    record Entry(
            String name,
            String plan,
            String account,
            String region,
            @JsonProperty("variables") Map<String, String> variables) {}

    /**
     * The JSON Schema of fleet files (docs/schema/fleet.schema.json), generated from the records they are read
     * into; see {@link io.cutover.plan.file.JsonSchemas}.
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode schema() {
        return io.cutover.plan.file.JsonSchemas.of(
                Document.class,
                io.cutover.step.kinds.StepKinds.builtIn(),
                "Cutover fleet file",
                "https://cutover.io/schema/fleet.schema.json");
    }

    public static Fleet load(Path path) {
        return load(path, FileAccess.PLAN_FOLDER);
    }

    public static Fleet load(Path path, FileAccess access) {
        String text = StrictYaml.readText(path, StrictYaml.MAX_FLEET_BYTES, "fleet file", path.toString(), "");
        return parse(path, text, access);
    }

    public static Fleet parse(Path path, String text) {
        return parse(path, text, FileAccess.PLAN_FOLDER);
    }

    public static Fleet parse(Path path, String text, FileAccess access) {
        try {
            return read(path, text, access);
        } catch (PlanFileException e) {
            throw new FleetFileException(e.problems());
        }
    }

    private static Fleet read(Path path, String text, FileAccess access) {
        String file = path.toString();
        StrictYaml.Document tree = StrictYaml.parse(
                file, text, StrictYaml.MAX_FLEET_BYTES, "the file is empty; a fleet needs an id and environments");
        if (!tree.root().isObject()) {
            throw new FleetFileException(List.of(new Located(
                    file,
                    1,
                    1,
                    "",
                    "the file is not a fleet; a fleet file is a mapping with id, plan and environments")));
        }
        Document doc;
        try {
            doc = MAPPER.treeToValue(tree.root(), Document.class);
        } catch (JsonProcessingException e) {
            throw new FleetFileException(List.of(PlanFiles.bindingProblem(tree, e)));
        }
        List<Located> problems = new ArrayList<>();
        if (doc.id() == null || !doc.id().matches("[a-z][a-z0-9-]{0,39}")) {
            problems.add(tree.problem(
                    "id",
                    "give the fleet an id of lower-case letters, digits and hyphens (at most 40), e.g. shop-2-0"));
        }
        List<Entry> entries = doc.environments() == null ? List.of() : doc.environments();
        if (entries.isEmpty()) {
            problems.add(tree.problem("environments", "list at least one environment"));
        }
        if (entries.size() > MAX_ENVIRONMENTS) {
            throw new FleetFileException(List.of(tree.problem(
                    "environments",
                    entries.size() + " environments; a fleet file lists at most " + MAX_ENVIRONMENTS
                            + "; split the fleet")));
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            String at = "environments[" + i + "]";
            if (e == null || e.name() == null || e.name().isBlank()) {
                problems.add(tree.problemAt(at, at + ".name", "is missing; name the environment"));
                continue;
            }
            Optional<String> bad = Identifiers.checkEnvironmentName(e.name());
            if (bad.isPresent()) {
                problems.add(tree.problemAt(at + ".name", at + ".name", bad.get()));
                continue;
            }
            Integer first = seen.putIfAbsent(e.name().toLowerCase(Locale.ROOT), i);
            if (first != null) {
                String other = entries.get(first).name();
                problems.add(tree.problemAt(
                        at + ".name",
                        at + ".name",
                        other.equals(e.name())
                                ? "environment '" + e.name() + "' is listed twice (also environments[" + first
                                        + "]); list each environment once"
                                : "environment '" + e.name() + "' differs from '" + other + "' (environments["
                                        + first + "]) only by case; names that differ only by case collide in"
                                        + " file names and DNS, so rename one"));
            }
            if (e.plan() == null && doc.plan() == null) {
                problems.add(tree.problemAt(
                        at,
                        "environments[" + e.name() + "].plan",
                        "no plan: give the fleet a plan, or this environment one"));
            }
            if (e.variables() != null) {
                for (String k : e.variables().keySet()) {
                    if (!k.matches("[A-Za-z0-9_-]{1,64}")) {
                        problems.add(tree.problemAt(
                                at + ".variables." + k,
                                at + ".variables",
                                "'" + k + "' is not a variable name; use letters, digits, '-' and '_' (at most 64)"));
                    }
                }
            }
        }
        int concurrency = doc.concurrency() == null ? 10 : doc.concurrency();
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            problems.add(tree.problem(
                    "concurrency", concurrency + " is out of range; give 1 to " + MAX_CONCURRENCY + " (default 10)"));
        }
        Fleet.FailureThreshold threshold = Fleet.FailureThreshold.ofCount(0);
        if (doc.maxFailuresPerWave() != null) {
            Matcher m = WAVE.matcher(doc.maxFailuresPerWave().trim());
            if (!m.matches() || (!m.group(2).isEmpty() && Integer.parseInt(m.group(1)) > 100)) {
                problems.add(tree.problem(
                        "maxFailuresPerWave",
                        "'" + cut(doc.maxFailuresPerWave())
                                + "' is not a count (e.g. 2, at most 7 digits) or a percentage (e.g. 10%)"));
            } else {
                int v = Integer.parseInt(m.group(1));
                threshold =
                        m.group(2).isEmpty() ? Fleet.FailureThreshold.ofCount(v) : Fleet.FailureThreshold.ofPercent(v);
            }
        }
        List<Integer> sizes = waves(tree, doc.waves(), entries.size(), problems);
        if (!problems.isEmpty()) {
            throw failure(problems);
        }
        Path dir = path.toAbsolutePath().getParent();
        Map<Path, StrictYaml.Document> plans = new HashMap<>();
        List<FleetEnvironment> envs = new ArrayList<>();
        int wave = 0;
        int left = sizes.isEmpty() ? 0 : sizes.get(0);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            while (left == 0) {
                wave++;
                left = sizes.get(wave);
            }
            left--;
            Optional<PlanFile> pf = plan(tree, dir, doc, e, i, access, plans, problems);
            if (pf.isPresent()) {
                envs.add(new FleetEnvironment(
                        e.name(), wave, Optional.ofNullable(e.account()), Optional.ofNullable(e.region()), pf.get()));
            }
            if (problems.size() > 10 * MAX_SHOWN) {
                break;
            }
        }
        if (problems.isEmpty()) {
            shared(tree, envs, problems);
        }
        if (!problems.isEmpty()) {
            throw failure(problems);
        }
        return new Fleet(doc.id(), path, envs, sizes, threshold, concurrency);
    }

    private static FleetFileException failure(List<Located> problems) {
        if (problems.size() <= MAX_SHOWN) {
            return new FleetFileException(problems);
        }
        List<Located> shown = new ArrayList<>(problems.subList(0, MAX_SHOWN));
        Located last = problems.get(problems.size() - 1);
        shown.add(new Located(
                last.file(), 0, 0, "", "and " + (problems.size() - MAX_SHOWN) + " more problems; fix these first"));
        return new FleetFileException(shown);
    }

    private static String cut(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /**
     * Environments that would act on the same thing: one environment's decommission would delete what the
     * other still runs on. Stacks, databases, volumes, DNS records and addresses must each belong to one
     * environment (per account and region; names compared as AWS compares them).
     */
    private static void shared(StrictYaml.Document tree, List<FleetEnvironment> envs, List<Located> problems) {
        Map<String, String> owner = new HashMap<>();
        for (FleetEnvironment fe : envs) {
            Environment env = fe.plan().environment();
            String scope = fe.target() + "/";
            Set<String> mine = new LinkedHashSet<>();
            mine.add("stack " + env.stack());
            env.databases().forEach(d -> mine.add("database " + d.id().toLowerCase(Locale.ROOT)));
            env.volumes().forEach(v -> mine.add("volume " + v));
            env.dns()
                    .ifPresent(r -> mine.add("DNS record " + stripDot(r.name().toLowerCase(Locale.ROOT)) + " ("
                            + r.type() + ", zone " + r.zoneId() + ")"));
            env.address().ifPresent(a -> mine.add("address " + a));
            for (String thing : mine) {
                String other = owner.putIfAbsent(scope + thing, fe.name());
                if (other != null && !other.equals(fe.name())) {
                    problems.add(tree.problem(
                            "environments[" + fe.name() + "]",
                            "environments '" + other + "' and '" + fe.name() + "' share " + thing
                                    + "; each environment needs its own (one's decommission would delete what the"
                                    + " other runs on); give them their own in their variables"));
                }
            }
        }
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** Wave sizes that add up to {@code n}; the default is 1, then 5%, then the rest (empty waves dropped). */
    private static List<Integer> waves(StrictYaml.Document tree, List<String> spec, int n, List<Located> problems) {
        boolean explicit = spec != null;
        List<String> waves = explicit ? spec : List.of("1", "5%", "rest");
        List<Integer> sizes = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < waves.size(); i++) {
            String w = waves.get(i) == null ? "" : waves.get(i).trim();
            long size;
            if (w.equals("rest")) {
                if (i != waves.size() - 1) {
                    problems.add(tree.problem("waves[" + i + "]", "'rest' must be the last wave"));
                    return List.of();
                }
                size = n - total;
                if (size < 0 || (explicit && size == 0)) {
                    problems.add(tree.problem(
                            "waves",
                            "the waves before 'rest' add up to " + total
                                    + ", " + (size < 0 ? "more than" : "all of") + " the fleet's " + n
                                    + " environments; make them smaller"
                                    + (size == 0 ? " or drop 'rest'" : "")));
                    return List.of();
                }
            } else {
                Matcher m = WAVE.matcher(w);
                if (!m.matches()
                        || Integer.parseInt(m.group(1)) == 0
                        || (!m.group(2).isEmpty() && Integer.parseInt(m.group(1)) > 100)) {
                    problems.add(tree.problem(
                            "waves[" + i + "]",
                            "'" + cut(w) + "' is not a wave: give a number of "
                                    + "environments (e.g. 1), a percentage of the fleet (e.g. 5%), or 'rest' last"));
                    return List.of();
                }
                int v = Integer.parseInt(m.group(1));
                size = m.group(2).isEmpty() ? v : (long) Math.ceil(n * v / 100.0);
            }
            if (!explicit) {
                size = Math.min(size, n - total);
            }
            if (size > 0) {
                sizes.add((int) Math.min(size, Integer.MAX_VALUE));
            }
            total += size;
        }
        if (total != n) {
            problems.add(tree.problem(
                    "waves",
                    "the waves " + waves + " add up to " + total + " environments" + " but the fleet has " + n
                            + "; make them add up to " + n + ", or end with 'rest'"));
            return List.of();
        }
        return sizes;
    }

    private static Optional<PlanFile> plan(
            StrictYaml.Document tree,
            Path dir,
            Document doc,
            Entry e,
            int index,
            FileAccess access,
            Map<Path, StrictYaml.Document> plans,
            List<Located> problems) {
        String field = "environments[" + e.name() + "].plan";
        String where = e.plan() != null ? "environments[" + index + "].plan" : "plan";
        String planName = e.plan() != null ? e.plan() : doc.plan();
        Path planPath = dir.resolve(planName).normalize();
        if (access == FileAccess.PLAN_FOLDER && !inside(dir, planPath)) {
            problems.add(tree.problemAt(
                    where,
                    field,
                    "'" + cut(planName) + "' is outside the fleet file's folder " + dir
                            + "; move the plan beside the fleet file, or allow files from anywhere"
                            + " (--files-from-anywhere)"));
            return Optional.empty();
        }
        StrictYaml.Document planTree = plans.get(planPath);
        if (planTree == null) {
            try {
                String planText =
                        StrictYaml.readText(planPath, StrictYaml.MAX_PLAN_BYTES, "plan file", tree.file(), field);
                planTree = PlanFiles.read(planPath, planText, access);
            } catch (PlanFileException ex) {
                StrictYaml.Position at = tree.exact(where).orElse(tree.locate(where));
                for (Located p : ex.problems()) {
                    // Problems of reading the file are placed at the fleet's line; those inside it at theirs.
                    problems.add(
                            p.file().equals(tree.file())
                                    ? new Located(p.file(), at.line(), at.column(), field, p.message())
                                    : p);
                }
                return Optional.empty();
            }
            plans.put(planPath, planTree);
        }
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("environment", e.name());
        if (e.account() != null) {
            vars.put("account", e.account());
        }
        if (e.region() != null) {
            vars.put("region", e.region());
        }
        if (e.variables() != null) {
            e.variables().forEach((k, v) -> vars.put(k, v == null ? "" : v));
        }
        Map<String, String> shellNames = new LinkedHashMap<>();
        for (String k : vars.keySet()) {
            String other = shellNames.putIfAbsent(shellName(k), k);
            if (other != null) {
                problems.add(tree.problemAt(
                        "environments[" + index + "]",
                        "environments[" + e.name() + "].variables",
                        "variables '" + other + "' and '" + k + "' would both reach hook and check commands as "
                                + shellName(k) + "; rename one"));
                return Optional.empty();
            }
        }
        Set<String> unknown = new LinkedHashSet<>();
        JsonNode root = substitute(planTree.root(), vars, unknown, List.of());
        if (!unknown.isEmpty()) {
            problems.add(tree.problemAt(
                    "environments[" + index + "]",
                    "environments[" + e.name() + "].variables",
                    "plan file " + planPath.getFileName() + " uses ${fleet." + String.join("}, ${fleet.", unknown)
                            + "}, which this environment does not define; known: " + vars.keySet()));
            return Optional.empty();
        }
        JsonNode id = root.get("id");
        if (id != null && id.isTextual()) {
            ((ObjectNode) root).put("id", id.asText() + "-" + e.name());
        }
        PlanFile pf;
        try {
            pf = PlanFiles.fromDocument(planPath, planTree.withRoot(root));
        } catch (PlanFileException ex) {
            ex.problems()
                    .forEach(p -> problems.add(new Located(
                            p.file(),
                            p.line(),
                            p.column(),
                            p.field(),
                            p.message() + " (for fleet environment '" + e.name() + "')")));
            return Optional.empty();
        }
        Plan plan = pf.plan();
        if (!plan.environment().name().equals(e.name())) {
            StrictYaml.Position at = planTree.locate("environment.name");
            problems.add(new Located(
                    planPath.toString(),
                    at.line(),
                    at.column(),
                    "environment.name",
                    "is '" + plan.environment().name() + "' but the fleet environment is '" + e.name()
                            + "'; write name: ${fleet.environment}"));
            return Optional.empty();
        }
        return Optional.of(pf);
    }

    private static boolean inside(Path dir, Path p) {
        try {
            Path realDir = dir.toRealPath();
            return Files.exists(p) ? p.toRealPath().startsWith(realDir) : p.startsWith(dir);
        } catch (IOException ex) {
            return p.startsWith(dir);
        }
    }

    /**
     * A copy of the tree with every {@code ${fleet.X}} in its text values replaced by the variable's value;
     * in the commands of hooks and checks (which reach a shell) by a reference to an environment variable
     * that holds the value instead ({@link #shellCommand}), with every variable added to the command's
     * {@code env}.
     */
    private static JsonNode substitute(JsonNode node, Map<String, String> vars, Set<String> unknown, List<String> at) {
        if (node.isTextual()) {
            String s = node.asText();
            if (!s.contains("${fleet.")) {
                return node;
            }
            Matcher m = FLEET_VARIABLE.matcher(s);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String v = vars.get(m.group(1));
                if (v == null) {
                    unknown.add(m.group(1));
                    v = m.group();
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(v));
            }
            m.appendTail(sb);
            return JsonNodeFactory.instance.textNode(sb.toString());
        }
        if (node.isObject()) {
            boolean command =
                    at.size() == 2 && (at.get(0).equals("hooks") || at.get(0).equals("checks"));
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                List<String> next = at;
                if (at.size() < 3) { // only the first keys tell a command apart
                    next = new ArrayList<>(at);
                    next.add(f.getKey());
                }
                copy.set(
                        f.getKey(),
                        command && f.getKey().equals("run") && f.getValue().isTextual()
                                ? JsonNodeFactory.instance.textNode(
                                        shellCommand(f.getValue().asText(), vars, unknown))
                                : substitute(f.getValue(), vars, unknown, next));
            }
            if (command) {
                JsonNode written = copy.get("env");
                ObjectNode env = written != null && written.isObject()
                        ? (ObjectNode) written
                        : JsonNodeFactory.instance.objectNode();
                vars.forEach((k, v) -> {
                    if (!env.has(shellName(k))) {
                        env.put(shellName(k), v);
                    }
                });
                if (written == null || written.isObject()) {
                    copy.set("env", env);
                }
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
            node.forEach(n -> copy.add(substitute(n, vars, unknown, at)));
            return copy;
        }
        return node;
    }

    /** The environment variable that carries a fleet variable to hook and check commands. */
    static String shellName(String variable) {
        return "CUTOVER_FLEET_" + variable.replace('-', '_');
    }

    /**
     * A command with each {@code ${fleet.X}} replaced by a reference to the environment variable that holds
     * its value, quoted for where it stands: {@code "${CUTOVER_FLEET_X}"} outside quotes, {@code ${...}}
     * inside double quotes, and out of and back into single quotes inside them. The shell expands a
     * variable's value as data: whatever it holds ({@code ; rm -rf}, {@code $(...)}, quotes) is never run.
     */
    static String shellCommand(String command, Map<String, String> vars, Set<String> unknown) {
        StringBuilder out = new StringBuilder();
        char quote = 0;
        Matcher m = FLEET_VARIABLE.matcher(command);
        int i = 0;
        while (i < command.length()) {
            if (command.startsWith("${fleet.", i) && m.find(i) && m.start() == i) {
                if (!vars.containsKey(m.group(1))) {
                    unknown.add(m.group(1));
                    out.append(m.group());
                } else {
                    String ref = "${" + shellName(m.group(1)) + "}";
                    out.append(
                            switch (quote) {
                                case '"' -> ref;
                                case '\'' -> "'\"" + ref + "\"'";
                                default -> "\"" + ref + "\"";
                            });
                }
                i = m.end();
                continue;
            }
            char c = command.charAt(i);
            out.append(c);
            if (c == '\\' && quote != '\'' && i + 1 < command.length()) {
                out.append(command.charAt(++i));
            } else if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
            i++;
        }
        return out.toString();
    }
}
