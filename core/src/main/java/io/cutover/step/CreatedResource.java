package io.cutover.step;

import com.google.common.base.Preconditions;

/**
 * Something a step created in the cloud, by type and id: what the engine owns, removes on compensation and
 * names in the run's report when it is kept or left behind.
 */
public record CreatedResource(Type type, String id) {
    public CreatedResource {
        Preconditions.checkNotNull(type, "type");
        Preconditions.checkArgument(id != null && !id.isBlank(), "a created resource needs an id");
    }

    /** The kinds of thing a cutover creates. */
    public enum Type {
        STACK,
        DATABASE,
        DATABASE_SNAPSHOT,
        VOLUME_SNAPSHOT,
        VOLUME,
        OTHER
    }

    @Override
    public String toString() {
        return type.name().toLowerCase().replace('_', ' ') + " " + id;
    }
}
