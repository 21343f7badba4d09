package io.datasette.dclient.core.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.auth.PermissionAdvice;
import io.datasette.dclient.core.auth.TokenSource;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Response;
import io.datasette.dclient.core.text.Safe;
import java.nio.charset.StandardCharsets;

/**
 * A write POST and its answer. Writes without a token are sent as they are (Datasette can grant
 * {@code insert-row}, {@code create-table}... to anonymous actors); when the server then refuses
 * (401 or 403), the failure carries the advice to add one (each face words it).
 */
public final class WritePost {
    private WritePost() {}

    /** POSTs a JSON body to {@code path} and returns the answer, or fails with the server's message. */
    public static JsonNode json(DatasetteClient client, String path, JsonNode body) {
        byte[] bytes = Json.compact(body).getBytes(StandardCharsets.UTF_8);
        return answer(client, client.send("POST", client.uri(path), "application/json", bytes));
    }

    /**
     * As {@link #answer(DatasetteClient, Response)}, and a refusal of the token that was sent says
     * which token it was, where it came from and how to get one with write access.
     */
    static JsonNode answer(DatasetteClient client, Response r, TokenSource source, String database, String table) {
        if ((r.status() == 401 || r.status() == 403) && client.hasToken() && source != null && source.present()) {
            throw new DclientException(PermissionAdvice.writeRefused(DatasetteClient.serverText(r), r.status(),
                    Safe.maskUrl(r.uri()), source, client.label(), database, table), DclientException.Kind.PERMISSION);
        }
        return answer(client, r);
    }

    /**
     * The JSON of a successful answer to a write; else the server's message, and when no token
     * was sent, the advice to add one that may write.
     */
    static JsonNode answer(DatasetteClient client, Response r) {
        if ((r.status() == 401 || r.status() == 403) && !client.hasToken()) {
            throw client.failure(r, new Advice.Access(true, null, null));
        }
        return client.json(r);
    }
}
