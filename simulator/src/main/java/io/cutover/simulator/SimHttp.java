package io.cutover.simulator;

import io.cutover.spi.FailureKind;
import io.cutover.spi.HttpProbe;
import io.cutover.spi.ProviderException;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP as the simulated cloud answers it: a health check's GET reaches the stack a host name leads to (through
 * DNS and load balancers), and an http-call to a vendor's admin API gets the answers a test set for its URL.
 */
final class SimHttp implements HttpProbe {
    private final SimWorld world;
    private final SimStacks stacks;
    private final SimLoadBalancers loadBalancers;
    private final SimNetwork network;
    /** Fixed answers of http-call URLs, by prefix: each call takes the next status, the last one repeats. */
    private final Map<String, java.util.ArrayDeque<Integer>> httpAnswers = new java.util.LinkedHashMap<>();

    SimHttp(SimWorld world, SimStacks stacks, SimLoadBalancers loadBalancers, SimNetwork network) {
        this.world = world;
        this.stacks = stacks;
        this.loadBalancers = loadBalancers;
        this.network = network;
    }

    @Override
    public int get(java.net.URI uri, java.time.Duration timeout) {
        return probe(uri, timeout);
    }

    @Override
    public Response send(Request request) {
        return call(request);
    }

    private int probe(java.net.URI uri, java.time.Duration timeout) {
        synchronized (world) {
            world.count("HTTP GET");
            Optional<SimStacks.Stack> stack = reachedBy(uri.getHost() == null ? "" : uri.getHost());
            if (stack.isPresent()) {
                return stacks.healthy(stack.get()) && !world.faults.checkFlaps() ? 200 : 503;
            }
            throw ProviderException.of(
                    FailureKind.TRANSIENT,
                    "HTTP GET",
                    "no answer from " + uri.getHost() + " within " + timeout.toSeconds() + "s");
        }
    }

    /**
     * An http-call to a vendor's admin API: the answers set with {@link #answers} for its URL, else, for a host
     * a stack serves, 200 when it is healthy and 503 when not, else 200 (the vendor's API accepts). Recorded in
     * {@link SimulatedCloud#history()} as {@code http} with the method and URL without its query (never headers nor body).
     */
    private HttpProbe.Response call(HttpProbe.Request request) {
        synchronized (world) {
            world.count("HTTP " + request.method());
            java.net.URI u = request.uri();
            String url = u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
                    + (u.getPath() == null ? "" : u.getPath());
            Integer fixed = null;
            for (Map.Entry<String, java.util.ArrayDeque<Integer>> a : httpAnswers.entrySet()) {
                if (url.startsWith(a.getKey())) {
                    fixed = a.getValue().size() > 1
                            ? a.getValue().poll()
                            : a.getValue().peek();
                    break;
                }
            }
            int status;
            if (fixed != null) {
                status = fixed;
            } else {
                Optional<SimStacks.Stack> stack = reachedBy(u.getHost() == null ? "" : u.getHost());
                status = stack.isEmpty() || stacks.healthy(stack.get()) ? 200 : 503;
            }
            if (status == 0) {
                world.happened("http", request.method() + " " + url, "no answer");
                throw ProviderException.of(
                        FailureKind.TRANSIENT,
                        "HTTP " + request.method(),
                        "no answer from " + u.getHost() + " within "
                                + request.timeout().toSeconds() + "s");
            }
            world.happened("http", request.method() + " " + url, "answered " + status);
            return new HttpProbe.Response(status, "");
        }
    }

    /**
     * How the URLs that start with {@code urlPrefix} answer http-call steps: each call the next status (0: no
     * answer), the last one from then on; e.g. {@code httpAnswers("https://admin.example.com/", 503, 200)}.
     */
    void answers(String urlPrefix, int... statuses) {
        synchronized (world) {
            java.util.ArrayDeque<Integer> q = new java.util.ArrayDeque<>();
            for (int st : statuses) {
                q.add(st);
            }
            httpAnswers.put(urlPrefix, q);
        }
    }

    /** The stack a host name leads to: one whose outputs name it, or, through DNS, up to three hops on. */
    Optional<SimStacks.Stack> reachedBy(String host) {
        String h = SimWorld.normal(host);
        for (int hop = 0; hop < 3; hop++) {
            Optional<SimStacks.Stack> s = stacks.serving(h);
            if (s.isPresent()) {
                return s;
            }
            Optional<String> behindLb = loadBalancers.serving(h);
            if (behindLb.isPresent()) {
                return stacks.live(behindLb.get());
            }
            Optional<String> next = network.resolve(h);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            h = SimWorld.normal(next.get());
        }
        return Optional.empty();
    }
}
