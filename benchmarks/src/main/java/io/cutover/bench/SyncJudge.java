package io.cutover.bench;

import io.cutover.plan.Environment.Database.Kind;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.simulator.SimulatedCloud;
import io.cutover.simulator.SimulatedCloud.Creation;
import io.cutover.simulator.SimulatedCloud.Happening;
import io.cutover.simulator.VolumeSimulation;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.LoadBalancerProvider;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StepStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The invariants of the blue/green modes (rds-blue-green and read-replica, the data disk re-synced by
 * {@code replace-volume}, users moved by the listener or DNS), judged at the end of one seed against the simulated
 * cloud's own record: its history, its creations, its databases, volumes and listener, and the writes it accepted.
 * The checks every shape shares (final snapshots before blue is deleted, DNS only on a verified green, one resource
 * per role, liveness, ...) are {@link CampaignJudge}'s.
 */
final class SyncJudge {
    private final World w;
    private final World.App app;
    private final CampaignPlans.Sync sync;
    private final boolean lb;
    private final Plan plan;
    private final String report;
    private final List<Happening> history;
    private final List<Creation> created;
    private final List<String> violations;
    private final Set<String> paths;

    SyncJudge(
            World w,
            World.App app,
            CampaignPlans.Sync sync,
            Plan plan,
            String report,
            List<Creation> created,
            List<String> violations,
            Set<String> paths) {
        this.w = w;
        this.app = app;
        this.sync = sync;
        this.plan = plan;
        this.lb = loadBalancer(plan);
        this.report = report;
        this.history = w.cloud.history();
        this.created = created;
        this.violations = violations;
        this.paths = paths;
    }

    /** Whether a run of this plan moves users by the load balancer's listener (else by DNS). */
    static boolean loadBalancer(Plan plan) {
        return plan.steps().stream().anyMatch(s -> s.id().value().equals("switch-target-group"));
    }

    /** The stack users reach now: the listener's (most of its requests), or the host name's through DNS. */
    static Optional<String> usersOn(SimulatedCloud c, World.App app, Plan plan) {
        if (!loadBalancer(plan)) {
            return c.stackBehind(app.host);
        }
        return c.listenerShares(World.listener(app)).entrySet().stream()
                .filter(e -> e.getValue() > 50)
                .map(Map.Entry::getKey)
                .findFirst();
    }

