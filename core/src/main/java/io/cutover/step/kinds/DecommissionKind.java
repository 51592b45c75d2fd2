package io.cutover.step.kinds;

import io.cutover.internal.*;
import io.cutover.plan.DatabaseSync;
import io.cutover.plan.Environment;
import io.cutover.plan.Environment.Database;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.DatabaseProvider.SnapshotDescription;
import io.cutover.spi.StackProvider;
import io.cutover.spi.StackProvider.StackDescription;
import io.cutover.spi.VolumeProvider;
import io.cutover.step.Arns;
import io.cutover.step.Compensation;
import io.cutover.step.CreatedResource;
import io.cutover.step.Grant;
import io.cutover.step.Operations;
import io.cutover.step.Services;
import io.cutover.step.StepBehaviour;
import io.cutover.step.StepBehaviour.Phase;
import io.cutover.step.StepContext;
import io.cutover.step.StepKind;
import io.cutover.step.StepOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Retires blue, the point of no return. First a final snapshot of every database and volume of the
 * environment, each waited for until available; only then is blue's stack deleted (and the databases that
 * live beside it, each with a final snapshot of its own). The snapshots are named in the outputs and the
 * cutover's report.
 */
final class DecommissionKind implements StepKind<StepSpec.Decommission> {
    static final String FINAL_SNAPSHOT = "finalSnapshot.";
    /** Memo keys: the final snapshot of a database, of a volume (by the database's or volume's id). */
    static final String DATABASE_SNAPSHOT = "databaseSnapshot.";

    static final String VOLUME_SNAPSHOT = "volumeSnapshot.";

    /**
     * Tag on a database's final snapshot: when the step that took it started, by that step's clock (to the
     * second, as any state store keeps it). A snapshot that carries this step's own start was asked for by this
     * step, after writes stopped, whatever the difference between this machine's clock and the cloud's.
     */
    static final String STARTED_TAG = "cutover:decommission-started";

    @Override
    public String name() {
        return "decommission";
    }

    @Override
    public Class<StepSpec.Decommission> type() {
        return StepSpec.Decommission.class;
    }

    /** How far this machine's clock may be ahead of the cloud's when a final snapshot's time is checked. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    static String finalSnapshotName(String planId, Database db) {
        return db.id() + "-final-" + planId;
    }

    /** A final snapshot per database, named after the database and the plan. */
    @Override
    public List<CreatedName> createdNames(StepSpec.Decommission d, io.cutover.plan.Plan plan) {
        return plan.environment().databases().stream()
                .filter(db -> db != null && db.id() != null)
                .map(db -> CreatedName.derived(
                        io.cutover.plan.StepRules.Namespace.DATABASE_SNAPSHOT,
                        finalSnapshotName(plan.id(), db),
                        "decommission's final snapshot of " + db.id()))
                .toList();
    }

    @Override
    public Outputs outputs(StepSpec.Decommission d) {
        return Outputs.none().withPrefix(FINAL_SNAPSHOT);
    }

    @Override
    public Flags flags(StepSpec.Decommission d) {
        return new Flags(false, false, true, false, false, StepSpec.Downtime.NONE);
    }

    /**
     * The final snapshots, from what the step remembered, by the kind of thing each is a snapshot of: a database's
     * is named in the memo before the call that takes it (or, for a database outside the stack, the delete that
     * takes it); a volume's, whose id the cloud chooses, in the answer of the call that took it or the failure of
     * the step. A decommission that failed half-way, or whose process died, so still names every snapshot it took.
     */
    @Override
    public List<CreatedResource> created(
            StepSpec.Decommission d, Map<String, String> outputs, Map<String, String> memo) {
        List<CreatedResource> out = new ArrayList<>();
        memo.forEach((k, x) -> {
            if (k.startsWith(DATABASE_SNAPSHOT)) {
                out.add(new CreatedResource(CreatedResource.Type.DATABASE_SNAPSHOT, x));
            } else if (k.startsWith(VOLUME_SNAPSHOT)) {
                out.add(new CreatedResource(CreatedResource.Type.VOLUME_SNAPSHOT, x));
            }
        });
        return out;
    }

