package io.cutover.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.CutoverException;
import io.cutover.RefusedException;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The embedded state store: one JSON file per cutover and one lock file per environment, in a directory
 * (by default {@code .cutover/} in the working directory). Every write goes to a temporary file that is
 * flushed to disk and then renamed over the old one, so a crash mid-write leaves the previous state
 * readable. Commits hold an OS file lock while they compare versions, so two processes on one machine
 * cannot both commit a transition. For several machines, use a shared store such as DynamoDB.
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
            if (Files.exists(runFile)) {
                RunState existing = load(initial.runId()).orElseThrow();
                throw new RefusedException(
                        "a cutover with id '" + initial.runId() + "' exists already (" + existing.status() + " since "
                                + existing.updatedAt() + "); resume it, or give the plan a new id");
            }
            String env = initial.plan().environment().name();
            EnvironmentLock lock = new EnvironmentLock(env, initial.runId(), initial.owner(), initial.createdAt());
            Path lockFile = lockFile(env);
            try {
                Files.write(
                        lockFile,
                        mapper.writeValueAsBytes(lock),
                        StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                EnvironmentLock held = lock(env).orElse(lock);
                throw new RefusedException("environment '" + env + "' is being cut over by run '" + held.runId()
                        + "' (started by " + held.owner() + " at " + held.since()
                        + "); resume, roll back or finish that "
                        + "cutover first");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
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

    @Override
    public Optional<RunState> load(String runId) {
        Path file = runFile(runId);
        try {
            return Optional.of(codec.decode(Files.readAllBytes(file), file.toString()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public RunState commit(RunState next) {
        synchronized (monitor) {
            Path file = runFile(next.runId());
            try (FileChannel guard = FileChannel.open(
                            guardFile(next.runId()), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = lockInThisJvm(guard)) {
                RunState stored = load(next.runId())
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
                throw new UncheckedIOException(e);
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
        try {
            return Optional.of(mapper.readValue(Files.readAllBytes(lockFile(environment)), EnvironmentLock.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    @Override
    public List<String> runIds() {
        try (Stream<Path> files = Files.list(runs)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .map(p -> java.net.URLDecoder.decode(
                            p.getFileName().toString().replaceFirst("\\.json$", ""), StandardCharsets.UTF_8))
                    .map(id -> load(id).orElse(null))
                    .filter(java.util.Objects::nonNull)
                    .sorted(Comparator.comparing(RunState::createdAt).thenComparing(RunState::runId))
                    .map(RunState::runId)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    private static String safe(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    private static void writeAtomically(Path target, byte[] bytes) {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new CutoverException(
                    "the state directory's file system cannot rename atomically; " + "keep the state on a local disk",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
