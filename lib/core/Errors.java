package io.datasette.dclient.core;

import io.datasette.dclient.core.text.Safe;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collection;
import java.util.List;

/**
 * The one place that turns a failure into text for a person. A {@link DclientException} shows
 * its message (which may have several lines); anything else shows as {@code Type: first line};
 * an HTTP header Java refused (a token with a character headers cannot carry) gets its own
 * message, because Java's text repeats the whole header value. Every result is
 * {@linkplain Secrets#mask masked} and has no control characters but line breaks
 * ({@link #printable}), so a server's text cannot move the cursor or recolour the terminal.
 */
public final class Errors {
    private Errors() {}

    /**
     * The message for {@code e}, its advice in a face's {@code words} (null: as the exception
     * words it), masked with the secrets in {@code known} (may be empty).
     */
    public static String describe(Throwable e, Collection<String> known, Advice.Words<String> words) {
        return printable(Secrets.mask(raw(e, words), known));
    }

    public static String describe(Throwable e) {
        return describe(e, List.of(), null);
    }

    private static String raw(Throwable e, Advice.Words<String> words) {
        if (refusedHeader(e) != null) {
            return "Cannot send the request: a header value (usually the token) has characters HTTP headers cannot"
                    + " carry. A token is visible ASCII without spaces or line breaks; check the token given, the"
                    + " DATASETTE_TOKEN environment variable and the tokens stored in auth.json.";
        }
        if (e instanceof DclientException d) {
            String m = words != null ? d.message(words) : d.getMessage();
            return m == null ? "Failed." : m;
        }
        String msg = e.getMessage();
        String kind = e.getClass().getSimpleName();
        if (e instanceof OutOfMemoryError) return "Out of memory (" + msg + ")";
        return msg == null || msg.isBlank() ? kind : kind + ": " + msg.lines().findFirst().orElse("");
    }

    /** The IllegalArgumentException in {@code e}'s causes for a header value Java refused, or null. */
    static Throwable refusedHeader(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IllegalArgumentException && t.getMessage() != null
                    && t.getMessage().startsWith("invalid header value")) {
                return t;
            }
        }
        return null;
    }

    /** {@code e}'s stack trace (with causes), masked: for {@code --debug}, still not safe to paste. */
    public static String stackTrace(Throwable e, Collection<String> known) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        return printable(Secrets.mask(w.toString(), known));
    }

    /**
     * {@code s} safe for a terminal, line by line ({@link Safe#clean}: escape sequences dropped,
     * other control characters shown as {@code \xNN}), keeping its line breaks and tabs.
     */
    public static String printable(String s) {
        if (s == null) return null;
        StringBuilder sb = new StringBuilder(s.length());
        String[] lines = s.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) sb.append('\n');
            String[] cells = lines[i].split("\t", -1);
            for (int j = 0; j < cells.length; j++) sb.append(j > 0 ? "\t" : "").append(Safe.clean(cells[j]));
        }
        return sb.toString();
    }
}
