package io.datasette.dclient.core.login;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.FormParameter;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scope expansion: every example of the user's document and Python dclient's exact lists
 * (reference §4.2), checked as the {@code scope} form value really sent to the device endpoint.
 */
class ScopesTest {
    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.empty();

    @TempDir
    Path dir;

    @BeforeEach
    void stubDeviceFlowOff() {
        wm.stubFor(post(urlPathEqualTo("/-/oauth/device")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody("{\"error\": \"Device flow is not enabled\"}")));
    }

    static final String READ_ALL = "[[\"view-instance\"], [\"view-table\"], [\"view-database\"], [\"view-query\"],"
            + " [\"execute-sql\"]]";
    static final String WRITE_ALL = "[[\"view-instance\"], [\"view-table\"], [\"view-database\"], [\"view-query\"],"
            + " [\"execute-sql\"], [\"insert-row\"], [\"delete-row\"], [\"update-row\"], [\"create-table\"],"
            + " [\"alter-table\"], [\"drop-table\"]]";
    static final String READ_DB1 = "[[\"view-instance\", \"db1\"], [\"view-table\", \"db1\"],"
            + " [\"view-database\", \"db1\"], [\"view-query\", \"db1\"], [\"execute-sql\", \"db1\"]]";
    static final String WRITE_DB3 = "[[\"view-instance\", \"db3\"], [\"view-table\", \"db3\"],"
            + " [\"view-database\", \"db3\"], [\"view-query\", \"db3\"], [\"execute-sql\", \"db3\"],"
            + " [\"insert-row\", \"db3\"], [\"delete-row\", \"db3\"], [\"update-row\", \"db3\"],"
            + " [\"create-table\", \"db3\"], [\"alter-table\", \"db3\"], [\"drop-table\", \"db3\"]]";
    static final String READ_DB1_DOGS = "[[\"view-instance\", \"db1\", \"dogs\"], [\"view-table\", \"db1\", \"dogs\"],"
            + " [\"view-database\", \"db1\", \"dogs\"], [\"view-query\", \"db1\", \"dogs\"],"
            + " [\"execute-sql\", \"db1\", \"dogs\"]]";
    static final String WRITE_DB3_SUBMISSIONS = "[[\"view-instance\", \"db3\", \"submissions\"],"
            + " [\"view-table\", \"db3\", \"submissions\"], [\"view-database\", \"db3\", \"submissions\"],"
            + " [\"view-query\", \"db3\", \"submissions\"], [\"execute-sql\", \"db3\", \"submissions\"],"
            + " [\"insert-row\", \"db3\", \"submissions\"], [\"delete-row\", \"db3\", \"submissions\"],"
            + " [\"update-row\", \"db3\", \"submissions\"], [\"create-table\", \"db3\", \"submissions\"],"
            + " [\"alter-table\", \"db3\", \"submissions\"], [\"drop-table\", \"db3\", \"submissions\"]]";
    static final String WRITE_DB3_DOGS_TAIL = "[\"view-instance\", \"db3\", \"dogs\"], [\"view-table\", \"db3\", \"dogs\"],"
            + " [\"view-database\", \"db3\", \"dogs\"], [\"view-query\", \"db3\", \"dogs\"],"
            + " [\"execute-sql\", \"db3\", \"dogs\"], [\"insert-row\", \"db3\", \"dogs\"],"
            + " [\"delete-row\", \"db3\", \"dogs\"], [\"update-row\", \"db3\", \"dogs\"],"
            + " [\"create-table\", \"db3\", \"dogs\"], [\"alter-table\", \"db3\", \"dogs\"],"
            + " [\"drop-table\", \"db3\", \"dogs\"]]";
    static final String WRITE_DB1_DOGS_TAIL = WRITE_DB3_DOGS_TAIL.replace("db3", "db1");

