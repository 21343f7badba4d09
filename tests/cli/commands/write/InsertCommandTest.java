package io.datasette.dclient.cli.commands.write;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.datasette.dclient.core.io.Terminal;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code insert} and {@code upsert} end to end: request bodies, batching, errors, tokens, input handling. */
class InsertCommandTest {
    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.recordings();
    @RegisterExtension
    static final RecordedDatasette stub = RecordedDatasette.empty();

    @TempDir
    Path dir;

    @BeforeEach
    void stubCreated() {
        stub.stubFor(post(anyUrl()).willReturn(created()));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder created() {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody("{\"ok\": true}");
    }

    Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    CliRunner runner() {
        return new CliRunner(dir.resolve("config"));
    }

    CliRunner.Result run(CliRunner runner, WireMockServer server, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("-i");
        all.add(server.baseUrl());
        return runner.run(all.toArray(String[]::new));
    }

    /** Write requests the server got, in order (not the GET that asks for the table's primary key). */
    static List<LoggedRequest> requests(WireMockServer server) {
        List<LoggedRequest> all = new ArrayList<>(server.findAll(postRequestedFor(anyUrl())));
        all.sort((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()));
        return all;
    }

    static List<String> bodies(WireMockServer server) {
        return requests(server).stream().map(LoggedRequest::getBodyAsString).toList();
    }

    static List<String> paths(WireMockServer server) {
        return requests(server).stream().map(LoggedRequest::getUrl).toList();
    }

    static final Terminal TTY = new Terminal() {
        public boolean stdinIsTerminal() {
            return false;
        }

        public boolean stderrIsTerminal() {
            return true;
        }

        public String readSecret(String prompt) {
            return null;
        }
    };

    // --- bodies -------------------------------------------------------------------------

    @Test
    void csvInsertSendsPythonDclientsExactBody() throws Exception {
        Path csv = file("in.csv", "a,b,c\n1,2,3\n");
        CliRunner.Result r = run(runner(), stub, "insert", "db", "table1", csv.toString(), "--csv", "--token", "x");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals("", r.err());
        LoggedRequest req = requests(stub).get(0);
        assertEquals("/db/table1/-/insert", req.getUrl());
        assertEquals("POST", req.getMethod().getName());
        assertEquals("Bearer x", req.getHeader("Authorization"));
        assertEquals("application/json", req.getHeader("Content-Type"));
        assertEquals("{\"rows\":[{\"a\":1,\"b\":2,\"c\":3}]}", req.getBodyAsString());
    }

    @Test
    void upsertPostsToTheUpsertEndpoint() throws Exception {
        Path csv = file("in.csv", "a,b,c\n1,2,3\n");
        CliRunner.Result r = run(runner(), stub, "upsert", "db", "table1", csv.toString(), "--alter", "--token", "x");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("/db/table1/-/upsert"), paths(stub));
        assertEquals(List.of("{\"rows\":[{\"a\":1,\"b\":2,\"c\":3}],\"alter\":true}"), bodies(stub));
    }

    static Stream<Arguments> formats() {
        return Stream.of(
                Arguments.of("in.csv", "a,b,c\n1,2,3\n", "--csv"),
                Arguments.of("in.csv", "a,b,c\r\n1,2,3\r\n", "--csv"),
                Arguments.of("in.tsv", "a\tb\tc\n1\t2\t3\n", "--tsv"),
                Arguments.of("in.json", "[{\"a\": 1, \"b\": 2, \"c\": 3}]", "--json"),
                Arguments.of("in.json", "{\"a\": 1, \"b\": 2, \"c\": 3}", "--json"),
                Arguments.of("in.ndjson", "{\"a\": 1, \"b\": 2, \"c\": 3}\n", "--nl"),
                Arguments.of("data.txt", "\n  [\n  {\"a\": 1,\n   \"b\": 2, \"c\": 3}\n]\n", "--json"));
    }

