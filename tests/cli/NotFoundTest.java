package io.datasette.dclient.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.datasette.dclient.api.Datasette;
import io.datasette.dclient.api.WriteOptions;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.NotFound;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "Not found" names the thing: which database, table or row, on which instance, where a database
 * name came from (the instance's default, DATASETTE_DATABASE, -d), what is there instead, and, on
 * the command line, the next step. The recorded Datasette answers the missing names it has
 * recordings for; the others are stubbed with the bodies Datasette 1.0a37 sends (HTTP 404,
 * {@code Database not found}, {@code Table not found}, {@code Record not found: ['99999']}).
 */
class NotFoundTest {
    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.recordings();

    @TempDir
    static Path dir;

    static final List<StubMapping> stubs = new ArrayList<>();

    static void notFound(String path, String error) {
        stubs.add(wm.stubFor(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": false, \"error\": \"" + error + "\", \"errors\": [\"" + error + "\"], \"status\": 404}"))));
    }

    @BeforeAll
    static void setUp() throws Exception {
        notFound("/main.json", "Database not found");
        notFound("/fixturez.json", "Database not found");
        notFound("/nosuch.json", "Database not found");
        notFound("/fixtures/dgos.json", "Table not found");
        notFound("/fixtures/dgos/-/schema.json", "Table not found");
        notFound("/fixtures/no_such_table/-/upsert", "Table not found");
        notFound("/fixtures/dogs/99999/-/delete", "Record not found: ['99999']");
        notFound("/fixtures/dogs/99999/-/update", "Record not found: ['99999']");
        // /DB/-/create of a missing database: Datasette's HTML error page, no words to go by
        stubs.add(wm.stubFor(any(urlPathEqualTo("/nosuchdb/-/create")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "text/html; charset=utf-8")
                .withBody("<!DOCTYPE html>\n<html><body><h1>Error 404</h1>Database not found</body></html>"))));
        Files.writeString(dir.resolve("rows.json"), "[{\"id\": 1}]");
        // prod: the default instance, with a default database the server does not have;
        // fx: default database fixtures; bare: no default database
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/config.json"), """
                {"default_instance": "prod", "instances": {
                  "prod": {"url": "%1$s", "default_database": "main"},
                  "fx": {"url": "%1$s", "default_database": "fixtures"},
                  "bare": {"url": "%1$s", "default_database": null}
                }}""".formatted(wm.baseUrl()));
    }

    @AfterAll
    static void tearDown() {
        stubs.forEach(wm::removeStub); // not resetMappings(): that can delete the recording files
    }

    static CliRunner.Result run(List<String> env, String... args) {
        CliRunner cli = new CliRunner(dir.resolve("config"));
        for (int i = 0; i < env.size(); i += 2) cli.env(env.get(i), env.get(i + 1));
        String[] withToken = Stream.concat(Stream.of(args), Stream.of("--token", "dstok_ROOT")).toArray(String[]::new);
        return cli.run(withToken);
    }

    static Stream<Arguments> cases() {
        String file = dir.resolve("rows.json").toString();
        List<String> none = List.of();
        return Stream.of(
                Arguments.of("a bare query: the instance's default database", none, new String[] {"select 1"},
                        "Database not found on prod: main (prod's default database in config.json). Databases there:"
                                + " fixtures, other.\n"
                                + "Use -d DATABASE, or change the default: dclient default database prod DATABASE"),
                Arguments.of("a bare query: -d with a typo", none, new String[] {"-d", "fixturez", "select 1"},
                        "Database not found on prod: fixturez (given with -d). Did you mean fixtures?"),
                Arguments.of("a bare query: DATASETTE_DATABASE", List.of("DATASETTE_DATABASE", "fixturez"),
                        new String[] {"-i", "bare", "select 1"},
                        "Database not found on bare: fixturez (from DATASETTE_DATABASE). Did you mean fixtures?\n"
                                + "Use -d DATABASE, or set DATASETTE_DATABASE to another database"),
                Arguments.of("query: the database argument", none, new String[] {"query", "nosuchdb", "select 1"},
                        "Database not found on prod: nosuchdb. Databases there: fixtures, other."),
                Arguments.of("tables -d", none, new String[] {"tables", "-d", "nosuch"},
                        "Database not found on prod: nosuch (given with -d). Databases there: fixtures, other."),
                Arguments.of("rows: a typo of a table", none, new String[] {"rows", "fixtures", "dgos"},
                        "Table not found in fixtures on prod: dgos. Did you mean dogs?"),
                Arguments.of("rows: a table in the default database", none, new String[] {"-i", "fx", "rows", "dgos"},
                        "Table not found in fixtures on fx: dgos (fixtures is fx's default database in config.json)."
                                + " Did you mean dogs?"),
                Arguments.of("rows: nothing near", none, new String[] {"rows", "fixtures", "no_such_table"},
                        "Table not found in fixtures on prod: no_such_table.\n"
                                + "List the tables: dclient tables -d fixtures -i prod"),
                Arguments.of("schema: a typo of a table", none, new String[] {"schema", "-d", "fixtures", "dgos"},
                        "Table not found in fixtures on prod: dgos. Did you mean dogs?"),
                Arguments.of("insert into a missing table", none, new String[] {"insert", "fixtures", "no_such_table", file},
                        "Table not found in fixtures on prod: no_such_table. Nothing was inserted: the first batch (row 1)"
                                + " failed, and the rest of the input was not sent.\n"
                                + "To create it from the rows, add --create (and --pk COLUMN to choose its primary key)."),
                Arguments.of("upsert into a missing table", none, new String[] {"upsert", "fixtures", "no_such_table", file},
                        "Table not found in fixtures on prod: no_such_table. Nothing was upserted: the first batch (row 1)"
                                + " failed, and the rest of the input was not sent.\n"
                                + "upsert writes to an existing table; to create it from the rows: dclient insert fixtures"
                                + " no_such_table " + file + " --create -i prod"),
                Arguments.of("insert --create into a missing database", none,
                        new String[] {"insert", "nosuchdb", "t", file, "--create"},
                        "Database not found on prod: nosuchdb. Databases there: fixtures, other. Nothing was inserted:"
                                + " the first batch (row 1) failed, and the rest of the input was not sent."),
                Arguments.of("delete a missing row", none, new String[] {"delete", "fixtures", "dogs", "99999"},
                        "Row not found: fixtures/dogs has no row with primary key 99999."),
                Arguments.of("update a missing row", none,
                        new String[] {"update", "fixtures", "dogs", "99999", "--set", "name", "Rex"},
                        "Row not found: fixtures/dogs has no row with primary key 99999."),
                Arguments.of("row: a missing row", none, new String[] {"row", "fixtures", "dogs", "9999"},
                        "Row not found: fixtures/dogs has no row with primary key 9999."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theCommandLineNamesWhatIsMissingAndTheNextStep(String what, List<String> env, String[] args, String error) {
        CliRunner.Result r = run(env, args);
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals("Error: " + error + "\n", r.err());
    }

    static Datasette ds() {
        return Datasette.builder().instance("prod").configDir(dir.resolve("config")).env(Map.of())
                .token("dstok_ROOT").build();
    }

    static NotFound thrown(Supplier<?> call) {
        return assertInstanceOf(NotFound.class, assertThrows(DclientException.class, call::get));
    }

    /** The command line's first line (its facts) for the same failure. */
    static String cliFacts(String... args) {
        return run(List.of(), args).err().lines().findFirst().orElseThrow().substring("Error: ".length());
    }

    @Test
    void theLibraryStatesTheSameFactsWithoutTheCommandLinesAdvice() {
        NotFound db = thrown(() -> ds().query("nosuchdb", "select 1"));
        assertEquals(NotFound.Thing.DATABASE, db.thing());
        assertEquals(List.of("fixtures", "other"), db.there());
        assertEquals(cliFacts("query", "nosuchdb", "select 1"), db.getMessage());

        NotFound table = thrown(() -> ds().rows("fixtures", "dgos").list());
        assertEquals("dogs", table.near());
        assertEquals(cliFacts("rows", "fixtures", "dgos"), table.getMessage());
        assertEquals(cliFacts("schema", "-d", "fixtures", "dgos"), thrown(() -> ds().schema("fixtures", "dgos")).getMessage());
        assertEquals(table.getMessage(), thrown(() -> ds().rows("fixtures", "dgos").stream().count()).getMessage());

        NotFound row = thrown(() -> {
            ds().delete("fixtures", "dogs", 99999);
            return null;
        });
        assertEquals(NotFound.Thing.ROW, row.thing());
        assertEquals(cliFacts("delete", "fixtures", "dogs", "99999"), row.getMessage());
    }

    @Test
    void theLibraryNamesItsOwnWayToCreateAMissingTable() {
        NotFound nf = thrown(() -> ds().insert("fixtures", "no_such_table", List.of(Map.of("id", 1))));
        assertEquals("Table not found in fixtures on prod: no_such_table. Nothing was inserted: the first batch (row 1)"
                + " failed, and the rest of the input was not sent. To create it from the rows, pass"
                + " WriteOptions.defaults().create(primaryKeys...).", nf.getMessage());
    }
}
