package io.datasette.dclient.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.Recordings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** insert/upsert: the recorded write exchanges, and batching against stubs of our own. */
class WriteTest {
    @TempDir
    Path dir;

    private WireMockServer wm;

    @AfterEach
    void stop() {
        if (wm != null) wm.stop();
    }

    private Datasette ds(String token) {
        return Datasette.builder().url(wm.baseUrl()).token(token).configDir(dir).env(Map.of()).build();
    }

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void insertReturningTheRecordedRows() {
        wm = Recordings.start();
        WriteResult r = ds("dstok_ROOT").insert("fixtures", "pets",
                List.of(Map.of("id", 1, "name", "Rex", "age", 3), Map.of("id", 2, "name", "Fido", "age", 5)),
                WriteOptions.defaults().returning());
        assertEquals(2, r.rowCount());
        assertEquals(1, r.requests());
        assertEquals(List.of(row("id", 1, "name", "Rex", "age", 3), row("id", 2, "name", "Fido", "age", 5)), r.rows());
    }

    @Test
    void insertFlagsMatchTheRecordedBodies() {
        wm = Recordings.start();
        Datasette ds = ds("dstok_ROOT");
        assertEquals("Rex II", ds.insert("fixtures", "pets", List.of(row("id", 1, "name", "Rex II", "age", 4)),
                WriteOptions.defaults().replace().returning()).rows().get(0).get("name"));
        assertEquals("Rex II", ds.insert("fixtures", "pets", List.of(row("id", 1, "name", "Ignored", "age", 9)),
                WriteOptions.defaults().ignore().returning()).rows().get(0).get("name"));
        assertEquals("brown", ds.insert("fixtures", "pets", List.of(row("id", 4, "name", "Bella", "color", "brown")),
                WriteOptions.defaults().alter().returning()).rows().get(0).get("color"));
        WriteResult created = ds.insert("fixtures", "books",
                List.of(row("id", 1, "title", "Dune", "year", 1965), row("id", 2, "title", "Emma", "year", 1815)),
                WriteOptions.defaults().create("id"));
        assertEquals(2, created.rowCount());
    }

