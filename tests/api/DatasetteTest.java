package io.datasette.dclient.api;


import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.datasette.dclient.core.auth.AuthStore;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The Java API against the recorded Datasette: opening, reading, and the CLI's error messages. */
class DatasetteTest {
    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.recordings();
    @RegisterExtension
    static final RecordedDatasette empty = RecordedDatasette.empty();

    @TempDir
    Path dir;

    /** A handle on the recordings with a token, reading nothing from the real environment. */
    private Datasette ds(String token) {
        return Datasette.builder().url(wm.baseUrl()).token(token).configDir(dir).env(Map.of()).build();
    }

    private Datasette ds() {
        return ds("dstok_ROOT");
    }

    /** The one-line error the CLI prints for the same failure, without "Error: ". */
    private String cliError(String... args) {
        CliRunner.Result r = new CliRunner(dir.resolve("cli")).run(args);
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: "), r.toString());
        return r.err().substring("Error: ".length()).strip();
    }

    private static String message(Supplier<?> call) {
        return assertThrows(DclientException.class, call::get).getMessage();
    }

    @Test
    void queryReturnsRowsAsMapsInColumnOrder() {
        List<Map<String, Object>> rows = ds().query("fixtures", "select * from dogs limit 3");
        assertEquals(3, rows.size());
        assertEquals(List.of("id", "name", "age", "breed", "weight", "is_good"), List.copyOf(rows.get(0).keySet()));
        assertEquals(Map.of("id", 1, "name", "Dog 1", "age", 1, "breed", "Poodle", "weight", 6.25, "is_good", 1),
                rows.get(0));
        assertEquals(List.of("Dog 1", "Dog 2", "Dog 3"), rows.stream().map(r -> r.get("name")).toList());
        // the legacy URL was asked first, then its redirect
        wm.verify(getRequestedFor(urlPathEqualTo("/fixtures.json")).withQueryParam("_shape", equalTo("objects")));
        wm.verify(getRequestedFor(urlPathEqualTo("/fixtures/-/query.json")));
    }

    @Test
    void queryJsonIsTheWholeAnswer() {
        JsonNode json = ds().queryJson("fixtures", "select * from dogs limit 3");
        assertFalse(json.path("truncated").asBoolean(true));
        assertEquals("Dog 3", json.at("/rows/2/name").asText());
    }

    @Test
    void queryWithNamedParameters() {
        // Only the new-style URL of this query is recorded; stand in for the legacy redirect.
        StubMapping redirect = wm.stubFor(get(urlPathEqualTo("/fixtures.json"))
                .withQueryParam("sql", equalTo("select id, name from dogs where name = :name"))
                .withQueryParam("name", equalTo("Dog 7"))
                .willReturn(aResponse().withStatus(302).withHeader("Location",
                        "/fixtures/-/query.json?sql=select+id%2C+name+from+dogs+where+name+%3D+%3Aname&name=Dog+7&_shape=objects")));
        try {
            List<Map<String, Object>> rows = ds().query("fixtures", "select id, name from dogs where name = :name",
                    Map.of("name", "Dog 7"));
            assertEquals(List.of(Map.of("id", 7, "name", "Dog 7")), rows);
        } finally {
            wm.removeStub(redirect); // not resetMappings(): that can delete the recording files
        }
    }

    @Test
    void queryErrorsCarryTheCliMessage() {
        String api = message(() -> ds().query("nosuchdb", "select 1"));
        assertTrue(api.contains("Database not found"), api);
        assertEquals(cliError("query", "nosuchdb", "select 1", "-i", wm.baseUrl(), "--token", "dstok_ROOT"), api);
    }

    @Test
    void rowsFollowNextUrlLazily() {
        Rows dogs = ds().rows("fixtures", "dogs");
        assertEquals("/fixtures/dogs.json?_shape=objects&_size=100", dogs.path());
        assertEquals(0, wm.findAll(getRequestedFor(urlPathEqualTo("/fixtures/dogs.json"))).size(), "nothing yet");

        List<Object> first150 = dogs.stream().limit(150).map(r -> r.get("id")).collect(Collectors.toList());
        assertEquals(150, first150.size());
        assertEquals(1, first150.get(0));
        assertEquals(150, first150.get(149));
        assertEquals(2, wm.findAll(getRequestedFor(urlPathEqualTo("/fixtures/dogs.json"))).size(), "two pages");

        wm.resetRequests();
        List<Map<String, Object>> all = dogs.list();
        assertEquals(300, all.size());
        assertEquals("Dog 300", all.get(299).get("name"));
        assertEquals(3, wm.findAll(getRequestedFor(urlPathEqualTo("/fixtures/dogs.json"))).size());
        int n = 0;
        for (Map<String, Object> row : dogs) n++;
        assertEquals(300, n);
    }

