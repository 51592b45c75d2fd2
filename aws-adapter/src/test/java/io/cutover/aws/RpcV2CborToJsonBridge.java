package io.cutover.aws;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;
import software.amazon.awssdk.thirdparty.jackson.dataformat.cbor.CBORFactory;
import software.amazon.awssdk.thirdparty.jackson.dataformat.cbor.CBORGenerator;

/**
 * A test-only HTTP client that lets an SDK client speaking Smithy RPC v2 CBOR talk to an emulator that answers the
 * same service in JSON 1.0 only (moto 5.2.5 and CloudWatch: {@code CloudWatchAlarmsIT}). It translates the
 * protocol and nothing else: {@code POST /service/<Service>/operation/<Operation>} with a CBOR body becomes
 * {@code POST /} with {@code X-Amz-Target: <Service>.<Operation>} and the same members as JSON (CBOR timestamps,
 * tag 1, are epoch-second numbers in both; blobs become base64); the JSON answer becomes CBOR with its status and
 * headers kept (so an error's {@code __type} and {@code x-amzn-query-error} reach the SDK as the emulator wrote
 * them), each timestamp written with tag 1 where the SDK's model of the operation's output says the member is
 * one.
 *
 * <p>The request is not signed again: moto keeps the SDK's {@code Authorization} header to tell which service is
 * called (its credential scope names {@code monitoring}) and, unless IAM enforcement is switched on, checks no
 * signature (measured with moto 5.2.5: a JSON 1.0 call with signature {@code deadbeef} is answered). What the SDK
 * really puts on the wire is proven separately, by {@code CloudWatchAlarmsWireTest}.
 */
final class RpcV2CborToJsonBridge implements SdkHttpClient {
    private static final Pattern PATH = Pattern.compile("/service/([^/]+)/operation/([^/]+)");
    /** Headers that name the CBOR protocol or that the JDK's client sets itself. */
    private static final Set<String> NOT_COPIED = Set.of(
            "content-type",
            "content-length",
            "transfer-encoding",
            "smithy-protocol",
            "accept",
            "host",
            "connection",
            "date",
            "expect",
            "from",
            "upgrade",
            "via",
            "warning");

    private static final CBORFactory CBOR = new CBORFactory();
    private static final JsonFactory JSON = new JsonFactory();

    private final String modelPackage;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /**
     * @param modelPackage where the service's {@code <Operation>Response} classes are, whose fields say which
     *     members of an answer are timestamps (e.g. {@code software.amazon.awssdk.services.cloudwatch.model})
     */
    RpcV2CborToJsonBridge(String modelPackage) {
        this.modelPackage = modelPackage;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                return exchange(request);
            }

