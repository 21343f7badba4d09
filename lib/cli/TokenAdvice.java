package io.datasette.dclient.cli;

import io.datasette.dclient.core.auth.Keyring;
import io.datasette.dclient.core.auth.Storage;
import io.datasette.dclient.core.auth.TokenUnavailable;
import io.datasette.dclient.core.text.Shell;
import java.util.List;

/**
 * What to do next when the keyring or a credential command could not give, keep or drop a
 * token ({@link TokenUnavailable}: the core says what happened), in the command line's words:
 * which flag or command falls back to auth.json. Appended to the error's one line.
 */
public final class TokenAdvice {
    private TokenAdvice() {}

    /** The advice for {@code e} when it is a {@link TokenUnavailable}, with a leading space; else "". */
    public static String hint(Throwable e, List<String> path) {
        if (!(e instanceof TokenUnavailable t)) return "";
        String key = Shell.quote(t.key());
        boolean login = path.size() >= 2 && path.get(1).equals("login");
        return switch (t.operation()) {
            case STORE -> login ? loginStore(t, key) : addStore(t, key);
            case REMOVE -> remove(t, key);
            case READ -> t.storage() == Storage.COMMAND ? readCommand(t, key) : readKeyring(t, key);
        };
    }

    private static String readKeyring(TokenUnavailable t, String key) {
        String fallback = "keep the token in auth.json instead: dclient auth add " + key + " --no-keyring";
        return switch (t.reason()) {
            case KEYRING_LOCKED -> " Unlock it and try again, or " + fallback;
            case KEYRING_NO_ITEM -> " Store it again: dclient auth add " + key + " --keyring (or --no-keyring for auth.json)";
            case MALFORMED -> " Store it again: dclient auth add " + key + " --keyring";
            default -> " " + capital(fallback);
        };
    }

    private static String readCommand(TokenUnavailable t, String key) {
        if (t.reason() == TokenUnavailable.Reason.COMMAND_TIMED_OUT) {
            return " Wait longer with --timeout SECONDS, or run the command yourself to see where it stops.";
        }
        return " Run it yourself to see why; change it with dclient auth add " + key
                + " --command '...', or store the token itself: dclient auth add " + key;
    }

    private static String addStore(TokenUnavailable t, String key) {
        String fallback = "store it in auth.json instead: dclient auth add " + key + " --no-keyring";
        return t.reason() == TokenUnavailable.Reason.KEYRING_LOCKED
                ? " Unlock it and try again, or " + fallback
                : " " + capital(fallback);
    }

    private static String loginStore(TokenUnavailable t, String key) {
        String unlock = t.reason() == TokenUnavailable.Reason.KEYRING_LOCKED ? "Unlock it and log in again, or" : "Log in";
        return " Nothing was saved. " + unlock + " with the token saved in auth.json: dclient login " + key + " --no-keyring";
    }

    private static String remove(TokenUnavailable t, String key) {
        if (t.reason() == TokenUnavailable.Reason.KEYRING_LOCKED) {
            return " Nothing was removed. Unlock it and run dclient auth remove " + key + " again.";
        }
        return " Nothing was removed. Try again, or delete the item yourself (service " + Keyring.SERVICE
                + ", account " + t.key() + ") and run dclient auth remove " + key + " again.";
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /**
     * One warning per old keyring item a store or removal could not delete: the token in it is
     * no longer used, but still there.
     */
    public static void warnLeftBehind(io.datasette.dclient.core.auth.Credentials.Outcome done, java.io.PrintStream err) {
        if (done == null) return;
        for (TokenUnavailable t : done.leftBehind()) {
            err.println("Warning: " + t.getMessage() + " It is no longer used; delete it yourself (service "
                    + Keyring.SERVICE + ", account " + t.key() + ").");
        }
    }
}
