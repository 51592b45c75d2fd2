package io.cutover.step.kinds;

import io.cutover.internal.*;
import io.cutover.plan.Environment.DnsRecord;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Validation;
import io.cutover.spi.DnsProvider;
import io.cutover.spi.DnsProvider.RecordSet;
import io.cutover.step.Compensation;
import io.cutover.step.Operations;
import io.cutover.step.Services;
import io.cutover.step.StepBehaviour;
import io.cutover.step.StepBehaviour.Phase;
import io.cutover.step.StepContext;
import io.cutover.step.StepKind;
import io.cutover.step.StepOutcome;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Gives the record the TTL it had before the cutover, once users are settled on green (after the bake, in the
 * parallel upgrade): the lower-ttl step's TTL was for the switch and a quick way back, not for good. Every
 * record set of the record's name and type (blue's and green's, when weighted) gets the TTL the lower-ttl step
 * found, and the change is followed until in sync. Nothing to undo: a rollback's lower-ttl compensation sets
 * the same TTL.
 */
final class RestoreTtlKind implements StepKind<StepSpec.RestoreTtl> {
    @Override
    public String name() {
        return "restore-ttl";
    }

    @Override
    public Class<StepSpec.RestoreTtl> type() {
        return StepSpec.RestoreTtl.class;
    }

    @Override
    public void validate(StepSpec.RestoreTtl r, Validation v) {
        if (r.lowered() == null) {
            v.problem("lowered", "is missing; name the lower-ttl step whose TTL this step restores");
            return;
        }
        Map<StepId, StepSpec> byId = new LinkedHashMap<>();
        v.plan().steps().forEach(s -> byId.put(s.id(), s));
        StepSpec lowered = byId.get(r.lowered());
        if (!(lowered instanceof StepSpec.LowerTtl)) {
            v.problem("lowered", "'" + r.lowered() + "' is not a lower-ttl step of this plan; name the one to undo");
        } else if (!Plan.dependsOn(r.id(), r.lowered(), byId)) {
            v.problem(
                    "dependsOn",
                    "the TTL is known only after '" + r.lowered() + "'; depend on it (or on a step after it)");
        }
    }

    @Override
    public Outputs outputs(StepSpec.RestoreTtl r) {
        return Outputs.of("ttl");
    }

    @Override
    public Duration minimumDuration(StepSpec.RestoreTtl r, Function<String, Duration> expected) {
        return expected.apply(Operations.DNS_SYNC);
    }

    /** The same record as the lower-ttl step it undoes. */
    @Override
    public List<io.cutover.step.Grant> grants(StepSpec.RestoreTtl r, Plan plan, io.cutover.step.Arns arns) {
        Optional<DnsRecord> record = plan.steps().stream()
                .filter(s -> s.id().equals(r.lowered()) && s instanceof StepSpec.LowerTtl)
                .map(s -> ((StepSpec.LowerTtl) s).record())
                .findFirst()
                .orElse(Optional.empty());
        return DnsCalls.grants(record.or(plan.environment()::dns), arns);
    }

    @Override
    public StepBehaviour behaviour(StepSpec.RestoreTtl step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private final StepSpec.RestoreTtl spec;

        Behaviour(StepSpec.RestoreTtl spec) {
            this.spec = spec;
        }

        @Override
        public String describe() {
            return "set the TTL that '" + spec.lowered() + "' lowered back to what it was";
        }

        @Override
        public List<String> permissions() {
            return List.of("route53:ListResourceRecordSets", "route53:ChangeResourceRecordSets", "route53:GetChange");
        }

        private StepSpec.LowerTtl lowered(StepContext ctx) {
            return ctx.plan().steps().stream()
                    .filter(s -> s.id().equals(spec.lowered()) && s instanceof StepSpec.LowerTtl)
                    .map(s -> (StepSpec.LowerTtl) s)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("'" + spec.lowered() + "' is not a lower-ttl step"));
        }

