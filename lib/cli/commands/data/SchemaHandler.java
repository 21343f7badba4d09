package io.datasette.dclient.cli.commands.data;

import io.datasette.dclient.cli.Connections;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Query;
import io.datasette.dclient.core.http.Response;
import io.datasette.dclient.core.http.Tilde;
import io.datasette.dclient.core.session.Session;

/**
 * {@code schema [TABLE]}: the CREATE statements of a database or one table, from
 * {@code /DB/-/schema.json} or {@code /DB/TABLE/-/schema.json}. Datasette releases without
 * those routes get the same text from {@code sqlite_master} through a SQL query.
 */
public final class SchemaHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        Session.Connection conn = Connections.open(inv, ctx);
        String database = Connections.database(conn, inv);
        String table = inv.string("table_name");
        JsonNode body = fetch(conn.client(), database, table);
        if (inv.flag("json")) {
            ctx.out().println(Json.pretty(body, 2));
        } else {
            String schema = body.path("schema").asText("");
            ctx.out().print(schema.endsWith("\n") ? schema : schema + "\n");
        }
        return 0;
    }

    static JsonNode fetch(DatasetteClient client, String database, String table) {
        String path = "/" + Tilde.encode(database) + (table == null ? "" : "/" + Tilde.encode(table)) + "/-/schema.json";
        Response r = client.get(path);
        if (r.status() == 404 && !isNotFound(r)) return fromSqliteMaster(client, database, table);
        return client.json(r);
    }

    /** A 404 that means "no such database/table" rather than "no such route". */
    private static boolean isNotFound(Response r) {
        JsonNode body = r.jsonOrNull();
        String error = body == null ? "" : body.path("error").asText("");
        return error.equals("Database not found") || error.equals("Table not found");
    }

    private static JsonNode fromSqliteMaster(DatasetteClient client, String database, String table) {
        String sql = "select sql from sqlite_master where sql is not null"
                + (table == null ? "" : " and tbl_name = :table") + " order by type = 'table' desc, rowid";
        Query q = Query.of().add("sql", sql).add("_shape", "objects");
        if (table != null) q.add("table", table);
        JsonNode result = client.getJson("/" + Tilde.encode(database) + ".json" + q);
        StringBuilder schema = new StringBuilder();
        for (JsonNode row : result.path("rows")) {
            if (schema.length() > 0) schema.append('\n');
            schema.append(row.path("sql").asText()).append(';');
        }
        if (table != null && schema.length() == 0) throw new DclientException("Table not found: " + table);
        ObjectNode out = Json.object();
        out.put("database", database);
        if (table != null) out.put("table", table);
        out.put("schema", schema.toString());
        return out;
    }
}
