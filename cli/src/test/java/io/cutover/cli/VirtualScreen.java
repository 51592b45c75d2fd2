package io.cutover.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * A pseudo-terminal for tests: a JLine terminal of a set size (xterm's capabilities) whose output is fed to a
 * small VT100 screen model that moves the cursor, clears and wraps as a terminal does, and records every time a
 * line reached the last column (where a real terminal would wrap it).
 */
final class VirtualScreen implements AutoCloseable {
    final int width;
    final int height;
    final Terminal terminal;
    final StringWriter err = new StringWriter();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Model model;
    private int fed;

    VirtualScreen(int width, int height) {
        this.width = width;
        this.height = height;
        try {
            terminal = TerminalBuilder.builder()
                    .system(false)
                    .streams(new ByteArrayInputStream(new byte[0]), bytes)
                    .size(new Size(width, height))
                    .type("xterm-256color")
                    .encoding(StandardCharsets.UTF_8)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        model = new Model(width);
    }

    /** A console on this terminal; {@code env} stands for the process's environment (NO_COLOR). */
    Console console(Map<String, String> env, io.cutover.engine.Scheduler scheduler) {
        return Console.terminal(terminal, new PrintWriter(err, true), env, scheduler);
    }

    /** Everything written so far, escape sequences included. */
    synchronized String raw() {
        terminal.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The screen's lines (and the lines scrolled above it), after feeding it what was written since last time. */
    synchronized List<String> lines() {
        String all = raw();
        model.feed(all.substring(fed));
        fed = all.length();
        return model.lines();
    }

    /** The most columns any line used. */
    synchronized int widest() {
        lines();
        return model.widest;
    }

    /** How many times a character was written in the last column, which makes a real terminal wrap. */
    synchronized int wraps() {
        lines();
        return model.wraps;
    }

    /** The screen model: rows (scrolled ones kept), the cursor, and what reached the last column. */
    static final class Model {
        final int width;
        final List<StringBuilder> rows = new ArrayList<>();
        int row;
        int col;
        int widest;
        int wraps;

        Model(int width) {
            this.width = width;
            rows.add(new StringBuilder());
        }

        /** The model after {@code raw} was written to a fresh screen. */
        static Model of(String raw, int width) {
            Model m = new Model(width);
            m.feed(raw);
            return m;
        }

        List<String> lines() {
            List<String> out = new ArrayList<>();
            rows.forEach(r -> out.add(r.toString().stripTrailing()));
            while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
                out.remove(out.size() - 1);
            }
            return out;
        }

        void feed(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\033') {
                    i = escape(s, i);
                } else if (c == '\n') {
                    row++;
                    col = 0;
                    while (rows.size() <= row) {
                        rows.add(new StringBuilder());
                    }
                } else if (c == '\r') {
                    col = 0;
                } else if (c >= ' ') {
                    if (col >= width - 1) {
                        wraps++;
                    }
                    if (col >= width) {
                        row++;
                        col = 0;
                        while (rows.size() <= row) {
                            rows.add(new StringBuilder());
                        }
                    }
                    StringBuilder r = rows.get(row);
                    while (r.length() < col) {
                        r.append(' ');
                    }
                    if (r.length() == col) {
                        r.append(c);
                    } else {
                        r.setCharAt(col, c);
                    }
                    col++;
                    widest = Math.max(widest, col);
                }
            }
        }

        /** Applies one escape sequence; returns the index of its last character. */
        private int escape(String s, int i) {
            if (i + 1 >= s.length()) {
                return i;
            }
            if (s.charAt(i + 1) != '[') {
                return i + 1; // ESC ( B and the like: nothing on the screen changes
            }
            int j = i + 2;
            while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == ';' || s.charAt(j) == '?')) {
                j++;
            }
            String params = s.substring(i + 2, j).replace("?", "");
            int n = params.isEmpty() || params.contains(";") ? 1 : Integer.parseInt(params);
            char command = s.charAt(j);
            switch (command) {
                case 'A' -> row = Math.max(0, row - n);
                case 'B' -> row += n;
                case 'C' -> col += n;
                case 'D' -> col = Math.max(0, col - n);
                case 'J' -> {
                    StringBuilder r = rows.get(row);
                    if (r.length() > col) {
                        r.setLength(col);
                    }
                    while (rows.size() > row + 1) {
                        rows.remove(rows.size() - 1);
                    }
                }
                case 'K' -> {
                    StringBuilder r = rows.get(row);
                    if (r.length() > col) {
                        r.setLength(col);
                    }
                }
                default -> {} // colours (m) and modes
            }
            while (rows.size() <= row) {
                rows.add(new StringBuilder());
            }
            return j;
        }
    }

    @Override
    public void close() throws IOException {
        terminal.close();
    }
}
