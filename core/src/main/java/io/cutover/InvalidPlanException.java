package io.cutover;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;

/**
 * A plan that cannot run: thrown before anything in the cloud is changed. Each problem names the field at
 * fault (as a path such as {@code steps[snapshot-db].database.id}) and what would be valid.
 */
public final class InvalidPlanException extends CutoverException {
    private final ImmutableList<Problem> problems;

    /**
     * One thing wrong with a plan. {@code failure} is set when a read of the cloud failed rather than found
     * something wrong: the plan may well be fine, and a retryable failure (throttled, transient) can be
     * checked again later.
     */
    public record Problem(String field, String message, Optional<FailureType> failure) {
        public Problem {
            failure = failure == null ? Optional.empty() : failure;
        }

        /** A problem with the plan itself. */
        public Problem(String field, String message) {
            this(field, message, Optional.empty());
        }

        /** Whether a check of the cloud could not be made for a reason that trying again later may remove. */
        public boolean retryable() {
            return failure.map(FailureType::retryable).orElse(false);
        }

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

    /**
     * True when every problem is a check of the cloud that could not be made for a retryable reason (throttled,
     * transient): the same plan may pass later, so a caller that starts many cutovers tries it again.
     */
    public boolean retryable() {
        return !problems.isEmpty() && problems.stream().allMatch(Problem::retryable);
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
