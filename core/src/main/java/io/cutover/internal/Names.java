package io.cutover.internal;

import io.cutover.plan.DatabaseSync;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The names a plan's text fields will have at run time, as far as the plan alone determines them. */
public final class Names {
    private static final Pattern OUTPUT = Pattern.compile("\\$\\{([a-z0-9-]+)\\.(snapshotId|databaseId)}");

    private Names() {}

    /** A literal name as it is; one that holds a reference becomes {@code *} (known only at run time). */
    public static String literal(String text) {
        return text == null || text.contains("${") ? "*" : text;
    }

    /**
     * A name, following a reference to a snapshot or restore step of the plan to the name that step derives
     * ({@code <plan id>-<step id>}); any other reference becomes {@code *}.
     */
    public static String of(Plan plan, String text) {
        Matcher m = OUTPUT.matcher(text == null ? "" : text);
        if (m.matches()) {
            return plan.steps().stream()
                    .filter(s -> s.id().value().equals(m.group(1)))
                    .findFirst()
                    .map(s -> s instanceof StepSpec.SnapshotDatabase
                                    || s instanceof StepSpec.RestoreDatabase r
                                            && r.newId().isEmpty()
                                    || s instanceof DatabaseSync.CloneDatabase c
                                            && c.newId().isEmpty()
                            ? (plan.id() + "-" + s.id().value())
                            : "*")
                    .orElse("*");
        }
        return literal(text);
    }
}
