package io.datasette.dclient.core.text;

import java.util.Locale;
import java.util.regex.Pattern;

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
     * C1 control (U+0080 to U+009F) becomes {@code \xNN}; a bidirectional control (U+202A to
     * U+202E, U+2066 to U+2069, U+200E, U+200F, U+061C), which would reorder what follows it on
     * the line, and the line and paragraph separators U+2028 and U+2029 become &#92;u and four hex digits.
     * The result contains none of these characters. (The same rule as the table writer's cells.)
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
                default -> sb.append(String.format(Locale.ROOT, c < 0x100 ? "\\x%02x" : "\\u%04x", (int) c));
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
     * token: {@code https://TOKEN@host}) becomes {@code ***}. Anything else is unchanged. Text
     * that is a single URL and nothing else is read as one URL, even an invalid one
     * ({@link #maskOneUrl}); in other text a URL ends at a space.
     */
    public static String maskUrls(String text) {
        if (text == null || text.indexOf('@') < 0 || !text.contains("://")) return text;
        if (ONE_URL.matcher(text).matches() && text.indexOf("://", text.indexOf("://") + 3) < 0) return maskOneUrl(text);
        StringBuilder sb = new StringBuilder(text.length());
        int from = 0;
        for (int sep = text.indexOf("://"); sep >= 0; sep = text.indexOf("://", from)) {
            int start = sep + 3;
            int end = start;
            while (end < text.length() && !authorityEnds(text.charAt(end))) end++;
            int at = text.lastIndexOf('@', end - 1);
            sb.append(text, from, start);
            if (at >= start) {
                sb.append(maskedUserInfo(text.substring(start, at)));
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

    /** Text that is one URL and nothing else (what a user typed, valid or not). */
    private static final Pattern ONE_URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\r\\n]*");
    /** An authority without user info: a host (an IPv6 literal in brackets) and maybe a port. */
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]*\\]|[^\\s:@\\[\\]]*)(:[0-9]*)?");

    /**
     * One URL, as typed: its authority runs to the first {@code /}, {@code ?} or {@code #} (a
     * space does not end it: {@code http://user:PASS WORD@host/}), and its user info to the last
     * {@code @} in it. When the authority is no host at all, the password itself holds one of
     * those ({@code http://user:pa/ss@host/}): then everything up to the string's last {@code @}
     * is user info. Masking too much of a URL that is not valid anyway is the lesser harm.
     */
    private static String maskOneUrl(String url) {
        int start = url.indexOf("://") + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) end++;
        int at = url.lastIndexOf('@', end - 1);
        if (at < start && !HOST_PORT.matcher(url.substring(start, end)).matches()) at = url.lastIndexOf('@');
        if (at < start) return url;
        return url.substring(0, start) + maskedUserInfo(url.substring(start, at)) + url.substring(at);
    }

    /** {@code user:***}, or {@code ***} for a lone name (which may be a token). */
    private static String maskedUserInfo(String info) {
        int colon = info.indexOf(':');
        return colon >= 0 ? info.substring(0, colon + 1) + "***" : "***";
    }

    private static boolean authorityEnds(char c) {
        // not ' ) , ; which a password may hold (sub-delims): better to mask too much than too little
        return c == '/' || c == '?' || c == '#' || c == '"' || c == '<' || c == '>' || c == '\\'
                || Character.isWhitespace(c) || isControl(c);
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x61C && isFormatControl(c));
    }

    /** The bidirectional controls, and the line and paragraph separators (a line break no newline shows). */
    private static boolean isFormatControl(char c) {
        return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x2028 || c == 0x2029;
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
