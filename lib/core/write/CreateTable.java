package io.datasette.dclient.core.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Tilde;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Creating an empty table: {@code {"table", "columns": [{"name", "type"}], "pk" | "pks"}}
 * POSTed to {@code /DB/-/create}. Types and primary keys are checked before anything is sent
 * (Datasette would silently add a primary key column that is not in the list).
 */
public final class CreateTable {
    static final Set<String> TYPES = Set.of("text", "integer", "float", "blob");

    private CreateTable() {}

    /** The request body; {@code columns} are (name, type) pairs. Throws on a mistake, before any network. */
    public static ObjectNode body(String table, List<List<String>> columns, List<String> pks) {
        if (columns.isEmpty()) {
            throw new DclientException("A table needs at least one column: a name and a type (text, integer, float or blob)");
        }
        ObjectNode body = Json.object();
        body.put("table", table);
        ArrayNode cols = body.putArray("columns");
        Set<String> names = new LinkedHashSet<>();
        for (List<String> c : columns) {
            String name = c.get(0);
            String type = c.get(1).toLowerCase(Locale.ROOT);
            if (name.isEmpty()) throw new DclientException("A column name cannot be empty");
            if (!TYPES.contains(type)) {
                throw new DclientException("Unknown type '" + c.get(1) + "' for column " + name
                        + ": use text, integer, float or blob");
            }
            if (!names.add(name)) throw new DclientException("Column " + name + " is given twice");
            ObjectNode col = cols.addObject();
            col.put("name", name);
            col.put("type", type);
        }
        for (String pk : pks) {
            if (!names.contains(pk)) {
                throw new DclientException("The primary key " + pk + " is not one of the columns (" + String.join(", ", names)
                        + ")");
            }
        }
        if (pks.size() == 1) {
            body.put("pk", pks.get(0));
        } else if (pks.size() > 1) {
            ArrayNode a = body.putArray("pks");
            pks.forEach(a::add);
        }
        return body;
    }

    /** Sends a {@link #body} to the database and returns Datasette's answer. */
    public static JsonNode send(DatasetteClient client, String database, JsonNode body) {
        return WritePost.json(client, "/" + Tilde.encode(database) + "/-/create", body);
    }
}
