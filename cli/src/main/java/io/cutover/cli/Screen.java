package io.cutover.cli;

import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.InfoCmp.Capability;

/**
 * The bottom of a terminal as a block that is redrawn in place, with lines printed above it that stay.
 * Every line is cut to one column less than the terminal's width, so the terminal never wraps one: a
 * wrapped line would leave the cursor one row lower than counted, and each redraw would leave a stray
 * header behind. The block is also cut to the terminal's height, since the cursor cannot move above the top.
 */
final class Screen {
    private final Terminal terminal;
    private final boolean color;
    private final String ellipsis;
    private int drawn;

    Screen(Terminal terminal, boolean color) {
        this.terminal = terminal;
        this.color = color;
        this.ellipsis = java.nio.charset.StandardCharsets.UTF_8.equals(terminal.encoding()) ? "\u2026" : "~";
    }

    /** Width and height, as the terminal reports them now (it may have been resized). */
    int width() {
        int w = terminal.getWidth();
        return w <= 0 ? 80 : w;
    }

    int height() {
        int h = terminal.getHeight();
        return h <= 0 ? 24 : h;
    }

    /** Erases the block, prints {@code above} (kept), then draws {@code block}. */
    synchronized void draw(List<AttributedString> above, List<AttributedString> block) {
        int width = width();
        erase();
        var w = terminal.writer();
        for (AttributedString line : above) {
            w.print(fit(line, width));
            w.print('\n');
        }
        int max = Math.max(1, height() - 1);
        List<AttributedString> shown = block.size() > max ? block.subList(block.size() - max, block.size()) : block;
        for (AttributedString line : shown) {
            w.print(fit(line, width));
            w.print('\n');
        }
        drawn = shown.size();
        w.flush();
    }

    /** Leaves the block as it is, as ordinary lines: what is printed next goes below it. */
    synchronized void release() {
        drawn = 0;
        terminal.writer().flush();
    }

    private void erase() {
        if (drawn == 0) {
            return;
        }
        terminal.puts(Capability.carriage_return);
        if (!terminal.puts(Capability.parm_up_cursor, drawn)) {
            for (int i = 0; i < drawn; i++) {
                terminal.puts(Capability.cursor_up);
            }
        }
        terminal.puts(Capability.clr_eos);
        drawn = 0;
    }

    /** The line cut to {@code width - 1} columns (an ellipsis where it was cut; {@code ~} when the terminal cannot show one), in colour or not. */
    String fit(AttributedString line, int width) {
        int max = Math.max(1, width - 1);
        AttributedString cut = line;
        if (line.columnLength() > max) {
            cut = new AttributedStringBuilder()
                    .append(line.columnSubSequence(0, max - 1))
                    .append(ellipsis)
                    .toAttributedString();
        }
        return color ? cut.toAnsi(terminal) : cut.toString();
    }
}
