package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.io.IOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsFailuresTest {
    static AwsServiceException serviceError(String service, String code, String message, int status) {
        return AwsServiceException.builder()
                .awsErrorDetails(AwsErrorDetails.builder()
                        .serviceName(service)
                        .errorCode(code)
                        .errorMessage(message)
                        .build())
                .statusCode(status)
                .requestId("req-1")
                .message(message)
                .build();
    }

    @ParameterizedTest(name = "{0} {1} ({3}) -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
      CloudFormation | DescribeStacks           | Throttling                         | 400 | THROTTLING
      Ec2            | DescribeVolumes          | RequestLimitExceeded               | 503 | THROTTLING
      Route53        | ChangeResourceRecordSets | PriorRequestNotComplete            | 400 | THROTTLING
      Rds            | DescribeDBInstances      | ThrottlingException                | 400 | THROTTLING
      Route53        | GetChange                | TooManyRequestsException           | 429 | THROTTLING
      Rds            | CreateDBSnapshot         | InternalFailure                    | 500 | TRANSIENT
      Ec2            | CreateVolume             | Unavailable                        | 503 | TRANSIENT
      Ec2            | CreateVolume             | SomethingNew                       | 502 | TRANSIENT
      Rds            | DescribeDBInstances      | DBInstanceNotFound                 | 404 | NOT_FOUND
      Rds            | DescribeDBClusters       | DBClusterNotFoundFault             | 404 | NOT_FOUND
      Rds            | DescribeDBSnapshots      | DBSnapshotNotFound                 | 404 | NOT_FOUND
      Rds            | DescribeDBClusterSnapshots | DBClusterSnapshotNotFoundFault   | 404 | NOT_FOUND
      Ec2            | DescribeVolumes          | InvalidVolume.NotFound             | 400 | NOT_FOUND
      Ec2            | DescribeSnapshots        | InvalidSnapshot.NotFound           | 400 | NOT_FOUND
      Ec2            | DescribeAddresses        | InvalidAllocationID.NotFound       | 400 | NOT_FOUND
      Route53        | GetHostedZone            | NoSuchHostedZone                   | 404 | NOT_FOUND
      Route53        | GetChange                | NoSuchChange                       | 404 | NOT_FOUND
      CloudFormation | DescribeChangeSet        | ChangeSetNotFound                  | 404 | NOT_FOUND
      Rds            | CreateDBInstance         | DBInstanceAlreadyExists            | 400 | ALREADY_EXISTS
      Rds            | CreateDBSnapshot         | DBSnapshotAlreadyExists            | 400 | ALREADY_EXISTS
      Rds            | CreateDBClusterSnapshot  | DBClusterSnapshotAlreadyExistsFault | 400 | ALREADY_EXISTS
      CloudFormation | CreateStack              | AlreadyExistsException             | 400 | ALREADY_EXISTS
      Rds            | CreateDBSnapshot         | AccessDenied                       | 403 | ACCESS_DENIED
      CloudFormation | CreateStack              | AccessDeniedException              | 400 | ACCESS_DENIED
      Ec2            | CreateSnapshot           | UnauthorizedOperation              | 403 | ACCESS_DENIED
      CloudFormation | CreateStack              | ValidationError                    | 400 | INVALID_REQUEST
      Rds            | RestoreDBInstanceFromDBSnapshot | InvalidParameterCombination | 400 | INVALID_REQUEST
      Ec2            | CreateVolume             | InvalidParameterValue              | 400 | INVALID_REQUEST
      Rds            | DeleteDBInstance         | InvalidDBInstanceState             | 400 | INVALID_REQUEST
      Rds            | DeleteDBCluster          | InvalidDBClusterStateFault         | 400 | INVALID_REQUEST
      Ec2            | DeleteVolume             | IncorrectState                     | 400 | PERMANENT
      Ec2            | DescribeVolumes          | AuthFailure                        | 401 | PERMANENT
      Rds            | CreateDBInstance         | StorageTypeNotSupported            | 400 | PERMANENT
      """)
    void classifiesByErrorCode(String service, String operation, String code, int status, FailureKind expected) {
        ProviderException e = AwsFailures.classify(operation, serviceError(service, code, "boom", status));

        assertThat(e.kind()).isEqualTo(expected);
        assertThat(e.retryable()).isEqualTo(expected == FailureKind.THROTTLING || expected == FailureKind.TRANSIENT);
        assertThat(e.operation()).isEqualTo(operation);
        assertThat(e.getMessage()).contains(code, "boom", "req-1");
        assertThat(e.getCause()).isInstanceOf(AwsServiceException.class);
    }

    @Test
    void aMissingStackIsNotFoundThoughCloudFormationCallsItAValidationError() {
        ProviderException e = AwsFailures.classify(
                "DescribeStacks",
                serviceError("CloudFormation", "ValidationError", "Stack with id blue does not exist", 400));

        assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND);
        assertThat(e.getMessage()).contains("Stack with id blue does not exist");
    }

    @Test
    void aMissingStackInBracketsIsNotFoundToo() {
        assertThat(AwsFailures.classify(
                                "CreateChangeSet",
                                serviceError("CloudFormation", "ValidationError", "Stack [blue] does not exist", 400))
                        .kind())
                .isEqualTo(FailureKind.NOT_FOUND);
    }

    @Test
    void aRejectedTemplateIsAnInvalidRequestEvenWhenWordedLikeAMissingStack() {
        // moto words every template error this way; AWS never has a stack in ValidateTemplate
        ProviderException e = AwsFailures.classify(
                "ValidateTemplate",
                serviceError(
                        "CloudFormation",
                        "ValidationError",
                        "Stack with id 'Resources' is a required property does not exist",
                        400));

        assertThat(e.kind()).isEqualTo(FailureKind.INVALID_REQUEST);
    }

    @Test
    void accessDeniedNamesTheActionFromTheServiceMessage() {
        ProviderException e = AwsFailures.classify(
                "rds",
                "CreateDBSnapshot",
                serviceError(
                        "Rds",
                        "AccessDenied",
                        "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: rds:CreateDBSnapshot on resource: "
                                + "arn:aws:rds:us-east-1:123456789012:db:blue",
                        403));

        assertThat(e.kind()).isEqualTo(FailureKind.ACCESS_DENIED);
        assertThat(e.missingAction()).contains("rds:CreateDBSnapshot");
        assertThat(e.getMessage()).contains("grant the caller 'rds:CreateDBSnapshot'");
    }

    @Test
    void accessDeniedWithoutTheActionInTheMessageNamesTheServiceAndOperationCalled() {
        ProviderException e = AwsFailures.classify(
                "ec2",
                "CreateSnapshot",
                serviceError("Ec2", "UnauthorizedOperation", "You are not authorized to perform this operation.", 403));

        assertThat(e.missingAction()).contains("ec2:CreateSnapshot");
    }

    @Test
    void theTwoArgumentFormTakesTheServiceFromTheException() {
        ProviderException e =
                AwsFailures.classify("GetHostedZone", serviceError("Route53", "AccessDenied", "denied", 403));

        assertThat(e.missingAction()).contains("route53:GetHostedZone");
    }

    @Test
    void aMissingMessageStillYieldsAReadableOne() {
        // moto answers InvalidSnapshot.NotFound without a message
        ProviderException e =
                AwsFailures.classify("DescribeSnapshots", serviceError("Ec2", "InvalidSnapshot.NotFound", null, 400));

        assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND);
        assertThat(e.getMessage())
                .isEqualTo("DescribeSnapshots: (no message) [InvalidSnapshot.NotFound, HTTP 400, " + "request req-1]");
    }

    @Test
    void aStatus429WithoutACodeIsThrottling() {
        AwsServiceException e = AwsServiceException.builder()
                .statusCode(429)
                .message("slow down")
                .build();

        assertThat(AwsFailures.classify("GetChange", e).kind()).isEqualTo(FailureKind.THROTTLING);
    }

    @Test
    void aConnectionFailureIsTransient() {
        SdkClientException e = SdkClientException.builder()
                .message("Unable to execute HTTP request")
                .cause(new ConnectException("Connection refused"))
                .build();

        ProviderException classified = AwsFailures.classify("DescribeStacks", e);

        assertThat(classified.kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(classified.getMessage()).contains("Connection refused");
    }

    @Test
    void anIoFailureDeepInTheCauseChainIsTransient() {
        SdkClientException e = SdkClientException.builder()
                .message("read failed")
                .cause(new RuntimeException(new IOException("Connection reset")))
                .build();

        assertThat(AwsFailures.classify("DescribeStacks", e).kind()).isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void anApiCallTimeoutIsTransient() {
        assertThat(AwsFailures.classify("DescribeStacks", ApiCallTimeoutException.create(30_000))
                        .kind())
                .isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void missingCredentialsArePermanent() {
        SdkClientException e = SdkClientException.builder()
                .message("Unable to load credentials from any of the providers in the chain")
                .build();

        assertThat(AwsFailures.classify("DescribeStacks", e).kind()).isEqualTo(FailureKind.PERMANENT);
    }

    @Test
    void notFoundNamesTheSubjectTheCallerAskedFor() {
        ProviderException named = AwsFailures.naming(
                AwsFailures.classify("DescribeSnapshots", serviceError("Ec2", "InvalidSnapshot.NotFound", null, 400)),
                java.util.Optional.of("snapshot 'snap-1'"));

        assertThat(named.kind()).isEqualTo(FailureKind.NOT_FOUND);
        assertThat(named.getMessage()).startsWith("DescribeSnapshots: snapshot 'snap-1' does not exist (");
    }
}
