package io.datasette.dclient.cli.commands.auth;

import io.datasette.dclient.core.text.Safe;
import io.datasette.dclient.core.auth.Credentials;

import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;

/**
 * {@code auth remove ALIAS_OR_URL}: deletes the stored token (and its expiry note). A URL also
 * matches a key that differs only by trailing slashes. Unknown: {@code No such URL or alias}.
 */
public final class AuthRemoveHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        String key = inv.string("alias_or_url");
        Credentials credentials = new Credentials(ctx.configDir(), ctx.err());
        String removed = credentials.remove(key);
        if (removed == null) throw new DclientException("No such URL or alias", DclientException.Kind.NOT_FOUND);
        ctx.err().println("Removed the token for " + Safe.maskUrl(removed) + " from " + credentials.store().file()
                + ". This does not revoke it on the server.");
        return 0;
    }
}
