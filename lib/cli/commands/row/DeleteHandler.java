package io.datasette.dclient.cli.commands.row;

import io.datasette.dclient.core.NotFound;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.data.Missing;
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
        try {
            RowOps.delete(conn.client(), database, table, key);
        } catch (DclientException e) {
            throw Missing.explain(e, conn.client(), Missing.Target.table(database, NotFound.Origin.GIVEN, table));
        }
        ctx.err().println("Deleted the row " + key.describe() + " from " + database + "/" + table + ".");
        return 0;
    }
}
