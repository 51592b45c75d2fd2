package io.cutover.simulator;

import static io.cutover.simulator.SimWorld.parseInt;

import io.cutover.plan.Environment.Database.Kind;
import io.cutover.simulator.SimDatabases.Db;
import io.cutover.simulator.SimDatabases.DbSnap;
import io.cutover.simulator.SimStacks.Stack;
import io.cutover.simulator.SimVolumes.Vol;
import io.cutover.simulator.SimVolumes.VolSnap;
import io.cutover.spi.DatabaseProvider.Status;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.spi.VolumeProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a stack's template makes in the other services: databases from {@code AWS::RDS::DBInstance} and
 * {@code AWS::RDS::DBCluster} (from a snapshot when the template names one), volumes from
 * {@code AWS::EC2::Volume}, instances; their outputs, an update's replacements, and their removal with the
 * stack.
 */
final class StackResources {
    private final SimWorld world;
    private final SimDatabases databases;
    private final SimVolumes volumes;

    StackResources(SimWorld world, SimDatabases databases, SimVolumes volumes) {
        this.world = world;
        this.databases = databases;
        this.volumes = volumes;
    }

    /** Creates every resource of the template; the stack is ready when the slowest of them is. */
    void createAll(Stack s, SimTemplate t, Map<String, String> params, Instant now) {
        Instant ready = now.plus(world.took("stackCreate", world.latencies.stackCreate()));
        for (SimTemplate.Resource r : t.resources.values()) {
            Instant rr = create(s, t, r, params, now);
            if (rr.isAfter(ready)) {
                ready = rr;
            }
        }
        s.readyAt = ready;
    }

    private Instant create(Stack s, SimTemplate t, SimTemplate.Resource r, Map<String, String> params, Instant now) {
        String prop = "";
        switch (r.type()) {
            case "AWS::RDS::DBInstance", "AWS::RDS::DBCluster" -> {
                Kind kind = r.type().endsWith("DBCluster") ? Kind.CLUSTER : Kind.INSTANCE;
                String idProp = kind == Kind.CLUSTER ? "DBClusterIdentifier" : "DBInstanceIdentifier";
                String id = t.evaluate(r.properties().get(idProp), params, s.physical, (a, b) -> "", s.name);
                if (id.isEmpty()) {
                    id = (s.name + "-" + r.logicalId()).toLowerCase();
                }
                prop = kind == Kind.CLUSTER ? "SnapshotIdentifier" : "DBSnapshotIdentifier";
                String snap = t.evaluate(r.properties().get(prop), params, s.physical, (a, b) -> "", s.name);
                Db d = new Db();
                d.kind = kind;
                d.id = id;
                d.status = Status.CREATING;
                d.ownerStack = s.name;
                d.storage = parseInt(
                        t.evaluate(r.properties().get("AllocatedStorage"), params, s.physical, (a, b) -> "", s.name),
                        20);
                String cls =
                        t.evaluate(r.properties().get("DBInstanceClass"), params, s.physical, (a, b) -> "", s.name);
                if (!cls.isEmpty()) {
                    d.instanceClass = cls;
                }
                d.tags.putAll(s.tags);
                Duration took = world.took("databaseRestore", world.latencies.databaseRestore());
                if (!snap.isEmpty()) {
                    DbSnap from = databases.snapshot(kind, snap);
                    if (from == null || from.status != Status.AVAILABLE) {
                        s.reason = "DBSnapshot " + snap + " not found or not available";
                        throw ProviderException.of(
                                FailureKind.INVALID_REQUEST,
                                "CreateStack",
                                "Parameter validation failed: DB snapshot " + snap + " is not available");
                    }
                    d.dataVersion = from.dataVersion;
                    d.fromSnapshot = snap;
                    d.storage = Math.max(d.storage, from.storage);
                }
                d.readyAt = now.plus(took);
                databases.put(d);
                s.physical.put(r.logicalId(), id);
                return d.readyAt;
            }
            case "AWS::EC2::Volume" -> {
                Vol v = new Vol();
                v.id = volumes.newId();
                v.status = VolumeProvider.Status.PENDING;
                v.size =
                        parseInt(t.evaluate(r.properties().get("Size"), params, s.physical, (a, b) -> "", s.name), 100);
                String snap = t.evaluate(r.properties().get("SnapshotId"), params, s.physical, (a, b) -> "", s.name);
                if (!snap.isEmpty()) {
                    VolSnap from = volumes.snapshot(snap);
                    if (from == null || from.status != VolumeProvider.Status.COMPLETED) {
                        throw ProviderException.of(
                                FailureKind.INVALID_REQUEST,
                                "CreateStack",
                                "The snapshot '" + snap + "' does not exist or is not completed");
                    }
                    v.dataVersion = from.dataVersion;
                    v.fromSnapshot = snap;
                }
                v.readyAt = now.plus(world.took("volumeCreate", world.latencies.volumeCreate()));
                v.ownerStack = s.name;
                v.tags.putAll(s.tags);
                volumes.put(v);
                s.physical.put(r.logicalId(), v.id);
                return v.readyAt;
            }
            case "AWS::EC2::VolumeAttachment" -> {
                String vol = t.evaluate(r.properties().get("VolumeId"), params, s.physical, (a, b) -> "", s.name);
                String inst = t.evaluate(r.properties().get("InstanceId"), params, s.physical, (a, b) -> "", s.name);
                String dev = t.evaluate(r.properties().get("Device"), params, s.physical, (a, b) -> "", s.name);
                volumes.attachForStack(vol, inst, dev);
                s.physical.put(r.logicalId(), s.name + "-" + r.logicalId());
                return now;
            }
            case "AWS::EC2::Instance" -> {
                s.physical.put(r.logicalId(), "i-" + world.nextHex());
                return now;
            }
            default -> {
                s.physical.put(r.logicalId(), s.name + "-" + r.logicalId());
                return now;
            }
        }
    }

