package io.datasette.dclient.core.auth;

/**
 * A resolved token and where it came from, in the order the user's document gives:
 * {@code --token}, alias, URL prefix, {@code DATASETTE_TOKEN}. {@link #token} is null for none
 * (and may be empty for an explicit {@code --token ""}, which also sends nothing). {@link #key}
 * is the stored key for the ALIAS and URL_PREFIX rungs, and {@link #storage} says where that
 * token lives (auth.json, the keyring, or a command); {@link #command} is the command line for
 * {@link Storage#COMMAND}.
 */
public record TokenSource(String token, Kind kind, String key, Storage storage, String command) {
    /** The rung of the resolution order that supplied the token. */
    public enum Kind { FLAG, ALIAS, URL_PREFIX, ENV, NONE }

    public static final TokenSource NONE = new TokenSource(null, Kind.NONE, null);

    /** A token from auth.json (for the stored rungs) or from no store at all. */
    public TokenSource(String token, Kind kind, String key) {
        this(token, kind, key, kind == Kind.ALIAS || kind == Kind.URL_PREFIX ? Storage.FILE : null, null);
    }

    /** Whether a token will be sent ({@code --token ""} counts as none). */
    public boolean present() {
        return token != null && !token.isEmpty();
    }

    /**
     * Human description, e.g. "alias prod in auth.json", "URL prefix https://x in the keyring",
     * "alias prod (command 'pass show prod')"; never the token.
     */
    public String describe() {
        return switch (kind) {
            case FLAG -> present() ? "--token" : "--token (empty, so no token is sent)";
            case ALIAS -> "alias " + key + where();
            case URL_PREFIX -> "URL prefix " + key + where();
            case ENV -> "DATASETTE_TOKEN";
            case NONE -> "none";
        };
    }

    private String where() {
        if (storage == null) return "";
        return switch (storage) {
            case FILE -> " in auth.json";
            case KEYRING -> " in the keyring";
            case COMMAND -> " (command " + CredentialCommand.shown(command) + ")";
        };
    }

    @Override
    public String toString() {
        return "TokenSource[" + describe() + "]";
    }
}
