package io.cutover.bench;

import io.cutover.engine.CutoverRun;
import io.cutover.event.CutoverEvent;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.simulator.SimulatedCloud;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The campaign's invariants, judged at the end of one seed against the simulated cloud's own record (its
 * history of happenings and creations), not against the engine's bookkeeping; what one seed saw.
 */
final class CampaignJudge {
    private final long seed;
    private final Consumer<String> trace;
    private final List<String> faults;
    private final List<CutoverEvent> events;
    private final List<CampaignRun.Commit> commits;
    private final Map<String, Instant> succeededAt;
    private final List<String> violations;
    private final java.util.Set<String> paths;
    /** Where the record pointed before the cutover: what a rollback must put back exactly. */
    private final List<io.cutover.spi.DnsProvider.RecordSet> before;

    CampaignJudge(
            long seed,
            Consumer<String> trace,
            List<String> faults,
            List<CutoverEvent> events,
            List<CampaignRun.Commit> commits,
            Map<String, Instant> succeededAt,
            List<String> violations,
            java.util.Set<String> paths,
            List<io.cutover.spi.DnsProvider.RecordSet> before) {
        this.seed = seed;
        this.trace = trace;
        this.faults = faults;
        this.events = events;
        this.commits = commits;
        this.succeededAt = succeededAt;
        this.violations = violations;
        this.paths = paths;
        this.before = before;
    }

