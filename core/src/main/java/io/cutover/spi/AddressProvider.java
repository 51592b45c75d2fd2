package io.cutover.spi;

import java.util.Optional;

/** Static public addresses that can move between machines (Elastic IPs on AWS). */
public interface AddressProvider {
    AddressDescription describe(String allocationId);

    /** Moves the address to the instance, taking it from whichever instance holds it now. */
    void associate(String allocationId, String instanceId);

    record AddressDescription(String allocationId, String publicIp, Optional<String> instanceId) {}
}
