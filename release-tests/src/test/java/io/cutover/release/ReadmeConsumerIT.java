package io.cutover.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A user's first project: a new Maven project made of nothing but the README's snippets (the pom's
 * dependencies, the Java programs), built against the artifacts this build installed into its private
 * repository, and the rehearsal program run. A snippet that stops compiling, a BOM that misses an artifact, or a
 * published pom that does not resolve fails here.
 */
class ReadmeConsumerIT {
    /** What the project around the README's dependencies holds: coordinates, Java 17, and pinned plugins. */
    private static final String POM = """
            <?xml version="1.0" encoding="UTF-8"?>
            <project xmlns="http://maven.apache.org/POM/4.0.0">
              <modelVersion>4.0.0</modelVersion>
              <groupId>com.example</groupId>
              <artifactId>readme-consumer</artifactId>
              <version>1.0</version>
              <properties>
                <maven.compiler.release>17</maven.compiler.release>
                <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
              </properties>
            %s
              <build>
                <plugins>
                  <plugin>
                    <groupId>org.apache.maven.plugins</groupId>
                    <artifactId>maven-resources-plugin</artifactId>
                    <version>3.3.1</version>
                  </plugin>
                  <plugin>
                    <groupId>org.apache.maven.plugins</groupId>
                    <artifactId>maven-compiler-plugin</artifactId>
                    <version>3.14.0</version>
                  </plugin>
                  <plugin>
                    <groupId>org.codehaus.mojo</groupId>
                    <artifactId>exec-maven-plugin</artifactId>
                    <version>3.5.1</version>
                  </plugin>
                </plugins>
              </build>
            </project>
            """;

    private static Map<String, String> snippets;

    @BeforeAll
    static void readTheReadme() throws Exception {
        snippets = ReadmeSnippets.from(Release.readme());
    }

    @Test
    void theReadmeImportsThisVersionsBomAndNamesNoOtherVersion() {
        String pom = snippets.get("pom.xml");
        assertThat(pom).as("the README's pom snippet").isNotNull();
        Matcher versions = Pattern.compile("<version>([^<]*)</version>").matcher(pom);
        List<String> named = new ArrayList<>();
        while (versions.find()) {
            named.add(versions.group(1));
        }
        assertThat(named).as("versions in the README's pom snippet").containsExactly(Release.version());
        assertThat(pom).contains("<artifactId>cutover-bom</artifactId>", "<scope>import</scope>");
    }

    @Test
    void aProjectMadeOfTheReadmeSnippetsBuildsAndRehearsesAnUpgrade() throws Exception {
        assertThat(snippets)
                .containsKeys(
                        "pom.xml",
                        "src/main/java/RehearseUpgrade.java",
                        "src/main/java/UpgradeOnAws.java",
                        "src/main/java/StepByStep.java",
                        "src/main/java/FleetUpgrade.java");
        Path project = Path.of("target", "readme-consumer").toAbsolutePath();
        deleteRecursively(project);
        // its own .mvn: Maven takes the consumer, not this repository, as the top of the build
        Files.createDirectories(project.resolve(".mvn"));
        for (Map.Entry<String, String> s : snippets.entrySet()) {
            Path file = project.resolve(s.getKey());
            Files.createDirectories(file.getParent());
            String text = s.getKey().equals("pom.xml") ? POM.formatted(s.getValue()) : s.getValue();
            Files.writeString(file, text);
        }

        Release.Result build = Release.run(
                project,
                List.of(
                        Release.root().resolve("mvnw").toString(),
                        "-B",
                        "-ntp",
                        // the artifacts come from this build's private repository; plugins and third-party jars
                        // are read from the user's, which this build never writes to
                        "-Dmaven.repo.local=" + Release.releaseRepository(),
                        "-Dmaven.repo.local.tail=" + Release.userRepository(),
                        "compile",
                        "exec:java",
                        "-Dexec.mainClass=RehearseUpgrade"));

        assertThat(build.status()).as(build.output()).isZero();
        assertThat(project.resolve("target/classes/UpgradeOnAws.class")).exists();
        assertThat(project.resolve("target/classes/FleetUpgrade.class")).exists();
        assertThat(project.resolve("target/classes/StepByStep.class")).exists();
        assertThat(build.output())
                .contains("pausing the jobs", "Cutover upgrade-2-0 of shop-prod: COMPLETED")
                .doesNotContain("resuming the jobs"); // the undo of the freeze runs only when a cutover is undone
    }

    private static void deleteRecursively(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
