package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.engine.CutoverRun;
import io.cutover.engine.IamPolicy;
import io.cutover.plan.Environment;
import io.cutover.plan.Environment.Database.Kind;
import io.cutover.plan.Plan;
import io.cutover.plan.RestoreSettings;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.spi.AddressProvider;
import io.cutover.spi.CloudProvider;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.DnsProvider;
import io.cutover.spi.HttpProbe;
import io.cutover.spi.StackProvider;
import io.cutover.spi.VolumeProvider;
import io.cutover.state.RunStatus;
import io.cutover.step.Arns;
import io.cutover.step.Grant;
import io.cutover.step.kinds.StepKinds;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every call a simulated cutover makes that changes something, on the resources it really named (the stacks,
 * databases, snapshots, volumes and zone of the run), is allowed by a statement of the plan's IAM policy: its
 * action, an ARN pattern that matches the resource, and its {@code aws:RequestTag/...} condition met by the tags
 * the call sends to what it creates (an EC2 call's source, the volume CreateSnapshot or CopyVolumes reads, is
 * authorized without them, as AWS's AmazonEBSCSIDriverPolicy grants CopyVolumes on a source in a statement of its
 * own). moto cannot check resource scoping (IamEnforcedCutoverIT checks actions); this checks the
 * patterns. Reads are granted on {@code *} and are not checked here.
 */
class PolicyCoversTheRunTest {
    private static final String REGION = "us-east-1";
    private static final String ACCOUNT = "000000000000";

    /** A call that needs a right: its action, the resource's ARN, and the tags it sends. */
    record Use(String action, String arn, Map<String, String> tags) {}

    private final Fixture f = new Fixture();
    private final List<Use> uses = Collections.synchronizedList(new ArrayList<>());

    @Test
    void aParallelUpgradeDecommissionedUsesOnlyWhatThePolicyGrants() {
        Plan plan = f.plan();
        CutoverRun run = recordingEngine().start(plan);
        f.runUntil(() -> run.state().step(StepId.of("bake")).status() == io.cutover.state.StepStatus.RUNNING);
        run.approve("bake");
        run.decommission();
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertCovered(plan);
        assertThat(uses)
                .extracting(Use::action)
                .contains(
                        "cloudformation:CreateStack",
                        "cloudformation:DeleteStack",
                        "rds:CreateDBSnapshot",
                        "ec2:CreateSnapshot",
                        "route53:ChangeResourceRecordSets");
    }

    @Test
    void aRolledBackUpgradeUsesOnlyWhatThePolicyGrants() {
        f.cloud.faults().unhealthy("shop-green");
        Plan plan = f.plan();
        CutoverRun run = recordingEngine().start(plan);
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertCovered(plan);
        assertThat(uses).extracting(Use::action).contains("cloudformation:DeleteStack");
    }

    @Test
    void aRestoreAndAnInPlaceUpdateUseOnlyWhatThePolicyGrants() {
        Environment.Database db = f.env.databases().get(0);
        Plan restore = Plan.of(
                "restore-copy",
                f.env,
                List.of(
                        new StepSpec.SnapshotDatabase(StepId.of("snap"), List.of(), db),
                        new StepSpec.RestoreDatabase(
                                StepId.of("restore"),
                                List.of(StepId.of("snap")),
                                db,
                                "${snap.snapshotId}",
                                Optional.empty(),
                                Optional.empty(),
                                RestoreSettings.ofSource()),
                        new StepSpec.UpdateStack(
                                StepId.of("update"),
                                List.of(StepId.of("restore")),
                                f.env.stack(),
                                Optional.empty(),
                                Map.of("AppVersion", "1.1"),
                                Optional.empty())));
        CutoverRun run = recordingEngine().start(restore);
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertCovered(restore);
        assertThat(uses)
                .extracting(Use::action)
                .contains(
                        "rds:RestoreDBInstanceFromDBSnapshot",
                        "cloudformation:CreateChangeSet",
                        "cloudformation:ExecuteChangeSet");
    }

