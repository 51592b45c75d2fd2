package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.spi.VolumeProvider.VolumeCopy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * CopyVolumes on the wire, through the SDK's real EC2 client: what the adapter sends (EC2's query protocol, a form
 * body) and how it reads the answer. moto 5.2.5 does not implement CopyVolumes, so this is where the request's
 * shape is proven: the source, the client token that makes a repeated call return the same copy, and the tags in
 * the same call (the copy is found by them after a lost answer). The answers are written here after the EC2 API
 * reference (CopyVolumes: {@code volumeSet} of volumes; errors as EC2's {@code Response/Errors/Error}).
 */
class Ec2VolumesWireTest {
    /** The form bodies the fake received, decoded, in order. */
    final List<Map<String, String>> sent = new ArrayList<>();

    Ec2Volumes answering(int status, String body) {
        SdkHttpClient http = new SdkHttpClient() {
            @Override
            public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
                return new ExecutableHttpRequest() {
                    @Override
                    public HttpExecuteResponse call() throws IOException {
                        byte[] form = request.contentStreamProvider()
                                .orElseThrow()
                                .newStream()
                                .readAllBytes();
                        sent.add(decode(new String(form, StandardCharsets.UTF_8)));
                        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                        return HttpExecuteResponse.builder()
                                .response(SdkHttpFullResponse.builder()
                                        .statusCode(status)
                                        .putHeader("Content-Type", "text/xml;charset=UTF-8")
                                        .putHeader("Content-Length", String.valueOf(bytes.length))
                                        .build())
                                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
                                .build();
                    }

                    @Override
                    public void abort() {}
                };
            }

            @Override
            public void close() {}
        };
        Ec2Client ec2 = Ec2Client.builder()
                .httpClient(http)
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create("https://ec2.us-east-1.amazonaws.com"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        return new Ec2Volumes(ec2, new AwsCalls());
    }

    static Map<String, String> decode(String form) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            params.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    static String copied(String volumeId) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<CopyVolumesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                + "<requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>"
                + "<volumeSet><item><volumeId>" + volumeId + "</volumeId><size>100</size>"
                + "<availabilityZone>us-east-1a</availabilityZone><status>creating</status>"
                + "<volumeType>gp3</volumeType></item></volumeSet>"
                + "</CopyVolumesResponse>";
    }

    static String error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>" + code + "</Code><Message>"
                + message + "</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-example</RequestID>"
                + "</Response>";
    }

    @Test
    void theCopyIsAskedOfItsSourceWithTheClientTokenAndTheTagsInTheSameCallAndItsIdIsReturned() {
        var volumes = answering(200, copied("vol-0c0ffee0c0ffee000"));

        String id = volumes.copyVolume(new VolumeCopy(
                "vol-0b1ue0b1ue0b1ue00",
                Optional.empty(),
                0,
                "cutover-upgrade-2-0-replace-disk",
                Map.of("cutover:plan", "upgrade-2-0", "cutover:step", "replace-disk")));

        assertThat(id).isEqualTo("vol-0c0ffee0c0ffee000");
        assertThat(sent).hasSize(1);
        Map<String, String> form = sent.get(0);
        // The token's value, not its presence: without one the SDK sends a random token of its own, which makes
        // a repeated call (a resumed run) a second copy.
        assertThat(form)
                .containsEntry("Action", "CopyVolumes")
                .containsEntry("SourceVolumeId", "vol-0b1ue0b1ue0b1ue00")
                .containsEntry("ClientToken", "cutover-upgrade-2-0-replace-disk")
                .containsEntry("TagSpecification.1.ResourceType", "volume");
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 1; form.containsKey("TagSpecification.1.Tag." + i + ".Key"); i++) {
            tags.put(
                    form.get("TagSpecification.1.Tag." + i + ".Key"),
                    form.get("TagSpecification.1.Tag." + i + ".Value"));
        }
        assertThat(tags)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("cutover:plan", "upgrade-2-0", "cutover:step", "replace-disk"));
        // The copy takes the source's size and type when the plan names none: EC2's defaults, so nothing is sent.
        assertThat(form).doesNotContainKeys("Size", "VolumeType", "Iops", "Throughput");
    }

    @Test
    void aSizeAndTypeThePlanNamesAreSent() {
        var volumes = answering(200, copied("vol-0c0ffee0c0ffee000"));

        volumes.copyVolume(new VolumeCopy("vol-0b1ue0b1ue0b1ue00", Optional.of("gp3"), 200, "t-1", Map.of("k", "v")));

        assertThat(sent.get(0)).containsEntry("Size", "200").containsEntry("VolumeType", "gp3");
    }

    @Test
    void theSourcesProvisionedPerformanceIsSentAsIops() {
        var volumes = answering(200, copied("vol-0c0ffee0c0ffee000"));

        volumes.copyVolume(new VolumeCopy(
                "vol-0b1ue0b1ue0b1ue00",
                Optional.of("io2"),
                0,
                "t-1",
                Map.of("k", "v"),
                new io.cutover.spi.VolumeProvider.Performance(Optional.of(16_000), Optional.empty())));

        assertThat(sent.get(0))
                .containsEntry("VolumeType", "io2")
                .containsEntry("Iops", "16000")
                .doesNotContainKey("Throughput");
    }

    @Test
    void aCopyStillCopyingItsBlocksReportsItsProgressAndOneDoneReportsNone() {
        String initializing = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<DescribeVolumeStatusResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                + "<requestId>r-1</requestId><volumeStatusSet><item><volumeId>vol-0c0ffee0c0ffee000</volumeId>"
                + "<availabilityZone>us-east-1a</availabilityZone>"
                + "<volumeStatus><status>ok</status></volumeStatus>"
                + "<initializationStatusDetails><initializationType>volume-copy</initializationType>"
                + "<progress>40</progress><estimatedTimeToCompleteInSeconds>480</estimatedTimeToCompleteInSeconds>"
                + "</initializationStatusDetails></item></volumeStatusSet></DescribeVolumeStatusResponse>";
        assertThat(answering(200, initializing).initialization("vol-0c0ffee0c0ffee000"))
                .contains(new io.cutover.spi.VolumeProvider.Initialization(
                        40, Optional.of(java.time.Duration.ofSeconds(480))));
        assertThat(sent.get(0))
                .containsEntry("Action", "DescribeVolumeStatus")
                .containsEntry("VolumeId.1", "vol-0c0ffee0c0ffee000");

        String done = initializing.replace("<progress>40</progress>", "<progress>100</progress>");
        assertThat(answering(200, done).initialization("vol-0c0ffee0c0ffee000")).isEmpty();
    }

    @Test
    void aCopyOfAVolumeThatDoesNotExistIsNotFoundAndNamesTheVolume() {
        var volumes =
                answering(400, error("InvalidVolume.NotFound", "The volume 'vol-0b1ue0b1ue0b1ue00' does not exist."));

        assertThatThrownBy(() -> volumes.copyVolume(
                        new VolumeCopy("vol-0b1ue0b1ue0b1ue00", Optional.empty(), 0, "t-1", Map.of("k", "v"))))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND);
                    assertThat(e.operation()).isEqualTo("CopyVolumes");
                    assertThat(e.getMessage()).contains("volume 'vol-0b1ue0b1ue0b1ue00'");
                });
    }

    @Test
    void aDeniedCopyNamesTheActionToGrant() {
        var volumes = answering(
                403,
                error(
                        "UnauthorizedOperation",
                        "You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/ci is"
                                + " not authorized to perform: ec2:CopyVolumes on resource:"
                                + " arn:aws:ec2:us-east-1:123456789012:volume/*"));

        assertThatThrownBy(() -> volumes.copyVolume(
                        new VolumeCopy("vol-0b1ue0b1ue0b1ue00", Optional.empty(), 0, "t-1", Map.of("k", "v"))))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FailureKind.ACCESS_DENIED);
                    assertThat(e.getMessage()).contains("grant the caller 'ec2:CopyVolumes'");
                });
    }

    @Test
    void anAnswerWithoutTheCopySaysSoRatherThanReturningNoId() {
        var volumes = answering(
                200,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CopyVolumesResponse"
                        + " xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r-1</requestId>"
                        + "<volumeSet/></CopyVolumesResponse>");

        assertThatThrownBy(() -> volumes.copyVolume(new VolumeCopy(
                        "vol-0b1ue0b1ue0b1ue00", Optional.empty(), 0, "t-1", Map.of("cutover:step", "replace-disk"))))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FailureKind.PERMANENT);
                    assertThat(e.getMessage()).contains("vol-0b1ue0b1ue0b1ue00").contains("cutover:step");
                });
    }
}
