package io.cutover.spi;

import java.util.List;

/**
 * What the caller may do, as the cloud's access control would decide it (IAM's {@code SimulatePrincipalPolicy} on
 * AWS), asked before a cutover changes anything. Read-only.
 */
public interface AccessProvider {
    /**
     * The principal whose policies decide the caller's calls (an IAM user or role ARN). Throws
     * {@link FailureKind#INVALID_REQUEST} when the caller is no principal whose policies can be simulated (the
     * account's root user, a federated user), {@link FailureKind#ACCESS_DENIED} when the caller may not ask.
     */
    Caller caller();

    /**
     * Who calls: the IAM principal whose policies decide (a user or role ARN), and the account and region the
     * calls go to (for the ARNs to simulate).
     */
    record Caller(String principal, String account, String region) {}

    /**
     * Whether the principal's policies allow each request. Throws {@link FailureKind#ACCESS_DENIED} when the
     * caller may not simulate (the check is then skipped, not failed).
     */
    List<Decision> simulate(String principal, List<Request> requests);

    /**
     * Actions on the resources they would be called on (ARN patterns, as in a policy), with the values of the
     * condition keys the calls would carry (e.g. {@code aws:ResourceTag/cutover:plan}).
     */
    record Request(List<String> actions, List<String> resources, java.util.Map<String, String> context) {
        public Request {
            actions = List.copyOf(actions);
            resources = List.copyOf(resources);
            context = java.util.Map.copyOf(context);
        }
    }

    /** The decision for one request: {@code allowed}, or why not ({@code decision}: implicitDeny, explicitDeny). */
    record Decision(String action, String resource, boolean allowed, String decision) {}
}
