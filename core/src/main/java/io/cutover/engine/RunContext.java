package io.cutover.engine;

import io.cutover.plan.Expressions;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.spi.CloudProvider;
import io.cutover.spi.StackProvider.StackDescription;
import io.cutover.state.RunState;
import io.cutover.state.StepState;
import io.cutover.step.Hooks;
import io.cutover.step.StepContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A step's view of its cutover for one call: a snapshot of the saved state, and the engine's services. */
final class RunContext implements StepContext {
    private final Engine engine;
    private final RunState state;
    private final StepId step;
    private final Instant now;
    private final SecretMask mask;
    private final CloudProvider cloud;
    private final Map<String, StackDescription> stackCache = new HashMap<>();
    private final boolean uncertain;

    RunContext(
            Engine engine,
            CloudProvider cloud,
            SecretMask mask,
            RunState state,
            StepId step,
            Instant now,
            boolean uncertain) {
        this.engine = engine;
        this.cloud = cloud;
        this.uncertain = uncertain;
        this.mask = mask;
        this.state = state;
        this.step = step;
        this.now = now;
    }

    @Override
    public Plan plan() {
        return state.plan();
    }

    @Override
    public StepId stepId() {
        return step;
    }

    @Override
    public CloudProvider cloud() {
        return cloud;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public Instant startedAt() {
        return state.step(step).startedAt().orElse(now);
    }

    @Override
    public boolean earlierCallMayHaveActed() {
        return uncertain;
    }

    @Override
    public Map<String, String> memo() {
        return state.step(step).memo();
    }

    @Override
    public Map<String, String> memoOf(StepId other) {
        StepState s = state.steps().get(other.value());
        return s == null ? Map.of() : s.memo();
    }

    @Override
    public Map<String, String> claimsOfOtherSteps() {
        Map<String, String> out = new HashMap<>();
        state.steps().forEach((id, st) -> {
            if (!id.equals(step.value())) {
                io.cutover.step.Claim.from(st.memo()).ifPresent(c -> out.put(id, c.id()));
            }
        });
        return out;
    }

    @Override
    public Map<String, String> variables() {
        Map<StepId, StepSpec> byId = plan().byId();
        Map<StepId, Map<String, String>> upstream = new java.util.LinkedHashMap<>();
        for (StepId id : Plan.upstreamOf(step, byId)) {
            StepState s = state.steps().get(id.value());
            if (s != null && s.status() == io.cutover.state.StepStatus.SUCCEEDED) {
                upstream.put(id, s.outputs());
            }
        }
        Optional<StepId> green = plan().steps().stream()
                .filter(s -> engine.stepKinds().of(s).flags(s).buildsGreen())
                .map(StepSpec::id)
                .filter(upstream::containsKey)
                .findFirst();
        return io.cutover.step.HookVariables.of(plan(), step, upstream, green);
    }

    @Override
    public boolean approved() {
        return state.approved(step);
    }

    @Override
    public Hooks hooks() {
        return engine.hooks();
    }

    @Override
    public String resolve(String text) {
        return Expressions.resolve(text, this::value);
    }

    /** The value of an {@code ${env:NAME}} or {@code ${secret:ID}} reference, read now. */
    static Optional<String> secret(Engine engine, Expressions.Ref ref) {
        if (ref instanceof Expressions.EnvVar e) {
            String v = engine.environmentVariables().apply(e.name());
            if (v == null) {
                throw new IllegalStateException(ref.text() + ": environment variable " + e.name() + " is not set; "
                        + "export it before running the cutover");
            }
            return Optional.of(v);
        }
        Expressions.SecretRef sr = (Expressions.SecretRef) ref;
        return Optional.of(engine.secrets().read(sr.id(), sr.key()));
    }

    private Optional<String> value(Expressions.Ref ref) {
        if (ref instanceof Expressions.PlanId) {
            return Optional.of(plan().id());
        }
        if (ref instanceof Expressions.EnvVar || ref instanceof Expressions.SecretRef) {
            Optional<String> v = secret(engine, ref);
            v.ifPresent(value -> mask.remember(ref, value));
            return v;
        }
        if (ref instanceof Expressions.StepOutput o) {
            StepState s = state.steps().get(o.step().value());
            if (s == null || !s.outputs().containsKey(o.key())) {
                throw new IllegalStateException(ref.text() + ": step '" + o.step() + "' has no output '" + o.key() + "'"
                        + (s == null ? "" : " (it gave " + s.outputs().keySet() + ")"));
            }
            return Optional.of(s.outputs().get(o.key()));
        }
        Expressions.StackRef r = (Expressions.StackRef) ref;
        String stackName;
        Map<String, String> cloneOutputs = Map.of();
        if (r.side().equals("blue")) {
            stackName = plan().environment().stack();
        } else {
            StepSpec clone = plan().steps().stream()
                    .filter(s -> engine.stepKinds().of(s).flags(s).buildsGreen())
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(ref.text() + ": the plan has no clone-stack step"));
            cloneOutputs = state.step(clone.id()).outputs();
            stackName = cloneOutputs.get("stackName");
            if (stackName == null) {
                throw new IllegalStateException(ref.text() + ": green's stack is not created yet");
            }
        }
        if (r.part().equals("stack")) {
            return Optional.of(stackName);
        }
        if (r.part().equals("outputs") && cloneOutputs.containsKey(r.key())) {
            return Optional.of(cloneOutputs.get(r.key()));
        }
        StackDescription d = stackCache.computeIfAbsent(
                stackName, n -> engine.cloud().stacks().describe(n));
        Map<String, String> values = r.part().equals("outputs") ? d.outputs() : d.parameters();
        String v = values.get(r.key());
        if (v == null) {
            throw new IllegalStateException(ref.text() + ": stack " + stackName + " has no "
                    + r.part().replaceAll("s$", "") + " '" + r.key() + "' (it has " + values.keySet() + ")");
        }
        return Optional.of(v);
    }
}