    @Override
    public Duration minimumDuration(StepSpec.Decommission d, Function<String, Duration> expected) {
        return Kinds.max(expected.apply(Operations.DATABASE_SNAPSHOT), expected.apply(Operations.VOLUME_SNAPSHOT))
                .plus(expected.apply(Operations.STACK_DELETE));
    }

    @Override
    public List<Grant> grants(StepSpec.Decommission s, Plan plan, Arns arns) {
        var env = plan.environment();
        List<Grant> out = new java.util.ArrayList<>();
        List<String> reads = new java.util.ArrayList<>();
        if (env.databases().stream().anyMatch(d -> d.kind() == io.cutover.plan.Environment.Database.Kind.INSTANCE)) {
            reads.add("rds:DescribeDBSnapshots");
        }
        if (env.databases().stream().anyMatch(d -> d.kind() == io.cutover.plan.Environment.Database.Kind.CLUSTER)) {
            reads.add("rds:DescribeDBClusterSnapshots");
        }
        if (!env.volumes().isEmpty()) {
            reads.add("ec2:DescribeSnapshots");
        }
        if (!reads.isEmpty()) {
            out.add(Grant.read(reads, List.of("*")));
        }
        out.add(Grant.read(List.of("cloudformation:DescribeStacks"), List.of(arns.stack(env.stack()))));
        for (var db : env.databases()) {
            String finalSnapshot = finalSnapshotName(plan.id(), db);
            boolean cluster = db.kind() == io.cutover.plan.Environment.Database.Kind.CLUSTER;
            String source = cluster ? arns.rdsCluster(db.id()) : arns.rdsInstance(db.id());
            String snap = cluster ? arns.rdsClusterSnapshot(finalSnapshot) : arns.rdsSnapshot(finalSnapshot);
            List<String> sources = new java.util.ArrayList<>(List.of(source, snap));
            if (!cluster && plan.steps().stream().anyMatch(x -> x instanceof DatabaseSync.SwitchoverBlueGreen)) {
                // After a switchover blue's database is '<id>-old1': its final snapshot and delete name that one.
                sources.add(arns.rdsInstance(db.id() + "-old1"));
            }
            out.add(Grant.write(List.of(cluster ? "rds:CreateDBClusterSnapshot" : "rds:CreateDBSnapshot"), sources));
            out.add(Grant.write(List.of("rds:AddTagsToResource"), List.of(snap)));
            if (!db.ownedByStack()) {
                out.add(Grant.write(List.of(cluster ? "rds:DeleteDBCluster" : "rds:DeleteDBInstance"), sources));
            }
        }
        if (!env.volumes().isEmpty()) {
            String snapshots = arns.ec2("snapshot", "*");
            out.add(Grant.write(
                    List.of("ec2:CreateSnapshot"),
                    env.volumes().stream().map(v -> arns.ec2("volume", v)).toList()));
            out.add(Grant.write(
                    List.of("ec2:CreateSnapshot"),
                    List.of(snapshots),
                    Grant.Condition.equals("aws:RequestTag/cutover:plan", plan.id())));
            out.add(Grant.write(
                    List.of("ec2:CreateTags"),
                    List.of(snapshots),
                    Grant.Condition.equals("ec2:CreateAction", "CreateSnapshot")));
        }
        out.add(StackGrants.withRole(plan, List.of("cloudformation:DeleteStack"), List.of(arns.stack(env.stack()))));
        return out;
    }

