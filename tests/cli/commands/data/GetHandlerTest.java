package io.datasette.dclient.cli.commands.data;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code dclient get PATH}: JSON pretty-printed, anything else as is, errors as one line. */
class GetHandlerTest {
    @RegisterExtension
    static final RecordedDatasette server = RecordedDatasette.recordings();

    @TempDir
    Path dir;

    CliRunner cli;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir);
    }

    private CliRunner.Result ok(String... args) {
        CliRunner.Result r = cli.run(args);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.err(), r.toString());
        return r;
    }

    @Test
    void jsonIsPrettyPrintedWithIndent2() {
        assertEquals("""
                [
                  {
                    "name": "datasette-oauth",
                    "static": false,
                    "templates": true,
                    "version": "0.1a0",
                    "hooks": [
                      "permission_resources_sql",
                      "register_actions",
                      "register_routes",
                      "skip_csrf",
                      "startup"
                    ]
                  }
                ]
                """, ok("get", "/-/plugins.json", "-i", server.baseUrl()).out());
    }

    @Test
    void theLeadingSlashIsOptional() {
        String out = ok("get", "fixtures/dogs/-/schema.json", "-i", server.baseUrl()).out();
        assertEquals("""
                {
                  "ok": true,
                  "database": "fixtures",
                  "table": "dogs",
                  "schema": "CREATE TABLE dogs (\\n  id INTEGER PRIMARY KEY,\\n  name TEXT NOT NULL,\\n  age INTEGER,\\n  breed TEXT,\\n  weight REAL,\\n  is_good INTEGER DEFAULT 1\\n)"
                }
                """, out);
    }

    /** {@code -/versions.json} looks like an option to a parser, but no option starts with "-/". */
    @ParameterizedTest
    @ValueSource(strings = {"-/versions.json", "/-/versions.json"})
    void aDatasettePathWithoutItsLeadingSlashIsAPathNotAnOption(String path) {
        String out = ok("get", path, "-i", server.baseUrl()).out();
        assertEquals(true, out.contains("\"datasette\""), out);
        assertEquals(ok("get", "/-/versions.json", "-i", server.baseUrl()).out(), out);
    }

    @Test
    void aQueryStringIsKeptAndTheTokenSent() {
        ok("get", "/fixtures/dogs.json?_size=2", "-i", server.baseUrl(), "--token", "dstok_ROOT");
        server.verify(getRequestedFor(urlEqualTo("/fixtures/dogs.json?_size=2"))
                .withHeader("Authorization", equalTo("Bearer dstok_ROOT")));
    }

    @Test
    void textIsPrintedAsIsWithAFinalNewline() {
        server.stubFor(get("/robots.txt").willReturn(aResponse().withHeader("Content-Type", "text/plain")
                .withBody("User-agent: *\nDisallow: /")));
        assertEquals("User-agent: *\nDisallow: /\n", ok("get", "/robots.txt", "-i", server.baseUrl()).out());
        server.stubFor(get("/page").willReturn(aResponse().withHeader("Content-Type", "text/html; charset=utf-8")
                .withBody("<p>São</p>\n")));
        assertEquals("<p>São</p>\n", ok("get", "/page", "-i", server.baseUrl()).out());
    }

    @Test
    void jsonContentTypeWithABrokenBodyIsPrintedAsText() {
        server.stubFor(get("/broken.json").willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{not json")));
        assertEquals("{not json\n", ok("get", "/broken.json", "-i", server.baseUrl()).out());
    }

    @Test
    void anErrorIsOneLineAndExit1() {
        server.stubFor(get("/fixtures/nope.json").willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": false, \"error\": \"Table not found\", \"errors\": [\"Table not found\"], \"status\": 404}")));
        CliRunner.Result r = cli.run("get", "/fixtures/nope.json", "-i", server.baseUrl());
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals("Error: Table not found (HTTP 404)\n", r.err());
    }

    @Test
    void aMethodNotAllowedTextAnswer() {
        CliRunner.Result r = cli.run("get", "/-/oauth/device", "-i", server.baseUrl());
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: Method not allowed (HTTP 405)\n", r.err());
    }

    @Test
    void spacesAndQuotesInThePathAreEncodedAndAUrlInTheQueryIsFine() {
        server.stubFor(get(urlEqualTo("/fixtures/-/query.json?sql=select%20'http://x'%20as%20u"))
                .willReturn(okJson("{\"ok\": true, \"rows\": [{\"u\": \"http://x\"}]}")));
        CliRunner.Result r = ok("get", "/fixtures/-/query.json?sql=select 'http://x' as u", "-i", server.baseUrl());
        assertEquals("{\n  \"ok\": true,\n  \"rows\": [\n    {\n      \"u\": \"http://x\"\n    }\n  ]\n}\n", r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://other.example.com/-/plugins.json", "http://localhost/x"})
    void aFullUrlIsAUsageError(String path) {
        CliRunner.Result r = cli.run("get", path, "-i", server.baseUrl());
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("Error: PATH is relative to the instance, e.g. /-/plugins.json; use -i to pick the instance\n",
                r.err());
        assertEquals(0, server.getAllServeEvents().size());
    }

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', value = {
        "/-/plugins.json | /-/plugins.json",
        "-/plugins.json | /-/plugins.json",
        "fixtures.json | /fixtures.json",
        "/db/t.json?_col=a&_col=b | /db/t.json?_col=a&_col=b",
        "/db/-/query.json?sql=select 1 | /db/-/query.json?sql=select%201",
        "/db/-/query.json?sql=select+1 | /db/-/query.json?sql=select+1",
        "/db/-/query.json?sql=select%201 | /db/-/query.json?sql=select%201",
        "/q?x=50% | /q?x=50%25",
        "/q?x=\"a\" | /q?x=%22a%22",
        "/caf\u00e9.json | /caf%C3%A9.json",
        "/db/table~2Fwith~2Fslashes.json | /db/table~2Fwith~2Fslashes.json",
        "/q?x={a}^b | /q?x=%7Ba%7D%5Eb",
    })
    void relativePathEncodesOnlyWhatAUrlCannotHold(String given, String expected) {
        assertEquals(expected, GetHandler.relativePath(given));
    }

    @Test
    void relativePathRejectsAnyScheme() {
        assertThrows(DclientException.class, () -> GetHandler.relativePath("ftp://x/y"));
        assertEquals("/x?u=http://y", GetHandler.relativePath("x?u=http://y"));
    }
}
