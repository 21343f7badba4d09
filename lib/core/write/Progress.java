package io.datasette.dclient.core.write;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Locale;

/**
 * The insert/upsert progress line on stderr: {@code Inserting rows  [#####-----]  42%  12,300
 * rows  4,100 rows/s}, redrawn in place at most every 100 ms. The bar needs the input size and
 * is left out for stdin; it shows the bytes of the input that the rows the server has committed
 * came from (see {@link WriteJob#onProgress}), not how far reading has got, which is ahead by a
 * buffer (all of a small file) and by the batches in flight. {@link #NONE} draws nothing (stderr
 * is not a terminal, or --silent). {@link #update} may be called from the thread that sends the
 * requests; once {@link #end}ed, updates are ignored.
 */
public class Progress {
    public static final Progress NONE = new Progress(null, null, "", -1) {
        @Override
        public void update(long rows, long bytes) {}

        @Override
        public void end(boolean success) {}
    };

    private static final int WIDTH = 36;
    private final PrintStream err;
    private final Clock clock;
    private final String label;
    private final long totalBytes;
    private final long start;
    private long lastDraw = Long.MIN_VALUE;
    private int lastLength;
    private long rows;
    private long bytes;
    private boolean ended;

    /** {@code totalBytes}: the input's size, or -1 when unknown (no bar). */
    public Progress(PrintStream err, Clock clock, String label, long totalBytes) {
        this.err = err;
        this.clock = clock;
        this.label = label;
        this.totalBytes = totalBytes;
        this.start = clock == null ? 0 : clock.millis();
    }

    /** Rows committed so far, and the bytes of the input they came from (-1: unknown). */
    public synchronized void update(long rows, long bytes) {
        if (ended) return;
        this.rows = rows;
        this.bytes = Math.max(0, bytes);
        long now = clock.millis();
        if (lastDraw != Long.MIN_VALUE && now - lastDraw < 100) return;
        draw(now, false);
    }

    /** Draws the final state and ends the line. */
    public synchronized void end(boolean success) {
        if (ended) return;
        ended = true;
        if (lastDraw == Long.MIN_VALUE && !success) return;
        draw(clock.millis(), success);
        err.print('\n');
        err.flush();
    }

    String line(long now, boolean complete) {
        StringBuilder sb = new StringBuilder(label);
        if (totalBytes > 0) {
            double fraction = complete ? 1.0 : Math.min(1.0, (double) bytes / totalBytes);
            int filled = (int) Math.round(fraction * WIDTH);
            sb.append("  [").append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("]  ")
                    .append(String.format(Locale.ROOT, "%3d%%", (int) Math.floor(fraction * 100)));
        }
        sb.append("  ").append(String.format(Locale.ROOT, "%,d", rows)).append(rows == 1 ? " row" : " rows");
        double seconds = (now - start) / 1000.0;
        if (seconds > 0) {
            sb.append("  ").append(String.format(Locale.ROOT, "%,d", Math.round(rows / seconds))).append(" rows/s");
        }
        return sb.toString();
    }

    private void draw(long now, boolean complete) {
        String line = line(now, complete);
        int pad = Math.max(0, lastLength - line.length());
        err.print("\r" + line + " ".repeat(pad));
        err.flush();
        lastLength = line.length();
        lastDraw = now;
    }
}