    @Test
    void twoAuroraClonesOneReplacingTheOtherAndRolledBackUseOnlyWhatThePolicyGrants() {
        Environment.Database aurora = new Environment.Database(Kind.CLUSTER, "shop-aurora", false);
        f.cloud.addDatabase(Kind.CLUSTER, aurora.id(), null);
        f.cloud.faults().unhealthy("shop-blue");
        Plan clones = Plan.of(
                "clones",
                f.env.withDatabase(aurora),
                List.of(
                        io.cutover.plan.Steps.cloneDatabase("clone-a")
                                .source(aurora)
                                .build(),
                        io.cutover.plan.Steps.cloneDatabase("clone-b")
                                .dependsOn("clone-a")
                                .source(aurora)
                                .replaces("clone-a")
                                .build(),
                        io.cutover.plan.Steps.verify("verify")
                                .dependsOn("clone-b")
                                .check(StepSpec.Check.Http.of("http://${blue.outputs.Endpoint}/health"))
                                .timeout(java.time.Duration.ofMinutes(2))
                                .build()));
        CutoverRun run = recordingEngine().start(clones);
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertCovered(clones);
        assertThat(uses)
                .extracting(Use::action)
                .contains("rds:RestoreDBClusterToPointInTime", "rds:CreateDBInstance", "rds:DeleteDBCluster");
        assertThat(uses)
                .filteredOn(u -> u.action().startsWith("rds:Delete"))
                .extracting(Use::arn)
                .noneMatch(arn -> arn.endsWith(":shop-aurora"));
    }

    @Test
    void greensDataDiskReplacedByACopyOfBluesThenRolledBackUsesOnlyWhatThePolicyGrants() {
        var green = f.cloud.deploy(
                "shop-green", io.cutover.simulator.CloudSimulation.sampleTemplate(), Map.of("AppVersion", "2.0"));
        f.cloud.faults().unhealthy("shop-green");
        Plan copy = Plan.of(
                "copy-disk",
                f.env,
                List.of(
                        io.cutover.plan.Steps.hook("freeze")
                                .hook("freeze-writes")
                                .undo("unfreeze-writes")
                                .downtime(StepSpec.Downtime.STARTS)
                                .build(),
                        io.cutover.plan.Steps.replaceVolume("replace-disk")
                                .dependsOn("freeze")
                                .volume(green.resource("DataVolume"))
                                .copyOf(f.env.volumes().get(0))
                                .build(),
                        io.cutover.plan.Steps.verify("verify-green")
                                .dependsOn("replace-disk")
                                .check(StepSpec.Check.Http.of("http://shop-green.app.example.com/health"))
                                .timeout(java.time.Duration.ofMinutes(2))
                                .build()));
        CutoverRun run = recordingEngine().start(copy);
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertCovered(copy);
        assertThat(uses)
                .extracting(Use::action)
                .contains("ec2:CopyVolumes", "ec2:AttachVolume", "ec2:DetachVolume", "ec2:DeleteVolume");
        assertThat(uses)
                .filteredOn(u -> u.action().equals("ec2:CopyVolumes"))
                .extracting(Use::arn)
                .contains(volume(f.env.volumes().get(0)), volume("*"));
    }

    /** The read-replica mode: a replica of a database standing alone, promoted after the freeze, or removed. */
    private Plan readReplica(String id) {
        f.cloud.addDatabase(Kind.INSTANCE, "orders-db", null);
        Environment.Database db = new Environment.Database(Kind.INSTANCE, "orders-db", false);
        return Plan.of(
                id,
                f.env.withDatabase(db),
                List.of(
                        io.cutover.plan.Steps.createReadReplica("replica")
                                .database(db)
                                .build(),
                        io.cutover.plan.Steps.hook("freeze")
                                .dependsOn("replica")
                                .hook("freeze-writes")
                                .undo("unfreeze-writes")
                                .downtime(StepSpec.Downtime.STARTS)
                                .build(),
                        io.cutover.plan.Steps.promoteReadReplica("promote")
                                .dependsOn("freeze")
                                .replica("${replica.databaseId}")
                                .build()));
    }

