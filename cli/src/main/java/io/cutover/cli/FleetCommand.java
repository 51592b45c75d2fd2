package io.cutover.cli;

import io.cutover.CutoverException;
import io.cutover.aws.AwsClients;
import io.cutover.aws.AwsCloud;
import io.cutover.dynamodb.DynamoDbStateStore;
import io.cutover.dynamodb.StateTable;
import io.cutover.engine.DurationEstimates;
import io.cutover.engine.Engine;
import io.cutover.engine.RateBudget;
import io.cutover.engine.SystemScheduler;
import io.cutover.fleet.DynamoDbLeases;
import io.cutover.fleet.Fleet;
import io.cutover.fleet.FleetEnvironment;
import io.cutover.fleet.FleetFiles;
import io.cutover.fleet.FleetRunner;
import io.cutover.fleet.FleetSummary;
import io.cutover.fleet.LocalLeases;
import io.cutover.plan.file.PlanDocument;
import io.cutover.simulator.CloudSimulation;
import io.cutover.state.InMemoryStateStore;
import io.cutover.state.RunState;
import io.cutover.step.Hooks;
import io.cutover.step.StepOutcome;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code cutover fleet}: many environments from many machines, with the state in DynamoDB. */
@Command(
        name = "fleet",
        mixinStandardHelpOptions = true,
        description = "Cut over many environments in waves, from one or several machines sharing a DynamoDB table.",
        subcommands = {
            FleetCommand.Run.class,
            FleetCommand.Status.class,
            FleetCommand.Report.class,
            FleetCommand.CreateTable.class
        })
