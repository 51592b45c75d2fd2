package io.cutover.simulator;

import static io.cutover.simulator.SimWorld.normal;

import io.cutover.spi.ApiService;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.spi.StackProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Simulated CloudFormation: stacks created from templates (their resources made in {@link StackResources}),
 * change sets, updates, deletes and events; a stack can roll back by a fault.
 */
final class SimStacks implements StackProvider, SimWorld.Ticking {
    static final class Stack {
        String name;
        String id;
        String status;
        String reason = "";
        String token;
        SimTemplate template;
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, String> outputs = new LinkedHashMap<>();
        Map<String, String> tags = new LinkedHashMap<>();
        Map<String, String> physical = new LinkedHashMap<>();
        Instant readyAt;
        Instant healthyAt;
        SimTemplate nextTemplate;
        Map<String, String> nextParams;
        List<String> retain = List.of();
        /** Resources changed outside the stack (logical id to MODIFIED or DELETED), as drift detection finds them. */
        final Map<String, String> drifted = new java.util.TreeMap<>();

        final Map<String, ChangeSet> changeSets = new LinkedHashMap<>();
        final List<StackEvent> events = new ArrayList<>();

        boolean deleted() {
            return status.equals("DELETE_COMPLETE");
        }
    }

    private record ChangeSet(
            String name,
            Instant readyAt,
            SimTemplate template,
            Map<String, String> params,
            List<ResourceChange> changes,
            String failure) {}

    private final SimWorld world;
    private final SimDatabases databases;
    private final StackResources resources;
    // Every stack put here with a due time set is due then (DueTimes).
    private final Map<String, Stack> stacks = DueTimes.onPut(s -> this.due.add(s));
    private final Map<String, String> templatesByUrl = new HashMap<>();
    /** Stacks by the host names in their outputs (normalised); an entry is checked when used, dropped if stale. */
    private final Map<String, List<Stack>> byOutput = new HashMap<>();

    private final DueTimes<Stack> due =
            new DueTimes<>("stack", s -> stacks.get(s.name) == s ? s.readyAt : null, stacks::values);

    SimStacks(SimWorld world, SimDatabases databases, SimVolumes volumes) {
        this.world = world;
        this.databases = databases;
        this.resources = new StackResources(world, databases, volumes);
    }

    // ------------------------------------------------------------------------------------------- time

    @Override
    public void advance(Instant now) {
        List<Stack> dueNow = due.due(now);
        for (Stack s : dueNow) {
            if (s.readyAt == null || s.readyAt.isAfter(now)) {
                continue;
            }
            s.readyAt = null;
            switch (s.status) {
                case "CREATE_IN_PROGRESS" -> {
                    if (world.faults.rollsBack(s.name)) {
                        String failing =
                                s.template.resources.keySet().iterator().next();
                        event(
                                s,
                                failing,
                                s.template.resources.get(failing).type(),
                                "CREATE_FAILED",
                                "Resource handler returned message: \"simulated failure of " + failing + "\"");
                        resources.removeAll(s, List.of());
                        s.status = world.faults.rollbackFailing(s.name) ? "ROLLBACK_FAILED" : "ROLLBACK_COMPLETE";
                        s.reason = "The following resource(s) failed to create: [" + failing
                                + "]. Rollback requested by user.";
                    } else {
                        s.status = "CREATE_COMPLETE";
                        s.healthyAt = now.plus(world.took("healthCheck", world.latencies.healthCheck()));
                        resources.computeOutputs(s);
                        indexOutputs(s);
                    }
                    event(s, s.name, "AWS::CloudFormation::Stack", s.status, s.reason);
                }
                case "UPDATE_IN_PROGRESS" -> {
                    if (world.faults.rollsBack(s.name)) {
                        String failing =
                                s.nextTemplate.resources.keySet().iterator().next();
                        event(
                                s,
                                failing,
                                s.nextTemplate.resources.get(failing).type(),
                                "UPDATE_FAILED",
                                "Resource handler returned message: \"simulated failure of " + failing + "\"");
                        s.status = world.faults.rollbackFailing(s.name)
                                ? "UPDATE_ROLLBACK_FAILED"
                                : "UPDATE_ROLLBACK_COMPLETE";
                        s.reason = "The following resource(s) failed to update: [" + failing + "].";
                    } else {
                        resources.applyUpdate(s, now);
                        indexOutputs(s);
                        s.status = "UPDATE_COMPLETE";
                        s.reason = "";
                        s.healthyAt = now.plus(world.took("healthCheck", world.latencies.healthCheck()));
                    }
                    s.nextTemplate = null;
                    s.nextParams = null;
                    event(s, s.name, "AWS::CloudFormation::Stack", s.status, s.reason);
                }
                case "DELETE_IN_PROGRESS" -> {
                    if (world.faults.deleteFailing(s.name) && !s.physical.isEmpty()) {
                        String failing = s.physical.keySet().iterator().next();
                        event(
                                s,
                                failing,
                                s.template.resources.containsKey(failing)
                                        ? s.template.resources.get(failing).type()
                                        : "AWS::CloudFormation::CustomResource",
                                "DELETE_FAILED",
                                "Resource handler returned message: \"simulated failure to delete " + failing + "\"");
                        s.status = "DELETE_FAILED";
                        s.reason = "The following resource(s) failed to delete: [" + failing + "].";
                    } else {
                        resources.removeAll(s, s.retain);
                        s.status = "DELETE_COMPLETE";
                    }
                    event(
                            s,
                            s.name,
                            "AWS::CloudFormation::Stack",
                            s.status,
                            s.status.equals("DELETE_FAILED") ? s.reason : "");
                }
                default -> {}
            }
        }
        due.advanced(dueNow, now);
    }