    @Test
    void aReadReplicaPromotedOrRemovedUsesOnlyWhatThePolicyGrants() {
        Plan promoted = readReplica("rr-promoted");
        CutoverRun run = recordingEngine().start(promoted);
        f.sim.runUntilSettled(run);
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertCovered(promoted);
        assertThat(uses).extracting(Use::action).contains("rds:CreateDBInstanceReadReplica", "rds:PromoteReadReplica");

        uses.clear();
        Plan removed = readReplica("rr-removed");
        CutoverRun second = recordingEngine().start(removed);
        f.sim.scheduler()
                .runWhile(() ->
                        second.state().step(StepId.of("freeze")).status() != io.cutover.state.StepStatus.SUCCEEDED);
        f.cloud.replicaModel().breakReplication("rr-removed-replica", "error: stopped");
        f.sim.runUntilSettled(second);
        assertThat(second.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertCovered(removed);
        assertThat(uses)
                .extracting(Use::action)
                .contains("rds:DeleteDBInstance")
                .doesNotContain("rds:PromoteReadReplica");
    }

    private void assertCovered(Plan plan) {
        IamPolicy policy = IamPolicy.of(plan, StepKinds.builtIn(), Arns.of(REGION, ACCOUNT));
        assertThat(uses).isNotEmpty();
        for (Use u : uses) {
            List<Grant> withAction = policy.grants().stream()
                    .filter(g -> g.actions().stream().anyMatch(a -> matches(a, u.action())))
                    .toList();
            assertThat(withAction)
                    .as("%s on %s: no statement of the policy grants it:%n%s", u.action(), u.arn(), policy.toJson())
                    .anySatisfy(g -> {
                        assertThat(g.resources())
                                .anySatisfy(pattern -> assertThat(matches(pattern, u.arn()))
                                        .as("%s matches %s", pattern, u.arn())
                                        .isTrue());
                        for (Grant.Condition c : g.conditions()) {
                            if (c.key().startsWith("aws:RequestTag/")) {
                                assertThat(u.tags().get(c.key().substring("aws:RequestTag/".length())))
                                        .as("%s sends tag %s", u.action(), c.key())
                                        .isIn(c.values());
                            }
                        }
                    });
        }
    }

    /** IAM's wildcards: {@code *} any run of characters, {@code ?} one. */
    private static boolean matches(String pattern, String value) {
        StringBuilder re = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            re.append(ch == '*' ? ".*" : ch == '?' ? "." : Pattern.quote(String.valueOf(ch)));
        }
        return Pattern.compile(re.toString()).matcher(value).matches();
    }

    // ---- recording the calls --------------------------------------------------------------------------------

    private io.cutover.engine.Engine recordingEngine() {
        return io.cutover.engine.Engine.builder()
                .cloud(recording(f.cloud))
                .stateStore(f.sim.store())
                .scheduler(f.sim.scheduler().scope())
                .hooks(f.hooks)
                .build();
    }

    private static String rds(String type, String name) {
        return "arn:aws:rds:" + REGION + ":" + ACCOUNT + ":" + type + ":" + name;
    }

    private static String stack(String name) {
        return "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT + ":stack/" + name
                + "/4f1e2d3c-0000-0000-0000-000000000000";
    }

    private static String volume(String id) {
        return "arn:aws:ec2:" + REGION + ":" + ACCOUNT + ":volume/" + id;
    }

