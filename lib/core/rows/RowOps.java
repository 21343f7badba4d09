package io.datasette.dclient.core.rows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.NotFound;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Response;
import java.nio.charset.StandardCharsets;

/**
 * One row by its primary key: read ({@code GET /DB/TABLE/KEY.json}), update
 * ({@code POST /DB/TABLE/KEY/-/update}) and delete ({@code POST /DB/TABLE/KEY/-/delete}).
 * Failures carry Datasette's message; a 403 also names the permission the operation needs, and
 * a key with the wrong number of values says so (Datasette answers that one in HTML).
 */
public final class RowOps {
    private RowOps() {}

    /** The row as an object; a missing row is a {@link NotFound}. */
    public static JsonNode get(DatasetteClient client, String database, String table, RowKey key) {
        Response r = client.get(key.path(database, table) + ".json?_shape=objects");
        JsonNode rows = answer(client, r, database, table, key, "Reading a row", "view-table").get("rows");
        if (rows == null || !rows.isArray() || rows.isEmpty() || !rows.get(0).isObject()) {
            throw new DclientException("Unexpected response for " + database + "/" + table + " row " + key.describe()
                    + ": no row object in \"rows\"", DclientException.Kind.SERVER);
        }
        return rows.get(0);
    }

    /**
     * Sets columns of one row ({@code {"update": changes, "return": true}}, with
     * {@code "alter": true} to add missing columns) and returns the row as stored afterwards.
     */
    public static JsonNode update(DatasetteClient client, String database, String table, RowKey key,
            ObjectNode changes, boolean alter) {
        if (changes == null || changes.isEmpty()) {
            throw DclientException.usage("Nothing to update: give at least one column and its new value");
        }
        ObjectNode body = Json.object();
        body.set("update", changes);
        body.put("return", true);
        if (alter) body.put("alter", true);
        Response r = client.send("POST", client.uri(key.path(database, table) + "/-/update"), "application/json",
                Json.compact(body).getBytes(StandardCharsets.UTF_8));
        String missing = r.status() == 400 ? DatasetteClient.serverText(r) : null;
        if (!alter && missing != null && missing.startsWith("no such column: ")) {
            throw new DclientException(client.errorMessage(r) + ".", DclientException.Kind.SERVER,
                    new Advice.AlterTable());
        }
        JsonNode answer = answer(client, r, database, table, key, "Updating a row",
                alter ? "update-row (and alter-table, to add columns)" : "update-row");
        JsonNode rows = answer.get("rows");
        if (rows != null && rows.isArray() && !rows.isEmpty() && rows.get(0).isObject()) return rows.get(0);
        throw new DclientException("Unexpected response for the update of " + database + "/" + table + " row "
                + key.describe() + ": no row in \"rows\"", DclientException.Kind.SERVER);
    }

    /** Deletes one row; a missing row is a {@link NotFound}. */
    public static void delete(DatasetteClient client, String database, String table, RowKey key) {
        Response r = client.send("POST", client.uri(key.path(database, table) + "/-/delete"), null, null);
        answer(client, r, database, table, key, "Deleting a row", "delete-row");
    }

    /**
     * The JSON of a successful answer, else the error, explained for rows: a missing row is a
     * {@link NotFound} naming its key (Datasette says {@code Row not found} when reading,
     * {@code Record not found: ['42']} when writing).
     */
    static JsonNode answer(DatasetteClient client, Response r, String database, String table, RowKey key,
            String action, String permission) {
        String text = r.status() == 404 ? DatasetteClient.serverText(r) : null;
        if (text != null && (text.startsWith("Row not found") || text.startsWith("Record not found"))) {
            throw NotFound.row(database, table, key.describe(),
                    new DclientException(client.errorMessage(r), DclientException.Kind.NOT_FOUND));
        }
        // JSON for .json paths, an HTML page for the write endpoints
        if (r.status() == 400 && r.text().contains("URL row identifier does not match the primary key")) {
            int n = key.values().size();
            throw new DclientException("URL row identifier does not match the primary key for this table: "
                    + n + (n == 1 ? " value" : " values") + " given for " + database + "/" + table
                    + "; give one per primary key column, in order (HTTP 400)", DclientException.Kind.USAGE);
        }
        return TableDrop.answer(client, r, database + "/" + table, action, permission);
    }
}
