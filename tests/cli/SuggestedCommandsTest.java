package io.datasette.dclient.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.Recordings;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands that messages suggest can be pasted as they are: a value from the user or the config
 * files is quoted for a POSIX shell when it needs it ({@code core.text.Shell.quote}); the
 * {@code <placeholders>} are not.
 */
class SuggestedCommandsTest {
    @TempDir
    Path dir;

    WireMockServer server;
    CliRunner cli;

    @BeforeEach
    void setUp() {
        server = Recordings.startEmpty();
        cli = new CliRunner(dir);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    static void assertSuggests(CliRunner.Result r, String command) {
        assertTrue((r.out() + r.err()).contains(command), "expected the suggestion " + command + " in:\n" + r);
    }

    @Test
    void anUnknownInstanceWithSpaces() {
        CliRunner.Result r = cli.run("rows", "fixtures", "dogs", "-i", "not a url");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: Unknown instance: not a url. Use a URL, or add the alias: dclient alias add 'not a url'"
                + " <url>\n", r.err());
        assertSuggests(cli.run("login", "not a url"), "dclient alias add 'not a url' <url>");
        assertSuggests(cli.run("default", "instance", "it's"), "dclient alias add 'it'\\''s' <url>");
    }

    @Test
    void aliasesThatNeedQuotes() {
        cli.run("alias", "add", "my prod", server.baseUrl());
        assertSuggests(cli.run("rows", "dogs", "-i", "my prod"), "dclient default database 'my prod' <database>");
        assertSuggests(cli.run("auth", "token", "-i", "my prod"), "dclient login 'my prod', or dclient auth add 'my prod'");
        assertSuggests(cli.run("auth", "add", "new one", "--token", "dstok_X"), "dclient alias add 'new one' <url>");
        assertSuggests(cli.run("auth", "list"), "(dclient alias add 'new one' <url>)");
        cli.run("auth", "add", "my prod", "--token", "dstok_X");
        assertSuggests(cli.run("alias", "remove", "my prod"), "remove it with: dclient auth remove 'my prod'");
    }

    @Test
    void serverRefusalsNameTheAliasQuoted() {
        server.stubFor(get(urlPathEqualTo("/fixtures/dogs.json")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": false, \"error\": \"Permission denied\", \"status\": 403}")));
        server.stubFor(get(urlPathEqualTo("/-/actor.json")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": false, \"error\": \"Token has expired\", \"status\": 401}")));
        cli.run("alias", "add", "my prod", server.baseUrl());
        assertSuggests(cli.run("rows", "fixtures", "dogs", "-i", "my prod"),
                "Add one: dclient login 'my prod', or dclient auth add 'my prod'");
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/fixtures/-/create"))
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody("{\"ok\": false, \"error\": \"Permission denied\", \"status\": 403}")));
        CliRunner.Result create = cli.run("create-table", "fixtures", "pets", "--column", "id", "integer", "-i", "my prod");
        assertSuggests(create, "dclient login 'my prod' --write-all, or store one: dclient auth add 'my prod'");
        cli.run("auth", "add", "my prod", "--token", "dstok_X");
        assertSuggests(cli.run("auth", "status", "-i", "my prod"),
                "Get a new one: dclient login 'my prod', or store one: dclient auth add 'my prod'");
    }
}
