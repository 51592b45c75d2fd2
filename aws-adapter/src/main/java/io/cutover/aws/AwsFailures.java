package io.cutover.aws;

import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place where AWS SDK exceptions become Cutover failures. Every call the adapter makes goes through
 * {@link #classify}, so the engine's retry and compensation decisions rest on one table, which this class's
 * unit test pins down.
 *
 * <p>Use it directly when you call the SDK yourself next to a plan (a custom step) and want the same
 * classification: {@code throw AwsFailures.classify("DescribeDBInstances", e);}
 */
public final class AwsFailures {
    private static final Set<String> THROTTLING_CODES = Set.of(
            "Throttling",
            "ThrottlingException",
            "ThrottledException",
            "RequestLimitExceeded",
            "TooManyRequestsException",
            "PriorRequestNotComplete",
            "RequestThrottled",
            "RequestThrottledException",
            "SlowDown",
            "EC2ThrottledException");

    private static final Set<String> TRANSIENT_CODES = Set.of(
            "InternalError",
            "InternalFailure",
            "ServiceUnavailable",
            "ServiceUnavailableException",
            "Unavailable",
            "RequestTimeout",
            "RequestTimeoutException",
            "InternalServerError",
            "InternalServiceError");

    private static final Set<String> NOT_FOUND_CODES = Set.of(
            "DBInstanceNotFound",
            "DBInstanceNotFoundFault",
            "DBClusterNotFound",
            "DBClusterNotFoundFault",
            "DBSnapshotNotFound",
            "DBSnapshotNotFoundFault",
            "DBClusterSnapshotNotFoundFault",
            "DBSubnetGroupNotFoundFault",
            "DBParameterGroupNotFound",
            "DBClusterParameterGroupNotFound",
            "InvalidVolume.NotFound",
            "InvalidSnapshot.NotFound",
            "InvalidAllocationID.NotFound",
            "ListenerNotFound",
            "BlueGreenDeploymentNotFoundFault",
            "RuleNotFound",
            "TargetGroupNotFound",
            "InvalidInstanceID.NotFound",
            "InvalidAssociationID.NotFound",
            "NoSuchHostedZone",
            "NoSuchChange",
            "ChangeSetNotFound",
            "ChangeSetNotFoundException",
            "StackNotFoundException",
            "ResourceNotFoundException",
            "NotFoundException",
            // SNS: a topic that does not exist.
            "NotFound");

    private static final Set<String> ALREADY_EXISTS_CODES = Set.of(
            "DBInstanceAlreadyExists",
            "DBInstanceAlreadyExistsFault",
            "DBClusterAlreadyExistsFault",
            "DBSnapshotAlreadyExists",
            "DBSnapshotAlreadyExistsFault",
            "DBClusterSnapshotAlreadyExistsFault",
            "AlreadyExistsException",
            "HostedZoneAlreadyExists",
            "ResourceAlreadyExistsException",
            "IdempotentParameterMismatch");

    private static final Set<String> ACCESS_DENIED_CODES = Set.of(
            "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess", "Unauthorized");

    private static final Set<String> INVALID_REQUEST_CODES = Set.of(
            "ValidationError",
            "ValidationException",
            "InvalidParameterValue",
            "InvalidParameterCombination",
            "InvalidParameter",
            "InvalidParameterValueException",
            "MissingParameter",
            "InvalidInput",
            "InvalidChangeBatch",
            "InvalidArgument",
            "InsufficientCapabilitiesException",
            "OperationInProgressException",
            "TokenAlreadyExistsException",
            "StorageQuotaExceeded",
            "SnapshotQuotaExceeded",
            "InstanceQuotaExceeded",
            "DBClusterQuotaExceededFault",
            "LimitExceededException",
            "KMSKeyNotAccessibleFault",
            "IdempotentParameterMismatch");

    // Bad or expired credentials: no grant fixes these, and "Invalid..." must not make them look like bad input.
    private static final Set<String> CREDENTIAL_CODES = Set.of(
            "InvalidClientTokenId",
            "AuthFailure",
            "SignatureDoesNotMatch",
            "ExpiredToken",
            "ExpiredTokenException",
            "UnrecognizedClientException",
            "InvalidAccessKeyId",
            "MissingAuthenticationToken");

    // "User: arn:aws:iam::1:user/x is not authorized to perform: rds:CreateDBSnapshot on resource: ..."
    private static final Pattern MISSING_ACTION =
            Pattern.compile("not authorized to perform:?\\s+([A-Za-z0-9-]+:[A-Za-z0-9*]+)");

    // CloudFormation reports a missing stack or change set only as a ValidationError with this wording.
    private static final Pattern CFN_MISSING =
            Pattern.compile("(Stack|ChangeSet)( with id| \\[)?\\s*\\S+?\\]? does not exist");

    private AwsFailures() {}

    /**
     * Classifies a failed SDK call. The service for the missing IAM action (on access denied) is taken from the
     * exception; prefer {@link #classify(String, String, SdkException)} when you know it.
     *
     * @param operation the API operation that failed, e.g. {@code CreateDBSnapshot}
     */
    public static ProviderException classify(String operation, SdkException e) {
        return classify(serviceOf(e), operation, e);
    }

    /**
     * Classifies a failed SDK call.
     *
     * @param service the IAM service prefix, e.g. {@code rds}; used to name the missing action on access denied
     *     when the service's message does not
     * @param operation the API operation that failed, e.g. {@code CreateDBSnapshot}
     */
    public static ProviderException classify(String service, String operation, SdkException e) {
        if (e instanceof AwsServiceException) {
            return classifyService(service, operation, (AwsServiceException) e);
        }
        if (e instanceof ApiCallTimeoutException
                || e instanceof ApiCallAttemptTimeoutException
                || hasIoCause(e)
                || (e instanceof SdkClientException && e.retryable())) {
            return new ProviderException(
                    FailureKind.TRANSIENT,
                    operation,
                    "no answer from AWS (" + withRootCause(e) + "); the call can be repeated",
                    e,
                    null);
        }
        return new ProviderException(FailureKind.PERMANENT, operation, withRootCause(e), e, null);
    }

    private static String withRootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + root;
    }

    private static ProviderException classifyService(String service, String operation, AwsServiceException e) {
        AwsErrorDetails details = e.awsErrorDetails();
        String code = details == null || details.errorCode() == null ? "" : details.errorCode();
        String serviceMessage = details == null || details.errorMessage() == null ? "" : details.errorMessage();
        int status = e.statusCode();
        FailureKind kind = kindOf(operation, code, serviceMessage, status, e);
        String message = describe(code, serviceMessage, status, e.requestId());
        String missingAction = null;
        if (kind == FailureKind.ACCESS_DENIED) {
            missingAction = missingAction(service, operation, serviceMessage);
            message = message + "; grant the caller '" + missingAction + "'";
        }
        return new ProviderException(kind, operation, message, e, missingAction);
    }

    static FailureKind kindOf(String operation, String code, String message, int status, AwsServiceException e) {
        if (e.isThrottlingException() || THROTTLING_CODES.contains(code)) {
            return FailureKind.THROTTLING;
        }
        if (NOT_FOUND_CODES.contains(code)
                || code.endsWith(".NotFound")
                || code.startsWith("NoSuch")
                || isMissingStack(operation, code, message)) {
            return FailureKind.NOT_FOUND;
        }
        if (ALREADY_EXISTS_CODES.contains(code)
                || code.endsWith("AlreadyExists")
                || code.endsWith("AlreadyExistsFault")
                || code.endsWith(".Duplicate")) {
            return FailureKind.ALREADY_EXISTS;
        }
        if (ACCESS_DENIED_CODES.contains(code)) {
            return FailureKind.ACCESS_DENIED;
        }
        if (CREDENTIAL_CODES.contains(code)) {
            return FailureKind.PERMANENT;
        }
        if (status >= 500 || TRANSIENT_CODES.contains(code)) {
            return FailureKind.TRANSIENT;
        }
        if (INVALID_REQUEST_CODES.contains(code) || code.startsWith("Invalid") || code.endsWith("StateFault")) {
            return FailureKind.INVALID_REQUEST;
        }
        return FailureKind.PERMANENT;
    }

    private static boolean isMissingStack(String operation, String code, String message) {
        // ValidateTemplate has no stack: its ValidationErrors are always about the template (moto even words
        // them as "Stack with id <reason> does not exist").
        return "ValidationError".equals(code)
                && !"ValidateTemplate".equals(operation)
                && CFN_MISSING.matcher(message).find();
    }

    static String missingAction(String service, String operation, String message) {
        Matcher m = MISSING_ACTION.matcher(message);
        if (m.find()) {
            return m.group(1);
        }
        return service + ":" + operation;
    }

    private static String describe(String code, String serviceMessage, int status, String requestId) {
        StringBuilder sb = new StringBuilder();
        sb.append(serviceMessage.isEmpty() ? "(no message)" : serviceMessage);
        sb.append(" [").append(code.isEmpty() ? "no error code" : code);
        if (status > 0) {
            sb.append(", HTTP ").append(status);
        }
        if (requestId != null && !requestId.isEmpty()) {
            sb.append(", request ").append(requestId);
        }
        return sb.append(']').toString();
    }

    private static boolean hasIoCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String serviceOf(SdkException e) {
        if (e instanceof AwsServiceException) {
            AwsErrorDetails details = ((AwsServiceException) e).awsErrorDetails();
            if (details != null && details.serviceName() != null) {
                return details.serviceName().toLowerCase(Locale.ROOT).replace(" ", "");
            }
        }
        return "aws";
    }

    /** The subject named in a NOT_FOUND message, for callers that know what they asked for. */
    static ProviderException naming(ProviderException e, Optional<String> subject) {
        if (subject.isEmpty() || e.kind() != FailureKind.NOT_FOUND) {
            return e;
        }
        String detail = e.getMessage().substring(e.operation().length() + 2);
        return new ProviderException(
                FailureKind.NOT_FOUND,
                e.operation(),
                subject.get() + " does not exist (" + detail + ")",
                e.getCause(),
                null);
    }
}
