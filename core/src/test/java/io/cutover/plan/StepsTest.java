package io.cutover.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.InvalidPlanException;
import io.cutover.plan.Environment.Database;
import io.cutover.plan.Environment.DnsRecord;
import io.cutover.plan.StepSpec.Check;
import io.cutover.plan.StepSpec.Downtime;
import io.cutover.plan.StepSpec.TemplateRef;
import io.cutover.plan.file.PlanFiles;
import io.cutover.step.kinds.StepKinds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepsTest {
    private static final String PLAN = """
            id: built
            environment:
              name: shop-prod
              stack: shop-blue
              databases: [{kind: instance, id: shop-db}, {kind: cluster, id: shop-aurora, ownedByStack: false}]
              volumes: [vol-0123456789abcdef0]
              dns: {zoneId: Z0123456789ABC, name: shop.example.com, type: CNAME, setIdentifier: blue}
              address: eipalloc-0123456789abcdef0
            hooks:
              pause-jobs: {run: "true"}
              resume-jobs: {run: "true"}
            steps:
              - {kind: lower-ttl, id: ttl, ttl: 60}
              - {kind: hook, id: freeze, dependsOn: [ttl], hook: pause-jobs, undo: resume-jobs, downtime: STARTS}
              - {kind: snapshot-database, id: snap-db, dependsOn: [freeze], database: {kind: instance, id: shop-db}}
              - kind: run-command
                id: stop-blue
                dependsOn: [freeze]
                tags: {"aws:cloudformation:stack-name": "${blue.stack}"}
                shell: powershell
                script: Stop-Service Quali
                undo: Start-Service Quali
              - kind: http-call
                id: maintenance
                dependsOn: [freeze]
                method: PUT
                url: https://admin.example.com/api/maintenance
                headers: {Authorization: "Bearer ${secret:vendor-api#token}"}
                body: '{"enabled": true}'
                expectStatus: 204
                retries: 2
                undo: {method: PUT, url: https://admin.example.com/api/maintenance, body: '{"enabled": false}'}
              - {kind: snapshot-volume, id: snap-vol, dependsOn: [freeze], volume: vol-0123456789abcdef0}
              - {kind: clone-database, id: clone-db, dependsOn: [freeze], source: {kind: cluster, id: shop-aurora, ownedByStack: false}, instanceClass: db.r6g.large}
              - kind: restore-database
                id: copy-db
                dependsOn: [snap-db]
                source: {kind: instance, id: shop-db}
                snapshot: "${snap-db.snapshotId}"
              - kind: clone-stack
                id: green
                dependsOn: [snap-db, snap-vol]
                stackName: shop-green
                template: {url: "https://s3.amazonaws.com/my-bucket/shop-2.0.json"}
                parameters: {DBSnapshotIdentifier: "${snap-db.snapshotId}", AppVersion: "2.0"}
              - kind: update-stack
                id: tune
                dependsOn: [green]
                stack: "${green.stack}"
                parameters: {Size: "20"}
                storageGuard: {parameter: Size, database: {kind: instance, id: shop-db}}
              - kind: verify
                id: check-green
                dependsOn: [tune]
                checks: [{type: http, url: "https://${green.outputs.Endpoint}/health"}]
                timeout: 15m
              - {kind: approval, id: go, dependsOn: [check-green], prompt: "switch?"}
              - kind: switch-dns
                id: switch
                dependsOn: [go]
                target: "${green.outputs.Endpoint}"
                weights: [25, 255]
                stageChecks: [{type: custom, name: smoke}]
              - {kind: move-address, id: move-ip, dependsOn: [go], instance: "${green.outputs.InstanceId}"}
              - kind: switch-target-group
                id: switch-lb
                dependsOn: [go]
                listener: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2"
                targetGroup: "${green.outputs.TargetGroupArn}"
                weights: [20, 100]
              - {kind: create-blue-green, id: create-bg, database: {kind: instance, id: orders-db, ownedByStack: false}}
              - kind: switchover-blue-green
                id: switchover
                dependsOn: [create-bg, freeze]
                deployment: "${create-bg.deploymentId}"
                timeout: PT2M
              - {kind: create-read-replica, id: create-replica, database: {kind: instance, id: billing-db, ownedByStack: false}}
              - {kind: promote-read-replica, id: promote, dependsOn: [create-replica, freeze], replica: "${create-replica.databaseId}"}
              - kind: replace-volume
                id: replace-disk
                dependsOn: [green]
                volume: "${green.outputs.DataVolumeId}"
                snapshot: snap-0123456789abcdef0
                fastSnapshotRestore: true
              - {kind: bake, id: bake, dependsOn: [switch, move-ip, switch-lb], duration: 24h}
              - {kind: decommission, id: retire, dependsOn: [bake], retainResources: [Logs]}
              - {kind: restore-ttl, id: ttl-back, dependsOn: [bake], lowered: ttl}
            """;

    @Test
    void everyBuiltInKindBuildsTheStepItsPlanFileSpells() {
        List<StepSpec> built = List.of(
                Steps.lowerTtl("ttl").ttl(60).build(),
                Steps.hook("freeze")
                        .dependsOn("ttl")
                        .hook("pause-jobs")
                        .undo("resume-jobs")
                        .downtime(Downtime.STARTS)
                        .build(),
                Steps.snapshotDatabase("snap-db")
                        .dependsOn("freeze")
                        .database(Database.instance("shop-db"))
                        .build(),
                Steps.runCommand("stop-blue")
                        .dependsOn("freeze")
                        .tag("aws:cloudformation:stack-name", "${blue.stack}")
                        .powerShell()
                        .script("Stop-Service Quali")
                        .undo("Start-Service Quali")
                        .build(),
                Steps.httpCall("maintenance")
                        .dependsOn("freeze")
                        .call("PUT", "https://admin.example.com/api/maintenance")
                        .header("Authorization", "Bearer ${secret:vendor-api#token}")
                        .body("{\"enabled\": true}")
                        .expectStatus(204)
                        .retries(2)
                        .undo(new StepSpec.HttpRequest(
                                "PUT",
                                "https://admin.example.com/api/maintenance",
                                null,
                                java.util.Optional.of("{\"enabled\": false}"),
                                null))
                        .build(),
                Steps.snapshotVolume("snap-vol")
                        .dependsOn("freeze")
                        .volume("vol-0123456789abcdef0")
                        .build(),
                Steps.cloneDatabase("clone-db")
                        .dependsOn("freeze")
                        .source(new Database(Database.Kind.CLUSTER, "shop-aurora", false))
                        .instanceClass("db.r6g.large")
                        .build(),
                Steps.restoreDatabase("copy-db")
                        .dependsOn("snap-db")
                        .source(Database.instance("shop-db"))
                        .snapshot("${snap-db.snapshotId}")
                        .build(),
                Steps.cloneStack("green")
                        .dependsOn("snap-db", "snap-vol")
                        .stackName("shop-green")
                        .template(TemplateRef.ofUrl("https://s3.amazonaws.com/my-bucket/shop-2.0.json"))
                        .parameter("DBSnapshotIdentifier", "${snap-db.snapshotId}")
                        .parameter("AppVersion", "2.0")
                        .build(),
                Steps.updateStack("tune")
                        .dependsOn("green")
                        .stack("${green.stack}")
                        .parameter("Size", "20")
                        .storageGuard("Size", Database.instance("shop-db"))
                        .build(),
                Steps.verify("check-green")
                        .dependsOn("tune")
                        .check(Check.Http.of("https://${green.outputs.Endpoint}/health"))
                        .timeout(Duration.ofMinutes(15))
                        .build(),
                Steps.approval("go").dependsOn("check-green").prompt("switch?").build(),
                Steps.switchDns("switch")
                        .dependsOn("go")
                        .target("${green.outputs.Endpoint}")
                        .weights(25, 255)
                        .stageCheck(new Check.Custom("smoke"))
                        .build(),
                Steps.moveAddress("move-ip")
                        .dependsOn("go")
                        .instance("${green.outputs.InstanceId}")
                        .build(),
                Steps.switchTargetGroup("switch-lb")
                        .dependsOn("go")
                        .listener("arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop"
                                + "/50dc6c495c0c9188/f2f7dc8efc522ab2")
                        .targetGroup("${green.outputs.TargetGroupArn}")
                        .weights(20, 100)
                        .build(),
                Steps.createBlueGreen("create-bg")
                        .database(new Database(Database.Kind.INSTANCE, "orders-db", false))
                        .build(),
                Steps.switchoverBlueGreen("switchover")
                        .dependsOn("create-bg", "freeze")
                        .deployment("${create-bg.deploymentId}")
                        .timeout(Duration.ofMinutes(2))
                        .build(),
                Steps.createReadReplica("create-replica")
                        .database(new Database(Database.Kind.INSTANCE, "billing-db", false))
                        .build(),
                Steps.promoteReadReplica("promote")
                        .dependsOn("create-replica", "freeze")
                        .replica("${create-replica.databaseId}")
                        .build(),
                Steps.replaceVolume("replace-disk")
                        .dependsOn("green")
                        .volume("${green.outputs.DataVolumeId}")
                        .snapshot("snap-0123456789abcdef0")
                        .fastSnapshotRestore(true)
                        .build(),
                Steps.bake("bake")
                        .dependsOn("switch", "move-ip", "switch-lb")
                        .duration(Duration.ofHours(24))
                        .build(),
                Steps.decommission("retire")
                        .dependsOn("bake")
                        .retainResources("Logs")
                        .build(),
                Steps.restoreTtl("ttl-back").dependsOn("bake").lowered("ttl").build());

        Plan fromFile = PlanFiles.parse(Path.of("built.yaml"), PLAN).plan();

        assertThat(built).containsExactlyElementsOf(fromFile.steps());
        assertThat(built.stream().<Class<?>>map(s -> s.getClass()).distinct().toList())
                .as("every built-in kind has a builder in Steps (add one with a new kind)")
                .containsExactlyInAnyOrderElementsOf(StepKinds.builtIn().all().stream()
                        .<Class<?>>map(k -> k.type())
                        .toList());
        PlanValidator.validate(Plan.of("built", fromFile.environment(), built), StepKinds.builtIn());
    }

    @Test
    void missingFieldsAreNamedWithTheCallThatGivesThem() {
        assertThatThrownBy(() -> Steps.snapshotDatabase("snap-db").build())
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("steps[snap-db].database: is missing")
                .hasMessageContaining(".database(Database.instance(\"shop-db\"))");
        assertThatThrownBy(() -> Steps.cloneStack("green").build())
                .isInstanceOf(InvalidPlanException.class)
                .satisfies(e -> assertThat(((InvalidPlanException) e).problems())
                        .extracting(InvalidPlanException.Problem::field)
                        .containsExactly("steps[green].stackName", "steps[green].template"));
        assertThatThrownBy(() -> Steps.verify("check").build()).hasMessageContaining("steps[check].checks: is empty");
        assertThatThrownBy(() -> Steps.bake("bake").build()).hasMessageContaining("steps[bake].duration: is missing");
        assertThatThrownBy(() -> Steps.lowerTtl("ttl").build()).hasMessageContaining("steps[ttl].ttl: is missing");
        assertThatThrownBy(() -> Steps.hook("h").build()).hasMessageContaining("steps[h].hook: is missing");
        assertThatThrownBy(() -> Steps.switchDns("s").build()).hasMessageContaining("steps[s].target: is missing");
        assertThatThrownBy(() -> Steps.moveAddress("m").build()).hasMessageContaining("steps[m].instance: is missing");
        assertThatThrownBy(() -> Steps.restoreDatabase("r").build())
                .hasMessageContaining("steps[r].source: is missing")
                .hasMessageContaining("steps[r].snapshot: is missing");
        assertThatThrownBy(() -> Steps.updateStack("u").build()).hasMessageContaining("steps[u].stack: is missing");
        assertThatThrownBy(() -> Steps.snapshotVolume("v").build()).hasMessageContaining("steps[v].volume: is missing");
        assertThatThrownBy(() -> Steps.restoreTtl("t").build()).hasMessageContaining("steps[t].lowered: is missing");
    }

    @Test
    void badValuesAreRefusedWithThePlanValidatorsMessages() {
        assertThatThrownBy(() -> Steps.approval("Go_Now").build())
                .hasMessageContaining("steps[Go_Now].id: 'Go_Now' must hold only lower-case letters");
        assertThatThrownBy(() -> Steps.snapshotDatabase("snap")
                        .database(Database.instance("shop--db"))
                        .build())
                .hasMessageContaining("steps[snap].database.id: 'shop--db' contains two hyphens in a row");
        assertThatThrownBy(() -> Steps.snapshotVolume("v").volume("vol-12").build())
                .hasMessageContaining("steps[v].volume:");
        assertThatThrownBy(() -> Steps.switchDns("s")
                        .record(DnsRecord.of("Z0123456789ABC", "shop.example.com", "CNAME")
                                .weighted("blue"))
                        .target("x")
                        .weights(128, 64)
                        .build())
                .hasMessageContaining("steps[s].weights[1]: 64 is not above the stage before (128)")
                .hasMessageContaining("steps[s].weights: the last stage must give green all traffic (255)");
        assertThatThrownBy(() -> Steps.verify("v")
                        .check(Check.Http.of("ftp://x"))
                        .timeout(Duration.ofDays(2))
                        .build())
                .hasMessageContaining("steps[v].checks[0].url")
                .hasMessageContaining("steps[v].timeout: PT48H is longer than the PT24H allowed here");
        assertThatThrownBy(() -> Steps.lowerTtl("t").ttl(-1).build())
                .hasMessageContaining("steps[t].ttl: -1 is out of range");
        assertThat(Steps.snapshotVolume("v").volume("${other.volumeId}").build().volume())
                .as("a reference is checked when it is resolved")
                .isEqualTo("${other.volumeId}");
    }
}
