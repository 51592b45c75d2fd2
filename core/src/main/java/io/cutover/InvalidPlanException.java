package io.cutover;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * A plan that cannot run: thrown before anything in the cloud is changed. Each problem names the field at
 * fault (as a path such as {@code steps[snapshot-db].database.id}) and what would be valid.
 */
public final class InvalidPlanException extends CutoverException {
    private final ImmutableList<Problem> problems;

    /** One thing wrong with a plan. */
    public record Problem(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    public InvalidPlanException(List<Problem> problems) {
        super(render(problems));
        this.problems = ImmutableList.copyOf(problems);
    }

    public static InvalidPlanException of(String field, String message) {
        return new InvalidPlanException(List.of(new Problem(field, message)));
    }

    public ImmutableList<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        StringBuilder sb = new StringBuilder(
                "invalid plan (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "):");
        for (Problem p : problems) {
            sb.append("\n  - ").append(p);
        }
        return sb.toString();
    }
}
