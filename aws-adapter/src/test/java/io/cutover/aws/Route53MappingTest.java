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
    void aReplacedRecordThatChangedSinceItWasReadIsAConflictAndOtherBadBatchesStayInvalid() {
        // Route 53's words for a DELETE that does not match the record as it is now
        var stale = software.amazon.awssdk.awscore.exception.AwsServiceException.builder()
                .statusCode(400)
                .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                        .errorCode("InvalidChangeBatch")
                        .errorMessage("[Tried to delete resource record set [name='app.example.com.', type='CNAME'] "
                                + "but the values provided do not match the current values]")
                        .serviceName("Route53")
                        .build())
                .build();
        var badWeight = software.amazon.awssdk.awscore.exception.AwsServiceException.builder()
                .statusCode(400)
                .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                        .errorCode("InvalidChangeBatch")
                        .errorMessage("[Invalid weight 300]")
                        .serviceName("Route53")
                        .build())
                .build();
        assertThat(Route53Dns.conflict(AwsFailures.classify("ChangeResourceRecordSets", stale))
                        .kind())
                .isEqualTo(io.cutover.spi.FailureKind.CONFLICT);
        assertThat(Route53Dns.conflict(AwsFailures.classify("ChangeResourceRecordSets", badWeight))
                        .kind())
                .isEqualTo(io.cutover.spi.FailureKind.INVALID_REQUEST);
    }

    @Test
    void aRefusedBatchNamesThePartWhoseRecordSetRoute53Named() {
        var stale = software.amazon.awssdk.awscore.exception.AwsServiceException.builder()
                .statusCode(400)
                .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                        .errorCode("InvalidChangeBatch")
                        .errorMessage("[Tried to delete resource record set [name='app-1.example.com.', type='CNAME'] "
                                + "but the values provided do not match the current values]")
                        .serviceName("Route53")
                        .build())
                .build();
        var e = AwsFailures.classify("ChangeResourceRecordSets", stale);
        java.util.function.Function<Integer, io.cutover.spi.DnsProvider.BatchPart> part =
                i -> new io.cutover.spi.DnsProvider.BatchPart(
                        java.util.List.of(io.cutover.spi.DnsProvider.RecordSet.simple(
                                "app-" + i + ".example.com", "CNAME", 60, "blue-" + i)),
                        java.util.List.of(io.cutover.spi.DnsProvider.RecordSet.simple(
                                "app-" + i + ".example.com", "CNAME", 60, "green-" + i)));

        assertThat(Route53Dns.partAtFault(e, java.util.List.of(part.apply(0), part.apply(1), part.apply(2))))
                .hasValue(1);
        assertThat(Route53Dns.partAtFault(e, java.util.List.of(part.apply(0), part.apply(2))))
                .as("a record set no part has")
                .isEmpty();
    }

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
