package io.cutover.fleet;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.cutover.InvalidPlanException;
import io.cutover.plan.Plan;
import io.cutover.plan.PlanValidator;
import io.cutover.plan.file.PlanFile;
import io.cutover.plan.file.PlanFileException;
import io.cutover.plan.file.PlanFileException.Located;
import io.cutover.plan.file.PlanFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads fleet files (YAML). Every problem is reported with the file, line and field before anything starts:
 * an environment named twice, waves that add up to more or less than the fleet, a plan file that cannot be
 * read or whose plan is invalid for one environment.
 *
 * <pre>{@code
 * id: shop-2-0
 * plan: upgrade.yaml            # every environment's plan, unless it names its own
 * waves: [1, 5%, rest]          # the default; numbers, percentages (rounded up), and "rest" last
 * maxFailuresPerWave: 0         # a count or a percentage: more than this stops new starts (default 0)
 * concurrency: 10               # environments one process drives at once (default 10)
 * environments:
 *   - name: acme
 *     account: acme-prod        # the AWS profile; with the region, the key of a shared rate budget
 *     region: eu-west-1
 *     variables: {stack: acme-blue, db: acme-db}
 *   - name: globex
 *     plan: globex-upgrade.yaml
 * }</pre>
 *
 * <p>In a plan file, {@code ${fleet.environment}}, {@code ${fleet.account}}, {@code ${fleet.region}} and
 * {@code ${fleet.NAME}} for each of the environment's variables are replaced before the plan is read. The
 * plan's {@code environment.name} must be the fleet environment's name (write
 * {@code name: ${fleet.environment}}); its id gets {@code -<environment>} appended.
 */
public final class FleetFiles {
    private static final Pattern FLEET_VARIABLE = Pattern.compile("\\$\\{fleet\\.([A-Za-z0-9_-]+)}");
    private static final Pattern WAVE = Pattern.compile("(\\d+)(%?)");

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

