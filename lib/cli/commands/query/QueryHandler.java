package io.datasette.dclient.cli.commands.query;

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
        var response = SqlQuery.fetch(conn.client(), inv.string("database"), inv.string("sql"), inv.tuples("param"));
        Results.write(response, writer, ctx);
        return 0;
    }
}
