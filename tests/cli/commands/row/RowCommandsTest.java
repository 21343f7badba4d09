package io.datasette.dclient.cli.commands.row;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.io.Terminal;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code row}, {@code update}, {@code delete} and {@code drop} against the recorded Datasette
 * (tests/recordings: dogs/42, pets update/delete/drop) and against stubs shaped like what
 * Datasette 1.0a37 answered for {@code fixtures/compound_primary_key} (see the reference doc).
 */
class RowCommandsTest {
    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.recordings();
    @RegisterExtension
    static final RecordedDatasette stub = RecordedDatasette.empty();

    /** The compound key {@code ("a/b", ".c-d")} as Datasette wants it in a path. */
    static final String COMPOUND = "/fixtures/compound_primary_key/a~2Fb,~2Ec-d";
    /** The row Datasette 1.0a37 answered for it. */
    static final String COMPOUND_ROW = """
            {"ok": true, "database": "fixtures", "table": "compound_primary_key",
             "rows": [{"pk1": "a/b", "pk2": ".c-d", "content": "c"}], "primary_keys": ["pk1", "pk2"],
             "primary_key_values": ["a/b", ".c-d"], "query_ms": 1.78, "truncated": false}""";

    @TempDir
    Path dir;

    CliRunner cli() {
        return new CliRunner(dir);
    }

    static CliRunner.Result run(CliRunner cli, WireMockServer server, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("-i");
        all.add(server.baseUrl());
        return cli.run(all.toArray(String[]::new));
    }

    /** Every request as "METHOD url body", in order. */
    static List<String> requests(WireMockServer server) {
        List<LoggedRequest> all = new ArrayList<>(server.findAll(anyRequestedFor(anyUrl())));
        all.sort((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()));
        List<String> out = new ArrayList<>();
        for (LoggedRequest r : all) {
            String body = new String(r.getBody(), StandardCharsets.UTF_8);
            out.add(r.getMethod() + " " + r.getUrl() + (body.isEmpty() ? "" : " " + body));
        }
        return out;
    }

