package io.datasette.dclient.core.http;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.Version;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
import io.datasette.dclient.testing.Recordings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DatasetteClientTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final RecordedDatasette server = RecordedDatasette.empty();

    private DatasetteClient client(String token, PrintStream verbose, Duration timeout) {
        return new DatasetteClient(SocketTransport.fromEnv(Map.of()), server.baseUrl(), token, verbose, timeout, "prod");
    }

    private DatasetteClient client(String token) {
        return client(token, null, null);
    }

    // --- redirects and the token -----------------------------------------------------------

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void followsRelativeRedirectsKeepingTheTokenOnTheSameOrigin(int status) {
        server.stubFor(get("/fixtures.json?sql=select+1").willReturn(aResponse().withStatus(status)
                .withHeader("Location", "/fixtures/-/query.json?sql=select+1")));
        server.stubFor(get("/fixtures/-/query.json?sql=select+1").willReturn(okJson("{\"ok\": true, \"rows\": []}")));
        JsonNode json = client("dstok_ROOT").getJson("/fixtures.json?sql=select+1");
        assertTrue(json.path("ok").asBoolean());
        server.verify(getRequestedFor(urlEqualTo("/fixtures/-/query.json?sql=select+1"))
                .withHeader("Authorization", equalTo("Bearer dstok_ROOT")));
    }

    @Test
    void aRedirectToAnotherOriginDropsTheToken() {
        WireMockServer other = Recordings.startEmpty();
        try {
            other.stubFor(get("/elsewhere").willReturn(okJson("{\"ok\": true}")));
            server.stubFor(get("/start").willReturn(aResponse().withStatus(302)
                    .withHeader("Location", other.baseUrl() + "/elsewhere")));
            client("dstok_ROOT").getJson("/start");
            server.verify(getRequestedFor(urlEqualTo("/start")).withHeader("Authorization", equalTo("Bearer dstok_ROOT")));
            other.verify(getRequestedFor(urlEqualTo("/elsewhere")).withHeader("Authorization", absent()));
        } finally {
            other.stop();
        }
    }

    @Test
    void postAnsweredWith303IsAnErrorNotAGet() {
        // Issue 17 (3): a write followed as a GET could answer {"ok": true} with nothing written
        server.stubFor(post("/submit").willReturn(aResponse().withStatus(303).withHeader("Location", "/done")));
        server.stubFor(get("/done").willReturn(okJson("{\"ok\": true, \"done\": 1}")));
        DclientException e = assertThrows(DclientException.class,
                () -> client("t").postJson("/submit", Json.object().put("a", 1)));
        assertTrue(e.getMessage().contains("with a redirect (HTTP 303)") && e.getMessage().contains("the write was not made"),
                e.getMessage());
        server.verify(postRequestedFor(urlEqualTo("/submit")).withRequestBody(equalTo("{\"a\":1}"))
                .withHeader("Content-Type", equalTo("application/json")));
        server.verify(0, getRequestedFor(urlEqualTo("/done")));
    }

    @Test
    void postFollowed307KeepsMethodAndBody() {
        server.stubFor(post("/submit").willReturn(aResponse().withStatus(307).withHeader("Location", "/submit2")));
        server.stubFor(post("/submit2").willReturn(okJson("{\"ok\": true}")));
        client("t").postJson("/submit", Json.object().put("a", 1));
        server.verify(postRequestedFor(urlEqualTo("/submit2")).withRequestBody(equalTo("{\"a\":1}")));
    }

    @Test
    void tooManyRedirectsIsAnError() {
        server.stubFor(get("/loop").willReturn(aResponse().withStatus(302).withHeader("Location", "/loop")));
        DclientException e = assertThrows(DclientException.class, () -> client(null).get("/loop"));
        assertEquals("Too many redirects from " + server.baseUrl() + "/loop", e.getMessage());
    }

    @ParameterizedTest(name = "token [{0}]")
    @CsvSource(value = {"NULL", "''"}, nullValues = "NULL")
    void withoutATokenThereIsNoAuthorizationHeader(String token) {
        server.stubFor(get("/-/actor.json").willReturn(okJson("{\"ok\": true, \"actor\": null}")));
        DatasetteClient c = client(token);
        assertFalse(c.hasToken());
        c.getJson("/-/actor.json");
        server.verify(getRequestedFor(urlEqualTo("/-/actor.json")).withHeader("Authorization", absent())
                .withHeader("User-Agent", equalTo("dclient-java/" + Version.VALUE))
                .withHeader("Accept", equalTo("application/json")));
    }

    @Test
    void aTrailingSlashOnTheBaseUrlIsIgnored() {
        server.stubFor(get("/-/versions.json").willReturn(okJson("{\"ok\": true}")));
        DatasetteClient c = new DatasetteClient(SocketTransport.fromEnv(Map.of()), server.baseUrl() + "//", null, null, null, null);
        assertEquals(server.baseUrl(), c.baseUrl());
        assertEquals(server.baseUrl(), c.label());
        assertEquals(URI.create(server.baseUrl() + "/-/versions.json"), c.uri("-/versions.json"));
        c.getJson("/-/versions.json");
    }

    // --- failures ---------------------------------------------------------------------------

    @Test
    void aSlowServerTimesOutWithOneLine() {
        server.stubFor(get("/fast").willReturn(okJson("{}")));
        server.stubFor(get("/slow").willReturn(okJson("{}").withFixedDelay(3000)));
        DatasetteClient c = client(null, null, Duration.ofMillis(200));
        c.get("/fast"); // opens the connection, so the 0.2 s below are spent waiting for the answer
        long start = System.nanoTime();
        DclientException e = assertThrows(DclientException.class, () -> c.get("/slow"));
        assertTrue(System.nanoTime() - start < 2_500_000_000L, "gave up after the timeout");
        assertEquals("Timed out after 0.2 s waiting for " + server.baseUrl() + "/slow"
                + ". Is the server overloaded?", e.getMessage());
        assertTrue(e.advice() instanceof io.datasette.dclient.core.Advice.WaitLonger, "each face says how to wait longer");
    }

    @Test
    void timeoutFromTheEnvironmentThroughTheCli() {
        server.stubFor(get("/slow.json").willReturn(okJson("{}").withFixedDelay(4000)));
        // 1 s rather than less: each run opens a new connection, which a busy machine can make slow
        CliRunner.Result r = new CliRunner(dir).env("DCLIENT_TIMEOUT", "1").run("get", "/slow.json", "-i", server.baseUrl());
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals("Error: Timed out after 1 s waiting for " + server.baseUrl() + "/slow.json"
                + ". Is the server overloaded? Use --timeout SECONDS or DCLIENT_TIMEOUT to wait longer.\n", r.err());
    }

    @ParameterizedTest(name = "DCLIENT_TIMEOUT={0}")
    @ValueSource(strings = {"abc", "0", "-1"})
    void aBadTimeoutIsExplained(String value) {
        CliRunner.Result r = new CliRunner(dir).env("DCLIENT_TIMEOUT", value).run("get", "/x", "-i", server.baseUrl());
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: DCLIENT_TIMEOUT must be a positive number of seconds, not " + value + "\n", r.err());
    }

    @Test
    void connectionRefusedIsOneLine() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CliRunner.Result r = new CliRunner(dir).run("query", "fixtures", "select 1", "-i", "http://127.0.0.1:" + port);
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: Could not connect to http://127.0.0.1:" + port
                + " (connection refused). Is the server running?\n", r.err());
    }

    @Test
    void aNonJsonSuccessIsAnErrorForJsonCalls() {
        server.stubFor(get("/page").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                .withBody("<html>hi</html>")));
        DclientException e = assertThrows(DclientException.class, () -> client(null).getJson("/page"));
        assertEquals("Response from " + server.baseUrl() + "/page was not valid JSON (HTTP 200)", e.getMessage());
    }

    @Test
    void okFalseInA200IsAnError() {
        server.stubFor(get("/odd.json").willReturn(okJson("{\"ok\": false, \"error\": \"Something odd\"}")));
        DclientException e = assertThrows(DclientException.class, () -> client(null).getJson("/odd.json"));
        assertEquals("Something odd (HTTP 200)", e.getMessage());
    }

    static Stream<Arguments> errorBodies() {
        String u = "http://127.0.0.1:1/x.json";
        return Stream.of(
                Arguments.of(400, "application/json",
                        "{\"ok\": false, \"error\": \"Statement must be a SELECT\", \"status\": 400, \"title\": \"Invalid SQL\"}",
                        "t", "Invalid SQL: Statement must be a SELECT (HTTP 400)"),
                Arguments.of(400, "application/json; charset=utf-8",
                        "{\"ok\": false, \"error\": \"Row 0 has invalid columns: bad1; Row 1 has invalid columns: bad2\", "
                                + "\"errors\": [\"Row 0 has invalid columns: bad1\", \"Row 1 has invalid columns: bad2\"], \"status\": 400}",
                        "t", "Row 0 has invalid columns: bad1; Row 1 has invalid columns: bad2 (HTTP 400)"),
                Arguments.of(404, "application/json",
                        "{\"ok\": false, \"error\": \"Database not found\", \"errors\": [\"Database not found\"], \"status\": 404}",
                        null, "Database not found (HTTP 404)"),
                Arguments.of(404, "application/json", "{\"ok\": false, \"error\": \"404\", \"errors\": [\"404\"], \"status\": 404}",
                        null, "HTTP 404 from " + u),
                Arguments.of(403, "application/json", "{\"ok\": false, \"error\": \"execute-sql\", \"errors\": [\"execute-sql\"], \"status\": 403}",
                        "t", "Permission denied: execute-sql (HTTP 403)"),
                Arguments.of(403, "application/json",
                        "{\"ok\": false, \"error\": \"You do not have permission to view this table\", \"status\": 403}",
                        "t", "You do not have permission to view this table (HTTP 403)"),
                Arguments.of(403, "application/json", "{\"ok\": false, \"error\": \"Permission denied\", \"status\": 403}",
                        null, "Permission denied (HTTP 403)"),
                Arguments.of(401, "application/json", "{\"ok\": false, \"error\": \"Token has expired\", \"status\": 401}",
                        "t", "Token has expired (HTTP 401)"),
                Arguments.of(500, "text/plain", "Internal oops", null, "HTTP 500 from " + u + ": Internal oops"),
                Arguments.of(405, "text/plain", "Method not allowed", "t", "HTTP 405 from " + u + ": Method not allowed"),
                Arguments.of(403, "text/html", "<html><body><h1>CSRF check failed</h1></body></html>", "t",
                        "HTTP 403 from " + u),
                Arguments.of(400, "text/html", "<!DOCTYPE html>\n<html><p>URL row identifier does not match</p></html>",
                        null, "HTTP 400 from " + u),
                Arguments.of(502, "text/plain", "", null, "HTTP 502 from " + u),
                Arguments.of(500, "text/plain", "x".repeat(300), null, "HTTP 500 from " + u),
                Arguments.of(400, "application/json", "{\"error\": \"invalid_grant\"}", "t", "invalid_grant (HTTP 400)"),
                Arguments.of(400, "application/json", "{\"ok\": false, \"error\": {\"code\": 7}}", "t",
                        "{\"code\": 7} (HTTP 400)"),
                Arguments.of(400, "application/json", "[1, 2]", "t", "HTTP 400 from " + u + ": [1, 2]"));
    }

    @ParameterizedTest(name = "{0} {1}: {4}")
    @MethodSource("errorBodies")
    void errorBodiesBecomeOneLine(int status, String type, String body, String token, String expected) {
        DatasetteClient c = new DatasetteClient(SocketTransport.fromEnv(Map.of()), "http://127.0.0.1:1", token, null, null, "prod");
        Response r = new Response(status, type, body.getBytes(StandardCharsets.UTF_8), URI.create("http://127.0.0.1:1/x.json"));
        String message = c.errorMessage(r);
        assertEquals(expected, message);
        assertFalse(message.contains("\n"));
    }

    /** A refusal's failure states the facts (no token sent) and carries advice about the token, never words for it. */
    @ParameterizedTest(name = "{0} with token {1}")
    @org.junit.jupiter.params.provider.CsvSource({
            "401, t, Token has expired, 'Token has expired (HTTP 401).', ReplaceToken",
            "403, t, Permission denied, 'Permission denied (HTTP 403).', ReplaceToken",
            "403, , Permission denied, 'Permission denied (HTTP 403). No token was sent.', AddToken",
            "404, , Table not found, 'Table not found (HTTP 404)', "})
    void refusalsCarryAdviceAboutTheToken(int status, String token, String error, String fact, String advice) {
        DatasetteClient c = new DatasetteClient(SocketTransport.fromEnv(Map.of()), "http://127.0.0.1:1", token, null, null, "prod");
        Response r = new Response(status, "application/json", ("{\"ok\": false, \"error\": \"" + error + "\"}")
                .getBytes(StandardCharsets.UTF_8), URI.create("http://127.0.0.1:1/x.json"));
        DclientException e = c.failure(r, null);
        assertEquals(fact, e.getMessage());
        assertEquals(advice, e.advice() == null ? null : e.advice().getClass().getSimpleName());
    }

    // --- verbose ----------------------------------------------------------------------------

    @Test
    void verboseShowsRequestsAndNeverTheToken() {
        server.stubFor(get("/fixtures.json?sql=select+1").willReturn(aResponse().withStatus(302)
                .withHeader("Location", "/fixtures/-/query.json?sql=select+1")));
        server.stubFor(get("/fixtures/-/query.json?sql=select+1").willReturn(okJson("{\"ok\": true, \"rows\": []}")));
        server.stubFor(post("/fixtures/t/-/insert").willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": false, \"error\": \"Invalid token signature\"}")));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        DatasetteClient c = client("dstok_SECRET123", new PrintStream(log, true, StandardCharsets.UTF_8), null);
        c.getJson("/fixtures.json?sql=select+1");
        DclientException e = assertThrows(DclientException.class,
                () -> c.postJson("/fixtures/t/-/insert", Json.object().put("row", 1)));
        String text = log.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("SECRET123"), text);
        assertFalse(e.getMessage().contains("SECRET123"), e.getMessage());
        String[] lines = text.split("\n");
        assertEquals("> GET " + server.baseUrl() + "/fixtures.json?sql=select+1  (Authorization: Bearer ***)", lines[0]);
        assertTrue(lines[1].startsWith("< 302 "), lines[1]);
        assertEquals("> GET " + server.baseUrl() + "/fixtures/-/query.json?sql=select+1  (Authorization: Bearer ***)",
                lines[2]);
        assertTrue(lines[3].startsWith("< 200 application/json"), lines[3]);
        assertEquals("> POST " + server.baseUrl() + "/fixtures/t/-/insert  (Authorization: Bearer ***)", lines[4]);
        assertEquals("> {\"row\":1}", lines[5]);
        assertTrue(lines[6].startsWith("< 401 application/json"), lines[6]);
    }

    @Test
    void verboseThroughTheCliGoesToStderrOnly() {
        server.stubFor(get("/-/plugins.json").willReturn(okJson("[]")));
        CliRunner.Result r = new CliRunner(dir).env("DATASETTE_TOKEN", "dstok_ENVSECRET")
                .run("get", "/-/plugins.json", "-i", server.baseUrl(), "-v");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("[]\n", r.out());
        assertTrue(r.err().startsWith("> GET " + server.baseUrl() + "/-/plugins.json  (Authorization: Bearer ***)\n"),
                r.err());
        assertFalse(r.err().contains("ENVSECRET"), r.err());
    }

    // --- URLs -------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
        "https://example.com, https://example.com:443/x, true",
        "http://example.com, http://EXAMPLE.com:80, true",
        "https://example.com, http://example.com, false",
        "https://example.com, https://example.com:8443, false",
        "https://example.com, https://www.example.com, false",
        "http://127.0.0.1:8001, http://localhost:8001, false",
        "http://127.0.0.1:8001, http://127.0.0.1:8001/db?x=1, true",
    })
    void sameOriginComparesSchemeHostAndPort(String a, String b, boolean same) {
        assertEquals(same, DatasetteClient.sameOrigin(URI.create(a), URI.create(b)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://example.com", "http://localhost:8001/", "https://x.datasette.cloud/prefix"})
    void validInstanceUrls(String url) {
        assertEquals(URI.create(url), DatasetteClient.parseUrl(url));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"example.com", "ftp://example.com", "http:///path", "mailto:me@example.com", "/relative"})
    void invalidInstanceUrls(String url) {
        DclientException e = assertThrows(DclientException.class, () -> DatasetteClient.parseUrl(url));
        assertEquals("Not a valid instance URL: " + url + " (expected http:// or https:// and a host)", e.getMessage());
    }

    @Test
    void aMalformedUrlIsNotAValidUrl() {
        for (String url : new String[] {"http://exa mple.com", "https://"}) {
            DclientException e = assertThrows(DclientException.class, () -> DatasetteClient.parseUrl(url));
            assertEquals("Not a valid URL: " + url, e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({"30000, 30", "200, 0.2", "1500, 1.5", "10, 0.01"})
    void secondsAreWrittenAsPeopleWriteThem(long millis, String text) {
        assertEquals(text + " s", io.datasette.dclient.core.text.Durations.seconds(Duration.ofMillis(millis)));
    }
}
