package io.datasette.dclient.cli.commands.auth;

import io.datasette.dclient.cli.CommandLineAdvice;
import io.datasette.dclient.cli.Connections;

import io.datasette.dclient.core.auth.ActorCall;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.session.Session;

/**
 * {@code actor [-i] [--token]}: prints the actor the resolved token represents, as
 * {@code /-/actor.json} returns it. A rejected token is an error naming the token's source;
 * a token about to expire gets a warning on stderr ({@link ActorCall#expiresSoon}).
 */
public final class ActorHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        Session.Connection conn = Connections.open(inv, ctx);
        JsonNode body = ActorCall.fetch(conn.client(), conn.token());
        if (conn.token().present()) {
            ActorCall.Warning warning = ActorCall.warning(ActorCall.expiry(conn.token(), ctx, ActorCall.actor(body)),
                    conn.token(), conn.instance().label(), ctx.clock().instant());
            if (warning != null) ctx.err().println(warning.text() + " " + CommandLineAdvice.words(warning.advice()));
        }
        ctx.out().println(ActorCall.render(body));
        return 0;
    }
}
