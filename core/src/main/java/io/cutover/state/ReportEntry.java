package io.cutover.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.google.common.collect.ImmutableList;
import io.cutover.plan.StepId;
import io.cutover.step.CreatedResource;
import java.util.List;
import java.util.Objects;

/**
 * One thing a person should know when a cutover ends: a resource it keeps on purpose, or one it could not
 * remove. Built from what the step kinds say they created ({@link CreatedResource}); {@link #line()} is the
 * sentence people read.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ReportEntry.KeptFinalSnapshot.class, name = "kept-final-snapshot"),
    @JsonSubTypes.Type(value = ReportEntry.KeptSnapshot.class, name = "kept-snapshot"),
    @JsonSubTypes.Type(value = ReportEntry.KeptBackup.class, name = "kept-backup"),
    @JsonSubTypes.Type(value = ReportEntry.KeptInUse.class, name = "kept-in-use"),
    @JsonSubTypes.Type(value = ReportEntry.KeptForInspection.class, name = "kept-for-inspection"),
    @JsonSubTypes.Type(value = ReportEntry.LeftBehind.class, name = "left-behind"),
    @JsonSubTypes.Type(value = ReportEntry.Note.class, name = "note")
})
public sealed interface ReportEntry {
    /** The sentence for people. */
    @JsonIgnore
    String line();

    /** What the entry is about, empty for a note. */
    List<CreatedResource> resources();

    /** A final snapshot of blue taken by decommission (before it failed, if it did): blue's data survives in it. */
    record KeptFinalSnapshot(StepId step, CreatedResource snapshot, boolean stepFailed) implements ReportEntry {
        public KeptFinalSnapshot {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(snapshot, "snapshot");
        }

        @Override
        public String line() {
            return "KEPT final snapshot " + snapshot.id() + (stepFailed ? " (taken before " + step + " failed)" : "");
        }

        @Override
        public List<CreatedResource> resources() {
            return List.of(snapshot);
        }
    }

    /** A snapshot green was built from; it outlives the cutover and costs money until someone deletes it. */
    record KeptSnapshot(StepId step, CreatedResource snapshot) implements ReportEntry {
        public KeptSnapshot {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(snapshot, "snapshot");
        }

        @Override
        public String line() {
            return "KEPT snapshot " + snapshot.id() + " taken by " + step + "; delete it when green no longer needs it";
        }

        @Override
        public List<CreatedResource> resources() {
            return List.of(snapshot);
        }
    }

    /**
     * A snapshot of blue's data that a rollback kept: a rollback never deletes a backup of blue, least of all the
     * one taken just before the change that failed. {@code why} says why it is kept and what to do with it.
     */
    record KeptBackup(StepId step, CreatedResource snapshot, String why) implements ReportEntry {
        public KeptBackup {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(snapshot, "snapshot");
            Objects.requireNonNull(why, "why");
        }

        @Override
        public String line() {
            return "KEPT backup " + snapshot.id() + " taken by " + step + ": " + why;
        }

        @Override
        public List<CreatedResource> resources() {
            return List.of(snapshot);
        }
    }

    /**
     * A resource a step made for green that green now runs on outside green's stack (a data volume that replaced the
     * stack's own, a database restored, cloned or promoted beside it): deleting green's stack does not delete it, so
     * it is named for whoever retires green.
     */
    record KeptInUse(StepId step, CreatedResource resource) implements ReportEntry {
        public KeptInUse {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(resource, "resource");
        }

        @Override
        public String line() {
            return "KEPT " + resource + " made by " + step + ": green uses it, outside green's stack; delete it when"
                    + " green is retired";
        }

        @Override
        public List<CreatedResource> resources() {
            return List.of(resource);
        }
    }

    /** What green's step created, kept after users moved back to blue, so that a person can see what went wrong. */
    record KeptForInspection(StepId step, String description, List<CreatedResource> resources) implements ReportEntry {
        public KeptForInspection {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(description, "description");
            resources = ImmutableList.copyOf(resources);
        }

        @Override
        public String line() {
            return "KEPT for inspection: " + step + " (" + description + ") "
                    + (resources.isEmpty() ? "" : resources.toString()) + "; remove it when done";
        }
    }

    /** What a compensation could not remove: a person must delete it. */
    record LeftBehind(StepId step, String compensation, List<CreatedResource> resources, String reason)
            implements ReportEntry {
        public LeftBehind {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(compensation, "compensation");
            Objects.requireNonNull(reason, "reason");
            resources = ImmutableList.copyOf(resources);
        }

        @Override
        public String line() {
            return "LEFT BEHIND by " + step + " (" + compensation + " failed)"
                    + (resources.isEmpty() ? "" : " " + resources) + ": " + reason;
        }
    }

    /** Free text: a line of a state written before report entries were typed (state format 0). */
    record Note(String text) implements ReportEntry {
        public Note {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String line() {
            return text;
        }

        @Override
        public List<CreatedResource> resources() {
            return List.of();
        }
    }
}
