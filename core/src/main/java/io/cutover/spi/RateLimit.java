package io.cutover.spi;

/** A token bucket: up to {@code burst} calls at once, refilled at {@code perSecond} calls a second. */
public record RateLimit(double burst, double perSecond) {
    public RateLimit {
        if (burst < 1 || perSecond <= 0) {
            throw new IllegalArgumentException("a rate limit needs a burst of at least 1 and a positive rate, was "
                    + burst + " burst, " + perSecond + "/s");
        }
    }

    public static RateLimit of(double burst, double perSecond) {
        return new RateLimit(burst, perSecond);
    }
}
