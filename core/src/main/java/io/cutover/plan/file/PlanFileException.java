package io.cutover.plan.file;

import com.google.common.collect.ImmutableList;
import io.cutover.CutoverException;
import java.util.List;

/** A plan file that cannot be used, with each problem's file, line, column and field. */
public final class PlanFileException extends CutoverException {
    private final ImmutableList<Located> problems;

    /** One problem, where it is. {@code line} and {@code column} are 1-based; 0 when unknown. */
    public record Located(String file, int line, int column, String field, String message) {
        @Override
        public String toString() {
            return file + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": "
                    + (field.isEmpty() ? "" : field + ": ") + message;
        }
    }

    public PlanFileException(List<Located> problems) {
        super(render(problems));
        this.problems = ImmutableList.copyOf(problems);
    }

    public ImmutableList<Located> problems() {
        return problems;
    }

    private static String render(List<Located> problems) {
        StringBuilder sb = new StringBuilder(
                "invalid plan file (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "):");
        problems.forEach(p -> sb.append("\n  ").append(p));
        return sb.toString();
    }
}
