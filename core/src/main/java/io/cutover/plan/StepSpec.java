package io.cutover.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.google.common.collect.ImmutableSortedMap;
import io.cutover.plan.Environment.Database;
import io.cutover.plan.Environment.DnsRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One step of a plan, as data: what to do, after which other steps. Each kind of step is declared by a
 * step kind ({@code io.cutover.step.StepKind}, listed in {@code io.cutover.step.kinds.StepKinds}), which
 * gives it its name in plan files, its checks, its behaviour (submit, then poll) and its compensation. Text fields may refer to values known only while the
 * cutover runs, such as {@code ${snapshot-db.snapshotId}} (an output of an earlier step),
 * {@code ${blue.outputs.Endpoint}}, {@code ${green.outputs.Endpoint}} or {@code ${env:DB_PASSWORD}} (read
 * when used, never stored).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public interface StepSpec {
    StepId id();

    /** The steps that must succeed before this one starts. */
    List<StepId> dependsOn();

    /** Where a step stands on the downtime window. */
    enum Downtime {
        NONE,
        STARTS,
        ENDS
    }

    /**
     * A health check: an HTTP GET that must answer with a status, a check the user registers with the engine by
     * name, or a CloudWatch alarm that must not be in ALARM.
     */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = Check.Http.class, name = "http"),
        @JsonSubTypes.Type(value = Check.Custom.class, name = "custom"),
        @JsonSubTypes.Type(value = Check.Alarm.class, name = "alarm"),
    })
    sealed interface Check {
        String describe();

        /** GET {@code url}; healthy when it answers {@code expectStatus} within {@code timeout}. */
        record Http(String url, int expectStatus, Duration timeout) implements Check {
            public Http {
                expectStatus = expectStatus == 0 ? 200 : expectStatus;
                timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
            }

            public static Http of(String url) {
                return new Http(url, 200, Duration.ofSeconds(5));
            }

            /** From a plan file, where {@code expectStatus} may be left out (200). */
            @com.fasterxml.jackson.annotation.JsonCreator
            static Http fromFile(
                    @com.fasterxml.jackson.annotation.JsonProperty("url") String url,
                    @com.fasterxml.jackson.annotation.JsonProperty("expectStatus") Integer expectStatus,
                    @com.fasterxml.jackson.annotation.JsonProperty("timeout") Duration timeout) {
                return new Http(url, expectStatus == null ? 200 : expectStatus, timeout);
            }

            @Override
            public String describe() {
                return "GET " + url + " answers " + expectStatus;
            }
        }

        /** A check registered with the engine under {@code name}. */
        record Custom(String name) implements Check {
            @Override
            public String describe() {
                return "check '" + name + "'";
            }
        }

        /**
         * The CloudWatch alarm (metric or composite) named {@code name}: unhealthy while it is in ALARM, healthy in
         * OK or INSUFFICIENT_DATA (an alarm without data yet, as green's often are, says nothing against it); an
         * alarm that does not exist fails the check. In a bake, an alarm going to ALARM moves users back to blue.
         */
        record Alarm(String name) implements Check {
            public static Alarm of(String name) {
                return new Alarm(name);
            }

            @Override
            public String describe() {
                return "alarm '" + name + "' not in ALARM";
            }
        }
    }

    /** A template by inline body or by URL. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    record TemplateRef(Optional<String> body, Optional<String> url) {
        public TemplateRef {
            body = body == null ? Optional.empty() : body;
            url = url == null ? Optional.empty() : url;
        }

        public static TemplateRef ofBody(String body) {
            return new TemplateRef(Optional.of(body), Optional.empty());
        }

        /**
         * From a plan file, where {@code file: app.json} reads the template from a file beside the plan (its
         * body is what is kept, so the plan's state is whole without the file).
         */
        @com.fasterxml.jackson.annotation.JsonCreator
        static TemplateRef fromFile(
                @com.fasterxml.jackson.annotation.JsonProperty("body") String body,
                @com.fasterxml.jackson.annotation.JsonProperty("url") String url,
                @com.fasterxml.jackson.annotation.JsonProperty("file") String file,
                @com.fasterxml.jackson.annotation.JacksonInject(
                                value = "planDirectory",
                                useInput = com.fasterxml.jackson.annotation.OptBoolean.FALSE,
                                optional = com.fasterxml.jackson.annotation.OptBoolean.TRUE)
                        java.nio.file.Path dir) {
            if (file != null) {
                if (body != null || url != null) {
                    throw new IllegalArgumentException("give one of file, body and url");
                }
                java.nio.file.Path p = (dir == null ? java.nio.file.Path.of(".") : dir).resolve(file);
                try {
                    return ofBody(java.nio.file.Files.readString(p));
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("cannot read template file " + p + ": " + e.getMessage(), e);
                }
            }
            return new TemplateRef(Optional.ofNullable(body), Optional.ofNullable(url));
        }

        public static TemplateRef ofUrl(String url) {
            return new TemplateRef(Optional.empty(), Optional.of(url));
        }

        public String describe() {
            return url.orElse("an inline template (" + body.map(String::length).orElse(0) + " characters)");
        }
    }

    /**
     * Runs a user hook registered with the engine under {@code hook}: pause jobs, enter maintenance mode,
     * copy configuration. {@code undo}, if given, is the hook that reverses it when the cutover is rolled
     * back. A quiesce hook starts the downtime window; a resume hook ends it.
     */
    record Hook(
            StepId id,
            List<StepId> dependsOn,
            String hook,
            Optional<String> undo,
            Downtime downtime,
            String description)
            implements StepSpec {
        public Hook {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            undo = undo == null ? Optional.empty() : undo;
            downtime = downtime == null ? Downtime.NONE : downtime;
            description = description == null ? "" : description;
        }
    }

    /** The language of a run-command step's script: {@code sh} (AWS-RunShellScript) or PowerShell. */
    enum Shell {
        SHELL,
        POWERSHELL
    }

    /**
     * Runs {@code script} on instances through the cloud's run-command service (AWS Systems Manager Run
     * Command): on each of {@code instances} (ids, e.g. {@code ${green.outputs.InstanceId}}) or on every running
     * instance that carries all of {@code tags} (e.g. {@code aws:cloudformation:stack-name: ${blue.stack}}),
     * exactly one of the two. Succeeds when the script exits 0 on every instance; outputs {@code commandId},
     * {@code instances}, {@code exitCode} and {@code output} (the end of what it printed). {@code undo}, if given,
     * is a script run on the same instances when the cutover is rolled back. {@code executionTimeout} is how long
     * the script may run (default 1h).
     */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    record RunCommand(
            StepId id,
            List<StepId> dependsOn,
            List<String> instances,
            Map<String, String> tags,
            Shell shell,
            String script,
            Optional<String> undo,
            Duration executionTimeout,
            Downtime downtime,
            String description)
            implements StepSpec {
        public RunCommand {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            instances = instances == null ? List.of() : List.copyOf(instances);
            tags = tags == null ? Map.of() : ImmutableSortedMap.copyOf(tags);
            shell = shell == null ? Shell.SHELL : shell;
            undo = undo == null ? Optional.empty() : undo;
            executionTimeout = executionTimeout == null ? Duration.ofHours(1) : executionTimeout;
            downtime = downtime == null ? Downtime.NONE : downtime;
            description = description == null ? "" : description;
        }
    }

    /**
     * One HTTP call: {@code method} on {@code url}, with {@code headers} (values may be {@code ${secret:...}})
     * and {@code body}; it must answer {@code expectStatus}, or any 2xx when that is left out.
     */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    record HttpRequest(
            String method,
            String url,
            Map<String, String> headers,
            Optional<String> body,
            Optional<Integer> expectStatus) {
        public HttpRequest {
            method = method == null ? "POST" : method;
            headers = headers == null ? Map.of() : ImmutableSortedMap.copyOf(headers);
            body = body == null ? Optional.empty() : body;
            expectStatus = expectStatus == null ? Optional.empty() : expectStatus;
        }
    }

    /**
     * Calls a vendor's admin API (maintenance mode on, schedules paused): {@code method} on {@code url} with
     * {@code headers} and {@code body}, which must answer {@code expectStatus} (any 2xx when left out). A call
     * that nothing answers, or that answers 429 or 5xx, is made again up to {@code retries} times with backoff;
     * another answer fails the step. {@code undo}, if given, is the call that reverses it on rollback. The
     * headers and body are never logged nor kept in the state or the events. Outputs {@code status}.
     */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    record HttpCall(
            StepId id,
            List<StepId> dependsOn,
            String method,
            String url,
            Map<String, String> headers,
            Optional<String> body,
            Optional<Integer> expectStatus,
            int retries,
            Duration requestTimeout,
            Optional<HttpRequest> undo,
            Downtime downtime,
            String description)
            implements StepSpec {
        public HttpCall {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            method = method == null ? "POST" : method;
            headers = headers == null ? Map.of() : ImmutableSortedMap.copyOf(headers);
            body = body == null ? Optional.empty() : body;
            expectStatus = expectStatus == null ? Optional.empty() : expectStatus;
            requestTimeout = requestTimeout == null ? Duration.ofSeconds(30) : requestTimeout;
            undo = undo == null ? Optional.empty() : undo;
            downtime = downtime == null ? Downtime.NONE : downtime;
            description = description == null ? "" : description;
        }

        /** The call itself, as the undo is written. */
        public HttpRequest request() {
            return new HttpRequest(method, url, headers, body, expectStatus);
        }
    }

    /** Snapshots a database of the environment; outputs {@code snapshotId}. */
    record SnapshotDatabase(StepId id, List<StepId> dependsOn, Database database) implements StepSpec {
        public SnapshotDatabase {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        }
    }

    /** Snapshots a data volume of the environment; outputs {@code snapshotId}. */
    record SnapshotVolume(StepId id, List<StepId> dependsOn, String volume) implements StepSpec {
        public SnapshotVolume {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        }
    }

    /**
     * Restores a new database from a snapshot through the database API (rather than through the green
     * template), keeping the source's settings unless overridden; outputs {@code databaseId} and
     * {@code endpoint}, which a later clone can pass to the green stack as a parameter. {@code settings}
     * overrides what is copied from the source (docs/restore-settings.md).
     */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    record RestoreDatabase(
            StepId id,
            List<StepId> dependsOn,
            Database source,
            String snapshot,
            Optional<String> newId,
            Optional<String> instanceClass,
            RestoreSettings settings)
            implements StepSpec {
        public RestoreDatabase {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            newId = newId == null ? Optional.empty() : newId;
            instanceClass = instanceClass == null ? Optional.empty() : instanceClass;
            settings = settings == null ? RestoreSettings.ofSource() : settings;
        }

        /** A restore that copies every setting from the source but, perhaps, its class. */
        public RestoreDatabase(
                StepId id,
                List<StepId> dependsOn,
                Database source,
                String snapshot,
                Optional<String> newId,
                Optional<String> instanceClass) {
            this(id, dependsOn, source, snapshot, newId, instanceClass, RestoreSettings.ofSource());
        }
    }

    /**
     * Builds the green stack from a template beside blue: blue's parameters carried over (unless
     * {@code carryOverParameters} is false), then {@code parameters} applied over them, e.g.
     * {@code DBSnapshotIdentifier: ${snapshot-db.snapshotId}}. Outputs {@code stackName} and every stack
     * output.
     */
    record CloneStack(
            StepId id,
            List<StepId> dependsOn,
            String stackName,
            TemplateRef template,
            Map<String, String> parameters,
            boolean carryOverParameters,
            Map<String, String> tags,
            List<String> capabilities)
            implements StepSpec {
        public CloneStack {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            parameters = parameters == null ? Map.of() : ImmutableSortedMap.copyOf(parameters);
            tags = tags == null ? Map.of() : ImmutableSortedMap.copyOf(tags);
            capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        }

        /** From a plan file, where {@code carryOverParameters} may be left out (true). */
        @com.fasterxml.jackson.annotation.JsonCreator
        static CloneStack fromFile(
                @com.fasterxml.jackson.annotation.JsonProperty("id") StepId id,
                @com.fasterxml.jackson.annotation.JsonProperty("dependsOn") List<StepId> dependsOn,
                @com.fasterxml.jackson.annotation.JsonProperty("stackName") String stackName,
                @com.fasterxml.jackson.annotation.JsonProperty("template") TemplateRef template,
                @com.fasterxml.jackson.annotation.JsonProperty("parameters") Map<String, String> parameters,
                @com.fasterxml.jackson.annotation.JsonProperty("carryOverParameters") Boolean carryOverParameters,
                @com.fasterxml.jackson.annotation.JsonProperty("tags") Map<String, String> tags,
                @com.fasterxml.jackson.annotation.JsonProperty("capabilities") List<String> capabilities) {
            return new CloneStack(
                    id,
                    dependsOn,
                    stackName,
                    template,
                    parameters,
                    carryOverParameters == null || carryOverParameters,
                    tags,
                    capabilities);
        }
    }

    /**
     * Updates a stack in place through a change set: the changes are previewed (and published as an event)
     * before they are executed. {@code stack} is blue's stack by default or e.g. {@code ${clone.stackName}}.
     * A storage guard refuses the update when the template would set a database's storage below what it
     * has grown to. A change set that would replace a stateful resource (a database, a volume, a file system) of
     * a stack other than green's is refused before it is executed, unless {@code allowReplacement} names the
     * resource's logical id.
     */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    record UpdateStack(
            StepId id,
            List<StepId> dependsOn,
            String stack,
            Optional<TemplateRef> template,
            Map<String, String> parameters,
            Optional<StorageGuard> storageGuard,
            List<String> allowReplacement)
            implements StepSpec {
        public UpdateStack {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            template = template == null ? Optional.empty() : template;
            parameters = parameters == null ? Map.of() : ImmutableSortedMap.copyOf(parameters);
            storageGuard = storageGuard == null ? Optional.empty() : storageGuard;
            allowReplacement = allowReplacement == null ? List.of() : List.copyOf(allowReplacement);
        }

        /** An update that may replace no stateful resource. */
        public UpdateStack(
                StepId id,
                List<StepId> dependsOn,
                String stack,
                Optional<TemplateRef> template,
                Map<String, String> parameters,
                Optional<StorageGuard> storageGuard) {
            this(id, dependsOn, stack, template, parameters, storageGuard, List.of());
        }
    }

    /** The stack parameter that sets a database's storage in GB, and the database it sets. */
    record StorageGuard(String parameter, Database database) {}

    /**
     * Runs health checks until they all pass (then succeeds) or {@code timeout} passes (then fails), checking
     * every {@code interval}.
     */
    record Verify(StepId id, List<StepId> dependsOn, List<Check> checks, Duration timeout, Duration interval)
            implements StepSpec {
        public Verify {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            checks = checks == null ? List.of() : List.copyOf(checks);
            timeout = timeout == null ? Duration.ofMinutes(10) : timeout;
            interval = interval == null ? Duration.ofSeconds(15) : interval;
        }
    }

    /**
     * Waits until a person approves {@code id} (see the engine's approve call or the CLI's approve). {@code downtime}: the
     * gate opens the downtime window ({@code starts}: a person stops the application by hand, e.g. turns on
     * maintenance mode in an admin panel, then approves) or closes it ({@code ends}).
     */
    record Approval(StepId id, List<StepId> dependsOn, String prompt, Downtime downtime) implements StepSpec {
        public Approval {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            prompt = prompt == null ? "approve to continue" : prompt;
            downtime = downtime == null ? Downtime.NONE : downtime;
        }

        /** A gate outside the downtime window's edges. */
        public Approval(StepId id, List<StepId> dependsOn, String prompt) {
            this(id, dependsOn, prompt, Downtime.NONE);
        }
    }

    /**
     * Lowers the TTL of the environment's DNS record (or {@code record}) to {@code ttl} seconds, then waits
     * out the old TTL so that resolvers hold the short one before the swap. Rolled back to the old TTL.
     */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    record LowerTtl(StepId id, List<StepId> dependsOn, Optional<DnsRecord> record, long ttl) implements StepSpec {
        public LowerTtl {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            record = record == null ? Optional.empty() : record;
        }
    }

    /**
     * Sets the TTL of the record that the lower-ttl step {@code lowered} lowered back to what it was before the
     * cutover, e.g. after the bake: without it the record keeps the short TTL after a successful cutover.
     */
    record RestoreTtl(StepId id, List<StepId> dependsOn, StepId lowered) implements StepSpec {
        public RestoreTtl {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        }
    }

    /**
     * Points the environment's DNS record (or {@code record}) at {@code target}, e.g.
     * {@code ${green.outputs.LoadBalancerDNS}}: at once when {@code weights} is empty, else by weighted
     * records in stages: green's weight takes each value of {@code weights} in turn (blue's is 255 minus it),
     * with {@code stageChecks} passing between stages after {@code stageInterval}. Waits until the change is
     * in sync. Ends the downtime window.
     */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    record SwitchDns(
            StepId id,
            List<StepId> dependsOn,
            Optional<DnsRecord> record,
            String target,
            List<Integer> weights,
            Optional<String> greenSetIdentifier,
            Duration stageInterval,
            List<Check> stageChecks)
            implements StepSpec {
        public SwitchDns {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            record = record == null ? Optional.empty() : record;
            weights = weights == null ? List.of() : List.copyOf(weights);
            greenSetIdentifier = greenSetIdentifier == null ? Optional.empty() : greenSetIdentifier;
            stageInterval = stageInterval == null ? Duration.ofMinutes(5) : stageInterval;
            stageChecks = stageChecks == null ? List.of() : List.copyOf(stageChecks);
        }
    }

    /**
     * Moves the environment's static address (or {@code allocationId}) to {@code instance}, e.g.
     * {@code ${green.outputs.InstanceId}}. Ends the downtime window.
     */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    record MoveAddress(StepId id, List<StepId> dependsOn, Optional<String> allocationId, String instance)
            implements StepSpec {
        public MoveAddress {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            allocationId = allocationId == null ? Optional.empty() : allocationId;
        }
    }

    /**
     * Moves an application load balancer's listener (its default action) or one of its rules from the target
     * groups it forwards to (blue's) to {@code targetGroup} (green's, e.g. {@code ${green.outputs.TargetGroupArn}}):
     * at once, or by {@code weights} (green's percent at each stage, rising to 100) with {@code stageChecks}
     * passing {@code stageInterval} after each stage. Ends the downtime window; users reach green with their
     * next request, with no DNS cache to wait out.
     */
    record SwitchTargetGroup(
            StepId id,
            List<StepId> dependsOn,
            String listener,
            String targetGroup,
            List<Integer> weights,
            Duration stageInterval,
            List<Check> stageChecks)
            implements StepSpec {
        public SwitchTargetGroup {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            weights = weights == null ? List.of() : List.copyOf(weights);
            stageInterval = stageInterval == null ? Duration.ofMinutes(5) : stageInterval;
            stageChecks = stageChecks == null ? List.of() : List.copyOf(stageChecks);
        }
    }

    /**
     * Keeps blue beside green for {@code duration} while {@code checks} run every {@code interval}; fails
     * (and so moves users back to blue) if a check fails. It is the gate of decommission: it opens when the
     * time has passed with checks green, or at once when a person approves {@code id}.
     */
    record Bake(StepId id, List<StepId> dependsOn, Duration duration, List<Check> checks, Duration interval)
            implements StepSpec {
        public Bake {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            checks = checks == null ? List.of() : List.copyOf(checks);
            interval = interval == null ? Duration.ofMinutes(1) : interval;
        }
    }

    /**
     * Retires blue: takes a final snapshot of every database of the environment and waits until each is
     * available, then deletes blue's stack (keeping {@code retainResources}) and the databases that live
     * beside it. The point of no return.
     */
    record Decommission(StepId id, List<StepId> dependsOn, List<String> retainResources) implements StepSpec {
        public Decommission {
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
            retainResources = retainResources == null ? List.of() : List.copyOf(retainResources);
        }
    }
}
