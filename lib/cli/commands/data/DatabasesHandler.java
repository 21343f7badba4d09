package io.datasette.dclient.cli.commands.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.datasette.dclient.cli.Connections;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.core.data.Catalog;
import io.datasette.dclient.core.session.Session;

/**
 * {@code databases [--json]}: the databases of an instance, one name per line, from
 * {@link Catalog#databases(io.datasette.dclient.core.http.DatasetteClient)} (the stable
 * {@code /-/databases.json}, else {@code /.json}; every shape those have had).
 */
public final class DatabasesHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        Session.Connection conn = Connections.open(inv, ctx);
        ArrayNode list = Catalog.databases(conn.client());
        if (inv.flag("json")) {
            ctx.out().println(Json.pretty(list, 2));
        } else {
            for (JsonNode db : list) ctx.out().println(Catalog.name(db));
        }
        return 0;
    }
}
