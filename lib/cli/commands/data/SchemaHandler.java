package io.datasette.dclient.cli.commands.data;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.data.Missing;
import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.cli.Connections;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.data.Catalog;
import io.datasette.dclient.core.session.Session;

/**
 * {@code schema [TABLE]}: the CREATE statements of a database or one table, from
 * {@link Catalog#schema} (with its fallback for Datasette releases without the schema routes).
 */
public final class SchemaHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        Session.Connection conn = Connections.open(inv, ctx);
        Session.DatabaseName database = Connections.databaseName(conn, inv);
        String table = inv.string("table_name");
        JsonNode body;
        try {
            body = Catalog.schema(conn.client(), database.name(), table);
        } catch (DclientException e) {
            throw Missing.explain(e, conn.client(), Missing.Target.table(database.name(), database.origin(), table));
        }
        if (inv.flag("json")) {
            ctx.out().println(Json.pretty(body, 2));
        } else {
            String schema = Catalog.schemaText(body);
            ctx.out().print(schema.endsWith("\n") ? schema : schema + "\n");
        }
        return 0;
    }
}
