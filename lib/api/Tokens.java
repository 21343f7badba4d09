package io.datasette.dclient.api;

import io.datasette.dclient.core.TokenStorage;
import io.datasette.dclient.core.auth.Credentials;
import io.datasette.dclient.core.auth.StoredToken;
import io.datasette.dclient.core.auth.TokenSource;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.session.Instance;
import io.datasette.dclient.core.session.Session;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The token store, {@code auth.json} (shared with the {@code dclient auth} commands and Python
 * dclient), with tokens that live in the system keyring or come from a credential command
 * instead: keys are aliases or URL prefixes. Tokens are written owner-only and never appear
 * in {@code toString()}s.
 *
 * <pre>{@code Tokens.open().put("prod", System.getenv("PROD_TOKEN"));}</pre>
 */
public final class Tokens {
    private final Context ctx;
    private final Credentials credentials;

    private Tokens(Context ctx) {
        this.ctx = ctx;
        this.credentials = new Credentials(ctx);
    }

    /**
     * The store in the real config directory ({@code DCLIENT_CONFIG_DIR}, else the per-user one).
     *
     * <pre>{@code Tokens tokens = Tokens.open();}</pre>
     */
    public static Tokens open() {
        return open(null);
    }

    /**
     * The store as {@link #open()} finds it, in the environment {@code env} instead of the
     * process's ({@code DCLIENT_CONFIG_DIR}, and {@code DATASETTE_TOKEN} for {@link #resolve});
     * null means the process's.
     *
     * <pre>{@code Tokens.open(Map.of("DCLIENT_CONFIG_DIR", "/tmp/dclient-test"))}</pre>
     */
    public static Tokens open(Map<String, String> env) {
        return new Tokens(Context.library(env, null, null, null));
    }

    /**
     * The store in another config directory (the real environment still supplies
     * {@code DATASETTE_TOKEN} to {@link #resolve}).
     *
     * <pre>{@code Tokens tokens = Tokens.at(Path.of("/tmp/dclient-test"));}</pre>
     */
    public static Tokens at(Path configDir) {
        return at(configDir, null);
    }

    /**
     * The store in another config directory, resolving as if the environment were {@code env}
     * (its {@code DATASETTE_TOKEN}); null means the process's.
     *
     * <pre>{@code Tokens.at(Path.of("/tmp/dclient-test"), Map.of())}</pre>
     */
    public static Tokens at(Path configDir, Map<String, String> env) {
        return new Tokens(Context.library(env, Objects.requireNonNull(configDir, "configDir"), null, null));
    }

    /**
     * The auth.json file.
     *
     * <pre>{@code Tokens.open().file()}</pre>
     */
    public Path file() {
        return credentials.store().file();
    }

    /**
     * The stored keys (aliases and URL prefixes): auth.json's in file order, then those whose
     * token is in the keyring or printed by a command.
     *
     * <pre>{@code Tokens.open().keys()  // [prod, https://example.com]}</pre>
     */
    public List<String> keys() {
        return LibraryAdvice.call(() -> List.copyOf(StoredToken.load(ctx.configDir()).keySet()));
    }

    /**
     * Stores a token under an alias or URL prefix in auth.json, replacing whatever was stored
     * under that key (in auth.json, the keyring, or a command).
     *
     * <pre>{@code Tokens.open().put("https://example.com", token);}</pre>
     */
    public void put(String aliasOrUrl, String token) {
        requireKey(aliasOrUrl);
        LibraryAdvice.run(() -> credentials.put(aliasOrUrl, token));
    }

    /**
     * Stores a token in the system keyring (Secret Service, macOS keychain, Windows Credential
     * Manager) instead of auth.json, like {@code dclient auth add KEY --keyring}; nothing secret
     * is written to the config directory.
     *
     * <pre>{@code Tokens.open().putInKeyring("prod", token);}</pre>
     */
    public void putInKeyring(String aliasOrUrl, String token) {
        requireKey(aliasOrUrl);
        LibraryAdvice.run(() -> credentials.put(aliasOrUrl, token, TokenStorage.KEYRING, false, timeout()));
    }

