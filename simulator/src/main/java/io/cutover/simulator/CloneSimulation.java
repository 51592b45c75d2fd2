package io.cutover.simulator;

import java.time.Duration;
import java.util.Optional;

/**
 * The simulated cloud's Aurora fast clones, for tests: how long a clone takes (the same for any size), how far a
 * cluster's latest restorable time trails the present, and which cluster a clone was made from.
 */
public final class CloneSimulation {
    private final SimWorld world;
    private final SimClones model;

    CloneSimulation(SimWorld world, SimClones model) {
        this.world = world;
        this.model = model;
    }

    /** How long a clone and its instances take to be available (5 min by default), whatever the source's size. */
    public CloneSimulation cloneTime(Duration d) {
        synchronized (world) {
            model.cloneTime = d;
            return this;
        }
    }

    /** How far every cluster's latest restorable time trails the present (none by default). */
    public CloneSimulation restorableLag(Duration d) {
        synchronized (world) {
            model.restorableLag = d;
            return this;
        }
    }

    /**
     * Makes a cluster a Multi-AZ DB cluster of {@code engine} (e.g. {@code postgres}), which RDS cannot clone, in
     * place of an Aurora one.
     */
    public CloneSimulation multiAzCluster(String clusterId, String engine) {
        synchronized (world) {
            cluster(clusterId).engine = engine;
            return this;
        }
    }

    /** Leaves a cluster without DB instances, which RDS cannot clone. */
    public CloneSimulation withoutInstances(String clusterId) {
        synchronized (world) {
            cluster(clusterId).noInstances = true;
            return this;
        }
    }

    private SimDatabases.Db cluster(String id) {
        SimDatabases.Db d = model.databases().get(io.cutover.plan.Environment.Database.Kind.CLUSTER, id);
        if (d == null) {
            throw new IllegalArgumentException("no cluster " + id);
        }
        return d;
    }

    /** The cluster {@code cloneId} was cloned from, if it is a clone. */
    public Optional<String> sourceOf(String cloneId) {
        synchronized (world) {
            return Optional.ofNullable(model.sourceOf.get(cloneId));
        }
    }
}
