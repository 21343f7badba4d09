package io.datasette.dclient.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Query;
import io.datasette.dclient.core.http.Response;
import io.datasette.dclient.core.http.Tilde;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an instance holds: its databases, a database's tables and views, schemas, plugins. The
 * one place that knows which endpoints answer these, their fallbacks on older Datasette
 * releases, and every response shape they have had; the command line prints what it returns,
 * the library converts it.
 */
public final class Catalog {
    private Catalog() {}

    /** Where the database list is asked first; the other is the fallback when it is missing (404). */
    public enum Listing {
        /** {@code /-/databases.json}: the stable endpoint, every attached database. */
        ATTACHED("/-/databases.json", "/.json"),
        /** {@code /.json}: the instance page, the databases this actor may view. */
        VISIBLE("/.json", "/-/databases.json");

        final String first;
        final String fallback;

        Listing(String first, String fallback) {
            this.first = first;
            this.fallback = fallback;
        }
    }

    // ---- databases ------------------------------------------------------------------------------

    /** The databases, as {@code databases} lists them ({@link Listing#ATTACHED} first). */
    public static ArrayNode databases(DatasetteClient client) {
        return databases(client, Listing.ATTACHED);
    }

    /**
     * The database entries (objects with at least a {@code name}, or bare names), asking
     * {@code listing}'s endpoint first and the other one when that route is missing (404).
     */
    public static ArrayNode databases(DatasetteClient client, Listing listing) {
        Response r = client.get(listing.first);
        if (r.status() == 404) return databaseEntries(client.getJson(listing.fallback));
        return databaseEntries(client.json(r));
    }

    /** The names of {@link #databases(DatasetteClient, Listing)}; entries without one are left out. */
    public static List<String> databaseNames(DatasetteClient client, Listing listing) {
        return names(databases(client, listing));
    }

    /**
     * The database entries of any known response shape: a bare list,
     * {@code {"databases": [...]}}, {@code {"databases": {name: info}}}, and Datasette 0.x's
     * {@code {name: info}} (where an entry without a {@code name} gets its key as one).
     */
    public static ArrayNode databaseEntries(JsonNode body) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        JsonNode dbs = body;
        if (body.isObject() && body.has("databases")) dbs = body.get("databases");
        if (dbs.isArray()) {
            dbs.forEach(out::add);
        } else if (dbs.isObject()) {
            // {name: info}: skip the envelope keys of a response that had no "databases" key
            for (Map.Entry<String, JsonNode> e : dbs.properties()) {
                if (!e.getValue().isObject()) continue;
                ObjectNode info = (ObjectNode) e.getValue().deepCopy();
                if (!info.has("name")) {
                    ObjectNode named = Json.object();
                    named.put("name", e.getKey());
                    named.setAll(info);
                    info = named;
                }
                out.add(info);
            }
        }
        return out;
    }

    /** The names of database (or table) entries: bare strings, or objects' textual {@code name}. */
    public static List<String> names(JsonNode entries) {
        List<String> names = new ArrayList<>();
        for (JsonNode e : entries) {
            if (e.isTextual()) names.add(e.asText());
            else if (e.path("name").isTextual()) names.add(e.path("name").asText());
        }
        return names;
    }

    /** An entry's name for display: a bare string, its {@code name}, else the entry as JSON. */
    public static String name(JsonNode entry) {
        if (entry.isTextual()) return entry.asText();
        JsonNode n = entry.get("name");
        return n == null ? Json.line(entry) : n.asText();
    }

    // ---- tables ---------------------------------------------------------------------------------

    /** A database's tables and views, as {@code /DB.json} lists them. */
    public record Tables(ArrayNode tables, ArrayNode views) {
        /** Tables first, then views. */
        public ArrayNode all() {
            ArrayNode all = JsonNodeFactory.instance.arrayNode();
            all.addAll(tables);
            all.addAll(views);
            return all;
        }
    }

    /**
     * The tables and views of {@code database} from {@code /DB.json}.
     *
     * @param tables include tables at all (false: views only)
     * @param hidden include hidden tables (FTS shadow tables and the like)
     * @param views include views
     */
    public static Tables tables(DatasetteClient client, String database, boolean tables, boolean hidden,
            boolean views) {
        JsonNode body = client.getJson("/" + Tilde.encode(database) + ".json");
        ArrayNode t = JsonNodeFactory.instance.arrayNode();
        if (tables) {
            for (JsonNode table : body.path("tables")) {
                if (hidden || !table.path("hidden").asBoolean(false)) t.add(table);
            }
        }
        ArrayNode v = JsonNodeFactory.instance.arrayNode();
        if (views) body.path("views").forEach(v::add);
        return new Tables(t, v);
    }

    // ---- schema ---------------------------------------------------------------------------------

    /**
     * The CREATE statements of a database, or of one table when {@code table} is not null:
     * {@code {"database", ["table",] "schema"}} from {@code /DB/-/schema.json} or
     * {@code /DB/TABLE/-/schema.json}. Datasette releases without those routes get the same text
     * from {@code sqlite_master} through a SQL query.
     */
    public static JsonNode schema(DatasetteClient client, String database, String table) {
        String path = "/" + Tilde.encode(database) + (table == null ? "" : "/" + Tilde.encode(table)) + "/-/schema.json";
        Response r = client.get(path);
        if (r.status() == 404 && !isNotFound(r)) return fromSqliteMaster(client, database, table);
        return client.json(r);
    }

    /** The schema text of {@link #schema}. */
    public static String schemaText(JsonNode schema) {
        return schema.path("schema").asText("");
    }

    /** A 404 that means "no such database/table" rather than "no such route". */
    private static boolean isNotFound(Response r) {
        String error = DatasetteClient.serverText(r);
        return "Database not found".equals(error) || "Table not found".equals(error);
    }

    private static JsonNode fromSqliteMaster(DatasetteClient client, String database, String table) {
        String sql = "select sql from sqlite_master where sql is not null"
                + (table == null ? "" : " and tbl_name = :table") + " order by type = 'table' desc, rowid";
        Query q = Query.of().add("sql", sql).add("_shape", "objects");
        if (table != null) q.add("table", table);
        JsonNode result = client.getJson("/" + Tilde.encode(database) + ".json" + q);
        StringBuilder schema = new StringBuilder();
        for (JsonNode row : result.path("rows")) {
            if (schema.length() > 0) schema.append('\n');
            schema.append(row.path("sql").asText()).append(';');
        }
        if (table != null && schema.length() == 0) {
            throw new DclientException("Table not found: " + table, DclientException.Kind.NOT_FOUND);
        }
        ObjectNode out = Json.object();
        out.put("database", database);
        if (table != null) out.put("table", table);
        out.put("schema", schema.toString());
        return out;
    }

    // ---- plugins --------------------------------------------------------------------------------

    /** The installed plugins from {@code /-/plugins.json}: the list, unwrapped from {@code {"plugins": [...]}}. */
    public static JsonNode plugins(DatasetteClient client) {
        JsonNode body = client.getJson("/-/plugins.json");
        return body.isObject() && body.has("plugins") ? body.get("plugins") : body;
    }
}
