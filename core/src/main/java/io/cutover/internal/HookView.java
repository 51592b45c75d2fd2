package io.cutover.internal;

import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.spi.CloudProvider;
import io.cutover.step.Hooks;
import io.cutover.step.StepContext;
import java.time.Instant;
import java.util.Map;

/** A step's context, as the user's hooks and checks see it. */
public record HookView(StepContext d) implements Hooks.HookContext {
    @Override
    public Plan plan() {
        return d.plan();
    }

    @Override
    public StepId stepId() {
        return d.stepId();
    }

    @Override
    public CloudProvider cloud() {
        return d.cloud();
    }

    @Override
    public Instant now() {
        return d.now();
    }

    @Override
    public Instant startedAt() {
        return d.startedAt();
    }

    @Override
    public Map<String, String> memo() {
        return d.memo();
    }

    @Override
    public String resolve(String text) {
        return d.resolve(text);
    }

    @Override
    public Map<String, String> variables() {
        return d.variables();
    }

    @Override
    public boolean approved() {
        return d.approved();
    }

    @Override
    public Hooks hooks() {
        return d.hooks();
    }
}
