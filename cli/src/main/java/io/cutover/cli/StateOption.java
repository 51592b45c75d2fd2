package io.cutover.cli;

import io.cutover.dynamodb.DynamoDbStateStore;
import io.cutover.dynamodb.StateTable;
import io.cutover.state.FileStateStore;
import io.cutover.state.StateStore;
import picocli.CommandLine.Option;

/** Where a command keeps or finds a cutover's state: the state directory, or a shared DynamoDB table. */
final class StateOption {
    @Option(
            names = "--table",
            description = "keep the state in this DynamoDB table (shared by several machines; "
                    + "see 'cutover fleet create-table') instead of the state directory")
    String table;

    /** The store these options name; with a table, the DynamoDB client is built from the AWS options. */
    StateStore open(Options options) {
        if (table == null) {
            return FileStateStore.in(options.stateDir);
        }
        return DynamoDbStateStore.of(FleetCommand.dynamo(options), StateTable.named(table));
    }

    String where(Options options) {
        return table == null ? options.stateDir.toAbsolutePath().toString() : "table " + table;
    }
}
