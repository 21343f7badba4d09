package io.datasette.dclient.query;

import io.datasette.dclient.cli.Context;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.output.Format;
import io.datasette.dclient.output.RowWriter;
import io.datasette.dclient.session.Session;

/** {@code query DATABASE SQL}. */
public final class QueryHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        Session.Connection conn = Session.open(inv, ctx);
        var response = SqlQuery.fetch(conn.client(), inv.string("database"), inv.string("sql"), inv.tuples("param"));
        SqlQuery.write(response, RowWriter.create(Format.from(inv), ctx.out()), ctx);
        return 0;
    }
}