    @SuppressWarnings("unchecked")
    private void record(String method, Object[] a) {
        switch (method) {
            case "create" -> {
                if (a[0] instanceof StackProvider.StackRequest r) {
                    uses.add(new Use("cloudformation:CreateStack", stack(r.stackName()), r.tags()));
                } else if (a.length == 3 && a[2] instanceof Map<?, ?> tags) {
                    // ReplicaProvider.create(replica, source, tags): authorized on both instances.
                    String action = "rds:CreateDBInstanceReadReplica";
                    uses.add(new Use(action, rds("db", (String) a[0]), (Map<String, String>) tags));
                    uses.add(new Use(action, rds("db", (String) a[1]), (Map<String, String>) tags));
                    uses.add(new Use("rds:AddTagsToResource", rds("db", (String) a[0]), Map.of()));
                }
            }
            case "promote" -> uses.add(new Use("rds:PromoteReadReplica", rds("db", (String) a[0]), Map.of()));
            case "createChangeSet" ->
                uses.add(new Use(
                        "cloudformation:CreateChangeSet",
                        stack(((StackProvider.StackRequest) a[0]).stackName()),
                        Map.of()));
            case "executeChangeSet" ->
                uses.add(new Use("cloudformation:ExecuteChangeSet", stack((String) a[0]), Map.of()));
            case "delete" -> {
                if (a[0] instanceof String name) {
                    uses.add(new Use("cloudformation:DeleteStack", stack(name), Map.of()));
                } else {
                    Kind k = (Kind) a[0];
                    uses.add(
                            k == Kind.CLUSTER
                                    ? new Use("rds:DeleteDBCluster", rds("cluster", (String) a[1]), Map.of())
                                    : new Use("rds:DeleteDBInstance", rds("db", (String) a[1]), Map.of()));
                    if (k == Kind.CLUSTER) {
                        // The adapter deletes the cluster's instances first (the simulated cloud names one, <id>-1).
                        uses.add(new Use("rds:DeleteDBInstance", rds("db", a[1] + "-1"), Map.of()));
                    }
                }
            }
            case "createSnapshot" -> {
                if (a[0] instanceof Kind k) {
                    boolean cluster = k == Kind.CLUSTER;
                    String action = cluster ? "rds:CreateDBClusterSnapshot" : "rds:CreateDBSnapshot";
                    Map<String, String> tags = (Map<String, String>) a[3];
                    uses.add(new Use(action, rds(cluster ? "cluster" : "db", (String) a[1]), tags));
                    uses.add(new Use(action, rds(cluster ? "cluster-snapshot" : "snapshot", (String) a[2]), tags));
                } else {
                    // The volume is the call's source: the request's tags are not for it.
                    uses.add(new Use("ec2:CreateSnapshot", volume((String) a[0]), Map.of()));
                }
            }
            case "restore" -> {
                DatabaseProvider.RestoreRequest r = (DatabaseProvider.RestoreRequest) a[0];
                boolean cluster = r.kind() == Kind.CLUSTER;
                String action = cluster ? "rds:RestoreDBClusterFromSnapshot" : "rds:RestoreDBInstanceFromDBSnapshot";
                uses.add(new Use(action, rds(cluster ? "cluster" : "db", r.newDatabaseId()), r.tags()));
                uses.add(new Use(action, rds(cluster ? "cluster-snapshot" : "snapshot", r.snapshotId()), r.tags()));
            }
            case "cloneCluster" -> {
                DatabaseProvider.CloneRequest r = (DatabaseProvider.CloneRequest) a[0];
                String action = "rds:RestoreDBClusterToPointInTime";
                uses.add(new Use(action, rds("cluster", r.sourceClusterId()), r.tags()));
                uses.add(new Use(action, rds("cluster", r.newClusterId()), r.tags()));
                uses.add(new Use("rds:CreateDBInstance", rds("cluster", r.newClusterId()), r.tags()));
                uses.add(new Use("rds:CreateDBInstance", rds("db", r.newClusterId() + "-1"), r.tags()));
                uses.add(new Use("rds:AddTagsToResource", rds("cluster", r.newClusterId()), r.tags()));
                uses.add(new Use("rds:AddTagsToResource", rds("db", r.newClusterId() + "-1"), r.tags()));
            }
            case "copyVolume" -> {
                // Authorized on the source (without the request's tags) and on the copy to be (volume/*, with them).
                VolumeProvider.VolumeCopy c = (VolumeProvider.VolumeCopy) a[0];
                uses.add(new Use("ec2:CopyVolumes", volume(c.sourceVolumeId()), Map.of()));
                uses.add(new Use("ec2:CopyVolumes", volume("*"), c.tags()));
                uses.add(new Use("ec2:CreateTags", volume("*"), c.tags()));
            }
            case "attachVolume", "detachVolume" -> {
                String action = method.equals("attachVolume") ? "ec2:AttachVolume" : "ec2:DetachVolume";
                uses.add(new Use(action, volume((String) a[0]), Map.of()));
                uses.add(new Use(action, "arn:aws:ec2:" + REGION + ":" + ACCOUNT + ":instance/" + a[1], Map.of()));
            }
            case "deleteVolume" -> uses.add(new Use("ec2:DeleteVolume", volume((String) a[0]), Map.of()));
            case "upsert", "replace", "changeAll" ->
                uses.add(new Use("route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/" + a[0], Map.of()));
            case "associate" ->
                uses.add(new Use(
                        "ec2:AssociateAddress",
                        "arn:aws:ec2:" + REGION + ":" + ACCOUNT + ":elastic-ip/" + a[0],
                        Map.of()));
            default -> {
                // reads, granted on *
            }
        }
    }

