package io.datasette.dclient.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.api.Datasette;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.testing.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A host typed without its scheme where an instance belongs: the one rule ({@link InstanceUrl})
 * names the URL it probably means (http:// for this machine, https:// for any other host), and
 * every place that takes an instance says that, never "add an alias named 127.0.0.1:8001".
 */
class InstanceUrlTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
        "127.0.0.1:8003, http://127.0.0.1:8003",
        "localhost:8001, http://localhost:8001",
        "localhost, http://localhost",
        "app.localhost:8001/prefix, http://app.localhost:8001/prefix",
        "[::1]:8001, http://[::1]:8001",
        "example.com, https://example.com",
        "datasette.example.com/db, https://datasette.example.com/db",
        "10.0.0.5:8001, https://10.0.0.5:8001",
        "my_host:8001, https://my_host:8001",
        // not a host without a scheme: an alias name, a URL, or something else
        "prod, none",
        "my-prod, none",
        "http://127.0.0.1:8003, none",
        "ftp://example.com, none",
        "mailto:me@example.com, none",
        "user@example.com:8001, none",
        "/relative, none",
        "a:b, none",
        "'not a url', none",
        "example.com:99999, none",
    })
    void whatAHostWithoutSchemeProbablyMeans(String typed, String meant) {
        assertEquals(meant, InstanceUrl.withScheme(typed));
    }

    @Test
    void aBareWordIsAnAliasNameNotAHost() {
        assertNull(InstanceUrl.notAnAlias("prod"));
        assertNull(InstanceUrl.notAnAlias("https://example.com"));
        assertEquals("Unknown instance: 127.0.0.1:8003 is not an alias, and a URL needs http:// or https://."
                + " Did you mean http://127.0.0.1:8003?", InstanceUrl.notAnAlias("127.0.0.1:8003").getMessage());
    }

    @Test
    void checkRefusesAHostWithoutSchemeAndOtherwiseParses() {
        assertEquals("Not a valid instance URL: example.com has no http:// or https://. Did you mean https://example.com?",
                assertThrows(DclientException.class, () -> InstanceUrl.check("example.com")).getMessage());
        assertEquals("http://127.0.0.1:8003", InstanceUrl.check("http://127.0.0.1:8003").toString());
        // anything else is parseUrl's to judge
        assertTrue(assertThrows(DclientException.class, () -> InstanceUrl.check("ftp://example.com")).getMessage()
                .startsWith("Not a valid instance URL: ftp://example.com (expected http:// or https://"));
    }

    static final String MEANT = "Did you mean http://127.0.0.1:8003?";

    /** Every command that takes an instance, given {@code 127.0.0.1:8003}. */
    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of((Object) new String[] {"databases", "-i", "127.0.0.1:8003"}),
                Arguments.of((Object) new String[] {"-i", "127.0.0.1:8003", "select 1"}),
                Arguments.of((Object) new String[] {"rows", "fixtures", "dogs", "-i", "127.0.0.1:8003"}),
                Arguments.of((Object) new String[] {"alias", "add", "bad", "127.0.0.1:8003"}),
                Arguments.of((Object) new String[] {"default", "instance", "127.0.0.1:8003"}),
                Arguments.of((Object) new String[] {"default", "database", "127.0.0.1:8003", "main"}),
                Arguments.of((Object) new String[] {"login", "127.0.0.1:8003"}),
                Arguments.of((Object) new String[] {"auth", "add", "127.0.0.1:8003", "--token", "dstok_X"}),
                Arguments.of((Object) new String[] {"auth", "status", "-i", "127.0.0.1:8003"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void everyCommandSuggestsTheUrlWithItsScheme(String[] args) {
        CliRunner.Result r = new CliRunner(dir).run(args);
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: ") && r.err().endsWith(MEANT + "\n"), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertFalse(r.err().contains("alias add"), r.toString());
        assertFalse(Files.exists(dir.resolve("config.json")), "nothing stored");
        assertFalse(Files.exists(dir.resolve("auth.json")), "nothing stored");
    }

    @Test
    void theEnvironmentsUrlIsCheckedTheSameWay() {
        CliRunner.Result r = new CliRunner(dir).env("DATASETTE_URL", "127.0.0.1:8003").run("databases");
        assertEquals("Error: Not a valid instance URL: 127.0.0.1:8003 has no http:// or https://. " + MEANT + "\n",
                r.err());
    }

    @Test
    void anAliasWithThatNameStillWins() throws Exception {
        CliRunner cli = new CliRunner(dir);
        assertEquals(0, cli.run("alias", "add", "localhost:8003", "http://127.0.0.1:9").exitCode());
        CliRunner.Result r = cli.run("auth", "add", "localhost:8003", "--token", "dstok_X");
        assertEquals(0, r.exitCode(), r.toString());
    }

    @Test
    void theLibrarySaysTheSame() {
        DclientException e = assertThrows(DclientException.class, () -> Datasette.builder().url("127.0.0.1:8003"));
        assertEquals("Not a valid instance URL: 127.0.0.1:8003 has no http:// or https://. " + MEANT, e.getMessage());
    }
}
