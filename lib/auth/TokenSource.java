package io.datasette.dclient.auth;

/**
 * A resolved token and where it came from, in the order the user's document gives:
 * {@code --token}, alias, URL prefix, {@code DATASETTE_TOKEN}. {@link #token} is null for none.
 */
public record TokenSource(String token, Kind kind, String key) {
    /** The rung of the resolution order that supplied the token. */
    public enum Kind { FLAG, ALIAS, URL_PREFIX, ENV, NONE }

    public static final TokenSource NONE = new TokenSource(null, Kind.NONE, null);

    /** Human description, e.g. "alias prod" or "URL prefix https://x"; never the token. */
    public String describe() {
        return switch (kind) {
            case FLAG -> "--token";
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
