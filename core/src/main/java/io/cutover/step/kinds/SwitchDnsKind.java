package io.cutover.step.kinds;

import io.cutover.event.Durations;
import io.cutover.internal.*;
import io.cutover.plan.Environment;
import io.cutover.plan.Environment.DnsRecord;
import io.cutover.plan.Plan;
import io.cutover.plan.PlanValidator;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Validation;
import io.cutover.spi.DnsProvider;
import io.cutover.spi.DnsProvider.RecordSet;
import io.cutover.step.Arns;
import io.cutover.step.Compensation;
import io.cutover.step.Grant;
import io.cutover.step.Operations;
import io.cutover.step.Services;
import io.cutover.step.StepBehaviour;
import io.cutover.step.StepBehaviour.Phase;
import io.cutover.step.StepContext;
import io.cutover.step.StepKind;
import io.cutover.step.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Moves users to green by DNS: one upsert, or weighted records shifted in stages with checks between
 * them; each change followed until in sync. The record as it was is saved before the first change, and
 * the compensation writes it back (rollback after the switch).
 */
final class SwitchDnsKind implements StepKind<StepSpec.SwitchDns> {
    @Override
    public String name() {
        return "switch-dns";
    }

    @Override
    public Class<StepSpec.SwitchDns> type() {
        return StepSpec.SwitchDns.class;
    }

    @Override
    public void validate(StepSpec.SwitchDns s, Validation v) {
        Optional<Environment.DnsRecord> r = s.record().or(v.environment()::dns);
        if (r.isEmpty()) {
            v.problem("record", "is missing and the environment has no dns record");
        } else {
            v.record(r.get(), "record");
            if (!s.weights().isEmpty() && r.get().setIdentifier().isEmpty()) {
                v.problem(
                        "record.setIdentifier",
                        "a weighted switch needs blue's weighted record; give its set identifier");
            }
        }
        v.present(s.target(), "target", "e.g. ${green.outputs.Endpoint}");
        if (r.isPresent() && r.get().name() != null) {
            Validation.staticValue(s.target(), v.plan())
                    .filter(t -> hostName(t).equals(hostName(r.get().name())))
                    .ifPresent(t -> v.problem(
                            "target",
                            "'" + t + "' is the record's own name: " + r.get().name()
                                    + " pointed at itself answers nobody, and decommission would retire blue with"
                                    + " users reaching nothing; point it at green, e.g. ${green.outputs.Endpoint}"));
        }
        int previous = -1;
        for (int i = 0; i < s.weights().size(); i++) {
            int w = s.weights().get(i);
            if (w < 0 || w > 255) {
                v.problem("weights[" + i + "]", w + " is out of range; weights are 0 to 255");
            } else if (w <= previous) {
                v.problem(
                        "weights[" + i + "]",
                        w + " is not above the stage before (" + previous
                                + "); green's weight must grow at each stage");
            }
            previous = w;
        }
        if (!s.weights().isEmpty() && previous != 255) {
            v.problem("weights", "the last stage must give green all traffic (255)");
        }
        v.checks(s.stageChecks(), "stageChecks");
        v.bounded(s.stageInterval(), PlanValidator.MAX_INTERVAL, "stageInterval");
    }

