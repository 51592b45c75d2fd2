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

    DnsProvider dns();

    AddressProvider addresses();

    /** Runs scripts on the application's machines (run-command steps). */
    CommandProvider commands();

    /** Sends health-check requests; the simulated cloud answers them for the endpoints it simulates. */
    HttpProbe http();
}
