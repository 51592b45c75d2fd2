package io.cutover.dynamodb;

import com.google.common.base.Preconditions;
import io.cutover.CutoverException;
import io.cutover.RefusedException;
import io.cutover.state.EnvironmentLock;
import io.cutover.state.RunState;
import io.cutover.state.StateCodec;
import io.cutover.state.StateConflictException;
import io.cutover.state.StateStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The {@link StateStore} for fleets run from several machines: every cutover's state and every environment
 * lock in one DynamoDB table ({@link StateTable}). Every write is conditional on the version read
 * (DynamoDB condition expressions), so two processes can never both commit a transition: the second gets a
 * {@link StateConflictException} and stops driving that cutover. A new cutover's first state and its
 * environment lock are written in one transaction.
 *
 * <p>States are stored gzipped. One larger than {@value #INLINE_LIMIT} bytes (DynamoDB's item limit is
 * 400 KB) is split into parts written under a fresh write id <em>before</em> the state item is switched to
 * them with the conditional write; the previous parts are deleted afterwards. A reader therefore always
 * sees one whole version, and a writer that loses the race leaves the winner's parts alone.
 *
 * <pre>{@code
 * DynamoDbClient dynamo = DynamoDbClient.create();
 * StateStore store = DynamoDbStateStore.of(dynamo, StateTable.named("cutover-state"));  // checks the table
 * Engine engine = Engine.builder().cloud(cloud).stateStore(store).build();
 * }</pre>
 */
