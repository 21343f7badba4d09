package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.http.DatasetteClient;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Storing and removing tokens, as {@code auth add/remove}, {@code login} and the library's
 * {@code Tokens} all do it: one validation rule, the token file and its expiry notes kept in step.
 */
public final class Credentials {
    private final Path configDir;
    private final PrintStream warnings;
    private final AuthStore store;

    public Credentials(Path configDir, PrintStream warnings) {
        this.configDir = configDir;
        this.warnings = warnings;
        this.store = new AuthStore(configDir);
    }

    public AuthStore store() {
        return store;
    }

    /**
     * The token as it will be stored and sent (surrounding whitespace dropped), or an error that
     * says what is wrong with it without repeating it: HTTP headers take visible ASCII only, so a
     * pasted ellipsis, a euro sign, a space or a line break inside make it unusable.
     */
    public static String checked(String raw) {
        String token = raw == null ? "" : raw.strip();
        if (token.isEmpty()) throw new DclientException("The token is empty; nothing was stored.");
        if (!TokenResolver.wellFormed(token)) {
            throw new DclientException("The token contains spaces or control characters (or characters outside"
                    + " ASCII); nothing was stored. Paste only the token itself.");
        }
        return token;
    }

    /** A key must be an alias or an instance URL (checked as {@code -i} checks it). */
    public static String checkedKey(String key) {
        if (key == null || key.isBlank()) {
            throw new DclientException("The alias or URL to store the token under is empty.");
        }
        if (UrlPrefix.isUrl(key)) DatasetteClient.parseUrl(key.strip());
        return key;
    }

    /** Stores {@code token} under {@code key}, replacing any token (and its expiry note) there. */
    public void put(String key, String token) {
        String k = checkedKey(key);
        String t = checked(token);
        store.put(k, t);
        // Any expiry noted for the previous token under this key no longer applies.
        new TokenMetadata(configDir, warnings).remove(k);
    }

    /** Removes the token under {@code key} (a URL also matches without trailing slashes); the key removed, or null. */
    public String remove(String key) {
        String removed = key == null ? null : store.remove(key);
        if (removed != null) new TokenMetadata(configDir, warnings).remove(removed);
        return removed;
    }
}
