package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.spi.DnsProvider.AliasTarget;
import io.cutover.spi.DnsProvider.RecordSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

class Route53MappingTest {
    @Test
    void namesLoseTheTrailingDotAndRoute53sOctalEscapes() {
        assertThat(Route53Dns.normalise("App.Example.com.")).isEqualTo("app.example.com");
        assertThat(Route53Dns.normalise("\\052.example.com.")).isEqualTo("*.example.com");
        assertThat(Route53Dns.normalise("a\\\\b.example.com")).isEqualTo("a\\\\b.example.com");
    }

    @Test
    void idsLoseTheirResourcePrefix() {
        assertThat(Route53Dns.bareId("/hostedzone/Z123")).isEqualTo("Z123");
        assertThat(Route53Dns.bareId("/change/C9")).isEqualTo("C9");
        assertThat(Route53Dns.bareId("Z123")).isEqualTo("Z123");
    }

    @Test
    void anAliasIsSentWithoutTtlOrValuesBecauseRoute53RejectsThem() {
        RecordSet alias = new RecordSet(
                "www.example.com",
                "A",
                60,
                List.of("10.0.0.1"),
                Optional.empty(),
                Optional.empty(),
                Optional.of(new AliasTarget("Z35", "lb.elb.amazonaws.com", true)));

        ResourceRecordSet sent = Route53Dns.resourceRecordSet(alias);

        assertThat(sent.name()).isEqualTo("www.example.com.");
        assertThat(sent.ttl()).isNull();
        assertThat(sent.resourceRecords()).isEmpty();
        assertThat(sent.aliasTarget().dnsName()).isEqualTo("lb.elb.amazonaws.com.");
        assertThat(sent.aliasTarget().evaluateTargetHealth()).isTrue();
    }

    @Test
    void aWeightedSetKeepsItsIdentifierAndWeightBothWays() {
        RecordSet blue = new RecordSet(
                "app.example.com",
                "CNAME",
                30,
                List.of("blue.example.net"),
                Optional.of("blue"),
                Optional.of(100),
                Optional.empty());

        assertThat(Route53Dns.recordSet(Route53Dns.resourceRecordSet(blue))).isEqualTo(blue);
    }
}
