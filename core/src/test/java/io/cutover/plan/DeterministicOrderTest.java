package io.cutover.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.state.StepState;
import io.cutover.step.StepOutcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Maps a user sees (a stack's parameters in the preview, a step's outputs in events and JSON) iterate in key
 * order. {@code Map.copyOf} iterates in an order that changes from one JVM to the next, which made the same
 * plan preview differently on every run.
 */
class DeterministicOrderTest {
    private static final List<String> KEYS = IntStream.rangeClosed(1, 12)
            .mapToObj(i -> "Param" + (char) ('A' + i))
            .toList();

    private static Map<String, String> shuffled() {
        Map<String, String> m = new HashMap<>();
        for (int i = KEYS.size() - 1; i >= 0; i--) {
            m.put(KEYS.get(i), "v" + i);
        }
        return Map.copyOf(m);
    }

    @Test
    void aCloneStacksParametersAndTagsIterateInKeyOrder() {
        var clone = new StepSpec.CloneStack(
                StepId.of("clone"),
                List.of(),
                "shop-green",
                StepSpec.TemplateRef.ofUrl("https://example.com/t.json"),
                shuffled(),
                true,
                shuffled(),
                List.of());
        assertThat(clone.parameters().keySet()).containsExactlyElementsOf(KEYS);
        assertThat(clone.tags().keySet()).containsExactlyElementsOf(KEYS);
        assertThat(clone.parameters()).isEqualTo(shuffled());
    }

    @Test
    void aStepsOutputsAndMemoIterateInKeyOrder() {
        assertThat(StepOutcome.Done.of(shuffled()).outputs().keySet()).containsExactlyElementsOf(KEYS);
        StepState s = StepState.pending().withOutputs(shuffled()).withMemo(shuffled());
        assertThat(s.outputs().keySet()).containsExactlyElementsOf(KEYS);
        assertThat(s.memo().keySet()).containsExactlyElementsOf(KEYS);
    }
}