    @Test
    void rowsFiltersSortColumnsSearchAndLimit() {
        Datasette ds = ds();
        Rows old = ds.rows("fixtures", "dogs").filter("age", "gte", 14).filter("breed", "isnull", null).limit(5);
        assertEquals("/fixtures/dogs.json?_shape=objects&age__gte=14&breed__isnull=1&_size=5", old.path());
        assertEquals(List.of(14, 49, 84, 99, 134), old.stream().map(r -> r.get("id")).toList());
        // the limit is met by the first page: the recorded next_url is never fetched
        assertEquals(1, wm.findAll(getRequestedFor(urlPathEqualTo("/fixtures/dogs.json"))).size());

        assertEquals(List.of("Dog 42"), ds.rows("fixtures", "dogs").filter("name", "eq", "Dog 42").stream()
                .map(r -> r.get("name")).toList());
        assertEquals(List.of(40, 80, 120), ds.rows("fixtures", "dogs").sort("weight").limit(3).stream()
                .map(r -> r.get("id")).toList());
        assertEquals(List.of(16, 16, 16), ds.rows("fixtures", "dogs").sortDesc("age").limit(3).stream()
                .map(r -> r.get("age")).toList());
        assertEquals(List.of(Map.of("id", 1, "name", "Dog 1", "breed", "Poodle"),
                Map.of("id", 2, "name", "Dog 2", "breed", "Beagle")),
                ds.rows("fixtures", "dogs").columns("name", "breed").limit(3).stream().limit(2).toList());
        assertEquals(List.of("panther", "puma"), ds.rows("fixtures", "searchable").search("dog").stream()
                .map(r -> r.get("name with . and spaces")).toList());
        assertEquals(List.of(), ds.rows("fixtures", "dogs").filter("nosuchcol", "exact", 1).list());
    }

    @Test
    void anUnknownFilterOperatorThrowsAsTheCommandFailsAndFilterRawSendsIt() {
        Rows dogs = ds().rows("fixtures", "dogs");
        DclientException e = assertThrows(DclientException.class, () -> dogs.filter("age", "badop", 3));
        assertEquals(DclientException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith("Unknown filter operator: badop (column age). Datasette's operators: exact"
                + " (or eq), not, contains,"), e.getMessage());
        assertTrue(e.getMessage().endsWith("To send one a plugin adds, use filterRaw(column, op, value)."), e.getMessage());
        assertTrue(assertThrows(DclientException.class, () -> dogs.filter("age", "gtr", 3)).getMessage()
                .contains(" Did you mean gt? "));
        assertEquals("/fixtures/dogs.json?_shape=objects&age__badop=3&loc__near=1&_size=100",
                dogs.filterRaw("age", "badop", 3).filterRaw("loc", "near", null).path());
        assertThrows(IllegalArgumentException.class, () -> dogs.filterRaw("age", "", 3));
        assertEquals(0, wm.findAll(getRequestedFor(urlPathEqualTo("/fixtures/dogs.json"))).size());
    }

    @Test
    void rowsAreImmutable() {
        Rows base = ds().rows("fixtures", "dogs");
        Rows limited = base.limit(3);
        assertEquals("/fixtures/dogs.json?_shape=objects&_size=100", base.path());
        assertEquals("/fixtures/dogs.json?_shape=objects&_size=3", limited.path());
        assertEquals("Rows[fixtures/dogs.json?_shape=objects&_size=3, limit 3]", limited.toString());
        assertThrows(IllegalArgumentException.class, () -> base.limit(0));
        assertThrows(IllegalArgumentException.class, () -> base.pageSize(0));
    }

    /** Page {@code n} of db/t on the empty server (0 is the first), one row with id n, linking to page {@code next}. */
    private static void page(int n, Integer next) {
        var request = get(urlPathEqualTo("/db/t.json"));
        request = n == 0 ? request.withQueryParam("_next", absent()) : request.withQueryParam("_next", equalTo(String.valueOf(n)));
        empty.stubFor(request.willReturn(okJson("{\"ok\": true, \"next_url\": "
                + (next == null ? "null" : "\"" + empty.baseUrl() + "/db/t.json?_next=" + next + "\"")
                + ", \"rows\": [{\"id\": " + n + "}]}")));
    }

