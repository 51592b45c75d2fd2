package io.cutover.step;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableSortedMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a step saves about a thing before the call that creates it: its id, the idempotency token of the call
 * and the tags the call puts on it. It is the proof of ownership a compensation needs: a thing is deleted only
 * when it was claimed and what the cloud holds under that id carries every tag of the claim, so a name that
 * turned out to be taken (by blue, or by anything that existed before the run) is never deleted.
 */
public record Claim(String id, String token, Map<String, String> tags) {
    private static final String ID = "claim.id";
    private static final String TOKEN = "claim.token";
    private static final String TAG = "claim.tag.";

    public Claim {
        Preconditions.checkArgument(id != null && !id.isBlank(), "a claim needs an id");
        Preconditions.checkNotNull(token, "token");
        Preconditions.checkArgument(!tags.isEmpty(), "a claim needs the tags that prove it");
        tags = ImmutableSortedMap.copyOf(tags);
    }

    /** The claim of {@code id} by the step of {@code ctx}, with the step's tags and the token of {@code purpose}. */
    public static Claim of(StepContext ctx, String id, String purpose) {
        return new Claim(id, ctx.token(purpose), ctx.tags());
    }

    /** The claim as memo entries, saved before the create call. */
    public Map<String, String> memo() {
        Map<String, String> m = new HashMap<>();
        m.put(ID, id);
        m.put(TOKEN, token);
        tags.forEach((k, v) -> m.put(TAG + k, v));
        return m;
    }

    /** The claim a step saved, if it saved one. */
    public static Optional<Claim> from(Map<String, String> memo) {
        if (!memo.containsKey(ID)) {
            return Optional.empty();
        }
        Map<String, String> tags = new HashMap<>();
        memo.forEach((k, v) -> {
            if (k.startsWith(TAG)) {
                tags.put(k.substring(TAG.length()), v);
            }
        });
        return Optional.of(new Claim(memo.get(ID), memo.getOrDefault(TOKEN, ""), tags));
    }

    /**
     * The claim a step saved, or, for a state saved by a release that kept only the created id under
     * {@code idKey}, that id with the step's tags (which the thing must still carry to count as the step's).
     */
    public static Optional<Claim> from(Map<String, String> memo, String idKey, StepContext ctx) {
        return from(memo)
                .or(() -> Optional.ofNullable(memo.get(idKey))
                        .filter(x -> !x.isBlank())
                        .map(x -> new Claim(x, ctx.token("create"), ctx.tags())));
    }

    /** Whether a thing found in the cloud under the claimed id is the one claimed: it carries every claimed tag. */
    public boolean owns(Map<String, String> actualTags) {
        return tags.entrySet().stream().allMatch(e -> e.getValue().equals(actualTags.get(e.getKey())));
    }
}
