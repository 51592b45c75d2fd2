package io.cutover.dynamodb;

import com.google.common.base.Preconditions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The one DynamoDB table that holds a fleet's cutover state, environment locks and leases: partition key
 * {@code pk} and sort key {@code sk}, both strings, on-demand billing. Create it with {@link #create}
 * ({@code cutover fleet create-table}) or from the CloudFormation template {@value #TEMPLATE} in this
 * module's resources; several fleets and machines share one table.
 *
 * <p>Items: {@code run#<run id> / state} (a cutover's state, gzipped, split into {@code part#...} items
 * when it is larger than one item may be), {@code env#<environment> / lock} (the run that holds the
 * environment until it ends) and {@code env#<environment> / lease} (the DynamoDB Lock Client's lease: the
 * process driving it now).
 */
public record StateTable(String name) {
    /** The table name used when none is given. */
    public static final String DEFAULT_NAME = "cutover-state";
    /** The classpath resource of the CloudFormation template that creates the table. */
    public static final String TEMPLATE = "/cutover-state-table.yaml";

    /** The partition key attribute (a string). */
    public static final String PK = "pk";
    /** The sort key attribute (a string). */
    public static final String SK = "sk";

    /**
     * The partition key of an environment's items: its lock here, and a fleet's lease beside it (so that both
     * are read with one query).
     */
    public static String environmentKey(String environment) {
        return "env#" + environment;
    }

    public StateTable {
        Preconditions.checkArgument(
                name != null && name.matches("[A-Za-z0-9_.-]{3,255}"),
                "table name '%s' is not a DynamoDB table name: 3 to 255 letters, digits, '_', '-' or '.'",
                name);
    }

    public static StateTable ofDefaults() {
        return new StateTable(DEFAULT_NAME);
    }

    public static StateTable named(String name) {
        return new StateTable(name);
    }

    /**
     * Creates the table (on-demand billing) and waits until it is active; does nothing when it exists with
     * the right keys.
     *
     * @throws StateTableException when a table of that name exists with other keys
     */
    public void create(DynamoDbClient dynamo) {
        try {
            dynamo.createTable(CreateTableRequest.builder()
                    .tableName(name)
                    .attributeDefinitions(
                            AttributeDefinition.builder()
                                    .attributeName(PK)
                                    .attributeType(ScalarAttributeType.S)
                                    .build(),
                            AttributeDefinition.builder()
                                    .attributeName(SK)
                                    .attributeType(ScalarAttributeType.S)
                                    .build())
                    .keySchema(
                            KeySchemaElement.builder()
                                    .attributeName(PK)
                                    .keyType(KeyType.HASH)
                                    .build(),
                            KeySchemaElement.builder()
                                    .attributeName(SK)
                                    .keyType(KeyType.RANGE)
                                    .build())
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .build());
        } catch (ResourceInUseException e) {
            // exists already: verified below
        }
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(name));
        verify(dynamo);
    }

    /**
     * Checks that the table exists, is active or being updated, and has the key schema this store writes.
     *
     * @throws StateTableException naming the table and the fix, so that nothing starts against a wrong table
     */
    public void verify(DynamoDbClient dynamo) {
        TableDescription t;
        try {
            t = dynamo.describeTable(b -> b.tableName(name)).table();
        } catch (ResourceNotFoundException e) {
            throw new StateTableException(
                    "the state table '" + name + "' does not exist; create it with `cutover fleet "
                            + "create-table --table " + name
                            + "` or deploy the CloudFormation template cutover-state-table.yaml "
                            + "(parameter TableName=" + name + ")");
        }
        Map<String, String> keys = t.keySchema().stream()
                .collect(Collectors.toMap(KeySchemaElement::attributeName, k -> k.keyTypeAsString()));
        Map<String, String> types = t.attributeDefinitions().stream()
                .collect(Collectors.toMap(AttributeDefinition::attributeName, a -> a.attributeTypeAsString()));
        boolean right =
                keys.equals(Map.of(PK, "HASH", SK, "RANGE")) && "S".equals(types.get(PK)) && "S".equals(types.get(SK));
        if (!right) {
            throw new StateTableException(
                    "the table '" + name + "' has the key schema " + describe(t) + ", but a Cutover "
                            + "state table needs partition key 'pk' (string) and sort key 'sk' (string); give --table the name "
                            + "of a table made by `cutover fleet create-table` or by cutover-state-table.yaml");
        }
        if (t.tableStatus() != TableStatus.ACTIVE && t.tableStatus() != TableStatus.UPDATING) {
            throw new StateTableException(
                    "the state table '" + name + "' is " + t.tableStatusAsString() + "; wait until it is ACTIVE");
        }
    }

    private static String describe(TableDescription t) {
        List<String> parts = t.keySchema().stream()
                .map(k -> k.attributeName() + " (" + k.keyTypeAsString() + ")")
                .collect(Collectors.toList());
        return parts.toString();
    }
}
