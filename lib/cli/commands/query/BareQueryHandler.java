package io.datasette.dclient.cli.commands.query;

import io.datasette.dclient.cli.Connections;

import io.datasette.dclient.core.data.SqlQuery;

import io.datasette.dclient.cli.CommandDef;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.cli.output.Results;
import io.datasette.dclient.cli.output.RowWriter;
import io.datasette.dclient.core.session.Session;
import java.util.List;

/** {@code dclient "SQL"}: a query against the default (or {@code -i}/{@code -d}) instance and database. */
public final class BareQueryHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        String sql = inv.string("sql");
        if (sql == null || sql.isBlank()) throw DclientException.usage("No SQL given. Run dclient --help for usage.");
        rejectMistypedCommand(sql.strip(), inv.spec());
        RowWriter writer = RowWriter.create(inv, ctx.out()); // a bad --fmt fails before the query is sent
        Session.Connection conn = Connections.open(inv, ctx);
        String database = Connections.database(conn, inv);
        var response = SqlQuery.fetch(conn.client(), database, sql, List.of());
        Results.write(response, writer, ctx);
        return 0;
    }

    /** A single bare word is never useful SQL, but often a mistyped command ({@code dclient tabels}). */
    static void rejectMistypedCommand(String sql, CommandDef spec) {
        if (!sql.matches("[A-Za-z][-A-Za-z_]*")) return;
        String suggestion = null;
        for (CommandDef c : spec.commands()) {
            if (distance(c.name(), sql.toLowerCase(java.util.Locale.ROOT)) <= 2) suggestion = c.name();
        }
        throw DclientException.usage("No such command: " + sql + "."
                + (suggestion != null ? " Did you mean: dclient " + suggestion + "?" : "")
                + " Run dclient --help for the commands, or pass a whole SQL statement.");
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            prev = cur;
        }
        return prev[b.length()];
    }
}