public final class DynamoDbStateStore implements StateStore {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbStateStore.class);
    /** Gzipped states up to this size are stored in the state item itself; larger ones in parts of this size. */
    static final int INLINE_LIMIT = 350_000;

    private static final String STATE = "state";
    private static final String LOCK = "lock";
    private static final int READ_ATTEMPTS = 5;

    private final DynamoDbClient dynamo;
    private final StateTable table;
    private final StateCodec codec = StateCodec.ofDefaults();

    private DynamoDbStateStore(DynamoDbClient dynamo, StateTable table) {
        this.dynamo = Preconditions.checkNotNull(dynamo, "dynamo");
        this.table = Preconditions.checkNotNull(table, "table");
    }

    /**
     * A store on {@code table}, after checking that the table exists with the right keys.
     *
     * @throws StateTableException when the table is missing or has another key schema
     */
    public static DynamoDbStateStore of(DynamoDbClient dynamo, StateTable table) {
        table.verify(dynamo);
        return new DynamoDbStateStore(dynamo, table);
    }

    public StateTable table() {
        return table;
    }

    @Override
    public RunState create(RunState initial) {
        RunState saved = initial.withVersion(1);
        String env = initial.plan().environment().name();
        Encoded body = encode(saved);
        Map<String, AttributeValue> head = head(saved, body);
        Map<String, AttributeValue> lock = new HashMap<>(key(envKey(env), LOCK));
        lock.put("runId", s(initial.runId()));
        lock.put("owner", s(initial.owner()));
        lock.put("since", s(initial.createdAt().toString()));
        writeParts(initial.runId(), body);
        try {
            call(() -> dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder()
                            .put(Put.builder()
                                    .tableName(table.name())
                                    .item(head)
                                    .conditionExpression("attribute_not_exists(pk)")
                                    .build())
                            .build(),
                    TransactWriteItem.builder()
                            .put(Put.builder()
                                    .tableName(table.name())
                                    .item(lock)
                                    .conditionExpression("attribute_not_exists(pk)")
                                    .build())
                            .build())));
        } catch (TransactionCanceledException e) {
            deleteParts(initial.runId(), body.writeId(), body.parts().size());
            Optional<RunState> existing = load(initial.runId());
            if (existing.isPresent()) {
                throw new RefusedException("a cutover with id '" + initial.runId() + "' exists already ("
                        + existing.get().status() + " since " + existing.get().updatedAt()
                        + "); resume it, or give the plan "
                        + "a new id");
            }
            EnvironmentLock held = lock(env)
                    .orElseThrow(() -> new CutoverException(
                            "cutover '" + initial.runId()
                                    + "' could not be created in table " + table.name() + ": " + e.getMessage()
                                    + "; try again",
                            e));
            throw new RefusedException("environment '" + env + "' is being cut over by run '" + held.runId()
                    + "' (started by " + held.owner() + " at " + held.since() + "); resume, roll back or finish that "
                    + "cutover first");
        }
        return saved;
    }

    @Override
    public Optional<RunState> load(String runId) {
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> item = call(() -> dynamo.getItem(b -> b.tableName(table.name())
                            .key(key(runKey(runId), STATE))
                            .consistentRead(true)))
                    .item();
            if (item == null || item.isEmpty()) {
                return Optional.empty();
            }
            Optional<byte[]> gz = body(runId, item);
            if (gz.isPresent()) {
                return Optional.of(codec.decode(gunzip(gz.get()), "dynamodb:" + table.name() + "/" + runKey(runId)));
            }
            // A commit replaced the parts between our two reads: read the new version.
            if (attempt >= READ_ATTEMPTS) {
                throw new CutoverException("the state of cutover '" + runId + "' changed " + READ_ATTEMPTS
                        + " times while it was being read; try again");
            }
        }
    }

    /**
     * The version alone: a consistent read of the head item's {@code version} attribute, without its parts nor the
     * decoding of the state. The engine asks it before every call that changes the cloud.
     */
    @Override
    public Optional<Long> version(String runId) {
        Map<String, AttributeValue> item = call(() -> dynamo.getItem(b -> b.tableName(table.name())
                        .key(key(runKey(runId), STATE))
                        .projectionExpression("#v")
                        .expressionAttributeNames(Map.of("#v", "version"))
                        .consistentRead(true)))
                .item();
        if (item == null || item.isEmpty() || !item.containsKey("version")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(item.get("version").n()));
    }

    @Override
    public RunState commit(RunState next) {
        RunState saved = next.withVersion(next.version() + 1);
        Encoded body = encode(saved);
        writeParts(next.runId(), body);
        PutItemResponse response;
        try {
            response = call(() -> dynamo.putItem(b -> b.tableName(table.name())
                    .item(head(saved, body))
                    .conditionExpression("attribute_exists(pk) AND version = :read")
                    .expressionAttributeValues(Map.of(":read", n(next.version())))
                    .returnValues(ReturnValue.ALL_OLD)));
        } catch (ConditionalCheckFailedException e) {
            deleteParts(next.runId(), body.writeId(), body.parts().size());
            RunState stored = load(next.runId())
                    .orElseThrow(() ->
                            new StateConflictException("cutover '" + next.runId() + "' has no stored state to update"));
            throw new StateConflictException("cutover '" + next.runId() + "' was changed by " + stored.owner()
                    + " (version " + stored.version() + ", this process read " + next.version()
                    + "); another process is driving it");
        }
        Map<String, AttributeValue> old = response.attributes();
        if (old != null && old.containsKey("writeId")) {
            deleteParts(
                    next.runId(),
                    old.get("writeId").s(),
                    Integer.parseInt(old.get("parts").n()));
        }
        return saved;
    }

    @Override
    public Optional<EnvironmentLock> lock(String environment) {
        Map<String, AttributeValue> item = call(() -> dynamo.getItem(b -> b.tableName(table.name())
                        .key(key(envKey(environment), LOCK))
                        .consistentRead(true)))
                .item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new EnvironmentLock(
                environment,
                item.get("runId").s(),
                item.get("owner").s(),
                Instant.parse(item.get("since").s())));
    }

    @Override
    public void release(String environment, String runId) {
        try {
            call(() -> dynamo.deleteItem(b -> b.tableName(table.name())
                    .key(key(envKey(environment), LOCK))
                    .conditionExpression("runId = :run")
                    .expressionAttributeValues(Map.of(":run", s(runId)))));
        } catch (ConditionalCheckFailedException e) {
            // another run holds it, or nobody does: nothing of ours to release
        }
    }

    @Override
    public List<String> runIds() {
        List<Map<String, AttributeValue>> heads = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = call(() -> dynamo.scan(ScanRequest.builder()
                    .tableName(table.name())
                    .filterExpression("sk = :state AND begins_with(pk, :run)")
                    .expressionAttributeValues(Map.of(":state", s(STATE), ":run", s("run#")))
                    .consistentRead(true)
                    .exclusiveStartKey(from)
                    .build()));
            heads.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        heads.sort(Comparator.comparing(
                        (Map<String, AttributeValue> m) -> m.get("createdAt").s())
                .thenComparing(m -> m.get(StateTable.PK).s()));
        List<String> ids = new ArrayList<>();
        heads.forEach(h -> ids.add(h.get(StateTable.PK).s().substring("run#".length())));
        return ids;
    }

    // ---------------------------------------------------------------------------------------------------

    /** A gzipped state: inline when small, else parts under a write id of their own. */
    private record Encoded(byte[] inline, String writeId, List<byte[]> parts) {}

    private Encoded encode(RunState state) {
        byte[] gz = gzip(codec.encode(state));
        if (gz.length <= INLINE_LIMIT) {
            return new Encoded(gz, "", List.of());
        }
        List<byte[]> parts = new ArrayList<>();
        for (int from = 0; from < gz.length; from += INLINE_LIMIT) {
            parts.add(Arrays.copyOfRange(gz, from, Math.min(gz.length, from + INLINE_LIMIT)));
        }
        return new Encoded(null, UUID.randomUUID().toString(), parts);
    }

    private Map<String, AttributeValue> head(RunState state, Encoded body) {
        Map<String, AttributeValue> item = new HashMap<>(key(runKey(state.runId()), STATE));
        item.put("version", n(state.version()));
        item.put("environment", s(state.plan().environment().name()));
        item.put("status", s(state.status().name()));
        item.put("owner", s(state.owner()));
        item.put("createdAt", s(state.createdAt().toString()));
        item.put("updatedAt", s(state.updatedAt().toString()));
        if (body.inline() != null) {
            item.put("body", AttributeValue.fromB(SdkBytes.fromByteArray(body.inline())));
        } else {
            item.put("writeId", s(body.writeId()));
            item.put("parts", n(body.parts().size()));
        }
        return item;
    }

    private void writeParts(String runId, Encoded body) {
        for (int i = 0; i < body.parts().size(); i++) {
            Map<String, AttributeValue> item = new HashMap<>(key(runKey(runId), partKey(body.writeId(), i)));
            item.put(
                    "body",
                    AttributeValue.fromB(SdkBytes.fromByteArray(body.parts().get(i))));
            call(() -> dynamo.putItem(b -> b.tableName(table.name()).item(item)));
        }
    }

    /** The gzipped state the head names; empty when its parts are gone (a newer commit replaced them). */
    private Optional<byte[]> body(String runId, Map<String, AttributeValue> head) {
        if (head.containsKey("body")) {
            return Optional.of(head.get("body").b().asByteArray());
        }
        String writeId = head.get("writeId").s();
        int parts = Integer.parseInt(head.get("parts").n());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = call(() -> dynamo.query(b -> b.tableName(table.name())
                    .consistentRead(true)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :part)")
                    .expressionAttributeValues(Map.of(":pk", s(runKey(runId)), ":part", s("part#" + writeId + "#")))
                    .exclusiveStartKey(from)));
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        if (items.size() != parts) {
            return Optional.empty();
        }
        items.sort(Comparator.comparing(m -> m.get(StateTable.SK).s()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        items.forEach(m -> out.writeBytes(m.get("body").b().asByteArray()));
        return Optional.of(out.toByteArray());
    }

    private void deleteParts(String runId, String writeId, int parts) {
        for (int i = 0; i < parts; i++) {
            int index = i;
            try {
                call(() -> dynamo.deleteItem(
                        b -> b.tableName(table.name()).key(key(runKey(runId), partKey(writeId, index)))));
            } catch (RuntimeException e) {
                // Left-over parts are never read (no state item names them); they only cost storage.
                LOG.warn("could not delete part {} of an old state of cutover {}: {}", index, runId, e.getMessage());
            }
        }
    }

    private <T> T call(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ResourceNotFoundException e) {
            throw new StateTableException(
                    "the state table '" + table.name() + "' does not exist; create it with `cutover "
                            + "fleet create-table --table " + table.name() + "` or the CloudFormation template "
                            + "cutover-state-table.yaml",
                    e);
        }
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(StateTable.PK, s(pk), StateTable.SK, s(sk));
    }

    static String runKey(String runId) {
        return "run#" + runId;
    }

    static String envKey(String environment) {
        return StateTable.environmentKey(environment);
    }

    private static String partKey(String writeId, int index) {
        return String.format("part#%s#%05d", writeId, index);
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
