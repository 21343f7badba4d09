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
 * {@code tables [--views] [--views-only] [--hidden] [--json]}: the tables (and views) of a
 * database ({@link Catalog#tables}). Plain output is {@code name<TAB>N rows} per table and
 * {@code name<TAB>view} per view; hidden tables (FTS shadow tables and the like) only with
 * {@code --hidden}, in plain and JSON output alike.
 */
public final class TablesHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        Session.Connection conn = Connections.open(inv, ctx);
        Session.DatabaseName database = Connections.databaseName(conn, inv);
        boolean viewsOnly = inv.flag("views-only");
        Catalog.Tables found;
        try {
            found = Catalog.tables(conn.client(), database.name(), !viewsOnly, inv.flag("hidden"),
                    viewsOnly || inv.flag("views"));
        } catch (DclientException e) {
            throw Missing.explain(e, conn.client(), Missing.Target.database(database.name(), database.origin()));
        }
        if (inv.flag("json")) {
            ctx.out().println(Json.pretty(found.all(), 2));
            return 0;
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode t : found.tables()) sb.append(tableLine(t)).append('\n');
        for (JsonNode v : found.views()) sb.append(v.isTextual() ? v.asText() : v.path("name").asText()).append("\tview\n");
        ctx.out().print(sb);
        return 0;
    }

    /** {@code name<TAB>N rows}; Datasette caps counts (count_truncated), shown as {@code 10000+ rows}. */
    static String tableLine(JsonNode t) {
        String name = t.isTextual() ? t.asText() : t.path("name").asText();
        JsonNode count = t.get("count");
        if (count == null || !count.isNumber()) return name;
        long n = count.asLong();
        if (t.path("count_truncated").asBoolean(false)) return name + "\t" + Math.max(0, n - 1) + "+ rows";
        return name + "\t" + n + (n == 1 ? " row" : " rows");
    }
}
