package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.FenceLostException;
import io.cutover.spi.AddressProvider;
import io.cutover.spi.BlueGreenProvider;
import io.cutover.spi.CloudProvider;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.DnsProvider;
import io.cutover.spi.HttpProbe;
import io.cutover.spi.LoadBalancerProvider;
import io.cutover.spi.StackProvider;
import io.cutover.spi.VolumeProvider;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every part of the cloud a step can reach is fenced: with the fence lost, a call that changes the cloud
 * through any provider (the load balancer's and RDS blue/green's too) never reaches it, and a read does.
 */
class FencedCloudTest {
    private final List<String> reached = new ArrayList<>();

    private <T> T recording(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
            reached.add(type.getSimpleName() + "." + m.getName());
            if (m.getReturnType() == int.class) {
                return 200;
            }
            return m.getReturnType() == Optional.class ? Optional.empty() : null;
        }));
    }

    private final CloudProvider cloud = new CloudProvider() {
        @Override
        public StackProvider stacks() {
            return recording(StackProvider.class);
        }

        @Override
        public DatabaseProvider databases() {
            return recording(DatabaseProvider.class);
        }

        @Override
        public VolumeProvider volumes() {
            return recording(VolumeProvider.class);
        }

        @Override
        public DnsProvider dns() {
            return recording(DnsProvider.class);
        }

        @Override
        public AddressProvider addresses() {
            return recording(AddressProvider.class);
        }

        @Override
        public LoadBalancerProvider loadBalancers() {
            return recording(LoadBalancerProvider.class);
        }

        @Override
        public BlueGreenProvider blueGreen() {
            return recording(BlueGreenProvider.class);
        }

        @Override
        public io.cutover.spi.ReplicaProvider replicas() {
            return recording(io.cutover.spi.ReplicaProvider.class);
        }

        @Override
        public io.cutover.spi.AlarmProvider alarms() {
            return recording(io.cutover.spi.AlarmProvider.class);
        }

        @Override
        public io.cutover.spi.NotificationProvider notifications() {
            return recording(io.cutover.spi.NotificationProvider.class);
        }

        @Override
        public io.cutover.spi.CommandProvider commands() {
            return recording(io.cutover.spi.CommandProvider.class);
        }

        @Override
        public HttpProbe http() {
            return recording(HttpProbe.class);
        }
    };

    private final FencedCloud lost = new FencedCloud(cloud, () -> new Fence.Lost("another process holds the lease"));

    @Test
    void withTheFenceLostNoChangingCallReachesTheLoadBalancerOrTheBlueGreenDeployment() {
        assertThatThrownBy(() ->
                        lost.loadBalancers().forward("arn:listener", LoadBalancerProvider.Forward.to("arn:green")))
                .isInstanceOf(FenceLostException.class)
                .hasMessageContaining("LoadBalancerProvider.forward")
                .hasMessageContaining("another process holds the lease");
        assertThatThrownBy(() -> lost.blueGreen().switchover("bgd-1", Duration.ofMinutes(5)))
                .isInstanceOf(FenceLostException.class);
        assertThatThrownBy(() -> lost.blueGreen().create("bg", "db", Optional.empty(), Map.of()))
                .isInstanceOf(FenceLostException.class);
        assertThatThrownBy(() -> lost.blueGreen().delete("bgd-1", false)).isInstanceOf(FenceLostException.class);
        assertThatThrownBy(() -> lost.replicas().create("plan-replica", "shop-db", Map.of()))
                .isInstanceOf(FenceLostException.class);
        assertThatThrownBy(() -> lost.replicas().promote("plan-replica"))
                .isInstanceOf(FenceLostException.class)
                .hasMessageContaining("ReplicaProvider.promote");
        assertThatThrownBy(() -> lost.http()
                        .send(new HttpProbe.Request(
                                "POST",
                                java.net.URI.create("https://blue.example.com/suspend"),
                                Map.of(),
                                Optional.empty(),
                                Duration.ofSeconds(5))))
                .isInstanceOf(FenceLostException.class);
        assertThat(reached).isEmpty();
    }

    @Test
    void withTheFenceLostNoAuroraCloneIsStartedButTheSourcesRestorableTimeIsRead() {
        assertThatThrownBy(() -> lost.databases()
                        .cloneCluster(DatabaseProvider.CloneRequest.of("shop-aurora", "green-aurora", Map.of())))
                .isInstanceOf(FenceLostException.class)
                .hasMessageContaining("DatabaseProvider.cloneCluster");
        lost.databases().latestRestorableTime(io.cutover.plan.Environment.Database.Kind.CLUSTER, "shop-aurora");
        assertThat(reached).containsExactly("DatabaseProvider.latestRestorableTime");
    }

    @Test
    void readsGoThroughWithTheFenceLost() {
        lost.loadBalancers().forwardOf("arn:listener");
        lost.blueGreen().findByName("bg");
        lost.replicas().describe("plan-replica");
        lost.alarms().states(java.util.List.of("green-5xx"));
        lost.http().get(java.net.URI.create("https://green.example.com/health"), Duration.ofSeconds(5));
        assertThat(reached)
                .containsExactly(
                        "LoadBalancerProvider.forwardOf",
                        "BlueGreenProvider.findByName",
                        "ReplicaProvider.describe",
                        "AlarmProvider.states",
                        "HttpProbe.get");
    }
}
