package io.cutover.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/** The id of a step within a plan, e.g. {@code snapshot-db}. Names and tokens in the cloud derive from it. */
public record StepId(String value) implements Comparable<StepId> {
    public StepId {
        Objects.requireNonNull(value, "step id");
    }

    @JsonCreator
    public static StepId of(String value) {
        return new StepId(value);
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public int compareTo(StepId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
