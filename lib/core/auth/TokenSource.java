package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.TokenOrigin;

/**
 * A resolved token and where it came from, in the order the user's document gives: an explicit
 * token, alias, URL prefix, {@code DATASETTE_TOKEN}. {@link #token} is null for none (and may be
 * empty for an explicit empty token, which also sends nothing). {@link #key} is the auth.json key
 * for the ALIAS and URL_PREFIX rungs. Each face names where it came from
 * ({@code Advice.Token#where} for all but the explicit rung, which each face names itself).
 */
public record TokenSource(String token, TokenOrigin origin, String key) {
    public static final TokenSource NONE = new TokenSource(null, TokenOrigin.NONE, null);

    /** Whether a token will be sent (an explicit empty one counts as none). */
    public boolean present() {
        return token != null && !token.isEmpty();
    }

    /** The token as advice names it: its origin, key and (for a {@code dstok_} token) actor, never its value. */
    public Advice.Token facts() {
        TokenMetadata.Payload p = present() ? TokenMetadata.decode(token) : null;
        String actor = p != null && p.actor() != null && !p.actor().isBlank() ? p.actor() : null;
        return new Advice.Token(origin, key, actor);
    }

    @Override
    public String toString() {
        return "TokenSource[" + origin + (key != null ? " " + key : "") + (present() ? "" : ", none sent") + "]";
    }
}