            @Override
            public void abort() {}
        };
    }

    @Override
    public String clientName() {
        return "RpcV2CborToJsonBridge";
    }

    @Override
    public void close() {}

    private HttpExecuteResponse exchange(HttpExecuteRequest request) throws IOException {
        SdkHttpRequest sdk = request.httpRequest();
        Matcher m = PATH.matcher(sdk.encodedPath());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Smithy RPC v2 CBOR request: " + sdk.encodedPath());
        }
        String operation = m.group(2);
        byte[] cbor = request.contentStreamProvider().isPresent()
                ? request.contentStreamProvider().get().newStream().readAllBytes()
                : new byte[0];
        Object members = cbor.length == 0 ? Map.of() : read(CBOR.createParser(cbor));

        HttpRequest.Builder json = HttpRequest.newBuilder(
                        URI.create(sdk.protocol() + "://" + sdk.host() + ":" + sdk.port() + "/"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", m.group(1) + "." + operation)
                .POST(HttpRequest.BodyPublishers.ofByteArray(encode(JSON, members, null)));
        sdk.forEachHeader((name, values) -> {
            if (!NOT_COPIED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> json.header(name, v));
            }
        });
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(json.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted calling " + operation, e);
        }

        SdkHttpFullResponse.Builder response = SdkHttpFullResponse.builder().statusCode(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            if (!NOT_COPIED.contains(name.toLowerCase(Locale.ROOT))) {
                response.putHeader(name, values);
            }
        });
        byte[] body = answer.body();
        Object parsed = parseJson(body);
        if (parsed != null) {
            // An error's body keeps its __type and message; a result is written after its output shape.
            List<SdkField<?>> shape = answer.statusCode() / 100 == 2 ? outputFields(operation) : null;
            body = encode(CBOR, parsed, shape == null ? null : Shape.of(shape));
            response.putHeader("Content-Type", "application/cbor").putHeader("smithy-protocol", "rpc-v2-cbor");
        }
        response.putHeader("Content-Length", String.valueOf(body.length));
        return HttpExecuteResponse.builder()
                .response(response.build())
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                .build();
    }

    /** The answer as JSON values, or null when it is not JSON (moto's HTML page for an unknown operation). */
    private static Object parseJson(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return read(JSON.createParser(body));
        } catch (IOException e) {
            return null;
        }
    }

    private List<SdkField<?>> outputFields(String operation) {
        try {
            Object builder = Class.forName(modelPackage + "." + operation + "Response")
                    .getMethod("builder")
                    .invoke(null);
            return ((SdkPojo) builder).sdkFields();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no output shape for " + operation + " in " + modelPackage, e);
        }
    }

    /** What the SDK's model says of one value: a structure's members, a list's or map's element, or a scalar. */
    private record Shape(MarshallingType<?> type, Map<String, SdkField<?>> members, SdkField<?> elementField) {
        static Shape of(List<SdkField<?>> fields) {
            Map<String, SdkField<?>> byName = new LinkedHashMap<>();
            fields.forEach(f -> byName.put(f.locationName(), f));
            return new Shape(MarshallingType.SDK_POJO, byName, null);
        }

        static Shape of(SdkField<?> field) {
            MarshallingType<?> type = field.marshallingType();
            if (type == MarshallingType.SDK_POJO) {
                return of(field.constructor().get().sdkFields());
            }
            if (type == MarshallingType.LIST) {
                return new Shape(
                        type, Map.of(), field.getRequiredTrait(ListTrait.class).memberFieldInfo());
            }
            if (type == MarshallingType.MAP) {
                return new Shape(
                        type, Map.of(), field.getRequiredTrait(MapTrait.class).valueFieldInfo());
            }
            return new Shape(type, Map.of(), null);
        }

        Shape member(String name) {
            SdkField<?> f = members.get(name);
            return f == null ? null : of(f);
        }

        Shape element() {
            return elementField == null ? null : of(elementField);
        }
    }

    private static byte[] encode(JsonFactory format, Object value, Shape shape) {
        var out = new ByteArrayOutputStream();
        try (JsonGenerator g = format.createGenerator(out)) {
            write(g, value, shape);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, Object value, Shape shape) throws IOException {
        if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String name = (String) e.getKey();
                g.writeFieldName(name);
                Shape member = shape == null
                        ? null
                        : shape.type() == MarshallingType.MAP ? shape.element() : shape.member(name);
                write(g, e.getValue(), member);
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                write(g, o, shape == null ? null : shape.element());
            }
            g.writeEndArray();
        } else if (value instanceof Number n && shape != null && shape.type() == MarshallingType.INSTANT) {
            // Smithy RPC v2 CBOR: a timestamp is tag 1 (epoch-based date/time) on epoch seconds.
            ((CBORGenerator) g).writeTag(1);
            g.writeNumber(n.doubleValue());
        } else if (value instanceof Double d) {
            g.writeNumber(d);
        } else if (value instanceof Float f) {
            g.writeNumber(f);
        } else if (value instanceof Number n) {
            g.writeNumber(n.longValue());
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof byte[] bytes) {
            g.writeBinary(bytes); // base64 in JSON, a byte string in CBOR
        } else if (value == null) {
            g.writeNull();
        } else {
            g.writeString((String) value);
        }
    }

    private static Object read(JsonParser p) throws IOException {
        try (p) {
            return read(p, p.nextToken());
        }
    }

    private static Object read(JsonParser p, JsonToken t) throws IOException {
        if (t == null) {
            throw new IOException("empty document");
        }
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    map.put(name, read(p, p.nextToken()));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
                    list.add(read(p, n));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return p.getNumberValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return p.getBooleanValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            case VALUE_EMBEDDED_OBJECT -> {
                return p.getBinaryValue();
            }
            default -> throw new IOException("unexpected token " + t);
        }
    }
}
