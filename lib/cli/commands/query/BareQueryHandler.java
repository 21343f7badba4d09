package io.datasette.dclient.cli.commands.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.data.Missing;
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
import io.datasette.dclient.core.text.Suggest;
import java.util.List;

/** {@code dclient "SQL"}: a query against the default (or {@code -i}/{@code -d}) instance and database. */
public final class BareQueryHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        String sql = inv.string("sql");
        if (sql == null || sql.isBlank()) throw DclientException.usage("No SQL given. Run dclient --help for usage.");
        rejectMistypedCommand(sql.strip(), inv.spec());
        RowWriter writer = RowWriter.create(inv, ctx); // a bad --fmt fails before the query is sent
        Session.Connection conn = Connections.open(inv, ctx);
        Session.DatabaseName database = Connections.databaseName(conn, inv);
        JsonNode response;
        try {
            response = SqlQuery.fetch(conn.client(), database.name(), sql, List.of());
        } catch (DclientException e) {
            throw Missing.explain(e, conn.client(), Missing.Target.database(database.name(), database.origin()));
        }
        Results.write(response, writer, ctx);
        return 0;
    }

    /** A single bare word is never useful SQL, but often a mistyped command ({@code dclient tabels}). */
    static void rejectMistypedCommand(String sql, CommandDef spec) {
        if (!sql.matches("[A-Za-z][-A-Za-z_]*")) return;
        List<String> names = spec.commands().stream().filter(c -> !c.hidden()).map(CommandDef::name).toList();
        String suggestion = Suggest.closest(sql, names, 2);
        throw DclientException.usage("No such command: " + sql + "."
                + (suggestion != null ? " Did you mean: dclient " + suggestion + "?" : "")
                + " Run dclient --help for the commands, or pass a whole SQL statement.");
    }
}
