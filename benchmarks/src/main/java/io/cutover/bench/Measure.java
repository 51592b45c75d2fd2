package io.cutover.bench;

import io.cutover.engine.CutoverRun;
import io.cutover.plan.StepId;
import io.cutover.state.RunState;
import io.cutover.state.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Small helpers the benchmarks share: API call accounting by rate-limit bucket, and reading a run. */
final class Measure {
    static final StepId SWITCH = StepId.of("switch-dns");

    private Measure() {}

    /** The rate-limit bucket an operation of the simulated cloud draws from; {@code http} is not AWS. */
    static String bucket(String operation) {
        if (operation.startsWith("HTTP")) {
            return "http";
        }
        if (operation.contains("DB")) {
            return "rds";
        }
        if (operation.contains("Stack") || operation.contains("ChangeSet") || operation.contains("Template")) {
            return "cloudformation";
        }
        if (operation.contains("HostedZone") || operation.contains("RecordSets") || operation.equals("GetChange")) {
            return "route53";
        }
        return operation.startsWith("Describe") ? "ec2.describe" : "ec2.mutate";
    }

    /** Calls by bucket, from the cloud's calls by operation (throttled calls included: AWS counts them too). */
    static Map<String, Integer> byBucket(Map<String, Integer> byOperation) {
        Map<String, Integer> out = new TreeMap<>();
        byOperation.forEach((op, n) -> out.merge(bucket(op), n, Integer::sum));
        return out;
    }

    static Map<String, Integer> minus(Map<String, Integer> after, Map<String, Integer> before) {
        Map<String, Integer> out = new TreeMap<>();
        after.forEach((k, v) -> {
            int d = v - before.getOrDefault(k, 0);
            if (d != 0) {
                out.put(k, d);
            }
        });
        return out;
    }

    static int total(Map<String, Integer> m) {
        return m.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Whether users are on green: the switch has succeeded. */
    static boolean switched(CutoverRun run) {
        StepStatus s = run.state().step(SWITCH).status();
        return s == StepStatus.SUCCEEDED;
    }

    static boolean doneOrSettled(CutoverRun run) {
        return switched(run) || run.settled().isDone();
    }

    static Instant switchedAt(RunState s) {
        return s.step(SWITCH).endedAt().orElseThrow();
    }

    static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    static String mmss(Duration d) {
        long s = d.toSeconds();
        return String.format("%d:%02d", s / 60, s % 60);
    }
}
