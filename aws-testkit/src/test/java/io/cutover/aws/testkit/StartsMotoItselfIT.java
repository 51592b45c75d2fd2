package io.cutover.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The build gives this module no endpoint (see its pom), so {@code @AwsEmulator} must start moto itself. */
@AwsEmulator
class StartsMotoItselfIT {
    @Test
    void withNoEndpointGivenMotoIsStartedAndAClientConfiguredInOneCallReachesIt(EmulatorEndpoint aws) {
        assertThat(aws.flavor()).isEqualTo(EmulatorEndpoint.Flavor.MOTO);
        assertThat(aws.endpoint().getHost()).isEqualTo("127.0.0.1");

        try (DynamoDbClient dynamo = aws.configure(DynamoDbClient.builder()).build()) {
            dynamo.createTable(b -> b.tableName("started-by-the-test-kit")
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder()
                            .attributeName("pk")
                            .attributeType(ScalarAttributeType.S)
                            .build())
                    .keySchema(KeySchemaElement.builder()
                            .attributeName("pk")
                            .keyType(KeyType.HASH)
                            .build()));

            assertThat(dynamo.listTables().tableNames()).containsExactly("started-by-the-test-kit");
        }
    }
}
