package io.cutover.internal;

import io.cutover.plan.Plan;
import io.cutover.step.Grant;
import java.util.List;

/** The grants of calls that pass the plan's CloudFormation service role, when it names one. */
public final class StackGrants {
    private StackGrants() {}

    /**
     * {@code actions} on {@code stacks}; with a service role, only with that role ({@code cloudformation:RoleArn}),
     * so that the caller cannot run the stack with its own rights instead.
     */
    public static Grant withRole(Plan plan, List<String> actions, List<String> stacks) {
        return plan.environment()
                .roleArn()
                .map(role -> Grant.write(actions, stacks, Grant.Condition.equals("cloudformation:RoleArn", role)))
                .orElseGet(() -> Grant.write(actions, stacks));
    }
}
