package io.datasette.dclient.cli.commands.query;

import io.datasette.dclient.core.NotFound;
import io.datasette.dclient.core.DclientException;
import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.data.Missing;
import io.datasette.dclient.cli.Connections;

import io.datasette.dclient.core.data.SqlQuery;

import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.cli.output.Results;
import io.datasette.dclient.cli.output.RowWriter;
import io.datasette.dclient.core.session.Session;

/** {@code query DATABASE SQL}. */
public final class QueryHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        RowWriter writer = RowWriter.create(inv, ctx); // a bad --fmt fails before the query is sent
        Session.Connection conn = Connections.open(inv, ctx);
        String database = inv.string("database");
        JsonNode response;
        try {
            response = SqlQuery.fetch(conn.client(), database, inv.string("sql"), inv.tuples("param"));
        } catch (DclientException e) {
            throw Missing.explain(e, conn.client(), Missing.Target.database(database, NotFound.Origin.GIVEN));
        }
        Results.write(response, writer, ctx);
        return 0;
    }
}
