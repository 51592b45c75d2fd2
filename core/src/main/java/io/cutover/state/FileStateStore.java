package io.cutover.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.CutoverException;
import io.cutover.RefusedException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The embedded state store: one JSON file per cutover and one lock file per environment, in a directory
 * (by default {@code .cutover/} in the working directory). Every write goes to a temporary file that is
 * flushed to disk and then renamed over the old one, so a crash mid-write leaves the previous state
 * readable. Commits hold an OS file lock while they compare versions, so two processes on one machine
 * cannot both commit a transition. For several machines, use a shared store such as DynamoDB.
 *
 * <p>The store does not trust its own files: a run file must hold the run its name says, with a status that
 * agrees with its steps; a run file or lock that cannot be read (garbage, a directory, a device) is an error
 * that names the file and the way out, never a stack trace. Environment names and run ids that are not
 * plain file names are turned into file names safely (long or unusual ones by a hash). A lock whose run is
 * gone is released by {@link #unlock} (the command-line tool's {@code cutover unlock ENV}).
 */
public final class FileStateStore implements StateStore {
    private final Path runs;
    private final Path locks;
    private final StateCodec codec = StateCodec.ofDefaults();
    private final ObjectMapper mapper = StateCodec.mapper();
    private final Object monitor = new Object();

    private FileStateStore(Path dir) {
        this.runs = dir.resolve("runs");
        this.locks = dir.resolve("locks");
        try {
            Files.createDirectories(runs);
            Files.createDirectories(locks);
        } catch (IOException e) {
            throw new CutoverException(
                    "cannot create the state directory " + dir.toAbsolutePath() + ": " + e.getMessage()
                            + "; choose a writable directory",
                    e);
        }
    }

    public static FileStateStore in(Path dir) {
        return new FileStateStore(dir);
    }

    @Override
    public RunState create(RunState initial) {
        synchronized (monitor) {
            Path runFile = runFile(initial.runId());
            if (Files.exists(runFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                RunState existing = load(initial.runId()).orElseThrow();
                throw new RefusedException(
                        "a cutover with id '" + initial.runId() + "' exists already (" + existing.status() + " since "
                                + existing.updatedAt() + "); resume it, or give the plan a new id");
            }
            String env = initial.plan().environment().name();
            // The lock is the fast check; the runs are the truth. A deleted lock must not let a second cutover of
            // the same environment start while the first is unfinished.
            Optional<EnvironmentLock> current = lock(env);
            if (current.isPresent()) {
                throw held(env, current.get());
            }
            for (String other : runIds()) {
                RunState o = load(other).orElseThrow();
                if (!o.status().terminal() && o.plan().environment().name().equals(env)) {
                    throw new RefusedException("environment '" + env + "' is being cut over by run '" + o.runId()
                            + "' (" + o.status() + " since " + o.updatedAt() + "), though its lock file is missing;"
                            + " resume, roll back or finish that cutover first");
                }
            }
            EnvironmentLock lock = new EnvironmentLock(env, initial.runId(), initial.owner(), initial.createdAt());
            Path lockFile = lockFile(env);
            try {
                Files.write(
                        lockFile,
                        mapper.writeValueAsBytes(lock),
                        StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                throw held(env, lock(env).orElse(lock));
            } catch (IOException e) {
                throw cannot("write the lock file", lockFile, e);
            }
            RunState saved = initial.withVersion(1);
            try {
                writeAtomically(runFile, codec.encode(saved));
            } catch (RuntimeException e) {
                // Without its run, the lock would name a cutover that does not exist and refuse every other.
                try {
                    Files.deleteIfExists(lockFile);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            return saved;
        }
    }

    private static RefusedException held(String env, EnvironmentLock held) {
        return new RefusedException("environment '" + env + "' is being cut over by run '" + held.runId()
                + "' (started by " + held.owner() + " at " + held.since() + "); resume, roll back or finish that "
                + "cutover first");
    }

    @Override
    public Optional<RunState> load(String runId) {
        Path file = runFile(runId);
        Optional<byte[]> bytes = read(file, "run");
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        RunState state;
        try {
            state = codec.decode(bytes.get(), file.toString());
        } catch (StateFormat.NewerFormatException e) {
            throw e; // the format's own refusal, which names the run, the file and the fix
        } catch (RuntimeException e) {
            throw new CutoverException("the state file " + file + " is not a cutover's state (it cannot be read as"
                    + " one); restore it from a backup, or move it away and release its environment with"
                    + " 'cutover unlock ENVIRONMENT'");
        }
        Optional<String> wrong = disagreement(state, runId);
        if (wrong.isPresent()) {
            throw new CutoverException("the state file " + file + " " + wrong.get() + "; it was edited or copied by"
                    + " hand: restore it from a backup, or move it away and release its environment with"
                    + " 'cutover unlock ENVIRONMENT'");
        }
        return Optional.of(state);
    }

    /**
     * The stored run's id, version and owner, without decoding its plan, steps and report: all a commit checks
     * (the whole state is read, and checked, when a run is loaded).
     */
    private Optional<StateFormat.Head> head(Path file, String runId) {
        Optional<byte[]> bytes = read(file, "run");
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        StateFormat.Head head;
        try {
            head = StateFormat.head(mapper, bytes.get(), file.toString());
        } catch (StateFormat.NewerFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CutoverException("the state file " + file + " is not a cutover's state (it cannot be read as"
                    + " one); restore it from a backup, or move it away and release its environment with"
                    + " 'cutover unlock ENVIRONMENT'");
        }
        if (!runId.equals(head.runId())) {
            throw new CutoverException("the state file " + file + " holds cutover '" + head.runId() + "', not '" + runId
                    + "' as its name says; it was edited or copied by hand: restore it from a backup, or move it away"
                    + " and release its environment with 'cutover unlock ENVIRONMENT'");
        }
        return Optional.of(head);
    }

    @Override
    public Optional<Long> version(String runId) {
        return head(runFile(runId), runId).map(StateFormat.Head::version);
    }

    /** Why a stored state cannot be the run its file is named for, if it cannot. */
    static Optional<String> disagreement(RunState s, String runId) {
        if (!runId.equals(s.runId())) {
            return Optional.of("holds cutover '" + s.runId() + "', not '" + runId + "' as its name says");
        }
        if (s.plan() == null || s.status() == null || s.steps() == null) {
            return Optional.of("lacks its plan, status or steps");
        }
        java.util.Set<String> planned = new java.util.HashSet<>();
        s.plan().steps().forEach(st -> planned.add(st.id().value()));
        if (!planned.equals(s.steps().keySet())) {
            return Optional.of(
                    "has steps " + s.steps().keySet().stream().limit(10).toList() + " that are not its plan's ("
                            + planned.stream().limit(10).toList() + ")");
        }
        for (Map.Entry<String, StepState> e : s.steps().entrySet()) {
            StepStatus st = e.getValue().status();
            if (s.status() == RunStatus.COMPLETED && st != StepStatus.SUCCEEDED && st != StepStatus.SKIPPED) {
                return Optional.of("says COMPLETED but step '" + e.getKey() + "' is " + st);
            }
            if (s.status().terminal() && st.inFlight()) {
                return Optional.of("says " + s.status() + " but step '" + e.getKey() + "' is " + st);
            }
        }
        return Optional.empty();
    }

    /** A file's bytes, or empty when it does not exist; anything but a readable regular file is an error. */
    private static Optional<byte[]> read(Path file, String what) {
        java.nio.file.attribute.BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(
                    file, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw cannot("read the " + what + " file", file, e);
        }
        if (!attrs.isRegularFile()) {
            throw new CutoverException("the " + what + " file " + file + " is not a regular file (a directory, link"
                    + " or device); move it away"
                    + (what.equals("lock")
                            ? " (cutover unlock ENVIRONMENT releases a lock)"
                            : " and release its environment with 'cutover unlock ENVIRONMENT'"));
        }
        if (attrs.size() > MAX_FILE_BYTES) {
            throw new CutoverException("the " + what + " file " + file + " is " + attrs.size() + " bytes, more than"
                    + " any state Cutover writes (" + MAX_FILE_BYTES + "); move it away");
        }
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw cannot("read the " + what + " file", file, e);
        }
    }

    /** A clear error for a file operation that failed: what, where, why in words, and what to do. */
    static CutoverException cannot(String what, Path file, Exception e) {
        String why = e instanceof java.nio.file.AccessDeniedException
                ? "permission denied"
                : e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null
                        ? fse.getReason().toLowerCase(java.util.Locale.ROOT)
                        : "an input/output error";
        return new CutoverException(
                "cannot " + what + " " + file + " (" + why + "); make the state directory " + file.getParent()
                        + " writable and readable (permissions, free space), then resume the cutover",
                e);
    }

    @Override
    public RunState commit(RunState next) {
        synchronized (monitor) {
            Path file = runFile(next.runId());
            try (FileChannel guard = FileChannel.open(
                            guardFile(next.runId()), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = lockInThisJvm(guard)) {
                StateFormat.Head stored = head(file, next.runId())
                        .orElseThrow(() -> new StateConflictException(
                                "cutover '" + next.runId() + "' has no stored state to update"));
                if (stored.version() != next.version()) {
                    throw new StateConflictException("cutover '" + next.runId() + "' was changed by " + stored.owner()
                            + " (version " + stored.version() + ", this process read " + next.version()
                            + "); another process is driving it");
                }
                RunState saved = next.withVersion(next.version() + 1);
                writeAtomically(file, codec.encode(saved));
                return saved;
            } catch (IOException e) {
                throw cannot("lock the state of", file, e);
            }
        }
    }

    /**
     * The OS file lock belongs to the whole JVM: a second store on the same directory in this JVM (two engines
     * of one process) gets OverlappingFileLockException instead of waiting, so it waits here.
     */
    private static FileLock lockInThisJvm(FileChannel guard) throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return guard.lock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("another state store in this process held the commit lock for 30 s", e);
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting for the commit lock");
                }
            }
        }
    }

    @Override
    public Optional<EnvironmentLock> lock(String environment) {
        Path file = lockFile(environment);
        Optional<byte[]> bytes = read(file, "lock");
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        EnvironmentLock lock;
        try {
            lock = mapper.readValue(bytes.get(), EnvironmentLock.class);
        } catch (IOException e) {
            lock = null;
        }
        if (lock == null || lock.runId() == null || !environment.equals(lock.environment())) {
            throw new CutoverException("the lock file " + file + " of environment '" + environment + "' cannot be read"
                    + " as a lock; if no cutover of it is running, release it with 'cutover unlock " + environment
                    + "'");
        }
        return Optional.of(lock);
    }

    /**
     * Releases an environment's lock whatever it holds (a lock whose run is gone, or a damaged lock file), and
     * returns what it held if it could be read. Refused while the lock's run exists and is unfinished: finish
     * or roll that cutover back instead.
     */
    public Optional<EnvironmentLock> unlock(String environment) {
        synchronized (monitor) {
            Path file = lockFile(environment);
            Optional<EnvironmentLock> held;
            try {
                held = lock(environment);
            } catch (CutoverException damaged) {
                held = Optional.empty();
            }
            if (held.isPresent()) {
                Optional<RunState> run;
                try {
                    run = load(held.get().runId());
                } catch (CutoverException damaged) {
                    run = Optional.empty();
                }
                if (run.isPresent() && !run.get().status().terminal()) {
                    throw new RefusedException("environment '" + environment + "' is held by run '"
                            + held.get().runId() + "', which is " + run.get().status() + "; resume, roll back or"
                            + " finish it instead of unlocking");
                }
            }
            try {
                if (Files.isDirectory(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new CutoverException("the lock file " + file + " is a directory; remove it by hand");
                }
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw cannot("remove the lock file", file, e);
            }
            return held;
        }
    }

    @Override
    public void release(String environment, String runId) {
        synchronized (monitor) {
            Optional<EnvironmentLock> held = lock(environment);
            if (held.isPresent() && held.get().runId().equals(runId)) {
                try {
                    Files.deleteIfExists(lockFile(environment));
                } catch (IOException e) {
                    throw cannot("remove the lock file", lockFile(environment), e);
                }
            }
        }
    }

    @Override
    public List<String> runIds() {
        try (Stream<Path> files = Files.list(runs)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .map(p -> runIdOf(p))
                    .map(id -> load(id).orElse(null))
                    .filter(java.util.Objects::nonNull)
                    .sorted(Comparator.comparing(RunState::createdAt).thenComparing(RunState::runId))
                    .map(RunState::runId)
                    .toList();
        } catch (IOException e) {
            throw cannot("list the runs in", runs, e);
        }
    }

    /** The run id a run file holds, read from the file when its name is a hash. */
    private String runIdOf(Path p) {
        String name = p.getFileName().toString().replaceFirst("\\.json$", "");
        if (!name.startsWith(HASHED)) {
            return java.net.URLDecoder.decode(name, StandardCharsets.UTF_8);
        }
        byte[] bytes = read(p, "run").orElseThrow(() -> cannot("read the run file", p, new IOException()));
        try {
            return codec.decode(bytes, p.toString()).runId();
        } catch (RuntimeException e) {
            throw new CutoverException("the state file " + p + " is not a cutover's state; move it away");
        }
    }

    private Path runFile(String runId) {
        return runs.resolve(safe(runId) + ".json");
    }

    private Path guardFile(String runId) {
        return runs.resolve(safe(runId) + ".guard");
    }

    private Path lockFile(String environment) {
        return locks.resolve(safe(environment) + ".json");
    }

    /**
     * A file name for a run id or environment name: the name itself when it is a plain one (as every valid
     * id is), otherwise a hash of it, so that no name (control characters, bidirectional marks, 10,000
     * characters, a path) can make a file name that is too long, hidden or elsewhere.
     */
    static String safe(String name) {
        if (PLAIN.matcher(name).matches()) {
            return URLEncoder.encode(name, StandardCharsets.UTF_8);
        }
        return HASHED
                + com.google.common.hash.Hashing.sha256()
                        .hashString(name, StandardCharsets.UTF_8)
                        .toString()
                        .substring(0, 32);
    }

    private static final java.util.regex.Pattern PLAIN =
            java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final String HASHED = "~h-";
    /** The largest run or lock file read (64 MiB). */
    static final long MAX_FILE_BYTES = 64L << 20;

    private static void writeAtomically(Path target, byte[] bytes) {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        } catch (IOException e) {
            throw cannot("write the state file", tmp, e);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new CutoverException(
                    "the state directory's file system cannot rename atomically; " + "keep the state on a local disk",
                    e);
        } catch (IOException e) {
            throw cannot("replace the state file", target, e);
        }
    }
}
