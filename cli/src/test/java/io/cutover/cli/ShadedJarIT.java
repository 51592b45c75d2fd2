package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The runnable jar users download carries no test framework (the simulator it ships must not drag one in). */
class ShadedJarIT {
    private static final Path JAR = Path.of("target", "cutover.jar");

    @Test
    void theCliJarHoldsNoJUnitOrAssertJClasses() throws IOException {
        assertThat(JAR).as("built by `package` before the ITs run").exists();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.stream().map(JarEntry::getName))
                    .as("classes of a test framework in " + JAR)
                    .filteredOn(n -> n.startsWith("org/junit/")
                            || n.startsWith("org/assertj/")
                            || n.startsWith("junit/")
                            || n.startsWith("org/opentest4j/"))
                    .isEmpty();
            // The check above means something only if the jar is the whole program.
            assertThat(jar.getEntry("io/cutover/simulator/SimulatedCloud.class"))
                    .isNotNull();
            assertThat(jar.getEntry("io/cutover/cli/Main.class")).isNotNull();
        }
    }
}