    @Override
    public Instant nextDue(Instant now, Instant due) {
        return this.due.next(now, due);
    }

    private void event(Stack s, String logical, String type, String status, String reason) {
        s.events.add(
                0,
                new StackEvent(
                        world.nextHex(), logical, type, status, status.endsWith("_FAILED"), reason, world.now()));
    }

    private Stack liveStack(String name, String operation) {
        Stack s = stacks.get(name);
        if (s == null || s.deleted()) {
            throw ProviderException.of(FailureKind.NOT_FOUND, operation, "Stack with id " + name + " does not exist");
        }
        return s;
    }

    // ------------------------------------------------------------------------------------------- the SPI

    @Override
    public StackDescription describe(String stackName) {
        synchronized (world) {
            world.enter(ApiService.CLOUDFORMATION, "DescribeStacks");
            Stack s = liveStack(stackName, "DescribeStacks");
            return new StackDescription(
                    s.name,
                    s.id,
                    state(s.status),
                    operation(s.status),
                    s.status,
                    s.reason,
                    masked(s.template, s.params),
                    s.outputs,
                    s.tags);
        }
    }

    /** As CloudFormation describes them: NoEcho parameters as {@code ****}. */
    private static Map<String, String> masked(SimTemplate t, Map<String, String> params) {
        Map<String, String> out = new java.util.LinkedHashMap<>(params);
        t.noEcho.forEach(k -> out.computeIfPresent(k, (x, v) -> "****"));
        return out;
    }

    @Override
    public String templateBody(String stackName) {
        synchronized (world) {
            world.enter(ApiService.CLOUDFORMATION, "GetTemplate");
            return liveStack(stackName, "GetTemplate").template.body;
        }
    }

    @Override
    public TemplateSummary validate(Template template) {
        synchronized (world) {
            world.enter(ApiService.CLOUDFORMATION, "ValidateTemplate");
            SimTemplate t = load(template, "ValidateTemplate");
            return new TemplateSummary(t.parameters, t.noEcho);
        }
    }

    @Override
    public void create(StackRequest request) {
        synchronized (world) {
            world.enter(ApiService.CLOUDFORMATION, "CreateStack");
            Stack existing = stacks.get(request.stackName());
            if (existing != null && !existing.deleted()) {
                if (request.clientToken().equals(existing.token)) {
                    return;
                }
                throw ProviderException.of(
                        FailureKind.ALREADY_EXISTS,
                        "CreateStack",
                        "Stack [" + request.stackName() + "] already exists");
            }
            SimTemplate t = load(request.template(), "CreateStack");
            Stack s = new Stack();
            s.name = request.stackName();
            s.id = "arn:aws:cloudformation:us-east-1:000000000000:stack/" + s.name + "/" + world.nextHex();
            s.token = request.clientToken();
            s.template = t;
            s.params = t.bind(request.parameters(), "CreateStack");
            s.tags.putAll(request.tags());
            s.status = "CREATE_IN_PROGRESS";
            resources.createAll(s, t, s.params, world.now());
            stacks.put(s.name, s);
            world.created("stack", s.name, request.tags());
            event(s, s.name, "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", "User Initiated");
        }
    }