    static void json(WireMockServer server, String method, String path, int status, String body) {
        var mapping = method.equals("GET") ? get(urlPathEqualTo(path)) : post(urlPathEqualTo(path));
        server.stubFor(mapping.willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json; charset=utf-8").withBody(body)));
    }

    static final class Tty implements Terminal {
        @Override
        public boolean stdinIsTerminal() {
            return true;
        }

        @Override
        public boolean stderrIsTerminal() {
            return true;
        }

        @Override
        public String readSecret(String prompt) {
            return null;
        }
    }

    // --- row ---

    @Test
    void rowPrintsTheRecordedRowAsAJsonObject() {
        CliRunner.Result r = run(cli(), wm, "row", "fixtures", "dogs", "42");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("""
                {
                  "id": 42,
                  "name": "Dog 42",
                  "age": 8,
                  "breed": "Beagle",
                  "weight": 7.5,
                  "is_good": 1
                }
                """, r.out());
        assertEquals("", r.err());
        assertEquals(List.of("GET /fixtures/dogs/42.json?_shape=objects"), requests(wm));
    }

    @Test
    void aCompoundKeyIsOneArgumentPerColumnTildeEncodedAndCommaJoined() {
        json(stub, "GET", COMPOUND + ".json", 200, COMPOUND_ROW);
        CliRunner.Result r = run(cli(), stub, "row", "fixtures", "compound_primary_key", "a/b", ".c-d");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("{\n  \"pk1\": \"a/b\",\n  \"pk2\": \".c-d\",\n  \"content\": \"c\"\n}\n", r.out());
        assertEquals(List.of("GET " + COMPOUND + ".json?_shape=objects"), requests(stub));
    }

    @Test
    void spacesCommasTildesAndNonAsciiAreTildeEncodedToo() {
        json(stub, "GET", "/my+db/t~2Fx/x+y~2Cz,~C3~BC~7E~2B.json", 200,
                "{\"ok\": true, \"rows\": [{\"k1\": \"x y,z\", \"k2\": \"ü~+\"}]}");
        CliRunner.Result r = run(cli(), stub, "row", "my db", "t/x", "x y,z", "ü~+", "--nl");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("{\"k1\": \"x y,z\", \"k2\": \"ü~+\"}\n", r.out());
        assertEquals(List.of("GET /my+db/t~2Fx/x+y~2Cz,~C3~BC~7E~2B.json?_shape=objects"), requests(stub));
    }

    @Test
    void rowWithFmtGithubDrawsAMarkdownTable() {
        json(stub, "GET", COMPOUND + ".json", 200, COMPOUND_ROW);
        CliRunner.Result r = run(cli(), stub, "row", "fixtures", "compound_primary_key", "a/b", ".c-d", "--fmt", "github");
        assertEquals(0, r.exitCode(), r.toString());
        String[] lines = r.out().split("\n", -1);
        assertEquals("| pk1   | pk2   | content   |", lines[0]);
        assertEquals("|-------|-------|-----------|", lines[1]);
        assertEquals("| a/b   | .c-d  | c         |", lines[2]);
        assertEquals("", lines[3]);
        assertEquals(4, lines.length);
    }

    @Test
    void rowAsCsvAndAsTheDefaultTable() {
        json(stub, "GET", COMPOUND + ".json", 200, COMPOUND_ROW);
        CliRunner.Result csv = run(cli(), stub, "row", "fixtures", "compound_primary_key", "a/b", ".c-d", "--csv");
        assertEquals("pk1,pk2,content\r\na/b,.c-d,c\r\n", csv.out(), csv.toString());
        CliRunner.Result table = run(cli(), stub, "row", "fixtures", "compound_primary_key", "a/b", ".c-d", "-t");
        assertEquals("pk1  pk2   content\n---  ----  -------\na/b  .c-d  c\n", table.out(), table.toString());
    }

    @Test
    void anUnknownRowIsRowNotFoundExit1() {
        CliRunner.Result r = run(cli(), wm, "row", "fixtures", "dogs", "9999");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals("Error: Row not found: fixtures/dogs has no row with primary key 9999.\n", r.err());
    }

    @Test
    void tooFewKeyValuesForACompoundKeySaySo() {
        json(stub, "GET", "/fixtures/compound_primary_key/a.json", 400,
                "{\"ok\": false, \"error\": \"URL row identifier does not match the primary key for this table\","
                        + " \"errors\": [\"URL row identifier does not match the primary key for this table\"], \"status\": 400}");
        CliRunner.Result r = run(cli(), stub, "row", "fixtures", "compound_primary_key", "a");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("Error: URL row identifier does not match the primary key for this table: 1 value given for"
                + " fixtures/compound_primary_key; give one per primary key column, in order (HTTP 400)\n", r.err());
    }

    @Test
    void rowNeedsAKeyValue() {
        CliRunner.Result r = run(cli(), stub, "row", "fixtures", "dogs");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: Missing required parameter"), r.err());
        assertEquals(List.of(), requests(stub));
    }

    @Test
    void aBadFmtIsAUsageErrorListingTheChoicesBeforeAnyRequest() {
        CliRunner.Result r = run(cli(), stub, "row", "fixtures", "dogs", "1", "--fmt", "fancy");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("Error: Invalid value for '--fmt': 'fancy' is not one of 'simple', 'plain', 'github', 'markdown',"
                + " 'grid', 'rst'.\n", r.err());
        assertEquals(List.of(), requests(stub));
    }

    // --- update ---

    @Test
    void updateSendsJsonTypesAndPrintsTheReturnedRow() {
        CliRunner.Result r = run(cli(), wm, "update", "fixtures", "pets", "1", "--json", "{\"age\": 5}", "--token",
                "dstok_ROOT");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("{\n  \"id\": 1,\n  \"name\": \"Rex II\",\n  \"age\": 5,\n  \"color\": null\n}\n", r.out());
        assertEquals("", r.err());
        assertEquals(List.of("POST /fixtures/pets/1/-/update {\"update\":{\"age\":5},\"return\":true}"), requests(wm));
    }

    @Test
    void setSendsStringsWinsOverJsonAndAlterIsPassedOn() throws Exception {
        json(stub, "POST", COMPOUND + "/-/update", 200,
                "{\"ok\": true, \"rows\": [{\"pk1\": \"a/b\", \"pk2\": \".c-d\", \"content\": \"x\", \"n\": 5}]}");
        CliRunner.Result r = run(cli(), stub, "update", "fixtures", "compound_primary_key", "a/b", ".c-d",
                "--json", "{\"content\": 1, \"n\": 5, \"gone\": null}", "--set", "content", "x", "--alter",
                "--token", "dstok_ROOT");
        assertEquals(0, r.exitCode(), r.toString());
        List<LoggedRequest> sent = stub.findAll(postRequestedFor(urlPathEqualTo(COMPOUND + "/-/update")));
        assertEquals(1, sent.size());
        assertEquals("Bearer dstok_ROOT", sent.get(0).getHeader("Authorization"));
        assertEquals(Json.parse("{\"update\": {\"content\": \"x\", \"n\": 5, \"gone\": null}, \"return\": true,"
                + " \"alter\": true}"), Json.parse(sent.get(0).getBodyAsString()));
        JsonNode printed = Json.parse(r.out());
        assertEquals("x", printed.path("content").asText());
    }

    @Test
    void updatingAMissingRowShowsTheServersMessage() {
        json(stub, "POST", "/fixtures/pets/999/-/update", 404, "{\"ok\": false, \"error\": \"Record not found: ['999']\","
                + " \"errors\": [\"Record not found: ['999']\"], \"status\": 404}");
        CliRunner.Result r = run(cli(), stub, "update", "fixtures", "pets", "999", "--set", "age", "5", "--token", "t");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals("Error: Row not found: fixtures/pets has no row with primary key 999.\n", r.err());
    }

    @Test
    void anUnknownColumnPointsAtAlter() {
        json(stub, "POST", "/fixtures/dogs/3/-/update", 400, "{\"ok\": false, \"error\": \"no such column: nick\","
                + " \"errors\": [\"no such column: nick\"], \"status\": 400}");
        CliRunner.Result r = run(cli(), stub, "update", "fixtures", "dogs", "3", "--set", "nick", "Rexy", "--token", "t");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: no such column: nick (HTTP 400). To add the column, update with --alter.\n", r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[1, 2]", "{\"a\": ", "3"})
    void updateNeedsAJsonObjectOrSet(String json) {
        List<String> args = new ArrayList<>(List.of("update", "fixtures", "pets", "1", "--token", "t"));
        if (!json.isEmpty()) args.addAll(List.of("--json", json));
        CliRunner.Result r = run(cli(), stub, args.toArray(String[]::new));
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: ") && r.err().contains("--json"), r.err());
        assertEquals(List.of(), requests(stub));
    }