    /**
     * Stores a credential command for an alias or URL prefix, like
     * {@code dclient auth add KEY --command CMD}: it is run (without a shell) whenever the token
     * is needed, and the first line it prints is the token; no token is stored.
     *
     * <pre>{@code Tokens.open().putCommand("prod", "pass show datasette/prod");}</pre>
     */
    public void putCommand(String aliasOrUrl, String command) {
        requireKey(aliasOrUrl);
        Objects.requireNonNull(command, "command");
        LibraryAdvice.run(() -> credentials.putCommand(aliasOrUrl, command, timeout()));
    }

    /**
     * Removes the token stored under a key (for a URL, trailing slashes do not matter), from
     * auth.json or the keyring, or the command stored for it; false when there was none.
     *
     * <pre>{@code Tokens.open().remove("prod")}</pre>
     */
    public boolean remove(String aliasOrUrl) {
        return LibraryAdvice.call(() -> credentials.remove(aliasOrUrl, timeout()) != null);
    }

    /**
     * Where the token under a key lives: {@code "file"} (auth.json), {@code "keyring"} or
     * {@code "command"}; null when nothing is stored under it. Never reads the token.
     *
     * <pre>{@code Tokens.open().storage("prod")  // "keyring"}</pre>
     */
    public String storage(String aliasOrUrl) {
        StoredToken t = LibraryAdvice.call(() -> StoredToken.load(ctx.configDir()).get(aliasOrUrl));
        return t == null ? null : t.storage().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void requireKey(String aliasOrUrl) {
        if (aliasOrUrl == null || aliasOrUrl.isBlank()) throw new IllegalArgumentException("a key (alias or URL) is required");
    }

    /** The limit for a keyring tool or credential command: {@code DCLIENT_TIMEOUT}, else 30 s. */
    private java.time.Duration timeout() {
        return new Session(ctx).timeout();
    }

    /**
     * Which token {@code dclient -i NAME} would send and where it comes from (alias, URL prefix,
     * {@code DATASETTE_TOKEN}, or none); null {@code aliasOrUrl} means the default instance. A
     * token kept in the keyring or printed by a command is read (or its command run) to say so.
     *
     * <pre>{@code Tokens.open().resolve("prod").source()  // "alias prod in auth.json"}</pre>
     */
    public Resolved resolve(String aliasOrUrl) {
        return LibraryAdvice.call(() -> {
            Session session = new Session(ctx);
            Instance instance = session.instance(aliasOrUrl);
            TokenSource t = session.token(null, instance);
            return new Resolved(instance.url(), LibraryAdvice.source(t.facts(), t.present()), t.key(), t.token());
        });
    }

    /**
     * Names the file and the number of keys.
     *
     * <pre>{@code System.out.println(Tokens.open());}</pre>
     */
    @Override
    public String toString() {
        return "Tokens[" + file() + "]";
    }

    /**
     * A resolved token: the instance URL, where the token came from, the auth.json key that
     * supplied it (null for {@code DATASETTE_TOKEN} or none), and the token (null for none).
     * {@code toString()} never shows the token.
     *
     * <pre>{@code Tokens.Resolved r = Tokens.open().resolve("prod"); r.present();}</pre>
     */
    public record Resolved(String instanceUrl, String source, String key, String token) {
        /**
         * Whether a token was found.
         *
         * <pre>{@code if (!Tokens.open().resolve("prod").present()) System.err.println("no token");}</pre>
         */
        public boolean present() {
            return token != null && !token.isEmpty();
        }

        /**
         * Shows the URL and the source, with the token masked.
         *
         * <pre>{@code System.out.println(Tokens.open().resolve("prod"));}</pre>
         */
        @Override
        public String toString() {
            return "Resolved[" + instanceUrl + ", source: " + source + ", token: " + (present() ? "***" : "none") + "]";
        }
    }
}
