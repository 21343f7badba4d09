package io.datasette.dclient.cli.commands.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.cli.Connections;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.core.session.Session;
import io.datasette.dclient.core.write.CreateTable;

/**
 * {@code create-table DB TABLE --column NAME TYPE ... [--pk COL ...]}: checks the columns, sends
 * them ({@link CreateTable}) and prints Datasette's answer.
 */
public final class CreateTableHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        if (inv.tuples("column").isEmpty()) {
            throw new DclientException("Provide at least one --column definition, e.g. --column id integer --column name text");
        }
        ObjectNode body = CreateTable.body(inv.string("table_name"), inv.tuples("column"), inv.strings("pk"));
        Session.Connection conn = Connections.open(inv, ctx);
        JsonNode answer = CreateTable.send(conn.client(), inv.string("database"), body);
        ctx.out().println(Json.pretty(answer, 2));
        return 0;
    }
}