    @Override
    public void createChangeSet(StackRequest request, String changeSetName) {
        synchronized (world) {
            world.enter(ApiService.CLOUDFORMATION, "CreateChangeSet");
            Stack s = liveStack(request.stackName(), "CreateChangeSet");
            if (s.changeSets.containsKey(changeSetName)) {
                throw ProviderException.of(
                        FailureKind.ALREADY_EXISTS,
                        "CreateChangeSet",
                        "ChangeSet [" + changeSetName + "] already exists");
            }
            if (s.status.endsWith("_IN_PROGRESS")) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        "CreateChangeSet",
                        "Stack:" + s.id + " is in " + s.status + " state and can not be updated.");
            }
            SimTemplate t = load(request.template(), "CreateChangeSet");
            Map<String, String> params = t.bind(request.parameters(), "CreateChangeSet");
            List<ResourceChange> diff = new ArrayList<>();
            for (SimTemplate.Resource r : t.resources.values()) {
                SimTemplate.Resource old = s.template.resources.get(r.logicalId());
                if (old == null) {
                    diff.add(new ResourceChange("Add", r.logicalId(), r.type(), ""));
                } else if (!resources
                        .resolvedProps(s, s.template, old, s.params)
                        .equals(resources.resolvedProps(s, t, r, params))) {
                    diff.add(new ResourceChange(
                            "Modify",
                            r.logicalId(),
                            r.type(),
                            r.type().startsWith("AWS::RDS::") && resources.replaces(s, t, old, r, params)
                                    ? "True"
                                    : "False"));
                }
            }
            s.template.resources.keySet().stream()
                    .filter(k -> !t.resources.containsKey(k))
                    .forEach(k -> diff.add(new ResourceChange(
                            "Remove", k, s.template.resources.get(k).type(), "")));
            String failure = diff.isEmpty() && params.equals(s.params)
                    ? "The submitted information didn't contain changes. Submit different information to create a change set."
                    : null;
            s.changeSets.put(
                    changeSetName,
                    new ChangeSet(
                            changeSetName,
                            world.now().plus(world.took("changeSet", world.latencies.changeSet())),
                            t,
                            params,
                            diff,
                            failure));
        }
    }

    @Override
    public ChangeSetDescription describeChangeSet(String stackName, String changeSetName) {
        synchronized (world) {
            world.enter(ApiService.CLOUDFORMATION, "DescribeChangeSet");
            Stack s = liveStack(stackName, "DescribeChangeSet");
            ChangeSet cs = s.changeSets.get(changeSetName);
            if (cs == null) {
                throw ProviderException.of(
                        FailureKind.NOT_FOUND, "DescribeChangeSet", "ChangeSet [" + changeSetName + "] does not exist");
            }
            boolean ready = !cs.readyAt().isAfter(world.now());
            // The only change set the simulated cloud refuses is one without changes.
            return new ChangeSetDescription(
                    cs.name(),
                    !ready
                            ? ChangeSetStatus.PENDING
                            : cs.failure() == null ? ChangeSetStatus.READY : ChangeSetStatus.NO_CHANGES,
                    ready ? cs.failure() : null,
                    ready ? cs.changes() : List.of(),
                    cs.params());
        }
    }

    @Override
    public void deleteChangeSet(String stackName, String changeSetName) {
        synchronized (world) {
            world.enter(ApiService.CLOUDFORMATION, "DeleteChangeSet");
            liveStack(stackName, "DeleteChangeSet").changeSets.remove(changeSetName);
        }
    }

    /** Detection is immediate here: the id names the stack, and the result is read at once. */
    @Override
    public String detectDrift(String stackName) {
        synchronized (world) {
            world.enter(ApiService.CLOUDFORMATION, "DetectStackDrift");
            return liveStack(stackName, "DetectStackDrift").id + "/drift";
        }
    }

    @Override
    public Drift drift(String stackName, String detectionId) {
        synchronized (world) {
            world.enter(ApiService.CLOUDFORMATION, "DescribeStackResourceDrifts");
            Stack s = liveStack(stackName, "DescribeStackResourceDrifts");
            List<DriftedResource> out = new ArrayList<>();
            s.drifted.forEach((logical, status) -> out.add(new DriftedResource(
                    logical,
                    s.template.resources.containsKey(logical)
                            ? s.template.resources.get(logical).type()
                            : "",
                    status)));
            return new Drift(true, out.isEmpty() ? "IN_SYNC" : "DRIFTED", out);
        }
    }

    /** Marks a resource of a stack as changed outside it (status MODIFIED or DELETED), for drift detection. */
    void drift(String stackName, String logicalId, String status) {
        synchronized (world) {
            liveStack(stackName, "drift").drifted.put(logicalId, status);
        }
    }

    @Override
    public void executeChangeSet(String stackName, String changeSetName, String clientToken) {
        synchronized (world) {
            world.enter(ApiService.CLOUDFORMATION, "ExecuteChangeSet");
            Stack s = liveStack(stackName, "ExecuteChangeSet");
            if (clientToken.equals(s.token) && s.status.startsWith("UPDATE")) {
                return;
            }
            ChangeSet cs = s.changeSets.get(changeSetName);
            if (cs == null) {
                throw ProviderException.of(
                        FailureKind.NOT_FOUND, "ExecuteChangeSet", "ChangeSet [" + changeSetName + "] does not exist");
            }
            if (cs.readyAt().isAfter(world.now()) || cs.failure() != null) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        "ExecuteChangeSet",
                        "ChangeSet [" + changeSetName + "] cannot be executed in its current status");
            }
            s.token = clientToken;
            s.status = "UPDATE_IN_PROGRESS";
            s.nextTemplate = cs.template();
            s.nextParams = cs.params();
            boolean replacesDb = cs.changes().stream().anyMatch(c -> "True".equals(c.replacement()));
            s.readyAt = world.now()
                    .plus(world.took("stackUpdate", world.latencies.stackUpdate()))
                    .plus(
                            replacesDb
                                    ? world.took("databaseRestore", world.latencies.databaseRestore())
                                    : Duration.ZERO);
            due.add(s);
            s.changeSets.clear();
            event(s, s.name, "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", "User Initiated");
        }
    }

    @Override
    public void delete(String stackName, List<String> retainResources, String clientToken) {
        synchronized (world) {
            world.enter(ApiService.CLOUDFORMATION, "DeleteStack");
            Stack s = stacks.get(stackName);
            if (s == null || s.deleted() || s.status.equals("DELETE_IN_PROGRESS")) {
                return;
            }
            s.status = "DELETE_IN_PROGRESS";
            world.happened("stack", s.name, "DELETE_REQUESTED");
            s.retain = List.copyOf(retainResources);
            s.readyAt = world.now().plus(world.took("stackDelete", world.latencies.stackDelete()));
            due.add(s);
            event(s, s.name, "AWS::CloudFormation::Stack", "DELETE_IN_PROGRESS", "User Initiated");
        }
    }

    @Override
    public List<StackEvent> events(String stackName) {
        synchronized (world) {
            world.enter(ApiService.CLOUDFORMATION, "DescribeStackEvents");
            return List.copyOf(liveStack(stackName, "DescribeStackEvents").events);
        }
    }

    private SimTemplate load(Template template, String operation) {
        if (template.url().isPresent()) {
            String body = templatesByUrl.get(template.url().get());
            if (body == null) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        operation,
                        "TemplateURL must be a supported URL; nothing is stored at "
                                + template.url().get());
            }
            return SimTemplate.parse(body);
        }
        return SimTemplate.parse(template.body().orElseThrow());
    }

    private static StackState state(String status) {
        if (status.endsWith("_IN_PROGRESS")) {
            return StackState.IN_PROGRESS;
        }
        return switch (status) {
            case "CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE" -> StackState.COMPLETE;
            case "ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_COMPLETE" -> StackState.ROLLED_BACK;
            case "DELETE_COMPLETE" -> StackState.DELETED;
            case "DELETE_FAILED" -> StackState.DELETE_FAILED;
            default -> StackState.FAILED;
        };
    }

    private static StackOperation operation(String status) {
        if (status.startsWith("DELETE")) {
            return StackOperation.DELETE;
        }
        if (status.startsWith("UPDATE")) {
            return StackOperation.UPDATE;
        }
        return status.startsWith("ROLLBACK") ? StackOperation.ROLLBACK : StackOperation.CREATE;
    }

    // ------------------------------------------------------------------------------------------- for the others

    /** Whether a live stack holds this physical resource (an instance an address can move to). */
    boolean holds(String physicalId) {
        return stacks.values().stream().filter(s -> !s.deleted()).anyMatch(s -> s.physical.containsValue(physicalId));
    }

    /**
     * The instances of live stacks ({@code AWS::EC2::Instance}), by id, with the tags EC2 gives them: the stack's
     * own, {@code aws:cloudformation:stack-name} and {@code aws:cloudformation:logical-id}.
     */
    Map<String, Map<String, String>> instances() {
        Map<String, Map<String, String>> out = new java.util.TreeMap<>();
        for (Stack s : stacks.values()) {
            if (s.deleted()) {
                continue;
            }
            s.physical.forEach((logical, physical) -> {
                if (physical.startsWith("i-")) {
                    Map<String, String> tags = new LinkedHashMap<>(s.tags);
                    tags.put("aws:cloudformation:stack-name", s.name);
                    tags.put("aws:cloudformation:logical-id", logical);
                    out.put(physical, tags);
                }
            });
        }
        return out;
    }

    /** A stack that exists (not deleted), by name. */
    Optional<Stack> live(String name) {
        return Optional.ofNullable(stacks.get(name)).filter(s -> !s.deleted());
    }

    /** The live stack one of whose outputs is this host name (normalised); the first created if several are. */
    Optional<Stack> serving(String host) {
        List<Stack> named = byOutput.get(host);
        if (named == null) {
            return Optional.empty();
        }
        named.removeIf(s -> s.deleted()
                || stacks.get(s.name) != s
                || s.outputs.values().stream().noneMatch(v -> normal(v).equals(host)));
        if (named.isEmpty()) {
            byOutput.remove(host);
            return Optional.empty();
        }
        if (named.size() == 1) {
            return Optional.of(named.get(0));
        }
        return stacks.values().stream().filter(named::contains).findFirst();
    }

    /** Called whenever a stack's outputs are computed: the host names they now hold lead to it. */
    private void indexOutputs(Stack s) {
        for (String v : s.outputs.values()) {
            List<Stack> named = byOutput.computeIfAbsent(normal(v), k -> new ArrayList<>(1));
            if (!named.contains(s)) {
                named.add(s);
            }
        }
    }

    /**
     * Whether the application in the stack answers its health check: the stack complete, warmed up, its
     * databases available, and no fault making it unhealthy.
     */
    boolean healthy(Stack s) {
        if (world.faults.isUnhealthy(s.name) || s.healthyAt == null || s.healthyAt.isAfter(world.now())) {
            return false;
        }
        if (!(s.status.equals("CREATE_COMPLETE") || s.status.equals("UPDATE_COMPLETE") || s.status.equals("SEEDED"))) {
            return false;
        }
        return databases.allAvailable(s.physical.values()) && resources.disksAttached(s);
    }

    // ------------------------------------------------------------------------------------------- seeding

    void putTemplate(String url, String body) {
        templatesByUrl.put(url, body);
    }

    /** A stack complete and healthy at once, with its databases and volumes in use since before. */
    void deploy(String name, String templateBody, Map<String, String> parameters) {
        SimTemplate t = SimTemplate.parse(templateBody);
        Stack s = new Stack();
        s.name = name;
        s.id = "arn:aws:cloudformation:us-east-1:000000000000:stack/" + name + "/" + world.nextHex();
        s.template = t;
        s.token = "seed";
        s.params = t.bind(parameters, "CreateStack");
        resources.createAll(s, t, s.params, world.now());
        s.readyAt = null;
        resources.seeded(s);
        s.status = "CREATE_COMPLETE";
        s.healthyAt = world.now();
        resources.computeOutputs(s);
        stacks.put(name, s);
        indexOutputs(s);
    }

    /** Records a resource added beside a stack (seeding) as one of its own, deleted with it. */
    void attach(String stack, String logicalId, String physicalId) {
        Stack s = stack == null ? null : stacks.get(stack);
        if (s != null) {
            s.physical.put(logicalId, physicalId);
        }
    }

    // ------------------------------------------------------------------------------------------- reading

    Optional<SimulatedCloud.SimStack> stack(String name) {
        Stack s = stacks.get(name);
        if (s == null || s.deleted()) {
            return Optional.empty();
        }
        return Optional.of(new SimulatedCloud.SimStack(
                s.name,
                s.status,
                Map.copyOf(s.params),
                Map.copyOf(s.outputs),
                Map.copyOf(s.physical),
                Map.copyOf(s.tags)));
    }

    List<SimulatedCloud.SimStack> all() {
        return stacks.keySet().stream()
                .map(this::stack)
                .flatMap(Optional::stream)
                .toList();
    }
}
