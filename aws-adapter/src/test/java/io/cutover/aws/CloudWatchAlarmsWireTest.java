package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.spi.AlarmProvider.AlarmState;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;
import software.amazon.awssdk.thirdparty.jackson.dataformat.cbor.CBORFactory;
import software.amazon.awssdk.thirdparty.jackson.dataformat.cbor.CBORGenerator;
import software.amazon.awssdk.thirdparty.jackson.dataformat.cbor.CBORParser;

/**
 * DescribeAlarms on the wire, through the SDK's real CloudWatch client: what the adapter sends and how it reads
 * the answer, in CloudWatch's Smithy RPC v2 CBOR protocol (the only one SDK 2.57.8's client speaks, and one moto
 * does not: {@code CloudWatchAlarmsIT} reaches moto through {@code RpcV2CborToJsonBridge}). The HTTP client is a recording fake that answers CBOR written here; the
 * CBOR codec is the SDK's own (its shaded Jackson), so this proves the request and the mapping, not the codec.
 */
class CloudWatchAlarmsWireTest {
    static final CBORFactory CBOR = new CBORFactory();

    /** The requests the fake received, and the CBOR bodies it answers in turn. */
    record Exchange(SdkHttpRequest request, Map<String, Object> body) {}

    final List<Exchange> exchanges = new ArrayList<>();

    CloudWatchClient answering(int status, Map<String, String> headers, List<Map<String, Object>> answers) {
        SdkHttpClient http = new SdkHttpClient() {
            @Override
            public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
                return new ExecutableHttpRequest() {
                    @Override
                    public HttpExecuteResponse call() throws IOException {
                        byte[] sent = request.contentStreamProvider()
                                .orElseThrow()
                                .newStream()
                                .readAllBytes();
                        exchanges.add(new Exchange(request.httpRequest(), decode(sent)));
                        byte[] body = encode(answers.get(exchanges.size() - 1));
                        SdkHttpFullResponse.Builder response = SdkHttpFullResponse.builder()
                                .statusCode(status)
                                .putHeader("Content-Type", "application/cbor")
                                .putHeader("smithy-protocol", "rpc-v2-cbor")
                                .putHeader("Content-Length", String.valueOf(body.length));
                        headers.forEach(response::putHeader);
                        return HttpExecuteResponse.builder()
                                .response(response.build())
                                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                                .build();
                    }

                    @Override
                    public void abort() {}
                };
            }

            @Override
            public void close() {}
        };
        return CloudWatchClient.builder()
                .httpClient(http)
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create("https://monitoring.us-east-1.amazonaws.com"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @Test
    void describeAlarmsIsSentAsCborByNameForBothAlarmTypesAndEveryPageIsRead() {
        Instant updated = Instant.parse("2026-12-03T04:00:00Z");
        var alarms = new CloudWatchAlarms(answering(
                200,
                Map.of(),
                List.of(
                        Map.of(
                                "MetricAlarms",
                                List.of(Map.of(
                                        "AlarmName",
                                        "green-5xx",
                                        "StateValue",
                                        "ALARM",
                                        "StateUpdatedTimestamp",
                                        updated,
                                        "Threshold",
                                        10.0)),
                                "CompositeAlarms",
                                List.of(),
                                "NextToken",
                                "page-2"),
                        Map.of(
                                "CompositeAlarms",
                                List.of(Map.of("AlarmName", "green-health", "StateValue", "INSUFFICIENT_DATA")),
                                "MetricAlarms",
                                List.of(Map.of("AlarmName", "green-latency", "StateValue", "OK"))))));

        Map<String, AlarmState> states = alarms.states(List.of("green-5xx", "green-health", "green-latency", "typo"));

        assertThat(states)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "green-5xx", AlarmState.ALARM,
                        "green-health", AlarmState.INSUFFICIENT_DATA,
                        "green-latency", AlarmState.OK));
        assertThat(exchanges).hasSize(2);
        SdkHttpRequest first = exchanges.get(0).request();
        assertThat(first.method().name()).isEqualTo("POST");
        assertThat(first.encodedPath()).isEqualTo("/service/GraniteServiceVersion20100801/operation/DescribeAlarms");
        assertThat(first.firstMatchingHeader("smithy-protocol")).hasValue("rpc-v2-cbor");
        assertThat(first.firstMatchingHeader("Content-Type")).hasValue("application/cbor");
        assertThat(exchanges.get(0).body())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "AlarmNames", List.of("green-5xx", "green-health", "green-latency", "typo"),
                        "AlarmTypes", List.of("MetricAlarm", "CompositeAlarm")));
        assertThat(exchanges.get(1).body()).containsEntry("NextToken", "page-2");
    }

    @Test
    void aDeniedCallIsAccessDeniedAndNamesTheActionToGrant() {
        // CloudWatch is awsQueryCompatible: the SDK takes an error's code from the x-amzn-query-error header.
        var alarms = new CloudWatchAlarms(answering(
                403,
                Map.of("x-amzn-query-error", "AccessDenied;Sender"),
                List.of(Map.of(
                        "__type",
                        "com.amazonaws.cloudwatch#AccessDeniedException",
                        "message",
                        "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: "
                                + "cloudwatch:DescribeAlarms"))));

        assertThatThrownBy(() -> alarms.states(List.of("green-5xx")))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FailureKind.ACCESS_DENIED);
                    assertThat(e.getMessage()).contains("grant the caller 'cloudwatch:DescribeAlarms'");
                });
    }

    static byte[] encode(Object value) {
        var out = new ByteArrayOutputStream();
        try (CBORGenerator g = (CBORGenerator) CBOR.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void write(CBORGenerator g, Object value) throws IOException {
        if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName((String) e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (value instanceof Instant t) {
            g.writeTag(1); // epoch-seconds date/time, as Smithy RPC v2 CBOR writes timestamps
            g.writeNumber(t.toEpochMilli() / 1000.0);
        } else if (value instanceof Double d) {
            g.writeNumber(d);
        } else {
            g.writeString((String) value);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> decode(byte[] cbor) {
        try (CBORParser p = (CBORParser) CBOR.createParser(cbor)) {
            return (Map<String, Object>) read(p, p.nextToken());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Object read(JsonParser p, JsonToken t) throws IOException {
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
            default -> throw new IllegalStateException("unexpected CBOR token " + t);
        }
    }
}