    @Test
    void upsertReturningTheRecordedRows() {
        wm = Recordings.start();
        WriteResult r = ds("dstok_ROOT").upsert("fixtures", "pets",
                Stream.of(row("id", 2, "age", 6), row("id", 10, "name", "Max", "age", 1)),
                WriteOptions.defaults().returning());
        assertEquals(2, r.rowCount());
        assertEquals(List.of(2, 10), r.rows().stream().map(m -> m.get("id")).toList());
        assertEquals("Max", r.rows().get(1).get("name"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            dstok_ROOT  | 1  | UNIQUE constraint failed: pets.id (HTTP 400)
            dstok_ALICE | 20 | Permission denied (HTTP 403 from
            """)
    void writeErrorsAreTheServersMessage(String token, int id, String expected) {
        wm = Recordings.start();
        Map<String, Object> r = id == 1 ? row("id", 1, "name", "Rex again", "age", 4) : row("id", 20, "name", "Nope");
        DclientException e = assertThrows(DclientException.class,
                () -> ds(token).insert("fixtures", "pets", List.of(r)));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        assertTrue(!e.getMessage().contains(token), "no token in the message");
    }

    @Test
    void missingTableOnInsert() {
        wm = Recordings.start();
        DclientException e = assertThrows(DclientException.class,
                () -> ds("dstok_ROOT").insert("fixtures", "no_such_table", List.of(row("id", 1))));
        assertTrue(e.getMessage().startsWith("Table not found"), e.getMessage());
    }

    private List<JsonNode> bodies(String path) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (LoggedRequest r : wm.findAll(postRequestedFor(urlPathEqualTo(path)))) out.add(Json.parse(r.getBodyAsString()));
        return out;
    }

    @Test
    void insertSendsBatchesOf100() throws Exception {
        wm = Recordings.startEmpty();
        wm.stubFor(post(urlPathEqualTo("/data/big~2Ftable/-/insert"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("{\"ok\": true}")));
        List<Map<String, Object>> rows = IntStream.rangeClosed(1, 250).mapToObj(i -> row("id", i, "n", "r" + i)).toList();
        WriteResult r = ds("t").insert("data", "big/table", rows);
        assertEquals(new WriteResult(250, 3, List.of()), r);
        List<JsonNode> bodies = bodies("/data/big~2Ftable/-/insert");
        assertEquals(List.of(100, 100, 50), bodies.stream().map(b -> b.get("rows").size()).toList());
        assertEquals(List.of("rows"), fieldNames(bodies.get(0)), "no flags unless asked");
        assertEquals(1, bodies.get(0).at("/rows/0/id").asInt());
        assertEquals(250, bodies.get(2).at("/rows/49/id").asInt());
        assertEquals("Bearer t", wm.findAll(postRequestedFor(urlPathEqualTo("/data/big~2Ftable/-/insert"))).get(0)
                .getHeader("Authorization"));
    }

    @Test
    void aStreamIsSentAsItIsRead() throws Exception {
        wm = Recordings.startEmpty();
        wm.stubFor(post(urlPathEqualTo("/data/t/-/upsert"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"ok\": true}")));
        AtomicInteger pulled = new AtomicInteger();
        AtomicInteger sentWhenPulled31 = new AtomicInteger(-1);
        Stream<Map<String, Object>> rows = IntStream.rangeClosed(1, 35).mapToObj(i -> {
            if (pulled.incrementAndGet() == 31) {
                sentWhenPulled31.set(wm.findAll(postRequestedFor(urlPathEqualTo("/data/t/-/upsert"))).size());
            }
            return row("id", i);
        });
        WriteResult r = ds("t").upsert("data", "t", rows, WriteOptions.defaults().batchSize(10).alter());
        assertEquals(35, r.rowCount());
        assertEquals(4, r.requests());
        // rows 11-30 may be read while the first batch is in flight; the third batch is handed over
        // only once the second is being sent, i.e. once the first is answered
        assertTrue(sentWhenPulled31.get() >= 1 && sentWhenPulled31.get() <= 3,
                "the first batch went out before row 31 was read: " + sentWhenPulled31.get());
        List<JsonNode> bodies = bodies("/data/t/-/upsert");
        assertEquals(List.of(10, 10, 10, 5), bodies.stream().map(b -> b.get("rows").size()).toList());
        assertEquals(List.of("rows", "alter"), fieldNames(bodies.get(0)));
    }

    @Test
    void rowsOver2MiBAreSplitIntoSeveralRequests() throws Exception {
        wm = Recordings.startEmpty();
        wm.stubFor(post(urlPathEqualTo("/data/t/-/insert"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("{\"ok\": true}")));
        String text = "x".repeat(300_000);
        List<Map<String, Object>> rows = IntStream.rangeClosed(1, 10).mapToObj(i -> row("id", i, "text", text)).toList();
        WriteResult r = ds("t").insert("data", "t", rows, WriteOptions.defaults().alter());
        assertEquals(10, r.rowCount());
        assertEquals(2, r.requests(), "10 rows of 300 kB do not fit in one 2 MiB body");
        List<LoggedRequest> requests = wm.findAll(postRequestedFor(urlPathEqualTo("/data/t/-/insert")));
        List<JsonNode> bodies = new ArrayList<>();
        for (LoggedRequest q : requests) {
            assertTrue(q.getBody().length <= 2 * 1024 * 1024, "body of " + q.getBody().length + " bytes");
            bodies.add(Json.parse(q.getBodyAsString()));
        }
        assertEquals(List.of(6, 4), bodies.stream().map(b -> b.get("rows").size()).toList());
        assertEquals(List.of("rows", "alter"), fieldNames(bodies.get(1)), "every request carries the flags");
        assertEquals(7, bodies.get(1).at("/rows/0/id").asInt(), "no row is lost or repeated at the split");
        assertEquals(text, bodies.get(1).at("/rows/3/text").asText());
    }

    @Test
    void createBodyHasTableRowsFlagsAndPks() throws Exception {
        wm = Recordings.startEmpty();
        wm.stubFor(post(urlPathEqualTo("/data/-/create"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("{\"ok\": true}")));
        ds("t").insert("data", "places", List.of(row("a", 1, "b", 2)), WriteOptions.defaults().create("a", "b").ignore());
        JsonNode body = bodies("/data/-/create").get(0);
        assertEquals(List.of("table", "rows", "ignore", "pks"), fieldNames(body));
        assertEquals("places", body.get("table").asText());
        assertEquals("[\"a\",\"b\"]", Json.compact(body.get("pks")));
    }

    @Test
    void nothingToSendMakesNoRequest() {
        wm = Recordings.startEmpty();
        assertEquals(new WriteResult(0, 0, List.of()), ds("t").insert("data", "t", List.of()));
        assertEquals(0, wm.getAllServeEvents().size());
    }

    @Test
    void optionMistakesAreCaughtBeforeSending() {
        wm = Recordings.startEmpty();
        Datasette ds = ds("t");
        assertThrows(IllegalArgumentException.class, () -> WriteOptions.defaults().replace().ignore());
        assertThrows(IllegalArgumentException.class, () -> WriteOptions.defaults().batchSize(0));
        assertThrows(IllegalArgumentException.class,
                () -> ds.upsert("data", "t", List.of(row("id", 1)), WriteOptions.defaults().replace()));
        assertEquals("WriteOptions[batchSize=50, replace, returning, create pk id]",
                WriteOptions.defaults().batchSize(50).replace().returning().create("id").toString());
        assertEquals(0, wm.getAllServeEvents().size());
    }

    @Test
    void theLibraryAndTheCommandLineSendTheSameBodies() throws Exception {
        wm = Recordings.startEmpty();
        wm.stubFor(post(urlPathEqualTo("/data/-/create"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("{\"ok\": true}")));
        wm.stubFor(post(urlPathEqualTo("/data/t/-/insert"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("{\"ok\": true}")));
        List<Map<String, Object>> rows = new ArrayList<>();
        StringBuilder csv = new StringBuilder("id,name,score,note,qty\n");
        StringBuilder ndjson = new StringBuilder();
        for (int i = 1; i <= 23; i++) {
            rows.add(row("id", i, "name", "n\u00e9 \"" + i + "\"", "score", i + 0.5, "note", i % 3 == 0 ? "" : "x,y",
                    "qty", i % 4 == 0 ? null : i * 2));
            csv.append(i).append(",\"n\u00e9 \"\"").append(i).append("\"\"\",").append(i + 0.5).append(',')
                    .append(i % 3 == 0 ? "" : "\"x,y\"").append(',').append(i % 4 == 0 ? "" : String.valueOf(i * 2))
                    .append('\n');
            ndjson.append(Json.compact(Json.mapper().valueToTree(rows.get(i - 1)))).append('\n');
        }
        Path csvFile = dir.resolve("rows.csv");
        Path ndjsonFile = dir.resolve("rows.ndjson");
        java.nio.file.Files.writeString(csvFile, csv);
        java.nio.file.Files.writeString(ndjsonFile, ndjson);

        List<List<String>> sent = new ArrayList<>();
        ds("t").insert("data", "t", rows, WriteOptions.defaults().batchSize(10).create("id").ignore());
        sent.add(bodyTexts());
        for (Path file : List.of(csvFile, ndjsonFile)) {
            wm.resetRequests();
            CliRunner.Result r = new CliRunner(dir.resolve("config")).run("insert", "data", "t", file.toString(),
                    "--batch-size", "10", "--create", "--pk", "id", "--ignore", "-i", wm.baseUrl(), "--token", "t");
            assertEquals(0, r.exitCode(), r.toString());
            sent.add(bodyTexts());
        }
        assertEquals(3, sent.get(0).size());
        assertTrue(sent.get(0).get(0).startsWith("{\"table\":\"t\",\"rows\":[{\"id\":1,\"name\":\"n\u00e9 \\\"1\\\"\",\"score\":1.5,"
                + "\"note\":\"x,y\",\"qty\":2}"), sent.get(0).get(0));
        assertEquals(sent.get(0), sent.get(1), "CSV through the command line");
        assertEquals(sent.get(0), sent.get(2), "NDJSON through the command line");
    }

    /** The POST bodies in the order they arrived. */
    private List<String> bodyTexts() {
        List<LoggedRequest> all = new ArrayList<>(wm.findAll(postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.anyUrl())));
        all.sort((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()));
        return all.stream().map(LoggedRequest::getBodyAsString).toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
