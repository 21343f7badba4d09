package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.TokenStorage;
import io.datasette.dclient.core.auth.TokenUnavailable.Operation;
import io.datasette.dclient.core.io.Context;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One stored token, by its key (alias or URL prefix): where it lives and, for {@code auth.json},
 * the token itself. The keyring and a credential command are only asked when the token is
 * {@linkplain #reveal revealed}, i.e. when this key has won the resolution order, so listing
 * tokens or resolving another instance never unlocks a keyring or runs a command.
 *
 * @param fileToken the token as in auth.json ({@link TokenStorage#FILE} only)
 * @param account the keyring account ({@link TokenStorage#KEYRING} only)
 * @param command the command line ({@link TokenStorage#COMMAND} only)
 */
public record StoredToken(String key, TokenStorage storage, String fileToken, String account, String command) {
    public static StoredToken file(String key, String token) {
        return new StoredToken(key, TokenStorage.FILE, token, null, null);
    }

    /**
     * Every stored token in {@code dir}: auth.json's, then the keyring and command entries of
     * {@link TokenRefs} whose key auth.json does not have. dclient never writes a key to both;
     * when another client did (Python dclient only knows auth.json), auth.json wins, so both
     * clients send the same token.
     */
    public static Map<String, StoredToken> load(Path dir) {
        Map<String, StoredToken> out = new LinkedHashMap<>();
        new AuthStore(dir).load().forEach((k, v) -> out.put(k, file(k, v)));
        new TokenRefs(dir).load().forEach((k, r) -> out.putIfAbsent(k, of(k, r)));
        return out;
    }

    static StoredToken of(String key, TokenRefs.Ref r) {
        return new StoredToken(key, r.storage(), null, r.account(), r.command());
    }

    /**
     * Whether this entry may supply a token without asking anything: an empty auth.json value
     * counts as no token (as it always has); the keyring and a command are assumed to have one.
     */
    boolean mayHaveToken() {
        return storage != TokenStorage.FILE || (fileToken != null && !fileToken.isBlank());
    }

    /**
     * The token: from auth.json, the keyring (within {@code timeout}) or the command's first line
     * (within {@code timeout}). Anything read from outside dclient's files is noted in the
     * context for masking.
     *
     * @throws TokenUnavailable when the keyring or command cannot supply it
     */
    public String reveal(Context ctx, Supplier<Duration> timeout) {
        return switch (storage) {
            case FILE -> fileToken;
            case COMMAND -> CredentialCommand.run(ctx, key, command, timeout.get());
            case KEYRING -> {
                Keyring keyring = Keyring.of(ctx, timeout.get());
                String token = keyring.lookup(account);
                if (token == null) throw keyring.failure(TokenUnavailable.Reason.KEYRING_NO_ITEM, Operation.READ, key, null);
                ctx.revealed(token);
                if (!TokenResolver.wellFormed(token)) {
                    throw keyring.failure(TokenUnavailable.Reason.MALFORMED, Operation.READ, key, null);
                }
                yield token;
            }
        };
    }

    /** Never the token. */
    @Override
    public String toString() {
        return "StoredToken[" + key + ", " + storage + (command != null ? ", " + command : "") + "]";
    }
}
