package io.cutover.dynamodb;

import io.cutover.aws.testkit.EmulatorEndpoint;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** DynamoDB clients on the test emulator. */
final class Dynamo {
    private Dynamo() {}

    static DynamoDbClient client(EmulatorEndpoint aws) {
        return client(aws.endpoint(), aws.region(), aws.accessKeyId(), aws.secretAccessKey());
    }

    static DynamoDbClient client(URI endpoint, String region, String key, String secret) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .build();
    }
}
