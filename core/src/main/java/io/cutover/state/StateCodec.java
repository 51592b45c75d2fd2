package io.cutover.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cutover.CutoverException;
import io.cutover.step.kinds.StepKinds;
import java.io.IOException;

/** Turns a cutover's state into JSON and back; shared by every state store. */
public final class StateCodec {
    private final ObjectMapper mapper;
    private final StepKinds kinds;

    private StateCodec(StepKinds kinds) {
        this.mapper = mapper(kinds);
        this.kinds = kinds;
    }

    public static StateCodec ofDefaults() {
        return new StateCodec(StepKinds.builtIn());
    }

    /** A codec for states whose plans hold steps of {@code kinds}. */
    public static StateCodec of(StepKinds kinds) {
        return new StateCodec(kinds);
    }

    /** The JSON mapper for plans and state: ISO-8601 times and durations, absent optionals left out. */
    public static ObjectMapper mapper() {
        return mapper(StepKinds.builtIn());
    }

    /** The JSON mapper for plans and state whose steps are of {@code kinds}. */
    public static ObjectMapper mapper(StepKinds kinds) {
        return JsonMapper.builder()
                .addModule(new Jdk8Module())
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .registerSubtypes(kinds.jsonSubtypes())
                .build();
    }

    public byte[] encode(RunState state) {
        try {
            return mapper.writeValueAsBytes(state);
        } catch (IOException e) {
            throw new CutoverException("cannot encode the state of run " + state.runId() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a saved state: one of this release's format is read as it is, one of an older format is migrated
     * ({@link StateFormat}), and one of a newer format is refused with what to do.
     */
    public RunState decode(byte[] json, String where) {
        try {
            return StateFormat.read(mapper, kinds, json, where);
        } catch (IOException e) {
            String at = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                    ? " (at line " + j.getLocation().getLineNr() + ", column "
                            + j.getLocation().getColumnNr() + ")"
                    : "";
            throw new CutoverException(
                    "the stored state at " + where + " cannot be read" + at
                            + "; it was written by another version of Cutover or edited by hand: restore it from a backup",
                    e);
        }
    }
}
