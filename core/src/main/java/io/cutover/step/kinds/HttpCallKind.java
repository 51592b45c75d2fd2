package io.cutover.step.kinds;

import io.cutover.FailureType;
import io.cutover.plan.PlanValidator;
import io.cutover.plan.StepSpec.HttpCall;
import io.cutover.plan.StepSpec.HttpRequest;
import io.cutover.plan.Validation;
import io.cutover.spi.HttpProbe;
import io.cutover.spi.ProviderException;
import io.cutover.step.Compensation;
import io.cutover.step.StepBehaviour;
import io.cutover.step.StepContext;
import io.cutover.step.StepKind;
import io.cutover.step.StepOutcome;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Calls a vendor's admin API: maintenance mode on (and, as its undo, off), schedules paused. The request's
 * headers and body may hold secrets and are never kept: the state, the events and the messages name the call
 * by its method and its URL as written. An HTTP call cannot be found again after a crash: a call made just before
 * a crash is made again, so name calls that may be repeated (set maintenance mode on, not toggle it).
 */
final class HttpCallKind implements StepKind<HttpCall> {
    /** The operation a retry waits on. */
    static final String OPERATION = "http.call";

    static final int MAX_RETRIES = 10;
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");

    @Override
    public String name() {
        return "http-call";
    }

    @Override
    public Class<HttpCall> type() {
        return HttpCall.class;
    }

    @Override
    public void validate(HttpCall c, Validation v) {
        request(c.request(), "", v);
        c.undo().ifPresent(u -> request(u, "undo.", v));
        if (c.retries() < 0 || c.retries() > MAX_RETRIES) {
            v.problem("retries", c.retries() + " is out of range; give 0 to " + MAX_RETRIES);
        }
        v.positive(c.requestTimeout(), "requestTimeout");
        v.bounded(c.requestTimeout(), PlanValidator.MAX_CHECK_TIMEOUT, "requestTimeout");
    }

    private static void request(HttpRequest r, String at, Validation v) {
        if (!METHODS.contains(r.method())) {
            v.problem(
                    at + "method",
                    "'" + r.method() + "' is not a method; give one of GET, POST, PUT, PATCH, DELETE, HEAD");
        }
        if (r.url() == null
                || !(r.url().startsWith("http://")
                        || r.url().startsWith("https://")
                        || r.url().startsWith("${"))) {
            v.problem(
                    at + "url",
                    "'" + r.url() + "' is not an http(s) URL; e.g. https://admin.example.com/api/maintenance");
        }
        r.expectStatus()
                .filter(s -> s < 100 || s > 599)
                .ifPresent(s -> v.problem(at + "expectStatus", s + " is not an HTTP status"));
    }

    @Override
    public Map<String, String> textFields(HttpCall c) {
        Map<String, String> f = new LinkedHashMap<>();
        fields(c.request(), "", f);
        c.undo().ifPresent(u -> fields(u, "undo.", f));
        return f;
    }

    private static void fields(HttpRequest r, String at, Map<String, String> f) {
        f.putAll(Kinds.fields(at + "url", r.url()));
        r.headers().forEach((k, v) -> f.put(at + "headers." + k, v));
        r.body().ifPresent(b -> f.put(at + "body", b));
    }

    @Override
    public Outputs outputs(HttpCall c) {
        return Outputs.of("status");
    }

    @Override
    public Flags flags(HttpCall c) {
        return Flags.NONE.withDowntime(c.downtime());
    }

    @Override
    public StepBehaviour behaviour(HttpCall step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private final HttpCall spec;

        Behaviour(HttpCall spec) {
            this.spec = spec;
        }

        @Override
        public String describe() {
            String what =
                    spec.description().isEmpty() ? "call " + spec.method() + " " + spec.url() : spec.description();
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
            return call(ctx, "", spec.request());
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            return call(ctx, "", spec.request());
        }

        @Override
        public Compensation compensation() {
            return spec.undo().isPresent() ? Compensation.RESTORES_BLUE : Compensation.NONE;
        }

        @Override
        public String describeCompensation() {
            return spec.undo().map(u -> "call " + u.method() + " " + u.url()).orElse("nothing to undo");
        }

        @Override
        public StepOutcome compensate(StepContext ctx) {
            if (spec.undo().isEmpty()) {
                return StepOutcome.Done.of();
            }
            StepOutcome o = call(ctx, "undo.", spec.undo().get());
            return o instanceof StepOutcome.Done ? StepOutcome.Done.of() : o;
        }

        /** One attempt; a retry is a Pending with the attempt counted in the memo and a backoff. */
        private StepOutcome call(StepContext ctx, String prefix, HttpRequest r) {
            int attempt = Integer.parseInt(ctx.memo(prefix + "attempt").orElse("0"));
            String named = r.method() + " " + r.url();
            Map<String, String> headers = new LinkedHashMap<>();
            r.headers().forEach((k, v) -> headers.put(k, ctx.resolve(v)));
            HttpProbe.Request request = new HttpProbe.Request(
                    r.method(),
                    URI.create(ctx.resolve(r.url())),
                    headers,
                    r.body().map(ctx::resolve),
                    spec.requestTimeout());
            String problem;
            try {
                HttpProbe.Response answer = ctx.cloud().http().send(request);
                boolean expected = r.expectStatus()
                        .map(s -> s == answer.status())
                        .orElse(answer.status() >= 200 && answer.status() < 300);
                if (expected) {
                    return StepOutcome.Done.of(Map.of("status", String.valueOf(answer.status())));
                }
                problem = named + " answered " + answer.status() + ", expected "
                        + r.expectStatus().map(String::valueOf).orElse("2xx")
                        + (answer.body().isBlank()
                                ? ""
                                : ": "
                                        + RunCommandKind.Behaviour.tail(
                                                answer.body().strip(), 300));
                if (answer.status() != 429 && answer.status() < 500) {
                    return StepOutcome.Failed.of(FailureType.PERMANENT, problem);
                }
            } catch (ProviderException e) {
                if (!e.kind().retryable()) {
                    return StepOutcome.Failed.of(FailureType.PERMANENT, named + " failed: " + e.getMessage());
                }
                problem = named + " got no answer: " + e.getMessage();
            }
            if (attempt >= spec.retries()) {
                return StepOutcome.Failed.of(
                        FailureType.PERMANENT,
                        problem + (spec.retries() == 0 ? "" : " (after " + spec.retries() + " retries)"));
            }
            Duration backoff = Duration.ofSeconds(Math.min(300, 5L << Math.min(attempt, 6)));
            return new StepOutcome.Pending(
                    OPERATION,
                    Optional.of(backoff),
                    problem + "; trying again in " + backoff.toSeconds() + "s (retry " + (attempt + 1) + " of "
                            + spec.retries() + ")",
                    Map.of(prefix + "attempt", String.valueOf(attempt + 1)));
        }
    }
}
