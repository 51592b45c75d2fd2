package io.cutover.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cutover.event.CutoverEvent;
import io.cutover.fleet.FleetSummary;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec;
import io.cutover.state.RunState;
import io.cutover.state.StateCodec;
import io.cutover.state.StepState;
import io.cutover.state.StepStatus;
import io.cutover.step.Compensation;
import io.cutover.step.StepBehaviour;
import io.cutover.step.kinds.StepKinds;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * The one schema of {@code --output json}: every line on standard output is one JSON object with
 * {@code "schemaVersion"} and {@code "type"}; fields keep one order, and maps are sorted by key. The types and
 * their fields are listed in {@code cli/README.md}; a change that removes or renames a field raises
 * {@link #SCHEMA_VERSION}.
 */
final class JsonLines {
    /** The version of the schema; scripts should check it. */
    static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = StateCodec.mapper()
            .copy()
            .disable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private JsonLines() {}

    static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A new line of the given type, its version and type first. */
    static ObjectNode line(String type) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("schemaVersion", SCHEMA_VERSION);
        node.put("type", type);
        return node;
    }

    static void print(PrintWriter out, ObjectNode node) {
        try {
            out.println(MAPPER.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON line: " + e.getMessage(), e);
        }
        out.flush();
    }

    /** An event: its record's fields, then {@code message} (the text a log line shows). */
    static ObjectNode event(CutoverEvent e) {
        ObjectNode node = line(e.getClass().getSimpleName());
        node.setAll((ObjectNode) MAPPER.valueToTree(e));
        node.put("message", e.describe());
        return node;
    }

    /** Where a cutover stands: {@code Summary} at the end of a command that drove it, and for {@code status RUN}. */
    static ObjectNode summary(RunState s) {
        ObjectNode node = line("Summary");
        node.put("runId", s.runId());
        node.put("planId", s.plan().id());
        node.put("environment", s.plan().environment().name());
        node.put("status", s.status().name());
        node.put("startedAt", s.createdAt().toString());
        node.put("updatedAt", s.updatedAt().toString());
        node.put(
                "durationSeconds",
                Duration.between(s.createdAt(), s.updatedAt()).toSeconds());
        s.downtimeStartedAt().ifPresent(d -> node.put("downtimeStartedAt", d.toString()));
        s.downtimeEndedAt().ifPresent(d -> node.put("downtimeEndedAt", d.toString()));
        s.downtime(s.updatedAt()).ifPresent(d -> node.put("downtimeSeconds", d.toSeconds()));
        s.failure().ifPresent(f -> node.put("failure", f));
        node.put("switched", s.switched());
        ArrayNode steps = node.putArray("steps");
        for (StepSpec spec : s.plan().steps()) {
            StepState st = s.steps().get(spec.id().value());
            ObjectNode step = steps.addObject();
            step.put("id", spec.id().value());
            step.put("kind", StepKinds.builtIn().of(spec).name());
            step.put(
                    "status",
                    st == null ? StepStatus.PENDING.name() : st.status().name());
            if (st != null) {
                st.startedAt().ifPresent(a -> step.put("startedAt", a.toString()));
                st.endedAt().ifPresent(a -> step.put("endedAt", a.toString()));
                if (!st.progress().isEmpty()) {
                    step.put("progress", st.progress());
                }
                st.error().ifPresent(err -> step.put("error", err));
                ObjectNode outputs = step.putObject("outputs");
                st.outputs().forEach(outputs::put);
            }
        }
        ArrayNode gates = node.putArray("waitingAt");
        s.steps().forEach((k, v) -> {
            if (v.status() == StepStatus.WAITING) {
                gates.add(k);
            }
        });
        ArrayNode report = node.putArray("report");
        s.reportLines().forEach(report::add);
        return node;
    }

    /** One stored cutover in {@code status}'s list. */
    static ObjectNode cutover(RunState s) {
        ObjectNode node = line("Cutover");
        node.put("runId", s.runId());
        node.put("environment", s.plan().environment().name());
        node.put("status", s.status().name());
        node.put("startedAt", s.createdAt().toString());
        node.put("updatedAt", s.updatedAt().toString());
        return node;
    }

    /** {@code plan}: the steps in order with what each changes and calls, and the IAM policy. */
    static ObjectNode plan(Plan plan, ObjectNode iamPolicy) {
        ObjectNode node = line("Plan");
        node.put("id", plan.id());
        node.put("environment", plan.environment().name());
        node.put("blueStack", plan.environment().stack());
        ArrayNode steps = node.putArray("steps");
        boolean switched = false;
        for (StepSpec s : plan.inOrder()) {
            var kind = StepKinds.builtIn().of(s);
            StepBehaviour a = kind.behaviour(s);
            var flags = kind.flags(s);
            switched |= flags.movesTraffic();
            ObjectNode step = steps.addObject();
            step.put("id", s.id().value());
            step.put("kind", kind.name());
            ArrayNode deps = step.putArray("dependsOn");
            s.dependsOn().forEach(d -> deps.add(d.value()));
            step.put("change", a.describe());
            if (a.compensation() != Compensation.NONE) {
                step.put("undo", a.describeCompensation());
            }
            step.put("afterSwitch", switched);
            step.put("pointOfNoReturn", flags.pointOfNoReturn());
            ArrayNode calls = step.putArray("calls");
            a.permissions().forEach(calls::add);
        }
        node.set("iamPolicy", iamPolicy);
        return node;
    }

    /** A fleet: counts by state, then every environment in fleet order. */
    static ObjectNode fleet(FleetSummary s) {
        ObjectNode node = line("FleetSummary");
        node.put("fleetId", s.fleetId());
        ObjectNode counts = node.putObject("counts");
        s.counts().forEach((k, v) -> counts.put(k.name().toLowerCase(Locale.ROOT), v));
        s.stopped().ifPresent(x -> node.put("stopped", x));
        ArrayNode envs = node.putArray("environments");
        for (FleetSummary.Line l : s.environments()) {
            ObjectNode e = envs.addObject();
            e.put("environment", l.environment());
            e.put("wave", l.wave() + 1);
            e.put("runId", l.runId());
            e.put("state", l.state().name());
            e.put("detail", l.detail());
        }
        return node;
    }

    /** What a command that failed says, beside its exit status, when JSON was asked for. */
    /** The account checks of {@code plan --check}: notes, and the problems that refuse the plan. */
    static ObjectNode check(Plan plan, io.cutover.engine.AccountCheck.Report report) {
        ObjectNode n = line("Check");
        n.put("plan", plan.id());
        n.put("passed", report.passed());
        var notes = n.putArray("notes");
        report.notes().forEach(notes::add);
        var problems = n.putArray("problems");
        report.problems()
                .forEach(p -> problems.addObject().put("field", p.field()).put("message", p.message()));
        return n;
    }

    static ObjectNode error(int exitCode, String message) {
        ObjectNode node = line("Error");
        node.put("exitCode", exitCode);
        node.put("message", message == null ? "" : message);
        return node;
    }
}
