package io.cutover.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive and the runnable jar as a user gets them, after {@code package}: unpacked, started from
 * {@code bin/cutover}, and holding no test library and exactly one HTTP client for the AWS SDK.
 */
class DistributionIT {
    private static final Path TARGET = Path.of("target");
    private static final Path EXAMPLES = Path.of("..", "examples", "plans").toAbsolutePath();

    /** Class-file prefixes of the test libraries that must never reach a user's runtime path. */
    private static final List<String> TEST_LIBRARIES = List.of("org/junit/", "org/assertj/", "org/opentest4j/");

    private static final String SYNC_HTTP_SERVICE = "META-INF/services/software.amazon.awssdk.http.SdkHttpService";
    private static final String ASYNC_HTTP_SERVICE =
            "META-INF/services/software.amazon.awssdk.http.async.SdkAsyncHttpService";
    private static final String APACHE5 = "software.amazon.awssdk.http.apache5.Apache5SdkHttpService";

    @TempDir
    static Path unpacked;

    static Path home;

    @BeforeAll
    static void unpackTheTarball() throws Exception {
        Path tarball = only("cutover-*.tar.gz");
        run(unpacked, List.of("tar", "-xzf", tarball.toAbsolutePath().toString()));
        try (Stream<Path> dirs = Files.list(unpacked)) {
            List<Path> tops = dirs.toList();
            assertThat(tops).as("the archive unpacks into one directory").hasSize(1);
            home = tops.get(0);
        }
        assertThat(home.getFileName().toString())
                .isEqualTo(tarball.getFileName().toString().replace(".tar.gz", ""));
    }

    @Test
    void theTarballHasTheLauncherTheLicenceAndTheJars() throws IOException {
        assertThat(home.resolve("bin/cutover")).isExecutable();
        assertThat(home.resolve("bin/cutover.cmd")).isRegularFile();
        assertThat(Files.readString(home.resolve("LICENSE"))).contains("Apache License", "Version 2.0");
        assertThat(jarNames()).anyMatch(n -> n.startsWith("io.cutover.cutover-cli-"));
    }

    @Test
    void theZipHoldsTheSameFilesAsTheTarball() throws IOException {
        TreeSet<String> inZip = new TreeSet<>();
        try (ZipFile zip = new ZipFile(only("cutover-*.zip").toFile())) {
            zip.stream().filter(e -> !e.isDirectory()).forEach(e -> inZip.add(e.getName()));
        }
        TreeSet<String> inTar = new TreeSet<>();
        try (Stream<Path> files = Files.walk(unpacked)) {
            files.filter(Files::isRegularFile)
                    .forEach(f -> inTar.add(unpacked.relativize(f).toString().replace('\\', '/')));
        }
        assertThat(inZip).isEqualTo(inTar);
    }

    @Test
    void noJarOfTheArchiveHoldsATestLibrary() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path jar : jars()) {
            found.addAll(testLibraryEntries(jar));
        }
        assertThat(found).as("test-library classes in lib/").isEmpty();
    }

    @Test
    void theArchiveHasOneHttpClientForTheAwsSdk() throws IOException {
        List<String> sync = new ArrayList<>();
        List<String> async = new ArrayList<>();
        for (Path jar : jars()) {
            sync.addAll(serviceLines(jar, SYNC_HTTP_SERVICE));
            async.addAll(serviceLines(jar, ASYNC_HTTP_SERVICE));
        }
        assertThat(sync).containsExactly(APACHE5);
        assertThat(async).as("asynchronous HTTP clients (Netty, CRT)").isEmpty();
        assertThat(jarNames()).noneMatch(n -> n.startsWith("io.netty."));
    }

    @Test
    void theRunnableJarHoldsNoTestLibraryAndOneHttpClient() throws IOException {
        Path jar = TARGET.resolve("cutover.jar");
        assertThat(testLibraryEntries(jar)).isEmpty();
        assertThat(serviceLines(jar, SYNC_HTTP_SERVICE)).containsExactly(APACHE5);
        assertThat(serviceLines(jar, ASYNC_HTTP_SERVICE)).isEmpty();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            assertThat(zip.stream().map(ZipEntry::getName)).noneMatch(n -> n.startsWith("io/netty/"));
        }
    }

    @Test
    void theLauncherRehearsesAPlanFromAnyDirectoryThroughALink(@TempDir Path elsewhere) throws Exception {
        // as a user installs it: a link in a directory on the PATH; the launcher must still find lib/
        Path link = Files.createSymbolicLink(elsewhere.resolve("cutover"), home.resolve("bin/cutover"));
        Result version = run(elsewhere, List.of(link.toString(), "--version"));
        assertThat(version.status()).isZero();
        assertThat(version.output()).startsWith("cutover ");

        Result rehearsal = run(
                elsewhere,
                List.of(
                        link.toString(),
                        "run",
                        "--simulate",
                        EXAMPLES.resolve("003-openboxes.yaml").toString()));
        assertThat(rehearsal.status()).as(rehearsal.output()).isZero();
        assertThat(rehearsal.output()).contains("KEPT final snapshot");
    }

    @Test
    void theLauncherSaysWhatToDoWhenJavaHomeIsWrong() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/cutover").toString(), "--version");
        pb.environment().put("JAVA_HOME", unpacked.resolve("no-jdk-here").toString());
        Result result = run(pb);
        assertThat(result.status()).isEqualTo(2);
        assertThat(result.output()).contains("JAVA_HOME", "no bin/java", "17");
    }

    private static List<String> testLibraryEntries(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream()
                    .map(ZipEntry::getName)
                    .filter(n -> TEST_LIBRARIES.stream().anyMatch(n::startsWith))
                    .map(n -> jar.getFileName() + "!" + n)
                    .toList();
        }
    }

    private static List<String> serviceLines(Path jar, String service) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(service);
            if (entry == null) {
                return List.of();
            }
            String text = new String(zip.getInputStream(entry).readAllBytes(), UTF_8);
            return text.lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
        }
    }

    private static List<Path> jars() throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("lib"))) {
            List<Path> jars =
                    files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
            assertThat(jars).isNotEmpty();
            return jars;
        }
    }

    private static List<String> jarNames() throws IOException {
        return jars().stream().map(j -> j.getFileName().toString()).toList();
    }

    private static Path only(String glob) throws IOException {
        try (var found = Files.newDirectoryStream(TARGET, glob)) {
            List<Path> paths = new ArrayList<>();
            found.forEach(paths::add);
            assertThat(paths)
                    .as("exactly one %s in target/ (run `./mvnw -pl cli -am package` first)", glob)
                    .hasSize(1);
            return paths.get(0);
        }
    }

    private record Result(int status, String output) {}

    private static Result run(Path dir, List<String> command) throws Exception {
        return run(new ProcessBuilder(command).directory(dir.toFile()));
    }

    private static Result run(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("finished").isTrue();
        return new Result(p.exitValue(), out.lines().collect(Collectors.joining("\n")));
    }
}
