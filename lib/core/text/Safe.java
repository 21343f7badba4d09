package io.datasette.dclient.core.text;

import java.util.Locale;

/**
 * Text from outside (a server's error message, a URL someone typed) made safe to print: no
 * terminal escape sequences or control characters, a readable length, and no password from a
 * URL's user info. Core code has no command line, so this is where both faces get it.
 */
public final class Safe {
    /** How many characters of a server's message a one-line error quotes. */
    public static final int MESSAGE_CHARS = 300;

    private static final char ESC = 0x1B;

    private Safe() {}

    /**
     * Text safe to print to a terminal: {@code null} becomes empty; newline, carriage return and
     * tab become {@code \n}, {@code \r} and {@code \t}; whole ANSI/ECMA-48 escape sequences (CSI
     * such as colours and cursor moves, OSC such as titles and hyperlinks, DCS/SOS/PM/APC
     * strings, and two-character escapes; 7-bit or C1) are dropped; any other C0 control, DEL or
     * C1 control (U+0080 to U+009F) becomes {@code \xNN}. The result contains no character
     * below U+0020 nor in U+007F to U+009F. (The same rule as the table writer's cells.)
     */
    public static String clean(String s) {
        if (s == null) return "";
        int first = -1;
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i))) {
                first = i;
                break;
            }
        }
        if (first < 0) return s;
        StringBuilder sb = new StringBuilder(s.length() + 8);
        sb.append(s, 0, first);
        int i = first;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (!isControl(c)) {
                sb.append(c);
                i++;
                continue;
            }
            int end = sequenceEnd(s, i);
            if (end > i) {
                i = end;
                continue;
            }
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            }
            i++;
        }
        return sb.toString();
    }

    /**
     * One line of at most {@code max} characters (plus "…" when cut) for a message: line
     * breaks and tabs become single spaces, the rest as {@link #clean}, surrounding space
     * stripped. {@code null} stays null.
     */
    public static String line(String s, int max) {
        if (s == null) return null;
        String flat = clean(s.replaceAll("\\s*[\\r\\n\\t]\\s*", " ")).strip();
        return truncate(flat, max);
    }

    /** {@link #line(String, int)} with {@link #MESSAGE_CHARS}. */
    public static String line(String s) {
        return line(s, MESSAGE_CHARS);
    }

    /** At most {@code max} characters (a surrogate pair is never split), then "…" when cut. */
    public static String truncate(String s, int max) {
        if (s == null || s.length() <= max) return s;
        int end = Math.max(0, max);
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end) + "…";
    }

    /**
     * The text with the password of every URL in it masked: {@code http://user:secret@host/}
     * becomes {@code http://user:***@host/}, and user info without a password (which may be a
     * token: {@code https://TOKEN@host}) becomes {@code ***}. Anything else is unchanged.
     */
    public static String maskUrls(String text) {
        if (text == null || text.indexOf('@') < 0 || !text.contains("://")) return text;
        StringBuilder sb = new StringBuilder(text.length());
        int from = 0;
        for (int sep = text.indexOf("://"); sep >= 0; sep = text.indexOf("://", from)) {
            int start = sep + 3;
            int end = start;
            while (end < text.length() && !authorityEnds(text.charAt(end))) end++;
            int at = text.lastIndexOf('@', end - 1);
            sb.append(text, from, start);
            if (at >= start) {
                String info = text.substring(start, at);
                int colon = info.indexOf(':');
                sb.append(colon >= 0 ? info.substring(0, colon + 1) + "***" : "***");
                sb.append(text, at, end);
            } else {
                sb.append(text, start, end);
            }
            from = end;
        }
        return sb.append(text, from, text.length()).toString();
    }

    /** {@link #maskUrls} of one URL (or of anything whose string form may hold one). */
    public static String maskUrl(Object url) {
        return url == null ? null : maskUrls(url.toString());
    }

    private static boolean authorityEnds(char c) {
        // not ' ) , ; which a password may hold (sub-delims): better to mask too much than too little
        return c == '/' || c == '?' || c == '#' || c == '"' || c == '<' || c == '>' || c == '\\'
                || Character.isWhitespace(c) || isControl(c);
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F);
    }

    /**
     * Where the escape sequence starting at {@code start} ends (exclusive), or -1 when none
     * starts there or it is malformed or unterminated (its introducer is then shown escaped and
     * the rest as text).
     */
    private static int sequenceEnd(String s, int start) {
        int n = s.length();
        char c = s.charAt(start);
        int i = start + 1;
        char kind;
        if (c == ESC) {
            if (i >= n) return -1;
            char next = s.charAt(i);
            if (next == '[' || next == ']' || next == 'P' || next == 'X' || next == '^' || next == '_') {
                kind = next;
                i++;
            } else {
                // ESC, intermediates 0x20-0x2F, a final byte 0x30-0x7E (ESC 7, ESC ( B, ESC c ...)
                while (i < n && s.charAt(i) >= 0x20 && s.charAt(i) <= 0x2F) i++;
                return i < n && s.charAt(i) >= 0x30 && s.charAt(i) <= 0x7E ? i + 1 : -1;
            }
        } else {
            switch (c) {
                case 0x9B -> kind = '[';
                case 0x9D -> kind = ']';
                case 0x90 -> kind = 'P';
                case 0x98 -> kind = 'X';
                case 0x9E -> kind = '^';
                case 0x9F -> kind = '_';
                default -> {
                    return -1;
                }
            }
        }
        if (kind == '[') {
            // CSI: parameters 0x30-0x3F, intermediates 0x20-0x2F, a final byte 0x40-0x7E
            while (i < n && s.charAt(i) >= 0x30 && s.charAt(i) <= 0x3F) i++;
            while (i < n && s.charAt(i) >= 0x20 && s.charAt(i) <= 0x2F) i++;
            return i < n && s.charAt(i) >= 0x40 && s.charAt(i) <= 0x7E ? i + 1 : -1;
        }
        // a control string, closed by ST (ESC \ or U+009C) or BEL
        for (; i < n; i++) {
            char d = s.charAt(i);
            if (d == 0x07 || d == 0x9C) return i + 1;
            if (d == ESC && i + 1 < n && s.charAt(i + 1) == '\\') return i + 2;
        }
        return -1;
    }
}