    public static Fleet load(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new FleetFileException(List.of(new Located(path.toString(), 0, 0, "", "no such file")));
        } catch (IOException e) {
            throw new FleetFileException(
                    List.of(new Located(path.toString(), 0, 0, "", "cannot read: " + e.getMessage())));
        }
        return parse(path, text);
    }

    public static Fleet parse(Path path, String text) {
        String file = path.toString();
        Document doc;
        try {
            doc = PlanFiles.yamlMapper().readValue(text, Document.class);
        } catch (JsonProcessingException e) {
            throw new FleetFileException(List.of(locate(file, text, e)));
        }
        if (doc == null) {
            throw new FleetFileException(List.of(
                    new Located(file, 1, 1, "", "the file is empty; a fleet needs an id " + "and environments")));
        }
        List<Located> problems = new ArrayList<>();
        if (doc.id() == null || !doc.id().matches("[a-z][a-z0-9-]{0,39}")) {
            problems.add(at(
                    file,
                    text,
                    "id",
                    "id",
                    "give the fleet an id of lower-case letters, digits and hyphens " + "(at most 40), e.g. shop-2-0"));
        }
        List<Entry> entries = doc.environments() == null ? List.of() : doc.environments();
        if (entries.isEmpty()) {
            problems.add(at(file, text, "environments", "environments", "list at least one environment"));
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e == null || e.name() == null || e.name().isBlank()) {
                problems.add(at(
                        file,
                        text,
                        "environments",
                        "environments[" + i + "].name",
                        "is missing; name the " + "environment"));
                continue;
            }
            Integer first = seen.putIfAbsent(e.name(), i);
            if (first != null) {
                problems.add(new Located(
                        file,
                        nthLine(text, "name:\\s*[\"']?" + Pattern.quote(e.name()) + "[\"']?\\s*$", 2),
                        0,
                        "environments[" + i + "].name",
                        "environment '" + e.name() + "' is listed twice (also environments[" + first
                                + "]); list each environment once"));
            }
            if (e.plan() == null && doc.plan() == null) {
                problems.add(at(
                        file,
                        text,
                        "environments",
                        "environments[" + e.name() + "].plan",
                        "no plan: give the " + "fleet a plan, or this environment one"));
            }
        }
        int concurrency = doc.concurrency() == null ? 10 : doc.concurrency();
        if (concurrency < 1) {
            problems.add(at(file, text, "concurrency", "concurrency", concurrency + ": give at least 1"));
        }
        Fleet.FailureThreshold threshold = Fleet.FailureThreshold.ofCount(0);
        if (doc.maxFailuresPerWave() != null) {
            Matcher m = WAVE.matcher(doc.maxFailuresPerWave().trim());
            if (!m.matches() || (!m.group(2).isEmpty() && Integer.parseInt(m.group(1)) > 100)) {
                problems.add(at(
                        file,
                        text,
                        "maxFailuresPerWave",
                        "maxFailuresPerWave",
                        "'" + doc.maxFailuresPerWave() + "' is not a count (e.g. 2) or a percentage (e.g. 10%)"));
            } else {
                int v = Integer.parseInt(m.group(1));
                threshold =
                        m.group(2).isEmpty() ? Fleet.FailureThreshold.ofCount(v) : Fleet.FailureThreshold.ofPercent(v);
            }
        }
        List<Integer> sizes = waves(file, text, doc.waves(), entries.size(), problems);
        if (!problems.isEmpty()) {
            throw new FleetFileException(problems);
        }
        Path dir = path.toAbsolutePath().getParent();
        List<FleetEnvironment> envs = new ArrayList<>();
        int wave = 0;
        int left = sizes.isEmpty() ? 0 : sizes.get(0);
        for (Entry e : entries) {
            while (left == 0) {
                wave++;
                left = sizes.get(wave);
            }
            left--;
            Optional<PlanFile> pf = plan(file, text, dir, doc, e, problems);
            if (pf.isPresent()) {
                envs.add(new FleetEnvironment(
                        e.name(), wave, Optional.ofNullable(e.account()), Optional.ofNullable(e.region()), pf.get()));
            }
        }
        if (!problems.isEmpty()) {
            throw new FleetFileException(problems);
        }
        return new Fleet(doc.id(), path, envs, sizes, threshold, concurrency);
    }

    /** Wave sizes that add up to {@code n}; the default is 1, then 5%, then the rest (empty waves dropped). */
    private static List<Integer> waves(String file, String text, List<String> spec, int n, List<Located> problems) {
        boolean explicit = spec != null;
        List<String> waves = explicit ? spec : List.of("1", "5%", "rest");
        List<Integer> sizes = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < waves.size(); i++) {
            String w = waves.get(i) == null ? "" : waves.get(i).trim();
            int size;
            if (w.equals("rest")) {
                if (i != waves.size() - 1) {
                    problems.add(at(file, text, "waves", "waves[" + i + "]", "'rest' must be the last wave"));
                    return List.of();
                }
                size = n - total;
                if (size < 0 || (explicit && size == 0)) {
                    problems.add(at(
                            file,
                            text,
                            "waves",
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
                    problems.add(at(
                            file,
                            text,
                            "waves",
                            "waves[" + i + "]",
                            "'" + w + "' is not a wave: give a number of "
                                    + "environments (e.g. 1), a percentage of the fleet (e.g. 5%), or 'rest' last"));
                    return List.of();
                }
                int v = Integer.parseInt(m.group(1));
                size = m.group(2).isEmpty() ? v : (int) Math.ceil(n * v / 100.0);
            }
            if (!explicit) {
                size = Math.min(size, n - total);
            }
            if (size > 0) {
                sizes.add(size);
            }
            total += size;
        }
        if (total != n) {
            problems.add(at(
                    file,
                    text,
                    "waves",
                    "waves",
                    "the waves " + waves + " add up to " + total + " environments" + " but the fleet has " + n
                            + "; make them add up to " + n + ", or end with 'rest'"));
            return List.of();
        }
        return sizes;
    }

    private static Optional<PlanFile> plan(
            String file, String text, Path dir, Document doc, Entry e, List<Located> problems) {
        String field = "environments[" + e.name() + "].plan";
        String planName = e.plan() != null ? e.plan() : doc.plan();
        Path planPath = dir.resolve(planName);
        String planText;
        try {
            planText = Files.readString(planPath);
        } catch (IOException ex) {
            problems.add(at(
                    file,
                    text,
                    e.plan() != null ? "plan: *" + Pattern.quote(e.plan()) : "plan",
                    field,
                    "cannot read plan file " + planPath + " (" + ex.getClass().getSimpleName() + ")"));
            return Optional.empty();
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
            vars.putAll(e.variables());
        }
        Matcher m = FLEET_VARIABLE.matcher(planText);
        StringBuilder sb = new StringBuilder();
        List<String> unknown = new ArrayList<>();
        while (m.find()) {
            String v = vars.get(m.group(1));
            if (v == null) {
                unknown.add(m.group(1));
                v = m.group();
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        if (!unknown.isEmpty()) {
            problems.add(at(
                    file,
                    text,
                    "name:\\s*[\"']?" + Pattern.quote(e.name()),
                    "environments[" + e.name() + "].variables",
                    "plan file " + planPath.getFileName() + " uses ${fleet." + String.join("}, ${fleet.", unknown)
                            + "}, which this environment does not define; known: " + vars.keySet()));
            return Optional.empty();
        }
        PlanFile pf;
        try {
            pf = PlanFiles.parse(planPath, sb.toString());
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
            problems.add(new Located(
                    planPath.toString(),
                    0,
                    0,
                    "environment.name",
                    "is '" + plan.environment().name() + "' but the fleet environment is '" + e.name()
                            + "'; write name: ${fleet.environment}"));
            return Optional.empty();
        }
        Plan mine = Plan.of(plan.id() + "-" + e.name(), plan.environment(), plan.steps());
        for (InvalidPlanException.Problem p : PlanValidator.problems(mine, io.cutover.step.kinds.StepKinds.builtIn())) {
            problems.add(new Located(
                    planPath.toString(),
                    0,
                    0,
                    p.field(),
                    p.message() + " (plan id " + mine.id() + ", for fleet environment '" + e.name() + "')"));
        }
        return Optional.of(new PlanFile(pf.path(), mine, pf.hooks(), pf.checks()));
    }

    private static Located at(String file, String text, String linePattern, String field, String message) {
        return new Located(file, nthLine(text, "(^|\\s|-\\s*)" + linePattern + ":", 1), 0, field, message);
    }

    /** The 1-based line of the {@code n}th match of {@code regex}, or of the last one; 0 when none. */
    private static int nthLine(String text, String regex, int n) {
        Pattern p = Pattern.compile(regex);
        String[] lines = text.split("\n", -1);
        int found = 0;
        int last = 0;
        for (int i = 0; i < lines.length; i++) {
            if (p.matcher(lines[i].trim().startsWith("- ") ? lines[i].trim().substring(2) : lines[i].trim())
                    .find()) {
                found++;
                last = i + 1;
                if (found == n) {
                    return last;
                }
            }
        }
        return last;
    }

    private static Located locate(String file, String text, JsonProcessingException e) {
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        int col = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
        String field = "";
        if (e instanceof JsonMappingException jm) {
            StringBuilder sb = new StringBuilder();
            for (JsonMappingException.Reference r : jm.getPath()) {
                if (r.getFieldName() != null) {
                    sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    sb.append('[').append(r.getIndex()).append(']');
                }
            }
            field = sb.toString();
        }
        String message = e.getOriginalMessage().split("\n")[0];
        if (e instanceof UnrecognizedPropertyException u) {
            message = "unknown field '" + u.getPropertyName() + "'; valid here: " + u.getKnownPropertyIds();
            // records are read whole, so Jackson points at the end of the object: find the field's own line
            int own = nthLine(text, "^" + Pattern.quote(u.getPropertyName()) + "\\s*:", 1);
            if (own > 0) {
                line = own;
                col = 0;
            }
        }
        return new Located(file, line, col, field, message);
    }
}
