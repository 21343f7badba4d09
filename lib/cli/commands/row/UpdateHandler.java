package io.datasette.dclient.cli.commands.row;

import io.datasette.dclient.core.NotFound;
import io.datasette.dclient.core.data.Missing;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.cli.Connections;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.rows.RowKey;
import io.datasette.dclient.core.rows.RowOps;
import java.util.List;

/**
 * {@code update DATABASE TABLE PK... --set COLUMN VALUE ... --json OBJECT [--alter]}: sets
 * columns of one row ({@link RowOps#update}) and prints the row as stored. {@code --json}'s
 * values keep their JSON types; {@code --set} values are strings (SQLite's column affinity
 * applies) and win over {@code --json} for the same column.
 */
public final class UpdateHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        RowKey key = new RowKey(inv.strings("pk"));
        ObjectNode changes = changes(inv.string("json"), inv.tuples("set"));
        var conn = Connections.open(inv, ctx);
        String database = inv.string("database");
        String table = inv.string("table");
        JsonNode row;
        try {
            row = RowOps.update(conn.client(), database, table, key, changes, inv.flag("alter"));
        } catch (DclientException e) {
            throw Missing.explain(e, conn.client(), Missing.Target.table(database, NotFound.Origin.GIVEN, table));
        }
        ctx.out().println(Json.pretty(row, 2));
        return 0;
    }

    static ObjectNode changes(String json, List<List<String>> sets) {
        ObjectNode changes = Json.object();
        if (json != null) {
            JsonNode parsed;
            try {
                parsed = Json.parse(json);
            } catch (JsonProcessingException e) {
                throw DclientException.usage("--json is not valid JSON: " + e.getOriginalMessage());
            }
            if (parsed == null || !parsed.isObject()) {
                throw DclientException.usage("--json must be a JSON object of columns and values, e.g. '{\"age\": 5}'");
            }
            changes.setAll((ObjectNode) parsed);
        }
        for (List<String> set : sets) {
            if (set.get(0).isEmpty()) throw DclientException.usage("--set needs COLUMN VALUE, e.g. --set age 5");
            changes.put(set.get(0), set.get(1));
        }
        if (changes.isEmpty()) {
            throw DclientException.usage("Nothing to update: give --set COLUMN VALUE or --json '{\"column\": value}'");
        }
        return changes;
    }
}
