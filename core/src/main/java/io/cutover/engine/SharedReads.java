package io.cutover.engine;

import io.cutover.spi.AddressProvider;
import io.cutover.spi.AlarmProvider;
import io.cutover.spi.BlueGreenProvider;
import io.cutover.spi.CloudProvider;
import io.cutover.spi.CommandProvider;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.DnsProvider;
import io.cutover.spi.HttpProbe;
import io.cutover.spi.LoadBalancerProvider;
import io.cutover.spi.NotificationProvider;
import io.cutover.spi.StackProvider;
import io.cutover.spi.VolumeProvider;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reads an engine makes once for all its cutovers, where the same read is made and its answer cannot
 * have changed in a way that matters. A fleet of a thousand cutovers of one template in one zone otherwise
 * validates the same template three thousand times, out of the account's CloudFormation limit that the
 * cutovers' own calls need. What is shared, and for how long:
 * <ul>
 *   <li>{@code ValidateTemplate} of a template body, by the body's SHA-256, for the engine's life (at most
 *       {@value #TEMPLATES} bodies): its answer is a function of the body alone. A template given by URL is
 *       validated every time (what the URL serves can change). Failures are never kept.
 *   <li>Within one preflight, a read the preflight makes twice (blue's stack, described for the environment and
 *       for the parameters it carries over; blue's record, read for the environment and by lower-ttl) is made
 *       once.
 * </ul>
 * (The hosted zone is not read on its own: the record's read answers {@code NoSuchHostedZone} for a zone that
 * does not exist.) Not shared: every read a step makes to decide what it changes (blue's parameters when green
 * is created, a stack's or a snapshot's status): those are made fresh by the step. Blue's record as the
 * preflight read it is handed to lower-ttl ({@link io.cutover.step.PreflightReads#remember}), but only as what
 * its conditional change expects, which Route 53 checks. Each read answered here gives its token back to the
 * engine's {@link RateBudget}, which counted it when the call was reserved.
 */
final class SharedReads {
    static final int TEMPLATES = 256;

    private final RateBudget budget;
    private final Scheduler scheduler;
    private final Map<String, StackProvider.TemplateSummary> templates = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StackProvider.TemplateSummary> e) {
            return size() > TEMPLATES;
        }
    };
    private int answered;

    SharedReads(RateBudget budget, Scheduler scheduler) {
        this.budget = budget;
        this.scheduler = scheduler;
    }

    /**
     * The cloud one preflight reads through: the shared reads, and each of its reads made once; it counts the
     * calls that reached the cloud ({@link View#made()}), which the engine's admission reserved in its budget.
     */
    View forPreflight(CloudProvider cloud) {
        return new View(cloud, true, d -> d);
    }

    /**
     * The cloud a cutover's steps call: only template validations are shared; its DNS is {@code dns} of the
     * cloud's (the engine's batching of changes, when on).
     */
    CloudProvider forSteps(CloudProvider cloud, java.util.function.UnaryOperator<DnsProvider> dns) {
        return new View(cloud, false, dns);
    }

    /** Reads answered here instead of by the cloud, so far. */
    synchronized int answered() {
        return answered;
    }

    private void hit(String service, boolean refund) {
        synchronized (this) {
            answered++;
        }
        if (refund && budget.limits()) {
            budget.refund(Map.of(service, 1), scheduler.now());
        }
    }

    static String sha256(String body) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private StackProvider.TemplateSummary validate(StackProvider stacks, StackProvider.Template t, boolean refund) {
        if (t.body().isEmpty()) {
            return stacks.validate(t);
        }
        String key = sha256(t.body().get());
        synchronized (this) {
            StackProvider.TemplateSummary known = templates.get(key);
            if (known != null) {
                hit(RateBudget.CLOUDFORMATION, refund);
                return known;
            }
        }
        StackProvider.TemplateSummary s = stacks.validate(t);
        synchronized (this) {
            templates.put(key, s);
        }
        return s;
    }

    /**
     * A cloud whose stacks and DNS answer the shared reads. A step's view gives a read's token back to the budget
     * when it is answered here (the step reserved it); a preflight's counts the calls that reached the cloud, and
     * the admission settles its reservation with that count.
     */
    final class View implements CloudProvider {
        private final CloudProvider cloud;
        private final boolean preflight;
        private final java.util.function.UnaryOperator<DnsProvider> dnsView;
        /** This preflight's reads, by method and arguments: made once. */
        private final Map<List<Object>, Object> once = new HashMap<>();
        /** The calls that reached the cloud, by service (preflight only). */
        private final Map<String, Integer> made = new java.util.concurrent.ConcurrentHashMap<>();

        Map<String, Integer> made() {
            return Map.copyOf(made);
        }

        private <T> T counted(Class<T> type, T target, String service) {
            if (!preflight) {
                return target;
            }
            return proxy(type, target, (m, args) -> {
                made.merge(service, 1, Integer::sum);
                return Optional.empty();
            });
        }

        View(CloudProvider cloud, boolean preflight, java.util.function.UnaryOperator<DnsProvider> dnsView) {
            this.dnsView = dnsView;
            this.cloud = cloud;
            this.preflight = preflight;
        }

        private Object onceOr(String service, List<Object> key, java.util.function.Supplier<Object> read) {
            synchronized (once) {
                if (once.containsKey(key)) {
                    hit(service, !preflight);
                    return once.get(key);
                }
            }
            Object v = read.get();
            synchronized (once) {
                once.put(key, v);
            }
            return v;
        }

        @Override
        public StackProvider stacks() {
            StackProvider target = counted(StackProvider.class, cloud.stacks(), RateBudget.CLOUDFORMATION);
            return proxy(StackProvider.class, target, (m, args) -> {
                if (m.getName().equals("validate") && args.length == 1) {
                    return Optional.of(validate(target, (StackProvider.Template) args[0], !preflight));
                }
                if (preflight && m.getName().equals("describe") && args.length == 1) {
                    return Optional.of(onceOr(
                            RateBudget.CLOUDFORMATION,
                            List.of("describe", args[0]),
                            () -> target.describe((String) args[0])));
                }
                return Optional.empty();
            });
        }

        @Override
        public DnsProvider dns() {
            DnsProvider target = counted(DnsProvider.class, cloud.dns(), RateBudget.ROUTE53);
            if (!preflight) {
                return dnsView.apply(target);
            }
            return proxy(DnsProvider.class, target, (m, args) -> {
                if (m.getName().equals("records")) {
                    return Optional.of(onceOr(
                            RateBudget.ROUTE53,
                            List.of("records", args[0], args[1], args[2]),
                            () -> target.records((String) args[0], (String) args[1], (String) args[2])));
                }
                return Optional.empty();
            });
        }

        @Override
        public DatabaseProvider databases() {
            return counted(DatabaseProvider.class, cloud.databases(), RateBudget.RDS);
        }

        @Override
        public VolumeProvider volumes() {
            return counted(VolumeProvider.class, cloud.volumes(), RateBudget.EC2_DESCRIBE);
        }

        @Override
        public io.cutover.spi.ReplicaProvider replicas() {
            return counted(io.cutover.spi.ReplicaProvider.class, cloud.replicas(), RateBudget.RDS);
        }

        @Override
        public NotificationProvider notifications() {
            return cloud.notifications();
        }

        @Override
        public AlarmProvider alarms() {
            return cloud.alarms();
        }

        @Override
        public AddressProvider addresses() {
            return counted(AddressProvider.class, cloud.addresses(), RateBudget.EC2_DESCRIBE);
        }

        @Override
        public LoadBalancerProvider loadBalancers() {
            return cloud.loadBalancers();
        }

        @Override
        public BlueGreenProvider blueGreen() {
            return cloud.blueGreen();
        }

        @Override
        public CommandProvider commands() {
            return cloud.commands();
        }

        @Override
        public HttpProbe http() {
            return cloud.http();
        }

        @Override
        public Optional<io.cutover.spi.AccessProvider> access() {
            return cloud.access();
        }
    }

    /** Answers a method from {@code answer} when it gives a value, else from {@code target}. */
    private interface Answer {
        Optional<Object> apply(java.lang.reflect.Method m, Object[] args);
    }

    private static <T> T proxy(Class<T> type, T target, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            Object[] a = args == null ? new Object[0] : args;
            if (m.getDeclaringClass() != Object.class) {
                Optional<Object> v = answer.apply(m, a);
                if (v.isPresent()) {
                    return v.get();
                }
            }
            try {
                return m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
