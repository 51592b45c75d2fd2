package io.cutover.aws;

import static io.cutover.aws.RdsInstancesIT.assertKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.spi.DnsProvider;
import io.cutover.spi.DnsProvider.AliasTarget;
import io.cutover.spi.DnsProvider.ChangeStatus;
import io.cutover.spi.DnsProvider.RecordSet;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@AwsEmulator
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Route53DnsIT {
    static final String MISSING_ZONE = "Z0000000000000000NOPE";

    AwsClients clients;
    DnsProvider dns;
    String zone;

    @BeforeAll
    void setUp(EmulatorEndpoint aws) {
        clients = Emulated.clients(aws);
        dns = Emulated.cloud(clients).dns();
        zone = clients.route53()
                .createHostedZone(r -> r.name("example.com").callerReference("route53-it"))
                .hostedZone()
                .id();
    }

    @AfterAll
    void close() {
        clients.close();
    }

    static RecordSet weighted(String name, String id, int weight, String ip) {
        return new RecordSet(name, "A", 60, List.of(ip), Optional.of(id), Optional.of(weight), Optional.empty());
    }

    @Test
    void manyCallersChangesGoInOneRequestAndARefusedOneIsNamed() {
        RecordSet a = RecordSet.simple("batch-a.example.com", "CNAME", 300, "blue-a.example.com");
        RecordSet b = RecordSet.simple("batch-b.example.com", "CNAME", 300, "blue-b.example.com");
        dns.upsert(zone, List.of(a, b), "blue");
        DnsProvider.BatchPart toGreenA = new DnsProvider.BatchPart(
                List.of(a), List.of(RecordSet.simple("batch-a.example.com", "CNAME", 60, "green-a.example.com")));
        DnsProvider.BatchPart toGreenB = new DnsProvider.BatchPart(
                List.of(b), List.of(RecordSet.simple("batch-b.example.com", "CNAME", 60, "green-b.example.com")));

        assertThat(dns.changeAll(zone, List.of(toGreenA, toGreenB), "two cutovers"))
                .isInstanceOf(DnsProvider.BatchResult.Applied.class);
        assertThat(dns.records(zone, "batch-a.example.com", "CNAME").get(0).values())
                .containsExactly("green-a.example.com");
        assertThat(dns.records(zone, "batch-b.example.com", "CNAME").get(0).values())
                .containsExactly("green-b.example.com");

        // The same batch again: both records changed since they were read; the first refused part is named.
        var again = dns.changeAll(zone, List.of(toGreenA, toGreenB), "two cutovers, stale");
        assertThat(again).isInstanceOf(DnsProvider.BatchResult.Refused.class);
        assertThat(((DnsProvider.BatchResult.Refused) again).why().kind()).isEqualTo(FailureKind.CONFLICT);
    }

    @Test
    void describeZoneNamesItWithoutTheTrailingDotWhicheverFormOfTheIdIsGiven() {
        assertThat(dns.describeZone(zone)).isEqualTo("example.com");
        assertThat(dns.describeZone(Route53Dns.bareId(zone))).isEqualTo("example.com");
    }

    @Test
    void recordsOfANameAndTypeAreItsWeightedSetsAndNothingThatFollowsThem() {
        dns.upsert(
                zone,
                List.of(
                        weighted("app.example.com", "blue", 100, "10.0.0.1"),
                        weighted("app.example.com", "green", 0, "10.0.0.2"),
                        RecordSet.simple("app.example.com", "TXT", 300, "\"v=1\""),
                        RecordSet.simple("app2.example.com", "A", 60, "10.0.0.3")),
                "weighted pair");

        List<RecordSet> records = dns.records(zone, "app.example.com.", "A");

        assertThat(records)
                .containsExactlyInAnyOrder(
                        weighted("app.example.com", "blue", 100, "10.0.0.1"),
                        weighted("app.example.com", "green", 0, "10.0.0.2"));
    }

    @Test
    void upsertingNewWeightsSwapsTrafficInOneBatch() {
        dns.upsert(
                zone,
                List.of(
                        weighted("swap.example.com", "blue", 100, "10.0.1.1"),
                        weighted("swap.example.com", "green", 0, "10.0.1.2")),
                "before");

        String change = dns.upsert(
                zone,
                List.of(
                        weighted("swap.example.com", "blue", 0, "10.0.1.1"),
                        weighted("swap.example.com", "green", 100, "10.0.1.2")),
                "cut over to green");

        assertThat(change).doesNotStartWith("/change/");
        assertThat(dns.records(zone, "swap.example.com", "A"))
                .extracting(
                        r -> r.setIdentifier().orElseThrow() + "=" + r.weight().orElseThrow())
                .containsExactlyInAnyOrder("blue=0", "green=100");
    }

    @Test
    void anAliasRecordCarriesItsTargetAndNoTtl() {
        AliasTarget elb = new AliasTarget("Z35SXDOTRQ7X7K", "wiki-green-123.us-east-1.elb.amazonaws.com", false);
        dns.upsert(
                zone,
                List.of(new RecordSet(
                        "www.example.com", "A", 0, List.of(), Optional.empty(), Optional.empty(), Optional.of(elb))),
                "alias");

        List<RecordSet> records = dns.records(zone, "www.example.com", "A");

        assertThat(records).hasSize(1);
        assertThat(records.get(0).aliasTarget()).contains(elb);
        assertThat(records.get(0).target()).isEqualTo("wiki-green-123.us-east-1.elb.amazonaws.com");
        assertThat(records.get(0).values()).isEmpty();
    }

    @Test
    void aNameWithoutRecordsHasAnEmptyList() {
        assertThat(dns.records(zone, "nothing-here.example.com", "CNAME")).isEmpty();
    }

    @Test
    void motoGap_aChangeIsInSyncAtOnce() {
        // AWS reports PENDING for up to a minute; moto 5.2.5 applies a change synchronously.
        String change = dns.upsert(zone, List.of(RecordSet.simple("fast.example.com", "A", 60, "10.0.2.1")), "now");

        assertThat(dns.changeStatus(change)).isEqualTo(ChangeStatus.INSYNC);
        assertThat(dns.changeStatus("/change/" + change)).isEqualTo(ChangeStatus.INSYNC);
    }

    @Test
    void motoGap_anUnknownChangeIdIsInSyncNotNoSuchChange() {
        // AWS answers NoSuchChange (NOT_FOUND, which AwsFailuresTest covers); moto 5.2.5 says INSYNC for any id.
        assertThat(dns.changeStatus("C0000000000000NOPE")).isEqualTo(ChangeStatus.INSYNC);
    }

    @Test
    void aMissingZoneIsNotFoundNamingIt() {
        ProviderException e = assertKind(FailureKind.NOT_FOUND, () -> dns.describeZone(MISSING_ZONE));

        assertThat(e.getMessage()).contains("hosted zone '" + MISSING_ZONE + "' does not exist");
    }

    @Test
    void recordsOfAMissingZoneAreNotFound() {
        assertKind(FailureKind.NOT_FOUND, () -> dns.records(MISSING_ZONE, "app.example.com", "A"));
    }

    @Test
    void upsertingIntoAMissingZoneIsNotFound() {
        assertKind(
                FailureKind.NOT_FOUND,
                () -> dns.upsert(
                        MISSING_ZONE, List.of(RecordSet.simple("a.example.com", "A", 60, "10.0.0.9")), "nowhere"));
    }
}
