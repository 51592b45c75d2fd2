package io.cutover.fleet;

import com.google.common.collect.ImmutableList;
import io.cutover.plan.file.PlanFileException.Located;
import java.util.List;

/** A fleet file that cannot be used, with each problem's file, line and field; nothing was started. */
public final class FleetFileException extends FleetException {
    private final ImmutableList<Located> problems;

    public FleetFileException(List<Located> problems) {
        super(render(problems));
        this.problems = ImmutableList.copyOf(problems);
    }

    public ImmutableList<Located> problems() {
        return problems;
    }

    private static String render(List<Located> problems) {
        StringBuilder sb = new StringBuilder("invalid fleet file (" + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s") + "), nothing was started:");
        problems.forEach(p -> sb.append("\n  ").append(p));
        return sb.toString();
    }
}
