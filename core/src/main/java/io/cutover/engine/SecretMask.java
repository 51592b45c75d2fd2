package io.cutover.engine;

import io.cutover.plan.Expressions;
import io.cutover.plan.Plan;
import io.cutover.plan.PlanValidator;
import io.cutover.plan.StepSpec;
import io.cutover.step.StepOutcome;
import io.cutover.step.kinds.StepKinds;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The values of one cutover's secrets ({@code ${env:NAME}} and {@code ${secret:ID}}), and the one place where
 * they are taken out of what a step's call returned, before it reaches the state, the events, the log or an
 * error message: every occurrence of a value becomes {@code ****(secret:ID#key)} (or {@code ****(env:NAME)}).
 *
 * <p>It learns a value when a step resolves it and, once per process, reads every secret the plan names (a
 * cutover resumed in a new process may meet an output that echoes a secret read before the restart). Values
 * shorter than {@link #MIN_LENGTH} characters are not masked: they would replace ordinary text everywhere.
 */
final class SecretMask {
    /** The shortest value that is masked. */
    static final int MIN_LENGTH = 4;

    /** Longest first, so that a secret holding another is masked whole. */
    private final TreeMap<String, String> markers =
            new TreeMap<>(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));

    private final List<Expressions.Ref> planned;
    private final Function<Expressions.Ref, Optional<String>> reader;
    private boolean readPlanned;

    private SecretMask(List<Expressions.Ref> planned, Function<Expressions.Ref, Optional<String>> reader) {
        this.planned = planned;
        this.reader = reader;
    }

    /** The mask of a cutover of {@code plan}, reading its secrets with {@code reader} when it must. */
    static SecretMask of(Plan plan, StepKinds kinds, Function<Expressions.Ref, Optional<String>> reader) {
        Map<String, Expressions.Ref> refs = new LinkedHashMap<>();
        for (StepSpec s : plan.steps()) {
            for (String text : PlanValidator.textFields(kinds, s).values()) {
                for (Expressions.Ref r : parsed(text)) {
                    if (r instanceof Expressions.EnvVar || r instanceof Expressions.SecretRef) {
                        refs.putIfAbsent(r.text(), r);
                    }
                }
            }
        }
        return new SecretMask(new ArrayList<>(refs.values()), reader);
    }

    private static List<Expressions.Ref> parsed(String text) {
        try {
            return Expressions.parse(text);
        } catch (IllegalArgumentException e) {
            return List.of(); // refused at validation; nothing to mask
        }
    }

    /** The marker that stands for a reference's value. */
    static String marker(Expressions.Ref ref) {
        String t = ref.text();
        return "****(" + t.substring(2, t.length() - 1) + ")";
    }

    /** Learns the value a step resolved for a secret reference. */
    synchronized void remember(Expressions.Ref ref, String value) {
        if (value == null || value.length() < MIN_LENGTH) {
            return;
        }
        String marker = marker(ref);
        markers.putIfAbsent(value, marker);
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
        if (!encoded.equals(value)) {
            markers.putIfAbsent(encoded, marker);
        }
    }

    /** The text with every secret value it holds replaced by its marker. */
    synchronized String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        readPlanned();
        String out = text;
        for (Map.Entry<String, String> m : markers.entrySet()) {
            if (out.contains(m.getKey())) {
                out = out.replace(m.getKey(), m.getValue());
            }
        }
        return out;
    }

    /**
     * What a step's call returned, with every secret value in its outputs and texts masked. The memo is left as
     * it is: it is what the step's undo reads back (blue's original record, the claim on what it creates), and a
     * marker written there would be written back into the cloud by a rollback.
     */
    StepOutcome mask(StepOutcome outcome) {
        if (outcome instanceof StepOutcome.Done d) {
            return StepOutcome.Done.of(mask(d.outputs()));
        }
        if (outcome instanceof StepOutcome.Pending p) {
            // every other field passes through as it is: the mask changes text, never what the engine decides on
            return new StepOutcome.Pending(
                    p.operation(), p.retryAfter(), mask(p.progress()), p.memo(), p.percent(), p.expected());
        }
        if (outcome instanceof StepOutcome.AwaitingApproval a) {
            return new StepOutcome.AwaitingApproval(mask(a.prompt()));
        }
        StepOutcome.Failed f = (StepOutcome.Failed) outcome;
        return new StepOutcome.Failed(f.type(), mask(f.reason()), f.retryable(), f.memo());
    }

    private Map<String, String> mask(Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, mask(v)));
        return out;
    }

    /** Reads, once per process, each secret of the plan no step has resolved yet; one that cannot be read is skipped. */
    private void readPlanned() {
        if (readPlanned) {
            return;
        }
        readPlanned = true;
        for (Expressions.Ref r : planned) {
            if (markers.containsValue(marker(r))) {
                continue;
            }
            try {
                reader.apply(r).ifPresent(v -> remember(r, v));
            } catch (RuntimeException e) {
                // not readable now (no store, not set): no step of this process can have used it either
            }
        }
    }
}
