package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.auth.TokenUnavailable.Operation;
import io.datasette.dclient.core.auth.TokenUnavailable.Reason;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.io.Processes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The freedesktop Secret Service (GNOME Keyring, KWallet, KeePassXC...) through libsecret's
 * {@code secret-tool}, which reads the secret to store from standard input. {@code lookup}
 * exits 1 without a word both when there is no item and when the collection is locked and no
 * unlock prompt can be shown; {@code search} tells the two apart (it lists a locked item, with
 * "Cannot get secret of a locked object"). {@code clear} exits 1 when nothing matched, so a
 * removal is checked with {@code search} too.
 */
final class SecretServiceKeyring extends Keyring {
    SecretServiceKeyring(Context ctx, Duration timeout) {
        super(ctx, timeout);
    }

    @Override
    public String name() {
        return "the Secret Service keyring (secret-tool)";
    }

    @Override
    String program() {
        return "secret-tool";
    }

    @Override
    String missingTool() {
        return "secret-tool was not found on the PATH; it comes with libsecret (package libsecret-tools on Debian"
                + " and Ubuntu, libsecret on Fedora and Arch)";
    }

    private static List<String> attributes(String verb, String key) {
        return List.of("secret-tool", verb, "service", SERVICE, "account", key);
    }

    @Override
    public void store(String key, String token) {
        Processes.Outcome o = run(Operation.STORE, key,
                List.of("secret-tool", "store", "--label=dclient: Datasette token for " + key, "service", SERVICE,
                        "account", key), token);
        if (!o.succeeded()) throw classify(o, Operation.STORE, key);
    }

    @Override
    public String lookup(String key) {
        Processes.Outcome o = run(Operation.READ, key, attributes("lookup", key), null);
        if (o.succeeded()) {
            String secret = o.out().strip();
            return secret.isEmpty() ? null : secret;
        }
        if (!o.err().isBlank()) throw classify(o, Operation.READ, key);
        if (stillThere(Operation.READ, key)) throw locked(Operation.READ, key);
        return null;
    }

    @Override
    public void delete(String key) {
        Processes.Outcome o = run(Operation.REMOVE, key, attributes("clear", key), null);
        if (!o.succeeded() && !o.err().isBlank()) throw classify(o, Operation.REMOVE, key);
        if (stillThere(Operation.REMOVE, key)) throw locked(Operation.REMOVE, key);
    }

    @Override
    public void probe(String key) {
        super.probe(key);
        // Matches nothing, but needs the service: no D-Bus session or no keyring daemon shows here.
        Processes.Outcome o = run(Operation.STORE, key, List.of("secret-tool", "search", "dclient-probe", "1"), null);
        if (!o.succeeded()) throw classify(o, Operation.STORE, key);
    }

    /**
     * Whether an item for {@code key} is listed. The listing of an unlocked item includes its
     * secret: it is read here only to be dropped.
     */
    private boolean stillThere(Operation op, String key) {
        Processes.Outcome s = run(op, key, attributes("search", key), null);
        if (!s.succeeded() && !s.err().isBlank() && !lockedText(s.err())) throw classify(s, op, key);
        return s.out().contains("attribute.account") || lockedText(s.err());
    }

    private static boolean lockedText(String err) {
        return err.toLowerCase(Locale.ROOT).contains("locked");
    }

    private TokenUnavailable classify(Processes.Outcome o, Operation op, String key) {
        String err = o.err();
        String lower = err.toLowerCase(Locale.ROOT);
        if (lockedText(err)) return locked(op, key);
        if (lower.contains("d-bus") || lower.contains("dbus") || lower.contains("org.freedesktop.secrets")
                || lower.contains("was not provided by any")) {
            return unavailable(op, key, "no Secret Service is running in this session: " + said(o));
        }
        return failure(Reason.KEYRING_FAILED, op, key, said(o));
    }
}
