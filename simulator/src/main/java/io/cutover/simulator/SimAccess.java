package io.cutover.simulator;

import io.cutover.spi.AccessProvider;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.util.List;

/**
 * IAM's simulation of the caller's policies: every action allowed except those {@link SimulatedCloud#deny} names; the caller
 * is a user unless {@link SimulatedCloud#callerIsNoPrincipal} or {@link SimulatedCloud#simulationDenied} says otherwise.
 */
final class SimAccess implements AccessProvider {
    @Override
    public Caller caller() {
        if (callerIsNoPrincipal) {
            throw ProviderException.of(
                    FailureKind.INVALID_REQUEST,
                    "GetCallerIdentity",
                    "the caller is the account's root user, whose policies cannot be simulated");
        }
        return new Caller("arn:aws:iam::000000000000:user/cutover-operator", "000000000000", "us-east-1");
    }

    @Override
    public List<Decision> simulate(String principal, List<Request> requests) {
        if (simulationDenied) {
            throw ProviderException.accessDenied("SimulatePrincipalPolicy", "iam:SimulatePrincipalPolicy");
        }
        List<Decision> out = new java.util.ArrayList<>();
        for (Request r : requests) {
            for (String action : r.actions()) {
                for (String resource : r.resources()) {
                    boolean allowed = !denied.contains(action);
                    out.add(new Decision(action, resource, allowed, allowed ? "allowed" : "implicitDeny"));
                }
            }
        }
        return out;
    }

    private final java.util.Set<String> denied = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean callerIsNoPrincipal;
    private volatile boolean simulationDenied;

    /** The caller's policies do not allow {@code action} (e.g. {@code rds:CreateDBSnapshot}). */
    void deny(String action) {
        denied.add(action);
    }

    /** The caller is no principal whose policies can be simulated (the account's root user). */
    void callerIsNoPrincipal() {
        callerIsNoPrincipal = true;
    }

    /** The caller may not call iam:SimulatePrincipalPolicy. */
    void simulationDenied() {
        simulationDenied = true;
    }
}
