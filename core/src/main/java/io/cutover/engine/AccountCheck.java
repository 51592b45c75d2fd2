package io.cutover.engine;

import io.cutover.InvalidPlanException;
import io.cutover.InvalidPlanException.Problem;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec;
import io.cutover.spi.AccessProvider;
import io.cutover.spi.CloudProvider;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.spi.StackProvider;
import io.cutover.step.AccountReads;
import io.cutover.step.Arns;
import io.cutover.step.Grant;
import io.cutover.step.StepKind;
import io.cutover.step.kinds.StepKinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The checks of {@code cutover plan --check} and of {@code cutover run} before its first change, on top of the
 * engine's preflight (which refuses a storage guard that would fail and NoEcho parameters carried over as their
 * mask): each step kind's deeper checks ({@link StepKind#check}: an in-place update's change set is previewed,
 * never executed, and refused when it would replace a stateful resource the plan does not allow); blue's stack is checked for drift (reported,
 * not refused); and the caller's permissions are simulated against the plan's IAM policy (actions denied refuse
 * the plan; a caller whose policies cannot be simulated is noted).
 */
public final class AccountCheck {
    /** How long a change set or a drift detection may take to compute before the check gives up on it. */
    static final Duration MAX_WAIT = Duration.ofMinutes(5);

    private static final Duration POLL = Duration.ofSeconds(2);

    /** What the check found: problems refuse the plan; notes are for the reader (drift, skipped checks). */
    public record Report(List<Problem> problems, List<String> notes) {
        public Report {
            problems = List.copyOf(problems);
            notes = List.copyOf(notes);
        }

        public boolean passed() {
            return problems.isEmpty();
        }
    }

    private final Plan plan;
    private final StepKinds kinds;
    private final CloudProvider cloud;
    private final Consumer<Duration> sleep;
    private final List<Problem> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private AccountCheck(Plan plan, StepKinds kinds, CloudProvider cloud, Consumer<Duration> sleep) {
        this.plan = plan;
        this.kinds = kinds;
        this.cloud = cloud;
        this.sleep = sleep;
    }

    /**
     * Runs {@code preflight} (the engine's), then the account's checks. {@code sleep} waits between reads of a
     * change set or a drift detection being computed (the calling thread's sleep; virtual time in tests).
     */
    static Report run(Plan plan, StepKinds kinds, CloudProvider cloud, Runnable preflight, Consumer<Duration> sleep) {
        AccountCheck c = new AccountCheck(plan, kinds, cloud, sleep);
        try {
            preflight.run();
        } catch (InvalidPlanException e) {
            c.problems.addAll(e.problems());
        }
        if (c.problems.isEmpty()) {
            // A change set of a plan with problems would fail for the same reasons; the preview waits for a fix.
            for (StepSpec s : plan.steps()) {
                c.check(kinds.of(s), s);
            }
        }
        c.drift(plan.environment().stack());
        c.permissions();
        return new Report(c.problems, c.notes);
    }

    private <S extends StepSpec> void check(StepKind<S> kind, S step) {
        String at = "steps[" + step.id() + "]";
        AccountCheck self = this;
        kind.check(step, new AccountReads() {
            @Override
            public Plan plan() {
                return plan;
            }

            @Override
            public void sleep(Duration d) {
                self.sleep.accept(d);
            }

            @Override
            public void note(String text) {
                notes.add(text);
            }

            @Override
            public CloudProvider cloud() {
                return cloud;
            }

            @Override
            public io.cutover.plan.Environment environment() {
                return plan.environment();
            }

            @Override
            public void read(String field, String what, Runnable read) {
                try {
                    read.run();
                } catch (ProviderException e) {
                    problems.add(Preflight.problem(at + "." + field, what, e));
                }
            }

            @Override
            public void readExpectingAbsent(String field, String what, Runnable read) {
                try {
                    read.run();
                } catch (ProviderException e) {
                    if (e.kind() != FailureKind.NOT_FOUND) {
                        problems.add(Preflight.problem(at + "." + field, what, e));
                    }
                }
            }

            @Override
            public void problem(String field, String message) {
                problems.add(new Problem(at + "." + field, message));
            }
        });
    }

