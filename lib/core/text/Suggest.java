package io.datasette.dclient.core.text;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean ...?": the known word closest to a mistyped one. */
public final class Suggest {
    private Suggest() {}

    /**
     * The candidate nearest to {@code word} (ignoring case) when at most {@code maxEdits} edits
     * away and fewer edits than the word is long; null when nothing is that close. The first of
     * equally near candidates wins.
     */
    public static String closest(String word, Collection<String> candidates, int maxEdits) {
        String lower = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(lower, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return bestDistance <= maxEdits && bestDistance < lower.length() ? best : null;
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
            }
            prev = cur;
        }
        return prev[b.length()];
    }
}