    @Test
    void aRefusedUpdateNamesThePermission() {
        json(stub, "POST", "/fixtures/pets/1/-/update", 403,
                "{\"ok\": false, \"error\": \"Permission denied\", \"errors\": [\"Permission denied\"], \"status\": 403}");
        CliRunner.Result r = run(cli(), stub, "update", "fixtures", "pets", "1", "--set", "age", "5", "--token",
                "dstok_ALICE");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: Permission denied (HTTP 403). Updating a row needs the update-row permission on"
                + " fixtures/pets\n", r.err());
    }

    // --- delete ---

    @Test
    void deleteSendsNoBodyAndSaysWhatItDidOnStderr() {
        CliRunner.Result r = run(cli(), wm, "delete", "fixtures", "pets", "2", "--token", "dstok_ROOT");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals("Deleted the row 2 from fixtures/pets.\n", r.err());
        assertEquals(List.of("POST /fixtures/pets/2/-/delete"), requests(wm));
    }

    @Test
    void deleteWithACompoundKey() {
        json(stub, "POST", COMPOUND + "/-/delete", 200, "{\"ok\": true}");
        CliRunner.Result r = run(cli(), stub, "delete", "fixtures", "compound_primary_key", "a/b", ".c-d", "--token", "t");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("Deleted the row (a/b, .c-d) from fixtures/compound_primary_key.\n", r.err());
        assertEquals(List.of("POST " + COMPOUND + "/-/delete"), requests(stub));
    }

    @Test
    void deletingAMissingRowIsExit1WithTheServersMessage() {
        json(stub, "POST", "/fixtures/dogs/99999/-/delete", 404, "{\"ok\": false, \"error\": \"Record not found:"
                + " ['99999']\", \"errors\": [\"Record not found: ['99999']\"], \"status\": 404}");
        CliRunner.Result r = run(cli(), stub, "delete", "fixtures", "dogs", "99999", "--token", "t");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: Row not found: fixtures/dogs has no row with primary key 99999.\n", r.err());
    }

    @Test
    void aDeleteWithoutATokenIsExplained() {
        json(stub, "POST", "/fixtures/pets/2/-/delete", 403,
                "{\"ok\": false, \"error\": \"Permission denied\", \"errors\": [\"Permission denied\"], \"status\": 403}");
        CliRunner.Result r = run(cli(), stub, "delete", "fixtures", "pets", "2");
        assertEquals(1, r.exitCode(), r.toString());
        String label = stub.baseUrl();
        assertEquals("Error: Permission denied (HTTP 403). No token was sent; add one: dclient auth add " + label
                + " (or dclient login " + label + "). Deleting a row needs the delete-row permission on fixtures/pets\n",
                r.err());
    }

    @Test
    void aWrongNumberOfKeyValuesOnAWriteIsExplainedThoughDatasetteAnswersHtml() {
        stub.stubFor(post(urlPathEqualTo("/fixtures/compound_primary_key/a/-/delete")).willReturn(aResponse()
                .withStatus(400).withHeader("Content-Type", "text/html; charset=utf-8")
                .withBody("<!DOCTYPE html>\n<html><h1>Error 400</h1>\n<div style=\"padding: 1em\">URL row identifier"
                        + " does not match the primary key for this table</div></html>")));
        CliRunner.Result r = run(cli(), stub, "delete", "fixtures", "compound_primary_key", "a", "--token", "t");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("1 value given for fixtures/compound_primary_key; give one per primary key column"),
                r.err());
    }

    // --- drop ---

    /** The bodies of the drop requests for fixtures/pets, in order ("" for none). */
    static List<String> dropBodies() {
        List<LoggedRequest> all = new ArrayList<>(wm.findAll(postRequestedFor(urlPathEqualTo("/fixtures/pets/-/drop"))));
        all.sort((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()));
        return all.stream().map(LoggedRequest::getBodyAsString).toList();
    }

    @Test
    void dropRefusesWithoutATerminalAndSendsOnlyTheUnconfirmedDrop() {
        CliRunner.Result r = run(cli(), wm, "drop", "fixtures", "pets", "--token", "dstok_ROOT");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals("Error: Not dropping fixtures/pets (4 rows): confirm with --yes (standard input is not a"
                + " terminal, so dclient cannot ask)\n", r.err());
        assertEquals(List.of(""), dropBodies());
    }

    @Test
    void dropRefusesWithoutATerminalEvenWhenStdinSaysYes() {
        CliRunner.Result r = run(cli().stdin("y\n"), wm, "drop", "fixtures", "pets", "--token", "dstok_ROOT");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals(List.of(""), dropBodies());
    }

    @ParameterizedTest
    @ValueSource(strings = {"n\n", "\n", "no\n", "yes please\n", "Y E S\n", "ok\n", ""})
    void onATerminalAnythingButYOrYesDropsNothing(String answer) {
        CliRunner.Result r = run(cli().terminal(new Tty()).stdin(answer), wm, "drop", "fixtures", "pets", "--token",
                "dstok_ROOT");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("Drop the table fixtures/pets (4 rows)? This cannot be undone. [y/N] "), r.err());
        assertTrue(r.err().endsWith("Error: Aborted: fixtures/pets was not dropped\n"), r.err());
        assertEquals(List.of(""), dropBodies());
    }

    @ParameterizedTest
    @ValueSource(strings = {"y\n", "yes\n", " YES \n", "Y"})
    void onATerminalYOrYesDrops(String answer) throws Exception {
        CliRunner.Result r = run(cli().terminal(new Tty()).stdin(answer), wm, "drop", "fixtures", "pets", "--token",
                "dstok_ROOT");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals("Drop the table fixtures/pets (4 rows)? This cannot be undone. [y/N] "
                + "Dropped the table fixtures/pets (4 rows).\n", r.err());
        List<String> bodies = dropBodies();
        assertEquals(2, bodies.size(), bodies.toString());
        assertEquals("", bodies.get(0));
        assertEquals(Json.parse("{\"confirm\": true}"), Json.parse(bodies.get(1)));
    }

    @Test
    void yesDropsWithoutATerminal() throws Exception {
        CliRunner.Result r = run(cli(), wm, "drop", "fixtures", "pets", "--yes", "--token", "dstok_ROOT");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("Dropped the table fixtures/pets (4 rows).\n", r.err());
        List<String> bodies = dropBodies();
        assertEquals(2, bodies.size());
        assertEquals(Json.parse("{\"confirm\": true}"), Json.parse(bodies.get(1)));
    }

    @Test
    void droppingAMissingTableOrAViewShowsTheServersMessage() {
        json(stub, "POST", "/fixtures/simple_view/-/drop", 404, "{\"ok\": false, \"error\": \"Table not found:"
                + " simple_view\", \"errors\": [\"Table not found: simple_view\"], \"status\": 404}");
        CliRunner.Result r = run(cli(), stub, "drop", "fixtures", "simple_view", "--yes", "--token", "t");
        assertEquals(1, r.exitCode(), r.toString());
        String on = "http://localhost:" + stub.port();
        assertEquals("Error: Table not found in fixtures on " + on + ": simple_view.\n"
                + "List the tables: dclient tables -d fixtures -i " + on + "\n", r.err());
        assertEquals(List.of("POST /fixtures/simple_view/-/drop", "GET /fixtures.json"), requests(stub),
                "the confirmed drop is never sent (the table list is asked for near names)");
    }
}
