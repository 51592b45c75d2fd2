package io.cutover.plan;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the plan needs to know about a step kind before anything runs: its name in plan files, the checks
 * of its fields, the text fields that may hold {@code ${...}} references, the outputs it gives (so that a
 * reference to an output it never gives is refused), and its flags. A step kind ({@code io.cutover.step.StepKind})
 * declares these beside its behaviour; {@link PlanValidator} reads them through a {@link Lookup}.
 */
public interface StepRules<S extends StepSpec> {
    /** The kind, as written in plan files ({@code kind: snapshot-volume}). */
    String name();

    /** The record that holds a step of this kind. */
    Class<S> type();

    /** Checks the step's own fields; references and dependencies are checked by the validator. */
    default void validate(S step, Validation v) {}

    /** The text fields that may hold references, by field path (e.g. {@code parameters.X}). */
    default Map<String, String> textFields(S step) {
        return Map.of();
    }

    /** The health checks the step runs. */
    default List<StepSpec.Check> checks(S step) {
        return List.of();
    }

    /** The outputs the step gives when it succeeds. */
    Outputs outputs(S step);

    /** Where the step stands in a cutover: gate, traffic, point of no return, downtime. */
    default Flags flags(S step) {
        return Flags.NONE;
    }

    /**
     * The names the step gives to what it creates (written as in the plan, references included), so that a
     * plan whose names would collide with blue's resources, with each other, or exceed what the cloud allows is
     * refused before anything runs. A name that holds a reference known only while the cutover runs is checked
     * again when the step resolves it, before its create call.
     */
    default List<CreatedName> createdNames(S step, Plan plan) {
        return List.of();
    }

    /**
     * For a step that moves traffic: what it moves (a DNS record, an address) and where to, as written, so that
     * two steps moving the same thing to different places are refused.
     */
    default java.util.Optional<TrafficMove> trafficMove(S step, Plan plan) {
        return java.util.Optional.empty();
    }

    /**
     * What a traffic step moves and where to.
     *
     * @param what the thing users reach blue by, e.g. "record shop.example.com CNAME in zone Z1"
     * @param targetField the step's field that names the target
     * @param target the target as written
     */
    record TrafficMove(String what, String targetField, String target) {}

    /** Finds the rules of a step's kind. */
    interface Lookup {
        <S extends StepSpec> StepRules<S> rulesOf(S step);
    }

    /** Where a created thing's name must be unique, and the longest name the cloud takes there. */
    enum Namespace {
        STACK(128),
        DATABASE(63),
        DATABASE_SNAPSHOT(63);

        private final int limit;

        Namespace(int limit) {
            this.limit = limit;
        }

        public int limit() {
            return limit;
        }
    }

    /**
     * A name a step gives to something it creates.
     *
     * @param field the step's field that sets it, or empty when the name is derived from the plan and step ids
     * @param name the name as written (it may hold references) or as derived
     * @param what what it names, for messages (e.g. "decommission's final snapshot of app-db")
     */
    record CreatedName(String field, Namespace namespace, String name, String what) {
        public CreatedName {
            java.util.Objects.requireNonNull(field, "field");
            java.util.Objects.requireNonNull(namespace, "namespace");
            java.util.Objects.requireNonNull(what, "what");
        }

        /** A name derived from the plan and step ids (not set by a field). */
        public static CreatedName derived(Namespace namespace, String name, String what) {
            return new CreatedName("", namespace, name, what);
        }
    }

    /**
     * The outputs of a step: {@code names} exactly, names starting with one of {@code prefixes}, or any name
     * at all when {@code open} (a stack's outputs, a hook's own).
     */
    record Outputs(Set<String> names, Set<String> prefixes, boolean open) {
        public Outputs {
            names = Set.copyOf(names);
            prefixes = Set.copyOf(prefixes);
        }

        public static Outputs none() {
            return new Outputs(Set.of(), Set.of(), false);
        }

        public static Outputs of(String... names) {
            return new Outputs(Set.of(names), Set.of(), false);
        }

        /** Any output: the step passes on outputs it does not know in advance. */
        public static Outputs any() {
            return new Outputs(Set.of(), Set.of(), true);
        }

        public Outputs withPrefix(String prefix) {
            Set<String> p = new java.util.HashSet<>(prefixes);
            p.add(prefix);
            return new Outputs(names, p, open);
        }

        public boolean gives(String key) {
            return open || names.contains(key) || prefixes.stream().anyMatch(key::startsWith);
        }

        public String describe() {
            if (open) {
                return "any output";
            }
            java.util.TreeSet<String> all = new java.util.TreeSet<>(names);
            prefixes.forEach(p -> all.add(p + "<name>"));
            return all.isEmpty() ? "no outputs" : String.join(", ", all);
        }
    }

    /**
     * A step's place in a cutover.
     *
     * @param gate a person or a bake opens it; decommission needs one upstream, and approve names it
     * @param movesTraffic moves users from blue to green: once it has started, a failure moves them back
     * @param pointOfNoReturn retires blue; nothing is undone once it has started
     * @param verifiesGreen checks green's health; traffic may move only after one
     * @param buildsGreen creates green beside blue; a plan that does must move traffic before retiring blue
     * @param downtime whether it starts or ends the window in which users cannot write
     */
    record Flags(
            boolean gate,
            boolean movesTraffic,
            boolean pointOfNoReturn,
            boolean verifiesGreen,
            boolean buildsGreen,
            StepSpec.Downtime downtime) {
        public static final Flags NONE = new Flags(false, false, false, false, false, StepSpec.Downtime.NONE);

        public Flags withDowntime(StepSpec.Downtime d) {
            return new Flags(gate, movesTraffic, pointOfNoReturn, verifiesGreen, buildsGreen, d);
        }
    }
}
