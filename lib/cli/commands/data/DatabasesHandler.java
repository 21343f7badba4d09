package io.datasette.dclient.cli.commands.data;

import io.datasette.dclient.cli.Connections;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.Context;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Response;
import io.datasette.dclient.core.session.Session;
import java.util.Map;

/**
 * {@code databases [--json]}: the databases of an instance, one name per line. Asks the stable
 * {@code /-/databases.json} first and falls back to {@code /.json} when that route is missing;
 * copes with every shape those have had (a bare list, {@code {"databases": [...]}},
 * {@code {"databases": {name: info}}}, and Datasette 0.x's {@code {name: info}}).
 */
public final class DatabasesHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        Session.Connection conn = Connections.open(inv, ctx);
        ArrayNode list = databases(fetch(conn.client()));
        if (inv.flag("json")) {
            ctx.out().println(Json.pretty(list, 2));
        } else {
            for (JsonNode db : list) ctx.out().println(name(db));
        }
        return 0;
    }

    static JsonNode fetch(DatasetteClient client) {
        Response r = client.get("/-/databases.json");
        if (r.status() == 404) return client.getJson("/.json");
        return client.json(r);
    }

    /** The list of database entries in any of the known response shapes. */
    static ArrayNode databases(JsonNode body) {
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

    static String name(JsonNode db) {
        if (db.isTextual()) return db.asText();
        JsonNode n = db.get("name");
        return n == null ? Json.line(db) : n.asText();
    }
}