final class FleetCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "name a fleet command: run, status, report or create-table");
    }

    /** Options of every fleet command that reaches DynamoDB. */
    static final class TableOptions {
        @Option(
                names = "--table",
                defaultValue = StateTable.DEFAULT_NAME,
                description = "the DynamoDB state table every machine shares (default: ${DEFAULT-VALUE})")
        String table;

        StateTable stateTable() {
            return StateTable.named(table);
        }
    }

    static DynamoDbClient dynamo(Options options) {
        options.region = AwsSetup.check(options);
        try {
            return options.configure(DynamoDbClient.builder()).build();
        } catch (RuntimeException e) {
            throw new CutoverException(
                    "cannot reach DynamoDB: " + e.getMessage() + "; set --region (or AWS_REGION) and "
                            + "credentials (--profile, or the SDK's environment variables)",
                    e);
        }
    }

    static Fleet load(Path file, Options options) {
        return FleetFiles.load(file, options.fileAccess());
    }

    /** The fleet's summary, once: as text, or as one {@code FleetSummary} JSON line. */
    static void printSummary(Console console, Options.Output output, FleetSummary s) {
        if (output == Options.Output.json) {
            JsonLines.print(console.out(), JsonLines.fleet(s));
        } else {
            console.out().print(s.render());
            console.out().flush();
        }
    }

    static int exit(FleetSummary s) {
        if (s.count(FleetSummary.State.FAILED) + s.count(FleetSummary.State.ROLLED_BACK) > 0
                || s.stopped().isPresent()) {
            return ExitCodes.FAILED;
        }
        if (s.count(FleetSummary.State.WAITING) > 0) {
            return ExitCodes.WAITING;
        }
        return ExitCodes.OK;
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Run this machine's share of a fleet until nothing is left for any machine to do. Start the "
                    + "same command on other machines (same file, same --table) to share the work; if a machine dies, the "
                    + "others take its environments over once its leases run out. With --simulate, rehearse the whole "
                    + "fleet on the simulated cloud in virtual time.")
    static final class Run implements Callable<Integer> {
        @Parameters(paramLabel = "FLEET_FILE", description = "the fleet file (YAML)")
        Path file;

        @Option(names = "--simulate", description = "rehearse on the simulated cloud in virtual time, state in memory")
        boolean simulate;

        @Option(
                names = "--lease",
                defaultValue = "20s",
                converter = Arguments.Lease.class,
                description = "how long a dead machine's environments stay locked before others take them over "
                        + "(default: ${DEFAULT-VALUE})")
        Duration lease;

        @Option(names = "--owner", description = "this machine's name in leases and state (default: pid@host)")
        String owner;

        @Option(
                names = "--report",
                paramLabel = "HTML_FILE",
                description = "when the fleet is finished, write its report (waves and outcomes) here")
        Path report;

        @Mixin
        TableOptions tableOptions;

        @Mixin
        Options options;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            Console console = Main.console(spec);
            Fleet fleet = load(file, options);
            Result end = simulate ? simulate(fleet, console) : real(fleet, console);
            if (report != null) {
                HtmlReport.write(report, HtmlReport.ofFleet(fleet, end.summary(), end.states(), simulate));
                ReportCommand.written(console, options.output(), report, fleet.id());
            }
            printSummary(console, options.output(), end.summary());
            return exit(end.summary());
        }

        /** The fleet's end, and the state of every environment that was started (for the report). */
        private record Result(FleetSummary summary, Map<String, RunState> states) {
            static Result of(FleetSummary summary, Fleet fleet, io.cutover.state.StateStore store) {
                Map<String, RunState> states = new java.util.LinkedHashMap<>();
                for (FleetEnvironment e : fleet.environments()) {
                    store.load(e.runId()).ifPresent(s -> states.put(e.name(), s));
                }
                return new Result(summary, states);
            }
        }

        private Result simulate(Fleet fleet, Console console) {

            InMemoryStateStore store = new InMemoryStateStore();
            CloudSimulation sim = CloudSimulation.create(
                    io.cutover.simulator.Latencies.ofDefaults(),
                    io.cutover.simulator.RateLimits.ofAws(),
                    new io.cutover.simulator.Faults(),
                    store);
            fleet.environments().forEach(e -> sim.seed(e.plan()));
            var scope = sim.scheduler().scope();
            // One account: what the canary wave's operations took sets when the later waves look again.
            DurationEstimates learned = DurationEstimates.inMemory();
            String me = owner != null ? owner : "simulation";
            // virtual time jumps from event to event: the wave view is redrawn on events, it does not tick
            try (FleetProgress progress = new FleetProgress(console, options.output(), fleet, Optional.empty())) {
                progress.note("Rehearsing fleet " + fleet.id() + " ("
                        + fleet.environments().size() + " environments, waves " + fleet.waveSizes()
                        + ") on the simulated cloud (virtual time)");
                FleetRunner.FleetRun run = FleetRunner.builder()
                        .fleet(fleet)
                        .store(store)
                        .leases(LocalLeases.on(sim.scheduler()::now).forOwner(me))
                        .engines(e -> sim.engine(scope)
                                .durationEstimates(learned)
                                .hooks(simulatedHooks(e))
                                .owner(me)
                                .withoutLogging()
                                .listener(progress.listener())
                                .build())
                        .scheduler(scope)
                        .checkEvery(Duration.ofSeconds(30))
                        .build()
                        .start();
                sim.scheduler().runWhile(() -> !run.finished().isDone());
                return Result.of(run.finished().join(), fleet, store);
            }
        }

        private Result real(Fleet fleet, Console console) throws InterruptedException {
            StateTable table = tableOptions.stateTable();
            Map<String, AwsCloud> clouds = new HashMap<>();
            Map<String, RateBudget> budgets = new HashMap<>();
            Map<String, DurationEstimates> learned = new HashMap<>();
            Map<List<Object>, Engine> engines = new HashMap<>();
            try (DynamoDbClient dynamo = dynamo(options);
                    SystemScheduler scheduler = SystemScheduler.ofDefaults()) {
                DynamoDbStateStore store = DynamoDbStateStore.of(dynamo, table);
                DynamoDbLeases.Builder lb = DynamoDbLeases.builder(dynamo, table)
                        .leaseDuration(lease)
                        .heartbeat(lease.dividedBy(4));
                if (owner != null) {
                    lb.owner(owner);
                }
                try (DynamoDbLeases leases = lb.build();
                        FleetProgress progress =
                                new FleetProgress(console, options.output(), fleet, Optional.of(scheduler))) {
                    progress.note(
                            "Running fleet " + fleet.id() + " as " + leases.owner() + " against table " + table.name());
                    FleetRunner.FleetRun run = FleetRunner.builder()
                            .fleet(fleet)
                            .store(store)
                            .leases(leases)
                            // One engine per account and region and plan file (its hooks): the environments of a
                            // wave share its template validation and zone reads, and their Route 53 changes go
                            // together (Engine.Builder#batchDnsChanges).
                            .engines(e -> engines.computeIfAbsent(
                                    List.of(
                                            e.target(),
                                            e.planFile().path().toAbsolutePath().normalize()),
                                    k -> Engine.builder()
                                            // one cloud and one API rate budget per account and region
                                            .cloud(clouds.computeIfAbsent(e.target(), t -> cloud(e)))
                                            .rateBudget(budgets.computeIfAbsent(e.target(), t -> RateBudget.ofAws()))
                                            // and one memory of how long its operations take, whatever the plan
                                            // file: the canary wave teaches the later waves
                                            .durationEstimates(learned.computeIfAbsent(
                                                    e.target(), t -> DurationEstimates.inMemory()))
                                            .pollPolicy(options.pollPolicy(System::getenv))
                                            .stateStore(store)
                                            .scheduler(scheduler)
                                            .hooks(ShellHooks.from(e.planFile(), progress::note))
                                            .owner(leases.owner())
                                            .withoutLogging()
                                            .listener(progress.listener())
                                            .batchDnsChanges()
                                            .build()))
                            .scheduler(scheduler)
                            .build()
                            .start();
                    return Result.of(run.finished().get(), fleet, store);
                } catch (ExecutionException e) {
                    throw new CutoverException(
                            "fleet " + fleet.id() + " stopped: " + e.getCause().getMessage(), e.getCause());
                }
            }
        }

        private AwsCloud cloud(FleetEnvironment e) {
            AwsClients.Builder b = AwsClients.builder();
            e.region().or(() -> Optional.ofNullable(options.region)).ifPresent(b::region);
            e.account().or(() -> Optional.ofNullable(options.profile)).ifPresent(b::profile);
            if (options.endpointUrl != null) {
                b.endpointOverride(URI.create(options.endpointUrl));
            }
            return AwsCloud.builder()
                    .clients(b.build())
                    .elasticLoadBalancing(b.buildElasticLoadBalancing())
                    .sns(b.configure(software.amazon.awssdk.services.sns.SnsClient.builder())
                            .build())
                    .cloudWatch(b.configure(software.amazon.awssdk.services.cloudwatch.CloudWatchClient.builder())
                            .build())
                    .ssm(b.ssm())
                    .build();
        }

        private static Hooks simulatedHooks(FleetEnvironment e) {
            Hooks.Builder b = Hooks.builder();
            for (Map.Entry<String, PlanDocument.Command> h :
                    e.planFile().hooks().entrySet()) {
                b.hook(h.getKey(), ctx -> StepOutcome.Done.of());
            }
            for (String c : e.planFile().checks().keySet()) {
                b.check(c, ctx -> Hooks.CheckResult.healthy());
            }
            return b.build();
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Show where every environment of a fleet stands (done, running and by whom, failed, rolled "
                    + "back, waiting at a gate, not started), from the shared table. Reads only.")
    static final class Status implements Callable<Integer> {
        @Parameters(paramLabel = "FLEET_FILE", description = "the fleet file (YAML)")
        Path file;

        @Mixin
        TableOptions tableOptions;

        @Mixin
        Options options;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Fleet fleet = load(file, options);
            StateTable table = tableOptions.stateTable();
            try (DynamoDbClient dynamo = dynamo(options);
                    DynamoDbLeases leases = DynamoDbLeases.builder(dynamo, table)
                            .owner("status-reader")
                            .build()) {
                FleetSummary s = FleetSummary.read(
                        fleet, DynamoDbStateStore.of(dynamo, table), Optional.of(leases), Map.of(), Optional.empty());
                printSummary(Main.console(spec), options.output(), s);
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "report",
            mixinStandardHelpOptions = true,
            description = "Write a fleet's report (its waves, every environment's outcome and timeline) as one "
                    + "self-contained HTML page, from the shared table. Reads only.")
    static final class Report implements Callable<Integer> {
        @Parameters(paramLabel = "FLEET_FILE", description = "the fleet file (YAML)")
        Path file;

        @Option(names = "--html", required = true, paramLabel = "HTML_FILE", description = "where to write the page")
        Path html;

        @Mixin
        TableOptions tableOptions;

        @Mixin
        Options options;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Fleet fleet = load(file, options);
            StateTable table = tableOptions.stateTable();
            try (DynamoDbClient dynamo = dynamo(options);
                    DynamoDbLeases leases = DynamoDbLeases.builder(dynamo, table)
                            .owner("report-reader")
                            .build()) {
                DynamoDbStateStore store = DynamoDbStateStore.of(dynamo, table);
                FleetSummary s = FleetSummary.read(fleet, store, Optional.of(leases), Map.of(), Optional.empty());
                Map<String, RunState> states = new java.util.LinkedHashMap<>();
                fleet.environments().forEach(e -> store.load(e.runId()).ifPresent(st -> states.put(e.name(), st)));
                HtmlReport.write(html, HtmlReport.ofFleet(fleet, s, states, false));
                ReportCommand.written(Main.console(spec), options.output(), html, fleet.id());
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "create-table",
            mixinStandardHelpOptions = true,
            description = "Create the DynamoDB state table (on-demand billing), or check an existing one. The "
                    + "CloudFormation template cutover-state-table.yaml (in the cutover-dynamodb-state jar) does the same, with "
                    + "backups and an IAM policy.")
    static final class CreateTable implements Callable<Integer> {
        @Mixin
        TableOptions tableOptions;

        @Mixin
        Options options;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            StateTable table = tableOptions.stateTable();
            try (DynamoDbClient dynamo = dynamo(options)) {
                table.create(dynamo);
            }
            Console console = Main.console(spec);
            if (options.output() == Options.Output.json) {
                var node = JsonLines.line("Table");
                node.put("table", table.name());
                node.put("ready", true);
                JsonLines.print(console.out(), node);
            } else {
                console.out().println("table " + table.name() + " is ready (partition key pk, sort key sk)");
                console.out().flush();
            }
            return ExitCodes.OK;
        }
    }

    /** Durations as 20s, 2m, 1h or ISO-8601. */
}
