package io.cutover.aws.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts moto as {@code aws-adapter/scripts/moto-server.sh} does: {@code moto[server]} pinned to
 * {@link #VERSION} in a venv under {@code ~/.cache/cutover} (shared with the script, so the build's install
 * serves it), the server on a free port of 127.0.0.1, stopped when closed. Two JVMs installing at once take
 * turns on a lock file beside the venv.
 */
final class MotoLauncher {
    private static final Logger log = LoggerFactory.getLogger(MotoLauncher.class);
    /** The moto release the ITs document the gaps of; the build's script pins the same one. */
    static final String VERSION = "5.2.5";

    private static final long START_TIMEOUT_MILLIS = 30_000;

    private MotoLauncher() {}

    /** {@code $XDG_CACHE_HOME} (else {@code ~/.cache}) {@code /cutover/moto-venv-VERSION}, as the script has it. */
    static Path defaultVenv(Map<String, String> env, String version) {
        String cache = env.get("XDG_CACHE_HOME");
        Path base =
                cache == null || cache.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(cache);
        return base.resolve("cutover").resolve("moto-venv-" + version);
    }

    /** {@code $PYTHON} if it names an executable, else the first {@code python3} on {@code $PATH}. */
    static Optional<Path> findPython(Map<String, String> env) {
        String named = env.get("PYTHON");
        if (named != null && !named.isBlank()) {
            Path p = Path.of(named.trim());
            if (p.isAbsolute()) {
                return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
            }
            return onPath(env, named.trim());
        }
        return onPath(env, "python3");
    }

    private static Optional<Path> onPath(Map<String, String> env, String name) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** A moto server this JVM started; closing it stops the server. */
    static final class Running implements AutoCloseable {
        private final Process process;
        private final Path logFile;
        final EmulatorEndpoint endpoint;

        Running(EmulatorChoice.StartMoto choice) {
            install(choice);
            int port = freePort();
            URI uri = URI.create("http://127.0.0.1:" + port);
            try {
                logFile = Files.createTempFile("cutover-moto-" + port + "-", ".log");
                process = new ProcessBuilder(
                                choice.venv()
                                        .resolve("bin")
                                        .resolve("moto_server")
                                        .toString(),
                                "-H",
                                "127.0.0.1",
                                "-p",
                                String.valueOf(port))
                        .redirectErrorStream(true)
                        .redirectOutput(logFile.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
            } catch (IOException e) {
                throw new ExtensionConfigurationException(
                        "could not start " + choice.venv().resolve("bin/moto_server") + ": " + e.getMessage(), e);
            }
            log.info("AWS emulator: starting moto {} at {} (log: {})", choice.version(), uri, logFile);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
            while (!EmulatorHttp.answersAtAll(uri, "/moto-api/data.json")) {
                if (!process.isAlive()) {
                    throw new ExtensionConfigurationException(
                            "moto exited during start (status " + process.exitValue() + "): " + tail(logFile));
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new ExtensionConfigurationException(
                            "moto did not answer at " + uri + " within 30 s: " + tail(logFile));
                }
                pause();
            }
            endpoint = new EmulatorEndpoint(uri, choice.region(), "testing", "testing", EmulatorEndpoint.Flavor.MOTO);
        }

        /** Whether the server process still runs. */
        boolean alive() {
            return process.isAlive();
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            try {
                Files.deleteIfExists(logFile);
            } catch (IOException e) {
                log.debug("could not delete {}", logFile, e);
            }
        }
    }

    /** Installs moto into the venv unless the venv already holds the pinned version. */
    static void install(EmulatorChoice.StartMoto choice) {
        Path venv = choice.venv();
        try {
            Files.createDirectories(venv.getParent());
            try (FileChannel lockFile = FileChannel.open(
                            venv.resolveSibling(venv.getFileName() + ".lock"),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
                    FileLock lock = lockFile.lock()) {
                if (installed(choice)) {
                    return;
                }
                log.info("installing moto[server]=={} into {} (once; about half a minute)", choice.version(), venv);
                deleteTree(venv);
                run(
                        List.of(choice.python().toString(), "-m", "venv", venv.toString()),
                        "could not create a venv with " + choice.python()
                                + "; on Debian/Ubuntu install python3-venv (apt-get install python3-venv)");
                run(
                        List.of(
                                venv.resolve("bin/python").toString(),
                                "-m",
                                "pip",
                                "install",
                                "--quiet",
                                "--disable-pip-version-check",
                                "moto[server]==" + choice.version()),
                        "pip could not install moto[server]==" + choice.version() + " into " + venv
                                + " (it needs the network, or a pip index in PIP_INDEX_URL)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare moto's venv " + venv, e);
        }
    }

    private static boolean installed(EmulatorChoice.StartMoto choice) {
        Path server = choice.venv().resolve("bin/moto_server");
        if (!Files.isExecutable(server)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(
                            choice.venv().resolve("bin/python").toString(),
                            "-c",
                            "import importlib.metadata as m, sys; sys.exit(m.version('moto') != '" + choice.version()
                                    + "')")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void run(List<String> command, String failure) throws IOException {
        Path out = Files.createTempFile("cutover-moto-install-", ".log");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new ExtensionConfigurationException(
                        failure + "; ran " + String.join(" ", command) + ": " + tail(out));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ExtensionConfigurationException("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1 for moto", e);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExtensionConfigurationException("interrupted while waiting for moto to answer", e);
        }
    }
}
