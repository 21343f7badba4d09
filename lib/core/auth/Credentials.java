package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.TokenStorage;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.auth.TokenUnavailable.Reason;
import io.datasette.dclient.core.config.Config;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.core.config.JsonFiles;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.text.Safe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Storing and removing tokens, as {@code auth add/remove}, {@code login} and the library's
 * {@code Tokens} all do it: one validation rule, and auth.json, {@link TokenRefs}, the keyring
 * and the expiry notes kept in step. A key has one home: storing it anywhere takes it out of
 * the other places (and its old keyring item out of the keyring).
 */
public final class Credentials {
    private final Context ctx;
    private final AuthStore store;
    private final TokenRefs refs;

    public Credentials(Context ctx) {
        this.ctx = ctx;
        this.store = new AuthStore(ctx.configDir());
        this.refs = new TokenRefs(ctx.configDir());
    }

    public AuthStore store() {
        return store;
    }

    public TokenRefs refs() {
        return refs;
    }

    /**
     * What a store or removal did: the other spellings of the key it replaced (a URL with more or
     * fewer trailing slashes) and the keyring items it could not delete on the way (the tokens
     * they hold are no longer used, but are still in the keyring).
     */
    public record Outcome(String key, TokenStorage storage, List<String> replaced, List<TokenUnavailable> leftBehind) {}

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

    /**
     * Where new tokens go by default: the keyring when config.json's {@code token_storage} says
     * so, else auth.json.
     */
    public static TokenStorage defaultStorage(Config config) {
        return "keyring".equals(config.tokenStorage()) ? TokenStorage.KEYRING : TokenStorage.FILE;
    }

    /** {@link #defaultStorage(Config)} of this config directory. */
    public TokenStorage defaultStorage() {
        return defaultStorage(new ConfigStore(ctx.configDir()).load());
    }

    /** The keyring this context uses. */
    public Keyring keyring(Duration timeout) {
        return Keyring.of(ctx, timeout);
    }

    /** Stores {@code token} under {@code key} in auth.json, replacing whatever was stored there. */
    public Outcome put(String key, String token) {
        return put(key, token, TokenStorage.FILE, false, null);
    }

    /**
     * Stores {@code token} under {@code key} in auth.json or the keyring ({@code where}),
     * replacing whatever was stored under the key before, wherever it was.
     * {@code replaceSpellings}: also replace the same URL stored with a different number of
     * trailing slashes (as {@code login} does). The keyring is written first, so a keyring that
     * refuses leaves everything as it was.
     */
    public Outcome put(String key, String token, TokenStorage where, boolean replaceSpellings, Duration timeout) {
        String k = checkedKey(key);
        String t = checked(token);
        if (where == TokenStorage.COMMAND) throw new IllegalArgumentException("a command is stored with putCommand");
        readable();
        if (where == TokenStorage.KEYRING) keyring(timeout).store(k, t);
        return replace(k, where, replaceSpellings, timeout, tokens -> {
            if (where == TokenStorage.FILE) tokens.put(k, t);
        }, refMap -> {
            if (where == TokenStorage.KEYRING) refMap.put(k, TokenRefs.Ref.keyring(k));
        });
    }

    /**
     * Stores a credential command for {@code key}: nothing secret is written; the command runs
     * each time the token is needed. Refused (nothing stored) when it does not parse, or its
     * program is not on the PATH.
     */
    public Outcome putCommand(String key, String command, Duration timeout) {
        String k = checkedKey(key);
        List<String> argv = CredentialCommand.parse(command);
        readable();
        if (ctx.processes().find(argv.get(0), ctx.env()) == null) {
            throw new DclientException("Cannot use the command " + CredentialCommand.shown(command) + ": "
                    + Safe.line(argv.get(0), 100) + " was not found on the PATH; nothing was stored.",
                    DclientException.Kind.NOT_FOUND);
        }
        String line = command.strip();
        return replace(k, TokenStorage.COMMAND, false, timeout, tokens -> {}, refMap -> refMap.put(k, TokenRefs.Ref.command(line)));
    }

