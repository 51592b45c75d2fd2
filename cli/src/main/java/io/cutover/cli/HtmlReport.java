package io.cutover.cli;

import io.cutover.CutoverException;
import io.cutover.event.Durations;
import io.cutover.fleet.Fleet;
import io.cutover.fleet.FleetEnvironment;
import io.cutover.fleet.FleetSummary;
import io.cutover.plan.StepSpec;
import io.cutover.state.RunState;
import io.cutover.state.StepState;
import io.cutover.state.StepStatus;
import io.cutover.step.kinds.StepKinds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A cutover, or a fleet, as one self-contained HTML page: inline CSS and SVG, no script or style from
 * anywhere else (its Content-Security-Policy forbids any fetch), so it can be mailed or attached to a change
 * ticket. A cutover's page has its timeline (a Gantt of its steps from their start and end times, the
 * downtime window, gates and waits hatched), its summary and what it kept or left behind; a fleet's page has
 * its waves and every environment's outcome and timeline.
 */
final class HtmlReport {
    private static final int LABEL = 210;
    private static final int CHART = 760;
    private static final int ROW = 22;

    private HtmlReport() {}

    static void write(Path file, String html) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CutoverException("cannot write the report to " + file + ": " + e.getMessage(), e);
        }
    }

    /** One bar of a timeline. */
    private record Bar(String label, Instant start, Instant end, String css, String title, boolean gate) {}

    /** A shaded window across every row of a timeline (the downtime). */
    private record Window(Instant start, Instant end, String label) {}

    static String ofRun(RunState s, boolean simulated) {
        Instant end = end(s);
        List<Bar> bars = new ArrayList<>();
        for (StepSpec spec : s.plan().inOrder()) {
            StepState st = s.steps().getOrDefault(spec.id().value(), StepState.pending());
            if (st.startedAt().isEmpty()) {
                bars.add(new Bar(spec.id().value(), null, null, "pending", title(spec, st, end), false));
                continue;
            }
            boolean gate = StepKinds.builtIn().rulesOf(spec).flags(spec).gate();
            bars.add(new Bar(
                    spec.id().value(),
                    st.startedAt().get(),
                    st.endedAt().orElse(end),
                    css(st.status()),
                    title(spec, st, end),
                    gate));
        }
        List<Window> windows = new ArrayList<>();
        s.downtimeStartedAt()
                .ifPresent(d -> windows.add(new Window(
                        d,
                        s.downtimeEndedAt().orElse(end),
                        "downtime " + Durations.format(s.downtime(end).orElseThrow()))));
        StringBuilder body = new StringBuilder();
        body.append("<h1>Cutover ")
                .append(esc(s.runId()))
                .append(" <span class=\"badge ")
                .append(css(s.status().name()))
                .append("\">")
                .append(esc(s.status().name()))
                .append("</span></h1>\n");
        body.append("<p class=\"sub\">environment <b>")
                .append(esc(s.plan().environment().name()))
                .append("</b>, blue stack <b>")
                .append(esc(s.plan().environment().stack()))
                .append("</b>")
                .append(simulated ? " &middot; rehearsed on the simulated cloud (virtual time)" : "")
                .append("</p>\n");
        body.append("<dl class=\"summary\">");
        item(body, "started", s.createdAt().toString());
        item(body, "ended", s.status().terminal() ? s.updatedAt().toString() : "(not yet: " + s.status() + ")");
        item(body, "duration", Durations.format(Duration.between(s.createdAt(), end)));
        item(
                body,
                "downtime",
                s.downtime(end).map(Durations::format).orElse("none")
                        + s.downtimeStartedAt().map(d -> " (from " + d + ")").orElse(""));
        item(
                body,
                "steps",
                s.steps().values().stream()
                                .filter(x -> x.status() == StepStatus.SUCCEEDED)
                                .count() + " of " + s.plan().steps().size() + " succeeded");
        s.failure().ifPresent(f -> item(body, "failure", f));
        body.append("</dl>\n<h2>Timeline</h2>\n");
        body.append(gantt(bars, windows, s.createdAt(), end));
        body.append("<p class=\"legend\"><span class=\"key succeeded\"></span>succeeded "
                + "<span class=\"key failed\"></span>failed "
                + "<span class=\"key compensated\"></span>undone "
                + "<span class=\"key running\"></span>running or waiting "
                + "<span class=\"key gate\"></span>gate or wait "
                + "<span class=\"key downtime\"></span>downtime "
                + "<span class=\"key fold\"></span>a long wait, folded (its length above it)</p>\n");
        body.append("<h2>Kept and left behind</h2>\n");
        if (s.report().isEmpty()) {
            body.append("<p>Nothing: every resource Cutover created is in use or was removed.</p>\n");
        } else {
            body.append("<ul class=\"report\">");
            s.report().forEach(r -> body.append("<li>").append(esc(r)).append("</li>"));
            body.append("</ul>\n");
        }
        body.append("<h2>Steps</h2>\n<table><tr><th>step</th><th>kind</th><th>status</th><th>started</th>"
                + "<th>took</th><th>detail</th></tr>\n");
        for (StepSpec spec : s.plan().inOrder()) {
            StepState st = s.steps().getOrDefault(spec.id().value(), StepState.pending());
            body.append("<tr class=\"step\" data-step=\"")
                    .append(esc(spec.id().value()))
                    .append("\"><td>")
                    .append(esc(spec.id().value()))
                    .append("</td><td>")
                    .append(esc(StepKinds.builtIn().of(spec).name()))
                    .append("</td><td class=\"")
                    .append(css(st.status()))
                    .append("\">")
                    .append(st.status())
                    .append("</td><td>")
                    .append(st.startedAt().map(Instant::toString).orElse(""))
                    .append("</td><td>")
                    .append(st.startedAt()
                            .map(a -> Durations.format(
                                    Duration.between(a, st.endedAt().orElse(end))))
                            .orElse(""))
                    .append("</td><td>")
                    .append(esc(st.error().orElse(st.progress())))
                    .append("</td></tr>\n");
        }
        body.append("</table>\n");
        return page("Cutover " + s.runId(), body.toString());
    }

    static String ofFleet(Fleet fleet, FleetSummary summary, Map<String, RunState> states, boolean simulated) {
        Instant start = null;
        Instant end = null;
        for (RunState s : states.values()) {
            start = start == null || s.createdAt().isBefore(start) ? s.createdAt() : start;
            Instant e = end(s);
            end = end == null || e.isAfter(end) ? e : end;
        }
        StringBuilder body = new StringBuilder();
        body.append("<h1>Fleet ").append(esc(fleet.id())).append("</h1>\n");
        body.append("<p class=\"sub\">")
                .append(fleet.environments().size())
                .append(" environments in ")
                .append(fleet.waveSizes().size())
                .append(" waves ")
                .append(esc(fleet.waveSizes().toString()))
                .append(simulated ? " &middot; rehearsed on the simulated cloud (virtual time)" : "")
                .append("</p>\n<dl class=\"summary\">");
        summary.counts().forEach((k, v) -> item(body, k.label(), String.valueOf(v)));
        summary.stopped().ifPresent(x -> item(body, "stopped", x));
        if (start != null) {
            item(body, "duration", Durations.format(Duration.between(start, end)));
        }
        body.append("</dl>\n<h2>Waves</h2>\n<table><tr><th>wave</th><th>size</th>");
        for (FleetSummary.State st : FleetSummary.State.values()) {
            body.append("<th>").append(esc(st.label())).append("</th>");
        }
        body.append("</tr>\n");
        for (int w = 0; w < fleet.waveSizes().size(); w++) {
            int wave = w;
            body.append("<tr class=\"wave\"><td>").append(w + 1).append("</td><td>");
            body.append(fleet.waveSizes().get(w)).append("</td>");
            for (FleetSummary.State st : FleetSummary.State.values()) {
                long n = summary.environments().stream()
                        .filter(l -> l.wave() == wave && l.state() == st)
                        .count();
                body.append("<td class=\"")
                        .append(n > 0 ? css(st.name()) : "")
                        .append("\">")
                        .append(n)
                        .append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n<h2>Timeline</h2>\n");
        List<Bar> bars = new ArrayList<>();
        List<Window> windows = new ArrayList<>();
        for (FleetEnvironment e : fleet.environments()) {
            RunState s = states.get(e.name());
            String label = "w" + (e.wave() + 1) + " " + e.name();
            if (s == null) {
                bars.add(new Bar(label, null, null, "pending", e.name() + ": not started", false));
                continue;
            }
            Instant se = end(s);
            bars.add(new Bar(
                    label,
                    s.createdAt(),
                    se,
                    css(s.status().name()),
                    e.name() + ": " + s.status() + ", " + Durations.format(Duration.between(s.createdAt(), se))
                            + s.downtime(se)
                                    .map(d -> ", downtime " + Durations.format(d))
                                    .orElse(""),
                    false));
        }
        if (start != null) {
            body.append(gantt(bars, windows, start, end));
        } else {
            body.append("<p>No environment has started.</p>\n");
        }
        body.append("<h2>Environments</h2>\n<table><tr><th>wave</th><th>environment</th><th>run</th><th>outcome</th>"
                + "<th>downtime</th><th>detail</th></tr>\n");
        for (FleetSummary.Line l : summary.environments()) {
            RunState s = states.get(l.environment());
            body.append("<tr class=\"environment\" data-environment=\"")
                    .append(esc(l.environment()))
                    .append("\"><td>")
                    .append(l.wave() + 1)
                    .append("</td><td>")
                    .append(esc(l.environment()))
                    .append("</td><td>")
                    .append(esc(l.runId()))
                    .append("</td><td class=\"")
                    .append(css(l.state().name()))
                    .append("\">")
                    .append(esc(l.state().label()))
                    .append("</td><td>")
                    .append(
                            s == null
                                    ? ""
                                    : s.downtime(end(s)).map(Durations::format).orElse(""))
                    .append("</td><td>")
                    .append(esc(l.detail()))
                    .append("</td></tr>\n");
        }
        body.append("</table>\n");
        return page("Fleet " + fleet.id(), body.toString());
    }

    private static Instant end(RunState s) {
        Instant end = s.updatedAt();
        for (StepState st : s.steps().values()) {
            if (st.endedAt().isPresent() && st.endedAt().get().isAfter(end)) {
                end = st.endedAt().get();
            }
        }
        return end;
    }

    private static void item(StringBuilder b, String k, String v) {
        b.append("<dt>").append(esc(k)).append("</dt><dd>").append(esc(v)).append("</dd>");
    }

    private static String title(StepSpec spec, StepState st, Instant end) {
        StringBuilder t = new StringBuilder(
                spec.id().value() + " [" + StepKinds.builtIn().of(spec).name() + "] " + st.status());
        st.startedAt()
                .ifPresent(a -> t.append(", ")
                        .append(a)
                        .append(" for ")
                        .append(Durations.format(
                                Duration.between(a, st.endedAt().orElse(end)))));
        String detail = st.error().orElse(st.progress());
        if (!detail.isEmpty()) {
            t.append(": ").append(detail);
        }
        return t.toString();
    }

    /** The timeline: one row a bar, time ticks along the top, the windows shaded across every row. */
    private static String gantt(List<Bar> bars, List<Window> windows, Instant start, Instant end) {
        long span = Math.max(1, Duration.between(start, end).toSeconds());
        Axis axis = Axis.of(bars, start, span);
        int height = 28 + bars.size() * ROW + 8;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"gantt\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(LABEL + CHART + 60)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(LABEL + CHART + 60)
                .append(' ')
                .append(height)
                .append("\" role=\"img\" aria-label=\"timeline\">\n")
                .append("<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
                        + "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fde68a\"/>"
                        + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#d97706\" stroke-width=\"3\"/>"
                        + "</pattern></defs>\n");
        long tick = tick(Math.max(1, span - axis.folded())).toSeconds();
        double lastLabel = -100;
        for (long t = 0; t <= span; t += tick) {
            if (axis.inFold(t)) {
                continue;
            }
            double x = axis.x(t);
            svg.append(String.format(
                    Locale.ROOT,
                    "<line class=\"grid\" x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" y2=\"%d\"/>",
                    x,
                    x,
                    height - 8));
            boolean nearFold = axis.folds().stream().anyMatch(f -> x > axis.x(f[0]) - 56 && x < axis.x(f[1]) + 4);
            if (x - lastLabel > 56 && !nearFold) {
                svg.append(String.format(
                        Locale.ROOT,
                        "<text class=\"axis\" x=\"%.1f\" y=\"14\">+%s</text>",
                        x,
                        esc(Durations.format(Duration.ofSeconds(t)))));
                lastLabel = x;
            }
            svg.append('\n');
        }
        for (long[] f : axis.folds()) {
            double x1 = axis.x(f[0]);
            double x2 = axis.x(f[1]);
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"fold\" x=\"%.1f\" y=\"20\" width=\"%.1f\" height=\"%d\"/>"
                            + "<text class=\"axis fold-label\" x=\"%.1f\" y=\"14\">%s</text>\n",
                    x1,
                    x2 - x1,
                    height - 28,
                    (x1 + x2) / 2,
                    esc(Durations.format(Duration.ofSeconds(f[1] - f[0])))));
        }
        for (Window w : windows) {
            double x1 = axis.x(w.start());
            double x2 = Math.max(x1 + 2, axis.x(w.end()));
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"downtime\" x=\"%.1f\" y=\"20\" width=\"%.1f\" height=\"%d\"><title>%s</title></rect>"
                            + "<text class=\"downtime-label\" x=\"%.1f\" y=\"%d\">%s</text>\n",
                    x1,
                    x2 - x1,
                    height - 28,
                    esc(w.label()),
                    x1 + 3,
                    height - 1,
                    esc(w.label())));
        }
        int y = 28;
        for (Bar b : bars) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<text class=\"label\" x=\"%d\" y=\"%d\">%s</text>",
                    LABEL - 8,
                    y + 14,
                    esc(b.label())));
            if (b.start() != null) {
                double x1 = axis.x(b.start());
                double x2 = Math.max(x1 + 3, axis.x(b.end()));
                svg.append(String.format(
                        Locale.ROOT,
                        "<rect class=\"bar %s%s\" data-step=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                                + "rx=\"3\"><title>%s</title></rect>",
                        b.css(),
                        b.gate() ? " gate" : "",
                        esc(b.label()),
                        x1,
                        y + 3,
                        x2 - x1,
                        ROW - 6,
                        esc(b.title())));
            } else {
                svg.append(String.format(
                        Locale.ROOT,
                        "<text class=\"not-run\" x=\"%d\" y=\"%d\">not run<title>%s</title></text>",
                        LABEL + 4,
                        y + 14,
                        esc(b.title())));
            }
            svg.append('\n');
            y += ROW;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /**
     * Time along the chart. A long stretch where only gates and waits run (a 24-hour bake beside 40 minutes of
     * work) is folded to a narrow band, so that the steps that did the work stay readable; the band says how
     * long it was.
     */
    private record Axis(Instant start, long span, List<long[]> folds, double scale) {
        private static final int FOLD_WIDTH = 70;

        static Axis of(List<Bar> bars, Instant start, long span) {
            List<long[]> work = new ArrayList<>();
            List<long[]> waits = new ArrayList<>();
            for (Bar b : bars) {
                if (b.start() == null) {
                    continue;
                }
                long[] iv = {secs(start, b.start()), secs(start, b.end())};
                (b.gate() ? waits : work).add(iv);
            }
            List<long[]> folds = new ArrayList<>();
            for (long[] w : waits) {
                List<long[]> free = new ArrayList<>(List.of(w));
                for (long[] k : work) {
                    List<long[]> next = new ArrayList<>();
                    for (long[] f : free) {
                        if (k[1] <= f[0] || k[0] >= f[1]) {
                            next.add(f);
                            continue;
                        }
                        if (k[0] > f[0]) {
                            next.add(new long[] {f[0], k[0]});
                        }
                        if (k[1] < f[1]) {
                            next.add(new long[] {k[1], f[1]});
                        }
                    }
                    free = next;
                }
                for (long[] f : free) {
                    boolean overlaps = folds.stream().anyMatch(o -> f[0] < o[1] && o[0] < f[1]);
                    if (!overlaps && f[1] - f[0] > span / 5) {
                        folds.add(f);
                    }
                }
            }
            folds.sort((a, b) -> Long.compare(a[0], b[0]));
            long folded = folds.stream().mapToLong(f -> f[1] - f[0]).sum();
            double scale = (CHART - (double) FOLD_WIDTH * folds.size()) / Math.max(1, span - folded);
            return new Axis(start, span, folds, scale);
        }

        private static long secs(Instant start, Instant at) {
            return Math.max(0, Duration.between(start, at).toSeconds());
        }

        long folded() {
            return folds.stream().mapToLong(f -> f[1] - f[0]).sum();
        }

        boolean inFold(long t) {
            return folds.stream().anyMatch(f -> t > f[0] && t < f[1]);
        }

        double x(Instant at) {
            return x(Math.min(span, secs(start, at)));
        }

        double x(long t) {
            double x = LABEL;
            long from = 0;
            for (long[] f : folds) {
                if (t <= f[0]) {
                    break;
                }
                x += (f[0] - from) * scale;
                if (t < f[1]) {
                    return x + FOLD_WIDTH * (double) (t - f[0]) / (f[1] - f[0]);
                }
                x += FOLD_WIDTH;
                from = f[1];
            }
            return x + (t - from) * scale;
        }
    }

    /** A round tick interval that gives at most ten ticks. */
    private static Duration tick(long spanSeconds) {
        long[] steps = {10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800};
        for (long s : steps) {
            if (spanSeconds / s <= 10) {
                return Duration.ofSeconds(s);
            }
        }
        return Duration.ofSeconds(spanSeconds / 10 + 1);
    }

    private static String css(StepStatus status) {
        return switch (status) {
            case SUCCEEDED -> "succeeded";
            case FAILED, COMPENSATION_FAILED -> "failed";
            case COMPENSATED, COMPENSATING, SKIPPED -> "compensated";
            case PENDING -> "pending";
            default -> "running";
        };
    }

    private static String css(String status) {
        return switch (status) {
            case "COMPLETED", "DONE", "SUCCEEDED" -> "succeeded";
            case "FAILED" -> "failed";
            case "ROLLED_BACK" -> "compensated";
            case "NOT_STARTED" -> "pending";
            default -> "running";
        };
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                + "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
                + "<meta name=\"generator\" content=\"cutover report\">\n"
                + "<title>" + esc(title) + "</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n" + body
                // counts the bars the browser laid out: a check that the page renders, for tests and people alike
                + "<p class=\"foot\" id=\"rendered\">written by cutover report</p>\n<script>\n"
                + "(function(){var n=0;document.querySelectorAll('rect.bar').forEach(function(r){"
                + "if(r.getBBox().width>0)n++;});var p=document.getElementById('rendered');"
                + "p.setAttribute('data-rendered-bars',String(n));})();\n</script>\n</body>\n</html>\n";
    }

    private static final String CSS = """
            body{font:14px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2937;margin:24px 32px;
              background:#fff}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px;border-bottom:1px solid #e5e7eb}
            .sub{color:#6b7280;margin:0 0 12px}
            .badge{font-size:12px;padding:2px 8px;border-radius:10px;vertical-align:middle;color:#fff}
            .badge.succeeded{background:#16a34a}.badge.failed{background:#dc2626}.badge.compensated{background:#6b7280}
            .badge.running{background:#d97706}
            dl.summary{display:grid;grid-template-columns:max-content auto;gap:2px 16px;margin:0}
            dt{color:#6b7280}dd{margin:0}
            table{border-collapse:collapse;font-size:13px}td,th{padding:3px 10px;border-bottom:1px solid #f3f4f6;
              text-align:left;vertical-align:top}th{color:#6b7280;font-weight:600}
            td.succeeded{color:#15803d}td.failed{color:#b91c1c;font-weight:600}td.compensated{color:#6b7280}
            td.running{color:#b45309}
            svg.gantt{display:block;max-width:100%;height:auto}
            .grid{stroke:#e5e7eb}.axis{font-size:11px;fill:#6b7280}
            .label{font-size:12px;text-anchor:end;fill:#374151}.not-run{font-size:11px;fill:#9ca3af}
            rect.bar.succeeded{fill:#22c55e}rect.bar.failed{fill:#ef4444}rect.bar.compensated{fill:#9ca3af}
            rect.bar.running{fill:#f59e0b}rect.bar.gate{fill:url(#hatch);stroke:#d97706}
            rect.downtime{fill:#ef4444;fill-opacity:.12;stroke:#ef4444;stroke-opacity:.5;stroke-dasharray:4 3}
            .downtime-label{font-size:11px;fill:#b91c1c}
            rect.fold{fill:#f3f4f6}.fold-label{text-anchor:middle;font-style:italic}
            .legend{font-size:12px;color:#6b7280}.key{display:inline-block;width:12px;height:10px;margin:0 4px 0 12px;
              border-radius:2px}.key.succeeded{background:#22c55e}.key.failed{background:#ef4444}
            .key.compensated{background:#9ca3af}.key.running{background:#f59e0b}
            .key.gate{background:repeating-linear-gradient(45deg,#fde68a 0 3px,#d97706 3px 5px)}
            .key.downtime{background:rgba(239,68,68,.15);border:1px dashed #ef4444}.key.fold{background:#f3f4f6}
            ul.report{margin:0;padding-left:20px}.foot{color:#9ca3af;font-size:11px;margin-top:24px}
            """;
}
