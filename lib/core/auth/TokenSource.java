package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.TokenOrigin;
import io.datasette.dclient.core.TokenStorage;
/**
 * A resolved token and where it came from, in the order the user's document gives: an explicit
 * token, alias, URL prefix, {@code DATASETTE_TOKEN}. {@link #token} is null for none (and may be
 * empty for an explicit empty token, which also sends nothing). {@link #key} is the stored key
 * for the ALIAS and URL_PREFIX rungs, {@link #storage} where that token lives (auth.json, the
 * keyring, or a command; null for the other rungs) and {@link #command} the command line for
 * {@link TokenStorage#COMMAND}. Each face names where it came from ({@code Advice.Token#where}
 * for all but the explicit rung, which each face names itself).
 */
public record TokenSource(String token, TokenOrigin origin, String key, TokenStorage storage, String command) {
    public static final TokenSource NONE = new TokenSource(null, TokenOrigin.NONE, null);

    /** A token from auth.json (for the stored rungs) or from no store at all. */
    public TokenSource(String token, TokenOrigin origin, String key) {
        this(token, origin, key,
                origin == TokenOrigin.ALIAS || origin == TokenOrigin.URL_PREFIX ? TokenStorage.FILE : null, null);
    }

    /** Whether a token will be sent (an explicit empty one counts as none). */
    public boolean present() {
        return token != null && !token.isEmpty();
    }

    /** The token as advice names it: its origin, key, where it lives and (for a {@code dstok_} token) actor, never its value. */
    public Advice.Token facts() {
        TokenMetadata.Payload p = present() ? TokenMetadata.decode(token) : null;
        String actor = p != null && p.actor() != null && !p.actor().isBlank() ? p.actor() : null;
        return new Advice.Token(origin, key, actor, storage, command == null ? null : CredentialCommand.shown(command));
    }

    @Override
    public String toString() {
        return "TokenSource[" + origin + (key != null ? " " + key : "") + (storage != null ? " " + storage : "")
                + (present() ? "" : ", none sent") + "]";
    }
}
