package io.cutover.engine;

import io.cutover.FenceLostException;
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
import io.cutover.spi.ReplicaProvider;
import io.cutover.spi.StackProvider;
import io.cutover.spi.VolumeProvider;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A cloud whose every changing call is made only while the run's fence holds: the fence is asked just before
 * the call goes out, and a lost fence throws {@link FenceLostException} instead. Reads go through unasked.
 * A method counts as a read only when it is listed here, so a method added to the SPI later is fenced until
 * someone says it only reads.
 */
final class FencedCloud implements CloudProvider {
    /**
     * The SPI's reads by the interface that declares them (every {@code describe...} too); everything else
     * changes the cloud. Keyed by interface, so a changing method that another provider names like a read
     * elsewhere ({@code get}, {@code find}) is still fenced.
     */
    private static final Map<Class<?>, Set<String>> READS = Map.of(
            StackProvider.class, Set.of("templateBody", "validate", "events"),
            DatabaseProvider.class, Set.of("latestRestorableTime"),
            VolumeProvider.class, Set.of("findSnapshots", "findVolumes", "initialization"),
            DnsProvider.class, Set.of("records", "changeStatus", "maxBatchParts"),
            LoadBalancerProvider.class, Set.of("forwardOf"),
            BlueGreenProvider.class, Set.of("findByName"),
            AlarmProvider.class, Set.of("states"),
            CommandProvider.class, Set.of("instances", "find", "invocations"),
            HttpProbe.class, Set.of("get"));

    private final StackProvider stacks;
    private final DatabaseProvider databases;
    private final VolumeProvider volumes;
    private final DnsProvider dns;
    private final AddressProvider addresses;
    private final LoadBalancerProvider loadBalancers;
    private final BlueGreenProvider blueGreen;
    private final ReplicaProvider replicas;
    private final AlarmProvider alarms;
    private final CommandProvider commands;
    private final HttpProbe http;
    private final CloudProvider cloud;

    FencedCloud(CloudProvider cloud, Supplier<Fence.Check> fence) {
        // The cloud's parts are asked for at each call, as callers of the cloud do: an adapter builds a client
        // when it is first used.
        this.stacks = fenced(StackProvider.class, cloud::stacks, fence);
        this.databases = fenced(DatabaseProvider.class, cloud::databases, fence);
        this.volumes = fenced(VolumeProvider.class, cloud::volumes, fence);
        this.dns = fenced(DnsProvider.class, cloud::dns, fence);
        this.addresses = fenced(AddressProvider.class, cloud::addresses, fence);
        this.loadBalancers = fenced(LoadBalancerProvider.class, cloud::loadBalancers, fence);
        this.blueGreen = fenced(BlueGreenProvider.class, cloud::blueGreen, fence);
        this.replicas = fenced(ReplicaProvider.class, cloud::replicas, fence);
        this.alarms = fenced(AlarmProvider.class, cloud::alarms, fence);
        this.commands = fenced(CommandProvider.class, cloud::commands, fence);
        // A health check's GET only reads; an http-call step's request (a vendor's API) may change the application.
        this.http = fenced(HttpProbe.class, cloud::http, fence);
        this.cloud = cloud;
    }

    static boolean changes(Method m) {
        return m.getDeclaringClass() != Object.class
                && !m.getName().startsWith("describe")
                && !READS.getOrDefault(m.getDeclaringClass(), Set.of()).contains(m.getName());
    }

    private static <T> T fenced(Class<T> type, Supplier<T> target, Supplier<Fence.Check> fence) {
        InvocationHandler h = (proxy, m, args) -> {
            if (changes(m) && fence.get() instanceof Fence.Lost lost) {
                throw new FenceLostException(
                        "not calling " + type.getSimpleName() + "." + m.getName() + ": " + lost.reason());
            }
            try {
                return m.invoke(target.get(), args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
    }

    @Override
    public StackProvider stacks() {
        return stacks;
    }

    @Override
    public DatabaseProvider databases() {
        return databases;
    }

    @Override
    public VolumeProvider volumes() {
        return volumes;
    }

    @Override
    public DnsProvider dns() {
        return dns;
    }

    @Override
    public AddressProvider addresses() {
        return addresses;
    }

    @Override
    public LoadBalancerProvider loadBalancers() {
        return loadBalancers;
    }

    @Override
    public BlueGreenProvider blueGreen() {
        return blueGreen;
    }

    @Override
    public ReplicaProvider replicas() {
        return replicas;
    }

    @Override
    public AlarmProvider alarms() {
        return alarms;
    }

    /**
     * Not fenced: a message to people changes nothing the cutover owns, and the engine sends the run's
     * notifications through its own cloud, not a step's.
     */
    @Override
    public NotificationProvider notifications() {
        return cloud.notifications();
    }

    /** Only reads: who the caller is and what its policy allows. */
    @Override
    public java.util.Optional<io.cutover.spi.AccessProvider> access() {
        return cloud.access();
    }

    @Override
    public CommandProvider commands() {
        return commands;
    }

    @Override
    public HttpProbe http() {
        return http;
    }
}
