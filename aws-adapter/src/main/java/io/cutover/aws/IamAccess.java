package io.cutover.aws;

import io.cutover.spi.AccessProvider;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ContextEntry;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The caller's permissions as IAM decides them: who calls ({@code sts:GetCallerIdentity}; for an assumed role,
 * the role's ARN from {@code iam:GetRole}) and {@code iam:SimulatePrincipalPolicy} of the plan's policy. The
 * clients are asked for only when the check runs (a {@link Supplier}), so a cutover that is not checked needs
 * neither.
 */
final class IamAccess implements AccessProvider {
    private final Supplier<IamClient> iam;
    private final Supplier<StsClient> sts;

    IamAccess(Supplier<IamClient> iam, Supplier<StsClient> sts) {
        this.iam = iam;
        this.sts = sts;
    }

    @Override
    public Caller caller() {
        StsClient client = sts.get();
        var identity = call("sts", "GetCallerIdentity", () -> client.getCallerIdentity(r -> {}));
        String region = client.serviceClientConfiguration().region() == null
                ? "*"
                : client.serviceClientConfiguration().region().id();
        return new Caller(principal(identity.arn()), identity.account(), region);
    }

    /**
     * The principal whose policies apply to a caller's ARN: a user as it is; an assumed role's session as its
     * role (with the role's path, which the session ARN leaves out). The root user and federated users have no
     * policies IAM can simulate.
     */
    String principal(String callerArn) {
        String[] parts = callerArn.split(":", 6);
        String resource = parts.length == 6 ? parts[5] : "";
        if (resource.startsWith("user/") || resource.startsWith("role/")) {
            return callerArn;
        }
        if (resource.startsWith("assumed-role/")) {
            String role = resource.split("/")[1];
            IamClient client = iam.get();
            return call("iam", "GetRole", () -> client.getRole(r -> r.roleName(role)))
                    .role()
                    .arn();
        }
        throw ProviderException.of(
                FailureKind.INVALID_REQUEST,
                "GetCallerIdentity",
                "the caller " + callerArn + " is "
                        + (resource.equals("root") ? "the account's root user" : "no IAM " + "user or role")
                        + ", whose policies IAM cannot simulate");
    }

    @Override
    public List<Decision> simulate(String principal, List<Request> requests) {
        IamClient client = iam.get();
        List<Decision> out = new ArrayList<>();
        for (Request r : requests) {
            List<ContextEntry> context = new ArrayList<>();
            r.context()
                    .forEach((k, v) -> context.add(ContextEntry.builder()
                            .contextKeyName(k)
                            .contextKeyType(ContextKeyTypeEnum.STRING)
                            .contextKeyValues(v)
                            .build()));
            List<EvaluationResult> results = call(
                    "iam",
                    "SimulatePrincipalPolicy",
                    () -> client
                            .simulatePrincipalPolicyPaginator(b -> b.policySourceArn(principal)
                                    .actionNames(r.actions())
                                    .resourceArns(r.resources())
                                    .contextEntries(context))
                            .evaluationResults()
                            .stream()
                            .toList());
            for (EvaluationResult e : results) {
                out.add(new Decision(
                        e.evalActionName(),
                        e.evalResourceName(),
                        e.evalDecision() == PolicyEvaluationDecisionType.ALLOWED,
                        e.evalDecisionAsString()));
            }
        }
        return out;
    }

    private static <T> T call(String prefix, String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (SdkException e) {
            throw AwsFailures.classify(prefix, operation, e);
        }
    }
}
