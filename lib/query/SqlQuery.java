package io.datasette.dclient.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.cli.Context;
import io.datasette.dclient.http.DatasetteClient;
import io.datasette.dclient.http.Query;
import io.datasette.dclient.http.Tilde;
import io.datasette.dclient.output.RowWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one SQL query and writes its rows. Uses {@code /DB.json?sql=}, which every Datasette
 * answers (1.0 redirects it to {@code /DB/-/query.json}).
 */
public final class SqlQuery {
    private SqlQuery() {}

    /** The request path for {@code sql} against {@code database} with named parameters. */
    public static String path(String database, String sql, List<List<String>> params) {
        Query q = Query.of().add("sql", sql).add("_shape", "objects");
        for (List<String> p : params) q.add(p.get(0), p.get(1));
        return "/" + Tilde.encode(database) + ".json" + q;
    }

    /** Fetches the result as JSON (rows plus whatever the server adds). */
    public static JsonNode fetch(DatasetteClient client, String database, String sql, List<List<String>> params) {
        return client.getJson(path(database, sql, params));
    }

    /** Writes the rows of a query response and warns on stderr when the server truncated them. */
    public static void write(JsonNode response, RowWriter writer, Context ctx) {
        JsonNode rows = response.isArray() ? response : response.path("rows");
        if (response.path("columns").isArray()) {
            List<String> cols = new ArrayList<>();
            response.path("columns").forEach(c -> cols.add(c.asText()));
            writer.columns(cols);
        }
        for (JsonNode row : rows) writer.row(row);
        writer.finish();
        if (response.path("truncated").asBoolean(false)) {
            ctx.err().println("Warning: the server truncated the results at " + writer.count()
                    + " rows (its max_returned_rows). Add a LIMIT/OFFSET, or use dclient rows --all for a whole table.");
        }
    }
}
