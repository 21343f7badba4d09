package io.datasette.dclient.cli.commands.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.cli.Connections;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.core.data.Catalog;
import io.datasette.dclient.core.session.Session;

/** {@code plugins [--json]}: installed plugins, {@code name<TAB>version} per line. */
public final class PluginsHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        Session.Connection conn = Connections.open(inv, ctx);
        JsonNode list = Catalog.plugins(conn.client());
        if (inv.flag("json")) {
            ctx.out().println(Json.pretty(list, 2));
            return 0;
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode p : list) {
            if (p.isTextual()) {
                sb.append(p.asText());
            } else {
                sb.append(p.path("name").asText());
                String version = p.path("version").asText("");
                if (!version.isEmpty() && !p.path("version").isNull()) sb.append('\t').append(version);
            }
            sb.append('\n');
        }
        ctx.out().print(sb);
        return 0;
    }
}