    CampaignRun.Result result(
            World w,
            World.App app,
            Plan plan,
            String outcome,
            Optional<RunState> end,
            CutoverRun last,
            Instant t0,
            int crashes,
            int resumes) {
        SimulatedCloud c = w.cloud;
        List<SimulatedCloud.Happening> history = c.history();
        List<SimulatedCloud.Creation> created =
                c.creations().stream().filter(x -> !x.at().isBefore(t0)).toList();
        String report = end.map(e -> String.join("\n", e.reportLines())).orElse("");
        // 1. Blue's data is deleted only after a final snapshot of it, taken after writes stopped, was
        //    available; the snapshot still exists and the cutover's report names it. Judged by the cloud's record.
        CampaignPlans.Sync sync = CampaignPlans.sync(seed);
        // After an RDS blue/green switchover, blue's database is '<id>-old1' (and blue's name is green's).
        String retired = sync == CampaignPlans.Sync.RDS_BLUE_GREEN ? app.database() + "-old1" : app.database();
        Optional<Instant> blueDeleted = history.stream()
                .filter(h -> h.what().equals("DELETE_REQUESTED")
                        && (h.id().equals(app.blueStack()) || h.id().equals(retired)))
                .map(SimulatedCloud.Happening::at)
                .min(Instant::compareTo);
        Optional<StepId> switchStep = CampaignRun.switchStep(plan);
        boolean inPlace = switchStep.isEmpty();
        if (inPlace) {
            paths.add("in-place update");
            blueDeleted.ifPresent(at -> violations.add(
                    "an in-place update deleted blue (" + app.blueStack() + " or " + app.database() + ") at " + at));
        } else if (blueDeleted.isPresent()) {
            paths.add("blue deleted (decommission)");
            Instant deleted = blueDeleted.get();
            // A database standing alone (the blue/green modes) is deleted with RDS's own final snapshot, taken by the
            // delete call itself: SyncJudge judges that one.
            Optional<SimulatedCloud.SimSnapshot> dbFinal = sync == CampaignPlans.Sync.SNAPSHOT_RESTORE
                    ? finalSnapshot(
                            c.databaseSnapshots(), app.database(), "AVAILABLE", history, deleted, report, created)
                    : Optional.empty();
            dbFinal.ifPresentOrElse(
                    s -> {
                        if (s.dataVersion() != app.lastWrite) {
                            violations.add("the final snapshot " + s.id() + " of blue's database holds write "
                                    + s.dataVersion() + ", not the last write " + app.lastWrite
                                    + ": taken before writes stopped");
                        }
                    },
                    () -> {});
            finalSnapshot(c.volumeSnapshots(), app.volume(), "COMPLETED", history, deleted, report, created)
                    .ifPresent(s -> {
                        Instant taken = created.stream()
                                .filter(x -> x.id().equals(s.id()))
                                .map(SimulatedCloud.Creation::at)
                                .findFirst()
                                .orElse(Instant.MIN);
                        if (app.frozenAt == null || taken.isBefore(app.frozenAt)) {
                            violations.add("the final snapshot " + s.id() + " of blue's volume was taken at " + taken
                                    + ", before writes stopped (" + app.frozenAt + ")");
                        }
                    });
        }
        // 2. DNS only ever on a green that was healthy at that moment (the cloud's truth), and after the
        //    verification it depends on was saved as passed.
        List<StepId> verifies =
                switchStep.map(x -> plan.stepOrThrow(x).dependsOn()).orElse(List.of());
        boolean onGreen = false;
        for (SimulatedCloud.DnsChange ch : c.dnsChanges()) {
            if (!ch.record().name().equals(app.host)
                    || ch.record().weight().map(x -> x == 0).orElse(false)) {
                continue;
            }
            ch.targetsHealthy().forEach((stack, healthy) -> {
                if (!healthy) {
                    violations.add("DNS pointed " + app.host + " at " + stack + " at " + ch.at()
                            + " while its application was unhealthy");
                }
            });
            if (inPlace) {
                violations.add("an in-place update changed " + app.host + "'s DNS at " + ch.at());
            }
            if (!ch.targetsHealthy().containsKey(app.greenStack())) {
                continue;
            }
            onGreen = true;
            // Judged by the saved state, not by events: a process may die between saving a success and telling.
            boolean verified = verifies.stream()
                    .allMatch(v -> succeededAt.containsKey(v.value())
                            && !succeededAt.get(v.value()).isAfter(ch.at()));
            if (!verified) {
                violations.add("DNS pointed " + app.host + " at " + app.greenStack() + " at " + ch.at()
                        + " before green passed " + verifies);
            }
        }
        // ... and the listener moved to green's target group only after the verification was saved as passed.
        if (SyncJudge.loadBalancer(plan)) {
            String greenGroup = World.greenTargetGroup(app);
            for (SimulatedCloud.ForwardChange ch : c.forwardChanges()) {
                boolean verified = verifies.stream()
                        .allMatch(v -> succeededAt.containsKey(v.value())
                                && !succeededAt.get(v.value()).isAfter(ch.at()));
                if (ch.forward().weights().getOrDefault(greenGroup, 0) > 0 && !verified) {
                    violations.add("the listener forwarded to " + app.greenStack() + "'s target group at " + ch.at()
                            + " before green passed " + verifies);
                }
            }
        }
        // 3. Nothing created twice: one resource per role (plan, step, what it is a final snapshot of), whatever
        //    its name.
        Map<String, List<String>> byRole = new java.util.TreeMap<>();
        for (SimulatedCloud.Creation x : created) {
            if (!x.tags().containsKey("cutover:step")) {
                continue;
            }
            String role = x.kind() + " of plan " + x.tags().get("cutover:plan") + ", step "
                    + x.tags().get("cutover:step")
                    + Optional.ofNullable(x.tags().get("cutover:final-snapshot-of"))
                            .map(o -> ", final snapshot of " + o)
                            .orElse("");
            byRole.computeIfAbsent(role, k -> new ArrayList<>()).add(x.id());
        }
        byRole.forEach((role, ids) -> {
            if (ids.size() > 1) {
                violations.add(role + " created " + ids.size() + " times: " + ids);
            }
        });
        Map<String, Long> stacks = created.stream()
                .filter(x -> x.kind().equals("stack"))
                .collect(Collectors.groupingBy(SimulatedCloud.Creation::id, Collectors.counting()));
        stacks.forEach((name, n) -> {
            if (n > 1) {
                violations.add("stack " + name + " created " + n + " times");
            }
        });
        // 4. Never two processes writing one cutover's state: once a process has saved, no earlier one does.
        int newest = 0;
        for (CampaignRun.Commit k : commits) {
            if (k.process() < newest) {
                violations.add("process " + k.process() + " saved the state (version " + k.version()
                        + ") after process " + newest + " had taken over");
                break;
            }
            newest = Math.max(newest, k.process());
        }
        if (end.isPresent()) {
            RunState e = end.get();
            // 5. Liveness: every cutover settles (ends, or waits at a gate for a person) within the horizon.
            if (!e.status().terminal() && e.status() != RunStatus.WAITING) {
                violations.add("the cutover did not settle within " + CampaignRun.HORIZON.toHours() + " h: "
                        + e.status() + " "
                        + e.steps().entrySet().stream()
                                .filter(x -> x.getValue().status() != io.cutover.state.StepStatus.SUCCEEDED
                                        && x.getValue().status() != io.cutover.state.StepStatus.PENDING)
                                .map(x -> x.getKey() + "=" + x.getValue().status())
                                .toList());
            }
            // 6. Persistence: the stored state is the state the engine ended with.
            if (last != null) {
                RunState mine = last.state();
                if (!mine.equals(e)) {
                    violations.add("the stored state (version " + e.version() + ", " + e.status()
                            + ") is not the engine's final state (version " + mine.version() + ", " + mine.status()
                            + ")");
                }
            }
            // 7. After a rollback, blue exactly as before: DNS target and TTL, and writes flowing again.
            if (e.status() == RunStatus.ROLLED_BACK) {
                paths.add(
                        inPlace
                                ? "rolled back an in-place update"
                                : onGreen ? "rolled back after the switch" : "rolled back before the switch");
                String version = c.stack(app.blueStack())
                        .map(x -> x.parameters().get("AppVersion"))
                        .orElse("no stack");
                if (!version.equals("1.0")) {
                    violations.add("after the rollback, blue's stack runs version " + version + ", not 1.0");
                }
                List<io.cutover.spi.DnsProvider.RecordSet> now = c.records(World.ZONE).stream()
                        .filter(x -> x.name().equals(app.host))
                        .filter(x -> x.weight().map(wt -> wt > 0).orElse(true))
                        .toList();
                boolean weighted = now.stream().anyMatch(x -> x.weight().isPresent());
                String blueEndpoint = before.get(0).target();
                boolean same = weighted
                        ? now.stream()
                                .allMatch(x -> x.target().equals(blueEndpoint)
                                        && x.ttl() == before.get(0).ttl())
                        : now.equals(before);
                if (!same) {
                    violations.add("after the rollback, " + app.host + " is " + now + ", not as before " + before);
                }
                // A rollback never deletes a backup of blue: every snapshot the cutover took still exists.
                for (SimulatedCloud.Creation x : created) {
                    boolean gone = switch (x.kind()) {
                        case "database-snapshot" ->
                            c.databaseSnapshots().stream().noneMatch(s -> s.id().equals(x.id()));
                        case "volume-snapshot" -> c.volumeSnapshots().stream().noneMatch(s -> s.id().equals(x.id()));
                        default -> false;
                    };
                    if (gone) {
                        violations.add("the rollback deleted " + x.kind() + " " + x.id() + ", a backup of blue");
                    }
                }
                if (app.frozen || !app.writing) {
                    violations.add("after the rollback, blue's writes are still frozen");
                }
            }
            if (e.status() == RunStatus.COMPLETED && inPlace) {
                String version = c.stack(app.blueStack())
                        .map(x -> x.parameters().get("AppVersion"))
                        .orElse("no stack");
                if (!version.equals("2.0")
                        || !c.stackBehind(app.host).map(app.blueStack()::equals).orElse(false)) {
                    violations.add("the in-place update completed but " + app.host + " leads to "
                            + c.stackBehind(app.host).orElse("nothing") + " at version " + version);
                }
            } else if (e.status() == RunStatus.COMPLETED) {
                Optional<String> usersOn = SyncJudge.usersOn(c, app, plan);
                if (!usersOn.map(app.greenStack()::equals).orElse(false)) {
                    violations.add(
                            "the cutover completed but users (" + app.host + ") reach " + usersOn.orElse("nothing"));
                }
            }
            e.steps().forEach((id, st) -> {
                if (id.startsWith("decommission") && st.status() == io.cutover.state.StepStatus.FAILED) {
                    paths.add("decommission failed");
                }
            });
        }
        // 8. Every resource green created is in use, removed, or reported (once the cutover has ended).
        if (end.isPresent() && end.get().status().terminal()) {
            List<SimulatedCloud.SimStack> live = c.allStacks();
            String inUse = SyncJudge.usersOn(c, app, plan).orElse("");
            for (SimulatedCloud.Creation x : created) {
                boolean exists;
                boolean used;
                switch (x.kind()) {
                    case "stack" -> {
                        exists = c.stack(x.id()).isPresent();
                        used = x.id().equals(inUse);
                    }
                    case "database-snapshot" -> {
                        exists = c.databaseSnapshots().stream().anyMatch(s -> s.id().equals(x.id()));
                        used = live.stream()
                                .anyMatch(s ->
                                        s.name().equals(inUse) && s.parameters().containsValue(x.id()));
                    }
                    case "volume-snapshot" -> {
                        exists = c.volumeSnapshots().stream().anyMatch(s -> s.id().equals(x.id()));
                        used = live.stream()
                                .anyMatch(s ->
                                        s.name().equals(inUse) && s.parameters().containsValue(x.id()));
                    }
                    default -> {
                        continue; // databases and volumes inside stacks live and die with their stack
                    }
                }
                if (exists && !used && !report.contains(x.id())) {
                    violations.add(
                            x.kind() + " " + x.id() + " created by the cutover is neither in use, removed nor reported"
                                    + " (status " + end.get().status() + ")");
                }
            }
        }
        // 9. The application's database never refused its writes (deleted, read-only or unavailable under it).
        if (app.refused != null) {
            violations.add("the application's write to " + app.database() + " was refused at " + app.refused);
        }
        // 10. The blue/green modes' own invariants.
        if (sync != CampaignPlans.Sync.SNAPSHOT_RESTORE) {
            new SyncJudge(w, app, sync, plan, report, created, violations, paths).judge(end);
        }
        if (faults.stream().anyMatch(x -> x.startsWith("answer lost"))
                && c.faults().injected() > 0) {
            paths.add("an answer lost");
        }
        if (!skewed().isEmpty()) {
            paths.add("clock skew");
        }
        violations.forEach(v -> trace.accept("VIOLATION: " + v));
        return new CampaignRun.Result(
                seed,
                List.copyOf(faults),
                crashes,
                resumes,
                outcome,
                List.copyOf(violations),
                w.cloud.faults().injected(),
                java.util.Set.copyOf(paths));
    }

