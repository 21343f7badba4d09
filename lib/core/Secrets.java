package io.datasette.dclient.core;

import io.datasette.dclient.core.text.Safe;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides secrets in text meant for people (error messages, {@code -v} lines, stack traces):
 * the values of known tokens, anything token-shaped ({@code dstok_...}, {@code Bearer xxx},
 * a long random-looking string after a word such as {@code token} or {@code password}) and
 * the userinfo of URLs ({@code https://user:PASSWORD@host} becomes {@code https://user:***@host}).
 * Each becomes {@value #MASK}. Masking is best effort and never throws; text that is already
 * masked stays as it is.
 */
public final class Secrets {
    public static final String MASK = "***";

    /** Known secrets shorter than this are not masked: they would blot out ordinary words. */
    static final int MIN_KNOWN_LENGTH = 4;

    /** A piece of a known secret this long is masked wherever it appears (a token cut short, or re-encoded around it). */
    static final int PIECE = 8;

    /** Datasette's signed tokens; the value runs to whitespace, a quote or closing punctuation. */
    private static final Pattern DSTOK = Pattern.compile("dstok_[^\\s\"'<>,;)\\]}]+");
    /** An Authorization value inside quotes (Java's "invalid header value" message): to the closing quote. */
    private static final Pattern QUOTED_AUTH = Pattern.compile("(?i)([\"'])(bearer|basic)\\s+[^\"'\\r\\n]*");
    private static final Pattern AUTH = Pattern.compile("(?i)\\b(bearer|basic)(\\s+)([^\\s\"',;)\\]}>]+)");
    /** Words that may follow "Bearer" in prose ("a bearer token") and are not secrets. */
    private static final Pattern AUTH_PROSE = Pattern.compile("(?i)\\*+|tokens?|auth|authentication|authorization|header|scheme");
    /** A secret-naming word, then {@code =}, {@code :} or spaces, then the value. */
    private static final Pattern NAMED = Pattern.compile(
            "(?i)\\b([a-z_\\-]*(?:token|secret|password|passwd|api[_\\-]?key|device_code))"
                    + "(\"?\\s*[:=]\\s*\"?|\\s+)([A-Za-z0-9._~+/=\\-]{16,})");

    private Secrets() {}

    /** {@code text} with token- and credential-shaped parts masked; null stays null. */
    public static String mask(String text) {
        return mask(text, List.of());
    }

    /**
     * {@code text} with every value in {@code known} (the tokens in use: {@code --token},
     * {@code DATASETTE_TOKEN}, auth.json...) and everything token- or credential-shaped masked.
     */
    public static String mask(String text, Collection<String> known) {
        if (text == null || text.isEmpty()) return text;
        String s = maskKnown(text, known);
        s = maskUserInfo(s);
        s = replace(DSTOK, s, m -> "dstok_" + MASK);
        s = replace(QUOTED_AUTH, s, m -> m.group(1) + m.group(2) + " " + MASK);
        s = replace(AUTH, s, m -> AUTH_PROSE.matcher(m.group(3)).matches() ? m.group() : m.group(1) + m.group(2) + MASK);
        s = replace(NAMED, s, m -> randomLooking(m.group(3)) ? m.group(1) + m.group(2) + MASK : m.group());
        return s;
    }

    /**
     * {@code out} with each line {@linkplain #mask(String, Collection) masked} before it is
     * written: for {@code -v} lines, which show what a server chose (a {@code next_url} to
     * follow, a content type). Null stays null.
     */
    public static PrintStream masking(PrintStream out, Collection<String> known) {
        if (out == null) return null;
        List<String> secrets = known == null ? List.of() : known.stream().filter(java.util.Objects::nonNull).toList();
        OutputStream lines = new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                line.write(b);
                if (b == '\n') flushLine();
            }

            @Override
            public void flush() {
                flushLine();
                out.flush();
            }

            private void flushLine() {
                if (line.size() == 0) return;
                out.print(mask(line.toString(StandardCharsets.UTF_8), secrets));
                line.reset();
            }
        };
        return new PrintStream(lines, true, StandardCharsets.UTF_8);
    }

    /**
     * The URLs in {@code text} without the secret part of their userinfo: {@code user:password@}
     * becomes {@code user:***@}, a lone {@code name@} (which may itself be a token) {@code ***@}.
     */
    public static String maskUserInfo(String text) {
        return Safe.maskUrls(text); // the HTTP layer's rule, so messages and -v lines agree
    }

    /** Mixed letters and digits (or very long): a key, not a word like "expired" or a path. */
    static boolean randomLooking(String v) {
        if (v.equals(MASK)) return false;
        boolean letter = false;
        boolean digit = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            letter |= Character.isLetter(c);
            digit |= Character.isDigit(c);
        }
        return (letter && digit) || v.length() >= 32;
    }

    /**
     * {@code text} with every run of characters that is a known secret, or an encoded form of
     * one, or a piece of either at least {@value #PIECE} characters long, replaced by
     * {@value #MASK}; letter case does not matter. A server that echoes a token may cut it
     * ({@code Invalid token abcdefgh…}), encode it or change its case; each of those still
     * gives most of it away.
     */
    private static String maskKnown(String text, Collection<String> known) {
        List<String> forms = forms(known);
        if (forms.isEmpty()) return text;
        String lower = lower(text);
        boolean[] hit = new boolean[text.length()];
        Set<String> pieces = new HashSet<>();
        for (String f : forms) {
            if (f.length() >= PIECE) {
                for (int i = 0; i + PIECE <= f.length(); i++) pieces.add(f.substring(i, i + PIECE));
            } else {
                for (int i = lower.indexOf(f); i >= 0; i = lower.indexOf(f, i + 1)) Arrays.fill(hit, i, i + f.length(), true);
            }
        }
        if (!pieces.isEmpty()) {
            for (int i = 0; i + PIECE <= lower.length(); i++) {
                if (pieces.contains(lower.substring(i, i + PIECE))) Arrays.fill(hit, i, i + PIECE, true);
            }
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            if (!hit[i]) {
                if (sb != null) sb.append(text.charAt(i));
                continue;
            }
            if (sb == null) sb = new StringBuilder(text.length()).append(text, 0, i);
            sb.append(MASK);
            while (i + 1 < text.length() && hit[i + 1]) i++;
        }
        return sb == null ? text : sb.toString();
    }

    /**
     * The known secrets worth masking and the forms a server may echo them in, lower case:
     * as is, line by line (a token with a line break shows up one line at a time),
     * percent-encoded (all but unreserved characters, or keeping {@code /} as Python's
     * {@code quote} does), form-encoded ({@code +} for a space), tilde-encoded (Datasette's
     * encoding of names in paths), and escaped in a JSON string or HTML.
     */
    static List<String> forms(Collection<String> known) {
        Set<String> out = new LinkedHashSet<>();
        if (known != null) {
            for (String k : known) {
                if (k == null) continue;
                String t = k.strip();
                if (t.length() < MIN_KNOWN_LENGTH || t.equals(MASK)) continue;
                List<String> values = new ArrayList<>(List.of(t));
                for (String line : t.split("[\\r\\n]+")) {
                    if (line.strip().length() >= MIN_KNOWN_LENGTH) values.add(line.strip());
                }
                for (String v : values) {
                    out.add(v);
                    out.add(URLEncoder.encode(v, StandardCharsets.UTF_8));
                    out.add(encode(v, '%', UNRESERVED, "%20"));
                    out.add(encode(v, '%', UNRESERVED + "/", "%20"));
                    out.add(encode(v, '~', "_-", "+"));
                    out.add(json(v, false));
                    out.add(json(v, true));
                    out.add(v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                            .replace("'", "&#x27;"));
                }
            }
        }
        List<String> lowered = new ArrayList<>();
        for (String f : out) {
            String l = lower(f);
            if (!lowered.contains(l)) lowered.add(l);
        }
        return lowered;
    }

    private static final String UNRESERVED = "-._~";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Letters, digits and {@code safe} as they are, a space as {@code space}, every other UTF-8 byte as {@code escape} and two hex digits. */
    private static String encode(String s, char escape, String safe, String space) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c < 0x80 && safe.indexOf(c) >= 0)) {
                sb.append((char) c);
            } else if (c == ' ') {
                sb.append(space);
            } else {
                sb.append(escape).append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    /** As a JSON string's content, the way Python writes it (non-ASCII as escapes), with or without {@code \/}. */
    private static String json(String s, boolean slash) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '/' -> sb.append(slash ? "\\/" : "/");
                default -> {
                    if (c < 0x20 || c > 0x7e) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.toString();
    }

    /** Lower case, one char for one char (so positions in the result are positions in {@code s}). */
    private static String lower(String s) {
        char[] cs = s.toCharArray();
        for (int i = 0; i < cs.length; i++) cs[i] = Character.toLowerCase(cs[i]);
        return new String(cs);
    }

    private static String replace(Pattern p, String s, java.util.function.Function<Matcher, String> with) {
        Matcher m = p.matcher(s);
        if (!m.find()) return s;
        StringBuilder sb = new StringBuilder();
        do {
            m.appendReplacement(sb, Matcher.quoteReplacement(with.apply(m)));
        } while (m.find());
        m.appendTail(sb);
        return sb.toString();
    }
}
