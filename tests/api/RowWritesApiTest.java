package io.datasette.dclient.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's {@code row}, {@code update}, {@code delete}, {@code drop} and {@code token}, each
 * scenario also run through the command line where the two overlap: the same requests go out and
 * the same message comes back.
 */
class RowWritesApiTest {
    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.recordings();
    @RegisterExtension
    static final RecordedDatasette stub = RecordedDatasette.empty();

    static final String COMPOUND = "/fixtures/compound_primary_key/a~2Fb,~2Ec-d";

    @TempDir
    Path dir;

    Datasette ds(WireMockServer server, String token) {
        return Datasette.builder().url(server.baseUrl()).token(token).configDir(dir).env(Map.of()).build();
    }

    CliRunner.Result cli(WireMockServer server, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("-i", server.baseUrl()));
        return new CliRunner(dir.resolve("cli")).run(all.toArray(String[]::new));
    }

    /** "METHOD url body" of every request, in order; then forgets them. */
    static List<String> takeRequests(WireMockServer server) {
        List<LoggedRequest> all = new ArrayList<>(server.findAll(anyRequestedFor(anyUrl())));
        all.sort((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()));
        List<String> out = new ArrayList<>();
        for (LoggedRequest r : all) {
            String body = r.getBodyAsString();
            out.add(r.getMethod() + " " + r.getUrl() + (body.isEmpty() ? "" : " " + body));
        }
        server.resetRequests();
        return out;
    }

    static void json(WireMockServer server, String method, String path, int status, String body) {
        var mapping = method.equals("GET") ? get(urlPathEqualTo(path)) : post(urlPathEqualTo(path));
        server.stubFor(mapping.willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json; charset=utf-8").withBody(body)));
    }

    static String message(Supplier<?> call) {
        return assertThrows(DclientException.class, call::get).getMessage();
    }

    /** The CLI's one-line error, without "Error: ". */
    static String cliError(CliRunner.Result r) {
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: "), r.toString());
        return r.err().substring("Error: ".length()).strip();
    }

    @Test
    void rowByASimpleAndACompoundKeyThroughBothFaces() throws Exception {
        Map<String, Object> dog = ds(wm, null).row("fixtures", "dogs", 42);
        assertEquals(List.of("id", "name", "age", "breed", "weight", "is_good"), List.copyOf(dog.keySet()));
        assertEquals("Beagle", dog.get("breed"));
        List<String> library = takeRequests(wm);
        CliRunner.Result r = cli(wm, "row", "fixtures", "dogs", "42");
        assertEquals(Json.parse(Json.compact(Values.toJson(dog))), Json.parse(r.out()));
        assertEquals(library, takeRequests(wm));

        json(stub, "GET", COMPOUND + ".json", 200, "{\"ok\": true, \"rows\": [{\"pk1\": \"a/b\", \"pk2\": \".c-d\","
                + " \"content\": \"c\"}], \"primary_keys\": [\"pk1\", \"pk2\"]}");
        Map<String, Object> row = ds(stub, null).row("fixtures", "compound_primary_key", "a/b", ".c-d");
        assertEquals(Map.of("pk1", "a/b", "pk2", ".c-d", "content", "c"), row);
        assertEquals(row, ds(stub, null).row("fixtures", "compound_primary_key", List.of("a/b", ".c-d")));
        assertEquals(List.of("GET " + COMPOUND + ".json?_shape=objects", "GET " + COMPOUND + ".json?_shape=objects"),
                takeRequests(stub));
    }

    @Test
    void aMissingRowIsTheSameErrorFromBothFaces() {
        DclientException e = assertThrows(DclientException.class, () -> ds(wm, null).row("fixtures", "dogs", 9999));
        assertEquals(DclientException.Kind.NOT_FOUND, e.kind());
        assertEquals("Row not found: fixtures/dogs has no row with primary key 9999.", e.getMessage());
        assertEquals(e.getMessage(), cliError(cli(wm, "row", "fixtures", "dogs", "9999")));
    }

    @Test
    void updateReturnsTheStoredRowWithTheSameRequestAsTheCommand() {
        Map<String, Object> row = ds(wm, "dstok_ROOT").update("fixtures", "pets", 1, Map.of("age", 5));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", 1);
        expected.put("name", "Rex II");
        expected.put("age", 5);
        expected.put("color", null);
        assertEquals(expected, row);
        List<String> library = takeRequests(wm);
        assertEquals(List.of("POST /fixtures/pets/1/-/update {\"update\":{\"age\":5},\"return\":true}"), library);
        CliRunner.Result r = cli(wm, "update", "fixtures", "pets", "1", "--json", "{\"age\": 5}", "--token", "dstok_ROOT");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(library, takeRequests(wm));
    }

    @Test
    void updateWithACompoundKeyNullsAndAlter() throws Exception {
        json(stub, "POST", COMPOUND + "/-/update", 200,
                "{\"ok\": true, \"rows\": [{\"pk1\": \"a/b\", \"pk2\": \".c-d\", \"content\": null, \"nick\": \"x\"}]}");
        Map<String, Object> changes = new HashMap<>();
        changes.put("content", null);
        changes.put("nick", "x");
        Map<String, Object> row = ds(stub, "t").update("fixtures", "compound_primary_key", List.of("a/b", ".c-d"),
                changes, true);
        assertEquals("x", row.get("nick"));
        List<LoggedRequest> sent = stub.findAll(postRequestedFor(urlPathEqualTo(COMPOUND + "/-/update")));
        assertEquals(Json.parse("{\"update\": {\"content\": null, \"nick\": \"x\"}, \"return\": true, \"alter\": true}"),
                Json.parse(sent.get(0).getBodyAsString()));
    }

    @Test
    void updateRefusesNoChangesAndNoKey() {
        Datasette ds = ds(stub, "t");
        assertThrows(IllegalArgumentException.class, () -> ds.update("fixtures", "pets", 1, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> ds.update("fixtures", "pets", List.of(), Map.of("a", 1)));
        assertThrows(IllegalArgumentException.class, () -> ds.delete("fixtures", "pets"));
        assertThrows(IllegalArgumentException.class, () -> ds.row("fixtures", "pets", (Object) null));
        assertEquals(List.of(), takeRequests(stub));
    }

    @Test
    void updatingAMissingRowIsTheSameErrorFromBothFaces() {
        json(stub, "POST", "/fixtures/pets/999/-/update", 404, "{\"ok\": false, \"error\": \"Record not found:"
                + " ['999']\", \"errors\": [\"Record not found: ['999']\"], \"status\": 404}");
        String library = message(() -> ds(stub, "t").update("fixtures", "pets", 999, Map.of("age", "5")));
        assertEquals("Row not found: fixtures/pets has no row with primary key 999.", library);
        List<String> sent = takeRequests(stub);
        assertEquals(library, cliError(cli(stub, "update", "fixtures", "pets", "999", "--set", "age", "5", "--token", "t")));
        assertEquals(sent, takeRequests(stub), "--set sends the same string the library sent");
    }

    @Test
    void deleteSendsWhatTheCommandSends() {
        ds(wm, "dstok_ROOT").delete("fixtures", "pets", 2);
        List<String> library = takeRequests(wm);
        assertEquals(List.of("POST /fixtures/pets/2/-/delete"), library);
        assertEquals(0, cli(wm, "delete", "fixtures", "pets", "2", "--token", "dstok_ROOT").exitCode());
        assertEquals(library, takeRequests(wm));
    }

    @Test
    void aRefusedDeleteIsThePermissionKindWithTheSameMessage() {
        json(stub, "POST", "/fixtures/pets/2/-/delete", 403,
                "{\"ok\": false, \"error\": \"Permission denied\", \"errors\": [\"Permission denied\"], \"status\": 403}");
        DclientException e = assertThrows(DclientException.class,
                () -> ds(stub, "dstok_ALICE").delete("fixtures", "pets", 2));
        assertEquals(DclientException.Kind.PERMISSION, e.kind());
        assertEquals("Permission denied (HTTP 403). Deleting a row needs the delete-row permission on fixtures/pets",
                e.getMessage());
        assertEquals(e.getMessage(), cliError(cli(stub, "delete", "fixtures", "pets", "2", "--token", "dstok_ALICE")));
    }

    @Test
    void dropWithoutConfirmOnlyCountsAndWithConfirmDrops() throws Exception {
        Datasette ds = ds(wm, "dstok_ROOT");
        assertEquals(4, ds.drop("fixtures", "pets", false));
        assertEquals(List.of("POST /fixtures/pets/-/drop"), takeRequests(wm));
        assertEquals(4, ds.drop("fixtures", "pets", true));
        List<String> library = takeRequests(wm);
        assertEquals(List.of("POST /fixtures/pets/-/drop", "POST /fixtures/pets/-/drop {\"confirm\":true}"), library);
        assertEquals(0, cli(wm, "drop", "fixtures", "pets", "--yes", "--token", "dstok_ROOT").exitCode());
        assertEquals(library, takeRequests(wm));
    }

    @Test
    void droppingAMissingTableIsTheSameErrorFromBothFaces() {
        json(stub, "POST", "/fixtures/nope/-/drop", 404,
                "{\"ok\": false, \"error\": \"Table not found\", \"errors\": [\"Table not found\"], \"status\": 404}");
        DclientException e = assertThrows(DclientException.class, () -> ds(stub, "t").drop("fixtures", "nope", true));
        assertEquals(DclientException.Kind.NOT_FOUND, e.kind());
        assertEquals("Table not found in fixtures on http://localhost:" + stub.port() + ": nope.", e.getMessage());
        assertEquals(List.of("POST /fixtures/nope/-/drop"), takeRequests(stub).subList(0, 1),
                "no confirmed drop after the 404 (then the table list, for near names)");
        // the command line adds its next step on a line of its own
        assertEquals(e.getMessage(), cliError(cli(stub, "drop", "fixtures", "nope", "--yes", "--token", "t")).lines()
                .findFirst().orElseThrow());
    }

    @Test
    void tokenIsTheOneSentAndAnErrorWhenThereIsNone() {
        assertEquals("dstok_ROOT", ds(wm, "dstok_ROOT").token());
        DclientException e = assertThrows(DclientException.class, () -> ds(wm, null).token());
        assertEquals(DclientException.Kind.NOT_FOUND, e.kind());
        String fact = "No token for " + wm.baseUrl() + ": none is stored for it in auth.json (by alias or URL prefix) and"
                + " DATASETTE_TOKEN is not set.";
        assertEquals(fact + " Pass one to Datasette.builder().token(...), or store one: Tokens.open().put(\""
                + wm.baseUrl() + "\", token).", e.getMessage());
        assertEquals(fact + " Add one: dclient login " + wm.baseUrl() + ", or dclient auth add " + wm.baseUrl(),
                cliError(new CliRunner(dir).run("auth", "token", "-i", wm.baseUrl())), "the same facts, in the command's words");
        assertEquals(List.of(), takeRequests(wm), "token() asks the server nothing");
    }
}