    void judge(Optional<RunState> end) {
        boolean replica = sync == CampaignPlans.Sync.READ_REPLICA;
        paths.add(sync.label + (lb ? ", load-balancer" : ", dns"));
        SimulatedCloud c = w.cloud;
        String db = app.database();
        Optional<String> replicaId = ids("read-replica").stream().findFirst();
        Optional<String> deployment = ids("blue-green-deployment").stream().findFirst();
        // When green's database took over: the switchover completed, or the replica was promoted (the cloud's time).
        Optional<Instant> tookOver = history.stream()
                .filter(h -> replica
                        ? replicaId.map(h.id()::equals).orElse(false)
                                && h.what().equals("PROMOTED")
                        : deployment.map(h.id()::equals).orElse(false)
                                && h.what().equals("SWITCHOVER_COMPLETED"))
                .map(Happening::at)
                .findFirst();
        Optional<Instant> switched = switchedAt();
        tookOver.ifPresent(t -> paths.add(replica ? "replica promoted" : "switched over"));

        // 1. No write lost: green's database, once it took over, holds every write blue's accepted before; and blue's
        //    accepted none after the freeze unless writes resumed on it (a rollback). Under rds-blue-green every write
        //    the application made is on the database under blue's name (green's, once switched over).
        if (tookOver.isPresent()) {
            Instant t = tookOver.get();
            long before = app.writes.stream()
                    .filter(x -> !x.at().isAfter(t))
                    .mapToLong(World.Write::version)
                    .max()
                    .orElse(0);
            if (replica) {
                c.database(Kind.INSTANCE, replicaId.orElseThrow())
                        .filter(d -> d.status() != DatabaseProvider.Status.DELETING)
                        .ifPresent(d -> {
                            if (d.dataVersion() != before) {
                                violations.add("the promoted replica " + d.id() + " holds write " + d.dataVersion()
                                        + ", not blue's last write before its promotion at " + t + " (" + before
                                        + "): writes lost");
                            }
                        });
            } else {
                c.database(Kind.INSTANCE, db).ifPresent(d -> {
                    if (d.dataVersion() != app.lastWrite) {
                        violations.add("after the switchover at " + t + " the database under blue's name " + db
                                + " holds write " + d.dataVersion() + ", not the application's last " + app.lastWrite);
                    }
                });
            }
            if (app.frozenAt == null || t.isBefore(app.frozenAt)) {
                violations.add(
                        "green's database took over at " + t + ", before writes were frozen (" + app.frozenAt + ")");
            }
        }
        if (end.map(e -> e.status() == RunStatus.COMPLETED).orElse(false) && app.frozenAt != null) {
            app.writes.stream()
                    .filter(x -> x.at().isAfter(app.frozenAt))
                    .findFirst()
                    .ifPresent(x -> violations.add("blue's database accepted write " + x.version() + " at " + x.at()
                            + ", after writes were frozen at " + app.frozenAt + ", in a cutover that completed"));
        }

        // 2. Green's data volume, when users moved to it, holds blue's volume's data as it was at the freeze: the
        //    volume the cloud had attached to green last before the switch, by replace-volume.
        switched.ifPresent(at -> {
            Set<String> ours = Set.copyOf(tagged("volume"));
            Optional<Happening> attached = history.stream()
                    .filter(h -> ours.contains(h.id()) && h.what().startsWith("ATTACHED ") && !h.at().isAfter(at))
                    .reduce((a, b) -> b);
            if (attached.isEmpty()) {
                violations.add("users moved to green at " + at
                        + " while green's data volume was still its rehearsal's (no re-synced volume attached)");
                return;
            }
            long version = Long.parseLong(attached.get().what().replaceAll(".* v", ""));
            if (version != app.volumeAtFreeze) {
                violations.add("users moved to green at " + at + " on volume "
                        + attached.get().id() + " holding data " + "version " + version
                        + ", not blue's volume's at the freeze (" + app.volumeAtFreeze + ")");
            }
            boolean detached = history.stream()
                    .anyMatch(h -> h.id().equals(attached.get().id())
                            && h.what().startsWith("DETACHED")
                            && h.at().isAfter(attached.get().at())
                            && !h.at().isAfter(at));
            if (detached) {
                violations.add("users moved to green at " + at + " after its re-synced volume "
                        + attached.get().id() + " was detached");
            }
        });

        // 3. Blue's database (under rds-blue-green, its old one, '<id>-old1') is deleted only with a final snapshot
        //    holding blue's last write, not failed, and named in the report: one RDS takes in the delete call itself,
        //    or one taken before it and available by then (decommission takes its own and waits for it).
        String retired = replica ? db : db + "-old1";
        history.stream()
                .filter(h -> h.kind().equals("database")
                        && h.id().equals(retired)
                        && h.what().equals("DELETE_REQUESTED"))
                .findFirst()
                .ifPresent(h -> {
                    Set<String> availableBefore = Set.copyOf(history.stream()
                            .filter(x -> x.kind().equals("database-snapshot")
                                    && x.what().equals("AVAILABLE")
                                    && !x.at().isAfter(h.at()))
                            .map(Happening::id)
                            .toList());
                    Set<String> atDelete = Set.copyOf(created.stream()
                            .filter(x -> x.kind().equals("database-snapshot")
                                    && (x.at().equals(h.at()) || availableBefore.contains(x.id())))
                            .map(Creation::id)
                            .toList());
                    Optional<SimulatedCloud.SimSnapshot> s = c.databaseSnapshots().stream()
                            .filter(x -> x.source().equals(retired) && atDelete.contains(x.id()))
                            .findFirst();
                    if (s.isEmpty()) {
                        violations.add("blue's database " + retired + " was deleted at " + h.at()
                                + " without a final snapshot");
                    } else if (s.get().dataVersion() != app.lastWrite
                            || s.get().status().equals("FAILED")) {
                        violations.add("the final snapshot " + s.get().id() + " of blue's database " + retired + " is "
                                + s.get().status() + " holding write " + s.get().dataVersion() + ", not the last "
                                + app.lastWrite);
                    } else if (!report.contains(s.get().id())) {
                        violations.add(
                                "the final snapshot " + s.get().id() + " of " + retired + " is not in the report");
                    }
                });

        // 4. Nothing deleted that the run did not create: no volume but the run's own is deleted through the API
        //    (blue's and every stack's own go only with their stack); under rds-blue-green the database under blue's
        //    name never (blue's is retired as -old1); the promoted replica never once users reached it.
        Set<String> tagged = Set.copyOf(tagged("volume"));
        for (Happening h : history) {
            if (h.kind().equals("volume") && h.what().equals("DELETED") && !tagged.contains(h.id())) {
                violations.add("volume " + h.id() + (h.id().equals(app.volume()) ? " (blue's)" : " (a stack's own)")
                        + " was deleted at " + h.at() + " on its own, not with its stack: not the run's to delete");
            }
            if (!replica
                    && h.kind().equals("database")
                    && h.id().equals(db)
                    && h.what().equals("DELETE_REQUESTED")) {
                violations.add("the database under blue's name " + db + " was deleted at " + h.at()
                        + (tookOver.map(t -> !h.at().isBefore(t)).orElse(false) ? " (green's, switched over)" : ""));
            }
            if (replica
                    && replicaId.map(h.id()::equals).orElse(false)
                    && h.what().equals("DELETE_REQUESTED")
                    && switched.map(s -> h.at().isAfter(s)).orElse(false)
                    && !end.map(e -> e.status() == RunStatus.ROLLED_BACK).orElse(false)) {
                violations.add("the promoted replica " + h.id() + ", green's database, was deleted at " + h.at()
                        + " after users reached it");
            }
        }

        if (end.isEmpty() || !end.get().status().terminal()) {
            return;
        }
        RunState e = end.get();
        boolean completed = e.status() == RunStatus.COMPLETED;
        // Users on green (a cutover that completed, or whose decommission failed): green's database and volume in use.
        boolean onGreen = (completed || e.status() == RunStatus.FAILED)
                && usersOn(c, app, plan).map(app.greenStack()::equals).orElse(false);

        // 5. A failure before green's database took over leaves blue's database as it was (every write, writable,
        //    not deleted) and blue's volume on blue.
        if (tookOver.isEmpty()) {
            paths.add("ended before " + (replica ? "the promotion" : "the switchover"));
            Optional<SimulatedCloud.SimDatabase> blue = c.database(Kind.INSTANCE, db);
            if (blue.isEmpty() || blue.get().status() == DatabaseProvider.Status.DELETING) {
                violations.add(
                        "ended (" + e.status() + ") before the switchover, but blue's database " + db + " is gone");
            } else if (blue.get().dataVersion() != app.lastWrite) {
                violations.add("blue's database " + db + " holds write "
                        + blue.get().dataVersion() + ", not the application's last " + app.lastWrite);
            } else if (c.blueGreenModel().readOnly(db) || c.replicaModel().readOnly(db)) {
                violations.add("blue's database " + db + " is left read-only");
            }
            if (c.stack(app.blueStack()).isPresent()
                    && c.volumeModel()
                            .volume(app.volume())
                            .flatMap(VolumeSimulation.View::instance)
                            .isEmpty()) {
                violations.add("blue's volume " + app.volume() + " is no longer attached to blue");
            }
        }

        // 6. After a rollback (or the switch's undo), users are where they were: the listener forwards to blue's
        //    target group exactly as before; DNS as before is CampaignJudge's.
        StepId move = StepId.of(lb ? "switch-target-group" : "switch-dns");
        boolean movedBack = e.status() == RunStatus.ROLLED_BACK
                || e.steps().containsKey(move.value()) && e.step(move).status() == StepStatus.COMPENSATED;
        if (lb && movedBack) {
            Optional<LoadBalancerProvider.Forward> now = c.forwardChanges().stream()
                    .filter(x -> x.listener().equals(World.listener(app)))
                    .map(SimulatedCloud.ForwardChange::forward)
                    .reduce((a, b) -> b);
            LoadBalancerProvider.Forward before = LoadBalancerProvider.Forward.to(World.blueTargetGroup(app));
            if (now.isPresent() && !now.get().equals(before)) {
                violations.add("after the rollback, the listener forwards "
                        + now.get().weights() + ", not as before " + before.weights());
            }
            if (switched.isPresent()) {
                paths.add("listener moved back to blue");
            }
        }
        if (completed && lb && !c.listenerShares(World.listener(app)).equals(Map.of(app.greenStack(), 100))) {
            violations.add("the cutover completed but the listener sends " + c.listenerShares(World.listener(app)));
        }

        // 7. Every deployment, replica and volume the run created is deleted, in use, or named in the report.
        for (String id : ids("blue-green-deployment")) {
            boolean exists = c.blueGreenModel().deployments().stream().anyMatch(d -> d.id().equals(id));
            // Switched over, it pairs blue's old database: decommission deletes it before retiring that one.
            boolean bluesOld = tookOver.isPresent()
                    && c.database(Kind.INSTANCE, retired)
                            .filter(d -> d.status() != DatabaseProvider.Status.DELETING)
                            .isPresent();
            if (exists && !bluesOld && !report.contains(id)) {
                violations.add("blue/green deployment " + id + " is left, and the report does not name it ("
                        + e.status() + ")");
            }
        }
        if (!replica) {
            // Green's database of a deployment never switched over: deleted with it, or named.
            c.allDatabases().stream()
                    .filter(d -> d.id().startsWith(db + "-green-") && d.status() != DatabaseProvider.Status.DELETING)
                    .filter(d -> !report.contains(d.id())
                            && deployment.map(x -> !report.contains(x)).orElse(true))
                    .forEach(d -> violations.add("green's database " + d.id() + " of the deployment is left, and the "
                            + "report names neither it nor its deployment (" + e.status() + ")"));
        }
        replicaId.ifPresent(id -> c.database(Kind.INSTANCE, id)
                .filter(d -> d.status() != DatabaseProvider.Status.DELETING)
                .ifPresent(d -> {
                    boolean used = onGreen && tookOver.isPresent();
                    if (!used && !report.contains(id)) {
                        violations.add("read replica " + id + " is left, and the report does not name it (" + e.status()
                                + ")");
                    }
                }));
        for (String id : tagged("volume")) {
            c.volumeModel().volume(id).ifPresent(v -> {
                boolean used = onGreen && v.instance().isPresent();
                if (!used && !report.contains(id)) {
                    violations.add("volume " + id + " (" + v.status() + ") created by replace-volume is left, and the "
                            + "report does not name it (" + e.status() + ")");
                }
            });
        }
    }

    /** When users were first moved to green: the listener's change, or DNS's, as the cloud recorded it. */
    private Optional<Instant> switchedAt() {
        if (lb) {
            String green = World.greenTargetGroup(app);
            return w.cloud.forwardChanges().stream()
                    .filter(x -> x.forward().weights().getOrDefault(green, 0) > 0)
                    .map(SimulatedCloud.ForwardChange::at)
                    .findFirst();
        }
        return w.cloud.dnsChanges().stream()
                .filter(x ->
                        x.record().name().equals(app.host) && x.targetsHealthy().containsKey(app.greenStack()))
                .map(SimulatedCloud.DnsChange::at)
                .findFirst();
    }

    /** Ids of what the run created of {@code kind}. */
    private List<String> ids(String kind) {
        return created.stream()
                .filter(x -> x.kind().equals(kind))
                .map(Creation::id)
                .toList();
    }

    /** Ids of what the run's steps created of {@code kind} (tagged with a step: not a stack's own). */
    private List<String> tagged(String kind) {
        return created.stream()
                .filter(x -> x.kind().equals(kind) && x.tags().containsKey("cutover:step"))
                .map(Creation::id)
                .toList();
    }
}