    /**
     * Whether every disk the template attaches to an instance ({@code AWS::EC2::VolumeAttachment}) has a volume at
     * its device: the application does not answer while its data disk is detached. Any volume will do, such as one
     * a cutover put there in place of the stack's own.
     */
    boolean disksAttached(Stack s) {
        for (SimTemplate.Resource r : s.template.resources.values()) {
            if (r.type().equals("AWS::EC2::VolumeAttachment")) {
                String inst = s.template.evaluate(
                        r.properties().get("InstanceId"), s.params, s.physical, (a, b) -> "", s.name);
                String dev =
                        s.template.evaluate(r.properties().get("Device"), s.params, s.physical, (a, b) -> "", s.name);
                if (!inst.isEmpty() && volumes.attachedAt(inst, dev).isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Seeding: the stack's databases and volumes have been in use for a while. */
    void seeded(Stack s) {
        String stack = s.name;
        List<Db> dbs = new ArrayList<>();
        List<Vol> vols = new ArrayList<>();
        // Its own resources, by their physical ids: not a search through every database and volume of the account.
        for (String physical : s.physical.values()) {
            for (Kind k : Kind.values()) {
                Db d = databases.get(k, physical);
                if (d != null && stack.equals(d.ownerStack)) {
                    dbs.add(d);
                }
            }
            Vol v = volumes.get(physical);
            if (v != null && stack.equals(v.ownerStack)) {
                vols.add(v);
            }
        }
        for (Db d : dbs) {
            d.status = Status.AVAILABLE;
            d.readyAt = null;
            d.dataVersion = Math.max(d.dataVersion, 1);
        }
        for (Vol v : vols) {
            v.status = VolumeProvider.Status.IN_USE;
            v.readyAt = null;
            v.dataVersion = Math.max(v.dataVersion, 1);
        }
    }

    /** Removes the stack's resources but the retained ones. */
    void removeAll(Stack s, List<String> retain) {
        for (var e : new ArrayList<>(s.physical.entrySet())) {
            if (retain.contains(e.getKey())) {
                continue;
            }
            removePhysical(e.getValue());
            s.physical.remove(e.getKey());
        }
    }

    private void removePhysical(String physical) {
        databases.removeWithStack(physical);
        volumes.removeWithStack(physical);
    }

    void computeOutputs(Stack s) {
        s.outputs.clear();
        for (var o : s.template.outputs.entrySet()) {
            s.outputs.put(
                    o.getKey(),
                    s.template.evaluate(
                            o.getValue(), s.params, s.physical, (res, attr) -> getAtt(s, res, attr), s.name));
        }
    }

    private static String getAtt(Stack s, String logical, String attr) {
        String physical = s.physical.getOrDefault(logical, logical);
        if (attr.equals("Endpoint.Address")) {
            return physical + ".sim.rds.local";
        }
        if (attr.equals("Endpoint.Port")) {
            return "5432";
        }
        if (attr.equals("PublicIp")) {
            return "198.51.100." + (Math.abs(physical.hashCode()) % 250 + 1);
        }
        return physical + "." + attr;
    }

    /** Applies an update that has come due: changed resources modified in place or replaced, removed ones gone. */
    void applyUpdate(Stack s, Instant now) {
        SimTemplate next = s.nextTemplate;
        Map<String, String> params = s.nextParams;
        for (SimTemplate.Resource r : next.resources.values()) {
            SimTemplate.Resource old = s.template.resources.get(r.logicalId());
            String oldProps = old == null ? null : resolvedProps(s, s.template, old, s.params);
            String newProps = resolvedProps(s, next, r, params);
            if (old != null && oldProps.equals(newProps)) {
                continue;
            }
            if (old != null && r.type().startsWith("AWS::RDS::") && !replaces(s, next, old, r, params)) {
                Db d = databases.get(
                        r.type().endsWith("DBCluster") ? Kind.CLUSTER : Kind.INSTANCE, s.physical.get(r.logicalId()));
                if (d != null) {
                    d.storage = parseInt(
                            next.evaluate(
                                    r.properties().get("AllocatedStorage"), params, s.physical, (a, b) -> "", s.name),
                            d.storage);
                }
                continue;
            }
            if (old != null) {
                removePhysical(s.physical.remove(r.logicalId()));
            }
            create(s, next, r, params, now);
            // The update waited for the new resource; it is ready when the stack is.
            String id = s.physical.get(r.logicalId());
            databases.readyAtOnce(id);
            Vol v = volumes.get(id);
            if (v != null) {
                v.status = v.instance != null ? VolumeProvider.Status.IN_USE : VolumeProvider.Status.AVAILABLE;
                v.readyAt = null;
            }
        }
        for (String gone : new ArrayList<>(s.template.resources.keySet())) {
            if (!next.resources.containsKey(gone) && s.physical.containsKey(gone)) {
                removePhysical(s.physical.remove(gone));
            }
        }
        // A replaced volume replaces its attachment too: the new volume goes on the instance at the same device.
        for (SimTemplate.Resource r : next.resources.values()) {
            if (r.type().equals("AWS::EC2::VolumeAttachment")) {
                volumes.attachForStack(
                        next.evaluate(r.properties().get("VolumeId"), params, s.physical, (a, b) -> "", s.name),
                        next.evaluate(r.properties().get("InstanceId"), params, s.physical, (a, b) -> "", s.name),
                        next.evaluate(r.properties().get("Device"), params, s.physical, (a, b) -> "", s.name));
            }
        }
        s.template = next;
        s.params = new LinkedHashMap<>(params);
        computeOutputs(s);
    }

    String resolvedProps(Stack s, SimTemplate t, SimTemplate.Resource r, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(r.type());
        r.properties()
                .fields()
                .forEachRemaining(e -> sb.append('|')
                        .append(e.getKey())
                        .append('=')
                        .append(t.evaluate(e.getValue(), params, s.physical, (a, b) -> a + "." + b, s.name)));
        return sb.toString();
    }

    /** Whether an update of a database resource replaces it (as a changed snapshot or identifier does). */
    boolean replaces(
            Stack s, SimTemplate next, SimTemplate.Resource old, SimTemplate.Resource r, Map<String, String> params) {
        for (String p : List.of(
                "DBSnapshotIdentifier",
                "SnapshotIdentifier",
                "DBInstanceIdentifier",
                "DBClusterIdentifier",
                "Engine",
                "SnapshotId")) {
            String a = s.template.evaluate(old.properties().get(p), s.params, s.physical, (x, y) -> "", s.name);
            String b = next.evaluate(r.properties().get(p), params, s.physical, (x, y) -> "", s.name);
            if (!a.equals(b)) {
                return true;
            }
        }
        return false;
    }
}
