package io.datasette.dclient.core.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.auth.PermissionAdvice;
import io.datasette.dclient.core.auth.TokenSource;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Response;
import io.datasette.dclient.core.text.Safe;
import io.datasette.dclient.core.text.Shell;
import java.nio.charset.StandardCharsets;

/**
 * A write POST and its answer. Writes without a token are sent as they are (Datasette can grant
 * {@code insert-row}, {@code create-table}... to anonymous actors); when the server then refuses
 * (401 or 403), the error says how to set up a token.
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

    /** The JSON of a successful answer to a write; else the server's message (with the token guide when anonymous). */
    static JsonNode answer(DatasetteClient client, Response r) {
        if ((r.status() == 401 || r.status() == 403) && !client.hasToken()) {
            throw new DclientException(withoutHint(client.errorMessage(r), r.status()) + "\n" + tokenGuide(client.label()),
                    DclientException.Kind.PERMISSION);
        }
        return client.json(r);
    }

    /** How to set up a token for writing to the instance named {@code label} (four lines). */
    static String tokenGuide(String label) {
        return "Writing to " + label + " needs an API token, and none is set up for it. Either:\n"
                + "    dclient auth add " + Shell.quote(label) + "      (paste a token)\n"
                + "    dclient login " + Shell.quote(label) + "         (if the instance has datasette-oauth)\n"
                + "or pass --token TOKEN, or set the DATASETTE_TOKEN environment variable.";
    }

    /** The server's part of an error message, without the one-line token hint the guide replaces. */
    private static String withoutHint(String message, int status) {
        String marker = "(HTTP " + status + ")";
        int at = message.indexOf(marker);
        if (at >= 0) return message.substring(0, at + marker.length());
        for (String hint : new String[] {". No token was sent", ". Check the token"}) {
            int h = message.lastIndexOf(hint);
            if (h > 0) return message.substring(0, h);
        }
        return message;
    }
}
