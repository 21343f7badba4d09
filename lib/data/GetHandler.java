package io.datasette.dclient.data;

import io.datasette.dclient.cli.Context;
import io.datasette.dclient.cli.DclientException;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.config.Json;
import io.datasette.dclient.http.Response;
import io.datasette.dclient.session.Session;

/** {@code get PATH}: an authenticated GET; JSON is pretty-printed, anything else printed as is. */
public final class GetHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        Session.Connection conn = Session.open(inv, ctx);
        String path = inv.string("path");
        if (path.contains("://")) {
            throw DclientException.usage("PATH is relative to the instance, e.g. /-/plugins.json; use -i to pick the instance");
        }
        Response r = conn.client().get(path.startsWith("/") ? path : "/" + path);
        if (!r.ok()) throw new DclientException(conn.client().errorMessage(r));
        var json = r.looksLikeJson() ? r.jsonOrNull() : null;
        if (json != null) {
            ctx.out().println(Json.pretty(json, 2));
        } else {
            String text = r.text();
            ctx.out().print(text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
        }
        return 0;
    }
}
