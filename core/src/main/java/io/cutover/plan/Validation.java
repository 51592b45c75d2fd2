package io.cutover.plan;

import io.cutover.InvalidPlanException.Problem;
import io.cutover.plan.Environment.Database;
import io.cutover.plan.Environment.DnsRecord;
import io.cutover.plan.StepSpec.Check;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a step kind reports the problems of one step's fields: each problem names the field (under the
 * step's path, e.g. {@code steps[snap].volume}) and what would be valid.
 */
public final class Validation {
    private final Plan plan;
    private final String at;
    private final List<Problem> out;
    private final java.util.function.Predicate<StepId> afterDowntimeStarts;

    Validation(Plan plan, String at, List<Problem> out) {
        this(plan, at, out, id -> false);
    }

    Validation(Plan plan, String at, List<Problem> out, java.util.function.Predicate<StepId> afterDowntimeStarts) {
        this.plan = plan;
        this.at = at;
        this.out = out;
        this.afterDowntimeStarts = afterDowntimeStarts;
    }

    /** The plan the step is in; null while a builder checks a step on its own. */
    public Plan plan() {
        return plan;
    }

    /**
     * Whether the step runs only after a step that starts the downtime (writes stopped): it depends on one, directly
     * or through others. Always false while a builder checks a step on its own ({@link #plan()} null).
     */
    public boolean afterDowntimeStarts(StepId step) {
        return plan != null && afterDowntimeStarts.test(step);
    }

    public Environment environment() {
        return plan.environment();
    }

    /** Reports a problem with {@code field} of the step (a path below the step, such as {@code record.name}). */
    public void problem(String field, String message) {
        out.add(new Problem(at + "." + field, message));
    }

    /** A database named by kind and id, with an id RDS would accept. */
    public void database(Database db, String field) {
        PlanValidator.checkDatabase(db, at + "." + field, out);
    }

    /** A DNS record the cutover can switch. */
    public void record(DnsRecord r, String field) {
        PlanValidator.checkRecord(r, at + "." + field, out);
    }

    /** A template given by exactly one of body and url. */
    public void template(StepSpec.TemplateRef t, String field) {
        if (t == null || t.body().isPresent() == t.url().isPresent()) {
            problem(field, "give exactly one of body (or file, in a plan file) and url");
        } else {
            t.url().flatMap(Identifiers::checkTemplateUrl).ifPresent(m -> problem(field + ".url", m));
        }
    }

    /** Health checks: http(s) URLs and statuses, named custom checks, CloudWatch alarm names. */
    public void checks(List<Check> checks, String field) {
        for (int i = 0; i < checks.size(); i++) {
            Check c = checks.get(i);
            String f = field + "[" + i + "]";
            if (c instanceof Check.Http h) {
                if (h.url() == null
                        || !(h.url().startsWith("http://") || h.url().startsWith("https://"))) {
                    problem(
                            f + ".url",
                            "'" + h.url() + "' is not an http(s) URL; e.g. https://${green.outputs.Endpoint}/health");
                }
                if (h.expectStatus() < 100 || h.expectStatus() > 599) {
                    problem(f + ".expectStatus", h.expectStatus() + " is not an HTTP status");
                }
                bounded(h.timeout(), PlanValidator.MAX_CHECK_TIMEOUT, f + ".timeout");
            } else if (c instanceof Check.Custom cc
                    && (cc.name() == null || cc.name().isBlank())) {
                problem(f + ".name", "is missing; name a check registered with the engine");
            } else if (c instanceof Check.Alarm a) {
                if (a.name() == null || a.name().isBlank()) {
                    problem(f + ".name", "is missing; name a CloudWatch alarm, e.g. shop-green-5xx");
                } else if (a.name().length() > 255 || a.name().chars().anyMatch(Character::isISOControl)) {
                    problem(
                            f + ".name",
                            "is not a CloudWatch alarm name: at most 255 characters, no control characters");
                }
            }
        }
    }

    /** A duration above zero. */
    public void positive(Duration d, String field) {
        if (d == null || d.isNegative() || d.isZero()) {
            problem(field, "must be a positive duration, e.g. PT5M");
        }
    }

    /** A duration above zero and at most {@code max} (the bounds are {@link PlanValidator}'s constants). */
    public void bounded(Duration d, Duration max, String field) {
        PlanValidator.bounded(d, max, at + "." + field, out);
    }

    /**
     * An identifier checked by {@code rule} (one of {@link Identifiers}' checks) unless it holds a reference,
     * whose value is checked when the cutover resolves it.
     */
    public void identifier(String value, java.util.function.Function<String, Optional<String>> rule, String field) {
        if (value != null && !refers(value)) {
            rule.apply(value).ifPresent(m -> problem(field, m));
        }
    }

    /** A text that is present and not blank. */
    public void present(String value, String field, String fix) {
        if (value == null || value.isBlank()) {
            problem(field, "is missing; " + fix);
        }
    }

    /** Whether a text holds a reference, so that its value is known only while the cutover runs. */
    public static boolean refers(String value) {
        return value != null && value.contains("${");
    }

    /**
     * The value of a text whose references are known before the cutover runs ({@code ${plan.id}},
     * {@code ${blue.stack}}); empty when it holds any other reference, whose value is checked when the step
     * resolves it.
     */
    public static Optional<String> staticValue(String text, Plan plan) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            List<Expressions.Ref> refs = Expressions.parse(text);
            boolean known = refs.stream()
                    .allMatch(r -> r instanceof Expressions.PlanId
                            || (r instanceof Expressions.StackRef s
                                    && s.side().equals("blue")
                                    && s.part().equals("stack")));
            if (!known) {
                return Optional.empty();
            }
            return Optional.of(Expressions.resolve(
                    text,
                    r -> Optional.of(
                            r instanceof Expressions.PlanId
                                    ? plan.id()
                                    : plan.environment().stack())));
        } catch (IllegalArgumentException e) {
            // A malformed reference is reported by the reference checks.
            return Optional.empty();
        }
    }

    /**
     * Whether {@code name}, the resolved name of something a step is about to create, is one of blue's own
     * resources: a create of it would fail, and a compensation that trusted the name would delete blue's. RDS
     * and CloudFormation names are compared ignoring case (RDS ignores it; for stacks, refusing more is safe).
     */
    public static Optional<String> blueClash(Environment env, StepRules.Namespace namespace, String name) {
        if (name == null) {
            return Optional.empty();
        }
        return switch (namespace) {
            case STACK ->
                name.equalsIgnoreCase(env.stack())
                        ? Optional.of("'" + name + "' is blue's stack; green needs a name of its own, e.g. '"
                                + env.stack() + "-green'")
                        : Optional.empty();
            case DATABASE ->
                env.databases().stream()
                        .filter(d -> d.id() != null && d.id().equalsIgnoreCase(name))
                        .findFirst()
                        .map(d -> "'" + name + "' is blue's database; the copy needs a name of its own, e.g. '" + d.id()
                                + "-green'");
            case DATABASE_SNAPSHOT -> Optional.empty();
        };
    }

    static final Set<String> SWITCHABLE = Set.of("A", "AAAA", "CNAME");
}
