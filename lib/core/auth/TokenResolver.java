package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.TokenOrigin;
import io.datasette.dclient.core.TokenStorage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The token resolution order from the user's document: an explicit token &gt; token stored under
 * the alias name &gt; token stored under a URL prefix of the instance URL (longest wins, see
 * {@link UrlPrefix}) &gt; {@code DATASETTE_TOKEN}. Surrounding whitespace is dropped from every
 * token (a hand-edited auth.json or an env var with a newline still works); a stored token that
 * is empty counts as absent. A token with spaces or control characters inside is refused,
 * naming its source but never showing it, because it cannot go into an HTTP header.
 */
public final class TokenResolver {
    private TokenResolver() {}

    /**
     * @param flag the explicit token (the command line's option, the library's builder), or null when not given
     * @param aliases alias names for the instance, most specific first (the {@code -i} alias or
     *     the default instance's alias, then others sharing its URL)
     * @param instanceUrl the instance base URL
     * @param stored the contents of auth.json
     * @param envToken {@code DATASETTE_TOKEN}, or null
     */
    public static TokenSource resolve(String flag, List<String> aliases, String instanceUrl,
            Map<String, String> stored, String envToken) {
        Map<String, StoredToken> entries = new LinkedHashMap<>();
        stored.forEach((k, v) -> entries.put(k, StoredToken.file(k, v)));
        return resolve(flag, aliases, instanceUrl, entries, envToken, StoredToken::fileToken);
    }

    /**
     * As above, with tokens that may live outside auth.json: the rungs are chosen by key alone
     * (an empty auth.json value counts as none, as always; a keyring or command entry counts as
     * a token), and only the winning entry is asked for its token, through {@code reveal}.
     * A keyring or command that cannot give it fails there ({@link TokenUnavailable}); the
     * order never falls through to a lower rung, so the token sent is always the one the
     * user's configuration names.
     */
    public static TokenSource resolve(String flag, List<String> aliases, String instanceUrl,
            Map<String, StoredToken> stored, String envToken, Function<StoredToken, String> reveal) {
        if (flag != null) return checked(new TokenSource(flag.strip(), TokenOrigin.EXPLICIT, null));
        for (String alias : aliases) {
            StoredToken entry = alias == null ? null : stored.get(alias);
            if (entry != null && entry.mayHaveToken()) return revealed(entry, TokenOrigin.ALIAS, reveal);
        }
        if (instanceUrl != null) {
            List<String> candidates = new ArrayList<>();
            stored.forEach((k, v) -> {
                if (v.mayHaveToken()) candidates.add(k);
            });
            String key = UrlPrefix.longestMatch(instanceUrl, candidates);
            if (key != null) return revealed(stored.get(key), TokenOrigin.URL_PREFIX, reveal);
        }
        String env = clean(envToken);
        if (env != null) return checked(new TokenSource(env, TokenOrigin.ENV, null));
        return TokenSource.NONE;
    }

    private static TokenSource revealed(StoredToken entry, TokenOrigin kind, Function<StoredToken, String> reveal) {
        String token = entry.storage() == TokenStorage.FILE ? clean(entry.fileToken()) : reveal.apply(entry).strip();
        return checked(new TokenSource(token, kind, entry.key(), entry.storage(), entry.command()));
    }

    private static String clean(String token) {
        if (token == null) return null;
        String t = token.strip();
        return t.isEmpty() ? null : t;
    }

    /**
     * True when the token can be sent in an HTTP header as is: visible ASCII only (no spaces,
     * control characters, or anything above U+007E, which the JDK would refuse or mangle).
     */
    public static boolean wellFormed(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7E) return false;
        }
        return true;
    }

    /** {@code s}, unless its token cannot go into a header: then an error whose advice names where it came from. */
    private static TokenSource checked(TokenSource s) {
        if (s.token() != null && !wellFormed(s.token())) {
            throw new DclientException("The token contains spaces or control characters (or characters outside ASCII),"
                    + " so it cannot be sent.", DclientException.Kind.FAILED,
                    new Advice.ReplaceToken(null, s.facts(), Advice.Problem.MALFORMED, null));
        }
        return s;
    }
}
