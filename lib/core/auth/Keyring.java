package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.TokenStorage;
import io.datasette.dclient.core.auth.TokenUnavailable.Operation;
import io.datasette.dclient.core.auth.TokenUnavailable.Reason;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.io.Processes;
import io.datasette.dclient.core.text.Safe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The system keyring, through the tool each system ships, run as a child process (no native
 * library, so no start-up cost for the many commands that never touch it): the Secret Service
 * through {@code secret-tool} (libsecret) on Linux and other Unixes, the login keychain through
 * {@code security} on macOS, the Credential Manager through PowerShell on Windows. Items are
 * named by service {@value #SERVICE} and account = the alias or URL the token is stored under.
 * The token goes to the tool on standard input, never on its command line (which other users
 * can see in the process list). Every call is bounded by the time limit; failures are
 * {@link TokenUnavailable}s that say which keyring and what happened, never the token.
 */
public abstract class Keyring {
    public static final String SERVICE = "io.datasette.dclient";

    private final Context ctx;
    private final Duration timeout;

    Keyring(Context ctx, Duration timeout) {
        this.ctx = ctx;
        this.timeout = timeout;
    }

    /** The keyring of the system the context describes ({@code os.name}). */
    public static Keyring of(Context ctx, Duration timeout) {
        String os = ctx.osName().toLowerCase(Locale.ROOT);
        if (os.startsWith("mac") || os.startsWith("darwin")) return new MacKeychain(ctx, timeout);
        if (os.startsWith("windows")) return new WindowsCredentialManager(ctx, timeout);
        return new SecretServiceKeyring(ctx, timeout);
    }

    /** Names it for messages, e.g. "the Secret Service keyring (secret-tool)". */
    public abstract String name();

    /** The program it runs. */
    abstract String program();

    /** Stores (or replaces) the token under {@code key}; throws when it could not. */
    public abstract void store(String key, String token);

    /** The token stored under {@code key}, or null when there is no such item. */
    public abstract String lookup(String key);

    /** Deletes the item for {@code key} (none is fine); throws when one may still be there. */
    public abstract void delete(String key);

    /**
     * Fails now, with the reason, when the keyring clearly cannot be used (its tool is missing,
     * no keyring service runs), so {@code login} finds out before the user approves anything.
     * A locked keyring is only found out when it is used.
     */
    public void probe(String key) {
        if (ctx.processes().find(program(), ctx.env()) == null) {
            throw unavailable(Operation.STORE, key, missingTool());
        }
    }

    /** Why the tool is missing, e.g. "secret-tool is not installed (package libsecret-tools)". */
    String missingTool() {
        return program() + " was not found on the PATH";
    }

    /** A run of the tool. NOT_FOUND and NOT_STARTED become KEYRING_UNAVAILABLE; a time-out KEYRING_FAILED. */
    Processes.Outcome run(Operation op, String key, List<String> argv, String input) {
        Processes.Outcome o;
        try {
            o = ctx.processes().run(new Processes.Call(argv, ctx.env(),
                    input == null ? null : input.getBytes(StandardCharsets.UTF_8), timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(e);
        }
        return switch (o.status()) {
            case EXITED -> o;
            case NOT_FOUND -> throw unavailable(op, key, missingTool());
            case NOT_STARTED -> throw unavailable(op, key, program() + " could not be started");
            case TIMED_OUT -> throw failure(Reason.KEYRING_FAILED, op, key, program() + " did not answer within "
                    + io.datasette.dclient.core.text.Durations.seconds(timeout) + " (was it waiting for an unlock prompt?)");
        };
    }

    private static io.datasette.dclient.core.DclientException interrupted(InterruptedException e) {
        return io.datasette.dclient.core.DclientException.interrupted("Interrupted while waiting for the keyring.", e);
    }

    TokenUnavailable unavailable(Operation op, String key, String detail) {
        return failure(Reason.KEYRING_UNAVAILABLE, op, key, detail);
    }

    TokenUnavailable locked(Operation op, String key) {
        return failure(Reason.KEYRING_LOCKED, op, key, null);
    }

    /** The one wording of keyring failures: what is wrong, with which keyring, for which key. */
    TokenUnavailable failure(Reason reason, Operation op, String key, String detail) {
        String what = switch (op) {
            case READ -> "the token for " + key + " cannot be read";
            case STORE -> "the token for " + key + " was not stored";
            case REMOVE -> "the token for " + key + " was not removed from it";
        };
        String d = detail == null ? "" : Safe.line(detail, 200);
        String text = switch (reason) {
            case KEYRING_UNAVAILABLE -> capital(name()) + " is not available (" + d + "), so " + what + ".";
            case KEYRING_LOCKED -> capital(name()) + " is locked, so " + what + ".";
            case KEYRING_NO_ITEM -> capital(name()) + " has no token for " + key + " (service " + SERVICE
                    + ", account " + key + "), although dclient stored it there.";
            case MALFORMED -> "The token for " + key + " in " + name()
                    + " contains spaces or control characters (or characters outside ASCII), so it cannot be sent.";
            default -> capital(name()) + " failed" + (d.isEmpty() ? "" : " (" + d + ")") + ", so " + what + ".";
        };
        return new TokenUnavailable(text, reason, op, TokenStorage.KEYRING, key);
    }

    static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The tool's own error text, trimmed to one line (its errors never hold the token: that went in on stdin). */
    static String said(Processes.Outcome o) {
        String err = Safe.line(o.err(), 200);
        return err == null || err.isEmpty() ? "exit status " + o.exitCode() : err;
    }
}
