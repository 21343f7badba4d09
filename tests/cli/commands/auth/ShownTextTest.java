package io.datasette.dclient.cli.commands.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.api.Datasette;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What dclient shows a person: a URL's password never, a token in no form a server echoes it
 * in, and no bidirectional control that would reorder the line. Data on stdout stays exact.
 */
class ShownTextTest {
    @RegisterExtension
    final RecordedDatasette server = RecordedDatasette.empty();

    @TempDir
    Path dir;

    CliRunner cli;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir);
    }

    // ---- a URL's password ------------------------------------------------------------------

    /** Every command that lists or names an instance, with passwords in aliases, defaults and auth.json keys. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "alias list", "alias list --json", "instances", "instances --json", "auth list", "default instance",
            "default database http://u:SECRET3@h3", "auth status -i pw", "auth status -i pw -v", "actor -i pw -v",
            "rows -i pw fixtures dogs -v", "rows -i http://user:PASSWORD@127.0.0.1:1/ fixtures dogs -v",
            "rows -i http://user:PASS_WORD@h/ fixtures dogs", "rows -i http://user:pa/PASSWORD@h/ fixtures dogs",
            "databases -i http://user:PASS_WORD@h/", "auth add http://user:PASS_WORD@h/ --token abcdefgh1234",
            "auth remove http://u:SECRET2@h2", "default instance http://user:PASS_WORD@h/",
            "login http://user:PASS_WORD@h/"})
    void noListingOrMessageShowsAUrlsPassword(String command) {
        cli.run("alias", "add", "pw", "http://user:PASSWORD@127.0.0.1:1/");
        cli.run("auth", "add", "http://u:SECRET2@h2", "--token", "abcdefgh1234");
        cli.run("default", "instance", "http://u:SECRET3@h3");
        CliRunner.Result r = cli.run(java.util.Arrays.stream(command.split(" ")).map(a -> a.replace('_', ' '))
                .toArray(String[]::new));
        for (String secret : List.of("PASSWORD", "PASS WORD", "SECRET2", "SECRET3")) {
            assertFalse(r.out().contains(secret) || r.err().contains(secret), command + "\n" + r);
        }
        assertTrue((r.out() + r.err()).contains(":***@"), "the URL is still shown, masked:\n" + r);
    }

    @Test
    void theLibraryNeverShowsTheUrlsPasswordEither() {
        Datasette ds = Datasette.builder().url("http://user:PASSWORD@127.0.0.1:1").configDir(dir).env(Map.of()).build();
        assertEquals("http://user:***@127.0.0.1:1", ds.toString().replaceAll("^Datasette\\[([^ ,\\]]*).*", "$1"));
        DclientException e = assertThrows(DclientException.class, () -> ds.tables("fixtures"));
        assertFalse(e.getMessage().contains("PASSWORD"), e.getMessage());
        DclientException invalid = assertThrows(DclientException.class,
                () -> Datasette.builder().url("http://user:PASS WORD@h/").configDir(dir).env(Map.of()).build());
        assertFalse(invalid.getMessage().contains("PASS WORD"), invalid.getMessage());
        assertTrue(invalid.getMessage().contains("http://user:***@h/"), invalid.getMessage());
    }

    // ---- a token a server echoes -------------------------------------------------------------

    static final String TOKEN = "ab/cd+ef==Zq81kT0pLm";

    private static void assertNoPieceOf(String token, String shown) {
        String lower = shown.toLowerCase(Locale.ROOT);
        for (String form : List.of(token, "ab/cd%2bef%3d%3dzq81kt0plm", "ab%2fcd%2bef%3d%3dzq81kt0plm",
                "ab~2fcd~2bef~3d~3dzq81kt0plm", "ab\\/cd+ef==zq81kt0plm")) {
            String f = form.toLowerCase(Locale.ROOT);
            for (int i = 0; i + 8 <= f.length(); i++) {
                assertFalse(lower.contains(f.substring(i, i + 8)), "a piece of the token shows: " + shown);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            percent-encoded             | 401 | Invalid token ab/cd%2Bef%3D%3DZq81kT0pLm
            form-encoded                | 403 | token=ab%2Fcd%2Bef%3D%3DZq81kT0pLm rejected
            tilde-encoded               | 500 | no table ab~2Fcd~2Bef~3D~3DZq81kT0pLm
            another case                | 401 | INVALID TOKEN AB/CD+EF==ZQ81KT0PLM
            minus its last character    | 401 | Invalid token ab/cd+ef==Zq81kT0pL
            a prefix                    | 500 | Token ab/cd+ef==Zq… is not valid
            """)
    void anEchoedTokenNeverReachesTheErrorLine(String how, int status, String echo) {
        server.stubFor(get(urlPathEqualTo("/fixtures/dogs.json")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": false, \"error\": \"" + echo + "\", \"status\": " + status + "}")));
        CliRunner.Result r = cli.run("rows", "-i", server.baseUrl(), "fixtures", "dogs", "--token", TOKEN);
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: "), r.toString());
        assertNoPieceOf(TOKEN, r.err());
        assertTrue(r.err().contains("***"), r.err());
    }

    @Test
    void aTokenInANextUrlNeverReachesTheVerboseLines() {
        String encoded = "ab/cd%2Bef%3D%3DZq81kT0pLm";
        server.stubFor(get(urlPathEqualTo("/fixtures/dogs.json")).withQueryParam("_next", com.github.tomakehurst
                .wiremock.client.WireMock.absent()).willReturn(okJson("{\"ok\": true, \"rows\": [{\"id\": 1}],"
                        + " \"next_url\": \"" + server.baseUrl() + "/fixtures/dogs.json?_next=1&echo=" + encoded + "\"}")));
        server.stubFor(get(urlPathEqualTo("/fixtures/dogs.json")).withQueryParam("_next", com.github.tomakehurst
                .wiremock.client.WireMock.equalTo("1")).willReturn(okJson("{\"ok\": true, \"rows\": [{\"id\": 2}],"
                        + " \"next_url\": null}")));
        CliRunner.Result r = cli.run("rows", "-i", server.baseUrl(), "fixtures", "dogs", "--all", "--nl", "-v",
                "--token", TOKEN);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("{\"id\": 1}\n{\"id\": 2}\n", r.out());
        assertTrue(r.err().contains("&echo=***"), r.err());
        assertNoPieceOf(TOKEN, r.err());
    }

    // ---- bidirectional controls --------------------------------------------------------------

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(strings = {"202E", "202A", "2066", "2069", "200F", "061C"})
    void aServerErrorsBidiControlIsEscaped(String hex) {
        char c = (char) Integer.parseInt(hex, 16);
        server.stubFor(get(urlPathEqualTo("/fixtures/dogs.json")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody("{\"ok\": false, \"error\": \"no such table: " + c + "exe.txt\", \"status\": 500}")));
        CliRunner.Result r = cli.run("rows", "-i", server.baseUrl(), "fixtures", "dogs", "-v");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("no such table: \\u" + hex.toLowerCase(Locale.ROOT) + "exe.txt"), r.err());
        assertEquals(-1, r.err().indexOf(c), r.err());
    }

    @Test
    void dataOnStdoutKeepsItsBidiControls() {
        server.stubFor(get(urlPathEqualTo("/fixtures/dogs.json")).willReturn(okJson(
                "{\"ok\": true, \"columns\": [\"id\", \"name\"], \"rows\": [{\"id\": 1, \"name\": \"a\u202Eb\u2066c\"}],"
                        + " \"next_url\": null}")));
        CliRunner.Result csv = cli.run("rows", "-i", server.baseUrl(), "fixtures", "dogs", "--csv");
        assertEquals("id,name\r\n1,a\u202Eb\u2066c\r\n", csv.out(), csv.toString());
        CliRunner.Result nl = cli.run("rows", "-i", server.baseUrl(), "fixtures", "dogs", "--nl");
        assertEquals(0, nl.exitCode(), nl.toString());
        assertNotEquals(-1, nl.out().indexOf('\u202E'), "JSON output is the data as sent: " + nl.out());
    }

    @Test
    void theLibrarysMessagesEscapeBidiControlsToo() {
        server.stubFor(get(urlPathEqualTo("/fixtures/dogs.json")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody("{\"ok\": false, \"error\": \"no such table: \u202Eexe.txt\", \"status\": 500}")));
        Datasette ds = Datasette.builder().url(server.baseUrl()).configDir(dir).env(Map.of())
                .verbose(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).build();
        DclientException e = assertThrows(DclientException.class, () -> ds.rows("fixtures", "dogs").list());
        assertTrue(e.getMessage().contains("\\u202eexe.txt"), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\u202E'), e.getMessage());
    }
}
