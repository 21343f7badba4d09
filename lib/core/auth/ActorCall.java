package io.datasette.dclient.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Response;
import io.datasette.dclient.core.session.Session;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /-/actor.json}, shared by {@code auth status} and {@code actor}. */
public final class ActorCall {
    static final String PATH = "/-/actor.json";

    private ActorCall() {}

    /**
     * Fetches the actor. A 401/403 becomes an error with the server's message, where the token
     * came from and what to run next; other failures use the client's usual messages.
     */
    public static JsonNode fetch(Session.Connection conn) {
        DatasetteClient client = conn.client();
        Response r = client.get(PATH);
        if (r.status() == 401 || r.status() == 403) throw new DclientException(rejected(r, conn));
        return client.json(r);
    }

    /** The response as the user's document shows it: Python-style indent 4, without Datasette 1.0's {@code "ok": true}. */
    public static String render(JsonNode body) {
        JsonNode shown = body;
        if (body instanceof ObjectNode o && o.path("ok").isBoolean()) {
            ObjectNode copy = o.deepCopy();
            copy.remove("ok");
            shown = copy;
        }
        return Json.pretty(shown, 4);
    }

    /** The actor object, or null (anonymous, or no {@code actor} key). */
    public static JsonNode actor(JsonNode body) {
        JsonNode a = body.get("actor");
        return a == null || a.isNull() ? null : a;
    }

    /**
     * When the token in use expires (epoch seconds), or null when unknown: the server's
     * {@code token_expires}, else the sidecar note for its auth.json key, else its dstok_ payload.
     */
    public static Long expiry(Session.Connection conn, Context ctx, JsonNode actor) {
        if (actor != null && actor.path("token_expires").canConvertToLong()) return actor.path("token_expires").asLong();
        TokenSource src = conn.token();
        if (!src.present()) return null;
        if (src.key() != null) return new TokenMetadata(ctx.configDir(), ctx.err()).expiresAt(src.key(), src.token());
        return TokenMetadata.decodedExpiry(src.token());
    }

    /** Warns on stderr when the token expires within a day, or has expired by the local clock. */
    public static void warnIfExpiring(Long expiresAt, Session.Connection conn, Context ctx) {
        if (expiresAt == null) return;
        long left = expiresAt - ctx.clock().instant().getEpochSecond();
        String renew = " Get a new one: dclient login " + conn.instance().label();
        if (left <= 0) {
            ctx.err().println("Warning: by this computer's clock the token expired " + TokenMetadata.duration(-left)
                    + " ago (" + TokenMetadata.when(expiresAt) + ")." + renew);
        } else if (left < TokenMetadata.SOON_SECONDS) {
            ctx.err().println("Warning: the token expires in " + TokenMetadata.duration(left) + " ("
                    + TokenMetadata.when(expiresAt) + ")." + renew);
        }
    }

    /** The error for a 401/403: server message, instance, source of the token, next step. */
    static String rejected(Response r, Session.Connection conn) {
        TokenSource src = conn.token();
        String label = conn.instance().label();
        StringBuilder sb = new StringBuilder(serverMessage(r)).append(" (HTTP ").append(r.status())
                .append(" from ").append(conn.instance().url()).append("). ");
        if (!src.present()) {
            sb.append("No token was sent. Add one: dclient login ").append(label)
                    .append(", or dclient auth add ").append(label);
        } else {
            sb.append("The token came from ").append(src.describe()).append(". ");
            switch (src.kind()) {
                case FLAG -> sb.append("Check the value passed to --token, or leave --token out to use a stored token.");
                case ENV -> sb.append("Set DATASETTE_TOKEN to a valid token, or unset it; or get a new token: dclient login ")
                        .append(label);
                default -> sb.append("Get a new one: dclient login ").append(label)
                        .append(", or store one: dclient auth add ").append(src.key());
            }
        }
        String text = sb.toString();
        return src.present() ? text.replace(src.token(), "***") : text;
    }

    /** Datasette's error text ("Token has expired"), or "HTTP 401" when the body has none. */
    static String serverMessage(Response r) {
        JsonNode node = r.jsonOrNull();
        if (node != null && node.isObject()) {
            if (node.path("error").isTextual() && !node.path("error").asText().isBlank()) return node.path("error").asText();
            if (node.path("errors").isArray() && !node.path("errors").isEmpty()) {
                List<String> errs = new ArrayList<>();
                node.path("errors").forEach(e -> errs.add(e.isTextual() ? e.asText() : Json.line(e)));
                return String.join("; ", errs);
            }
            if (node.path("title").isTextual() && !node.path("title").asText().isBlank()) return node.path("title").asText();
        }
        String body = r.text().strip();
        if (!body.isEmpty() && body.length() <= 200 && !body.contains("<") && !body.contains("\n")) return body;
        return r.status() == 401 ? "Unauthorized" : "Forbidden";
    }
}
