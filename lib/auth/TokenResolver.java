package io.datasette.dclient.auth;

import java.util.List;
import java.util.Map;

/**
 * The token resolution order from the user's document: {@code --token} &gt; token stored under
 * the alias &gt; token stored under a URL prefix of the instance URL &gt; {@code DATASETTE_TOKEN}.
 */
public final class TokenResolver {
    private TokenResolver() {}

    /**
     * @param flag the {@code --token} value, or null when not given
     * @param aliases alias names for the instance, most specific first (the {@code -i} alias,
     *     then others sharing its URL)
     * @param instanceUrl the instance base URL
     * @param stored the contents of auth.json
     * @param envToken {@code DATASETTE_TOKEN}, or null
     */
    public static TokenSource resolve(String flag, List<String> aliases, String instanceUrl,
            Map<String, String> stored, String envToken) {
        if (flag != null) return new TokenSource(flag, TokenSource.Kind.FLAG, null);
        for (String alias : aliases) {
            if (alias != null && stored.containsKey(alias)) {
                return new TokenSource(stored.get(alias), TokenSource.Kind.ALIAS, alias);
            }
        }
        if (instanceUrl != null) {
            String key = UrlPrefix.longestMatch(instanceUrl, stored.keySet());
            if (key != null) return new TokenSource(stored.get(key), TokenSource.Kind.URL_PREFIX, key);
        }
        if (envToken != null && !envToken.isEmpty()) return new TokenSource(envToken, TokenSource.Kind.ENV, null);
        return TokenSource.NONE;
    }
}