    private Datasette emptyDs() {
        return Datasette.builder().url(empty.baseUrl()).configDir(dir).env(Map.of()).build();
    }

    @Test
    void aCyclingNextUrlEndsEveryWayOfReadingRows() {
        page(0, 1);
        page(1, 2);
        page(2, 1);
        Rows rows = emptyDs().rows("db", "t");
        String expected = "The server's next_url points back to a page fetched before (" + empty.baseUrl()
                + "/db/t.json?_next=1); not following it, to avoid a loop.\nStopped after 3 rows; the output is incomplete.";
        List<Supplier<?>> ways = List.of(rows::list, () -> rows.stream().toList(), () -> {
            List<Object> ids = new java.util.ArrayList<>();
            for (Map<String, Object> r : rows) ids.add(r.get("id"));
            return ids;
        });
        for (Supplier<?> way : ways) {
            empty.resetRequests();
            DclientException e = assertThrows(DclientException.class, way::get);
            assertEquals(expected, e.getMessage());
            assertEquals(DclientException.Kind.SERVER, e.kind());
            assertEquals(3, empty.findAll(getRequestedFor(urlPathEqualTo("/db/t.json"))).size());
        }
    }

    @Test
    void aStreamLeftHalfWayFetchesNothingMore() {
        for (int i = 0; i < 5; i++) page(i, i + 1);
        page(5, null);
        assertEquals(List.of(0, 1), emptyDs().rows("db", "t").stream().limit(2).map(r -> r.get("id")).toList());
        assertEquals(2, empty.findAll(getRequestedFor(urlPathEqualTo("/db/t.json"))).size(),
                "a stream fetches on demand: nothing ahead, no thread left behind when it is dropped unclosed");
    }

    @Test
    void databasesFallBackLikeTheCli() {
        empty.stubFor(get(urlPathEqualTo("/-/databases.json")).willReturn(aResponse().withStatus(404)));
        empty.stubFor(get(urlPathEqualTo("/.json")).willReturn(okJson("{\"a\": {\"name\": \"a\"}, \"b\": {}}")));
        assertEquals(List.of("a", "b"), emptyDs().databases());
    }

    @Test
    void rowsOfAMissingTableFailLikeTheCli() {
        String api = message(() -> ds().rows("fixtures", "no_such_table").list());
        assertTrue(api.contains("Table not found"), api);
    }

    @Test
    void rowByPrimaryKey() {
        Map<String, Object> dog = ds().row("fixtures", "dogs", 42);
        assertEquals("Dog 42", dog.get("name"));
        assertEquals(7.5, dog.get("weight"));
        String missing = message(() -> ds().row("fixtures", "dogs", 9999));
        assertTrue(missing.contains("Row not found"), missing);
    }

    @Test
    void actorDatabasesTablesSchemaAndGet() {
        Datasette ds = ds();
        assertEquals(Map.of("id", "root", "token", "dstok"), ds.actor());
        assertNull(ds(null).actor(), "anonymous");
        assertEquals(List.of("fixtures", "other"), ds.databases());
        List<String> tables = ds.tables("fixtures");
        assertTrue(tables.contains("dogs"));
        assertTrue(tables.contains("table/with/slashes.csv"));
        assertFalse(tables.contains("searchable_fts"), "hidden tables are left out");
        assertEquals(List.of("notes"), ds.tables("other"));
        assertTrue(ds.schema("fixtures", "dogs").startsWith("CREATE TABLE dogs"), ds.schema("fixtures", "dogs"));
        assertTrue(ds.schema("fixtures").contains("CREATE TABLE dogs"));
        assertEquals("1.0a37", ds.get("/-/versions.json").at("/datasette/version").asText());
    }

    @Test
    void expiredTokenFailsWithTheCliMessage() {
        String api = message(() -> ds("dstok_EXPIRED").actor());
        assertTrue(api.contains("Token has expired"), api);
    }

