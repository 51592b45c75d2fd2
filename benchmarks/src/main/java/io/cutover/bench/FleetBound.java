package io.cutover.bench;

import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.simulator.Latencies;
import io.cutover.spi.ApiService;
import io.cutover.spi.RateLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lower bound on the time N cutovers of the benchmark plan, started at once in one account, take until the
 * last has switched, however an engine orders their calls; phase-aware, so tighter than "the plan's limit, or
 * all the calls at the account's rate".
 *
 * <p>The derivation. Pick a milestone {@code j} on the plan's critical path (say, lower-ttl's change sent) and a
 * service {@code s}. Each cutover makes at least {@code c(j,s)} calls of {@code s} before it reaches {@code j}
 * (the table below: the fewest Cutover's protocol makes, with the calls an engine shares among its cutovers —
 * the template's validation, the hosted zone's read, Route 53 changes batched and their status polled once —
 * counted as none). Let {@code T} be when the last cutover reaches {@code j}: by then all N have, so N·c calls
 * of {@code s} were made in {@code [0, T]}, and a token bucket of burst {@code b} and rate {@code r} lets through
 * at most {@code b + r·T} calls in that time: {@code T >= (N·c - b) / r}. From {@code j} on, that cutover still
 * needs {@code R(j)}, the fixed operation time from the milestone to its switch (the plan's limit less the
 * earliest time the milestone can be reached, by the latency model). So every engine's last switch comes at
 * least {@code max over j and s of (N·c(j,s) - b_s) / r_s + R(j)} after the start, and never before the plan's
 * own limit.
 *
 * <p>The milestones and their calls (benchmark plan: lower-ttl, freeze, snapshots, clone, verify, switch-dns):
 * <ul>
 *   <li>lower-ttl's change sent: Route 53 2 (the preflight's read of blue's record; lower-ttl's read of it,
 *       saved before the change), CloudFormation 2 (the preflight's reads of blue's stack and of green's name).
 *   <li>clone's CreateStack: CloudFormation 4 (and blue's parameters, read when green is created; the create);
 *       RDS 2 (the preflight's read of the database, the snapshot's create); EC2 1 change (the volume's
 *       snapshot).
 *   <li>clone's completion seen: CloudFormation 5 (at least one DescribeStacks).
 *   <li>switch-dns's change sent: Route 53 3 (its read of blue's record).
 * </ul>
 */
record FleetBound(Duration bound, String by, List<Map<String, Object>> terms) {

    private record Milestone(String name, StepId step, boolean atEnd, Map<ApiService, Integer> calls) {}

    static final List<Milestone> MILESTONES = List.of(
            new Milestone(
                    "lower-ttl's change",
                    StepId.of("lower-ttl"),
                    false,
                    Map.of(ApiService.ROUTE53, 2, ApiService.CLOUDFORMATION, 2)),
            new Milestone(
                    "clone's CreateStack",
                    StepId.of("clone"),
                    false,
                    Map.of(ApiService.CLOUDFORMATION, 4, ApiService.RDS, 2, ApiService.EC2_MUTATE, 1)),
            new Milestone("clone seen complete", StepId.of("clone"), true, Map.of(ApiService.CLOUDFORMATION, 5)),
            new Milestone("switch-dns's change", StepId.of("switch-dns"), false, Map.of(ApiService.ROUTE53, 3)));

    static FleetBound of(Plan plan, Latencies l, Duration recordTtl, Map<ApiService, RateLimit> limits, int n) {
        CriticalPath cp = CriticalPath.of(plan, Measure.SWITCH, l, recordTtl);
        Duration bound = cp.limit();
        String by = "the plan's limit";
        List<Map<String, Object>> terms = new ArrayList<>();
        for (Milestone m : MILESTONES) {
            // The earliest the milestone can be reached in one cutover: its step's earliest start (or end).
            Duration reach = CriticalPath.of(plan, m.step(), l, recordTtl).limit();
            if (!m.atEnd()) {
                reach = reach.minus(CriticalPath.cost(plan.stepOrThrow(m.step()), l, recordTtl));
            }
            Duration remainder = cp.limit().minus(reach);
            for (Map.Entry<ApiService, Integer> c : m.calls().entrySet()) {
                RateLimit r = limits.get(c.getKey());
                if (r == null) {
                    continue;
                }
                double secs = Math.max(0, (n * (double) c.getValue() - r.burst()) / r.perSecond());
                Duration t = Duration.ofMillis((long) (secs * 1000)).plus(remainder);
                Map<String, Object> term = new LinkedHashMap<>();
                term.put("milestone", m.name());
                term.put("service", c.getKey().id());
                term.put("callsPerCutover", c.getValue());
                term.put("remainderSeconds", remainder.toSeconds());
                term.put("boundSeconds", Measure.seconds(t));
                terms.add(term);
                if (t.compareTo(bound) > 0) {
                    bound = t;
                    by = c.getKey().id() + " before " + m.name() + " (" + c.getValue() + " calls each, then "
                            + Measure.mmss(remainder) + ")";
                }
            }
        }
        return new FleetBound(bound, by, List.copyOf(terms));
    }
}
