package io.cutover.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What a release publishes, checked module by module from the reactor itself (so a module added later is
 * checked too): a jar, a sources jar and a javadoc jar each, a distinct {@code Automatic-Module-Name}, a place
 * in the BOM, the metadata a repository requires, the licence, and the JBang alias.
 */
class ReleaseArtifactsIT {
    private static final String GROUP = "io.cutover";

    /** A module of the reactor: its directory, artifactId, packaging, and whether it is published. */
    record Module(Path dir, String artifactId, String packaging, boolean published) {
        boolean publishedJar() {
            return published && packaging.equals("jar");
        }

        Path artifact(String classifier) {
            String suffix = classifier.isEmpty() ? "" : "-" + classifier;
            return dir.resolve("target").resolve(artifactId + "-" + Release.version() + suffix + ".jar");
        }
    }

    private static List<Module> modules;

    @BeforeAll
    static void readTheReactor() throws Exception {
        modules = new ArrayList<>();
        Document root = xml(Release.root().resolve("pom.xml"));
        for (Element m : children(first(root.getDocumentElement(), "modules"), "module")) {
            Path dir = Release.root().resolve(m.getTextContent().strip());
            Element project = xml(dir.resolve("pom.xml")).getDocumentElement();
            Element packaging = first(project, "packaging");
            Element properties = first(project, "properties");
            Element skip = properties == null ? null : first(properties, "cutover.skipPublishing");
            modules.add(new Module(
                    dir,
                    first(project, "artifactId").getTextContent().strip(),
                    packaging == null ? "jar" : packaging.getTextContent().strip(),
                    skip == null || !skip.getTextContent().strip().equals("true")));
        }
        assertThat(modules).extracting(Module::artifactId).contains("cutover-core", "cutover-bom");
    }

    @Test
    void everyPublishedJarHasSourcesAndJavadocBesideIt() throws Exception {
        for (Module m : publishedJars()) {
            for (String classifier : List.of("", "sources", "javadoc")) {
                assertThat(m.artifact(classifier))
                        .as("%s %s jar (built by ./mvnw package)", m.artifactId(), classifier)
                        .isRegularFile();
            }
            try (JarFile javadoc = new JarFile(m.artifact("javadoc").toFile())) {
                assertThat(javadoc.getEntry("index.html"))
                        .as(m.artifactId() + " javadoc")
                        .isNotNull();
            }
            try (JarFile sources = new JarFile(m.artifact("sources").toFile())) {
                assertThat(sources.stream().filter(e -> e.getName().endsWith(".java")))
                        .as(m.artifactId() + " sources")
                        .isNotEmpty();
            }
        }
    }

    @Test
    void everyPublishedJarHasItsOwnAutomaticModuleName() throws Exception {
        Set<String> names = new HashSet<>();
        for (Module m : publishedJars()) {
            try (JarFile jar = new JarFile(m.artifact("").toFile())) {
                String name = jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
                assertThat(name)
                        .as(m.artifactId() + " Automatic-Module-Name")
                        .isEqualTo("io." + m.artifactId().replace('-', '.'));
                assertThat(names.add(name)).as("unique: " + name).isTrue();
            }
        }
    }

    @Test
    void theBomListsEveryPublishedJarAtThisVersion() throws Exception {
        Element bom = xml(Release.root().resolve("bom/pom.xml")).getDocumentElement();
        assertThat(first(bom, "version").getTextContent()).isEqualTo(Release.version());
        assertThat(first(bom, "parent"))
                .as("the BOM has no parent: importers get only Cutover's versions")
                .isNull();
        List<String> listed = new ArrayList<>();
        for (Element d : children(first(first(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            assertThat(first(d, "groupId").getTextContent()).isEqualTo(GROUP);
            assertThat(first(d, "version").getTextContent()).isEqualTo("${project.version}");
            listed.add(first(d, "artifactId").getTextContent());
        }
        assertThat(listed)
                .as("cutover-bom's dependencyManagement")
                .containsExactlyInAnyOrderElementsOf(
                        publishedJars().stream().map(Module::artifactId).toList());
    }

    @Test
    void theInstalledPomsCarryTheMetadataARepositoryRequires() throws Exception {
        List<String> poms = new ArrayList<>(List.of("cutover-parent", "cutover-bom"));
        publishedJars().forEach(m -> poms.add(m.artifactId()));
        for (String artifactId : poms) {
            Element pom = xml(installed(artifactId, "pom")).getDocumentElement();
            assertThat(text(pom, "name")).as(artifactId + " name").isNotBlank();
            assertThat(text(pom, "description")).as(artifactId + " description").isNotBlank();
        }
        // url, licence, scm and developers are inherited from the parent, or, for the BOM, its own
        for (String artifactId : List.of("cutover-parent", "cutover-bom")) {
            Element pom = xml(installed(artifactId, "pom")).getDocumentElement();
            assertThat(text(pom, "url")).as(artifactId + " url").startsWith("https://");
            Element license = first(first(pom, "licenses"), "license");
            assertThat(text(license, "name")).as(artifactId + " licence").isEqualTo("Apache-2.0");
            assertThat(text(license, "url")).contains("apache.org/licenses/LICENSE-2.0");
            Element scm = first(pom, "scm");
            assertThat(text(scm, "url")).as(artifactId + " scm url").startsWith("https://");
            assertThat(text(scm, "connection")).startsWith("scm:git:");
            assertThat(children(first(pom, "developers"), "developer"))
                    .as(artifactId + " developers")
                    .isNotEmpty();
        }
        assertThat(Files.readString(Release.root().resolve("LICENSE")))
                .contains("Apache License", "Version 2.0, January 2004");
    }

    @Test
    void theJbangAliasRunsThisVersionsCli() throws Exception {
        JsonNode alias = new ObjectMapper()
                .readTree(Release.root().resolve("jbang-catalog.json").toFile())
                .path("aliases")
                .path("cutover");
        assertThat(alias.path("script-ref").asText()).isEqualTo(GROUP + ":cutover-cli:" + Release.version());
        try (JarFile cli = new JarFile(installed("cutover-cli", "jar").toFile())) {
            String main = cli.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
            assertThat(main).isEqualTo(alias.path("main").asText());
            assertThat(cli.getEntry(main.replace('.', '/') + ".class")).isNotNull();
        }
    }

    private static List<Module> publishedJars() {
        return modules.stream().filter(Module::publishedJar).toList();
    }

    private static Path installed(String artifactId, String extension) {
        String v = Release.version();
        Path file = Release.releaseRepository()
                .resolve("io/cutover")
                .resolve(artifactId)
                .resolve(v)
                .resolve(artifactId + "-" + v + "." + extension);
        assertThat(file).as("installed into the private repository").isRegularFile();
        return file;
    }

    private static Document xml(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(file.toFile());
    }

    /** The first child element of that name, or null. */
    private static Element first(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static String text(Element parent, String name) {
        Element e = first(parent, name);
        return e == null ? "" : e.getTextContent().strip();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent == null) {
            return found;
        }
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }
}
