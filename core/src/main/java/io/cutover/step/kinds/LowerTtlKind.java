package io.cutover.step.kinds;

import io.cutover.internal.*;
import io.cutover.plan.Environment;
import io.cutover.plan.Environment.DnsRecord;
import io.cutover.plan.Plan;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Lowers the record's TTL ahead of the swap and waits out the old TTL, so resolvers hold the short one
 * when traffic moves. Its compensation sets the old TTL back.
 */
final class LowerTtlKind implements StepKind<StepSpec.LowerTtl> {
    @Override
    public String name() {
        return "lower-ttl";
    }

    @Override
    public Class<StepSpec.LowerTtl> type() {
        return StepSpec.LowerTtl.class;
    }

    @Override
    public void validate(StepSpec.LowerTtl t, Validation v) {
        Optional<Environment.DnsRecord> r = t.record().or(v.environment()::dns);
        if (r.isEmpty()) {
            v.problem("record", "is missing and the environment has no dns record");
        } else {
            v.record(r.get(), "record");
        }
        if (t.ttl() < 0 || t.ttl() > 2_147_483_647L) {
            v.problem(
                    "ttl",
                    t.ttl() + " is out of range; a TTL is 0 to 2147483647 seconds (60 is usual ahead of a cutover)");
        }
        // The short TTL is for the switch and a quick way back; after a cutover that completes, the record must not
        // keep it (resolvers would query it 60 times as often, for good).
        boolean switches = v.plan().steps().stream().anyMatch(s -> s instanceof StepSpec.SwitchDns);
        boolean restored = v.plan().steps().stream()
                .anyMatch(s -> s instanceof StepSpec.RestoreTtl back && t.id().equals(back.lowered()));
        if (switches && !restored) {
            v.problem(
                    "ttl",
                    "lowers the record's TTL for the switch, but no restore-ttl step gives the original back, so the "
                            + "record would keep " + t.ttl() + " s after the cutover; add {kind: restore-ttl, id: "
                            + "restore-ttl, lowered: " + t.id() + ", dependsOn: [<your bake>]} (the parallel-upgrade "
                            + "strategy adds it with lowerTtlTo)");
        }
    }

    /**
     * The record's TTL now, which the plan alone may not know: a "lower" TTL above it would raise it, and users
     * would stay on blue (or, after a rollback, on green) for longer than they did before the cutover.
     */
    @Override
    public void preflight(StepSpec.LowerTtl t, io.cutover.step.PreflightReads reads) {
        Optional<DnsRecord> r = t.record().or(reads.environment()::dns);
        if (r.isEmpty()) {
            return;
        }
        reads.read(
                "record",
                "record " + r.get().name() + " " + r.get().type(),
                () -> DnsCalls.blue(reads.cloud().dns(), r.get())
                        .map(now -> {
                            // the step's first call takes it as the record its conditional change expects
                            Map<String, String> seen = new HashMap<>();
                            DnsCalls.save("seen.", now, seen);
                            reads.remember(seen);
                            return now;
                        })
                        .filter(now -> now.aliasTarget().isEmpty() && now.ttl() < t.ttl())
                        .ifPresent(now -> reads.problem(
                                "ttl",
                                t.ttl() + " s would raise the TTL of " + r.get().name() + " from its " + now.ttl()
                                        + " s today, so resolvers would hold the switch (and a rollback) longer than they"
                                        + " hold the record now; give a ttl of at most " + now.ttl()
                                        + " s (60 is usual), or remove the step")));
    }

    @Override
    public Map<String, Integer> preflightCalls(StepSpec.LowerTtl t) {
        return Map.of(Services.ROUTE53, 1);
    }

    @Override
    public Outputs outputs(StepSpec.LowerTtl t) {
        return Outputs.of("oldTtl");
    }

    /** Nothing to wait for when the TTL is short already; else the change's sync and the old TTL. */
    @Override
    public Duration minimumDuration(StepSpec.LowerTtl t, Function<String, Duration> expected) {
        Duration old = expected.apply(Operations.TTL_WAIT);
        return old.getSeconds() <= t.ttl()
                ? Duration.ZERO
                : expected.apply(Operations.DNS_SYNC).plus(old);
    }

    @Override
    public List<Grant> grants(StepSpec.LowerTtl s, Plan plan, Arns arns) {
        return DnsCalls.grants(s.record().or(plan.environment()::dns), arns);
    }

