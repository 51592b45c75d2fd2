package io.cutover.step.kinds;

import io.cutover.step.StepContext;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A create whose resource the cloud names (an EBS snapshot's id: EC2's CreateSnapshot takes no idempotency
 * token), found again only by the tags the create call set. EC2's reads are eventually consistent, so just after
 * a create a search by tags may not show what it made. After a call whose answer was lost, or a restart, a
 * search that finds nothing is therefore no proof: the create is repeated only once the search has come up
 * empty for {@link Kinds#VISIBILITY}, the time the memo names under {@code lookUntil.<key>}; and a step that
 * searches again soon after its own create waits as long before it takes "not found" for "not made".
 */
final class FoundByTags {
    private FoundByTags() {}

    /** What the step does next about one resource. */
    sealed interface Next {
        /** The search found it: the id. */
        record Found(String id) implements Next {}

        /**
         * Created just now: the id, and {@code memo} to remember (for a while a search will not find it, and
         * that is no reason to create it again).
         */
        record Created(String id, Map<String, String> memo) implements Next {}

        /** Not created again yet: an earlier create may have made it; {@code memo} is what to remember. */
        record Looking(Instant until, Map<String, String> memo) implements Next {}
    }

    static Next findOrCreate(StepContext ctx, String key, Supplier<Optional<String>> search, Supplier<String> create) {
        Optional<String> found = search.get();
        if (found.isPresent()) {
            return new Next.Found(found.get());
        }
        Optional<Next.Looking> looking = stillLooking(ctx, key);
        if (looking.isPresent()) {
            return looking.get();
        }
        String id = create.get();
        return new Next.Created(
                id, Map.of(lookUntil(key), ctx.now().plus(Kinds.VISIBILITY).toString()));
    }

    /**
     * Whether a search that found nothing may yet show what an earlier create made: within the time the memo names,
     * or after a call whose answer was lost or a restart (from now on, for {@link Kinds#VISIBILITY}). A step that
     * fails without creating asks this too, so that it does not fail before it could name what it may have made.
     */
    static Optional<Next.Looking> stillLooking(StepContext ctx, String key) {
        Optional<Instant> until = ctx.memo(lookUntil(key)).map(Instant::parse);
        if (until.isPresent() && ctx.now().isBefore(until.get())) {
            return Optional.of(new Next.Looking(until.get(), Map.of()));
        }
        if (ctx.earlierCallMayHaveActed()) {
            Instant next = ctx.now().plus(Kinds.VISIBILITY);
            return Optional.of(new Next.Looking(next, Map.of(lookUntil(key), next.toString())));
        }
        return Optional.empty();
    }

    private static String lookUntil(String key) {
        return "lookUntil." + key;
    }
}