    private <T> T wrap(Class<T> type, T target) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            Object[] a = args == null ? new Object[0] : args;
            record(m.getName(), a);
            try {
                return m.invoke(target, a);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }

    private CloudProvider recording(CloudProvider c) {
        StackProvider stacks = wrap(StackProvider.class, c.stacks());
        DatabaseProvider databases = wrap(DatabaseProvider.class, c.databases());
        VolumeProvider volumes = wrap(VolumeProvider.class, c.volumes());
        DnsProvider dns = wrap(DnsProvider.class, c.dns());
        AddressProvider addresses = wrap(AddressProvider.class, c.addresses());
        io.cutover.spi.ReplicaProvider replicas = wrap(io.cutover.spi.ReplicaProvider.class, c.replicas());
        return new CloudProvider() {
            @Override
            public StackProvider stacks() {
                return stacks;
            }

            @Override
            public DatabaseProvider databases() {
                return databases;
            }

            @Override
            public VolumeProvider volumes() {
                return volumes;
            }

            @Override
            public DnsProvider dns() {
                return dns;
            }

            @Override
            public AddressProvider addresses() {
                return addresses;
            }

            // The plans here switch DNS and restore from snapshots: a call to a load balancer or an RDS blue/green
            // deployment is not mapped to its IAM action yet, so it fails the test instead of passing unchecked.
            @Override
            public io.cutover.spi.LoadBalancerProvider loadBalancers() {
                throw new AssertionError("load balancer calls are not recorded by this test");
            }

            @Override
            public io.cutover.spi.BlueGreenProvider blueGreen() {
                throw new AssertionError("RDS blue/green calls are not recorded by this test");
            }

            @Override
            public io.cutover.spi.ReplicaProvider replicas() {
                return replicas;
            }

            @Override
            public io.cutover.spi.AlarmProvider alarms() {
                return c.alarms();
            }

            @Override
            public io.cutover.spi.NotificationProvider notifications() {
                return c.notifications();
            }

            @Override
            public io.cutover.spi.CommandProvider commands() {
                throw new AssertionError("Run Command calls are not recorded by this test");
            }

            @Override
            public HttpProbe http() {
                return c.http();
            }
        };
    }
}
