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

    /**
     * A name derived from the plan and step ids, as it is: never shortened, since a shortened name can collide
     * with another and a step would then adopt what another made. The validator refuses plans whose derived names
     * pass the 63 characters RDS allows, so a longer one here is a plan that was never validated.
     */
    public static String derived(String name) {
        if (name.length() > 63) {
            throw new IllegalStateException("the derived name '" + name + "' is " + name.length()
                    + " characters long, over the 63 RDS allows; give the plan or the step a shorter id");
        }
        return name;
    }
}