        /**
         * Only the record sets at the lowered TTL go back (blue's, and green's weighted set made from it): a set of
         * the same name the cutover did not lower keeps its own TTL.
         */
        @Override
        public StepOutcome start(StepContext ctx) {
            long ttl = Long.parseLong(ctx.resolve("${" + spec.lowered() + ".oldTtl}"));
            StepSpec.LowerTtl lowered = lowered(ctx);
            if (ttl <= lowered.ttl()) {
                return StepOutcome.Done.of(Map.of("ttl", String.valueOf(ttl)));
            }
            DnsRecord r = DnsCalls.record(ctx, lowered.record());
            DnsProvider dns = ctx.cloud().dns();
            Optional<RecordSet> left = SwitchDnsKind.left(ctx, r).filter(x -> x.ttl() == lowered.ttl());
            if (left.isPresent()) {
                // The record as the switch left it, without reading it: Route 53 applies the change only if the
                // record is still exactly that, else refuses it and the record is read (below).
                try {
                    String change = dns.replace(
                            r.zoneId(),
                            List.of(left.get()),
                            List.of(left.get().withTtl(ttl)),
                            "cutover " + ctx.plan().id() + ": restore TTL");
                    return pending(r, change, ttl);
                } catch (io.cutover.spi.ProviderException e) {
                    if (e.kind() != io.cutover.spi.FailureKind.CONFLICT) {
                        throw e;
                    }
                }
            }
            return fromRecord(ctx, r, lowered, ttl);
        }

        /** The record sets at the lowered TTL, as they are now, given the original TTL back (an upsert). */
        private StepOutcome fromRecord(StepContext ctx, DnsRecord r, StepSpec.LowerTtl lowered, long ttl) {
            DnsProvider dns = ctx.cloud().dns();
            List<RecordSet> changes = dns.records(r.zoneId(), r.name(), r.type()).stream()
                    .filter(s -> s.aliasTarget().isEmpty() && s.ttl() == lowered.ttl())
                    .map(s -> s.withTtl(ttl))
                    .toList();
            if (changes.isEmpty()) {
                return StepOutcome.Done.of(Map.of("ttl", String.valueOf(ttl)));
            }
            String change =
                    dns.upsert(r.zoneId(), changes, "cutover " + ctx.plan().id() + ": restore TTL");
            return pending(r, change, ttl);
        }

        private static StepOutcome pending(DnsRecord r, String change, long ttl) {
            return StepOutcome.Pending.of(
                    Operations.DNS_SYNC,
                    "TTL of " + r.name() + " back to " + ttl + "s",
                    Map.of("changeId", change, "ttl", String.valueOf(ttl)));
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            Optional<String> change = ctx.memo("changeId");
            if (change.isEmpty()) {
                return start(ctx);
            }
            DnsProvider.ChangeStatus status;
            try {
                status = ctx.cloud().dns().changeStatus(change.get());
            } catch (io.cutover.spi.ProviderException e) {
                if (e.kind() != io.cutover.spi.FailureKind.CONFLICT) {
                    throw e;
                }
                // a conditional change sent in a batch, refused: the record is read, as above
                StepSpec.LowerTtl lowered = lowered(ctx);
                return fromRecord(
                        ctx,
                        DnsCalls.record(ctx, lowered.record()),
                        lowered,
                        Long.parseLong(ctx.memo("ttl").orElseThrow()));
            }
            return status == DnsProvider.ChangeStatus.INSYNC
                    ? StepOutcome.Done.of(Map.of("ttl", ctx.memo("ttl").orElse("")))
                    : StepOutcome.Pending.of(Operations.DNS_SYNC, "TTL change pending");
        }

        @Override
        public Compensation compensation() {
            return Compensation.NONE;
        }

        @Override
        public Map<String, Integer> calls(Phase phase, Map<String, String> memo) {
            return Map.of(Services.ROUTE53, phase == Phase.START ? 2 : 1);
        }
    }
}