    private List<String> skewed() {
        return faults.stream().filter(x -> x.startsWith("clock skew")).toList();
    }

    /**
     * The final snapshot of {@code source}, as the cloud has it, checked: it exists, is {@code ready}, became so
     * no later than {@code deleted} (when blue's deletion was asked for), and the report names it.
     */
    private Optional<SimulatedCloud.SimSnapshot> finalSnapshot(
            List<SimulatedCloud.SimSnapshot> snapshots,
            String source,
            String ready,
            List<SimulatedCloud.Happening> history,
            Instant deleted,
            String report,
            List<SimulatedCloud.Creation> created) {
        List<String> finals = created.stream()
                .filter(x -> source.equals(x.tags().get("cutover:final-snapshot-of")))
                .map(SimulatedCloud.Creation::id)
                .toList();
        Optional<SimulatedCloud.SimSnapshot> s = snapshots.stream()
                .filter(x -> finals.contains(x.id()) && x.status().equals(ready))
                .findFirst();
        if (s.isEmpty()) {
            violations.add("blue's " + source + " was deleted (asked at " + deleted + ") without a final snapshot "
                    + ready + " (final snapshots taken: " + finals + ")");
            return s;
        }
        Optional<Instant> readyAt = history.stream()
                .filter(h -> h.id().equals(s.get().id()) && h.what().equals(ready))
                .map(SimulatedCloud.Happening::at)
                .findFirst();
        if (readyAt.isEmpty() || readyAt.get().isAfter(deleted)) {
            violations.add("blue's " + source + " was deleted at " + deleted + " before its final snapshot "
                    + s.get().id() + " was " + ready + " (at " + readyAt.orElse(null) + ")");
        }
        if (!report.contains(s.get().id())) {
            violations.add("the final snapshot " + s.get().id() + " of " + source + " is not in the report");
        }
        return s;
    }
}
