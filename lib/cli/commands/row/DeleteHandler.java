package io.datasette.dclient.cli.commands.row;

import io.datasette.dclient.cli.Connections;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.rows.RowKey;
import io.datasette.dclient.core.rows.RowOps;

/** {@code delete DATABASE TABLE PK...}: deletes one row ({@link RowOps#delete}); says so on stderr. */
public final class DeleteHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        RowKey key = new RowKey(inv.strings("pk"));
        String database = inv.string("database");
        String table = inv.string("table");
        var conn = Connections.open(inv, ctx);
        RowOps.delete(conn.client(), database, table, key);
        ctx.err().println("Deleted the row " + key.describe() + " from " + database + "/" + table + ".");
        return 0;
    }
}
