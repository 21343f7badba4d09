package io.datasette.dclient.cli.commands.alias;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.testing.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * alias / instances / default commands, as Python dclient §2.10–2.12 and its acceptance
 * cases 20–24, except that re-adding an alias keeps its default database and URLs are checked.
 */
class AliasCommandsTest {
    @TempDir
    Path dir;

    CliRunner cli;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir);
    }

    private CliRunner.Result ok(String... args) {
        CliRunner.Result r = cli.run(args);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.err(), r.toString());
        return r;
    }

    private String config() throws Exception {
        return Files.readString(dir.resolve("config.json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alias list", "instances", "alias list --json", "instances --json"})
    void anEmptyConfig(String command) {
        String out = ok(command.split(" ")).out();
        if (command.endsWith("--json")) {
            assertEquals("{\n  \"default_instance\": null,\n  \"instances\": {}\n}\n", out);
        } else {
            assertEquals("", out);
        }
        assertFalse(Files.exists(dir.resolve("config.json")), "listing writes nothing");
    }

    @Test
    void addListAndRemove() throws Exception {
        assertEquals("", ok("alias", "add", "foo", "https://example.com").out());
        assertEquals("""
                {
                    "default_instance": null,
                    "instances": {
                        "foo": {
                            "url": "https://example.com",
                            "default_database": null
                        }
                    }
                }""", config());
        ok("alias", "add", "local", "http://localhost:8001/");
        assertEquals("  foo = https://example.com\n  local = http://localhost:8001/\n", ok("alias", "list").out());
        assertEquals(ok("alias", "list").out(), ok("instances").out());
        assertEquals("""
                {
                  "default_instance": null,
                  "instances": {
                    "foo": {
                      "url": "https://example.com",
                      "default_database": null
                    },
                    "local": {
                      "url": "http://localhost:8001/",
                      "default_database": null
                    }
                  }
                }
                """, ok("alias", "list", "--json").out());
        assertEquals("", ok("alias", "remove", "foo").out());
        assertEquals("  local = http://localhost:8001/\n", ok("instances").out());
    }

    @Test
    void removingAnUnknownAliasIsTheExactPythonError() {
        CliRunner.Result r = cli.run("alias", "remove", "invalid");
        assertEquals(1, r.exitCode());
        assertEquals("", r.out());
        assertEquals("Error: No such alias\n", r.err());
    }

    @Test
    void listMarksTheDefaultAndShowsDefaultDatabases() {
        ok("alias", "add", "prod", "https://prod.example.com");
        ok("alias", "add", "staging", "https://staging.example.com");
        ok("default", "instance", "prod");
        ok("default", "database", "prod", "main");
        assertEquals("* prod = https://prod.example.com (db: main)\n  staging = https://staging.example.com\n",
                ok("instances").out());
    }

    @Test
    void reAddingAnAliasChangesTheUrlAndKeepsTheDefaultDatabase() throws Exception {
        ok("alias", "add", "prod", "https://old.example.com");
        ok("default", "database", "prod", "main");
        ok("alias", "add", "prod", "https://new.example.com");
        assertEquals("  prod = https://new.example.com (db: main)\n", ok("alias", "list").out());
        assertTrue(config().contains("\"default_database\": \"main\""), config());
    }

    static Stream<Arguments> badAdds() {
        return Stream.of(
                Arguments.of(new String[] {"x", "example.com"},
                        "Error: Not a valid instance URL: example.com has no http:// or https://. Did you mean https://example.com?\n"),
                Arguments.of(new String[] {"x", "ftp://example.com"},
                        "Error: Not a valid instance URL: ftp://example.com (expected http:// or https:// and a host)\n"),
                Arguments.of(new String[] {"x", "http://exa mple.com"}, "Error: Not a valid URL: http://exa mple.com\n"),
                Arguments.of(new String[] {"https://example.com", "https://example.com"},
                        "Error: An alias name cannot be empty or a URL: https://example.com."
                                + " Usage: dclient alias add <name> <url>\n"));
    }

    @ParameterizedTest(name = "alias add {0}")
    @MethodSource("badAdds")
    void addChecksTheUrlAndName(String[] args, String error) {
        CliRunner.Result r = cli.run(Stream.concat(Stream.of("alias", "add"), Stream.of(args)).toArray(String[]::new));
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals(error, r.err());
        assertFalse(Files.exists(dir.resolve("config.json")));
    }

    @Test
    void removingAnAliasWithAStoredTokenSaysSoWithoutShowingIt() throws Exception {
        ok("alias", "add", "prod", "https://prod.example.com");
        Files.writeString(dir.resolve("auth.json"), "{\"prod\": \"dstok_SECRET\"}");
        CliRunner.Result r = cli.run("alias", "remove", "prod");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals("A token is still stored for prod; remove it with: dclient auth remove prod\n", r.err());
        assertFalse(r.err().contains("SECRET"));
    }

    // --- default instance -------------------------------------------------------------------

    @Test
    void defaultInstanceWorkflow() throws Exception {
        assertEquals("No default instance set\n", ok("default", "instance").out());
        ok("alias", "add", "prod", "https://prod.example.com");
        assertEquals("", ok("default", "instance", "prod").out());
        assertEquals("prod\n", ok("default", "instance").out());
        assertTrue(ok("alias", "list").out().startsWith("* prod = "));
        assertTrue(config().contains("\"default_instance\": \"prod\""), config());
        assertEquals("", ok("default", "instance", "--clear").out());
        assertEquals("No default instance set\n", ok("default", "instance").out());
        assertTrue(config().contains("\"default_instance\": null"), config());
    }

    @Test
    void defaultInstanceMustBeAnAlias() {
        CliRunner.Result r = cli.run("default", "instance", "nope");
        assertEquals(1, r.exitCode());
        assertEquals("Error: No such alias: nope. Add it first: dclient alias add nope <url>\n", r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://prod.example.com", "https://prod.example.com/", "https://prod.example.com//"})
    void aUrlMatchingAnAliasStoresTheAliasName(String url) throws Exception {
        ok("alias", "add", "prod", "https://prod.example.com/");
        ok("default", "instance", url);
        assertEquals("prod\n", ok("default", "instance").out());
    }

    @Test
    void anUnknownUrlIsStoredWithoutItsSlashAndCreatesNoAlias() throws Exception {
        ok("default", "instance", "https://other.example.com/");
        assertEquals("https://other.example.com\n", ok("default", "instance").out());
        assertTrue(config().contains("\"instances\": {}"), config());
        assertEquals("* https://other.example.com\n", ok("alias", "list").out());
    }

    @Test
    void anInvalidUrlIsRefused() {
        CliRunner.Result r = cli.run("default", "instance", "https://");
        assertEquals(1, r.exitCode());
        assertEquals("Error: Not a valid URL: https://\n", r.err());
    }

    @Test
    void removingTheDefaultAliasClearsTheDefault() throws Exception {
        ok("alias", "add", "prod", "https://prod.example.com");
        ok("default", "instance", "prod");
        ok("alias", "remove", "prod");
        assertTrue(config().contains("\"default_instance\": null"), config());
        assertEquals("No default instance set\n", ok("default", "instance").out());
    }

    @Test
    void aStaleDefaultIsShownAsSuch() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"default_instance\": \"ghost\", \"instances\": "
                + "{\"prod\": {\"url\": \"https://p.example\", \"default_database\": null}}}");
        assertEquals("  prod = https://p.example\n* ghost (default, but no such alias)\n", ok("alias", "list").out());
    }

    // --- default database -------------------------------------------------------------------

    @Test
    void defaultDatabaseWorkflow() throws Exception {
        ok("alias", "add", "prod", "https://prod.example.com");
        assertEquals("No default database set for prod\n", ok("default", "database", "prod").out());
        assertEquals("", ok("default", "database", "prod", "main").out());
        assertEquals("main\n", ok("default", "database", "prod").out());
        assertEquals("  prod = https://prod.example.com (db: main)\n", ok("alias", "list").out());
        assertEquals("", ok("default", "database", "prod", "--clear").out());
        assertEquals("No default database set for prod\n", ok("default", "database", "prod").out());
        assertTrue(config().contains("\"default_database\": null"), config());
    }

    @Test
    void defaultDatabaseAcceptsTheUrlOfAnAlias() {
        ok("alias", "add", "prod", "https://prod.example.com");
        ok("default", "database", "https://prod.example.com/", "main");
        assertEquals("main\n", ok("default", "database", "prod").out());
    }

    @Test
    void defaultDatabaseWorksOnAUrlKeyedEntryAsLoginWritesThem() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"default_instance\": \"https://example.com/\", \"instances\": "
                + "{\"https://example.com/\": {\"url\": \"https://example.com\", \"default_database\": \"data\"}}}");
        assertEquals("data\n", ok("default", "database", "https://example.com/").out());
        assertEquals("data\n", ok("default", "database", "https://example.com").out());
    }

    static Stream<Arguments> defaultDatabaseErrors() {
        return Stream.of(
                Arguments.of(new String[] {"nope", "main"},
                        "Error: No such alias: nope. Add it first: dclient alias add nope <url>\n"),
                Arguments.of(new String[] {"nope"}, "Error: No such alias: nope. Add it first: dclient alias add nope <url>\n"),
                Arguments.of(new String[] {"not an alias", "main"},
                        "Error: No such alias: not an alias. Add it first: dclient alias add 'not an alias' <url>\n"));
    }

    /** The command that "No database specified" suggests for a URL works as suggested. */
    @Test
    void defaultDatabaseForAUrlWithoutAnAliasCreatesAUrlKeyedEntry() throws Exception {
        assertEquals("", ok("default", "database", "https://unknown.example.com/", "main").out());
        assertEquals("main\n", ok("default", "database", "https://unknown.example.com").out());
        String json = Files.readString(dir.resolve("config.json"));
        assertTrue(json.contains("\"https://unknown.example.com\""), json);
        assertEquals("No default database set for https://other.example.com\n",
                ok("default", "database", "https://other.example.com/").out());
        assertFalse(Files.readString(dir.resolve("config.json")).contains("other.example.com"), "reading creates nothing");
    }

    @ParameterizedTest(name = "default database {0}")
    @MethodSource("defaultDatabaseErrors")
    void defaultDatabaseNeedsAKnownInstance(String[] args, String error) {
        CliRunner.Result r = cli.run(Stream.concat(Stream.of("default", "database"), Stream.of(args)).toArray(String[]::new));
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals(error, r.err());
    }
}