    /** Command-line options (after {@code login URL}) and the exact scope form value; null = no field. */
    static Stream<Arguments> examples() {
        return Stream.of(
                // The user's document, section by section.
                Arguments.of("", null),
                Arguments.of("--read-all", READ_ALL),
                Arguments.of("--write-all", WRITE_ALL),
                Arguments.of("--read db1", READ_DB1),
                Arguments.of("--write db3", WRITE_DB3),
                Arguments.of("--read db1/dogs", READ_DB1_DOGS),
                Arguments.of("--write db3/submissions", WRITE_DB3_SUBMISSIONS),
                Arguments.of("--read db1 --write db3/dogs", READ_DB1.substring(0, READ_DB1.length() - 1) + ", "
                        + WRITE_DB3_DOGS_TAIL),
                Arguments.of("--scope '[[\"view-instance\"]]'", "[[\"view-instance\"]]"),
                Arguments.of("--token-only --read mydb", READ_DB1.replace("db1", "mydb")),
                Arguments.of("--token-only --write-all", WRITE_ALL),
                // Python dclient's test expectations (reference §4.2).
                Arguments.of("--scope '[[\"view-instance\"]]' --write db1/dogs",
                        "[[\"view-instance\"], " + WRITE_DB1_DOGS_TAIL),
                Arguments.of("--token-only --read db1/t1 --scope '[[\"view-instance\"]]'",
                        "[[\"view-instance\"], [\"view-instance\", \"db1\", \"t1\"], [\"view-table\", \"db1\", \"t1\"],"
                                + " [\"view-database\", \"db1\", \"t1\"], [\"view-query\", \"db1\", \"t1\"],"
                                + " [\"execute-sql\", \"db1\", \"t1\"]]"),
                Arguments.of("--scope '[]'", null),
                Arguments.of("--read a/b/c", READ_DB1_DOGS.replace("\"db1\", \"dogs\"", "\"a\", \"b/c\"")),
                // Order of construction: --scope, --read-all, --write-all, each --read, each --write.
                Arguments.of("--write db3 --read-all", READ_ALL.substring(0, READ_ALL.length() - 1) + ", "
                        + WRITE_DB3.substring(1)),
                // Duplicates are sent once, where they first appear.
                Arguments.of("--read-all --write-all", WRITE_ALL),
                Arguments.of("--read db1 --read db1", READ_DB1),
                Arguments.of("--read db3 --write db3", WRITE_DB3),
                Arguments.of("--scope '[[\"execute-sql\", \"db1\"]]' --read db1",
                        "[[\"execute-sql\", \"db1\"], [\"view-instance\", \"db1\"], [\"view-table\", \"db1\"],"
                                + " [\"view-database\", \"db1\"], [\"view-query\", \"db1\"]]"),
                Arguments.of("--scope '[[\"view-instance\"],[\"view-instance\"]]'", "[[\"view-instance\"]]"));
    }

