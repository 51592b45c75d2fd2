package io.cutover.plan;

import io.cutover.plan.StepSpec.Downtime;
import java.util.List;
import java.util.Optional;

/**
 * The builders of the steps that act on the application's machines and its vendor's admin API; their factories
 * are in {@link Steps} ({@code Steps.runCommand("stop-app")}, {@code Steps.httpCall("maintenance-on")}).
 */
public final class MachineSteps {
    private MachineSteps() {}

    /** Builds a {@link StepSpec.RunCommand}. */
    public static final class RunCommandBuilder extends Steps.StepBuilder<RunCommandBuilder, StepSpec.RunCommand> {
        private final List<String> instances = new java.util.ArrayList<>();
        private final java.util.Map<String, String> tags = new java.util.TreeMap<>();
        private StepSpec.Shell shell = StepSpec.Shell.SHELL;
        private String script;
        private String undo;
        private java.time.Duration executionTimeout;
        private Downtime downtime = Downtime.NONE;
        private String description = "";

        RunCommandBuilder(String id) {
            super(id);
        }

        /** The instances by id, each an expression such as {@code ${green.outputs.InstanceId}}. */
        public RunCommandBuilder instances(String... ids) {
            instances.addAll(List.of(ids));
            return this;
        }

        /** Every running instance that carries this tag (and the others given). */
        public RunCommandBuilder tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        /** PowerShell (AWS-RunPowerShellScript) instead of the shell. */
        public RunCommandBuilder powerShell() {
            this.shell = StepSpec.Shell.POWERSHELL;
            return this;
        }

        /** The script (required). */
        public RunCommandBuilder script(String script) {
            this.script = script;
            return this;
        }

        /** The script that reverses it when the cutover is undone, on the same instances. */
        public RunCommandBuilder undo(String script) {
            this.undo = script;
            return this;
        }

        public RunCommandBuilder executionTimeout(java.time.Duration timeout) {
            this.executionTimeout = timeout;
            return this;
        }

        public RunCommandBuilder downtime(Downtime downtime) {
            this.downtime = downtime;
            return this;
        }

        public RunCommandBuilder description(String description) {
            this.description = description;
            return this;
        }

        @Override
        void check(Validation v) {
            v.present(script, "script", "give the commands to run: .script(\"systemctl stop tomcat\")");
        }

        @Override
        StepSpec.RunCommand create(StepId id, List<StepId> dependsOn) {
            return new StepSpec.RunCommand(
                    id,
                    dependsOn,
                    instances,
                    tags,
                    shell,
                    script,
                    Optional.ofNullable(undo),
                    executionTimeout,
                    downtime,
                    description);
        }
    }

    /** Builds a {@link StepSpec.HttpCall}. */
    public static final class HttpCallBuilder extends Steps.StepBuilder<HttpCallBuilder, StepSpec.HttpCall> {
        private String method = "POST";
        private String url;
        private final java.util.Map<String, String> headers = new java.util.TreeMap<>();
        private String body;
        private Integer expectStatus;
        private int retries;
        private java.time.Duration requestTimeout;
        private StepSpec.HttpRequest undo;
        private Downtime downtime = Downtime.NONE;
        private String description = "";

        HttpCallBuilder(String id) {
            super(id);
        }

        /** The method and URL (required), e.g. {@code .call("POST", "https://admin.example.com/api/maintenance")}. */
        public HttpCallBuilder call(String method, String url) {
            this.method = method;
            this.url = url;
            return this;
        }

        /** A header; its value may be {@code ${secret:...}}. */
        public HttpCallBuilder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public HttpCallBuilder body(String body) {
            this.body = body;
            return this;
        }

        /** The status it must answer (any 2xx unless given). */
        public HttpCallBuilder expectStatus(int status) {
            this.expectStatus = status;
            return this;
        }

        /** How many times a call that gets no answer, 429 or 5xx is made again. */
        public HttpCallBuilder retries(int retries) {
            this.retries = retries;
            return this;
        }

        public HttpCallBuilder requestTimeout(java.time.Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** The call that reverses it on rollback. */
        public HttpCallBuilder undo(StepSpec.HttpRequest undo) {
            this.undo = undo;
            return this;
        }

        public HttpCallBuilder downtime(Downtime downtime) {
            this.downtime = downtime;
            return this;
        }

        public HttpCallBuilder description(String description) {
            this.description = description;
            return this;
        }

        @Override
        void check(Validation v) {
            v.present(url, "url", "give the URL: .call(\"POST\", \"https://admin.example.com/api/maintenance\")");
        }

        @Override
        StepSpec.HttpCall create(StepId id, List<StepId> dependsOn) {
            return new StepSpec.HttpCall(
                    id,
                    dependsOn,
                    method,
                    url,
                    headers,
                    Optional.ofNullable(body),
                    Optional.ofNullable(expectStatus),
                    retries,
                    requestTimeout,
                    Optional.ofNullable(undo),
                    downtime,
                    description);
        }
    }
}
