package io.datasette.dclient.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.io.Context;
import java.util.ArrayList;
import java.util.List;

/** Writing a query's answer, shared by {@code query} and bare SQL. */
public final class Results {
    private Results() {}

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
