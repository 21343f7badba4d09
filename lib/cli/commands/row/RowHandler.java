package io.datasette.dclient.cli.commands.row;

import io.datasette.dclient.core.NotFound;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.data.Missing;
import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.cli.Connections;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.cli.output.Format;
import io.datasette.dclient.cli.output.RowWriter;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.rows.RowKey;
import io.datasette.dclient.core.rows.RowOps;

/**
 * {@code row DATABASE TABLE PK...}: one row by its primary key ({@link RowOps#get}), as a JSON
 * object, or with {@code --csv/--tsv/--nl/-t/--fmt} as a one-row table.
 */
public final class RowHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        RowKey key = new RowKey(inv.strings("pk"));
        Format format = Format.from(inv);
        RowWriter writer = RowWriter.create(inv, ctx.out()); // checks --fmt before anything is sent
        var conn = Connections.open(inv, ctx);
        String database = inv.string("database");
        String table = inv.string("table_name");
        JsonNode row;
        try {
            row = RowOps.get(conn.client(), database, table, key);
        } catch (DclientException e) {
            throw Missing.explain(e, conn.client(), Missing.Target.table(database, NotFound.Origin.GIVEN, table));
        }
        if (format == Format.JSON) {
            ctx.out().println(Json.pretty(row, 2));
        } else {
            writer.row(row);
            writer.finish();
        }
        return 0;
    }
}
