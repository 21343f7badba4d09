package io.datasette.dclient.core.auth;

/**
 * A resolved token and where it came from, in the order the user's document gives:
 * {@code --token}, alias, URL prefix, {@code DATASETTE_TOKEN}. {@link #token} is null for none
 * (and may be empty for an explicit {@code --token ""}, which also sends nothing). {@link #key}
 * is the auth.json key for the ALIAS and URL_PREFIX rungs.
 */
public record TokenSource(String token, Kind kind, String key) {
    /** The rung of the resolution order that supplied the token. */
    public enum Kind { FLAG, ALIAS, URL_PREFIX, ENV, NONE }

    public static final TokenSource NONE = new TokenSource(null, Kind.NONE, null);

    /** Whether a token will be sent ({@code --token ""} counts as none). */
    public boolean present() {
        return token != null && !token.isEmpty();
    }

    /** Human description, e.g. "alias prod in auth.json" or "URL prefix https://x in auth.json"; never the token. */
    public String describe() {
        return switch (kind) {
            case FLAG -> present() ? "--token" : "--token (empty, so no token is sent)";
            case ALIAS -> "alias " + key + " in auth.json";
            case URL_PREFIX -> "URL prefix " + key + " in auth.json";
            case ENV -> "DATASETTE_TOKEN";
            case NONE -> "none";
        };
    }

    @Override
    public String toString() {
        return "TokenSource[" + describe() + "]";
    }
}
