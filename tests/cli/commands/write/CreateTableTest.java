package io.datasette.dclient.cli.commands.write;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code create-table}: the body Datasette's /-/create expects, validation, the recorded answers. */
class CreateTableTest {
    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.recordings();
    @RegisterExtension
    static final RecordedDatasette stub = RecordedDatasette.empty();

    @TempDir
    Path dir;

    @BeforeEach
    void stubCreated() {
        stub.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": true, \"database\": \"mydb\", \"table\": \"dogs\", \"schema\": \"CREATE TABLE ...\"}")));
    }

    CliRunner.Result run(WireMockServer server, String... args) {
        List<String> all = new ArrayList<>(List.of("create-table"));
        all.addAll(List.of(args));
        all.add("-i");
        all.add(server.baseUrl());
        return new CliRunner(dir).run(all.toArray(String[]::new));
    }

    static List<LoggedRequest> requests(WireMockServer server) {
        return server.findAll(anyRequestedFor(anyUrl()));
    }

    @Test
    void createsTheRecordedTableThenReportsThatItExists() throws Exception {
        String[] args = {"fixtures", "pets", "--column", "id", "integer", "--column", "name", "text", "-c", "age", "integer",
                "--pk", "id", "--token", "dstok_ROOT"};
        CliRunner.Result r = run(wm, args);
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode out = Json.parse(r.out());
        assertEquals("pets", out.path("table").asText());
        assertEquals(wm.baseUrl() + "/fixtures/pets", out.path("table_url").asText());
        assertTrue(r.out().startsWith("{\n  \"ok\": true,\n  \"database\": \"fixtures\",\n"), r.out());
        CliRunner.Result again = run(wm, args);
        assertEquals(1, again.exitCode());
        assertEquals("Error: table \"pets\" already exists (HTTP 400)\n", again.err());
        assertEquals("", again.out());
    }

    @Test
    void compoundPrimaryKeyUsesPks() throws Exception {
        CliRunner.Result r = run(stub, "mydb", "events", "--column", "user_id", "integer", "--column", "event_id", "INTEGER",
                "--column", "payload", "blob", "--column", "score", "float", "--pk", "user_id", "--pk", "event_id",
                "--token", "x");
        assertEquals(0, r.exitCode(), r.toString());
        LoggedRequest req = requests(stub).get(0);
        assertEquals("/mydb/-/create", req.getUrl());
        assertEquals("Bearer x", req.getHeader("Authorization"));
        assertEquals("{\"table\":\"events\",\"columns\":[{\"name\":\"user_id\",\"type\":\"integer\"},"
                + "{\"name\":\"event_id\",\"type\":\"integer\"},{\"name\":\"payload\",\"type\":\"blob\"},"
                + "{\"name\":\"score\",\"type\":\"float\"}],\"pks\":[\"user_id\",\"event_id\"]}", req.getBodyAsString());
    }

    @Test
    void noPkMeansNeitherKey() {
        CliRunner.Result r = run(stub, "my db", "a/b", "--column", "id", "integer", "--token", "x");
        assertEquals(0, r.exitCode(), r.toString());
        LoggedRequest req = requests(stub).get(0);
        assertEquals("/my+db/-/create", req.getUrl());
        assertEquals("{\"table\":\"a/b\",\"columns\":[{\"name\":\"id\",\"type\":\"integer\"}]}", req.getBodyAsString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mydb dogs --token x|Provide at least one --column definition, e.g. --column id integer --column name text",
        "mydb dogs --column id varchar --token x|Unknown type 'varchar' for column id: use text, integer, float or blob",
        "mydb dogs --column id integer --column id text --token x|Column id is given twice",
        "mydb dogs --column id integer --pk nope --token x|The primary key nope is not one of the columns (id)",
    })
    void refusedBeforeAnythingIsSent(String args, String message) {
        CliRunner.Result r = run(stub, args.split(" "));
        assertEquals(1, r.exitCode());
        assertEquals("Error: " + message + "\n", r.err());
        assertEquals(List.of(), requests(stub));
    }

    @Test
    void withoutATokenTheTableIsCreatedAnonymously() {
        CliRunner.Result r = run(stub, "mydb", "dogs", "--column", "id", "integer");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(1, requests(stub).size());
        assertFalse(requests(stub).get(0).containsHeader("Authorization"), "no Authorization header at all");
    }

    @Test
    void anAnonymousCreateRefusedByTheServerSaysHowToAddAToken() {
        stub.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": false, \"errors\": [\"Permission denied\"], \"status\": 403}")));
        CliRunner.Result r = run(stub, "mydb", "dogs", "--column", "id", "integer");
        assertEquals(1, r.exitCode());
        String url = stub.baseUrl();
        assertEquals("Error: Permission denied (HTTP 403). No token was sent. Get a token with write access: dclient login "
                + url + " --write-all, or store one: dclient auth add " + url + "\n", r.err());
    }
}
