package io.cutover.step.kinds;

import io.cutover.event.Durations;
import io.cutover.internal.*;
import io.cutover.plan.DatabaseSync;
import io.cutover.plan.Environment.Database.Kind;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepRules.Namespace;
import io.cutover.plan.Validation;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.DatabaseProvider.CloneRequest;
import io.cutover.spi.DatabaseProvider.DatabaseDescription;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.step.Arns;
import io.cutover.step.Claim;
import io.cutover.step.Compensation;
import io.cutover.step.CreatedResource;
import io.cutover.step.Grant;
import io.cutover.step.Operations;
import io.cutover.step.PreflightReads;
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
 * An Aurora fast clone of one of blue's clusters (copy-on-write; RDS's RestoreDBClusterToPointInTime with
 * {@code RestoreType=copy-on-write} and the latest restorable time, then CreateDBInstance into it): green's
 * database in minutes whatever blue's size, for the rehearsal and, after the freeze, for the final re-sync. The
 * clone's id and tags are saved before the call; before cloning, the step waits until the source's latest
 * restorable time has passed the step's start, so a clone made after the freeze holds every write. Its
 * compensation deletes the clone (cluster and instances) only when it carries this step's tags; blue's cluster is
 * only read. With {@code replaces}, the earlier clone (the rehearsal's) is deleted once this one is available,
 * after the same proof that this cutover made it.
 */
final class CloneDatabaseKind implements StepKind<DatabaseSync.CloneDatabase> {
    /** Memo key: the source's latest restorable time when the clone was asked for. */
    static final String CLONED_AT = "clonedAt";
    /** Output: the replaced clone, when it was kept, and why. */
    static final String REPLACED_KEPT = "replacedKept";
    /** Output: the replaced clone, when it was deleted (or found gone). */
    static final String RETIRED = "retired";

    @Override
    public String name() {
        return "clone-database";
    }

    @Override
    public Class<DatabaseSync.CloneDatabase> type() {
        return DatabaseSync.CloneDatabase.class;
    }

    @Override
    public void validate(DatabaseSync.CloneDatabase s, Validation v) {
        io.cutover.plan.CloneSteps.check(s, v);
    }

    @Override
    public List<CreatedName> createdNames(DatabaseSync.CloneDatabase s, Plan plan) {
        String what = "the Aurora clone made by '" + s.id() + "'";
        return List.of(s.newId()
                .map(n -> new CreatedName("newId", Namespace.DATABASE, n, what))
                .orElseGet(() -> CreatedName.derived(Namespace.DATABASE, plan.id() + "-" + s.id().value(), what)));
    }

    @Override
    public Map<String, String> textFields(DatabaseSync.CloneDatabase s) {
        Map<String, String> f = new LinkedHashMap<>();
        s.newId().ifPresent(n -> f.put("newId", n));
        return f;
    }

    @Override
    public Outputs outputs(DatabaseSync.CloneDatabase s) {
        return Outputs.of("databaseId", "endpoint", CLONED_AT, REPLACED_KEPT, RETIRED);
    }

    @Override
    public void preflight(DatabaseSync.CloneDatabase s, PreflightReads reads) {
        if (s.source() == null || s.source().kind() != Kind.CLUSTER) {
            return;
        }
        String id = s.source().id();
        reads.read("source", "Aurora cluster '" + id + "'", () -> {
            DatabaseDescription d = reads.cloud().databases().describe(Kind.CLUSTER, id);
            if (d.engine() == null || !d.engine().startsWith("aurora")) {
                reads.problem(
                        "source",
                        "'" + id + "' is a Multi-AZ DB cluster (engine " + d.engine() + "), not Aurora: RDS clones"
                                + " Aurora clusters only; use snapshot-database and restore-database for it");
            } else if (d.memberInstances().isEmpty()) {
                reads.problem(
                        "source",
                        "'" + id + "' has no DB instances, and RDS clones only a cluster with at least one; add an"
                                + " instance to it or use snapshot-restore");
            }
        });
    }

    @Override
    public Map<String, Integer> preflightCalls(DatabaseSync.CloneDatabase s) {
        return Map.of(Services.RDS, 2);
    }

    @Override
    public List<CreatedResource> created(
            DatabaseSync.CloneDatabase s, Map<String, String> outputs, Map<String, String> memo) {
        // Once asked for (or adopted with this step's tags): a claimed name may turn out to be someone else's.
        return Kinds.created(CreatedResource.Type.DATABASE, outputs, memo, "databaseId");
    }

    /** A clone that a later clone replaced and deleted is no longer this step's: the report does not name it. */
    @Override
    public List<CreatedResource> created(
            DatabaseSync.CloneDatabase s,
            Map<String, String> outputs,
            Map<String, String> memo,
            Map<String, String> runOutputs) {
        List<CreatedResource> out = created(s, outputs, memo);
        return out.stream()
                .filter(r -> runOutputs.entrySet().stream()
                        .noneMatch(e -> e.getKey().endsWith("." + RETIRED)
                                && e.getValue().equals(r.id())))
                .toList();
    }

    @Override
    public Duration minimumDuration(DatabaseSync.CloneDatabase s, Function<String, Duration> expected) {
        return expected.apply(Operations.DATABASE_CLONE);
    }

    /** The cluster id a clone step gives its clone, as far as the plan alone says ({@code *} when at run time). */
    static String cloneName(Plan plan, DatabaseSync.CloneDatabase s) {
        return s.newId().map(Names::literal).orElseGet(() -> plan.id() + "-" + s.id().value());
    }

    @Override
    public List<Grant> grants(DatabaseSync.CloneDatabase s, Plan plan, Arns arns) {
        String clone = cloneName(plan, s);
        List<String> clusters = new ArrayList<>(List.of(arns.rdsCluster(clone)));
        List<String> instances = new ArrayList<>(List.of(arns.rdsInstance(clone + "-*")));
        s.replaces()
                .flatMap(r -> plan.steps().stream()
                        .filter(x -> x.id().equals(r) && x instanceof DatabaseSync.CloneDatabase)
                        .map(x -> cloneName(plan, (DatabaseSync.CloneDatabase) x))
                        .findFirst())
                .ifPresent(old -> {
                    clusters.add(arns.rdsCluster(old));
                    instances.add(arns.rdsInstance(old + "-*"));
                });
        List<String> deletes = new ArrayList<>(clusters);
        deletes.addAll(instances);
        return List.of(
                Grant.read(List.of("rds:DescribeDBClusters", "rds:DescribeDBInstances"), List.of("*")),
                // The clone keeps the source's subnet, option and parameter groups, whatever their names.
                Grant.write(
                        List.of("rds:RestoreDBClusterToPointInTime"),
                        List.of(
                                arns.rdsCluster(Names.literal(s.source().id())),
                                arns.rdsCluster(clone),
                                arns.rdsAny("cluster-pg"),
                                arns.rdsAny("og"),
                                arns.rdsAny("subgrp"))),
                Grant.write(
                        List.of("rds:CreateDBInstance"),
                        List.of(arns.rdsInstance(clone + "-*"), arns.rdsCluster(clone), arns.rdsAny("pg"))),
                Grant.write(
                        List.of("rds:AddTagsToResource"),
                        List.of(arns.rdsCluster(clone), arns.rdsInstance(clone + "-*"))),
                Grant.write(List.of("rds:DeleteDBInstance", "rds:DeleteDBCluster"), deletes));
    }

    @Override
    public StepBehaviour behaviour(DatabaseSync.CloneDatabase step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        /** How often to look again while the source's latest restorable time is behind the step's start. */
        static final Duration RESTORABLE_WAIT = Duration.ofSeconds(15);

        private final DatabaseSync.CloneDatabase spec;

        Behaviour(DatabaseSync.CloneDatabase spec) {
            this.spec = spec;
        }

        private String source() {
            return spec.source().id();
        }

        @Override
        public String describe() {
            return "clone Aurora cluster " + source()
                    + spec.newId().map(n -> " as " + n).orElse("")
                    + " (copy-on-write, from its latest restorable time)"
                    + spec.instanceClass().map(c -> ", instances of class " + c).orElse("")
                    + (spec.settings().asMap().isEmpty()
                            ? ""
                            : " but " + spec.settings().asMap())
                    + spec.replaces()
                            .map(r -> "; then delete the clone of " + r)
                            .orElse("");
        }

        @Override
        public List<String> permissions() {
            return List.of(
                    "rds:RestoreDBClusterToPointInTime",
                    "rds:CreateDBInstance",
                    "rds:DescribeDBClusters",
                    "rds:DescribeDBInstances",
                    "rds:DeleteDBCluster",
                    "rds:DeleteDBInstance",
                    "rds:AddTagsToResource");
        }

        private String newId(StepContext ctx) {
            return spec.newId().map(ctx::resolve).orElseGet(() -> Calls.derived(ctx.derivedName("")));
        }

        /** Resolves and claims the clone's id; the claim is saved before the next call clones. */
        @Override
        public StepOutcome start(StepContext ctx) {
            return Kinds.claimDatabase(ctx, newId(ctx), Operations.DATABASE_CLONE, "cluster id");
        }

        private StepOutcome cloneNow(StepContext ctx, Claim claim) {
            String id = claim.id();
            DatabaseProvider db = ctx.cloud().databases();
            // A clone holds the data of the source's latest restorable time, which trails the present: after the
            // freeze, wait until it has passed this step's start, so that no write made before it is missing.
            Optional<Instant> restorable = db.latestRestorableTime(Kind.CLUSTER, source());
            if (restorable.isPresent() && restorable.get().isBefore(ctx.startedAt())) {
                return new StepOutcome.Pending(
                        Operations.WAIT,
                        Optional.of(RESTORABLE_WAIT),
                        source() + "'s latest restorable time is " + restorable.get() + ", "
                                + Durations.format(Duration.between(restorable.get(), ctx.startedAt()))
                                + " before this step started; cloning once it holds every write",
                        Map.of());
            }
            CloneRequest request = new CloneRequest(source(), id, spec.instanceClass(), claim.tags(), spec.settings());
            try {
                if (!Calls.createOrAdopt(() -> db.cloneCluster(request))) {
                    DatabaseDescription existing = db.describe(Kind.CLUSTER, id);
                    if (!claim.owns(existing.tags())) {
                        return Calls.failed("a cluster named '" + id + "' exists and was not made by this cutover;"
                                + " choose another newId");
                    }
                }
            } catch (ProviderException e) {
                if (e.kind() != FailureKind.INVALID_REQUEST) {
                    throw e;
                }
                return Calls.failed("RDS refused to clone Aurora cluster '" + source() + "': " + e.getMessage()
                        + ". If it names a limit (copy-on-write clones of one cluster, the account's DB cluster"
                        + " quota), delete clones of '" + source() + "' no longer used or raise the quota; else use"
                        + " snapshot-database and restore-database (snapshot-restore) for it");
            }
            Map<String, String> memo = new HashMap<>(Map.of("databaseId", id));
            restorable.ifPresent(t -> memo.put(CLONED_AT, t.toString()));
            return StepOutcome.Pending.of(Operations.DATABASE_CLONE, "cloning " + source() + " as " + id, memo);
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            Optional<Claim> claim = Claim.from(ctx.memo());
            if (claim.isPresent() && ctx.memo("databaseId").isEmpty()) {
                return cloneNow(ctx, claim.get());
            }
            String id = ctx.memo("databaseId").orElseGet(() -> newId(ctx));
            DatabaseDescription d = ctx.cloud().databases().describe(Kind.CLUSTER, id);
            return switch (d.status()) {
                case AVAILABLE -> {
                    // The rehearsal's clone left is a cost, not a risk: it never fails the cutover (writes are frozen).
                    Map<String, String> out = new HashMap<>(retireReplaced(ctx, id));
                    out.put("databaseId", id);
                    out.put("endpoint", d.endpoint().orElse(""));
                    out.put(CLONED_AT, ctx.memo(CLONED_AT).orElse(""));
                    yield StepOutcome.Done.of(out);
                }
                case FAILED, DELETED, DELETING ->
                    Calls.failed("clone " + id + " of " + source() + " ended " + d.status());
                default -> StepOutcome.Pending.of(Operations.DATABASE_CLONE, "cloning " + id + " (" + d.status() + ")");
            };
        }

        /**
         * Deletes the clone this one replaces, if it is there and carries the tags its step put on it (this plan,
         * this environment, that step). Its outputs: {@link #RETIRED} the replaced clone when deleted or found gone,
         * {@link #REPLACED_KEPT} which cluster is kept and why, none when nothing is replaced.
         */
        private Map<String, String> retireReplaced(StepContext ctx, String id) {
            if (spec.replaces().isEmpty()) {
                return Map.of();
            }
            StepId replaced = spec.replaces().get();
            String old = ctx.resolve("${" + replaced.value() + ".databaseId}");
            if (old.isBlank() || old.equalsIgnoreCase(id)) {
                return Map.of();
            }
            Optional<String> kept = keptOrDeleted(ctx, replaced, old);
            return kept.isPresent() ? Map.of(REPLACED_KEPT, kept.get()) : Map.of(RETIRED, old);
        }

        /** Deletes the replaced clone {@code old}: empty when deleted or gone, else why it is kept. */
        private Optional<String> keptOrDeleted(StepContext ctx, StepId replaced, String old) {
            if (Validation.blueClash(ctx.plan().environment(), Namespace.DATABASE, old)
                    .isPresent()) {
                return Optional.of(old + ": blue's database, not deleted");
            }
            DatabaseProvider db = ctx.cloud().databases();
            Optional<DatabaseDescription> found = Calls.find(() -> db.describe(Kind.CLUSTER, old));
            if (found.isEmpty()
                    || found.get().status() == DatabaseProvider.Status.DELETING
                    || found.get().status() == DatabaseProvider.Status.DELETED) {
                return Optional.empty();
            }
            Map<String, String> theirs = new HashMap<>(ctx.tags());
            theirs.put("cutover:step", replaced.value());
            if (!theirs.entrySet().stream()
                    .allMatch(e -> e.getValue().equals(found.get().tags().get(e.getKey())))) {
                return Optional.of(
                        old + ": not made by " + replaced + " of this cutover (its tags differ), not deleted");
            }
            try {
                Calls.deleteQuietly(() -> db.delete(Kind.CLUSTER, old, Optional.empty()));
            } catch (ProviderException e) {
                if (e.retryable()) {
                    throw e;
                }
                return Optional.of(old + ": its delete failed (" + e.getMessage() + "); delete it by hand");
            }
            return Optional.empty();
        }

        @Override
        public Compensation compensation() {
            return Compensation.REMOVES_GREEN;
        }

        @Override
        public String describeCompensation() {
            return "delete the clone and its instances (a copy; blue's cluster is only read)";
        }

        /** Deletes the clone only when this step claimed it and it carries the claim's tags. */
        @Override
        public StepOutcome compensate(StepContext ctx) {
            Optional<Claim> claim = Claim.from(ctx.memo(), "databaseId", ctx);
            if (claim.isEmpty()) {
                return StepOutcome.Done.of();
            }
            String id = claim.get().id();
            DatabaseProvider db = ctx.cloud().databases();
            Optional<DatabaseDescription> d = Calls.find(() -> db.describe(Kind.CLUSTER, id));
            if (d.isEmpty()
                    || d.get().status() == DatabaseProvider.Status.DELETED
                    || !claim.get().owns(d.get().tags())) {
                // Gone, or not this step's: a cluster that existed under that id is never touched.
                return StepOutcome.Done.of();
            }
            if (d.get().status() == DatabaseProvider.Status.CREATING
                    || d.get().status() == DatabaseProvider.Status.MODIFYING) {
                return StepOutcome.Pending.of(Operations.DATABASE_CLONE, "waiting for " + id + " before deleting it");
            }
            if (d.get().status() != DatabaseProvider.Status.DELETING) {
                Calls.deleteQuietly(() -> db.delete(Kind.CLUSTER, id, Optional.empty()));
            }
            return StepOutcome.Pending.of(Operations.DATABASE_DELETE, "deleting " + id);
        }

        @Override
        public Map<String, Integer> calls(Phase phase, Map<String, String> memo) {
            if (phase == Phase.START) {
                return Map.of();
            }
            // Cloning: the restorable time, the source and its members, the clone, its instances.
            return Map.of(Services.RDS, phase == Phase.POLL && !memo.containsKey("databaseId") ? 5 : 3);
        }
    }
}
