package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.spi.FailureKind;
import io.cutover.spi.NotificationProvider;
import io.cutover.spi.ProviderException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * A cutover's notification published to an SNS topic arrives at the topic's subscriber: moto delivers to an HTTP
 * subscription, here a server of the test's own; and a webhook gets Slack's JSON.
 */
@AwsEmulator
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnsNotificationsIT {
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    HttpServer subscriber;
    SnsClient sns;
    AwsClients clients;
    NotificationProvider notifications;

    @BeforeAll
    void setUp(EmulatorEndpoint aws) throws Exception {
        subscriber = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        subscriber.createContext("/", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/broken") ? 500 : 200, -1);
            exchange.close();
        });
        subscriber.start();
        sns = aws.configure(SnsClient.builder()).build();
        clients = Emulated.clients(aws);
        notifications = AwsCloud.builder().clients(clients).sns(sns).build().notifications();
    }

    @AfterAll
    void close() {
        subscriber.stop(0);
        sns.close();
        clients.close();
    }

    URI local(String path) {
        return URI.create("http://127.0.0.1:" + subscriber.getAddress().getPort() + path);
    }

    @Test
    void aPublishedNotificationReachesTheTopicsSubscriberWithItsSubjectAndText() throws Exception {
        String topic = sns.createTopic(r -> r.name("cutovers")).topicArn();
        sns.subscribe(
                r -> r.topicArn(topic).protocol("http").endpoint(local("/sns").toString()));

        notifications.publish(
                topic,
                "Cutover shop-prod: waiting for approval",
                "Cutover upgrade-2-0 of shop-prod: gate approve-freeze waiting",
                Duration.ofSeconds(5));

        String body = received.poll(10, TimeUnit.SECONDS);
        assertThat(body).as("moto's POST to the topic's HTTP subscriber").isNotNull();
        JsonNode n = new ObjectMapper().readTree(body);
        assertThat(n.get("Type").asText()).isEqualTo("Notification");
        assertThat(n.get("TopicArn").asText()).isEqualTo(topic);
        assertThat(n.get("Subject").asText()).isEqualTo("Cutover shop-prod: waiting for approval");
        assertThat(n.get("Message").asText())
                .isEqualTo("Cutover upgrade-2-0 of shop-prod: gate approve-freeze waiting");
    }

    @Test
    void aTopicThatDoesNotExistIsNotFoundNamingIt() {
        assertThatThrownBy(() -> notifications.publish(
                        "arn:aws:sns:us-east-1:123456789012:no-such-topic", "s", "m", Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND))
                .hasMessageContaining("no-such-topic");
    }

    @Test
    void aWebhookGetsTheJsonAndAnErrorStatusIsAFailureThatDoesNotShowItsUrl() throws Exception {
        received.clear();
        notifications.post(local("/hook/T000/s3cr3t"), "{\"text\":\"downtime started\"}", Duration.ofSeconds(5));
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("{\"text\":\"downtime started\"}");

        assertThatThrownBy(() -> notifications.post(local("/broken"), "{\"text\":\"x\"}", Duration.ofSeconds(5)))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("answered HTTP 500")
                .hasMessageNotContaining("/broken");
    }
}
