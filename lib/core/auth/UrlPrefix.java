package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.config.Config;
import io.datasette.dclient.core.http.Hosts;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Matching a stored URL key against an instance URL: scheme, host and port must be equal, and
 * the key's path must be a prefix of the URL's path on a segment boundary ({@code /x} matches
 * {@code /x/y} but not {@code /xy}). A trailing slash on the key does not matter, and
 * {@code /foo} also matches {@code /foo.json}. The longest matching key wins. Host names compare
 * case-insensitively and a default port equals no port ({@code https://a.com:443} is
 * {@code https://a.com}); {@code https://a.com} never matches {@code https://a.com.evil.net}.
 * Unlike Python dclient, {@code https://x/y/} matches {@code https://x/y}.
 */
public final class UrlPrefix {
    private UrlPrefix() {}

    public static boolean matches(String url, String prefix) {
        URI u = parse(url);
        URI p = parse(prefix);
        if (u == null || p == null) return false;
        if (!u.getScheme().equalsIgnoreCase(p.getScheme())) return false;
        if (!Hosts.host(u).equalsIgnoreCase(Hosts.host(p))) return false; // my_host too (URI has no host for it)
        if (Hosts.port(u) != Hosts.port(p)) return false;
        if (p.getRawUserInfo() != null && !p.getRawUserInfo().equals(u.getRawUserInfo())) return false;
        String up = trimSlashes(u.getRawPath());
        String pp = trimSlashes(p.getRawPath());
        if (pp.isEmpty() || up.equals(pp) || up.equals(pp + ".json")) return true;
        return up.startsWith(pp + "/");
    }

    /** The key of the longest matching URL prefix, or null. Keys that are not URLs are skipped. */
    public static String longestMatch(String url, Iterable<String> keys) {
        String best = null;
        int bestLength = -1;
        for (String key : keys) {
            if (!isUrl(key) || !matches(url, key)) continue;
            int length = trimSlashes(parse(key).getRawPath()).length();
            if (length > bestLength) {
                best = key;
                bestLength = length;
            }
        }
        return best;
    }

    public static boolean isUrl(String s) {
        if (s == null) return false;
        String l = s.strip().toLowerCase(Locale.ROOT);
        return l.startsWith("http://") || l.startsWith("https://");
    }

    private static URI parse(String s) {
        if (s == null || !isUrl(s)) return null;
        try {
            URI u = new URI(s.trim());
            return Hosts.host(u) == null ? null : u;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String trimSlashes(String path) {
        return Config.stripSlash(path == null ? "" : path);
    }
}