    @ParameterizedTest(name = "login URL {0}")
    @MethodSource("examples")
    void sendsTheExactScope(String options, String expected) {
        List<String> args = new ArrayList<>(List.of("login", wm.baseUrl(), "--no-browser"));
        args.addAll(shellWords(options));
        CliRunner.Result r = new CliRunner(dir).run(args.toArray(String[]::new));
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("Device flow is not enabled"), r.toString());
        List<LoggedRequest> sent = wm.findAll(postRequestedFor(urlPathEqualTo("/-/oauth/device")));
        assertEquals(1, sent.size());
        FormParameter scope = sent.get(0).formParameters().get("scope");
        if (expected == null) {
            assertNull(scope, "no scope field means an unrestricted token");
            assertEquals("", sent.get(0).getBodyAsString());
        } else {
            assertEquals(expected, scope.firstValue());
        }
    }

    @Test
    void expandMatchesPythonListsDirectly() {
        assertEquals(List.of(List.of("view-instance"), List.of("view-table", "fixtures", "dogs")),
                Scopes.expand("[[\"view-instance\"],[\"view-table\",\"fixtures\",\"dogs\"]]", false, false, List.of(),
                        List.of()));
        assertEquals(11, Scopes.expand(null, true, true, List.of(), List.of()).size());
        assertEquals(List.of(), Scopes.expand(null, false, false, List.of(), List.of()));
        assertEquals(Scopes.ALL_ACTIONS.size(), Scopes.READ_ACTIONS.size() + Scopes.WRITE_ACTIONS.size());
    }

    @Test
    void databasesOnlyNamesTheDatabasesOfAScopeWithoutInstanceWideEntries() {
        assertEquals(List.of("fixtures"), Scopes.databasesOnly(Scopes.expand(null, false, false, List.of("fixtures"),
                List.of())));
        assertEquals(List.of("fixtures"), Scopes.databasesOnly(Scopes.expand(null, false, false, List.of(),
                List.of("fixtures/dogs"))));
        assertEquals(List.of("fixtures"), Scopes.databasesOnly(Scopes.expand(null, false, false,
                List.of("fixtures/dogs"), List.of("fixtures"))));
        assertEquals(List.of("db1", "db3"), Scopes.databasesOnly(Scopes.expand(null, false, false, List.of("db1"),
                List.of("db3/dogs"))));
        assertEquals(List.of("db1"), Scopes.databasesOnly(Scopes.expand("[[\"view-table\", \"db1\", \"t\"]]", false,
                false, List.of(), List.of())));
        // Not limited to databases: unrestricted, or any instance-wide entry.
        assertEquals(List.of(), Scopes.databasesOnly(List.of()));
        assertEquals(List.of(), Scopes.databasesOnly(Scopes.expand(null, true, false, List.of(), List.of("db3"))));
        assertEquals(List.of(), Scopes.databasesOnly(Scopes.expand("[[\"view-instance\"]]", false, false,
                List.of("db1"), List.of())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "", "   ", "{}", "\"view-instance\"", "[\"view-instance\"]", "[[]]",
        "[[\"a\", \"b\", \"c\", \"d\"]]", "[[1]]", "[[\"view-instance\", null]]", "[[\"\"]]", "[[\"a\"]] trailing",
        "null"})
    void rejectsBadScopeJson(String json) {
        DclientException e = assertThrows(DclientException.class,
                () -> Scopes.expand(json, false, false, List.of(), List.of()));
        assertTrue(e.getMessage().startsWith("The scope "), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/dogs", "db1/"})
    void rejectsBadReadAndWriteTargets(String target) {
        DclientException e = assertThrows(DclientException.class,
                () -> Scopes.expand(null, false, false, List.of(target), List.of()));
        assertTrue(e.getMessage().startsWith("A read scope needs DATABASE or DATABASE/TABLE"), e.getMessage());
        e = assertThrows(DclientException.class, () -> Scopes.expand(null, false, false, List.of(), List.of(target)));
        assertTrue(e.getMessage().startsWith("A write scope needs"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--scope 'not json'", "--scope '{\"a\": 1}'", "--scope '[[\"a\",\"b\",\"c\",\"d\"]]'",
        "--read /dogs", "--write ''"})
    void invalidScopesFailBeforeAnyRequest(String options) throws Exception {
        List<String> args = new ArrayList<>(List.of("login", wm.baseUrl(), "--no-browser"));
        args.addAll(shellWords(options));
        CliRunner.Result r = new CliRunner(dir).run(args.toArray(String[]::new));
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: The scope") || r.err().startsWith("Error: A read scope")
                || r.err().startsWith("Error: A write scope"), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertEquals("", r.out());
        assertEquals(0, wm.getAllServeEvents().size(), "no request may be made");
        assertFalse(Files.exists(dir.resolve("auth.json")));
    }

    /** Splits like a POSIX shell, for single quotes only (enough for these examples). */
    static List<String> shellWords(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inQuote = false;
        boolean any = false;
        for (char c : s.toCharArray()) {
            if (c == '\'') {
                inQuote = !inQuote;
                any = true;
            } else if (c == ' ' && !inQuote) {
                if (any) out.add(cur.toString());
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) out.add(cur.toString());
        return out;
    }
}
