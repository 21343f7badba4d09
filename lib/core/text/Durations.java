package io.datasette.dclient.core.text;

import java.time.Duration;

/** Durations as people write them, in the two precisions messages need. */
public final class Durations {
    private Durations() {}

    /** A lifetime someone chose: "15 minutes", "1 hour", "30 days"; whole units when they fit, else the nearest minute. */
    public static String exact(Duration d) {
        long s = d.getSeconds();
        if (s >= 86400 && s % 86400 == 0) return plural(s / 86400, "day");
        if (s >= 3600 && s % 3600 == 0) return plural(s / 3600, "hour");
        if (s >= 60 && s % 60 == 0) return plural(s / 60, "minute");
        if (s >= 60) return "about " + plural(Math.round(s / 60.0), "minute");
        return plural(s, "second");
    }

    /**
     * A time limit as {@code --timeout} takes it, in seconds: "30 s", "0.2 s" (the same
     * figures as the HTTP client's time-out messages).
     */
    public static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString() + " s";
    }

    /** Time left or past, roughly: "less than a minute", "5 minutes", "3 hours", "2 days". */
    public static String rough(long seconds) {
        if (seconds < 60) return "less than a minute";
        if (seconds < 3600) return plural(seconds / 60, "minute");
        if (seconds < 48 * 3600) return plural(seconds / 3600, "hour");
        return plural(seconds / 86400, "day");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
