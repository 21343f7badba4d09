package io.datasette.dclient.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.api.Datasette;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.HostileServer;
import io.datasette.dclient.testing.HostileServer.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 11's rows on where requests go: a 307 to another origin on POST, a password in the
 * instance URL, an unknown host name, and a token about to cross the network in plain http.
 */
class HostileUrlsTest {
    private static final String OK = "{\"ok\": true, \"rows\": []}";

    @TempDir
    Path dir;

    private static DatasetteClient client(String url, String token, Map<String, String> env) {
        return new DatasetteClient(SocketTransport.fromEnv(env), url, token, null, Duration.ofSeconds(5), "prod");
    }

    // --- redirects ----------------------------------------------------------------------------

    @ParameterizedTest(name = "HTTP {0}")
    @CsvSource({"307", "308"})
    void aPostIsNotSentOnToAnotherOrigin(int status) {
        try (HostileServer other = HostileServer.start(Reply.json(200, OK));
                HostileServer instance = HostileServer.start(Reply.redirect(status, other.baseUrl() + "/steal"))) {
            DclientException e = assertThrows(DclientException.class, () -> client(instance.baseUrl(), "dstok_X", Map.of())
                    .postJson("/db/t/-/insert", Json.object().put("row", 1)));
            assertEquals("The server answered the POST to " + instance.baseUrl() + "/db/t/-/insert with a redirect (HTTP "
                    + status + ") to " + other.baseUrl() + "; the write was not made, and dclient does not resend a write"
                    + " elsewhere. If the instance has moved, use its new URL.", e.getMessage());
            assertEquals(0, other.requestCount());
        }
    }

    @Test
    void aPostRedirectedWithinTheOriginStillArrives() {
        try (HostileServer s = HostileServer.start(req -> req.path().equals("/a")
                ? Reply.redirect(307, "/b") : Reply.json(200, "{\"ok\": true}"))) {
            client(s.baseUrl(), "dstok_X", Map.of()).postJson("/a", Json.object().put("row", 1));
            assertEquals("/b", s.lastRequest().path());
            assertEquals("{\"row\":1}", s.lastRequest().bodyText());
            assertEquals("Bearer dstok_X", s.lastRequest().header("Authorization").orElse(null));
        }
    }

    @Test
    void aGetRedirectedToAnotherOriginIsFollowedWithoutTheToken() {
        try (HostileServer other = HostileServer.start(Reply.json(200, OK));
                HostileServer instance = HostileServer.start(Reply.redirect(307, other.baseUrl() + "/elsewhere"))) {
            client(instance.baseUrl(), "dstok_X", Map.of()).getJson("/db.json");
            assertTrue(instance.lastRequest().hasHeader("Authorization"));
            assertFalse(other.lastRequest().hasHeader("Authorization"));
        }
    }

    // --- a password in the URL ------------------------------------------------------------------

    @Test
    void aPasswordInTheInstanceUrlIsNeverPrinted() {
        try (HostileServer s = HostileServer.start(Reply.text(500, "Internal oops"))) {
            String url = "http://alice:PASSWORD@127.0.0.1:" + s.port();
            CliRunner.Result r = new CliRunner(dir).run("get", "/db.json", "-i", url, "-v");
            assertEquals(1, r.exitCode(), r.toString());
            assertFalse(r.err().contains("PASSWORD"), r.err());
            assertTrue(r.err().startsWith("> GET http://alice:***@127.0.0.1:" + s.port() + "/db.json\n"), r.err());
            assertTrue(r.err().endsWith("Error: HTTP 500 from http://alice:***@127.0.0.1:" + s.port()
                    + "/db.json: Internal oops\n"), r.err());
        }
    }

