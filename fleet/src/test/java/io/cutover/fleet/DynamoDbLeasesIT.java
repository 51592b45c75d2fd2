package io.cutover.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.dynamodb.StateTable;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Leases through the DynamoDB Lock Client: refused with the holder while it heartbeats, free once released. */
@AwsEmulator
class DynamoDbLeasesIT {
    private static final StateTable TABLE = StateTable.named("leases");

    private static DynamoDbLeases leases(DynamoDbClient dynamo, String owner) {
        return DynamoDbLeases.builder(dynamo, TABLE)
                .owner(owner)
                .leaseDuration(Duration.ofMillis(1500))
                .heartbeat(Duration.ofMillis(500))
                .build();
    }

    @Test
    void aLiveHolderKeepsTheEnvironmentPastItsLeaseAndOthersAreToldWhoAndSinceWhen(EmulatorEndpoint aws)
            throws Exception {
        try (DynamoDbClient dynamo = Dynamo.client(aws)) {
            TABLE.create(dynamo);
            try (DynamoDbLeases a = leases(dynamo, "machine-a");
                    DynamoDbLeases b = leases(dynamo, "machine-b")) {
                LeaseAttempt got = a.tryAcquire("acme", "up-acme");
                assertThat(got).isInstanceOf(LeaseAttempt.Acquired.class);
                Lease lease = ((LeaseAttempt.Acquired) got).lease();

                // Twice the lease duration: heartbeats keep it, so b is refused every time.
                for (int i = 0; i < 6; i++) {
                    LeaseAttempt refused = b.tryAcquire("acme", "up-acme");
                    assertThat(refused).isInstanceOf(LeaseAttempt.Held.class);
                    LeaseHolder holder = ((LeaseAttempt.Held) refused).holder();
                    assertThat(holder.owner()).isEqualTo("machine-a");
                    assertThat(holder.runId()).isEqualTo("up-acme");
                    assertThat(holder.since()).isEqualTo(lease.holder().since());
                    assertThat(holder.describe())
                            .contains("machine-a (run up-acme) since "
                                    + lease.holder().since());
                    Thread.sleep(500);
                }
                assertThat(lease.valid()).isTrue();

                lease.release();
                assertThat(b.holder("acme")).isEmpty();
                assertThat(b.tryAcquire("acme", "up-acme")).isInstanceOf(LeaseAttempt.Acquired.class);
                assertThat(a.holder("acme").orElseThrow().owner()).isEqualTo("machine-b");
            }
        }
    }
}
