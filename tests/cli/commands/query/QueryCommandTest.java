package io.datasette.dclient.cli.commands.query;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code query} and bare SQL against the recorded Datasette 1.0a37 exchanges. dclient asks
 * {@code /DB.json?sql=} (every Datasette answers it; 1.0 redirects to {@code /DB/-/query.json});
 * where only the redirect target was recorded, the test adds the redirect for the exact URL
 * dclient must request, so a wrong URL fails the test.
 */
class QueryCommandTest {
    @RegisterExtension
    static final RecordedDatasette server = RecordedDatasette.recordings();

    @TempDir
    Path dir;

    CliRunner cli;

    static final String DOGS_JSON = """
            [
              {
                "id": 1,
                "name": "Dog 1",
                "age": 1,
                "breed": "Poodle",
                "weight": 6.25,
                "is_good": 1
              },
              {
                "id": 2,
                "name": "Dog 2",
                "age": 2,
                "breed": "Beagle",
                "weight": 7.5,
                "is_good": 1
              },
              {
                "id": 3,
                "name": "Dog 3",
                "age": 3,
                "breed": "Terrier",
                "weight": 8.75,
                "is_good": 1
              }
            ]
            """;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir);
    }

    /** The 302 Datasette 1.0 gives for {@code /DB.json?QUERY}. */
    static void legacyRedirect(String db, String rawQuery) {
        server.stubFor(get(urlEqualTo("/" + db + ".json?" + rawQuery)).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "/" + db + "/-/query.json?" + rawQuery)));
    }

    private CliRunner.Result ok(String... args) {
        CliRunner.Result r = cli.run(args);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.err(), r.toString());
        return r;
    }

    @Test
    void followsTheRecordedRedirectAndPrintsJson() {
        CliRunner.Result r = ok("query", "fixtures", "select * from dogs limit 3", "-i", server.baseUrl());
        assertEquals(DOGS_JSON, r.out());
        List<LoggedRequest> requests = server.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
        assertEquals(List.of("/fixtures.json?sql=select+*+from+dogs+limit+3&_shape=objects",
                "/fixtures/-/query.json?sql=select+*+from+dogs+limit+3&_shape=objects"),
                requests.stream().map(LoggedRequest::getUrl).toList());
        for (LoggedRequest req : requests) assertFalse(req.containsHeader("Authorization"), "no token, no header");
    }

    static Stream<Arguments> formats() {
        return Stream.of(
                Arguments.of("--csv", "id,name,age,breed,weight,is_good\r\n1,Dog 1,1,Poodle,6.25,1\r\n"
                        + "2,Dog 2,2,Beagle,7.5,1\r\n3,Dog 3,3,Terrier,8.75,1\r\n"),
                Arguments.of("--tsv", "id\tname\tage\tbreed\tweight\tis_good\r\n1\tDog 1\t1\tPoodle\t6.25\t1\r\n"
                        + "2\tDog 2\t2\tBeagle\t7.5\t1\r\n3\tDog 3\t3\tTerrier\t8.75\t1\r\n"),
                Arguments.of("--nl", """
                        {"id": 1, "name": "Dog 1", "age": 1, "breed": "Poodle", "weight": 6.25, "is_good": 1}
                        {"id": 2, "name": "Dog 2", "age": 2, "breed": "Beagle", "weight": 7.5, "is_good": 1}
                        {"id": 3, "name": "Dog 3", "age": 3, "breed": "Terrier", "weight": 8.75, "is_good": 1}
                        """),
                Arguments.of("-t", """
                        id  name   age  breed    weight  is_good
                        --  -----  ---  -------  ------  -------
                        1   Dog 1  1    Poodle   6.25    1
                        2   Dog 2  2    Beagle   7.5     1
                        3   Dog 3  3    Terrier  8.75    1
                        """),
                Arguments.of("--table", """
                        id  name   age  breed    weight  is_good
                        --  -----  ---  -------  ------  -------
                        1   Dog 1  1    Poodle   6.25    1
                        2   Dog 2  2    Beagle   7.5     1
                        3   Dog 3  3    Terrier  8.75    1
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void outputFormats(String flag, String expected) {
        assertEquals(expected, ok("query", "fixtures", "select * from dogs limit 3", "-i", server.baseUrl(), flag).out());
    }

    @Test
    void namedParametersGoInTheQueryString() {
        legacyRedirect("fixtures", "sql=select+id%2C+name+from+dogs+where+name+%3D+%3Aname&_shape=objects&name=Dog+7");
        CliRunner.Result r = ok("query", "fixtures", "select id, name from dogs where name = :name", "-p", "name", "Dog 7",
                "-i", server.baseUrl());
        assertEquals("[\n  {\n    \"id\": 7,\n    \"name\": \"Dog 7\"\n  }\n]\n", r.out());
    }

    static Stream<Arguments> sqlErrors() {
        return Stream.of(
                Arguments.of("select * from no_such_table", "sql=select+*+from+no_such_table&_shape=objects",
                        "Error: no such table: no_such_table (HTTP 400)\n"),
                Arguments.of("select * from dogs where", "sql=select+*+from+dogs+where&_shape=objects",
                        "Error: incomplete input (HTTP 400)\n"),
                Arguments.of("delete from dogs", "sql=delete+from+dogs&_shape=objects",
                        "Error: Statement must be a SELECT (HTTP 400)\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sqlErrors")
    void serverErrorsAreOneLineWithTheServersMessage(String sql, String rawQuery, String error) {
        legacyRedirect("fixtures", rawQuery);
        CliRunner.Result r = cli.run("query", "fixtures", sql, "-i", server.baseUrl());
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals(error, r.err());
    }

    @Test
    void aMissingDatabaseIs404() {
        CliRunner.Result r = cli.run("query", "nosuchdb", "select 1", "-i", server.baseUrl());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: Database not found on " + server.baseUrl() + ": nosuchdb."), r.err());
    }

    @Test
    void tokenFlagIsSentAsBearerThroughTheRedirect() {
        legacyRedirect("fixtures", "sql=select+count%28*%29+as+n+from+dogs&_shape=objects");
        CliRunner.Result r = ok("query", "fixtures", "select count(*) as n from dogs", "-i", server.baseUrl(),
                "--token", "dstok_RESTRICTED", "--nl");
        assertEquals("{\"n\": 300}\n", r.out());
        List<LoggedRequest> requests = server.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
        assertEquals(2, requests.size());
        for (LoggedRequest req : requests) assertEquals("Bearer dstok_RESTRICTED", req.getHeader("Authorization"));
    }

    @Test
    void datasetteTokenFromTheEnvironment() {
        legacyRedirect("fixtures", "sql=select+count%28*%29+as+n+from+dogs&_shape=objects");
        CliRunner.Result r = cli.env("DATASETTE_TOKEN", "dstok_RESTRICTED")
                .run("query", "fixtures", "select count(*) as n from dogs", "-i", server.baseUrl(), "--csv");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("n\r\n300\r\n", r.out());
    }

    @Test
    void theTokenFlagBeatsTheEnvironment() {
        legacyRedirect("fixtures", "sql=select+count%28*%29+as+n+from+dogs&_shape=objects");
        CliRunner.Result r = cli.env("DATASETTE_TOKEN", "dstok_WRONG")
                .run("query", "fixtures", "select count(*) as n from dogs", "-i", server.baseUrl(), "--token",
                        "dstok_RESTRICTED", "--csv");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("n\r\n300\r\n", r.out());
    }

    @Test
    void aTokenWithoutPermissionGetsA403() {
        legacyRedirect("other", "sql=select+*+from+notes&_shape=objects");
        CliRunner.Result r = cli.run("query", "other", "select * from notes", "-i", server.baseUrl(), "--token",
                "dstok_RESTRICTED");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: Permission denied: execute-sql (HTTP 403)\n", r.err());
    }

    @Test
    void verboseShowsBothRequestsOnStderr() {
        CliRunner.Result r = cli.run("query", "fixtures", "select * from dogs limit 3", "-i", server.baseUrl(), "-v",
                "--token", "dstok_XYZ");
        // no stub needs the token here: the recorded exchange answers with or without one
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(DOGS_JSON, r.out());
        List<String> lines = r.err().lines().toList();
        assertEquals(4, lines.size(), r.err());
        assertEquals("> GET " + server.baseUrl() + "/fixtures.json?sql=select+*+from+dogs+limit+3&_shape=objects"
                + "  (Authorization: Bearer ***)", lines.get(0));
        assertTrue(lines.get(1).startsWith("< 302 text/plain ("), lines.get(1));
        assertEquals("> GET " + server.baseUrl() + "/fixtures/-/query.json?sql=select+*+from+dogs+limit+3&_shape=objects"
                + "  (Authorization: Bearer ***)", lines.get(2));
        assertTrue(lines.get(3).startsWith("< 200 application/json; charset=utf-8 ("), lines.get(3));
        assertFalse(r.err().contains("dstok_XYZ"));
    }

    // --- bare SQL ---------------------------------------------------------------------------

    @Test
    void bareSqlWithDefaultInstanceAndDatabase() {
        ok("alias", "add", "local", server.baseUrl());
        ok("default", "instance", "local");
        ok("default", "database", "local", "fixtures");
        assertEquals(DOGS_JSON, ok("select * from dogs limit 3").out());
    }

    @Test
    void bareSqlWithInstanceAndDatabaseOptions() {
        ok("alias", "add", "local", server.baseUrl());
        assertEquals("id,name,age,breed,weight,is_good\r\n", ok("-i", "local", "-d", "fixtures",
                "select * from dogs limit 3", "--csv").out().lines().findFirst().orElseThrow() + "\r\n");
        assertEquals(DOGS_JSON, ok("-i", server.baseUrl(), "-d", "fixtures", "select * from dogs limit 3").out());
    }

    @Test
    void bareSqlWithAUrlMatchingAnAliasUsesItsDefaultDatabase() {
        ok("alias", "add", "local", server.baseUrl() + "/");
        ok("default", "database", "local", "fixtures");
        assertEquals(DOGS_JSON, ok("-i", server.baseUrl(), "select * from dogs limit 3").out());
    }

    @Test
    void bareSqlFromTheEnvironment() {
        CliRunner.Result r = cli.env("DATASETTE_URL", server.baseUrl() + "/").env("DATASETTE_DATABASE", "fixtures")
                .run("select * from dogs limit 3");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(DOGS_JSON, r.out());
    }

    @Test
    void bareSqlWithoutADatabaseSaysWhatToRun() {
        ok("alias", "add", "local", server.baseUrl());
        CliRunner.Result r = cli.run("-i", "local", "select 1");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("""
                Error: No database specified. Use -d <name>, or configure a default:

                    dclient default database local <database>

                Or set the DATASETTE_DATABASE environment variable.
                """, r.err());
        assertEquals(0, server.getAllServeEvents().size(), "nothing was requested");
    }

    @Test
    void bareSqlWithoutAnInstanceSaysWhatToRun() {
        CliRunner.Result r = cli.run("select 1");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: No instance specified. Use -i <url-or-alias>, or configure a default:\n"),
                r.err());
    }

    static Stream<Arguments> mistypedCommands() {
        return Stream.of(
                Arguments.of("tabels", "Error: No such command: tabels. Did you mean: dclient tables?"
                        + " Run dclient --help for the commands, or pass a whole SQL statement.\n"),
                Arguments.of("qurey", "Error: No such command: qurey. Did you mean: dclient query?"
                        + " Run dclient --help for the commands, or pass a whole SQL statement.\n"),
                Arguments.of("Databses", "Error: No such command: Databses. Did you mean: dclient databases?"
                        + " Run dclient --help for the commands, or pass a whole SQL statement.\n"),
                Arguments.of("frobnicate", "Error: No such command: frobnicate."
                        + " Run dclient --help for the commands, or pass a whole SQL statement.\n"));
    }

    @ParameterizedTest(name = "dclient {0}")
    @MethodSource("mistypedCommands")
    void aMistypedCommandIsNotSentAsSql(String word, String error) {
        CliRunner.Result r = cli.env("DATASETTE_URL", server.baseUrl()).env("DATASETTE_DATABASE", "fixtures").run(word);
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals(error, r.err());
        assertEquals(0, server.getAllServeEvents().size(), "nothing was requested");
    }

    @Test
    void anEmptySqlStringIsAUsageError() {
        CliRunner.Result r = cli.run("  ");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("Error: No SQL given. Run dclient --help for usage.\n", r.err());
    }
}
