package io.cutover.spi;

/**
 * Everything the engine asks of a cloud. An adapter implements these narrow interfaces over its SDK; the
 * simulated cloud in the test kit implements them in memory. Every method is one call that returns at once:
 * long operations are started by one call and followed by describe calls that the engine schedules.
 *
 * <p>Implementations must be thread-safe and throw only {@link ProviderException} for failed calls.
 */
public interface CloudProvider {
    StackProvider stacks();

    DatabaseProvider databases();

    VolumeProvider volumes();

    /** Sends the plan's notifications (an SNS topic, a webhook). */
    NotificationProvider notifications();

    DnsProvider dns();

    /** Reads CloudWatch alarms, for alarm checks. */
    AlarmProvider alarms();

    AddressProvider addresses();

    /** Load balancers' listeners and rules (ELBv2), for a traffic switch without DNS. */
    LoadBalancerProvider loadBalancers();

    /** Managed blue/green deployments of databases (RDS Blue/Green Deployments). */
    BlueGreenProvider blueGreen();

    /** Read replicas of database instances, promoted to standalone ones (RDS read replicas). */
    ReplicaProvider replicas();
    /** Runs scripts on the application's machines (run-command steps). */
    CommandProvider commands();

    /** Sends health-check requests; the simulated cloud answers them for the endpoints it simulates. */
    HttpProbe http();

    /** Simulates the caller's permissions, where the provider can (empty: it cannot, the check is skipped). */
    default java.util.Optional<AccessProvider> access() {
        return java.util.Optional.empty();
    }
}
