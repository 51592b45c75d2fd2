package io.cutover.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cutover.CutoverException;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec;
import io.cutover.step.kinds.StepKinds;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The layouts of a saved state, by {@code formatVersion}, and how an older one is read. Every layout this
 * release knows is read (an older one migrated on read and written back in the current one at the next
 * save); a state of a newer layout is refused with what to do, never read as if it were this one.
 *
 * <ul>
 *   <li>0 (no {@code formatVersion}; releases up to the step-kind registry): the engine's bookkeeping in each
 *       step's memo ({@code _op}, {@code _opSince}), the report as text lines, no phase.
 *   <li>1: {@code waitingOn} and {@code errorType} in each step, a typed report, the run's {@code phase};
 *       an update-stack parameter kept as it is under its own memo key ({@code prev.keep.}), not a marker value.
 * </ul>
 */
public final class StateFormat {
    /** The layout this release writes. */
    public static final int CURRENT = 1;

    private static final String OP = "_op";
    private static final String OP_SINCE = "_opSince";
    private static final String KEEP_CURRENT_0 = "\u0000keep-current";

    private StateFormat() {}

    /** The state in {@code json}, read in the current layout; {@code where} names it in errors. */
    static RunState read(ObjectMapper mapper, StepKinds kinds, byte[] json, String where) throws IOException {
        JsonNode tree = mapper.readTree(json);
        if (!(tree instanceof ObjectNode root)) {
            throw new CutoverException("the stored state at " + where + " is not a JSON object; it was not written by "
                    + "Cutover, or was cut short: restore it from a backup");
        }
        JsonNode v = root.get("formatVersion");
        int version = v == null ? 0 : v.isInt() ? v.intValue() : -1;
        String run = root.path("runId").asText("?");
        if (version < 0 || version > CURRENT) {
            throw new NewerFormatException("the stored state of run " + run + " at " + where + " has state format "
                    + (v == null ? "?" : v.toString()) + ", which this release of Cutover does not know (it reads "
                    + "formats 0 to " + CURRENT + "); it was written by a newer release: resume the cutover with that "
                    + "release (or a newer one), and do not edit the state by hand");
        }
        if (version == 0) {
            migrateFrom0(mapper, kinds, root);
        }
        return mapper.treeToValue(root, RunState.class);
    }

    /** Format 0 to 1: bookkeeping out of the memo, report lines as notes, the phase from the statuses. */
    private static void migrateFrom0(ObjectMapper mapper, StepKinds kinds, ObjectNode root) throws IOException {
        root.put("formatVersion", 1);
        JsonNode steps = root.path("steps");
        for (Iterator<Map.Entry<String, JsonNode>> it = steps.fields(); it.hasNext(); ) {
            ObjectNode step = (ObjectNode) it.next().getValue();
            JsonNode memo = step.get("memo");
            if (memo instanceof ObjectNode m && m.has(OP)) {
                ObjectNode wait = step.putObject("waitingOn");
                wait.put("operation", m.get(OP).asText());
                wait.put("since", m.path(OP_SINCE).asText(step.path("startedAt").asText()));
                m.remove(OP);
                m.remove(OP_SINCE);
            }
            if (memo instanceof ObjectNode m) {
                keepCurrentAsItsOwnKey(m);
            }
        }
        JsonNode report = root.get("report");
        ArrayNode typed = mapper.createArrayNode();
        if (report != null) {
            report.forEach(line -> typed.addObject().put("type", "note").put("text", line.asText()));
        }
        root.set("report", typed);
        root.put("phase", phaseOf0(mapper, kinds, root).name());
    }

    /**
     * Format 0 marked an update-stack parameter that the revert passes as it is then (one the plan sets from a
     * secret) by a marker value under its {@code prev.param.} key; format 1 gives it its own key.
     */
    private static void keepCurrentAsItsOwnKey(ObjectNode memo) {
        java.util.List<String> marked = new java.util.ArrayList<>();
        memo.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("prev.param.") && e.getValue().asText().equals(KEEP_CURRENT_0)) {
                marked.add(e.getKey());
            }
        });
        for (String k : marked) {
            memo.remove(k);
            memo.put("prev.keep." + k.substring("prev.param.".length()), "");
        }
    }

    /**
     * In format 0 a rollback was its status, and "retiring" was the decommission step having started (and not
     * been called off).
     */
    private static RunPhase phaseOf0(ObjectMapper mapper, StepKinds kinds, ObjectNode root) throws IOException {
        String status = root.path("status").asText();
        if (status.equals(RunStatus.COMPENSATING.name())) {
            return RunPhase.COMPENSATING;
        }
        if (status.equals(RunStatus.REVERTING.name())) {
            return RunPhase.REVERTING;
        }
        Plan plan = mapper.treeToValue(root.get("plan"), Plan.class);
        for (StepSpec s : plan.steps()) {
            if (kinds.of(s).flags(s).pointOfNoReturn()) {
                String st =
                        root.path("steps").path(s.id().value()).path("status").asText();
                if (!st.equals(StepStatus.PENDING.name()) && !st.equals(StepStatus.SKIPPED.name())) {
                    return RunPhase.RETIRING;
                }
            }
        }
        return RunPhase.FORWARD;
    }

    /** What a commit checks of the stored state: whose it is, at which version, and who wrote it. */
    record Head(String runId, long version, String owner) {}

    /**
     * The run id, version and owner of a saved state, read without decoding the rest (its plan, steps and report),
     * which a version check does not need; a state of a newer format is refused as {@link #read} refuses it.
     */
    static Head head(ObjectMapper mapper, byte[] json, String where) throws IOException {
        String run = null;
        String owner = null;
        Long version = null;
        int format = 0;
        try (com.fasterxml.jackson.core.JsonParser p = mapper.getFactory().createParser(json)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                throw new CutoverException("the stored state at " + where + " is not a JSON object; it was not written"
                        + " by Cutover, or was cut short: restore it from a backup");
            }
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                com.fasterxml.jackson.core.JsonToken value = p.nextToken();
                switch (field) {
                    case "runId" -> run = p.getValueAsString();
                    case "owner" -> owner = p.getValueAsString();
                    case "version" -> version = value.isNumeric() ? p.getLongValue() : null;
                    case "formatVersion" ->
                        format = value == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                    default -> p.skipChildren();
                }
            }
        }
        if (format < 0 || format > CURRENT) {
            throw new NewerFormatException("the stored state of run " + run + " at " + where + " has state format "
                    + format + ", which this release of Cutover does not know (it reads formats 0 to " + CURRENT
                    + "); it was written by a newer release: resume the cutover with that release (or a newer one), "
                    + "and do not edit the state by hand");
        }
        if (run == null || version == null) {
            throw new CutoverException("the stored state at " + where + " lacks its runId or version; it was not "
                    + "written by Cutover, or was edited by hand: restore it from a backup");
        }
        return new Head(run, version, owner);
    }

    /** A state written by a newer release, in a format this one does not know: never misread, refused whole. */
    static final class NewerFormatException extends CutoverException {
        NewerFormatException(String message) {
            super(message);
        }
    }
}
