package io.cutover.simulator;

import io.cutover.plan.Environment.Database.Kind;
import io.cutover.spi.ApiService;
import io.cutover.spi.BlueGreenProvider;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Simulated RDS Blue/Green Deployments of DB instances. Creating one builds green's instance, a replica of blue
 * available after {@link BlueGreenSimulation#times} (20 min by default). Green's replica lag grows by 2 s with
 * each write to blue and drains at one second a second. A switchover takes {@link Latencies#blueGreenSwitchover()}
 * (5 s by default, AWS's "typically under five seconds") plus the lag left when it starts; past its timeout, or when a guardrail fails, RDS rolls it back ({@code SWITCHOVER_FAILED}) and blue is as
 * it was. A completed one renames green to blue's name (with blue's data) and blue to {@code <name>-old1}, which
 * refuses writes from then on.
 */
final class SimBlueGreen implements BlueGreenProvider, SimWorld.Ticking {
    static final class Bgd {
        String id;
        String name;
        String blue;
        String green;
        Status status = Status.PROVISIONING;
        String details = "";
        Instant readyAt;
        Instant switchDoneAt;
        boolean switchFails;
        Map<String, String> tags;
    }

    private final SimWorld world;
    private final SimDatabases databases;
    final Map<String, Bgd> deployments = new LinkedHashMap<>();
    private final Map<String, Duration> lag = new HashMap<>();
    private final Map<String, Instant> lagAt = new HashMap<>();
    final Map<String, String> guardrails = new HashMap<>();
    final Set<String> readOnly = new HashSet<>();
    Duration createTime = Duration.ofMinutes(20);
    Duration switchoverTime;
    Duration lagPerWrite = Duration.ofSeconds(2);

    SimBlueGreen(SimWorld world, SimDatabases databases) {
        this.world = world;
        this.databases = databases;
        this.switchoverTime = world.latencies.blueGreenSwitchover();
    }

    /** Green's lag behind blue's database now. */
    Duration lagOf(String blueDb) {
        Duration l = lag.getOrDefault(blueDb, Duration.ZERO);
        Instant at = lagAt.getOrDefault(blueDb, world.now());
        Duration left = l.minus(Duration.between(at, world.now()));
        return left.isNegative() ? Duration.ZERO : left;
    }

    void setLag(String blueDb, Duration d) {
        lag.put(blueDb, d);
        lagAt.put(blueDb, world.now());
    }

    void wrote(String db) {
        if (deployments.values().stream().anyMatch(b -> b.blue.equals(db) && b.status != Status.SWITCHOVER_COMPLETED)) {
            setLag(db, lagOf(db).plus(lagPerWrite));
        }
    }

    @Override
    public void advance(Instant now) {
        for (Bgd b : deployments.values()) {
            if (b.status == Status.PROVISIONING && !b.readyAt.isAfter(now)) {
                b.status = Status.AVAILABLE;
                b.details = "";
            } else if (b.status == Status.SWITCHOVER_IN_PROGRESS && !b.switchDoneAt.isAfter(now)) {
                if (b.switchFails) {
                    b.status = Status.SWITCHOVER_FAILED;
                    world.happened(b.switchDoneAt, "blue-green-deployment", b.id, "SWITCHOVER_FAILED");
                } else {
                    complete(b);
                }
            }
        }
    }

    private void complete(Bgd b) {
        SimDatabases.Db blue = databases.get(Kind.INSTANCE, b.blue);
        SimDatabases.Db green = databases.get(Kind.INSTANCE, b.green);
        String name = b.blue;
        databases.rename(blue, name + "-old1");
        green.dataVersion = blue.dataVersion;
        databases.rename(green, name);
        readOnly.add(name + "-old1");
        b.blue = name + "-old1";
        b.green = name;
        b.status = Status.SWITCHOVER_COMPLETED;
        b.details = "";
        world.happened(b.switchDoneAt, "blue-green-deployment", b.id, "SWITCHOVER_COMPLETED");
    }

    @Override
    public Instant nextDue(Instant now, Instant due) {
        for (Bgd b : deployments.values()) {
            Instant at = b.status == Status.PROVISIONING
                    ? b.readyAt
                    : b.status == Status.SWITCHOVER_IN_PROGRESS ? b.switchDoneAt : null;
            if (at != null && at.isAfter(now) && (due == null || at.isBefore(due))) {
                due = at;
            }
        }
        return due;
    }

    @Override
    public String create(String name, String blueDb, Optional<String> version, Map<String, String> tags) {
        synchronized (world) {
            world.enter(ApiService.RDS, "CreateBlueGreenDeployment");
            if (deployments.values().stream().anyMatch(b -> b.name.equals(name))) {
                throw ProviderException.of(
                        FailureKind.ALREADY_EXISTS,
                        "CreateBlueGreenDeployment",
                        "BlueGreenDeploymentAlreadyExistsFault: " + name);
            }
            SimDatabases.Db blue = databases.get(Kind.INSTANCE, blueDb);
            if (blue == null) {
                throw ProviderException.of(
                        FailureKind.NOT_FOUND, "CreateBlueGreenDeployment", "DBInstance " + blueDb + " not found.");
            }
            Bgd b = new Bgd();
            b.id = "bgd-" + world.nextHex();
            b.name = name;
            b.blue = blueDb;
            b.green = blueDb + "-green-" + world.nextHex().substring(11);
            b.tags = Map.copyOf(tags);
            b.readyAt = world.now().plus(createTime);
            b.details = "creating read replica of source";
            SimDatabases.Db g = new SimDatabases.Db();
            g.kind = Kind.INSTANCE;
            g.id = b.green;
            g.status = io.cutover.spi.DatabaseProvider.Status.CREATING;
            g.readyAt = b.readyAt;
            g.dataVersion = blue.dataVersion;
            g.storage = blue.storage;
            g.engine = blue.engine;
            g.tags.putAll(tags);
            databases.put(g);
            deployments.put(b.id, b);
            world.created("blue-green-deployment", b.id, tags);
            return b.id;
        }
    }

    @Override
    public Optional<Deployment> findByName(String name) {
        synchronized (world) {
            world.enter(ApiService.RDS, "DescribeBlueGreenDeployments");
            return deployments.values().stream()
                    .filter(b -> b.name.equals(name) && !world.unseen(b.id))
                    .findFirst()
                    .map(this::view);
        }
    }

    @Override
    public Deployment describe(String id) {
        synchronized (world) {
            world.enter(ApiService.RDS, "DescribeBlueGreenDeployments");
            return view(live(id, "DescribeBlueGreenDeployments"));
        }
    }

    private Bgd live(String id, String op) {
        Bgd b = deployments.get(id);
        if (b == null || world.unseen(id)) {
            throw ProviderException.of(FailureKind.NOT_FOUND, op, "BlueGreenDeploymentNotFoundFault: " + id);
        }
        return b;
    }

    private Deployment view(Bgd b) {
        Optional<Duration> l = b.status == Status.SWITCHOVER_COMPLETED ? Optional.empty() : Optional.of(lagOf(b.blue));
        return new Deployment(b.id, b.name, b.blue, Optional.of(b.green), b.status, b.details, l, b.tags);
    }

    @Override
    public void switchover(String id, Duration timeout) {
        synchronized (world) {
            world.enter(ApiService.RDS, "SwitchoverBlueGreenDeployment");
            Bgd b = live(id, "SwitchoverBlueGreenDeployment");
            if (b.status != Status.AVAILABLE) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        "SwitchoverBlueGreenDeployment",
                        "InvalidBlueGreenDeploymentStateFault: " + id + " is " + b.status);
            }
            b.status = Status.SWITCHOVER_IN_PROGRESS;
            String guardrail = guardrails.get(b.blue);
            Duration takes = switchoverTime.plus(lagOf(b.blue));
            if (guardrail != null) {
                b.switchFails = true;
                b.details = guardrail;
                b.switchDoneAt = world.now().plus(Duration.ofSeconds(10));
            } else if (takes.compareTo(timeout) > 0) {
                b.switchFails = true;
                b.details = "switchover timed out after " + timeout.toSeconds() + " s; rolled back, no changes made";
                b.switchDoneAt = world.now().plus(timeout);
            } else {
                b.switchFails = false;
                b.switchDoneAt = world.now().plus(takes);
            }
            world.happened("blue-green-deployment", b.id, "SWITCHOVER_REQUESTED");
        }
    }

    @Override
    public void delete(String id, boolean deleteGreen) {
        synchronized (world) {
            world.enter(ApiService.RDS, "DeleteBlueGreenDeployment");
            Bgd b = live(id, "DeleteBlueGreenDeployment");
            if (deleteGreen && b.status == Status.SWITCHOVER_COMPLETED) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        "DeleteBlueGreenDeployment",
                        "InvalidParameterCombination: DeleteTarget is not allowed after a switchover");
            }
            deployments.remove(id);
            world.happened("blue-green-deployment", id, "DELETED");
            if (deleteGreen) {
                SimDatabases.Db g = databases.get(Kind.INSTANCE, b.green);
                if (g != null) {
                    g.status = io.cutover.spi.DatabaseProvider.Status.DELETING;
                    g.readyAt = world.now().plus(world.took("databaseDelete", world.latencies.databaseDelete()));
                    databases.scheduled(g);
                    world.happened("database", g.id, "DELETE_REQUESTED");
                }
            }
        }
    }

    List<BlueGreenSimulation.View> views() {
        return deployments.values().stream()
                .map(b ->
                        new BlueGreenSimulation.View(b.id, b.name, b.blue, b.green, b.status.name(), b.details, b.tags))
                .toList();
    }
}