    @Test
    void aPasswordIsMaskedWhenTheServerCannotBeReached() {
        CliRunner.Result r = new CliRunner(dir).run("databases", "-i", "http://alice:PASSWORD@127.0.0.1:1");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: Could not connect to http://alice:***@127.0.0.1:1 (connection refused). Is the server"
                + " running?\n", r.err());
    }

    @Test
    void aPasswordIsMaskedInAnInvalidUrl() {
        DclientException e = assertThrows(DclientException.class,
                () -> DatasetteClient.parseUrl("ftp://alice:PASSWORD@example.com/"));
        assertEquals("Not a valid instance URL: ftp://alice:***@example.com/ (expected http:// or https:// and a host)",
                e.getMessage());
    }

    // --- names that do not resolve --------------------------------------------------------------

    @Test
    void anUnknownHostSaysSoThroughBothFaces() {
        CliRunner.Result r = new CliRunner(dir).run("get", "/x.json", "-i", "http://no-such-host.invalid");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: Could not resolve host no-such-host.invalid. Check the instance URL, and your network or"
                + " DNS.\n", r.err());
        Datasette ds = Datasette.builder().url("http://no-such-host.invalid:8001")
                .env(Map.of("DCLIENT_CONFIG_DIR", dir.toString())).build();
        DclientException e = assertThrows(DclientException.class, ds::databases);
        assertEquals("Could not resolve host no-such-host.invalid. Check the instance URL, and your network or DNS.",
                e.getMessage());
        assertEquals(DclientException.Kind.NETWORK, e.kind());
    }

    // --- plain http -----------------------------------------------------------------------------

    /** The fake server as the HTTP proxy, so a non-loopback http:// URL reaches it. */
    private static Map<String, String> proxiedBy(HostileServer s, Path dir) {
        return Map.of("HTTP_PROXY", s.baseUrl(), "DCLIENT_CONFIG_DIR", dir.toString());
    }

    @Test
    void aTokenOverPlainHttpToAnotherMachineWarnsOncePerRun() {
        try (HostileServer s = HostileServer.start(req -> req.query().contains("_next=2")
                ? Reply.json(200, "{\"ok\": true, \"rows\": [{\"id\": 2}], \"next\": null}")
                : Reply.json(200, "{\"ok\": true, \"rows\": [{\"id\": 1}], \"next\": \"2\","
                        + " \"next_url\": \"http://datasette.example/db/t.json?_next=2\"}"))) {
            CliRunner cli = new CliRunner(dir).env("HTTP_PROXY", s.baseUrl());
            CliRunner.Result r = cli.run("rows", "db", "t", "--all", "--nl", "-i", "http://datasette.example",
                    "--token", "dstok_SECRET");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(2, s.requestCount(), "two pages, one warning");
            assertEquals("Warning: sending the token over plain http:// to datasette.example, where anyone on the"
                    + " network path can read it; use https:// if the server supports it.\n", r.err());
            assertEquals("Bearer dstok_SECRET", s.lastRequest().header("Authorization").orElse(null));

            assertEquals("", cli.run("rows", "db", "t", "--nl", "-i", "http://datasette.example").err(), "no token");
        }
    }

    @Test
    void loopbackAndHttpsDoNotWarn() {
        try (HostileServer s = HostileServer.start(Reply.json(200, OK))) {
            CliRunner.Result r = new CliRunner(dir).run("get", "/x.json", "-i", s.baseUrl(), "--token", "dstok_X");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("", r.err());
        }
        for (String url : new String[] {"http://localhost:8001", "http://127.0.0.2", "http://[::1]:8001",
                "http://app.localhost"}) {
            assertTrue(Hosts.isLoopback(java.net.URI.create(url)), url);
        }
        assertFalse(Hosts.isLoopback(java.net.URI.create("http://10.0.0.1")));
        assertFalse(Hosts.isLoopback(java.net.URI.create("http://localhost.example.com")));
    }

    @Test
    void theLibraryWarnsOnItsVerboseStreamOnce() {
        try (HostileServer s = HostileServer.start(Reply.json(200, "{\"ok\": true, \"databases\": []}"))) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            PrintStream verbose = new PrintStream(log, true, StandardCharsets.UTF_8);
            Datasette ds = Datasette.builder().url("http://datasette.example").token("dstok_SECRET")
                    .env(proxiedBy(s, dir)).verbose(verbose).build();
            ds.databases();
            ds.databases();
            String text = log.toString(StandardCharsets.UTF_8);
            assertEquals(1, text.lines().filter(l -> l.startsWith("Warning: sending the token over plain http://")).count(),
                    text);
            assertFalse(text.contains("SECRET"), text);
        }
    }
}
