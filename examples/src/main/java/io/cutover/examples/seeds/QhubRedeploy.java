package io.cutover.examples.seeds;

import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.plan.StepSpec.Downtime;
import io.cutover.state.RunState;
import io.cutover.step.Hooks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Seed 001, QHub v0.3.14 to v0.4: a redeployment for breaking changes. Back up the data; refuse to deploy
 * until the backup is confirmed (QHub's {@code prevent_deploy}); move the old deployment to a hidden
 * hostname; migrate the configuration, keeping the original; deploy under a new project name so no
 * resource names clash, restoring the data; move the hostname; re-point OAuth callbacks and import the
 * users; destroy the old cluster once all is confirmed.
 */
public final class QhubRedeploy {
    private QhubRedeploy() {}

    public static Environment environment() {
        return Environment.of("qhub-prod", "myqhub")
                .withDatabase(Environment.Database.instance("myqhub-hubdatabase"))
                .withVolume("vol-0a1b2c3d4e5f60718")
                .withDns(Environment.DnsRecord.of("Z0QHUB", "qhub.example.com", "CNAME"));
    }

    public static Plan plan() {
        Environment env = environment();
        var health = List.<StepSpec.Check>of(StepSpec.Check.Http.of("https://${green.outputs.Endpoint}/hub/health"));
        return Plan.of(
                "qhub-0-4",
                env,
                List.of(
                        new StepSpec.SnapshotDatabase(
                                StepId.of("backup-db"),
                                List.of(),
                                env.databases().get(0)),
                        new StepSpec.SnapshotVolume(
                                StepId.of("backup-nfs"),
                                List.of(),
                                env.volumes().get(0)),
                        new StepSpec.Approval(
                                StepId.of("prevent-deploy"),
                                ids("backup-db", "backup-nfs"),
                                "confirm the backups (database ${backup-db.snapshotId}, NFS ${backup-nfs.snapshotId}) before anything "
                                        + "is deployed"),
                        new StepSpec.UpdateStack(
                                StepId.of("hide-old"),
                                ids("prevent-deploy"),
                                env.stack(),
                                Optional.empty(),
                                Map.of("Domain", "qhub-old.example.com"),
                                Optional.empty()),
                        new StepSpec.Hook(
                                StepId.of("migrate-config"),
                                ids("prevent-deploy"),
                                "migrate-config",
                                Optional.of("restore-config"),
                                Downtime.NONE,
                                "qhub upgrade: migrate qhub-config.yaml, keeping qhub-config.yaml.old.backup"),
                        new StepSpec.CloneStack(
                                StepId.of("deploy-new"),
                                ids("hide-old", "migrate-config"),
                                "myqhubnew",
                                StepSpec.TemplateRef.ofBody(SeedWorld.template("qhub-stack.json")),
                                Map.of(
                                        "ProjectName",
                                        "myqhubnew",
                                        "Domain",
                                        "qhub.example.com",
                                        "QhubVersion",
                                        "0.4.0",
                                        "KubernetesVersion",
                                        "1.23",
                                        "DBSnapshotIdentifier",
                                        "${backup-db.snapshotId}",
                                        "DataSnapshotId",
                                        "${backup-nfs.snapshotId}"),
                                true,
                                Map.of(),
                                List.of()),
                        new StepSpec.Verify(
                                StepId.of("verify-new"), ids("deploy-new"), health, Duration.ofMinutes(20), null),
                        new StepSpec.SwitchDns(
                                StepId.of("switch-dns"),
                                ids("verify-new"),
                                Optional.empty(),
                                "${green.outputs.Endpoint}",
                                List.of(),
                                Optional.empty(),
                                null,
                                List.of()),
                        new StepSpec.Hook(
                                StepId.of("repoint-oauth"),
                                ids("switch-dns"),
                                "repoint-oauth",
                                Optional.empty(),
                                Downtime.NONE,
                                "re-point the OAuth callback URLs at the new cluster"),
                        new StepSpec.Hook(
                                StepId.of("import-users"),
                                ids("repoint-oauth"),
                                "import-users",
                                Optional.empty(),
                                Downtime.NONE,
                                "import the users into Keycloak"),
                        new StepSpec.Bake(
                                StepId.of("confirm-upgrade"), ids("import-users"), Duration.ofHours(72), health, null),
                        new StepSpec.Decommission(StepId.of("destroy-old"), ids("confirm-upgrade"), List.of())));
    }

    static List<StepId> ids(String... ids) {
        return java.util.Arrays.stream(ids).map(StepId::of).toList();
    }

    public static Hooks hooks(SeedWorld world) {
        Hooks.Builder b = Hooks.builder();
        for (String h : List.of("migrate-config", "restore-config", "repoint-oauth", "import-users")) {
            b.hook(h, world.recorded(h));
        }
        return b.build();
    }

    public static RunState run(SeedWorld world, boolean print) {
        return world.run(plan(), hooks(world), print);
    }

    public static void main(String[] args) {
        run(new SeedWorld(), true);
    }
}
