package io.datasette.dclient.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.api.Datasette;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.HostileServer;
import io.datasette.dclient.testing.HostileServer.Reply;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, "a server that sends headers and then stalls or drips the body": the timeout bounds
 * the wait for headers and every gap in the body, and a whole request may take ten timeouts. Each
 * test waits for real at most about a second.
 */
class TimeLimitsTest {
    private static final String HINT = "Use --timeout SECONDS or DCLIENT_TIMEOUT to wait longer.";
    private static final String PAGE = "{\"ok\": true, \"rows\": [], \"next\": null}";

    @TempDir
    Path dir;

    private static DatasetteClient client(HostileServer s, long millis) {
        return new DatasetteClient(SocketTransport.fromEnv(Map.of()), s.baseUrl(), "dstok_SECRET", null,
                Duration.ofMillis(millis), "prod");
    }

    /** One quick exchange first, so the limits below time the server, not class loading. */
    @org.junit.jupiter.api.BeforeAll
    static void warmUp() {
        try (HostileServer s = HostileServer.start(Reply.json(200, PAGE))) {
            client(s, 5000).getJson("/warm.json");
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void headersThenAStalledBodyEndsAfterTheIdleLimit() {
        try (HostileServer s = HostileServer.start(Reply.json(200, PAGE).stallAfterHeaders())) {
            long start = System.nanoTime();
            DclientException e = assertThrows(DclientException.class, () -> client(s, 300).getJson("/db/t.json"));
            assertTrue(millisSince(start) < 2000, "gave up after about 0.3 s, not " + millisSince(start) + " ms");
            assertEquals("Timed out after 0.3 s without data from " + s.baseUrl() + "/db/t.json while reading its"
                    + " response. " + HINT, e.getMessage());
            assertEquals(DclientException.Kind.NETWORK, e.kind());
        }
    }

    @Test
    void aDrippingBodyEndsAtTheLimitForTheWholeRequest() {
        // a byte every 10 ms never trips the 0.15 s idle limit; the whole request may take 1.5 s
        try (HostileServer s = HostileServer.start(Reply.json(200, " ".repeat(500) + PAGE).drip(Duration.ofMillis(10)))) {
            long start = System.nanoTime();
            DclientException e = assertThrows(DclientException.class, () -> client(s, 150).getJson("/db/t.json"));
            long took = millisSince(start);
            assertEquals("Timed out after 1.5 s reading the response from " + s.baseUrl() + "/db/t.json (a request may"
                    + " take 10 times the timeout of 0.15 s). " + HINT, e.getMessage());
            assertTrue(took >= 1400 && took < 3000, "took " + took + " ms");
        }
    }

    @Test
    void noAnswerAtAllEndsAfterTheTimeout() {
        try (HostileServer s = HostileServer.start(Reply.neverRespond())) {
            long start = System.nanoTime();
            DclientException e = assertThrows(DclientException.class, () -> client(s, 300).getJson("/x.json"));
            assertTrue(millisSince(start) < 2000);
            assertEquals("Timed out after 0.3 s waiting for " + s.baseUrl() + "/x.json. Is the server overloaded? "
                    + HINT, e.getMessage());
        }
    }

    @Test
    void streamingGetAlsoEndsOnAStall() {
        // the first bytes are already out when the server stops: streamed, not buffered
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n";
        try (HostileServer s = HostileServer.start(Reply.raw(head + "hello").stallAfterHeaders())) {
            CliRunner.Result r = new CliRunner(dir).run("get", "/big.txt", "-i", s.baseUrl(), "--timeout", "0.5");
            assertEquals(1, r.exitCode(), r.toString());
            assertEquals("hello", r.out());
            assertEquals("Error: Timed out after 0.5 s without data from " + s.baseUrl() + "/big.txt while reading its"
                    + " response. " + HINT + "\n", r.err());
        }
    }

    @Test
    void anEndlessBodyThroughGetEndsAtTheWholeRequestLimitWithoutPilingUp() {
        try (HostileServer s = HostileServer.start(Reply.status(200).header("Content-Type", "text/plain").endless())) {
            long[] written = {0};
            OutputStream counting = new OutputStream() {
                @Override
                public void write(int b) {
                    written[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    written[0] += len;
                }
            };
            long start = System.nanoTime();
            DclientException e = assertThrows(DclientException.class, () -> client(s, 150).stream("/endless", counting));
            // the 1.5 s for the whole request (or, should the machine pause for 0.15 s, the idle limit)
            assertTrue(e.getMessage().startsWith("Timed out after "), e.getMessage());
            assertTrue(e.getMessage().contains(s.baseUrl() + "/endless"), e.getMessage());
            assertTrue(millisSince(start) < 3000, "ended");
            assertTrue(written[0] > 100_000, "copied as it came: " + written[0] + " bytes");
        }
    }

    @Test
    void rowsAllOnAStallingServerGivesOneLineThroughTheCli() {
        try (HostileServer s = HostileServer.start(Reply.json(200, PAGE).stallAfterHeaders())) {
            CliRunner.Result r = new CliRunner(dir).run("rows", "fixtures", "dogs", "--all", "-i", s.baseUrl(),
                    "--timeout", "0.3");
            assertEquals(1, r.exitCode(), r.toString());
            // headers first, then nothing: the body's wait (or, on a slow machine, the headers') ends it
            assertTrue(r.err().startsWith("Error: Timed out after 0.3 s "), r.err());
            assertTrue(r.err().contains(s.baseUrl() + "/fixtures/dogs.json"), r.err());
            assertTrue(r.err().endsWith(HINT + "\n"), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
        }
    }

    @Test
    void theOptionWinsOverTheEnvironment() {
        try (HostileServer s = HostileServer.start(Reply.json(200, PAGE).stallAfterHeaders())) {
            CliRunner.Result r = new CliRunner(dir).env("DCLIENT_TIMEOUT", "60")
                    .run("query", "fixtures", "select 1", "-i", s.baseUrl(), "--timeout", "0.2");
            assertEquals(1, r.exitCode(), r.toString());
            assertTrue(r.err().startsWith("Error: Timed out after 0.2 s "), r.err());
        }
    }

    @Test
    void theEnvironmentCoversTheBodyToo() {
        try (HostileServer s = HostileServer.start(Reply.json(200, PAGE).stallAfterHeaders())) {
            CliRunner.Result r = new CliRunner(dir).env("DCLIENT_TIMEOUT", "0.3").run("databases", "-i", s.baseUrl());
            assertEquals(1, r.exitCode(), r.toString());
            assertTrue(r.err().startsWith("Error: Timed out after 0.3 s "), r.err());
        }
    }

    @ParameterizedTest(name = "--timeout {0}")
    @ValueSource(strings = {"0", "-1", "NaN", "Infinity"})
    void aTimeoutThatIsNotAPositiveNumberIsAUsageError(String value) {
        CliRunner.Result r = new CliRunner(dir).run("get", "/x", "-i", "http://127.0.0.1:1", "--timeout", value);
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("Error: --timeout must be a positive number of seconds\n", r.err());
    }

    @Test
    void aTimeoutThatIsNotANumberIsAUsageError() {
        CliRunner.Result r = new CliRunner(dir).run("get", "/x", "-i", "http://127.0.0.1:1", "--timeout", "soon");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--timeout"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    /** Every command that reaches a server ({@code -i}, or {@code login}) takes --timeout. */
    @Test
    void everyCommandThatTalksToAServerTakesTheOption() {
        java.util.List<String> missing = new java.util.ArrayList<>();
        java.util.List<String> with = new java.util.ArrayList<>();
        walk(io.datasette.dclient.cli.CommandSpecs.load(), "dclient", missing, with);
        assertEquals(java.util.List.of(), missing);
        assertTrue(with.containsAll(java.util.List.of("dclient", "dclient query", "dclient rows", "dclient get",
                "dclient insert", "dclient auth status", "dclient actor", "dclient login")), with.toString());
    }

    private static void walk(io.datasette.dclient.cli.CommandDef c, String path, java.util.List<String> missing,
            java.util.List<String> with) {
        boolean local = path.equals("dclient auth token"); // prints a stored token, asks no server
        boolean server = !local && (takes(c, "instance") || path.equals("dclient login"));
        if (c.handler() != null && server) {
            if (takes(c, "timeout")) with.add(path);
            else missing.add(path);
        }
        if (c.commands() == null) return;
        for (io.datasette.dclient.cli.CommandDef child : c.commands()) walk(child, path + " " + child.name(), missing, with);
    }

    private static boolean takes(io.datasette.dclient.cli.CommandDef c, String key) {
        return c.options().stream().anyMatch(o -> o.key().equals(key));
    }

    @Test
    void theLibraryNamesItsOwnSetting() {
        try (HostileServer s = HostileServer.start(Reply.json(200, PAGE).stallAfterHeaders())) {
            Datasette ds = Datasette.builder().url(s.baseUrl()).env(Map.of("DCLIENT_CONFIG_DIR", dir.toString()))
                    .timeout(Duration.ofMillis(300)).build();
            DclientException e = assertThrows(DclientException.class, ds::databases);
            assertTrue(e.getMessage().startsWith("Timed out after 0.3 s "), e.getMessage());
            assertTrue(e.getMessage().endsWith("Use Datasette.builder().timeout(...) or DCLIENT_TIMEOUT to wait longer."),
                    e.getMessage());
        }
    }
}
