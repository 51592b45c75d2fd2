package io.cutover.dynamodb;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.state.StateStore;
import io.cutover.tck.StateStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The DynamoDB store passes the same contract as the embedded one; each newStore() is another process. */
@AwsEmulator
class DynamoDbStateStoreContractIT extends StateStoreContract {
    private static final StateTable TABLE = StateTable.named("contract-state");
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void table(EmulatorEndpoint aws) {
        dynamo = Dynamo.client(aws);
        TABLE.create(dynamo);
    }

    @AfterAll
    static void close() {
        dynamo.close();
    }

    @Override
    protected StateStore newStore() {
        return DynamoDbStateStore.of(dynamo, TABLE);
    }
}
