package io.datasette.dclient.cli.commands.data;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code databases}, {@code tables}, {@code schema} and {@code plugins}. */
class IntrospectionTest {
    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.recordings();
    @RegisterExtension
    static final RecordedDatasette empty = RecordedDatasette.empty();

    @TempDir
    Path dir;

    CliRunner.Result run(WireMockServer server, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("-i");
        all.add(server.baseUrl());
        return new CliRunner(dir).run(all.toArray(String[]::new));
    }

    static List<String> urls(WireMockServer server) {
        List<LoggedRequest> all = new ArrayList<>(server.findAll(anyRequestedFor(anyUrl())));
        all.sort((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()));
        return all.stream().map(LoggedRequest::getUrl).collect(Collectors.toList());
    }

    // --- databases -------------------------------------------------------------------------

    @Test
    void databasesUsesTheStableEndpoint() {
        CliRunner.Result r = run(wm, "databases");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("fixtures\nother\n", r.out());
        assertEquals(List.of("/-/databases.json"), urls(wm));
    }

    @Test
    void databasesJsonIsTheList() throws Exception {
        CliRunner.Result r = run(wm, "databases", "--json");
        JsonNode list = Json.parse(r.out());
        assertTrue(list.isArray());
        assertEquals(2, list.size());
        assertEquals("fixtures", list.get(0).path("name").asText());
        assertEquals("fixtures.db", list.get(0).path("path").asText());
        assertTrue(r.out().startsWith("[\n  {\n    \"name\": \"fixtures\","), r.out());
    }

    static Stream<Arguments> databaseShapes() {
        return Stream.of(
                // Datasette >= 1.0a36 /.json and /-/databases.json
                Arguments.of("{\"ok\": true, \"databases\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}", "a\nb\n"),
                // Datasette <= 1.0a35 /.json: a dict keyed by name
                Arguments.of("{\"databases\": {\"a\": {\"name\": \"a\", \"tables_count\": 1}, \"b\": {\"name\": \"b\"}}}",
                        "a\nb\n"),
                // Datasette 0.x /.json: {name: info} with no wrapper
                Arguments.of("{\"a\": {\"name\": \"a\", \"hash\": null}, \"b\": {\"path\": \"/b\"}}", "a\nb\n"),
                // Datasette 0.x /-/databases.json: a bare list
                Arguments.of("[{\"name\": \"a\", \"is_mutable\": true}, {\"name\": \"b\"}]", "a\nb\n"),
                // a list of names
                Arguments.of("[\"a\", \"b\"]", "a\nb\n"),
                Arguments.of("{\"ok\": true, \"databases\": []}", ""));
    }

    @ParameterizedTest
    @MethodSource("databaseShapes")
    void databasesCopesWithEveryShape(String body, String expected) {
        empty.stubFor(get(urlPathEqualTo("/-/databases.json")).willReturn(okJson(body)));
        CliRunner.Result r = run(empty, "databases");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(expected, r.out());
        CliRunner.Result json = run(empty, "databases", "--json");
        assertEquals(0, json.exitCode(), json.toString());
    }

