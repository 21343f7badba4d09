package io.datasette.dclient.cli.commands.row;

import io.datasette.dclient.core.NotFound;
import io.datasette.dclient.core.data.Missing;
import io.datasette.dclient.cli.Connections;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.rows.TableDrop;
import java.util.Locale;

/**
 * {@code drop DATABASE TABLE [--yes]}: asks Datasette what the drop would remove (its
 * unconfirmed answer, which drops nothing), then drops only with {@code --yes} or when the user
 * answers {@code y}/{@code yes} at the prompt. Without a terminal to ask on and without
 * {@code --yes} it refuses; any other answer, or none, drops nothing.
 */
public final class DropHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        String database = inv.string("database");
        String table = inv.string("table");
        boolean yes = inv.flag("yes");
        var conn = Connections.open(inv, ctx);
        TableDrop.Preview preview;
        try {
            preview = TableDrop.preview(conn.client(), database, table);
        } catch (DclientException e) {
            throw Missing.explain(e, conn.client(), Missing.Target.table(database, NotFound.Origin.GIVEN, table));
        }
        String what = database + "/" + table + rows(preview.rowCount());
        if (!yes) {
            if (!ctx.terminal().stdinIsTerminal()) {
                throw DclientException.usage("Not dropping " + what + ": confirm with --yes"
                        + " (standard input is not a terminal, so dclient cannot ask)");
            }
            ctx.err().print("Drop the table " + what + "? This cannot be undone. [y/N] ");
            ctx.err().flush();
            String answer = ctx.readLine();
            String a = answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
            if (!a.equals("y") && !a.equals("yes")) {
                if (answer == null) ctx.err().println();
                throw new DclientException("Aborted: " + database + "/" + table + " was not dropped");
            }
        }
        TableDrop.confirm(conn.client(), database, table);
        ctx.err().println("Dropped the table " + what + ".");
        return 0;
    }

    private static String rows(long count) {
        if (count < 0) return "";
        return " (" + count + (count == 1 ? " row)" : " rows)");
    }
}
