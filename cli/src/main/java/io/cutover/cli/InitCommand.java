package io.cutover.cli;

import io.cutover.CutoverException;
import io.cutover.InvalidPlanException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Writes a starting plan file for a strategy, valid as written; the user fills in the names. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = "Write a starting plan file for a strategy: every field it needs, with example values and "
                + "comments. It passes 'cutover plan' as written; replace the example names with yours.")
final class InitCommand implements Callable<Integer> {
    /** The strategies a plan can start from. */
    enum Strategy {
        parallelUpgrade("parallel-upgrade"),
        inPlaceUpdate("in-place-update");

        final String flag;

        Strategy(String flag) {
            this.flag = flag;
        }

        @Override
        public String toString() {
            return flag;
        }
    }

    @Option(
            names = "--strategy",
            required = true,
            converter = StrategyConverter.class,
            paramLabel = "STRATEGY",
            description = "parallel-upgrade (green beside blue, then switch) or in-place-update (a change set on "
                    + "blue's stack)")
    Strategy strategy;

    @Option(names = "--force", description = "overwrite FILE if it exists")
    boolean force;

    @Parameters(paramLabel = "FILE", description = "the plan file to write (YAML)")
    Path file;

    @Mixin
    OutputOption output;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (Files.exists(file) && !force) {
            throw new InvalidPlanException(List.of(new InvalidPlanException.Problem(
                    "FILE", file + " exists; choose another name, or give --force to overwrite it")));
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, template(strategy), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CutoverException("cannot write " + file + ": " + e.getMessage(), e);
        }
        Console console = Main.console(spec);
        if (output.output == Options.Output.json) {
            var node = JsonLines.line("Init");
            node.put("file", file.toAbsolutePath().toString());
            node.put("strategy", strategy.flag);
            JsonLines.print(console.out(), node);
        } else {
            console.out()
                    .println("wrote a " + strategy.flag + " plan to " + file + "; edit it, then preview it with: "
                            + "cutover plan " + file + ", and rehearse it with: cutover run --simulate " + file);
            console.out().flush();
        }
        return ExitCodes.OK;
    }

    /** Accepts the strategies' names as written on the command line. */
    static final class StrategyConverter implements picocli.CommandLine.ITypeConverter<Strategy> {
        @Override
        public Strategy convert(String value) {
            for (Strategy s : Strategy.values()) {
                if (s.flag.equals(value) || s.name().equals(value)) {
                    return s;
                }
            }
            throw new picocli.CommandLine.TypeConversionException(
                    "'" + value + "' is not a strategy; choose parallel-upgrade or in-place-update");
        }
    }

    static String template(Strategy strategy) {
        return strategy == Strategy.parallelUpgrade ? PARALLEL_UPGRADE : IN_PLACE_UPDATE;
    }

    private static final String PARALLEL_UPGRADE = """
            # A parallel upgrade (written by 'cutover init --strategy parallel-upgrade'): build green beside blue from
            # a snapshot of blue's database, verify it, freeze writes on blue, snapshot again and re-sync green, verify
            # again, switch DNS to green, bake, and decommission blue (its final snapshot is kept).
            # Replace the example names, then: cutover plan THIS_FILE; cutover run --simulate THIS_FILE
            id: app-2-0                               # names the cutover; lower-case letters, digits, hyphens
            environment:
              name: app-prod                          # one cutover per environment at a time
              stack: app-blue                         # blue's CloudFormation stack
              databases:
                - {kind: instance, id: app-db}        # or kind: cluster (Aurora)
              dns: {zoneId: Z0123456789ABC, name: app.example.com, type: CNAME}
            hooks:                                    # shell commands; exit 0 is success
              pause-writes: {run: "echo pause the application's writes here", timeout: 5m}
              resume-writes: {run: "echo resume the application's writes here"}
            strategy:
              parallelUpgrade:
                greenStack: app-green
                template: {url: "https://s3.amazonaws.com/my-bucket/app-2.0.json"}   # or {file: app-stack.json}
                parameters:
                  AppVersion: "2.0"
                snapshotParameters: {DBSnapshotIdentifier: app-db}   # green's database from blue's snapshot
                checks:
                  - {type: http, url: "https://${green.outputs.Endpoint}/health", expectStatus: 200, timeout: 5s}
                freezeWrites: {hook: pause-writes, undo: resume-writes}
                lowerTtlTo: 60
                rehearsal: true
                verifyTimeout: 15m
                bake: 24h
            """;

    private static final String IN_PLACE_UPDATE = """
            # An in-place update (written by 'cutover init --strategy in-place-update'): maintenance mode on, a
            # snapshot of the database, the stack updated through a change set (previewed first; refused when it would
            # shrink the database's storage), verify, maintenance mode off. A failure reverts the stack.
            # Replace the example names, then: cutover plan THIS_FILE; cutover run --simulate THIS_FILE
            id: app-3-2
            environment:
              name: app-prod
              stack: app                              # the stack updated in place
              databases:
                - {kind: instance, id: app-database}
            hooks:
              maintenance-on: {run: "echo turn maintenance mode on here", timeout: 30m}
              maintenance-off: {run: "echo turn maintenance mode off here"}
            strategy:
              inPlaceUpdate:
                template: {url: "https://s3.amazonaws.com/my-bucket/app-3.2.json"}   # or {file: ...}; leave out: same template
                parameters:
                  Version: "3.2"
                  DBAllocatedStorage: "100"
                storageGuard:
                  parameter: DBAllocatedStorage
                  database: {kind: instance, id: app-database}
                checks:
                  - {type: http, url: "https://${blue.outputs.Endpoint}/health", expectStatus: 200}
                maintenanceMode: {hook: maintenance-on, undo: maintenance-off}
                backup: true
            """;
}
