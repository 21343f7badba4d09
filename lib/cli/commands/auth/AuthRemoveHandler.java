package io.datasette.dclient.cli.commands.auth;

import io.datasette.dclient.cli.CommandLineAdvice;
import io.datasette.dclient.cli.Connections;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.auth.Credentials;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.text.Safe;
import java.time.Duration;

/**
 * {@code auth remove ALIAS_OR_URL}: deletes the stored token (and its expiry note) wherever it
 * is: from auth.json, from the keyring (the item itself), or the credential command entry. A URL
 * also matches a key that differs only by trailing slashes. Unknown: {@code No such URL or alias}.
 */
public final class AuthRemoveHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        String key = inv.string("alias_or_url");
        Duration timeout = Connections.timeout(inv, ctx);
        Credentials credentials = new Credentials(ctx);
        Credentials.Outcome removed = credentials.remove(key, timeout);
        if (removed == null) throw new DclientException("No such URL or alias", DclientException.Kind.NOT_FOUND);
        String k = Safe.maskUrl(removed.key());
        CommandLineAdvice.warnLeftBehind(removed.leftBehind(), ctx.err());
        ctx.err().println(switch (removed.storage()) {
            case FILE -> "Removed the token for " + k + " from " + credentials.store().file()
                    + ". This does not revoke it on the server.";
            case KEYRING -> removed.leftBehind().isEmpty()
                    ? "Removed the token for " + k + " from " + credentials.keyring(timeout).name()
                            + ". This does not revoke it on the server."
                    : "Removed the keyring entry for " + k + " from " + credentials.refs().file() + ".";
            case COMMAND -> "Removed the command for " + k + " from " + credentials.refs().file() + ".";
        });
        return 0;
    }
}
