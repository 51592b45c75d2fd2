package io.cutover.engine;

import io.cutover.event.Durations;
import io.cutover.state.RunState;
import io.cutover.state.StepState;
import io.cutover.state.StepStatus;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** The end-of-cutover summary people read: steps, duration, downtime window, what was kept. */
public final class RunSummary {
    private RunSummary() {}

    public static String render(RunState s) {
        StringBuilder sb = new StringBuilder();
        Map<StepStatus, Integer> counts = new TreeMap<>();
        for (StepState st : s.steps().values()) {
            counts.merge(st.status(), 1, Integer::sum);
        }
        sb.append("Cutover ")
                .append(s.runId())
                .append(" of ")
                .append(s.plan().environment().name())
                .append(": ")
                .append(s.status())
                .append('\n');
        sb.append("  steps:     ")
                .append(s.steps().size())
                .append(' ')
                .append(counts)
                .append('\n');
        sb.append("  duration:  ")
                .append(Durations.format(Duration.between(s.createdAt(), s.updatedAt())))
                .append(" (")
                .append(s.createdAt())
                .append(" to ")
                .append(s.updatedAt())
                .append(")\n");
        sb.append("  downtime:  ")
                .append(s.downtimeStartedAt()
                        .map(start -> Durations.format(s.downtime(s.updatedAt()).orElse(Duration.ZERO)) + " (" + start
                                + " to "
                                + s.downtimeEndedAt().map(Object::toString).orElse("still open") + ")")
                        .orElse("none"))
                .append('\n');
        s.failure().ifPresent(f -> sb.append("  cause:     ").append(f).append('\n'));
        for (String line : s.reportLines()) {
            sb.append("  ").append(line).append('\n');
        }
        return sb.toString();
    }
}