    /** Starts a drift detection of blue's stack and reports what it finds; never refuses. */
    private void drift(String stack) {
        StackProvider stacks = cloud.stacks();
        try {
            String id = stacks.detectDrift(stack);
            StackProvider.Drift d = stacks.drift(stack, id);
            for (Duration waited = Duration.ZERO;
                    !d.done() && waited.compareTo(MAX_WAIT) < 0;
                    waited = waited.plus(POLL)) {
                sleep.accept(POLL);
                d = stacks.drift(stack, id);
            }
            if (!d.done()) {
                notes.add(
                        "drift of stack " + stack + ": detection not finished in " + MAX_WAIT.toMinutes() + " minutes");
            } else if (d.drifted().isEmpty()) {
                notes.add("drift of stack " + stack + ": none (" + d.status() + ")");
            } else {
                List<String> found = d.drifted().stream()
                        .map(r -> r.logicalResourceId() + " (" + r.resourceType() + ") " + r.status())
                        .toList();
                notes.add("drift of stack " + stack + ": " + String.join(", ", found)
                        + "; the cutover copies the template, not these changes made outside it");
            }
        } catch (ProviderException e) {
            notes.add("drift of stack " + stack + " not checked: " + e.getMessage()
                    + (e.kind() == FailureKind.ACCESS_DENIED
                            ? "; grant cloudformation:DetectStackDrift, DescribeStackDriftDetectionStatus and "
                                    + "DescribeStackResourceDrifts to check it"
                            : ""));
        }
    }

    /** Simulates the caller's policies for every statement of the plan's IAM policy. */
    private void permissions() {
        Optional<AccessProvider> access = cloud.access();
        if (access.isEmpty()) {
            notes.add("permissions not simulated: this cloud cannot simulate the caller's policies");
            return;
        }
        AccessProvider.Caller caller;
        try {
            caller = access.get().caller();
        } catch (ProviderException e) {
            notes.add("permissions not simulated: " + e.getMessage()
                    + "; run as an IAM user or role to have them checked");
            return;
        }
        IamPolicy policy = IamPolicy.of(plan, kinds, Arns.of(caller.region(), caller.account()));
        List<AccessProvider.Request> requests = new ArrayList<>();
        for (Grant g : policy.grants()) {
            Map<String, String> context = new LinkedHashMap<>();
            g.conditions().forEach(c -> context.put(c.key(), c.values().get(0)));
            requests.add(new AccessProvider.Request(g.actions(), g.resources(), context));
        }
        List<AccessProvider.Decision> decisions;
        try {
            decisions = access.get().simulate(caller.principal(), requests);
        } catch (ProviderException e) {
            notes.add("permissions not simulated: " + e.getMessage()
                    + (e.kind() == FailureKind.ACCESS_DENIED
                            ? "; grant iam:SimulatePrincipalPolicy on " + caller.principal() + " to have them checked"
                            : ""));
            return;
        }
        Map<String, List<String>> denied = new LinkedHashMap<>();
        for (AccessProvider.Decision d : decisions) {
            if (!d.allowed()) {
                denied.computeIfAbsent(d.action(), k -> new ArrayList<>())
                        .add(d.resource() + " (" + d.decision() + ")");
            }
        }
        denied.forEach((action, on) -> problems.add(new Problem(
                "permissions",
                caller.principal() + " may not call " + action + " on " + String.join(", ", on)
                        + "; attach the policy `cutover plan` prints (or add this action to it)")));
        if (denied.isEmpty()) {
            notes.add("permissions: " + caller.principal() + " may make every call of the plan's policy ("
                    + policy.actions().size() + " actions)");
        }
    }
}