    @Override
    public StepBehaviour behaviour(StepSpec.LowerTtl step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private final StepSpec.LowerTtl spec;

        Behaviour(StepSpec.LowerTtl spec) {
            this.spec = spec;
        }

        @Override
        public String describe() {
            return "lower the TTL of " + spec.record().map(DnsRecord::name).orElse("the environment's record") + " to "
                    + spec.ttl() + "s and wait out the old TTL";
        }

        @Override
        public List<String> permissions() {
            return List.of("route53:ListResourceRecordSets", "route53:ChangeResourceRecordSets", "route53:GetChange");
        }

        /**
         * Records the record as it is, and only that: the change comes at the next call, once the original is
         * saved, so that a crash in between cannot make the lowered TTL look like the original. The record as the
         * preflight read it is taken without reading it again: the change is conditional on it (Route 53 deletes
         * exactly that record set and creates the lowered one, or refuses), so a record changed since is found by
         * Route 53, and then read ({@link #refused}).
         */
        @Override
        public StepOutcome start(StepContext ctx) {
            DnsRecord r = DnsCalls.record(ctx, spec.record());
            Map<String, String> memo = new HashMap<>();
            Optional<RecordSet> current = DnsCalls.load("orig.", ctx.memo());
            if (current.isEmpty()) {
                current = DnsCalls.load("seen.", ctx.memo());
                current.ifPresent(x -> memo.put(DnsCalls.ORIG_FROM, DnsCalls.FROM_PREFLIGHT));
            }
            if (current.isEmpty()) {
                current = DnsCalls.blue(ctx.cloud().dns(), r);
            }
            if (current.isEmpty()) {
                return Calls.failed("record " + r.name() + " " + r.type() + " does not exist in zone " + r.zoneId());
            }
            DnsCalls.save("orig.", current.get(), memo);
            if (unchanged(current.get())) {
                return StepOutcome.Done.of(
                        Map.of("oldTtl", String.valueOf(current.get().ttl())));
            }
            return new StepOutcome.Pending(
                    Operations.DNS_SYNC,
                    Optional.of(Duration.ZERO),
                    "TTL " + current.get().ttl() + "s recorded",
                    memo);
        }

        /** Whether the record is left as it is: an alias (no TTL of its own), or a TTL short already. */
        private boolean unchanged(RecordSet current) {
            return current.aliasTarget().isPresent() || current.ttl() <= spec.ttl();
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            try {
                return follow(ctx);
            } catch (io.cutover.spi.ProviderException e) {
                return refused(ctx, e);
            }
        }

        private StepOutcome follow(StepContext ctx) {
            long oldTtl = Long.parseLong(ctx.memo("orig.ttl").orElse("0"));
            Optional<String> changeId = ctx.memo("changeId").filter(c -> !c.isEmpty());
            // A change queued by a process that stopped before sending it is unknown: it is made again.
            Optional<DnsProvider.ChangeStatus> status =
                    changeId.isPresent() && ctx.memo("syncedAt").isEmpty()
                            ? DnsCalls.status(ctx.cloud().dns(), changeId.get())
                            : Optional.of(DnsProvider.ChangeStatus.INSYNC);
            if (changeId.isEmpty() || status.isEmpty()) {
                DnsRecord r = DnsCalls.record(ctx, spec.record());
                RecordSet orig = DnsCalls.load("orig.", ctx.memo()).orElseThrow();
                if (unchanged(orig)) { // read again after a refusal, and short already
                    return StepOutcome.Done.of(Map.of("oldTtl", String.valueOf(orig.ttl())));
                }
                String change = DnsCalls.change(
                        ctx.cloud().dns(),
                        r.zoneId(),
                        List.of(orig),
                        List.of(orig.withTtl(spec.ttl())),
                        "cutover " + ctx.plan().id() + ": lower TTL");
                return StepOutcome.Pending.of(
                        Operations.DNS_SYNC, "TTL change " + change + " pending", Map.of("changeId", change));
            }
            Optional<String> syncedAt = ctx.memo("syncedAt");
            if (syncedAt.isEmpty()) {
                if (status.get() != DnsProvider.ChangeStatus.INSYNC) {
                    return StepOutcome.Pending.of(Operations.DNS_SYNC, "TTL change pending");
                }
                syncedAt = Optional.of(ctx.now().toString());
            }
            Instant expires = Instant.parse(syncedAt.get()).plusSeconds(oldTtl);
            if (!ctx.now().isBefore(expires)) {
                return StepOutcome.Done.of(Map.of("oldTtl", String.valueOf(oldTtl)));
            }
            return new StepOutcome.Pending(
                    Operations.WAIT,
                    Optional.of(Duration.between(ctx.now(), expires)),
                    "waiting out the old TTL of " + oldTtl + "s",
                    Map.of("syncedAt", syncedAt.get()));
        }

        /**
         * The change was refused: the record is neither as expected nor already lowered. When what it expected was
         * the preflight's read and no call of the step can have acted yet, nothing of the cutover's has changed the
         * record: it is read now and recorded as the original, and the change made from it (as a step that read
         * the record itself at its start would). Otherwise someone changed the record after the step saw it, and
         * the step fails rather than overwrite that.
         */
        private StepOutcome refused(StepContext ctx, io.cutover.spi.ProviderException e) {
            if (e.kind() != io.cutover.spi.FailureKind.CONFLICT
                    || !ctx.memo(DnsCalls.ORIG_FROM).equals(Optional.of(DnsCalls.FROM_PREFLIGHT))
                    || ctx.earlierCallMayHaveActed()) {
                throw e;
            }
            DnsRecord r = DnsCalls.record(ctx, spec.record());
            Optional<RecordSet> now = DnsCalls.blue(ctx.cloud().dns(), r);
            if (now.isEmpty()) {
                return Calls.failed("record " + r.name() + " " + r.type() + " does not exist in zone " + r.zoneId()
                        + " any more (it did when the cutover started)");
            }
            Map<String, String> memo = new HashMap<>();
            DnsCalls.save("orig.", now.get(), memo);
            memo.put(DnsCalls.ORIG_FROM, "");
            memo.put("changeId", "");
            return new StepOutcome.Pending(
                    Operations.DNS_SYNC,
                    Optional.of(Duration.ZERO),
                    "the record changed since the preflight read it; TTL "
                            + now.get().ttl() + "s recorded",
                    memo);
        }

        @Override
        public Compensation compensation() {
            return Compensation.RESTORES_BLUE;
        }

        @Override
        public String describeCompensation() {
            return "set the record's TTL back";
        }

        @Override
        public StepOutcome compensate(StepContext ctx) {
            Optional<RecordSet> orig = DnsCalls.load("orig.", ctx.memo());
            if (orig.isEmpty() || orig.get().aliasTarget().isPresent()) {
                return StepOutcome.Done.of();
            }
            DnsRecord r = DnsCalls.record(ctx, spec.record());
            DnsProvider dns = ctx.cloud().dns();
            Optional<String> change = ctx.memo("undo.changeId");
            // A change queued for a batch by a process that stopped is unknown: it is made again.
            Optional<DnsProvider.ChangeStatus> status =
                    change.isEmpty() ? Optional.empty() : DnsCalls.status(dns, change.get());
            if (status.isEmpty()) {
                Optional<RecordSet> now = DnsCalls.blue(dns, r);
                if (now.isEmpty() || now.get().ttl() == orig.get().ttl()) {
                    return StepOutcome.Done.of();
                }
                String id = dns.upsert(
                        r.zoneId(),
                        List.of(now.get().withTtl(orig.get().ttl())),
                        "cutover " + ctx.plan().id() + ": restore TTL");
                return StepOutcome.Pending.of(Operations.DNS_SYNC, "restoring TTL", Map.of("undo.changeId", id));
            }
            return status.get() == DnsProvider.ChangeStatus.INSYNC
                    ? StepOutcome.Done.of()
                    : StepOutcome.Pending.of(Operations.DNS_SYNC, "restoring TTL");
        }

        @Override
        public Map<String, Integer> calls(Phase phase, Map<String, String> memo) {
            if (phase == Phase.POLL) {
                return memo.getOrDefault("syncedAt", "").isEmpty() ? Map.of(Services.ROUTE53, 1) : Map.of();
            }
            if (phase == Phase.START) {
                return memo.containsKey("orig.name") || memo.containsKey("seen.name")
                        ? Map.of()
                        : Map.of(Services.ROUTE53, 1);
            }
            return Map.of(Services.ROUTE53, memo.containsKey("undo.changeId") ? 1 : 2);
        }
    }

    /**
     * The record as a lower-ttl step left it, from its memo: what the next change of the record (the switch) can
     * expect without reading it. Empty when the step has not recorded the record, or has not seen its own change
     * in sync.
     */
    static Optional<RecordSet> left(StepSpec.LowerTtl spec, Map<String, String> memo) {
        Optional<RecordSet> orig = DnsCalls.load("orig.", memo);
        if (orig.isEmpty()) {
            return Optional.empty();
        }
        if (orig.get().aliasTarget().isPresent() || orig.get().ttl() <= spec.ttl()) {
            return orig;
        }
        return memo.getOrDefault("syncedAt", "").isEmpty()
                ? Optional.empty()
                : Optional.of(orig.get().withTtl(spec.ttl()));
    }
}
