package io.cutover.step.kinds;

import io.cutover.internal.*;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Validation;
import io.cutover.step.Compensation;
import io.cutover.step.Hooks;
import io.cutover.step.StepBehaviour;
import io.cutover.step.StepContext;
import io.cutover.step.StepKind;
import io.cutover.step.StepOutcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs the user's hook; its undo hook, if any, gives blue back what the hook took. */
final class HookKind implements StepKind<StepSpec.Hook> {
    @Override
    public String name() {
        return "hook";
    }

    @Override
    public Class<StepSpec.Hook> type() {
        return StepSpec.Hook.class;
    }

    @Override
    public void validate(StepSpec.Hook h, Validation v) {
        v.present(h.hook(), "hook", "name a hook registered with the engine");
    }

    @Override
    public Outputs outputs(StepSpec.Hook h) {
        return Outputs.any();
    }

    @Override
    public Flags flags(StepSpec.Hook h) {
        return Flags.NONE.withDowntime(h.downtime());
    }

    @Override
    public Map<String, String> hooks(StepSpec.Hook h) {
        Map<String, String> f = new LinkedHashMap<>(Kinds.fields("hook", h.hook()));
        h.undo().ifPresent(u -> f.put("undo", u));
        return f;
    }

    @Override
    public StepBehaviour behaviour(StepSpec.Hook step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private final StepSpec.Hook spec;

        Behaviour(StepSpec.Hook spec) {
            this.spec = spec;
        }

        @Override
        public String describe() {
            String what = spec.description().isEmpty() ? "run hook '" + spec.hook() + "'" : spec.description();
            return what
                    + switch (spec.downtime()) {
                        case STARTS -> " (downtime starts)";
                        case ENDS -> " (downtime ends)";
                        case NONE -> "";
                    };
        }

        @Override
        public List<String> permissions() {
            return List.of();
        }

        @Override
        public StepOutcome start(StepContext ctx) {
            return run(ctx, spec.hook());
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            return run(ctx, spec.hook());
        }

        @Override
        public Compensation compensation() {
            return spec.undo().isPresent() ? Compensation.RESTORES_BLUE : Compensation.NONE;
        }

        @Override
        public String describeCompensation() {
            return spec.undo().map(u -> "run hook '" + u + "'").orElse("nothing to undo");
        }

        @Override
        public StepOutcome compensate(StepContext ctx) {
            return spec.undo().map(u -> run(ctx, u)).orElse(StepOutcome.Done.of());
        }

        private static StepOutcome run(StepContext ctx, String name) {
            Hooks.Hook hook = ctx.hooks().hook(name);
            return hook.run(new HookView(ctx));
        }
    }
}
