package io.datasette.dclient.cli.commands.auth;

import io.datasette.dclient.cli.CommandLineAdvice;
import io.datasette.dclient.cli.Connections;
import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.TokenOrigin;

import io.datasette.dclient.core.auth.ActorCall;
import io.datasette.dclient.core.auth.TokenMetadata;
import io.datasette.dclient.core.auth.TokenSource;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.session.Instance;
import io.datasette.dclient.core.session.Session;
import io.datasette.dclient.core.text.Safe;
import java.io.PrintStream;

/**
 * {@code auth status [-i] [--token]}: calls {@code /-/actor.json} and prints the JSON on stdout.
 * On stderr it says which instance was used and which rung of the resolution order supplied
 * the token (never the token itself), and in one line when the token expires, as a warning
 * when that is close or past ({@link ActorCall#expiresSoon}). A 401/403 exits 1 with the server's message and what to run next.
 */
public final class AuthStatusHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        Session.Connection conn = Connections.open(inv, ctx);
        PrintStream err = ctx.err();
        err.println("Instance: " + describe(conn.instance()));
        TokenSource src = conn.token();
        String label = conn.instance().label();
        if (src.origin() == TokenOrigin.NONE) {
            err.println("Token: none (no --token, nothing in auth.json for this instance, DATASETTE_TOKEN not set). "
                    + CommandLineAdvice.words(new Advice.AddToken(label, false, null)));
        } else {
            err.println("Token: from " + CommandLineAdvice.source(src.facts(), src.present()));
        }
        JsonNode body = ActorCall.fetch(conn.client(), conn.token());
        JsonNode actor = ActorCall.actor(body);
        if (src.present()) {
            if (actor == null && body.has("actor")) {
                err.println("Warning: the server answered as if no token was sent (actor null). " + CommandLineAdvice
                        .words(new Advice.ReplaceToken(label, src.facts(), Advice.Problem.REFUSED, null)));
            }
            ActorCall.Expiry expires = ActorCall.expiry(src, ctx, actor);
            ActorCall.Warning warning = ActorCall.warning(expires, src, label, ctx.clock().instant());
            if (warning != null) {
                err.println(warning.text() + " " + CommandLineAdvice.words(warning.advice()));
            } else if (expires != null) {
                err.println(ActorCall.expiryLine(expires, ctx.clock().instant()));
            } else if (TokenMetadata.decodesWithoutExpiry(src.token())) {
                err.println("Token has no expiry set");
            }
        }
        ctx.out().println(ActorCall.render(body));
        return 0;
    }

    static String describe(Instance i) {
        String from = switch (i.from()) {
            case NAMED -> "from -i";
            case DEFAULT -> "the default instance";
            case ENV -> "from DATASETTE_URL";
        };
        return Safe.maskUrl(i.url()) + " (" + (i.alias() != null ? "alias " + i.alias() + ", " : "") + from + ")";
    }
}