    @Test
    void openByAliasUsesConfigAndAuthJsonLikeTheCli() {
        new ConfigStore(dir).update(c -> {
            c.putInstance("prod", wm.baseUrl());
            return null;
        });
        new AuthStore(dir).put("prod", "dstok_ROOT");
        Map<String, String> env = Map.of("DCLIENT_CONFIG_DIR", dir.toString()); // what open() reads from the process

        Datasette ds = Datasette.builder().instance("prod").env(env).build();
        assertEquals(wm.baseUrl(), ds.url());
        assertEquals("prod", ds.alias());
        assertEquals("alias prod in auth.json", ds.tokenSource());
        assertTrue(ds.hasToken());
        assertEquals("root", ds.actor().get("id"));
        assertEquals("Datasette[" + wm.baseUrl() + " (prod), token: alias prod in auth.json]", ds.toString());

        // a URL finds the alias and its token too
        assertEquals("prod", Datasette.builder().instance(wm.baseUrl() + "/").env(env).build().alias());
        assertEquals("alias prod in auth.json", Datasette.builder().instance(wm.baseUrl()).env(env).build().tokenSource());
    }

    @Test
    void tokenByUrlPrefixAndFromTheEnvironment() {
        new AuthStore(dir).put(wm.baseUrl(), "dstok_ALICE");
        Datasette byUrl = Datasette.builder().url(wm.baseUrl()).configDir(dir).env(Map.of()).build();
        assertEquals("URL prefix " + wm.baseUrl() + " in auth.json", byUrl.tokenSource());
        assertEquals("alice", byUrl.actor().get("id"));

        Datasette byEnv = Datasette.builder().configDir(dir.resolve("empty"))
                .env(Map.of("DATASETTE_URL", wm.baseUrl(), "DATASETTE_TOKEN", "dstok_ROOT")).build();
        assertEquals("DATASETTE_TOKEN", byEnv.tokenSource());
        assertEquals("root", byEnv.actor().get("id"));

        Datasette explicit = Datasette.builder().url(wm.baseUrl()).token("dstok_ROOT").configDir(dir).env(Map.of()).build();
        assertEquals("Datasette.builder().token(...)", explicit.tokenSource(), "an explicit token wins over auth.json,"
                + " named as the library sets it");
    }

    @Test
    void defaultInstanceAndDatabase() {
        new ConfigStore(dir).update(c -> {
            c.putInstance("prod", wm.baseUrl());
            c.setDefaultInstance("prod");
            c.setDefaultDatabase("prod", "fixtures");
            return null;
        });
        Datasette ds = Datasette.builder().env(Map.of("DCLIENT_CONFIG_DIR", dir.toString())).build();
        assertEquals("prod", ds.alias());
        assertEquals("fixtures", ds.defaultDatabase());
    }

    @Test
    void resolutionErrorsStateTheCommandsFactsWithTheLibrarysAdvice() {
        Map<String, String> env = Map.of("DCLIENT_CONFIG_DIR", dir.toString());
        String none = message(() -> Datasette.builder().env(env).build());
        assertEquals("No instance specified. Name one: Datasette.open(\"https://...\") or Datasette.builder()"
                + ".instance(...), or set DATASETTE_URL.", none);
        assertTrue(cliError("get", "/-/actor.json").startsWith("No instance specified. Use -i <url-or-alias>"));

        String unknown = message(() -> Datasette.builder().instance("nope").env(env).build());
        assertEquals("Unknown instance: nope. Use the instance's URL (Datasette.builder().url(...)), or add the alias"
                + " to config.json.", unknown);

        String noDb = message(() -> Datasette.builder().url(wm.baseUrl()).env(env).build().defaultDatabase());
        assertEquals("No database specified. Pass the database name to the call, or set DATASETTE_DATABASE.", noDb);
        for (String m : List.of(none, unknown, noDb)) {
            assertFalse(m.contains("dclient ") || m.contains(" -i ") || m.contains(" -d "), "no command-line words: " + m);
        }

        assertThrows(DclientException.class, () -> Datasette.builder().url("ftp://example.com"));
    }

    @Test
    void connectionFailureIsOneLine() {
        Datasette ds = Datasette.builder().url("http://127.0.0.1:9").configDir(dir).env(Map.of()).build();
        String msg = message(ds::actor);
        assertTrue(msg.startsWith("Could not connect to http://127.0.0.1:9"), msg);
    }

    @Test
    void verboseLogsRequestsButNeverTheToken() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Datasette ds = Datasette.builder().url(wm.baseUrl()).token("dstok_ROOT").configDir(dir).env(Map.of())
                .verbose(new PrintStream(log, true, StandardCharsets.UTF_8)).build();
        ds.actor();
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("> GET " + wm.baseUrl() + "/-/actor.json"), text);
        assertFalse(text.contains("dstok_ROOT"), text);
        assertFalse(ds.toString().contains("dstok_ROOT"));
    }
}