    @Override
    public StepBehaviour behaviour(StepSpec.Decommission step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private final StepSpec.Decommission spec;

        Behaviour(StepSpec.Decommission spec) {
            this.spec = spec;
        }

        @Override
        public String describe() {
            return "final snapshot of every database and volume of blue, then delete blue's stack"
                    + (spec.retainResources().isEmpty() ? "" : " keeping " + spec.retainResources())
                    + " (point of no return)";
        }

        @Override
        public List<String> permissions() {
            return List.of(
                    "rds:CreateDBSnapshot",
                    "rds:CreateDBClusterSnapshot",
                    "rds:DescribeDBSnapshots",
                    "rds:DescribeDBClusterSnapshots",
                    "rds:DeleteDBInstance",
                    "rds:DeleteDBCluster",
                    "rds:AddTagsToResource",
                    "ec2:CreateSnapshot",
                    "ec2:CreateTags",
                    "ec2:DescribeSnapshots",
                    "cloudformation:DeleteStack",
                    "cloudformation:DescribeStacks");
        }

        /** The final snapshot's name: as remembered (a state of an older release may hold another), else derived. */
        static String finalSnapshotId(StepContext ctx, Database db) {
            return ctx.memo(DATABASE_SNAPSHOT + db.id())
                    .orElseGet(() -> Calls.derived(finalSnapshotName(ctx.plan().id(), db)));
        }

        /**
         * Why a snapshot found under a final snapshot's name is not the final snapshot this step takes, if it is
         * not: it must carry this step's tags, be of that database, and either carry this step's start
         * ({@link #STARTED_TAG}: this step asked for it) or have been taken after the step started (writes to blue
         * had stopped by then), within {@link #CLOCK_SKEW} of this machine's clock. A snapshot taken earlier holds
         * blue's data as it was then; adopting it would retire blue without its latest data.
         */
        static Optional<String> notFinal(
                StepContext ctx, Database db, SnapshotDescription s, Map<String, String> tags) {
            boolean ours = tags.entrySet().stream()
                    .allMatch(e -> e.getValue().equals(s.tags().get(e.getKey())));
            String source = SwitchoverBlueGreenKind.retiredId(ctx, db);
            if (!ours
                    || !(db.id().equalsIgnoreCase(s.sourceDatabaseId())
                            || source.equalsIgnoreCase(s.sourceDatabaseId()))) {
                return Optional.of("a snapshot named " + s.id() + " exists and was not taken by this decommission (of "
                        + s.sourceDatabaseId() + ", tags " + s.tags() + ")");
            }
            if (started(ctx).equals(s.tags().get(STARTED_TAG))) {
                // Taken by this very step: its creation time, by the cloud's clock, says nothing more.
                return Optional.empty();
            }
            return s.createdAt()
                    .filter(t -> t.isBefore(ctx.startedAt().minus(CLOCK_SKEW)))
                    .map(t -> "snapshot " + s.id() + " was taken at " + t + ", before decommission started ("
                            + ctx.startedAt() + "); blue's data may have changed since");
        }

        /**
         * The final snapshots: each database's named in the memo before any is taken; each looked at, then the
         * missing ones taken. Empty once every one is available, else the outcome to return. A failure (a snapshot
         * that failed, or one that is not this step's) is returned with the memo naming every final snapshot seen,
         * and only once no snapshot an earlier call may have taken can still be hidden from a search, so a failed
         * decommission reports every final snapshot it may have taken: each is blue's data.
         */
        private Optional<StepOutcome> snapshots(StepContext ctx, Map<String, String> memo) {
            Environment env = ctx.plan().environment();
            DatabaseProvider dbs = ctx.cloud().databases();
            Map<String, String> unnamed = new HashMap<>();
            env.databases().forEach(db -> {
                if (ctx.memo(DATABASE_SNAPSHOT + db.id()).isEmpty()) {
                    unnamed.put(DATABASE_SNAPSHOT + db.id(), finalSnapshotId(ctx, db));
                }
            });
            if (!unnamed.isEmpty()) {
                // Saved before the calls that take them: a call that dies, or a step that fails, after a create
                // still names the snapshot.
                return Optional.of(new StepOutcome.Pending(
                        Operations.DATABASE_SNAPSHOT,
                        Optional.of(Duration.ZERO),
                        "final snapshots named: " + new java.util.TreeMap<>(unnamed).values(),
                        unnamed));
            }
            List<String> waiting = new ArrayList<>();
            List<Integer> percents = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            List<Database> missingDatabases = new ArrayList<>();
            List<String> missingVolumes = new ArrayList<>();
            for (Database db : env.databases()) {
                // A database standing alone too: its final snapshot is taken and found available before it is
                // deleted, not left to the delete call (RDS's own final snapshot, whose failure nothing would see).
                String id = finalSnapshotId(ctx, db);
                Optional<SnapshotDescription> s = Calls.find(() -> dbs.describeSnapshot(db.kind(), id));
                Optional<String> stale = s.flatMap(x -> notFinal(ctx, db, x, finalTags(ctx, db.id())));
                if (stale.isPresent()) {
                    failures.add("final snapshot of " + db.id() + ": " + stale.get()
                            + ". It is not a snapshot of blue after writes stopped, so blue was not deleted;"
                            + " delete or rename that snapshot (keep a copy if you need it) and resume");
                } else if (s.isEmpty()) {
                    missingDatabases.add(db);
                } else if (s.get().status() == DatabaseProvider.Status.FAILED) {
                    failures.add("final snapshot " + id + " of " + db.id() + " failed; blue was not deleted. "
                            + "Delete the failed snapshot and resume");
                } else if (s.get().status() != DatabaseProvider.Status.AVAILABLE) {
                    waiting.add(id + " " + s.get().progressPercent() + "%");
                    percents.add(s.get().progressPercent());
                } else {
                    percents.add(100);
                }
            }
            for (String vol : env.volumes()) {
                var found = ctx.cloud().volumes().findSnapshots(finalTags(ctx, vol));
                if (found.isEmpty()) {
                    missingVolumes.add(vol);
                    continue;
                }
                memo.put(VOLUME_SNAPSHOT + vol, found.get(0).id());
                if (found.get(0).status() == VolumeProvider.Status.ERROR) {
                    failures.add("final snapshot " + found.get(0).id() + " of volume " + vol
                            + " failed; blue was not deleted");
                } else if (found.get(0).status() != VolumeProvider.Status.COMPLETED) {
                    waiting.add(vol + " " + found.get(0).progressPercent() + "%");
                    percents.add(found.get(0).progressPercent());
                } else {
                    percents.add(100);
                }
            }
            if (!failures.isEmpty()) {
                return Optional.of(failed(ctx, memo, missingVolumes, String.join("; ", failures)));
            }
            for (Database db : missingDatabases) {
                String id = finalSnapshotId(ctx, db);
                Map<String, String> tags = finalTags(ctx, db.id());
                tags.put(STARTED_TAG, started(ctx));
                // After a blue/green switchover blue's data is in '<id>-old1'.
                String source = SwitchoverBlueGreenKind.retiredId(ctx, db);
                Calls.createOrAdopt(() -> dbs.createSnapshot(db.kind(), source, id, tags));
                waiting.add(id);
                percents.add(0);
            }
            boolean createdOne = false;
            for (String vol : missingVolumes) {
                percents.add(0);
                if (createdOne) {
                    // One create whose id the cloud chooses per call: its id is saved before the next create, so a
                    // call that fails after it cannot lose it.
                    waiting.add(vol + " (next)");
                    continue;
                }
                FoundByTags.Next next = FoundByTags.findOrCreate(
                        ctx,
                        VOLUME_SNAPSHOT + vol,
                        Optional::empty,
                        () -> ctx.cloud()
                                .volumes()
                                .createSnapshot(
                                        vol,
                                        "cutover " + ctx.plan().id() + " final snapshot of " + vol,
                                        finalTags(ctx, vol)));
                if (next instanceof FoundByTags.Next.Looking l) {
                    memo.putAll(l.memo());
                    waiting.add(vol + " (looking for a snapshot an earlier call may have started)");
                } else if (next instanceof FoundByTags.Next.Created c) {
                    memo.put(VOLUME_SNAPSHOT + vol, c.id());
                    memo.putAll(c.memo());
                    waiting.add(vol);
                    createdOne = true;
                }
            }
            if (waiting.isEmpty()) {
                return Optional.empty();
            }
            // all final snapshots together, a finished one at 100%: the figure rises while any of them moves
            int overall = Math.max(
                    0,
                    Math.min(100, percents.stream().mapToInt(Integer::intValue).sum() / percents.size()));
            return Optional.of(StepOutcome.Pending.of(Operations.DATABASE_SNAPSHOT, "final snapshots: " + waiting, memo)
                    .withPercent(overall));
        }

        /**
         * The step fails, naming in its memo every final snapshot it saw; but while a volume's snapshot an earlier
         * call may have taken can still be hidden from the search, it looks again first (and takes none).
         */
        private static StepOutcome failed(
                StepContext ctx, Map<String, String> memo, List<String> missingVolumes, String reason) {
            List<String> looking = new ArrayList<>();
            for (String vol : missingVolumes) {
                if (ctx.memo(VOLUME_SNAPSHOT + vol).isPresent()) {
                    continue; // named already: the report keeps it
                }
                Optional<FoundByTags.Next.Looking> l = FoundByTags.stillLooking(ctx, VOLUME_SNAPSHOT + vol);
                if (l.isPresent()) {
                    memo.putAll(l.get().memo());
                    looking.add(vol);
                }
            }
            if (!looking.isEmpty()) {
                return StepOutcome.Pending.of(
                        Operations.VOLUME_SNAPSHOT,
                        reason + "; before failing, looking for the final snapshots of " + looking
                                + " an earlier call may have started",
                        memo);
            }
            return new StepOutcome.Failed(reason).withMemo(memo);
        }

        private static String started(StepContext ctx) {
            return ctx.startedAt()
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    .toString();
        }

        private static Map<String, String> finalTags(StepContext ctx, String of) {
            Map<String, String> tags = new HashMap<>(ctx.tags());
            tags.put("cutover:final-snapshot-of", of);
            return tags;
        }

        @Override
        public StepOutcome start(StepContext ctx) {
            return poll(ctx);
        }

        /**
         * A copy of blue's volume that green runs on (replace-volume's {@code copyOf}) and that still copies its
         * blocks from blue's: blue's volume goes with blue's stack only once the copy has them all, as AWS documents
         * no outcome for deleting a copy's source before (Amazon EBS user guide, Copy an Amazon EBS volume).
         */
        private static Optional<StepOutcome> copiesStillCopying(StepContext ctx) {
            for (StepSpec s : ctx.plan().steps()) {
                if (!(s instanceof io.cutover.plan.DataDisks.ReplaceVolume r)
                        || r.copyOf().isEmpty()) {
                    continue;
                }
                Map<String, String> m = ctx.memoOf(s.id());
                String copy = m.get("volumeId");
                String source = m.get("source");
                if (copy == null || source == null) {
                    continue;
                }
                Optional<VolumeProvider.Initialization> init = Calls.find(
                                () -> ctx.cloud().volumes().initialization(copy))
                        .flatMap(x -> x);
                if (init.isPresent()) {
                    Duration next = Kinds.within(
                            init.get().left().orElse(Duration.ofMinutes(1)),
                            Duration.ofSeconds(5),
                            Duration.ofMinutes(5));
                    return Optional.of(new StepOutcome.Pending(
                            Operations.VOLUME_COPY,
                            Optional.of(next),
                            "waiting for green's volume " + copy + ", a copy of blue's " + source
                                    + ", to finish copying its blocks ("
                                    + init.get().percent()
                                    + "%) before blue's volume is deleted",
                            Map.of()));
                }
            }
            return Optional.empty();
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            Environment env = ctx.plan().environment();
            DatabaseProvider dbs = ctx.cloud().databases();
            StackProvider stacks = ctx.cloud().stacks();
            String phase = ctx.memo("phase").orElse("snapshots");
            Map<String, String> memo = new HashMap<>();
            if (phase.equals("snapshots")) {
                Optional<StepOutcome> notYet = snapshots(ctx, memo);
                if (notYet.isPresent()) {
                    return notYet.get();
                }
                Optional<StepOutcome> copying = copiesStillCopying(ctx);
                if (copying.isPresent()) {
                    return copying.get();
                }
                Calls.deleteQuietly(() ->
                        stacks.delete(env.stack(), spec.retainResources(), ctx.token("delete-blue"), env.roleArn()));
                for (Database db : env.databases()) {
                    if (!db.ownedByStack()) {
                        // After a blue/green switchover blue's name is green's database: blue's is the -old1 one.
                        // The switched-over deployment goes first (without DeleteTarget, which RDS refuses after a
                        // switchover: green's database, under blue's name, stays), or nothing would ever remove it.
                        Optional<String> switched = SwitchoverBlueGreenKind.switchedOver(ctx, db);
                        switched.ifPresent(bgd -> Calls.deleteQuietly(
                                () -> ctx.cloud().blueGreen().delete(bgd, false)));
                        // Its final snapshot is available already (above): no second one in the delete call.
                        String retired = SwitchoverBlueGreenKind.retiredId(ctx, db);
                        Calls.deleteQuietly(() -> dbs.delete(db.kind(), retired, Optional.empty()));
                    }
                }
                memo.put("phase", "delete");
                return StepOutcome.Pending.of(Operations.STACK_DELETE, "final snapshots kept; deleting blue", memo);
            }
            Optional<StackDescription> blue = Calls.find(() -> stacks.describe(env.stack()));
            if (blue.isPresent() && blue.get().state() == StackProvider.StackState.DELETE_FAILED) {
                return Calls.failed(StackCalls.failure(stacks, blue.get()) + "; the final snapshots are kept");
            }
            if (blue.isPresent() && blue.get().state() != StackProvider.StackState.DELETED) {
                return StepOutcome.Pending.of(Operations.STACK_DELETE, "deleting stack " + env.stack());
            }
            Map<String, String> unnamed = new HashMap<>();
            env.databases().forEach(db -> {
                if (ctx.memo(DATABASE_SNAPSHOT + db.id()).isEmpty()) {
                    unnamed.put(DATABASE_SNAPSHOT + db.id(), finalSnapshotId(ctx, db));
                }
            });
            if (!unnamed.isEmpty()) {
                // A state saved before every final snapshot was named in the memo: named now, before the end.
                return new StepOutcome.Pending(
                        Operations.STACK_DELETE, Optional.of(Duration.ZERO), "naming the final snapshots", unnamed);
            }
            Map<String, String> out = new HashMap<>();
            for (Database db : env.databases()) {
                String id = finalSnapshotId(ctx, db);
                Optional<SnapshotDescription> s = Calls.find(() -> dbs.describeSnapshot(db.kind(), id));
                if (s.isPresent() && s.get().status() == DatabaseProvider.Status.FAILED) {
                    // Taken by RDS in the delete call of a database standing alone: it will never be available, and
                    // the delete may have gone on without it (the fault campaign: the step waited to its limit).
                    return Calls.failed("final snapshot " + id + " of " + db.id() + ", which RDS takes in the call"
                            + " that deletes the database, failed: the database may be deleted without it; look for"
                            + " it on RDS, and for its retained automated backups, before anything else");
                }
                if (s.isEmpty() || s.get().status() != DatabaseProvider.Status.AVAILABLE) {
                    return StepOutcome.Pending.of(Operations.DATABASE_SNAPSHOT, "waiting for final snapshot " + id);
                }
                out.put(FINAL_SNAPSHOT + db.id(), id);
            }
            ctx.memo().forEach((k, v) -> {
                if (k.startsWith(VOLUME_SNAPSHOT)) {
                    out.put(FINAL_SNAPSHOT + k.substring(VOLUME_SNAPSHOT.length()), v);
                }
            });
            return StepOutcome.Done.of(out);
        }

        @Override
        public Compensation compensation() {
            return Compensation.NONE;
        }

        @Override
        public Map<String, Integer> calls(Phase phase, Map<String, String> memo) {
            // An estimate for an environment with one database and one volume (most have one of each): a look at
            // each final snapshot and, at first, the snapshot itself; then the stack's delete and its polls.
            if (memo.getOrDefault("phase", "snapshots").equals("snapshots")) {
                return Map.of(
                        Services.RDS, 2, Services.EC2_DESCRIBE, 1, Services.EC2_MUTATE, 1, Services.CLOUDFORMATION, 1);
            }
            return Map.of(Services.RDS, 1, Services.CLOUDFORMATION, 1);
        }
    }
}
