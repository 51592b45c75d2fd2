package io.cutover.cli;

import static io.cutover.cli.BadPlanCorpusTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cutover report} pages are self-contained and render in a real browser: headless Chromium (Debian's
 * {@code chromium}) lays out every bar of the timeline, and a screenshot of the page is taken
 * ({@code target/report.png}; {@code docs/report.png} is a copy). Without a chromium binary the browser checks
 * are skipped with a message saying how to get one; the self-containment checks run always.
 */
class HtmlReportTest {
    static final Path PLANS = Path.of("../examples/plans");
    static final Path OUT = Path.of("target/report");
    private static final Pattern EXTERNAL =
            Pattern.compile("(?i)(\\b(src|href|action|poster|data)\\s*=\\s*[\"'](?!#))|url\\(\\s*['\"]?(?!#)|@import");

    static Path page;

    @TempDir
    Path dir;

    @BeforeAll
    static void rehearseOpenBoxesWithAReport() throws Exception {
        Files.createDirectories(OUT);
        page = OUT.resolve("openboxes.html");
        String[] r = run(
                "run",
                "--simulate",
                "--report",
                page.toString(),
                PLANS.resolve("003-openboxes.yaml").toString());
        assertThat(r[0]).as(r[1] + r[2]).isEqualTo("0");
        assertThat(r[1]).contains("report of openboxes-0-9 written to " + page.toAbsolutePath());
    }

    @Test
    void theReportIsOnePageThatFetchesNothing() throws Exception {
        String html = Files.readString(page);
        assertThat(html).contains("Content-Security-Policy").contains("default-src 'none'");
        assertThat(EXTERNAL.matcher(html).find())
                .as("a reference to another resource")
                .isFalse();
        assertThat(html)
                .contains("<svg class=\"gantt\"")
                .contains("class=\"downtime\"")
                .contains("rect class=\"bar succeeded gate\" data-step=\"bake\"")
                .contains("KEPT final snapshot");
    }

    @Test
    void chromiumRendersEveryBarOfTheTimelineAndTakesAScreenshot() throws Exception {
        String chromium = chromium();
        String html = Files.readString(page);
        int bars = count(html, "<rect class=\"bar ");
        assertThat(bars)
                .as("every step of the completed cutover has a bar")
                .isEqualTo(io.cutover.plan.file.PlanFiles.load(PLANS.resolve("003-openboxes.yaml"))
                        .plan()
                        .steps()
                        .size());

        String dom =
                headless(chromium, "--dump-dom", page.toAbsolutePath().toUri().toString());
        assertThat(dom).contains("data-rendered-bars=\"" + bars + "\"");
        assertThat(dom).contains("data-step=\"switch-dns\"").contains("data-step=\"decommission\"");

        Path png = Path.of("target/report.png").toAbsolutePath();
        Files.deleteIfExists(png);
        headless(
                chromium,
                "--screenshot=" + png,
                "--window-size=1100,1300",
                "--hide-scrollbars",
                page.toAbsolutePath().toUri().toString());
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1100);
        Set<Integer> colours = new HashSet<>();
        boolean green = false;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                green |= rgb == 0x22c55e;
            }
        }
        assertThat(colours.size()).as("colours in the screenshot").isGreaterThan(20);
        assertThat(green).as("a succeeded step's bar is on the screen").isTrue();
    }

    @Test
    void aFleetReportShowsItsWavesAndEveryEnvironmentInChromium() throws Exception {
        Path fleet = FleetCommandTest.files(
                dir, "  - name: acme\n  - name: globex\n  - name: initech\n  - name: umbrella\n  - name: hooli\n");
        Path html = OUT.resolve("fleet.html");
        String[] r = run("fleet", "run", "--simulate", "--report", html.toString(), fleet.toString());
        assertThat(r[0]).as(r[1] + r[2]).isEqualTo("0");
        String source = Files.readString(html);
        assertThat(EXTERNAL.matcher(source).find()).isFalse();
        assertThat(count(source, "<tr class=\"wave\">")).isEqualTo(3);
        assertThat(count(source, "<tr class=\"environment\"")).isEqualTo(5);

        String dom =
                headless(chromium(), "--dump-dom", html.toAbsolutePath().toUri().toString());
        assertThat(dom).contains("data-rendered-bars=\"5\"").contains("data-environment=\"hooli\"");
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String chromium() {
        Optional<String> found = List.of("chromium", "chromium-browser", "google-chrome").stream()
                .filter(HtmlReportTest::onPath)
                .findFirst();
        Assumptions.assumeTrue(
                found.isPresent(),
                "no chromium binary on the PATH, so the report is not checked in a browser: install Debian's "
                        + "(apt-get install -y chromium) to run this check");
        return found.get();
    }

    private static boolean onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, name))) {
                return true;
            }
        }
        return false;
    }

    /** Runs headless Chromium with a fresh profile and nothing that reaches the network; returns its stdout. */
    private String headless(String chromium, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium")));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "chromium", ".log");
        Process p = new ProcessBuilder(cmd)
                .redirectError(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
