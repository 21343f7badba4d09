package io.datasette.dclient.cli.commands.auth;

import io.datasette.dclient.cli.Connections;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.auth.TokenReveal;
import io.datasette.dclient.core.auth.TokenSource;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.session.Instance;
import io.datasette.dclient.core.session.Session;

/**
 * {@code auth token [-i ALIAS_OR_URL]}: prints the token any other command would send to the
 * instance ({@code --token}, alias, URL prefix, {@code DATASETTE_TOKEN}), alone on stdout with a
 * newline, for other tools; nothing else is printed, whether the token is in auth.json, the
 * keyring or printed by a credential command. No token: exit 1 with where it looked.
 */
public final class AuthTokenHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        Session session = new Session(ctx);
        Instance instance = session.instance(inv.string("instance"));
        TokenSource source = session.token(inv.string("token"), instance, Connections.timeoutOption(inv));
        ctx.out().print(TokenReveal.require(source, instance.label()) + "\n");
        ctx.out().flush();
        return 0;
    }
}
