package io.datasette.dclient.cli.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.data.PageWalk;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.SocketTransport;
import io.datasette.dclient.testing.HostileServer;
import io.datasette.dclient.testing.HostileServer.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code rows --nl} copies a row from the page's text when the text lays out as {@code Json.line}
 * would ({@link PageWalk.Page#rowSpan}, {@link JsonBytes#line}) and reads the row as a tree
 * otherwise. Either way the output must be, byte for byte, what writing each row's tree gives:
 * checked here on pages of random JSON text (escapes of every kind, spacing, tricky numbers,
 * repeated keys, nesting) served over HTTP.
 */
class CopiedRowsTest {
    private static final String[] NUMBERS = {"0", "-0", "1", "-1", "42", "10.0", "1.50", "0.5", "-0.5", "0.000001",
        "0.0000001", "0.0000010", "-0.0", "0.000000", "0.0000000", "1e5", "1E+5", "1.5e-7", "-2E3", "0.1",
        "123456789012345678901234567890", "-9223372036854775808", "9223372036854775807", "3.141592653589793",
        "123456789.000000001", "100"};

    /** NL output of the page's rows through the walk (copied where possible), and as trees. */
    private static byte[][] both(HostileServer s, String path, String page) throws Exception {
        DatasetteClient client = new DatasetteClient(SocketTransport.fromEnv(Map.of()), s.baseUrl(), null, null, null, "t");
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(copied, false, StandardCharsets.UTF_8);
        RowWriter w = RowWriter.create(Format.NL, out);
        try (PageWalk walk = PageWalk.onDemand(client, path, 0)) {
            for (PageWalk.Page p = walk.next(); p != null; p = walk.next()) w.rows(p);
        }
        w.finish();
        ByteArrayOutputStream trees = new ByteArrayOutputStream();
        PrintStream tout = new PrintStream(trees, false, StandardCharsets.UTF_8);
        RowWriter tw = RowWriter.create(Format.NL, tout);
        for (JsonNode row : Json.parse(page.getBytes(StandardCharsets.UTF_8)).path("rows")) tw.row(row);
        tw.finish();
        return new byte[][] {copied.toByteArray(), trees.toByteArray()};
    }

    @Test
    void randomPagesGiveWhatTheTreesGive() throws Exception {
        Random r = new Random(7);
        List<String> pages = new ArrayList<>();
        for (int k = 0; k < 300; k++) pages.add(page(r, 1 + r.nextInt(6)));
        try (HostileServer s = HostileServer.start(req -> {
            int k = Integer.parseInt(req.path().substring(3, req.path().indexOf('.')));
            return Reply.json(200, "").body(pages.get(k).getBytes(StandardCharsets.UTF_8));
        })) {
            int refused = 0;
            for (int k = 0; k < pages.size(); k++) {
                try {
                    Json.parse(pages.get(k).getBytes(StandardCharsets.UTF_8));
                } catch (java.io.IOException notJson) {
                    // should Jackson refuse one, so must the walk, as before
                    refused++;
                    String path = "/p/" + k + ".json";
                    io.datasette.dclient.core.DclientException e = org.junit.jupiter.api.Assertions.assertThrows(
                            io.datasette.dclient.core.DclientException.class, () -> both(s, path, pages.get(0)));
                    assertEquals("Response from " + s.baseUrl() + path + " was not valid JSON (HTTP 200)", e.getMessage());
                    continue;
                }
                byte[][] got = both(s, "/p/" + k + ".json", pages.get(k));
                assertEquals(new String(got[1], StandardCharsets.UTF_8), new String(got[0], StandardCharsets.UTF_8),
                        pages.get(k));
                assertArrayEquals(got[1], got[0], pages.get(k));
            }
            assertEquals(0, refused, "pages Jackson refused");
        }
    }

    @Test
    void datasetteShapedRowsAreCopiedAndTheRestReadAsTrees() throws Exception {
        String page = "{\"ok\": true, \"next\": null, \"next_url\": null, \"rows\": ["
                + "{\"id\": 1, \"name\": \"Item 1\", \"value\": 639.427, \"note\": null},"
                + "{\"id\": 2, \"name\": \"S\\u00e3o \\\"x\\\" \\ud83d\\ude00\", \"value\": 0.5, \"note\": \"a\\/b\"},"
                + "{\"id\": 3, \"name\": \"e\", \"value\": 1e-07, \"note\": null},"
                + "{\"id\": 4, \"id\": 5}], \"truncated\": false}";
        try (HostileServer s = HostileServer.start(Reply.json(200, page))) {
            DatasetteClient client = new DatasetteClient(SocketTransport.fromEnv(Map.of()), s.baseUrl(), null, null, null, "t");
            try (PageWalk walk = PageWalk.onDemand(client, "/db/t.json", 0)) {
                PageWalk.Page p = walk.next();
                assertNotNull(p.bytes());
                assertTrue(p.rowSpan(0) >= 0, "plain");
                assertTrue(p.rowSpan(1) >= 0, "escapes are re-laid");
                assertEquals(-1, p.rowSpan(2), "an exponent: Json writes 1E-7");
                assertEquals(-1, p.rowSpan(3), "a key twice");
                assertEquals(4, p.rows().size());
            }
            byte[][] got = both(s, "/db/t.json", page);
            assertEquals("{\"id\": 1, \"name\": \"Item 1\", \"value\": 639.427, \"note\": null}\n"
                    + "{\"id\": 2, \"name\": \"São \\\"x\\\" 😀\", \"value\": 0.5, \"note\": \"a/b\"}\n"
                    + "{\"id\": 3, \"name\": \"e\", \"value\": 1E-7, \"note\": null}\n"
                    + "{\"id\": 5}\n", new String(got[0], StandardCharsets.UTF_8));
            assertArrayEquals(got[1], got[0]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"ok\": true, \"rows\": [{\"a\\udc00\": 1}]}",
        "{\"ok\": true, \"rows\": [{\"a\\ud83d\": 1}]}", "{\"ok\": true, \"rows\": [{\"a\\ud83dx\": 1}]}"})
    void aPageThatIsNotJsonToJacksonFailsAsBefore(String page) throws Exception {
        try (HostileServer s = HostileServer.start(Reply.json(200, page))) {
            DatasetteClient client = new DatasetteClient(SocketTransport.fromEnv(Map.of()), s.baseUrl(), null, null, null, "t");
            try (PageWalk walk = PageWalk.onDemand(client, "/db/t.json", 0)) {
                io.datasette.dclient.core.DclientException e = org.junit.jupiter.api.Assertions.assertThrows(
                        io.datasette.dclient.core.DclientException.class, walk::next);
                assertEquals("Response from " + s.baseUrl() + "/db/t.json was not valid JSON (HTTP 200)", e.getMessage());
            }
        }
    }

    @Test
    void okFalseIsTheServersErrorAsBefore() {
        String page = "{\"ok\": false, \"error\": \"Something odd\", \"rows\": [{\"id\": 1}]}";
        try (HostileServer s = HostileServer.start(Reply.json(200, page))) {
            DatasetteClient client = new DatasetteClient(SocketTransport.fromEnv(Map.of()), s.baseUrl(), null, null, null, "t");
            try (PageWalk walk = PageWalk.onDemand(client, "/db/t.json", 0)) {
                io.datasette.dclient.core.DclientException e = org.junit.jupiter.api.Assertions.assertThrows(
                        io.datasette.dclient.core.DclientException.class, walk::next);
                assertEquals("Something odd (HTTP 200)", e.getMessage());
            }
        }
    }

    // ---- random JSON text ----------------------------------------------------------------------

    private static String page(Random r, int rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(ws(r)).append('{').append(ws(r)).append("\"ok\"").append(ws(r)).append(':').append(ws(r)).append("true")
                .append(ws(r)).append(',').append(ws(r)).append("\"next_url\": null, \"rows\"").append(ws(r)).append(':')
                .append(ws(r)).append('[');
        for (int i = 0; i < rows; i++) {
            if (i > 0) sb.append(ws(r)).append(',');
            sb.append(ws(r));
            object(r, sb, 0);
        }
        sb.append(ws(r)).append(']').append(ws(r)).append(", \"truncated\": false").append(ws(r)).append('}').append(ws(r));
        return sb.toString();
    }

    private static String ws(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> " ";
            case 1 -> "\n  ";
            case 2 -> "\t";
            case 3 -> "\r\n";
            default -> "";
        };
    }

    private static void object(Random r, StringBuilder sb, int depth) {
        sb.append('{');
        int n = r.nextInt(5);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(ws(r)).append(',').append(ws(r));
            // (Jackson refuses a lone surrogate in a name as not JSON: keys have none; see the test above)
            String key = !keys.isEmpty() && r.nextInt(10) == 0 ? keys.get(r.nextInt(keys.size()))
                    : text(r).replaceAll("[\\x{D800}-\\x{DFFF}]", "");
            keys.add(key);
            string(r, sb, key);
            sb.append(ws(r)).append(':').append(ws(r));
            value(r, sb, depth + 1);
        }
        sb.append(ws(r)).append('}');
    }

    private static void value(Random r, StringBuilder sb, int depth) {
        switch (r.nextInt(depth > 3 ? 5 : 7)) {
            case 0 -> string(r, sb, text(r));
            case 1 -> sb.append(NUMBERS[r.nextInt(NUMBERS.length)]);
            case 2 -> sb.append(r.nextBoolean() ? "true" : "false");
            case 3 -> sb.append("null");
            case 4 -> sb.append(r.nextInt(2000) - 1000);
            case 5 -> object(r, sb, depth);
            default -> {
                sb.append('[');
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    if (i > 0) sb.append(ws(r)).append(',').append(ws(r));
                    value(r, sb, depth + 1);
                }
                sb.append(ws(r)).append(']');
            }
        }
    }

    private static String text(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(8);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(7)) {
                case 0 -> sb.append((char) r.nextInt(0x20));
                case 1 -> sb.append((char) (0x20 + r.nextInt(0x60)));
                case 2 -> sb.append((char) (0x80 + r.nextInt(0x780)));
                case 3 -> sb.append((char) (0x800 + r.nextInt(0xF7FF)));
                case 4 -> sb.appendCodePoint(0x10000 + r.nextInt(0xFFFFF));
                case 5 -> sb.append("\"\\/");
                default -> sb.append("plain");
            }
        }
        return sb.toString();
    }

    /** {@code s} as a JSON string with each character written one of the ways JSON allows. */
    private static void string(Random r, StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean lone = Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) && !(Character.isLowSurrogate(c) && i > 0
                    && Character.isHighSurrogate(s.charAt(i - 1)));
            boolean escape = lone || c < 0x20 || c == '"' || c == '\\' || r.nextInt(4) == 0;
            if (!lone && Character.isHighSurrogate(c)) { // a pair: both halves written the same way
                if (escape) {
                    sb.append(String.format("\\u%04x\\u%04X", (int) c, (int) s.charAt(i + 1)));
                } else {
                    sb.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            if (!escape) {
                sb.append(c);
                continue;
            }
            String shortForm = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '/' -> "\\/";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                default -> null;
            };
            if (shortForm != null && r.nextBoolean()) {
                sb.append(shortForm);
            } else {
                String hex = String.format("%04x", (int) c);
                sb.append("\\u").append(r.nextBoolean() ? hex : hex.toUpperCase());
            }
        }
        sb.append('"');
    }
}
