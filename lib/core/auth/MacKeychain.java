package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.auth.TokenUnavailable.Operation;
import io.datasette.dclient.core.auth.TokenUnavailable.Reason;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.io.Processes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The macOS login keychain through {@code /usr/bin/security}. {@code add-generic-password}
 * takes the password only as an argument ({@code -w TOKEN}, visible to every user in the process
 * list while it runs) or from a prompt on the terminal, so the command is written to
 * {@code security -i} on standard input instead, with the token hex-encoded ({@code -X}): no
 * quoting can go wrong and nothing secret is on a command line. Interactive mode does not
 * report a failed command in its exit status, so a store is checked by reading it back.
 * A keychain that is locked where no prompt can be shown (over SSH) answers "User interaction
 * is not allowed".
 */
final class MacKeychain extends Keyring {
    /** {@code errSecItemNotFound} as {@code security} exits with it. */
    static final int NOT_FOUND = 44;

    MacKeychain(Context ctx, Duration timeout) {
        super(ctx, timeout);
    }

    @Override
    public String name() {
        return "the macOS keychain (security)";
    }

    @Override
    String program() {
        return "security";
    }

    @Override
    public void store(String key, String token) {
        if (!quotable(key)) {
            throw failure(Reason.KEYRING_FAILED, Operation.STORE, key,
                    "security cannot take a name with quotes, backslashes or control characters");
        }
        String hex = HexFormat.of().formatHex(token.getBytes(StandardCharsets.UTF_8));
        String command = "add-generic-password -U -s \"" + SERVICE + "\" -a \"" + key + "\" -l \"dclient: Datasette"
                + " token for " + key + "\" -X " + hex + "\n";
        Processes.Outcome o = run(Operation.STORE, key, List.of("security", "-i"), command);
        String back;
        try {
            back = lookup(key);
        } catch (TokenUnavailable e) {
            throw failure(e.reason(), Operation.STORE, key, said(o));
        }
        if (!token.equals(back)) {
            if (interactionRefused(o.err())) throw locked(Operation.STORE, key);
            throw failure(Reason.KEYRING_FAILED, Operation.STORE, key, said(o));
        }
    }

    @Override
    public String lookup(String key) {
        Processes.Outcome o = run(Operation.READ, key, List.of("security", "find-generic-password", "-s", SERVICE,
                "-a", key, "-w"), null);
        if (o.succeeded()) {
            String secret = o.out().strip();
            return secret.isEmpty() ? null : secret;
        }
        if (notFound(o)) return null;
        throw classify(o, Operation.READ, key);
    }

    @Override
    public void delete(String key) {
        Processes.Outcome o = run(Operation.REMOVE, key, List.of("security", "delete-generic-password", "-s", SERVICE,
                "-a", key), null);
        if (o.succeeded() || notFound(o)) return;
        throw classify(o, Operation.REMOVE, key);
    }

    /** Keys that fit in {@code security -i}'s double quotes as they are. */
    static boolean quotable(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f) return false;
        }
        return true;
    }

    private static boolean notFound(Processes.Outcome o) {
        return o.exitCode() == NOT_FOUND || o.err().toLowerCase(Locale.ROOT).contains("could not be found");
    }

    private static boolean interactionRefused(String err) {
        String lower = err.toLowerCase(Locale.ROOT);
        return lower.contains("interaction is not allowed") || lower.contains("locked");
    }

    private TokenUnavailable classify(Processes.Outcome o, Operation op, String key) {
        if (interactionRefused(o.err())) return locked(op, key);
        return failure(Reason.KEYRING_FAILED, op, key, said(o));
    }
}
