package io.cutover.simulator;

import io.cutover.plan.StepSpec.Shell;
import io.cutover.spi.ApiService;
import io.cutover.spi.CommandProvider;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Run Command on the simulated instances (those of live stacks' {@code AWS::EC2::Instance} resources). Each
 * instance has services (running unless a command stopped them) and files; a script changes them at once and its
 * invocation reports IN_PROGRESS for {@link Latencies#commandRun()} (plus its {@code sleep}s), then its exit code
 * and what it printed. The scripts are read in a small language, a statement a line (or between {@code ;} and
 * {@code &&}), stopping at the first that fails as {@code set -e} would:
 *
 * <ul>
 *   <li>shell: {@code systemctl stop|start|restart NAME...}, {@code systemctl is-active NAME} (exit 3 when
 *       stopped), {@code service NAME stop|start|restart}, {@code cp [-r] A B}, {@code mv A B},
 *       {@code rm [-rf] A}, {@code touch A}, {@code test -f|-e|-d A} and {@code [ -f A ]} (with {@code !} for the
 *       opposite), {@code echo TEXT [> FILE]}, {@code sleep SECONDS}, {@code true}, {@code false},
 *       {@code exit N};
 *   <li>PowerShell: {@code Stop-Service|Start-Service|Restart-Service [-Name] NAME},
 *       {@code Copy-Item|Move-Item A B}, {@code Remove-Item A}, {@code New-Item A}, {@code Write-Output TEXT},
 *       {@code if (-not (Test-Path A)) { exit N }}, {@code if ((Get-Service NAME).Status -ne 'Running') { exit N }},
 *       {@code Start-Sleep SECONDS}, {@code exit N}.
 * </ul>
 *
 * Any other statement succeeds and prints {@code (simulated) STATEMENT}: the vendor's own tools (an installer, a
 * migration) are not simulated. A file a command has not written is absent to a test, but may be copied or moved
 * (the application's own files are there); a file a command removed is absent to both.
 */
final class SimCommands implements CommandProvider {
    private final SimWorld world;
    private final Supplier<Map<String, Map<String, String>>> instances;
    private final Map<String, Machine> machines = new TreeMap<>();
    private final List<Command> commands = new ArrayList<>();

    SimCommands(SimWorld world, Supplier<Map<String, Map<String, String>>> instances) {
        this.world = world;
        this.instances = instances;
    }

    /** One simulated instance: its stopped services and the files commands wrote or removed. */
    static final class Machine {
        final TreeSet<String> stopped = new TreeSet<>();
        final TreeSet<String> written = new TreeSet<>();
        final TreeSet<String> removed = new TreeSet<>();
    }

    private record Command(String id, String comment, Instant at, Instant readyAt, Map<String, Invocation> results) {}

    @Override
    public List<String> instances(Map<String, String> tags) {
        world.enter(ApiService.EC2_DESCRIBE, "DescribeInstances");
        return instances.get().entrySet().stream()
                .filter(e -> e.getValue().entrySet().containsAll(tags.entrySet()))
                .map(Map.Entry::getKey)
                .toList();
    }

    @Override
    public String send(CommandRequest request) {
        world.enter(ApiService.SSM, "SendCommand");
        Map<String, Map<String, String>> live = instances.get();
        for (String i : request.instanceIds()) {
            if (!live.containsKey(i)) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        "SendCommand",
                        "InvalidInstanceId: instance " + i + " is not"
                                + " managed (no running instance of a live stack has this id)");
            }
        }
        String id = java.util
                .UUID
                .nameUUIDFromBytes(("cmd-" + world.nextHex()).getBytes())
                .toString();
        Map<String, Invocation> results = new LinkedHashMap<>();
        Duration longest = Duration.ZERO;
        for (String i : request.instanceIds()) {
            Result r = run(i, request.shell(), request.script());
            results.put(
                    i, new Invocation(i, r.exit == 0 ? Status.SUCCESS : Status.FAILED, r.exit, r.output.toString()));
            longest = r.slept.compareTo(longest) > 0 ? r.slept : longest;
        }
        Instant now = world.now();
        commands.add(new Command(
                id,
                request.comment(),
                now,
                now.plus(world.took("commandRun", world.latencies.commandRun())).plus(longest),
                results));
        world.created("command", id);
        return id;
    }

    @Override
    public Optional<String> find(String comment, Instant since) {
        world.enter(ApiService.SSM, "ListCommands");
        return commands.stream()
                .filter(c -> c.comment().equals(comment) && !c.at().isBefore(since))
                .map(Command::id)
                .reduce((a, b) -> b);
    }

    @Override
    public List<Invocation> invocations(String commandId, List<String> instanceIds) {
        Command c = commands.stream()
                .filter(x -> x.id().equals(commandId))
                .findFirst()
                .orElseThrow(() -> ProviderException.of(
                        FailureKind.NOT_FOUND, "GetCommandInvocation", "InvalidCommandId: " + commandId));
        List<Invocation> out = new ArrayList<>();
        for (String i : instanceIds) {
            world.enter(ApiService.SSM, "GetCommandInvocation");
            Invocation done = c.results().get(i);
            if (done == null) {
                throw ProviderException.of(
                        FailureKind.NOT_FOUND, "GetCommandInvocation", "InvocationDoesNotExist: " + i);
            }
            out.add(world.now().isBefore(c.readyAt()) ? new Invocation(i, Status.IN_PROGRESS, -1, "") : done);
        }
        return out;
    }

    /** The machine of an instance, made on first use. */
    Machine machine(String instanceId) {
        return machines.computeIfAbsent(instanceId, k -> new Machine());
    }

    // ------------------------------------------------------------------------------------------- the language

    private static final class Result {
        int exit;
        final StringBuilder output = new StringBuilder();
        Duration slept = Duration.ZERO;
    }

    private static final Pattern PS_TEST_PATH = Pattern.compile(
            "(?i)if\\s*\\(\\s*-not\\s*\\(\\s*Test-Path\\s+('[^']*'|\"[^\"]*\"|\\S+?)\\s*\\)\\s*\\)\\s*\\{\\s*exit\\s+(\\d+)\\s*}");
    private static final Pattern PS_SERVICE_RUNNING = Pattern.compile(
            "(?i)if\\s*\\(\\s*\\(\\s*Get-Service\\s+(?:-Name\\s+)?('[^']*'|\"[^\"]*\"|\\S+?)\\s*\\)\\.Status\\s+-ne\\s+['\"]Running['\"]\\s*\\)"
                    + "\\s*\\{\\s*exit\\s+(\\d+)\\s*}");

    private Result run(String instance, Shell shell, String script) {
        Machine m = machine(instance);
        Result r = new Result();
        for (String statement : statements(script)) {
            int exit = shell == Shell.POWERSHELL ? powerShell(m, statement, r) : sh(m, statement, r);
            world.happened("instance", instance, statement + (exit == 0 ? "" : " (exit " + exit + ")"));
            if (exit != 0) {
                r.exit = exit;
                return r;
            }
        }
        return r;
    }

    /** The statements of a script: lines, split at {@code ;} and {@code &&} outside braces; comments dropped. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        for (String line : script.split("\\R")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.contains("{")) { // a PowerShell block: one statement
                out.add(l);
                continue;
            }
            for (String part : l.split("\\s*(;|&&)\\s*")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    private static List<String> words(String statement) {
        List<String> w = new ArrayList<>();
        Matcher mt = Pattern.compile("\"([^\"]*)\"|'([^']*)'|(\\S+)").matcher(statement);
        while (mt.find()) {
            w.add(mt.group(1) != null ? mt.group(1) : mt.group(2) != null ? mt.group(2) : mt.group(3));
        }
        return w;
    }

    private static List<String> operands(List<String> w, int from) {
        return w.subList(Math.min(from, w.size()), w.size()).stream()
                .filter(x -> !x.startsWith("-"))
                .toList();
    }

    private int sh(Machine m, String statement, Result r) {
        List<String> w = words(statement.startsWith("sudo ") ? statement.substring(5) : statement);
        String cmd = w.get(0);
        List<String> args = operands(w, 1);
        switch (cmd) {
            case "systemctl" -> {
                String verb = args.isEmpty() ? "" : args.get(0);
                List<String> names = args.subList(Math.min(1, args.size()), args.size());
                if (verb.equals("is-active")) {
                    boolean active = names.stream().noneMatch(m.stopped::contains);
                    r.output.append(active ? "active\n" : "inactive\n");
                    return active ? 0 : 3;
                }
                return service(m, verb, names, r);
            }
            case "service" -> {
                return args.size() < 2 ? 1 : service(m, args.get(1), List.of(args.get(0)), r);
            }
            case "cp", "mv" -> {
                return copy(m, args, cmd.equals("mv"), r, cmd);
            }
            case "rm" -> {
                args.forEach(f -> remove(m, f));
                return 0;
            }
            case "touch" -> {
                args.forEach(f -> write(m, f));
                return 0;
            }
            case "test", "[" -> {
                List<String> t = new ArrayList<>(w.subList(1, w.size()));
                t.remove("]");
                boolean not = !t.isEmpty() && t.get(0).equals("!");
                if (not) {
                    t.remove(0);
                }
                boolean exists = t.size() == 2 && m.written.contains(norm(t.get(1)));
                return exists != not ? 0 : 1;
            }
            case "echo" -> {
                int redirect = w.indexOf(">");
                int end = redirect < 0 ? w.size() : redirect;
                if (redirect < 0) {
                    r.output.append(String.join(" ", w.subList(1, end))).append('\n');
                } else if (redirect + 1 < w.size()) {
                    write(m, w.get(redirect + 1));
                }
                return 0;
            }
            case "sleep" -> {
                r.slept = r.slept.plusSeconds(args.isEmpty() ? 0 : SimWorld.parseInt(args.get(0), 0));
                return 0;
            }
            case "true" -> {
                return 0;
            }
            case "false" -> {
                return 1;
            }
            case "exit" -> {
                return args.isEmpty() ? 0 : SimWorld.parseInt(args.get(0), 1);
            }
            default -> {
                r.output.append("(simulated) ").append(statement).append('\n');
                return 0;
            }
        }
    }

    private int powerShell(Machine m, String statement, Result r) {
        Matcher tp = PS_TEST_PATH.matcher(statement);
        if (tp.matches()) {
            return m.written.contains(norm(unquote(tp.group(1)))) ? 0 : Integer.parseInt(tp.group(2));
        }
        Matcher sr = PS_SERVICE_RUNNING.matcher(statement);
        if (sr.matches()) {
            return m.stopped.contains(unquote(sr.group(1))) ? Integer.parseInt(sr.group(2)) : 0;
        }
        List<String> w = words(statement);
        String cmd = w.get(0).toLowerCase(java.util.Locale.ROOT);
        List<String> args = operands(w, 1);
        return switch (cmd) {
            case "stop-service" -> service(m, "stop", args, r);
            case "start-service" -> service(m, "start", args, r);
            case "restart-service" -> service(m, "restart", args, r);
            case "copy-item" -> copy(m, args, false, r, "Copy-Item");
            case "move-item" -> copy(m, args, true, r, "Move-Item");
            case "remove-item" -> {
                args.forEach(f -> remove(m, f));
                yield 0;
            }
            case "new-item" -> {
                args.forEach(f -> write(m, f));
                yield 0;
            }
            case "write-output", "write-host" -> {
                r.output.append(String.join(" ", w.subList(1, w.size()))).append('\n');
                yield 0;
            }
            case "start-sleep" -> {
                r.slept = r.slept.plusSeconds(args.isEmpty() ? 0 : SimWorld.parseInt(args.get(0), 0));
                yield 0;
            }
            case "exit" -> args.isEmpty() ? 0 : SimWorld.parseInt(args.get(0), 1);
            default -> {
                r.output.append("(simulated) ").append(statement).append('\n');
                yield 0;
            }
        };
    }

    private static int service(Machine m, String verb, List<String> names, Result r) {
        switch (verb) {
            case "stop" -> m.stopped.addAll(names);
            case "start", "restart" -> names.forEach(m.stopped::remove);
            default -> {
                r.output.append("unknown operation '").append(verb).append("'\n");
                return 1;
            }
        }
        return 0;
    }

    private static int copy(Machine m, List<String> args, boolean move, Result r, String cmd) {
        if (args.size() != 2) {
            r.output.append(cmd).append(": give a source and a destination\n");
            return 1;
        }
        String from = norm(args.get(0));
        if (m.removed.contains(from)) {
            r.output.append(cmd).append(": cannot stat '").append(args.get(0)).append("': No such file or directory\n");
            return 1;
        }
        write(m, args.get(1));
        if (move) {
            remove(m, args.get(0));
        }
        return 0;
    }

    private static void write(Machine m, String file) {
        m.written.add(norm(file));
        m.removed.remove(norm(file));
    }

    private static void remove(Machine m, String file) {
        m.written.remove(norm(file));
        m.removed.add(norm(file));
    }

    private static String norm(String file) {
        String f = unquote(file).replace('\\', '/');
        return f.endsWith("/") && f.length() > 1 ? f.substring(0, f.length() - 1) : f;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""))
                ? s.substring(1, s.length() - 1)
                : s;
    }
}
