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

    /** Sends health-check requests; the simulated cloud answers them for the endpoints it simulates. */
    HttpProbe http();
}
