package io.datasette.dclient.core.data;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.cli.output.Format;
import io.datasette.dclient.cli.output.RowWriter;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.Recordings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlQueryTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "fixtures | /fixtures.json?sql=select+1&_shape=objects",
        "my db | /my+db.json?sql=select+1&_shape=objects",
        "data.v2 | /data~2Ev2.json?sql=select+1&_shape=objects",
        "a/b | /a~2Fb.json?sql=select+1&_shape=objects",
        "café | /caf~C3~A9.json?sql=select+1&_shape=objects",
    })
    void databaseNamesAreTildeEncoded(String db, String path) {
        assertEquals(path, SqlQuery.path(db, "select 1", List.of()));
    }

    @Test
    void parametersFollowSqlAndShapeInOrder() {
        assertEquals("/db.json?sql=select+%3Aa%2C+%3Ab&_shape=objects&a=1&b=x+y",
                SqlQuery.path("db", "select :a, :b", List.of(List.of("a", "1"), List.of("b", "x y"))));
    }

    @Test
    void theExactRequestThroughTheCli() {
        WireMockServer server = Recordings.startEmpty();
        try {
            server.stubFor(get(urlEqualTo("/my+db~2Ev2.json?sql=select+%27a%26b%27+as+x%2C+%27%C3%BC%27+as+y&_shape=objects"))
                    .willReturn(okJson("{\"ok\": true, \"rows\": [{\"x\": \"a&b\", \"y\": \"ü\"}], \"truncated\": false}")));
            CliRunner.Result r = new CliRunner(dir).run("query", "my db.v2", "select 'a&b' as x, 'ü' as y", "-i",
                    server.baseUrl());
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("[\n  {\n    \"x\": \"a&b\",\n    \"y\": \"ü\"\n  }\n]\n", r.out());
            server.verify(getRequestedFor(urlEqualTo(
                    "/my+db~2Ev2.json?sql=select+%27a%26b%27+as+x%2C+%27%C3%BC%27+as+y&_shape=objects"))
                    .withHeader("Authorization", absent()));
        } finally {
            server.stop();
        }
    }

    @Test
    void aTruncatedResultWarnsOnStderrAndStillPrintsTheRows() {
        WireMockServer server = Recordings.startEmpty();
        try {
            server.stubFor(get(urlEqualTo("/big.json?sql=select+*+from+t&_shape=objects"))
                    .willReturn(okJson("{\"ok\": true, \"rows\": [{\"a\": 1}, {\"a\": 2}], \"truncated\": true}")));
            CliRunner.Result r = new CliRunner(dir).run("query", "big", "select * from t", "-i", server.baseUrl(), "--csv");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("a\r\n1\r\n2\r\n", r.out());
            assertEquals("Warning: the server truncated the results at 2 rows (its max_returned_rows)."
                    + " Add a LIMIT/OFFSET, or use dclient rows --all for a whole table.\n", r.err());
        } finally {
            server.stop();
        }
    }

    private String write(String response, Format format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Context ctx = new CliRunner(dir).context(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        io.datasette.dclient.cli.output.Results.write(Json.parse(response), RowWriter.create(format, ctx.out()), ctx);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theServersColumnOrderWins() throws Exception {
        assertEquals("b,a\r\n2,1\r\n", write("{\"columns\": [\"b\", \"a\"], \"rows\": [{\"a\": 1, \"b\": 2}]}", Format.CSV));
    }

    @Test
    void aBareArrayResponseIsRows() throws Exception {
        assertEquals("{\"a\": 1}\n{\"a\": 2}\n", write("[{\"a\": 1}, {\"a\": 2}]", Format.NL));
    }

    @Test
    void noRowsIsAnEmptyJsonList() throws Exception {
        assertEquals("[]\n", write("{\"ok\": true, \"rows\": [], \"truncated\": false}", Format.JSON));
    }
}
