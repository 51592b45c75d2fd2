package io.cutover.release;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the build hands the release tests (failsafe's system properties), and running a process. */
final class Release {
    private Release() {}

    /** The repository's root directory. */
    static Path root() {
        return Path.of(property("cutover.root"));
    }

    static String version() {
        return property("cutover.version");
    }

    /** The private repository the artifacts were installed into (never the user's ~/.m2). */
    static Path releaseRepository() {
        return Path.of(property("cutover.releaseRepository"));
    }

    /** The user's local repository: read-only plugins and third-party jars for the consumer's build. */
    static Path userRepository() {
        return Path.of(property("cutover.userRepository"));
    }

    static String readme() throws IOException {
        return Files.readString(root().resolve("README.md"));
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank() || value.contains("${")) {
            throw new IllegalStateException(
                    "system property " + name + " is not set: run this test through Maven (./mvnw verify)");
        }
        return value;
    }

    record Result(int status, String output) {}

    static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not finish:\n" + out);
        }
        return new Result(p.exitValue(), out);
    }
}
