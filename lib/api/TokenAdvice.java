package io.datasette.dclient.api;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.auth.Keyring;
import io.datasette.dclient.core.auth.Storage;
import io.datasette.dclient.core.auth.TokenUnavailable;
import java.util.function.Supplier;

/**
 * What to do next when the keyring or a credential command could not give, keep or drop a
 * token, in the library's words (its methods, not the command line's flags). The command line
 * has its own wording of the same facts.
 */
final class TokenAdvice {
    private TokenAdvice() {}

    /** Runs {@code action}; a {@link TokenUnavailable} comes out with the library's advice added. */
    static <T> T advised(Supplier<T> action) {
        try {
            return action.get();
        } catch (TokenUnavailable t) {
            throw new DclientException(t.getMessage() + hint(t), t.kind(), t);
        }
    }

    static String hint(TokenUnavailable t) {
        String key = '"' + t.key() + '"';
        return switch (t.operation()) {
            case STORE -> (t.reason() == TokenUnavailable.Reason.KEYRING_LOCKED ? " Unlock it and try again, or s" : " S")
                    + "tore it in auth.json instead: Tokens.open().put(" + key + ", token)";
            case REMOVE -> " Nothing was removed. " + (t.reason() == TokenUnavailable.Reason.KEYRING_LOCKED
                    ? "Unlock it and call Tokens.remove(" + key + ") again."
                    : "Delete the item yourself (service " + Keyring.SERVICE + ", account " + t.key()
                            + ") and call Tokens.remove(" + key + ") again.");
            case READ -> t.reason() == TokenUnavailable.Reason.COMMAND_TIMED_OUT
                    ? " Wait longer with Datasette.builder().timeout(...), or pass the token with Datasette.builder().token(...)."
                    : (t.storage() == Storage.KEYRING && t.reason() == TokenUnavailable.Reason.KEYRING_LOCKED
                            ? " Unlock it and try again, or pass" : " Pass")
                            + " the token with Datasette.builder().token(...), or store it in auth.json: Tokens.open().put("
                            + key + ", token)";
        };
    }
}
