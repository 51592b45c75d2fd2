package io.cutover.step.kinds;

import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import io.cutover.plan.StepRules;
import io.cutover.plan.StepSpec;
import io.cutover.step.StepKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The step kinds a plan may use: the one list that plan files, stored states, the validator, the preflight,
 * the preview and the engine read. {@link #builtIn()} holds Cutover's own; {@link #with} adds one of yours:
 *
 * <pre>{@code
 * StepKinds kinds = StepKinds.builtIn().with(new NotifyKind());
 * Engine engine = Engine.builder().stepKinds(kinds)...build();
 * PlanFile file = PlanFiles.load(path, kinds);
 * }</pre>
 */
public final class StepKinds implements StepRules.Lookup {
    private static final StepKinds BUILT_IN = new StepKinds(List.of(
            new HookKind(),
            new SnapshotDatabaseKind(),
            new SnapshotVolumeKind(),
            new RestoreDatabaseKind(),
            new CloneDatabaseKind(),
            new CloneStackKind(),
            new UpdateStackKind(),
            new VerifyKind(),
            new ApprovalKind(),
            new LowerTtlKind(),
            new RestoreTtlKind(),
            new SwitchDnsKind(),
            new MoveAddressKind(),
            new ReplaceVolumeKind(),
            new SwitchTargetGroupKind(),
            new CreateBlueGreenKind(),
            new SwitchoverBlueGreenKind(),
            new CreateReadReplicaKind(),
            new PromoteReadReplicaKind(),
            new RunCommandKind(),
            new HttpCallKind(),
            new BakeKind(),
            new DecommissionKind()));

    private final ImmutableList<StepKind<?>> kinds;
    private final Map<Class<?>, StepKind<?>> byType = new LinkedHashMap<>();
    private final Map<String, StepKind<?>> byName = new LinkedHashMap<>();

    private StepKinds(List<StepKind<?>> kinds) {
        this.kinds = ImmutableList.copyOf(kinds);
        for (StepKind<?> k : kinds) {
            Preconditions.checkArgument(
                    k.name() != null && k.name().matches("[a-z][a-z0-9-]*"),
                    "step kind %s: its name '%s' must be lower-case letters, digits and dashes",
                    k.getClass().getName(),
                    k.name());
            Preconditions.checkArgument(
                    byName.put(k.name(), k) == null, "two step kinds are named '%s'; rename one", k.name());
            Preconditions.checkArgument(
                    byType.put(k.type(), k) == null,
                    "two step kinds hold %s; each record belongs to one kind",
                    k.type().getName());
        }
    }

    /** Cutover's own kinds: hook, run-command, http-call, snapshots, restore, Aurora clone, stack clone, update, verify, approval, DNS (TTL down and back, switch), address, bake, decommission. */
    public static StepKinds builtIn() {
        return BUILT_IN;
    }

    /** These kinds and {@code kind}. */
    public StepKinds with(StepKind<?> kind) {
        List<StepKind<?>> more = new java.util.ArrayList<>(kinds);
        more.add(kind);
        return new StepKinds(more);
    }

    public List<StepKind<?>> all() {
        return kinds;
    }

    public List<String> names() {
        return kinds.stream().map(StepKind::name).toList();
    }

    public Optional<StepKind<?>> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The kind of a step; a step whose record no kind holds is a mistake of the caller, named with the fix. */
    @SuppressWarnings("unchecked")
    public <S extends StepSpec> StepKind<S> of(S step) {
        StepKind<?> k = byType.get(step.getClass());
        if (k == null) {
            throw new IllegalArgumentException(
                    "step '" + step.id() + "' is a " + step.getClass().getName()
                            + ", which no registered step kind holds; add its kind with StepKinds.builtIn().with(...)");
        }
        return (StepKind<S>) k;
    }

    @Override
    public <S extends StepSpec> StepRules<S> rulesOf(S step) {
        return of(step);
    }

    /** The kinds as Jackson subtypes of {@link StepSpec}, by their names, for plan files and stored states. */
    public NamedType[] jsonSubtypes() {
        return kinds.stream().map(k -> new NamedType(k.type(), k.name())).toArray(NamedType[]::new);
    }
}