    /** A DNS name as resolvers compare it: no case, no final dot. */
    private static String hostName(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    @Override
    public Optional<TrafficMove> trafficMove(StepSpec.SwitchDns s, io.cutover.plan.Plan plan) {
        return s.record()
                .or(plan.environment()::dns)
                .map(r -> new TrafficMove(
                        "record " + r.name() + " " + r.type()
                                + r.setIdentifier().map(x -> " (set " + x + ")").orElse("") + " in zone "
                                + r.zoneId(),
                        "target",
                        String.valueOf(s.target())));
    }

    @Override
    public Map<String, String> textFields(StepSpec.SwitchDns s) {
        Map<String, String> f = new LinkedHashMap<>(Kinds.fields("target", s.target()));
        f.putAll(Kinds.checkFields(s.stageChecks(), "stageChecks"));
        return f;
    }

    @Override
    public List<StepSpec.Check> checks(StepSpec.SwitchDns s) {
        return s.stageChecks();
    }

    @Override
    public Outputs outputs(StepSpec.SwitchDns s) {
        return Outputs.of("target");
    }

    @Override
    public Flags flags(StepSpec.SwitchDns s) {
        return new Flags(false, true, false, false, false, StepSpec.Downtime.ENDS);
    }

    @Override
    public Duration minimumDuration(StepSpec.SwitchDns s, Function<String, Duration> expected) {
        return expected.apply(Operations.DNS_SYNC);
    }

    @Override
    public List<Grant> grants(StepSpec.SwitchDns s, Plan plan, Arns arns) {
        return DnsCalls.grants(s.record().or(plan.environment()::dns), arns);
    }

    @Override
    public StepBehaviour behaviour(StepSpec.SwitchDns step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private final StepSpec.SwitchDns spec;

        Behaviour(StepSpec.SwitchDns spec) {
            this.spec = spec;
        }

        @Override
        public String describe() {
            String name = spec.record().map(DnsRecord::name).orElse("the environment's record");
            if (spec.weights().isEmpty()) {
                return "point " + name + " at " + spec.target() + " (one change, then wait until in sync)";
            }
            return "shift " + name + " to " + spec.target() + " by weights " + spec.weights() + " of 255, "
                    + Durations.format(spec.stageInterval()) + " apart"
                    + (spec.stageChecks().isEmpty() ? "" : ", checking " + Checks.describe(spec.stageChecks()));
        }

        @Override
        public List<String> permissions() {
            return List.of("route53:ListResourceRecordSets", "route53:ChangeResourceRecordSets", "route53:GetChange");
        }

        private String greenSetId() {
            return spec.greenSetIdentifier().orElse("green");
        }

        @Override
        public StepOutcome start(StepContext ctx) {
            DnsRecord r = DnsCalls.record(ctx, spec.record());
            DnsProvider dns = ctx.cloud().dns();
            Map<String, String> memo = new HashMap<>();
            Optional<RecordSet> orig = DnsCalls.load("orig.", ctx.memo());
            if (orig.isEmpty()) {
                // What the cutover's lower-ttl left, without reading it again: the change is conditional on it, so
                // Route 53 refuses it if someone changed the record since, and the switch then fails naming it.
                orig = leftByLowerTtl(ctx, r);
                if (orig.isPresent()) {
                    DnsCalls.save("orig.", orig.get(), memo);
                    memo.put(DnsCalls.ORIG_FROM, DnsCalls.FROM_STEP);
                }
            }
            if (orig.isEmpty()) {
                orig = DnsCalls.blue(dns, r);
                if (orig.isEmpty()) {
                    return Calls.failed("record " + r.name() + " " + r.type()
                            + r.setIdentifier().map(s -> " (set " + s + ")").orElse("") + " does not exist in zone "
                            + r.zoneId());
                }
                DnsCalls.save("orig.", orig.get(), memo);
            }
            // The change comes at the next call, once the record as it was is saved: a crash in between must not
            // make green's record look like blue's original.
            memo.put("stage", "0");
            return new StepOutcome.Pending(
                    Operations.DNS_SYNC, Optional.of(Duration.ZERO), "blue's record saved", memo);
        }

        /**
         * The record as the one lower-ttl step upstream of the switch, on the same record, left it; empty when there
         * is none, several, or another DNS step upstream changes the record too.
         */
        private Optional<RecordSet> leftByLowerTtl(StepContext ctx, DnsRecord r) {
            Map<io.cutover.plan.StepId, StepSpec> byId = ctx.plan().byId();
            List<StepSpec.LowerTtl> lowered = new ArrayList<>();
            for (io.cutover.plan.StepId id : Plan.upstreamOf(ctx.stepId(), byId)) {
                StepSpec s = byId.get(id);
                if (s instanceof StepSpec.LowerTtl l
                        && l.record().or(ctx.plan().environment()::dns).equals(Optional.of(r))) {
                    lowered.add(l);
                } else if (s instanceof StepSpec.SwitchDns || s instanceof StepSpec.RestoreTtl) {
                    return Optional.empty();
                }
            }
            return lowered.size() == 1
                    ? LowerTtlKind.left(
                            lowered.get(0), ctx.memoOf(lowered.get(0).id()))
                    : Optional.empty();
        }

        private String stageText(int stage) {
            return spec.weights().isEmpty()
                    ? "switch"
                    : "stage " + (stage + 1) + "/" + spec.weights().size() + " (green weight "
                            + spec.weights().get(stage) + ")";
        }

        /**
         * Applies a stage, conditional on the record being as the stage before left it (blue's as saved, for the
         * first): a process that woke from a pause after another switched and rolled back changes nothing.
         */
        private String apply(StepContext ctx, DnsProvider dns, DnsRecord r, RecordSet blue, int stage) {
            String target = ctx.resolve(spec.target());
            List<RecordSet> read = stage == 0 ? List.of(blue) : sets(blue, target, stage - 1);
            return DnsCalls.change(
                    dns,
                    r.zoneId(),
                    read,
                    sets(blue, target, stage),
                    "cutover " + ctx.plan().id() + ": " + stageText(stage));
        }

        /** The record sets as stage {@code stage} leaves them. */
        private List<RecordSet> sets(RecordSet blue, String target, int stage) {
            List<RecordSet> changes = new ArrayList<>();
            if (spec.weights().isEmpty()) {
                changes.add(DnsCalls.pointedAt(blue, target));
            } else {
                int w = spec.weights().get(stage);
                changes.add(blue.withWeight(255 - w));
                RecordSet green = new RecordSet(
                        blue.name(),
                        blue.type(),
                        blue.ttl(),
                        List.of(target),
                        Optional.of(greenSetId()),
                        Optional.of(w),
                        Optional.empty());
                changes.add(
                        blue.aliasTarget().isPresent()
                                ? DnsCalls.pointedAt(
                                        new RecordSet(
                                                blue.name(),
                                                blue.type(),
                                                blue.ttl(),
                                                List.of(),
                                                Optional.of(greenSetId()),
                                                Optional.of(w),
                                                blue.aliasTarget()),
                                        target)
                                : green);
            }
            return changes;
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            DnsProvider dns = ctx.cloud().dns();
            int stage = Integer.parseInt(ctx.memo("stage").orElse("0"));
            if (ctx.memo("changeId").isEmpty()) {
                String change = apply(
                        ctx,
                        dns,
                        DnsCalls.record(ctx, spec.record()),
                        DnsCalls.load("orig.", ctx.memo()).orElseThrow(),
                        stage);
                return StepOutcome.Pending.of(
                        Operations.DNS_SYNC, stageText(stage) + " pending", Map.of("changeId", change));
            }
            Optional<String> syncedAt = ctx.memo("syncedAt").filter(s -> !s.isEmpty());
            if (syncedAt.isEmpty()) {
                Optional<DnsProvider.ChangeStatus> status =
                        DnsCalls.status(dns, ctx.memo("changeId").orElseThrow());
                if (status.isEmpty()) { // queued by a process that stopped: made again, conditional as before
                    String change = apply(
                            ctx,
                            dns,
                            DnsCalls.record(ctx, spec.record()),
                            DnsCalls.load("orig.", ctx.memo()).orElseThrow(),
                            stage);
                    return StepOutcome.Pending.of(
                            Operations.DNS_SYNC, stageText(stage) + " pending", Map.of("changeId", change));
                }
                if (status.get() != DnsProvider.ChangeStatus.INSYNC) {
                    return StepOutcome.Pending.of(Operations.DNS_SYNC, stageText(stage) + " pending");
                }
                if (spec.weights().isEmpty() || stage == spec.weights().size() - 1) {
                    return StepOutcome.Done.of(Map.of("target", ctx.resolve(spec.target())));
                }
                syncedAt = Optional.of(ctx.now().toString());
            }
            Instant next = Instant.parse(syncedAt.get()).plus(spec.stageInterval());
            if (ctx.now().isBefore(next)) {
                return new StepOutcome.Pending(
                        Operations.WAIT,
                        Optional.of(Duration.between(ctx.now(), next)),
                        stageText(stage) + " in sync; next stage in "
                                + Durations.format(Duration.between(ctx.now(), next)),
                        Map.of("syncedAt", syncedAt.get()));
            }
            List<String> failures = Checks.run(ctx, spec.stageChecks());
            if (!failures.isEmpty()) {
                return Calls.failed("checks failed at " + stageText(stage) + ": " + String.join("; ", failures));
            }
            DnsRecord r = DnsCalls.record(ctx, spec.record());
            RecordSet blue = DnsCalls.load("orig.", ctx.memo()).orElseThrow();
            String change = apply(ctx, dns, r, blue, stage + 1);
            Map<String, String> memo = new HashMap<>();
            memo.put("stage", String.valueOf(stage + 1));
            memo.put("changeId", change);
            memo.put("syncedAt", "");
            return StepOutcome.Pending.of(Operations.DNS_SYNC, stageText(stage + 1) + " pending", memo);
        }

        @Override
        public Compensation compensation() {
            return Compensation.RESTORES_BLUE;
        }

        @Override
        public String describeCompensation() {
            return "point the record back at blue";
        }

        @Override
        public StepOutcome compensate(StepContext ctx) {
            Optional<RecordSet> orig = DnsCalls.load("orig.", ctx.memo());
            if (orig.isEmpty()) {
                return StepOutcome.Done.of();
            }
            DnsProvider dns = ctx.cloud().dns();
            Optional<String> change = ctx.memo("undo.changeId");
            // A change queued for a batch by a process that stopped is unknown: it is made again.
            Optional<DnsProvider.ChangeStatus> status =
                    change.isEmpty() ? Optional.empty() : DnsCalls.status(dns, change.get());
            if (status.isEmpty()) {
                DnsRecord r = DnsCalls.record(ctx, spec.record());
                if (spec.weights().isEmpty()) {
                    // Only the switch's own change is undone: a record as it was, or as someone else set it since
                    // (the switch's change refused, or made and then changed by a person), is left as it is.
                    Optional<RecordSet> now = DnsCalls.blue(dns, r);
                    // (its TTL aside: restore-ttl may have given the original back since)
                    boolean ours = now.isPresent()
                            && hostName(now.get().target())
                                    .equals(hostName(DnsCalls.pointedAt(orig.get(), ctx.resolve(spec.target()))
                                            .target()));
                    if (!ours) {
                        return StepOutcome.Done.of();
                    }
                }
                List<RecordSet> changes = new ArrayList<>();
                changes.add(orig.get());
                if (!spec.weights().isEmpty()) {
                    dns.records(r.zoneId(), r.name(), r.type()).stream()
                            .filter(s -> s.setIdentifier().equals(Optional.of(greenSetId())))
                            .findFirst()
                            .ifPresent(g -> changes.add(g.withWeight(0)));
                }
                String id =
                        dns.upsert(r.zoneId(), changes, "cutover " + ctx.plan().id() + ": back to blue");
                return StepOutcome.Pending.of(
                        Operations.DNS_SYNC, "moving users back to blue", Map.of("undo.changeId", id));
            }
            return status.get() == DnsProvider.ChangeStatus.INSYNC
                    ? StepOutcome.Done.of()
                    : StepOutcome.Pending.of(Operations.DNS_SYNC, "moving users back to blue");
        }

        @Override
        public Map<String, Integer> calls(Phase phase, Map<String, String> memo) {
            if (phase == Phase.POLL) {
                return Map.of(Services.ROUTE53, 1);
            }
            return Map.of(Services.ROUTE53, phase == Phase.START || memo.containsKey("undo.changeId") ? 1 : 2);
        }
    }

    /**
     * The record as the one switch upstream of {@code ctx}'s step, on record {@code r}, left it once it succeeded:
     * what the next change of the record (restore-ttl) can expect without reading it. Empty for a weighted switch,
     * for none or several, or before the switch has succeeded.
     */
    static Optional<RecordSet> left(StepContext ctx, DnsRecord r) {
        Map<io.cutover.plan.StepId, StepSpec> byId = ctx.plan().byId();
        List<StepSpec.SwitchDns> switches = new ArrayList<>();
        for (io.cutover.plan.StepId id : Plan.upstreamOf(ctx.stepId(), byId)) {
            if (byId.get(id) instanceof StepSpec.SwitchDns s
                    && s.record().or(ctx.plan().environment()::dns).equals(Optional.of(r))) {
                switches.add(s);
            }
        }
        if (switches.size() != 1 || !switches.get(0).weights().isEmpty()) {
            return Optional.empty();
        }
        StepSpec.SwitchDns s = switches.get(0);
        String target;
        try {
            target = ctx.resolve("${" + s.id() + ".target}"); // its output, once it succeeded
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
        return DnsCalls.load("orig.", ctx.memoOf(s.id())).map(orig -> DnsCalls.pointedAt(orig, target));
    }
}
