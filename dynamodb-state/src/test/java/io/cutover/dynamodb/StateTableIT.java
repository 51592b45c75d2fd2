package io.cutover.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** A missing table or one with other keys is refused before anything starts, with the fix. */
@AwsEmulator
class StateTableIT {
    @Test
    void aMissingTableIsNamedWithTheCommandThatCreatesIt(EmulatorEndpoint aws) {
        try (DynamoDbClient dynamo = Dynamo.client(aws)) {
            assertThatThrownBy(() -> DynamoDbStateStore.of(dynamo, StateTable.named("no-such-table")))
                    .isInstanceOf(StateTableException.class)
                    .hasMessageContaining("'no-such-table' does not exist")
                    .hasMessageContaining("cutover fleet create-table --table no-such-table");
        }
    }

    @Test
    void aTableWithAnotherKeySchemaIsRefused(EmulatorEndpoint aws) {
        try (DynamoDbClient dynamo = Dynamo.client(aws)) {
            dynamo.createTable(b -> b.tableName("someone-elses")
                    .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                    .billingMode("PAY_PER_REQUEST"));

            assertThatThrownBy(() -> DynamoDbStateStore.of(dynamo, StateTable.named("someone-elses")))
                    .isInstanceOf(StateTableException.class)
                    .hasMessageContaining("[id (HASH)]")
                    .hasMessageContaining("partition key 'pk' (string) and sort key 'sk' (string)");
            assertThatThrownBy(() -> StateTable.named("someone-elses").create(dynamo))
                    .isInstanceOf(StateTableException.class);
        }
    }

    @Test
    void creatingTheTableTwiceIsHarmless(EmulatorEndpoint aws) {
        try (DynamoDbClient dynamo = Dynamo.client(aws)) {
            StateTable table = StateTable.named("created-twice");
            table.create(dynamo);
            table.create(dynamo);

            assertThat(DynamoDbStateStore.of(dynamo, table).runIds()).isEmpty();
        }
    }
}
