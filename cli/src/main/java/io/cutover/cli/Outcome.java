package io.cutover.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cutover.engine.RunSummary;
import io.cutover.state.RunState;
import io.cutover.state.StateCodec;
import java.io.PrintWriter;
import java.time.Duration;

/** The end of a command that drove a cutover: the summary, and the exit status it means. */
final class Outcome {
    private Outcome() {}

    static int report(RunState s, Options.Output output, PrintWriter out) {
        if (output == Options.Output.json) {
            var mapper = StateCodec.mapper()
                    .copy()
                    .disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
            ObjectNode node = mapper.createObjectNode();
            node.put("type", "Summary");
            node.put("runId", s.runId());
            node.put("environment", s.plan().environment().name());
            node.put("status", s.status().name());
            node.put("startedAt", s.createdAt().toString());
            node.put("updatedAt", s.updatedAt().toString());
            node.put(
                    "durationSeconds",
                    Duration.between(s.createdAt(), s.updatedAt()).toSeconds());
            s.downtimeStartedAt()
                    .ifPresent(d -> node.put(
                            "downtimeSeconds",
                            s.downtime(s.updatedAt()).orElseThrow().toSeconds()));
            s.failure().ifPresent(f -> node.put("failure", f));
            var steps = node.putObject("steps");
            s.steps().forEach((k, v) -> steps.put(k, v.status().name()));
            var report = node.putArray("report");
            s.reportLines().forEach(report::add);
            out.println(node);
        } else {
            out.println();
            out.print(RunSummary.render(s));
            if (s.status() == io.cutover.state.RunStatus.WAITING) {
                s.steps().forEach((k, v) -> {
                    if (v.status() == io.cutover.state.StepStatus.WAITING) {
                        out.println("  waiting at gate '" + k + "': " + v.progress() + " -- run: cutover approve "
                                + s.runId() + " " + k);
                    }
                });
            }
        }
        out.flush();
        return switch (s.status()) {
            case COMPLETED -> ExitCodes.OK;
            case WAITING -> ExitCodes.WAITING;
            default -> ExitCodes.FAILED;
        };
    }
}