    @Test
    void databasesFallsBackToTheInstancePageWhenTheEndpointIsMissing() {
        empty.stubFor(get(urlPathEqualTo("/-/databases.json")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "text/html").withBody("<h1>Not found</h1>")));
        empty.stubFor(get(urlPathEqualTo("/.json")).willReturn(okJson("{\"x\": {\"name\": \"x\"}}")));
        CliRunner.Result r = run(empty, "databases");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("x\n", r.out());
        assertEquals(List.of("/-/databases.json", "/.json"), urls(empty));
    }

    @Test
    void databasesForbiddenSaysSo() {
        empty.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": false, \"error\": \"view-instance\", \"errors\": [\"view-instance\"], \"status\": 403}")));
        CliRunner.Result r = run(empty, "databases");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("Error: ") && r.err().contains("view-instance") && r.err().contains("HTTP 403"),
                r.err());
        assertEquals(1, urls(empty).size());
    }

    // --- tables ----------------------------------------------------------------------------

    @Test
    void tablesPlainShowsCountsAndSkipsHiddenTables() {
        CliRunner.Result r = run(wm, "tables", "-d", "fixtures");
        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = r.out().lines().collect(Collectors.toList());
        assertTrue(lines.contains("dogs\t300 rows"), r.out());
        assertTrue(lines.contains("big\t10000+ rows"), r.out());
        assertTrue(lines.contains("complex_foreign_keys\t1 row"), r.out());
        assertTrue(lines.contains("Table With Space In Name\t0 rows"), r.out());
        assertTrue(lines.contains("table/with/slashes.csv\t1 row"), r.out());
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("searchable_fts")), "hidden FTS tables:\n" + r.out());
        assertFalse(lines.stream().anyMatch(l -> l.endsWith("\tview")), r.out());
        assertEquals(List.of("/fixtures.json"), urls(wm));
    }

    @Test
    void tablesHiddenAndViews() {
        List<String> hidden = run(wm, "tables", "-d", "fixtures", "--hidden").out().lines().collect(Collectors.toList());
        assertTrue(hidden.stream().anyMatch(l -> l.startsWith("searchable_fts\t")), hidden.toString());
        List<String> views = run(wm, "tables", "-d", "fixtures", "--views").out().lines().collect(Collectors.toList());
        assertTrue(views.contains("dogs\t300 rows"));
        assertTrue(views.contains("simple_view\tview"));
        assertEquals("paginated_view\tview\nsearchable_view\tview\nsearchable_view_configured_by_metadata\tview\n"
                + "simple_view\tview\n", run(wm, "tables", "-d", "fixtures", "--views-only").out());
    }

    @Test
    void tablesJsonHonoursHiddenAndViews() throws Exception {
        JsonNode plain = Json.parse(run(wm, "tables", "-d", "fixtures", "--json").out());
        JsonNode hidden = Json.parse(run(wm, "tables", "-d", "fixtures", "--json", "--hidden").out());
        JsonNode viewsOnly = Json.parse(run(wm, "tables", "-d", "fixtures", "--json", "--views-only").out());
        JsonNode views = Json.parse(run(wm, "tables", "-d", "fixtures", "--json", "--views").out());
        assertTrue(hidden.size() > plain.size(), "--hidden adds the hidden tables");
        for (JsonNode t : plain) assertFalse(t.path("hidden").asBoolean(), t.toString());
        assertEquals(4, viewsOnly.size());
        assertEquals("simple_view", viewsOnly.get(3).path("name").asText());
        assertEquals(plain.size() + 4, views.size());
    }

    @Test
    void tablesUsesTheDefaultDatabaseAndTildeEncodesIt() {
        empty.stubFor(get(anyUrl()).willReturn(okJson("{\"ok\": true, \"tables\": [{\"name\": \"t\", \"count\": null}],"
                + " \"views\": [\"v\"]}")));
        CliRunner.Result r = new CliRunner(dir).env("DATASETTE_DATABASE", "my db/x").run("tables", "-i", empty.baseUrl(),
                "--views");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("t\nv\tview\n", r.out());
        assertEquals(List.of("/my+db~2Fx.json"), urls(empty));
    }

    @Test
    void tablesOfAMissingDatabase() {
        empty.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": false, \"error\": \"Database not found\", \"status\": 404}")));
        CliRunner.Result r = run(empty, "tables", "-d", "nope");
        assertEquals(1, r.exitCode());
        assertEquals("Error: Database not found on " + empty.baseUrl() + ": nope (given with -d).\n"
                + "List the databases: dclient databases -i " + empty.baseUrl() + "\n", r.err());
    }

    // --- schema ----------------------------------------------------------------------------

    @Test
    void schemaOfATable() {
        CliRunner.Result r = run(wm, "schema", "dogs", "-d", "fixtures");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("CREATE TABLE dogs (\n  id INTEGER PRIMARY KEY,\n  name TEXT NOT NULL,\n  age INTEGER,\n  breed TEXT,\n"
                + "  weight REAL,\n  is_good INTEGER DEFAULT 1\n)\n", r.out());
        assertEquals(List.of("/fixtures/dogs/-/schema.json"), urls(wm));
    }

    @Test
    void schemaOfADatabaseAndItsJson() throws Exception {
        CliRunner.Result r = run(wm, "schema", "-d", "fixtures");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("CREATE TABLE dogs ("), r.out());
        assertTrue(r.out().endsWith("\n"));
        JsonNode json = Json.parse(run(wm, "schema", "-d", "fixtures", "--json").out());
        assertEquals("fixtures", json.path("database").asText());
        assertTrue(json.path("schema").asText().contains("CREATE TABLE dogs ("));
    }

    @Test
    void schemaFallsBackToSqliteMasterOnDatasettesWithoutTheRoute() {
        empty.stubFor(get(urlPathEqualTo("/db/t~2Ex/-/schema.json")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"ok\": false, \"error\": \"Table not found: -\"}")));
        empty.stubFor(get(urlPathEqualTo("/db.json")).willReturn(okJson(
                "{\"ok\": true, \"rows\": [{\"sql\": \"CREATE TABLE [t.x] (id integer)\"},"
                        + " {\"sql\": \"CREATE INDEX i ON [t.x](id)\"}]}")));
        CliRunner.Result r = run(empty, "schema", "t.x", "-d", "db");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("CREATE TABLE [t.x] (id integer);\nCREATE INDEX i ON [t.x](id);\n", r.out());
        List<String> urls = urls(empty);
        assertEquals(2, urls.size());
        assertTrue(urls.get(1).startsWith("/db.json?sql=select+sql+from+sqlite_master+where+sql+is+not+null+and+tbl_name"
                + "+%3D+%3Atable"), urls.get(1));
        assertTrue(urls.get(1).endsWith("&_shape=objects&table=t.x"), urls.get(1));
    }

    @Test
    void schemaOfAMissingTableIsAnError() {
        empty.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": false, \"error\": \"Table not found\", \"errors\": [\"Table not found\"], \"status\": 404}")));
        CliRunner.Result r = run(empty, "schema", "nope", "-d", "db");
        assertEquals(1, r.exitCode());
        assertEquals("Error: Table not found in db on " + empty.baseUrl() + ": nope.\n"
                + "List the tables: dclient tables -d db -i " + empty.baseUrl() + "\n", r.err());
        // the schema, then the table list (for near names); no sqlite_master fallback
        assertEquals(List.of("/db/nope/-/schema.json", "/db.json"), urls(empty));
    }

    // --- plugins ---------------------------------------------------------------------------

    @Test
    void pluginsPlainAndJson() throws Exception {
        CliRunner.Result r = run(wm, "plugins");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("datasette-oauth\t0.1a0\n", r.out());
        JsonNode json = Json.parse(run(wm, "plugins", "--json").out());
        assertEquals("datasette-oauth", json.get(0).path("name").asText());
        assertEquals(List.of("/-/plugins.json", "/-/plugins.json"), urls(wm));
    }

    @Test
    void pluginsWithoutVersions() {
        empty.stubFor(get(anyUrl()).willReturn(okJson("[{\"name\": \"a\"}, {\"name\": \"b\", \"version\": null}]")));
        assertEquals("a\nb\n", run(empty, "plugins").out());
    }
}
