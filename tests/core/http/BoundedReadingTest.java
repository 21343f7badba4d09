package io.datasette.dclient.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.HostileServer;
import io.datasette.dclient.testing.HostileServer.Reply;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, "an endless response body", "a 5 MB JSON error message" and "ANSI escapes in a
 * server error": what is read into memory is capped, {@code get} streams, and a server's message
 * is one clean line of at most 300 characters.
 */
class BoundedReadingTest {
    @TempDir
    Path dir;

    private static DatasetteClient client(HostileServer s) {
        return new DatasetteClient(SocketTransport.fromEnv(Map.of()), s.baseUrl(), null, null, Duration.ofSeconds(5), "prod");
    }

    @Test
    void theCapIs64MiB() {
        assertEquals(64L << 20, DatasetteClient.MAX_RESPONSE_BYTES);
        assertEquals(1 << 20, DatasetteClient.MAX_ERROR_BYTES);
    }

    @Test
    void aPageOverTheCapIsAnErrorNotAnAllocation() {
        try (HostileServer s = HostileServer.start(Reply.json(200, "").endless("[1,".getBytes(StandardCharsets.UTF_8)))) {
            DclientException e = assertThrows(DclientException.class,
                    () -> client(s).maxResponseBytes(1 << 20).getJson("/db/t.json"));
            assertEquals("The response from " + s.baseUrl() + "/db/t.json is larger than 1 MiB, the most dclient reads"
                    + " into memory at once; ask for less (smaller pages, fewer columns)", e.getMessage());
            assertEquals(DclientException.Kind.SERVER, e.kind());
        }
    }

    @Test
    void aDeclaredLengthOverTheCapFailsBeforeReading() {
        try (HostileServer s = HostileServer.start(Reply.json(200, "").hugeBody(3L << 30))) {
            long start = System.nanoTime();
            DclientException e = assertThrows(DclientException.class, () -> client(s).getJson("/db/t.json"));
            assertTrue(e.getMessage().contains("is larger than 64 MiB"), e.getMessage());
            assertTrue(System.nanoTime() - start < 2_000_000_000L, "did not read 3 GiB first");
        }
    }

    @Test
    void aFiveMegabyteErrorMessageIsNotWrittenOut() {
        String huge = "{\"ok\": false, \"error\": \"" + "x".repeat(5 << 20) + "\"}";
        try (HostileServer s = HostileServer.start(Reply.json(500, huge))) {
            CliRunner.Result r = new CliRunner(dir).run("get", "/db.json", "-i", s.baseUrl());
            assertEquals(1, r.exitCode(), r.toString());
            assertEquals("Error: HTTP 500 from " + s.baseUrl() + "/db.json\n", r.err()); // 1 MiB read: not JSON any more
        }
    }

    @Test
    void aLongErrorMessageIsCutTo300Characters() {
        String body = "{\"ok\": false, \"error\": \"" + "A".repeat(200_000) + "\", \"status\": 400}";
        try (HostileServer s = HostileServer.start(Reply.json(400, body))) {
            DclientException e = assertThrows(DclientException.class, () -> client(s).getJson("/db.json"));
            assertEquals("A".repeat(300) + "… (HTTP 400)", e.getMessage());
        }
    }

    @Test
    void escapesAndControlCharactersInAServerMessageAreDropped() {
        String body = "{\"ok\": false, \"error\": \"\\u001b]0;pwned\\u0007\\u001b[31mBad\\u001b[0m\\r\\nthing\\u0007\","
                + " \"status\": 400}";
        try (HostileServer s = HostileServer.start(Reply.json(400, body))) {
            CliRunner.Result r = new CliRunner(dir).run("query", "db", "select 1", "-i", s.baseUrl());
            assertEquals(1, r.exitCode(), r.toString());
            assertEquals("Error: Bad thing\\x07 (HTTP 400)\n", r.err());
        }
        try (HostileServer s = HostileServer.start(Reply.text(502, "\u001b[2J\u001b[HGateway down"))) {
            DclientException e = assertThrows(DclientException.class, () -> client(s).getJson("/x.json"));
            assertEquals("HTTP 502 from " + s.baseUrl() + "/x.json: Gateway down", e.getMessage());
        }
    }

    @Test
    void getStreamsALargeJsonBodyPrettyPrintedAsJsonPrettyWould() throws Exception {
        StringBuilder sb = new StringBuilder("{\"ok\": true, \"rows\": [");
        for (int i = 0; i < 20_000; i++) {
            if (i > 0) sb.append(',');
            sb.append("{\"id\": ").append(i).append(", \"name\": \"dog \\\"").append(i)
                    .append("\\\" caf\u00e9\", \"weight\": ").append(i).append(".50, \"tags\": [], \"meta\": {}, \"n\": null}");
        }
        sb.append("], \"empty\": {}, \"big\": 123456789012345678901234567890, \"e\": 1.5e3}");
        String body = sb.toString();
        assertTrue(body.length() > (1 << 20), "over the 1 MiB read whole");
        JsonNode tree = Json.parse(body);
        try (HostileServer s = HostileServer.start(Reply.json(200, body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            client(s).stream("/db/t.json", out);
            assertEquals(Json.pretty(tree, 2) + "\n", out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aLargeBodyThatIsNotJsonAfterAllEndsWithAnError() {
        String body = "[" + "1,".repeat(600_000) + "oops]";
        try (HostileServer s = HostileServer.start(Reply.json(200, body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DclientException e = assertThrows(DclientException.class, () -> client(s).stream("/x.json", out));
            assertTrue(e.getMessage().startsWith("The response from " + s.baseUrl() + "/x.json is not valid JSON after "),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith(" bytes; the output is incomplete"), e.getMessage());
        }
    }

    @Test
    void aLargeTextBodyIsCopiedAsIsWithAFinalNewline() {
        String body = "line\n".repeat(300_000) + "last";
        try (HostileServer s = HostileServer.start(Reply.text(200, body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            client(s).stream("/log.txt", out);
            assertEquals(body + "\n", out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aFailedStatusIsAnErrorBeforeAnythingIsWritten() {
        try (HostileServer s = HostileServer.start(Reply.json(403, "{\"ok\": false, \"error\": \"execute-sql\"}"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DclientException e = assertThrows(DclientException.class, () -> client(s).stream("/x.json", out));
            assertEquals("Permission denied: execute-sql (HTTP 403). No token was sent; add one: dclient auth add prod"
                    + " (or dclient login prod)", e.getMessage());
            assertEquals(DclientException.Kind.PERMISSION, e.kind());
            assertEquals(0, out.size());
        }
    }
}
