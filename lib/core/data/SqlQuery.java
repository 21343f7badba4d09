package io.datasette.dclient.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Query;
import io.datasette.dclient.core.http.Tilde;
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
}
