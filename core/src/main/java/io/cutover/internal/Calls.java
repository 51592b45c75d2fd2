package io.cutover.internal;

import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.step.StepOutcome;
import java.util.Optional;

/** Small helpers shared by the actions. */
public final class Calls {
    private Calls() {}

    /** Runs a create call; a thing of that name existing already counts as created (a repeated call). */
    public static boolean createOrAdopt(Runnable create) {
        try {
            create.run();
            return true;
        } catch (ProviderException e) {
            if (e.kind() == FailureKind.ALREADY_EXISTS) {
                return false;
            }
            throw e;
        }
    }

    /** Runs a describe call; absent when the thing does not exist. */
    public static <T> Optional<T> find(java.util.function.Supplier<T> describe) {
        try {
            return Optional.ofNullable(describe.get());
        } catch (ProviderException e) {
            if (e.kind() == FailureKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Runs a delete call; a thing that is gone already counts as deleted. */
    public static void deleteQuietly(Runnable delete) {
        try {
            delete.run();
        } catch (ProviderException e) {
            if (e.kind() != FailureKind.NOT_FOUND) {
                throw e;
            }
        }
    }

    public static StepOutcome failed(String reason) {
        return new StepOutcome.Failed(reason);
    }

    /** A derived name cut to the 63 characters databases and snapshots allow, keeping it unique by a hash. */
    public static String fit(String name) {
        if (name.length() <= 63) {
            return name;
        }
        String hash = Integer.toHexString(name.hashCode() & 0xfffffff);
        String head = name.substring(0, 62 - hash.length());
        while (head.endsWith("-")) {
            head = head.substring(0, head.length() - 1);
        }
        return head + "-" + hash;
    }
}