    @ParameterizedTest(name = "{0} {2} {1}")
    @MethodSource("formats")
    void everyFormatDetectedOrExplicitGivesTheSameBody(String name, String content, String flag) throws Exception {
        Path f = file(name, content);
        for (boolean explicit : new boolean[] {false, true}) {
            stub.resetRequests();
            List<String> args = new ArrayList<>(List.of("insert", "db", "t", f.toString(), "--token", "x"));
            if (explicit) args.add(flag);
            CliRunner.Result r = run(runner(), stub, args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(List.of("{\"rows\":[{\"a\":1,\"b\":2,\"c\":3}]}"), bodies(stub), "explicit=" + explicit);
        }
    }

    @Test
    void multiLineNdjsonIsDetectedAndEachObjectIsARow() throws Exception {
        Path f = file("in.json", "{\"id\": 1}\n{\"id\": 2}\n{\n  \"id\": 3,\n  \"tags\": [\"a\", \"b\"]\n}\n");
        for (String flag : new String[] {null, "--nl", "--json"}) {
            stub.resetRequests();
            List<String> args = new ArrayList<>(List.of("insert", "db", "t", f.toString(), "--token", "x"));
            if (flag != null) args.add(flag);
            CliRunner.Result r = run(runner(), stub, args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(List.of("{\"rows\":[{\"id\":1},{\"id\":2},{\"id\":3,\"tags\":[\"a\",\"b\"]}]}"), bodies(stub));
        }
    }

    static Stream<Arguments> flagBodies() {
        String rows = "\"rows\":[{\"id\":1,\"name\":\"Rex\"}]";
        return Stream.of(
                Arguments.of(List.of(), "/db/t/-/insert", "{" + rows + "}"),
                Arguments.of(List.of("--replace"), "/db/t/-/insert", "{" + rows + ",\"replace\":true}"),
                Arguments.of(List.of("--ignore"), "/db/t/-/insert", "{" + rows + ",\"ignore\":true}"),
                Arguments.of(List.of("--alter"), "/db/t/-/insert", "{" + rows + ",\"alter\":true}"),
                Arguments.of(List.of("--replace", "--alter"), "/db/t/-/insert", "{" + rows + ",\"replace\":true,\"alter\":true}"),
                Arguments.of(List.of("--create"), "/db/-/create", "{\"table\":\"t\"," + rows + "}"),
                Arguments.of(List.of("--create", "--pk", "id"), "/db/-/create", "{\"table\":\"t\"," + rows + ",\"pk\":\"id\"}"),
                Arguments.of(List.of("--create", "--pk", "id", "--pk", "name", "--ignore", "--alter"), "/db/-/create",
                        "{\"table\":\"t\"," + rows + ",\"ignore\":true,\"alter\":true,\"pks\":[\"id\",\"name\"]}"),
                Arguments.of(List.of("--create", "--replace", "--pk", "id"), "/db/-/create",
                        "{\"table\":\"t\"," + rows + ",\"replace\":true,\"pk\":\"id\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flagBodies")
    void flagsShapeTheBodyAsPythonDclientDoes(List<String> flags, String path, String body) throws Exception {
        Path f = file("in.csv", "id,name\n1,Rex\n");
        List<String> args = new ArrayList<>(List.of("insert", "db", "t", f.toString(), "--token", "x"));
        args.addAll(flags);
        CliRunner.Result r = run(runner(), stub, args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of(path), paths(stub));
        assertEquals(List.of(body), bodies(stub));
    }

    @Test
    void pkWithoutCreateIsIgnoredWithANote() throws Exception {
        Path f = file("in.csv", "id,name\n1,Rex\n");
        CliRunner.Result r = run(runner(), stub, "insert", "db", "t", f.toString(), "--token", "x", "--pk", "id");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("Note: --pk only applies with --create (when the table is created); ignoring it.\n", r.err());
        assertEquals(List.of("{\"rows\":[{\"id\":1,\"name\":\"Rex\"}]}"), bodies(stub));
    }

    @Test
    void upsertAcceptsPkLikePythonDclientAndIgnoresIt() throws Exception {
        Path f = file("in.csv", "id,name\n1,Rex\n");
        CliRunner.Result r = run(runner(), stub, "upsert", "db", "t", f.toString(), "--token", "x", "--pk", "id");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("Note: upsert does not use --pk (the table's primary key decides); ignoring it.\n", r.err());
        assertEquals(List.of("{\"rows\":[{\"id\":1,\"name\":\"Rex\"}]}"), bodies(stub));
    }

    @Test
    void replaceAndIgnoreTogetherIsAUsageError() throws Exception {
        Path f = file("in.csv", "id\n1\n");
        CliRunner.Result r = run(runner(), stub, "insert", "db", "t", f.toString(), "--token", "x", "--replace", "--ignore");
        assertEquals(2, r.exitCode());
        assertEquals("Error: Use either --replace or --ignore, not both\n", r.err());
        assertEquals(List.of(), paths(stub));
    }

    @Test
    void csvTypesAreDetectedAndEveryBatchGetsThem() throws Exception {
        Path f = file("in.csv", "id,name,score,empty,code\n1,a,1.5,,007\n2,b,2,,x1\n3,c,,,9\n4,d,4.25,,10\n5,e,5,,11\n");
        CliRunner.Result r = run(runner(), stub, "insert", "db", "t", f.toString(), "--token", "x", "--batch-size", "2");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of(
                "{\"rows\":[{\"id\":1,\"name\":\"a\",\"score\":1.5,\"empty\":null,\"code\":\"007\"},"
                        + "{\"id\":2,\"name\":\"b\",\"score\":2.0,\"empty\":null,\"code\":\"x1\"}]}",
                "{\"rows\":[{\"id\":3,\"name\":\"c\",\"score\":null,\"empty\":null,\"code\":\"9\"},"
                        + "{\"id\":4,\"name\":\"d\",\"score\":4.25,\"empty\":null,\"code\":\"10\"}]}",
                "{\"rows\":[{\"id\":5,\"name\":\"e\",\"score\":5.0,\"empty\":null,\"code\":\"11\"}]}"), bodies(stub));
    }

    @Test
    void noDetectTypesSendsStrings() throws Exception {
        Path f = file("in.csv", "id,name,score,empty\n1,a,1.5,\n");
        CliRunner.Result r = run(runner(), stub, "insert", "db", "t", f.toString(), "--token", "x", "--no-detect-types");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("{\"rows\":[{\"id\":\"1\",\"name\":\"a\",\"score\":\"1.5\",\"empty\":\"\"}]}"), bodies(stub));
    }

    @Test
    void jsonValuesAreSentAsTheyAre() throws Exception {
        Path f = file("in.json", "[{\"id\": \"1\", \"n\": 1.0, \"b\": true, \"o\": {\"x\": [1]}, \"z\": null}]");
        CliRunner.Result r = run(runner(), stub, "insert", "db", "t", f.toString(), "--token", "x");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("{\"rows\":[{\"id\":\"1\",\"n\":1.0,\"b\":true,\"o\":{\"x\":[1]},\"z\":null}]}"), bodies(stub));
    }

    // --- batching ----------------------------------------------------------------------

    static String csvRows(int n) {
        StringBuilder sb = new StringBuilder("id,name\n");
        for (int i = 1; i <= n; i++) sb.append(i).append(",name ").append(i).append('\n');
        return sb.toString();
    }

    @Test
    void batchSizeAboveDatasettesMaximumIsCapped() throws Exception {
        Path f = file("in.csv", csvRows(250));
        CliRunner.Result r = run(runner(), stub, "insert", "db", "t", f.toString(), "--token", "x", "--batch-size", "500");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("Note: Datasette accepts at most 100 rows per request; using --batch-size 100.\n", r.err());
        List<String> bodies = bodies(stub);
        assertEquals(3, bodies.size());
        assertTrue(bodies.get(2).startsWith("{\"rows\":[{\"id\":201,"), bodies.get(2));
    }

    @Test
    void badBatchSizeOrIntervalIsAUsageError() throws Exception {
        Path f = file("in.csv", csvRows(1));
        assertEquals(2, run(runner(), stub, "insert", "db", "t", f.toString(), "--token", "x", "--batch-size", "0").exitCode());
        assertEquals(2, run(runner(), stub, "insert", "db", "t", f.toString(), "--token", "x", "--interval", "0").exitCode());
        assertEquals(2, run(runner(), stub, "insert", "db", "t", f.toString(), "--token", "x", "--interval", "-1").exitCode());
        assertEquals(List.of(), paths(stub));
    }

    // --- failures -----------------------------------------------------------------------

    @Test
    void aFailedBatchSaysHowManyRowsWereCommittedAndStops() throws Exception {
        stub.resetAll();
        String s = "inserts";
        // slow answers: the next batch is read and encoded while each request is in flight
        stub.stubFor(post(anyUrl()).inScenario(s).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(created().withFixedDelay(40)).willSetStateTo("one"));
        stub.stubFor(post(anyUrl()).inScenario(s).whenScenarioStateIs("one").willReturn(created().withFixedDelay(40))
                .willSetStateTo("two"));
        stub.stubFor(post(anyUrl()).inScenario(s).whenScenarioStateIs("two").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": false, \"error\": \"UNIQUE constraint failed: t.id\","
                        + " \"errors\": [\"UNIQUE constraint failed: t.id\"], \"status\": 400}")));
        Path f = file("in.csv", csvRows(450));
        CliRunner.Result r = run(runner(), stub, "insert", "db", "t", f.toString(), "--token", "x");
        assertEquals(1, r.exitCode());
        assertEquals("Error: UNIQUE constraint failed: t.id (HTTP 400)\n"
                + "200 rows were inserted before this batch (rows 201-300) failed; the rest of the input was not sent.\n",
                r.err());
        assertEquals(3, paths(stub).size(), "nothing is sent after the failed batch");
        List<String> bodies = bodies(stub);
        for (int b = 0; b < 3; b++) {
            assertTrue(bodies.get(b).startsWith("{\"rows\":[{\"id\":" + (b * 100 + 1) + ","), "in input order: " + b);
        }
    }

    @Test
    void aFailedFirstBatchAgainstTheRecordedServer() throws Exception {
        Path f = file("pets.csv", "id,name,age\n1,Rex again,4\n");
        CliRunner.Result r = run(runner(), wm, "insert", "fixtures", "pets", f.toString(), "--token", "dstok_ROOT");
        assertEquals(1, r.exitCode());
        assertEquals("Error: UNIQUE constraint failed: pets.id (HTTP 400)\n"
                + "Nothing was inserted: the first batch (row 1) failed, and the rest of the input was not sent.\n", r.err());
    }

    @Test
    void recordedPermissionAndMissingTableErrors() throws Exception {
        CliRunner.Result denied = run(runner(), wm, "insert", "fixtures", "pets",
                file("a.json", "{\"id\": 20, \"name\": \"Nope\"}").toString(), "--token", "dstok_ALICE");
        assertEquals(1, denied.exitCode());
        assertTrue(denied.err().startsWith("Error: Permission denied (HTTP 403 from " + wm.baseUrl()
                + "/fixtures/pets/-/insert). The token sent was the one given with --token;"), denied.err());
        assertEquals(2, denied.err().lines().count(), "the refusal, then the summary: " + denied.err());
        CliRunner.Result missing = run(runner(), wm, "insert", "fixtures", "no_such_table",
                file("b.json", "[{\"id\": 1}]").toString(), "--token", "dstok_ROOT");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().startsWith("Error: Table not found in fixtures on " + wm.baseUrl() + ": no_such_table."),
                missing.err());
    }

    @Test
    void recordedCreateWithRows() throws Exception {
        Path f = file("books.csv", "id,title,year\n1,Dune,1965\n2,Emma,1815\n");
        CliRunner.Result r = run(runner(), wm, "insert", "fixtures", "books", f.toString(), "--create", "--pk", "id",
                "--token", "dstok_ROOT");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals(List.of("/fixtures/-/create"), paths(wm));
    }

    @Test
    void anHtmlErrorIsOneLineNotATrace() throws Exception {
        stub.resetAll();
        stub.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(500).withHeader("Content-Type", "text/html")
                .withBody("<html><body><h1>Internal Server Error</h1></body></html>")));
        Path f = file("in.csv", csvRows(3));
        CliRunner.Result r = run(runner(), stub, "insert", "db", "t", f.toString(), "--token", "x");
        assertEquals(1, r.exitCode());
        assertEquals("Error: HTTP 500 from " + stub.baseUrl() + "/db/t/-/insert\n"
                + "Nothing was inserted: the first batch (rows 1-3) failed, and the rest of the input was not sent.\n", r.err());
    }

    @Test
    void badInputAfterSomeBatchesReportsTheCommittedRows() throws Exception {
        Path f = file("in.ndjson", "{\"a\": 1}\n{\"a\": 2}\n{\"a\": oops}\n");
        CliRunner.Result r = run(runner(), stub, "insert", "db", "t", f.toString(), "--token", "x", "--batch-size", "1");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("Error: Invalid JSON in " + f + " at line 3, column 7: expected a value"), r.err());
        assertTrue(r.err().endsWith("\n2 rows were inserted before this error; the rest of the input was not sent.\n"),
                r.err());
        assertEquals(2, paths(stub).size());
    }

    @Test
    void aCsvRowWithTooManyValues() throws Exception {
        Path f = file("in.csv", "a,b\n1,2\n3,4,5\n");
        CliRunner.Result r = run(runner(), stub, "insert", "db", "t", f.toString(), "--token", "x");
        assertEquals(1, r.exitCode());
        assertEquals("Error: Line 3 has 3 values but the header has 2 columns\nNothing was inserted.\n", r.err());
        assertEquals(List.of(), paths(stub));
    }

    // --- tokens -------------------------------------------------------------------------

    @Test
    void withoutATokenTheWriteIsSentAnonymously() throws Exception {
        Path f = file("in.csv", csvRows(3));
        for (String[] extra : new String[][] {{}, {"--token", ""}}) {
            stub.resetRequests();
            List<String> args = new ArrayList<>(List.of("insert", "db", "t", f.toString()));
            args.addAll(List.of(extra));
            CliRunner.Result r = run(runner(), stub, args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("", r.err());
            assertEquals(1, requests(stub).size());
            assertFalse(requests(stub).get(0).containsHeader("Authorization"), "never 'Bearer None'");
        }
    }

    /** What the command line advises when a write without a token is refused (core states the facts). */
    static String tokenGuide(String url) {
        return " No token was sent. Get a token with write access: dclient login " + url + " --write-all, or store one:"
                + " dclient auth add " + url + "\n";
    }

    /** A refused token: which one it was and where it came from (never its value), and how to get one that may write. */
    @Test
    void aRefusedTokenIsNamedBySourceWithTheWayToOneThatMayWrite() throws Exception {
        Path f = file("in.csv", csvRows(3));
        String url = stub.baseUrl();
        stub.resetAll();
        stub.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": false, \"errors\": [\"Permission denied: insert-row\"], \"status\": 403}")));
        CliRunner.Result r = run(runner(), stub, "insert", "db", "t", f.toString(), "--token", "dstok_SECRETVALUE123");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("Error: Permission denied: insert-row (HTTP 403 from " + url + "/db/t/-/insert)."
                + " The token sent was the one given with --token"), r.err());
        assertTrue(r.err().contains("dclient login " + url + " --write db/t --token-only"), r.err());
        assertFalse(r.err().contains("SECRETVALUE"), r.err());
        assertTrue(r.err().endsWith("Nothing was inserted: the first batch (rows 1-3) failed, and the rest of the input was not sent.\n"),
                r.err());
    }

    @Test
    void anAnonymousWriteRefusedByTheServerSaysHowToAddAToken() throws Exception {
        Path f = file("in.csv", csvRows(250));
        String url = stub.baseUrl();
        stub.resetAll();
        stub.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": false, \"errors\": [\"Permission denied\"], \"status\": 403}")));
        CliRunner.Result denied = run(runner(), stub, "insert", "db", "t", f.toString());
        assertEquals(1, denied.exitCode());
        assertEquals("Error: Permission denied (HTTP 403)." + tokenGuide(url)
                + "Nothing was inserted: the first batch (rows 1-100) failed, and the rest of the input was not sent.\n",
                denied.err());
        assertEquals(1, requests(stub).size(), "nothing is sent after the refusal");

        stub.resetAll();
        stub.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(401)));
        CliRunner.Result unauthorized = run(runner(), stub, "upsert", "db", "t", f.toString());
        assertEquals(1, unauthorized.exitCode());
        assertEquals("Error: HTTP 401 from " + url + "/db/t/-/upsert." + tokenGuide(url)
                + "Nothing was upserted: the first batch (rows 1-100) failed, and the rest of the input was not sent.\n",
                unauthorized.err());
    }

    @Test
    void aRefusalWithATokenKeepsTheTokenHint() throws Exception {
        stub.resetAll();
        stub.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": false, \"errors\": [\"Permission denied\"], \"status\": 403}")));
        CliRunner.Result r = run(runner(), stub, "insert", "db", "t", file("in.csv", csvRows(1)).toString(), "--token", "x");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("Error: Permission denied (HTTP 403 from "), r.err());
        assertTrue(r.err().contains("The token sent was the one given with --token"), r.err());
        assertFalse(r.err().contains("none is set up"), r.err());
    }

    @Test
    void theEnvironmentTokenIsUsed() throws Exception {
        Path f = file("in.csv", csvRows(1));
        CliRunner.Result r = run(runner().env("DATASETTE_TOKEN", "env-token"), stub, "insert", "db", "t", f.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("Bearer env-token", requests(stub).get(0).getHeader("Authorization"));
    }

    @Test
    void verboseShowsRequestsButNeverTheToken() throws Exception {
        Path f = file("in.csv", csvRows(1));
        CliRunner.Result r = run(runner(), stub, "insert", "db", "t", f.toString(), "--token", "dstok_SECRET", "-v");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("> POST " + stub.baseUrl() + "/db/t/-/insert"), r.err());
        assertFalse(r.err().contains("dstok_SECRET"), r.err());
        assertEquals("", r.out());
    }

    // --- input ------------------------------------------------------------------------

    @Test
    void stdinNeedsAnExplicitFormat() {
        CliRunner.Result r = run(runner().stdin("a,b\n1,2\n"), stub, "insert", "db", "t", "-", "--token", "x");
        assertEquals(2, r.exitCode());
        assertEquals("Error: Reading from standard input needs an explicit format: add --csv, --tsv, --json, --nl,"
                + " --lines or --text (e.g. dclient insert DB TABLE - --csv)\n", r.err());
        assertEquals(List.of(), paths(stub));
    }

    @Test
    void stdinWithAFormat() {
        CliRunner.Result csv = run(runner().stdin("a,b\n1,2\n"), stub, "insert", "db", "t", "-", "--csv", "--token", "x");
        assertEquals(0, csv.exitCode(), csv.toString());
        CliRunner.Result nl = run(runner().stdin("{\"a\": 1}\n{\"a\": 2}\n"), stub, "upsert", "db", "t", "-", "--nl",
                "--token", "x");
        assertEquals(0, nl.exitCode(), nl.toString());
        assertEquals(List.of("{\"rows\":[{\"a\":1,\"b\":2}]}", "{\"rows\":[{\"a\":1},{\"a\":2}]}"), bodies(stub));
    }

    @Test
    void wrongEncodingIsAClearErrorAndTheEncodingOptionFixesIt() throws Exception {
        Path f = dir.resolve("latin1.csv");
        Files.write(f, "id,city,longitude\n1,São Paulo,-46.6\n2,Rio\n".getBytes(StandardCharsets.ISO_8859_1));
        CliRunner.Result bad = run(runner(), stub, "insert", "db", "t", f.toString(), "--token", "x");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().startsWith("Error: " + f + " (line 2) is not valid UTF-8 text. Give its character encoding"
                + " with --encoding, e.g. --encoding latin-1"), bad.err());
        assertEquals(List.of(), paths(stub));
        CliRunner.Result good = run(runner(), stub, "insert", "db", "t", f.toString(), "--token", "x", "--encoding", "latin-1");
        assertEquals(0, good.exitCode(), good.toString());
        assertEquals(List.of("{\"rows\":[{\"id\":1,\"city\":\"São Paulo\",\"longitude\":-46.6},"
                + "{\"id\":2,\"city\":\"Rio\",\"longitude\":null}]}"), bodies(stub));
        assertEquals("application/json", requests(stub).get(0).getHeader("Content-Type"));
        assertTrue(new String(requests(stub).get(0).getBody(), StandardCharsets.UTF_8).contains("São Paulo"));
    }

    // --- --lines and --text (sqlite-utils' unstructured input) --------------------------------

    @Test
    void linesMakeARowPerLineFromAFileAndFromStdin() throws Exception {
        String text = "  first line\r\n\n42\n{\"not\": \"json\"}, a,b\tc\nlast, without a line ending";
        String body = "{\"rows\":[{\"line\":\"first line\"},{\"line\":\"\"},{\"line\":\"42\"},"
                + "{\"line\":\"{\\\"not\\\": \\\"json\\\"}, a,b\\tc\"},{\"line\":\"last, without a line ending\"}]}";
        Path f = file("app.log", text);
        CliRunner.Result file = run(runner(), stub, "insert", "db", "logs", f.toString(), "--lines", "--token", "x");
        assertEquals(0, file.exitCode(), file.toString());
        assertEquals("", file.err());
        CliRunner.Result stdin = run(runner().stdin(text), stub, "insert", "db", "logs", "-", "--lines", "--token", "x");
        assertEquals(0, stdin.exitCode(), stdin.toString());
        // values stay strings (no type detection), in one column named line
        assertEquals(List.of(body, body), bodies(stub));
        assertEquals(List.of("/db/logs/-/insert", "/db/logs/-/insert"), paths(stub));
    }

    @Test
    void linesGoInBatchesAndWithCreate() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 250; i++) text.append("line ").append(i).append('\n');
        Path f = file("big.txt", text.toString());
        CliRunner.Result r = run(runner(), stub, "insert", "db", "logs", f.toString(), "--lines", "--create", "--token", "x");
        assertEquals(0, r.exitCode(), r.toString());
        List<String> bodies = bodies(stub);
        assertEquals(3, bodies.size());
        assertTrue(bodies.get(0).startsWith("{\"table\":\"logs\",\"rows\":[{\"line\":\"line 1\"},"), bodies.get(0));
        assertTrue(bodies.get(2).endsWith("{\"line\":\"line 250\"}]}"), bodies.get(2));
        // the table exists after the first batch: the rest are plain inserts of the same rows
        assertEquals(List.of("/db/-/create", "/db/logs/-/insert", "/db/logs/-/insert"), paths(stub));
        assertTrue(bodies.get(1).startsWith("{\"rows\":[{\"line\":\"line 101\"},"), bodies.get(1));
    }

    /** Only the first batch creates; the flags go with every batch, the primary key only with the create. */
    @Test
    void afterTheCreatingBatchTheSameFlagsGoToInsert() throws Exception {
        Path f = file("in.csv", csvRows(150));
        CliRunner.Result r = run(runner(), stub, "insert", "db", "t", f.toString(), "--create", "--pk", "id",
                "--replace", "--alter", "--token", "x");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("/db/-/create", "/db/t/-/insert"), paths(stub));
        List<String> bodies = bodies(stub);
        assertTrue(bodies.get(0).startsWith("{\"table\":\"t\",\"rows\":["), bodies.get(0));
        assertTrue(bodies.get(0).endsWith("],\"replace\":true,\"alter\":true,\"pk\":\"id\"}"), bodies.get(0));
        assertTrue(bodies.get(1).startsWith("{\"rows\":[{\"id\":101,"), bodies.get(1));
        assertTrue(bodies.get(1).endsWith("],\"replace\":true,\"alter\":true}"), bodies.get(1));
    }

    @Test
    void textMakesOneRowOfTheWholeInputFromAFileAndFromStdin() throws Exception {
        String text = "# Title\r\n\n  indented, with \"quotes\"\n";
        String body = "{\"rows\":[{\"text\":\"# Title\\n\\n  indented, with \\\"quotes\\\"\\n\"}]}";
        Path f = file("README.md", text);
        CliRunner.Result file = run(runner(), stub, "upsert", "db", "docs", f.toString(), "--text", "--token", "x");
        assertEquals(0, file.exitCode(), file.toString());
        CliRunner.Result stdin = run(runner().stdin(text), stub, "insert", "db", "docs", "-", "--text", "--token", "x");
        assertEquals(0, stdin.exitCode(), stdin.toString());
        assertEquals(List.of(body, body), bodies(stub));
        assertEquals(List.of("/db/docs/-/upsert", "/db/docs/-/insert"), paths(stub));
    }

    @Test
    void linesAndTextHonourTheEncoding() throws Exception {
        Path f = dir.resolve("latin1.txt");
        Files.write(f, "São Paulo\nRio\n".getBytes(StandardCharsets.ISO_8859_1));
        CliRunner.Result bad = run(runner(), stub, "insert", "db", "t", f.toString(), "--lines", "--token", "x");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().startsWith("Error: " + f + " (line 1) is not valid UTF-8 text."), bad.err());
        assertEquals(List.of(), paths(stub));
        CliRunner.Result lines = run(runner(), stub, "insert", "db", "t", f.toString(), "--lines", "--encoding", "latin-1",
                "--token", "x");
        assertEquals(0, lines.exitCode(), lines.toString());
        CliRunner.Result text = run(runner(), stub, "insert", "db", "t", f.toString(), "--text", "--encoding", "latin1",
                "--token", "x");
        assertEquals(0, text.exitCode(), text.toString());
        assertEquals(List.of("{\"rows\":[{\"line\":\"São Paulo\"},{\"line\":\"Rio\"}]}",
                "{\"rows\":[{\"text\":\"São Paulo\\nRio\\n\"}]}"), bodies(stub));
    }

    @Test
    void anEmptyInputHasNoLinesButOneEmptyText() throws Exception {
        Path f = file("empty.txt", "");
        CliRunner.Result lines = run(runner(), stub, "insert", "db", "t", f.toString(), "--lines", "--token", "x");
        assertEquals(0, lines.exitCode(), lines.toString());
        assertEquals("Nothing to insert: " + f + " has no rows.\n", lines.err());
        assertEquals(List.of(), paths(stub));
        CliRunner.Result text = run(runner(), stub, "insert", "db", "t", f.toString(), "--text", "--token", "x");
        assertEquals(0, text.exitCode(), text.toString());
        assertEquals(List.of("{\"rows\":[{\"text\":\"\"}]}"), bodies(stub));
    }

    /** The format flags are not exclusive: the first of --csv, --tsv, --json, --nl, --lines, --text wins. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("firstFormatWins")
    void theFirstFormatFlagInTheFixedOrderWins(List<String> flags, String body) throws Exception {
        Path f = file("in.txt", "{\"a\": 1}\n");
        List<String> args = new ArrayList<>(List.of("insert", "db", "t", f.toString(), "--token", "x"));
        args.addAll(flags);
        CliRunner.Result r = run(runner(), stub, args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of(body), bodies(stub));
    }

    static Stream<Arguments> firstFormatWins() {
        return Stream.of(
                Arguments.of(List.of("--text", "--lines"), "{\"rows\":[{\"line\":\"{\\\"a\\\": 1}\"}]}"),
                Arguments.of(List.of("--lines", "--nl"), "{\"rows\":[{\"a\":1}]}"),
                Arguments.of(List.of("--text"), "{\"rows\":[{\"text\":\"{\\\"a\\\": 1}\\n\"}]}"));
    }

    // --- JSON that is not rows -----------------------------------------------------------

    static Stream<Arguments> jsonNotRows() {
        String either = "JSON input must be an array of objects or one object, but ";
        return Stream.of(
                Arguments.of("s.json", "\"just a string\"\n", List.<String>of(), either + "%s holds a string (line 1, column 1)"),
                Arguments.of("n.json", "42", List.<String>of(), either + "%s holds a number (line 1, column 1)"),
                Arguments.of("n.txt", "  3.5\n", List.<String>of(), either + "%s holds a number (line 1, column 3)"),
                Arguments.of("n.csv", "42", List.of("--json"), either + "%s holds a number (line 1, column 1)"),
                Arguments.of("a.json", "[{\"a\": 1}, [2]]", List.<String>of(),
                        "JSON input must be an array of objects, but item 2 of the array is an array (line 1, column 12)"),
                Arguments.of("w.json", "just a string", List.<String>of(), "Invalid JSON in %s at line 1, column 1: expected"
                        + " a value (a string, number, object, array, true, false or null), found 'just'"),
                Arguments.of("e.json", "{\"a\": 1", List.<String>of(),
                        "Invalid JSON in %s at line 1, column 8: the input ends inside an object (expected '}')"),
                Arguments.of("m.json", "[{\"a\": 1},\n {\"a\": [1, 2}}]", List.<String>of(), "Invalid JSON in %s at line 2,"
                        + " column 13: found '}' where ']' should close the array that starts at line 2, column 8"));
    }

    /** Issue 13: a JSON string or number used to end in "Nothing to insert", exit 0; parse errors showed Jackson's internals. */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("jsonNotRows")
    void jsonThatIsNotRowsIsAnErrorInOneLine(String name, String content, List<String> flags, String message)
            throws Exception {
        Path f = file(name, content);
        List<String> args = new ArrayList<>(List.of("insert", "db", "t", f.toString(), "--token", "x"));
        args.addAll(flags);
        CliRunner.Result r = run(runner(), stub, args.toArray(String[]::new));
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: " + message.formatted(f) + "\nNothing was inserted.\n", r.err());
        assertFalse(r.err().contains("REDACTED") || r.err().contains("Source") || r.err().contains("code "), r.err());
        assertEquals(List.of(), paths(stub));
    }

    @Test
    void jsonFromStdinThatIsNotRows() {
        CliRunner.Result r = run(runner().stdin("\"just a string\""), stub, "insert", "db", "t", "-", "--json", "--token", "x");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: JSON input must be an array of objects or one object, but standard input holds a string"
                + " (line 1, column 1)\nNothing was inserted.\n", r.err());
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstColumnName() throws Exception {
        Path f = dir.resolve("bom.csv");
        byte[] text = "id,name\n1,x\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[text.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(text, 0, bytes, 3, text.length);
        Files.write(f, bytes);
        CliRunner.Result r = run(runner(), stub, "insert", "db", "t", f.toString(), "--token", "x");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("{\"rows\":[{\"id\":1,\"name\":\"x\"}]}"), bodies(stub));
    }

    @Test
    void anEmptyFileSendsNothing() throws Exception {
        for (String content : new String[] {"", " \n", "a,b\n", "[]"}) {
            Path f = file("empty.csv", content);
            CliRunner.Result r = run(runner(), stub, "insert", "db", "t", f.toString(), "--token", "x");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("Nothing to insert: " + f + " has no rows.\n", r.err());
        }
        assertEquals(List.of(), paths(stub));
    }

    @Test
    void aMissingFileIsAUsageErrorBeforeAnythingElse() {
        CliRunner.Result r = new CliRunner(dir.resolve("config")).run("insert", "db", "t", dir.resolve("nope.csv").toString());
        assertEquals(2, r.exitCode());
        assertEquals("Error: File not found: " + dir.resolve("nope.csv") + "\n", r.err());
    }

    @Test
    void namesAreTildeEncoded() throws Exception {
        Path f = file("in.csv", csvRows(1));
        run(runner(), stub, "insert", "fixtures", "table/with/slashes.csv", f.toString(), "--token", "x");
        run(runner(), stub, "upsert", "my db", "Table With Space In Name", f.toString(), "--token", "x");
        run(runner(), stub, "insert", "fixtures", "new.table", f.toString(), "--token", "x", "--create");
        assertEquals(List.of("/fixtures/table~2Fwith~2Fslashes~2Ecsv/-/insert", "/my+db/Table+With+Space+In+Name/-/upsert",
                "/fixtures/-/create"), paths(stub));
        assertTrue(bodies(stub).get(2).startsWith("{\"table\":\"new.table\",\"rows\":["));
    }

    // --- progress -----------------------------------------------------------------------

    @Test
    void progressOnATerminalOnly() throws Exception {
        Path f = file("in.csv", csvRows(250));
        CliRunner.Result tty = run(runner().terminal(TTY), stub, "insert", "db", "t", f.toString(), "--token", "x");
        assertEquals(0, tty.exitCode(), tty.toString());
        assertEquals("", tty.out());
        assertTrue(tty.err().startsWith("\rInserting rows  ["), tty.err());
        assertTrue(tty.err().contains("250 rows"), tty.err());
        assertTrue(tty.err().endsWith("\n"), tty.err());
        assertTrue(tty.err().contains("100%"), tty.err());
        CliRunner.Result silent = run(runner().terminal(TTY), stub, "insert", "db", "t", f.toString(), "--token", "x",
                "--silent");
        assertEquals("", silent.err());
        CliRunner.Result piped = run(runner(), stub, "upsert", "db", "t", f.toString(), "--token", "x");
        assertEquals("", piped.err());
    }

    /** A clock that moves a second each time it is read, so that every progress update is drawn. */
    static java.time.Clock ticking() {
        return new java.time.Clock() {
            long now = 1_000_000;

            @Override
            public synchronized long millis() {
                return now += 1000;
            }

            @Override
            public java.time.Instant instant() {
                return java.time.Instant.ofEpochMilli(millis());
            }

            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
    }

    /** The percentages of the bars drawn, in order. */
    static List<Integer> percentages(String err) {
        List<Integer> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\]\\s+(\\d+)%").matcher(err);
        while (m.find()) out.add(Integer.parseInt(m.group(1)));
        return out;
    }

    /**
     * Issue 13: a small file read whole into a buffer at once showed 100% after the first batch
     * (100 of 500 rows). The bar shows the bytes of the rows the server committed.
     */
    @Test
    void theBarShowsTheRowsCommittedNotHowFarReadingGot() throws Exception {
        String csv = csvRows(500);
        Path f = file("in.csv", csv);
        CliRunner.Result r = run(runner().terminal(TTY).clock(ticking()), stub, "insert", "db", "t", f.toString(),
                "--token", "x", "--interval", "1000000");
        assertEquals(0, r.exitCode(), r.toString());
        List<Integer> expected = new ArrayList<>();
        for (int rows = 100; rows <= 500; rows += 100) {
            int end = csv.indexOf('\n', csv.indexOf("\n" + rows + ",name ") + 1) + 1; // where row `rows` ends
            expected.add((int) Math.floor(end * 100.0 / csv.length()));
        }
        expected.add(100); // the final line
        assertEquals(List.of(17, 38, 58, 79, 100, 100), expected); // rows 1-9 are shorter than rows 100-500
        assertEquals(expected, percentages(r.err()), r.err());
        assertTrue(r.err().contains("  100 rows  "), r.err());
    }

    @Test
    void theBarFollowsCommittedRowsForJsonAndLinesToo() throws Exception {
        StringBuilder nl = new StringBuilder();
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 400; i++) {
            nl.append("{\"id\": ").append(1000 + i).append("}\n");
            lines.append("line ").append(1000 + i).append('\n');
        }
        // an NDJSON row ends at its '}' (the line break after it counts with the next row); a line with its line break
        Object[][] cases = {{"in.ndjson", nl.toString(), "--nl", List.of(24, 49, 74, 99, 100)},
            {"in.log", lines.toString(), "--lines", List.of(25, 50, 75, 100, 100)}};
        for (Object[] c : cases) {
            Path f = file((String) c[0], (String) c[1]);
            CliRunner.Result r = run(runner().terminal(TTY).clock(ticking()), stub, "insert", "db", "t", f.toString(),
                    (String) c[2], "--token", "x", "--interval", "1000000");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(c[3], percentages(r.err()), c[0] + ": " + r.err());
        }
    }
}
