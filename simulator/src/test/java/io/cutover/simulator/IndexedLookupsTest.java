package io.cutover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.spi.DnsProvider.RecordSet;
import io.cutover.spi.ProviderException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The simulated cloud finds stacks, records and snapshots through indexes (so that fleets of thousands cost
 * what each call touches); these are the answers a look at everything gave, in an account of many stacks.
 */
class IndexedLookupsTest {
    private static final String ZONE = "Z1";
    private final Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
    private final SimulatedCloud cloud =
            SimulatedCloud.of(() -> now[0], Latencies.ofDefaults(), RateLimits.unlimited(), new Faults());

    private void deploy(int n) {
        cloud.zone(ZONE);
        for (int i = 0; i < n; i++) {
            SimulatedCloud.SimStack s =
                    cloud.deploy("app-" + i, CloudSimulation.sampleTemplate(), Map.of("AppVersion", "1.0"));
            cloud.record(
                    ZONE,
                    RecordSet.simple(
                            "app-" + i + ".example.com",
                            "CNAME",
                            300,
                            s.outputs().get("Endpoint")));
        }
    }

    private int healthCheck(String host) {
        return cloud.http().get(URI.create("http://" + host + "/health"), Duration.ofSeconds(5));
    }

    @Test
    void aHealthCheckReachesTheStackItsNameLeadsToAndNoStackOnceThatOneIsDeleted() {
        deploy(40);
        assertThat(cloud.stackBehind("APP-7.example.com.")).contains("app-7");
        assertThat(healthCheck("app-7.example.com")).isEqualTo(200);

        cloud.stacks().delete("app-7", List.of(), "delete-app-7");
        now[0] = now[0].plus(Duration.ofHours(1));

        assertThatThrownBy(() -> healthCheck("app-7.example.com"))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("no answer from app-7.example.com");
        assertThat(cloud.stackBehind("app-7.example.com")).isEmpty();
        assertThat(cloud.stackBehind("app-8.example.com")).contains("app-8");

        cloud.deploy("app-7", CloudSimulation.sampleTemplate(), Map.of("AppVersion", "1.0"));
        assertThat(cloud.stackBehind("app-7.example.com"))
                .as("the stack deployed again under its name serves the same host")
                .contains("app-7");
    }

    @Test
    void aRecordChangedToAnotherStacksEndpointLeadsThereAndTheOthersAreUnchanged() {
        deploy(40);
        String nine = cloud.stack("app-9").orElseThrow().outputs().get("Endpoint");

        cloud.dns().upsert(ZONE, List.of(RecordSet.simple("app-8.example.com", "CNAME", 60, nine)), "to nine");

        assertThat(cloud.stackBehind("app-8.example.com")).contains("app-9");
        assertThat(cloud.dns().records(ZONE, "app-8.example.com.", "CNAME"))
                .extracting(RecordSet::ttl)
                .containsExactly(60L);
        assertThat(cloud.records(ZONE)).hasSize(40);
        assertThat(cloud.records(ZONE).get(39).name())
                .as("a changed record set is listed last, as before")
                .isEqualTo("app-8.example.com");
        assertThat(cloud.stackBehind("app-10.example.com")).contains("app-10");
    }

    @Test
    void snapshotsAreFoundByAllTheirTagsAndNotOnceDeleted() {
        deploy(3);
        String vol = cloud.stack("app-1").orElseThrow().resources().get("DataVolume");
        String a = cloud.volumes().createSnapshot(vol, "a", Map.of("run", "r1", "step", "snap"));
        String b = cloud.volumes().createSnapshot(vol, "b", Map.of("run", "r2", "step", "snap"));

        assertThat(cloud.volumes().findSnapshots(Map.of("run", "r1", "step", "snap")))
                .extracting(s -> s.id())
                .containsExactly(a);
        assertThat(cloud.volumes().findSnapshots(Map.of("step", "snap")))
                .extracting(s -> s.id())
                .containsExactly(a, b);

        cloud.volumes().deleteSnapshot(a);

        assertThat(cloud.volumes().findSnapshots(Map.of("run", "r1"))).isEmpty();
        assertThat(cloud.volumes().findSnapshots(Map.of("step", "snap")))
                .extracting(s -> s.id())
                .containsExactly(b);
    }
}
