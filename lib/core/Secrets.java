package io.datasette.dclient.core;

import io.datasette.dclient.core.text.Safe;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
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
        String s = text;
        for (String secret : variants(known)) s = s.replace(secret, MASK);
        s = maskUserInfo(s);
        s = replace(DSTOK, s, m -> "dstok_" + MASK);
        s = replace(QUOTED_AUTH, s, m -> m.group(1) + m.group(2) + " " + MASK);
        s = replace(AUTH, s, m -> AUTH_PROSE.matcher(m.group(3)).matches() ? m.group() : m.group(1) + m.group(2) + MASK);
        s = replace(NAMED, s, m -> randomLooking(m.group(3)) ? m.group(1) + m.group(2) + MASK : m.group());
        return s;
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

    /** The known secrets worth masking, longest first, with their URL-encoded forms. */
    private static List<String> variants(Collection<String> known) {
        Set<String> out = new LinkedHashSet<>();
        if (known != null) {
            for (String k : known) {
                if (k == null) continue;
                String t = k.strip();
                if (t.length() < MIN_KNOWN_LENGTH || t.equals(MASK)) continue;
                out.add(t);
                out.add(URLEncoder.encode(t, StandardCharsets.UTF_8));
                // a token with a line break shows up line by line in messages
                for (String line : t.split("[\\r\\n]+")) {
                    if (line.strip().length() >= MIN_KNOWN_LENGTH) out.add(line.strip());
                }
            }
        }
        List<String> sorted = new ArrayList<>(out);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return sorted;
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
