package io.datasette.dclient.core.write;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The insert/upsert progress line on stderr: {@code Inserting rows  [#####-----]  42%  12,300
 * rows  4,100 rows/s}, redrawn in place at most every 100 ms. The bar needs the input size and
 * is left out for stdin. {@link #NONE} draws nothing (stderr is not a terminal, or --silent).
 * {@link #update} may be called from the thread that sends the requests; once {@link #end}ed,
 * updates are ignored.
 */
public class Progress {
    public static final Progress NONE = new Progress(null, null, "", -1, () -> 0) {
        @Override
        public void update(long rows) {}

        @Override
        public void end(boolean success) {}
    };

    private static final int WIDTH = 36;
    private final PrintStream err;
    private final Clock clock;
    private final String label;
    private final long totalBytes;
    private final LongSupplier bytesRead;
    private final long start;
    private long lastDraw = Long.MIN_VALUE;
    private int lastLength;
    private long rows;
    private boolean ended;

    public Progress(PrintStream err, Clock clock, String label, long totalBytes, LongSupplier bytesRead) {
        this.err = err;
        this.clock = clock;
        this.label = label;
        this.totalBytes = totalBytes;
        this.bytesRead = bytesRead;
        this.start = clock == null ? 0 : clock.millis();
    }

    public synchronized void update(long rows) {
        if (ended) return;
        this.rows = rows;
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
            double fraction = complete ? 1.0 : Math.min(1.0, (double) bytesRead.getAsLong() / totalBytes);
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