    /**
     * Under the lock: takes {@code key} (and with {@code replaceSpellings} its other URL
     * spellings) out of auth.json and auth-sources.json, then lets {@code toFile} and
     * {@code toRefs} add the new entry. Keyring items of replaced entries are deleted afterwards,
     * except the one just written under this very key.
     */
    private Outcome replace(String key, TokenStorage where, boolean replaceSpellings, Duration timeout,
            java.util.function.Consumer<Map<String, String>> toFile, java.util.function.Consumer<Map<String, TokenRefs.Ref>> toRefs) {
        List<String> replaced = new ArrayList<>();
        List<TokenRefs.Ref> oldItems = new ArrayList<>();
        JsonFiles.locked(store.lockFile(), () -> {
            readable(); // both files, before either is written
            store.update(tokens -> {
                for (String other : spellings(tokens.keySet(), key, replaceSpellings)) {
                    tokens.remove(other);
                    if (!other.equals(key)) replaced.add(other);
                }
                toFile.accept(tokens);
                return null;
            });
            refs.update(refMap -> {
                for (String other : spellings(refMap.keySet(), key, replaceSpellings)) {
                    TokenRefs.Ref old = refMap.remove(other);
                    boolean sameItem = where == TokenStorage.KEYRING && other.equals(key);
                    if (old.storage() == TokenStorage.KEYRING && !sameItem) oldItems.add(old);
                    if (!other.equals(key) && !replaced.contains(other)) replaced.add(other);
                }
                toRefs.accept(refMap);
                return null;
            });
            return null;
        });
        TokenMetadata meta = new TokenMetadata(ctx.configDir(), ctx.err());
        meta.remove(key); // any expiry noted for the previous token no longer applies
        replaced.forEach(meta::remove);
        return new Outcome(key, where, replaced, deleteItems(oldItems, timeout));
    }

    /** Fails, naming the file, when auth.json or auth-sources.json cannot be used: before anything is changed. */
    private void readable() {
        store.load();
        refs.load();
    }

    /** {@code key} as stored, and with {@code all} every other spelling of the same URL. */
    private static List<String> spellings(java.util.Collection<String> keys, String key, boolean all) {
        List<String> out = new ArrayList<>();
        if (keys.contains(key)) out.add(key);
        if (all && UrlPrefix.isUrl(key)) {
            for (String k : keys) {
                if (!k.equals(key) && UrlPrefix.isUrl(k) && Config.stripSlash(k).equals(Config.stripSlash(key))) out.add(k);
            }
        }
        return out;
    }

    private List<TokenUnavailable> deleteItems(List<TokenRefs.Ref> items, Duration timeout) {
        List<TokenUnavailable> left = new ArrayList<>();
        for (TokenRefs.Ref r : items) {
            try {
                keyring(timeout).delete(r.account());
            } catch (TokenUnavailable e) {
                left.add(e);
            }
        }
        return left;
    }

    /**
     * Removes the token under {@code key} (a URL also matches without trailing slashes) from
     * wherever it is: auth.json, the keyring (its item is deleted first: a keyring that is
     * locked or fails stops the removal, so nothing is half removed; one that is not there at
     * all does not, and is reported in {@link Outcome#leftBehind}), or a command entry. Null when
     * nothing was stored under the key.
     */
    public Outcome remove(String key, Duration timeout) {
        if (key == null) return null;
        store.load();
        Map<String, TokenRefs.Ref> refMap = refs.load();
        String refKey = AuthStore.find(refMap.keySet(), key);
        TokenRefs.Ref ref = refKey == null ? null : refMap.get(refKey);
        List<TokenUnavailable> left = new ArrayList<>();
        if (ref != null && ref.storage() == TokenStorage.KEYRING) {
            try {
                keyring(timeout).delete(ref.account());
            } catch (TokenUnavailable e) {
                if (e.reason() != Reason.KEYRING_UNAVAILABLE) throw e;
                left.add(e);
            }
        }
        String[] removed = new String[1];
        TokenStorage[] where = new TokenStorage[1];
        JsonFiles.locked(store.lockFile(), () -> {
            String fileKey = store.remove(key);
            if (fileKey != null) {
                removed[0] = fileKey;
                where[0] = TokenStorage.FILE;
            }
            refs.update(m -> {
                String k = AuthStore.find(m.keySet(), key);
                if (k != null) {
                    TokenRefs.Ref r = m.remove(k);
                    if (removed[0] == null) {
                        removed[0] = k;
                        where[0] = r.storage();
                    }
                }
                return null;
            });
            return null;
        });
        if (removed[0] == null) return null;
        new TokenMetadata(ctx.configDir(), ctx.err()).remove(removed[0]);
        return new Outcome(removed[0], where[0], List.of(), left);
    }
}
