package io.datasette.dclient.core.rows;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Response;
import io.datasette.dclient.core.http.Tilde;
import java.nio.charset.StandardCharsets;

/**
 * Dropping a table, in Datasette's two steps: {@code POST /DB/TABLE/-/drop} without a body
 * drops nothing and answers the row count ({@link #preview}); with {@code {"confirm": true}} it
 * drops the table ({@link #confirm}).
 */
public final class TableDrop {
    private TableDrop() {}

    /** What the unconfirmed drop said: the table and its row count (-1 when the server gave none). */
    public record Preview(String database, String table, long rowCount) {}

    /** Asks Datasette what a drop would remove; nothing is dropped. */
    public static Preview preview(DatasetteClient client, String database, String table) {
        Response r = client.send("POST", client.uri(path(database, table)), null, null);
        JsonNode answer = answer(client, r, database + "/" + table, "Dropping a table", "drop-table");
        JsonNode count = answer.get("row_count");
        return new Preview(database, table, count != null && count.canConvertToLong() ? count.asLong() : -1);
    }

    /** Drops the table. */
    public static void confirm(DatasetteClient client, String database, String table) {
        byte[] body = Json.compact(Json.object().put("confirm", true)).getBytes(StandardCharsets.UTF_8);
        Response r = client.send("POST", client.uri(path(database, table)), "application/json", body);
        answer(client, r, database + "/" + table, "Dropping a table", "drop-table");
    }

    private static String path(String database, String table) {
        return "/" + Tilde.encode(database) + "/" + Tilde.encode(table) + "/-/drop";
    }

    /**
     * The JSON of a successful write answer; otherwise the client's error, and for a 403 also
     * which permission {@code action} needs on {@code what}.
     */
    static JsonNode answer(DatasetteClient client, Response r, String what, String action, String permission) {
        if (r.status() == 403) {
            DclientException refused = client.failure(r, null); // which token, or that none was sent
            throw new DclientException(refused.getMessage() + " " + action + " needs the " + permission
                    + " permission on " + what + ".", DclientException.Kind.PERMISSION, null, refused.advice());
        }
        return client.json(r);
    }
}
