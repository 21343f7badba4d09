package io.datasette.dclient.cli.commands.auth;

import io.datasette.dclient.core.auth.AuthStore;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.SocketTransport;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A token never shows in any output, and is only ever sent to its own instance's origin. */
class TokenHygieneTest {
    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.recordings();

    @TempDir
    Path dir;

    /** Command lines across the tree (good, failing, unreachable, verbose); %U is the instance. */
    static final List<String> COMMANDS = List.of(
            "actor -i %U", "actor -i %U -v", "auth status -i %U", "auth status -i %U -v",
            "query fixtures select_*_from_dogs_limit_3 -i %U -v", "query nosuchdb select_1 -i %U -v",
            "rows fixtures dogs -i %U -v", "databases -i %U -v", "tables -d fixtures -i %U -v",
            "schema -d fixtures -i %U -v", "plugins -i %U -v", "get /-/actor.json -i %U -v",
            "insert fixtures pets %F --json -i %U -v", "create-table fixtures pets -c id integer -i %U -v",
            "actor -i http://127.0.0.1:1 -v", "auth status -i http://127.0.0.1:1", "auth list", "instances");

    static Stream<Arguments> commandsTokensAndSources() {
        List<Arguments> out = new ArrayList<>();
        for (String source : List.of("flag", "alias", "url-prefix", "env")) {
            for (String token : List.of("dstok_ROOT", "dstok_EXPIRED", "dstok_xxx")) {
                out.add(Arguments.of(source, token));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} via {0}")
    @MethodSource("commandsTokensAndSources")
    void noCommandEverPrintsTheToken(String source, String token) throws Exception {
        Path input = dir.resolve("rows.json");
        Files.writeString(input, "[{\"id\": 99, \"name\": \"Leaky\"}]");
        CliRunner c = new CliRunner(dir.resolve("cfg"));
        c.run("alias", "add", "prod", wm.baseUrl());
        c.run("alias", "add", "down", "http://127.0.0.1:1");
        switch (source) {
            case "alias" -> {
                new AuthStore(c.configDir()).put("prod", token);
                new AuthStore(c.configDir()).put("down", token);
            }
            case "url-prefix" -> {
                new AuthStore(c.configDir()).put(wm.baseUrl(), token);
                new AuthStore(c.configDir()).put("http://127.0.0.1:1", token);
            }
            case "env" -> c.env("DATASETTE_TOKEN", token);
            default -> { }
        }
        for (String line : COMMANDS) {
            List<String> args = new ArrayList<>();
            for (String a : line.split(" ")) {
                args.add(a.replace("%U", source.equals("flag") || source.equals("env") ? wm.baseUrl() : "prod")
                        .replace("%F", input.toString()).replace('_', ' '));
            }
            if (source.equals("flag") && !line.startsWith("auth list") && !line.startsWith("instances")) {
                args.addAll(List.of("--token", token));
            }
            CliRunner.Result r = c.run(args.toArray(String[]::new));
            assertFalse(r.out().contains(token) || r.err().contains(token), String.join(" ", args) + "\n" + r);
            assertFalse(r.out().contains(token.substring(6)) || r.err().contains(token.substring(6)),
                    String.join(" ", args) + "\n" + r);
        }
    }

    @Test
    void aTokenThatCannotBeSentIsRefusedWithoutShowingIt() {
        for (String bad : List.of("dstok_LEAKY\nPART", "dstok_LEAKY PART", "dstok_LEAKY\u0007")) {
            CliRunner.Result r = new CliRunner(dir).run("actor", "-i", wm.baseUrl(), "--token", bad, "-v");
            assertEquals(1, r.exitCode(), r.toString());
            assertFalse(r.err().contains("LEAKY") || r.out().contains("LEAKY"), r.toString());
        }
        CliRunner.Result env = new CliRunner(dir).env("DATASETTE_TOKEN", "dstok_LEAKY PART").run("actor", "-i", wm.baseUrl());
        assertEquals(1, env.exitCode(), env.toString());
        assertEquals("Error: The token contains spaces or control characters (or characters outside ASCII), so it cannot"
                + " be sent. It is the one in DATASETTE_TOKEN. Fix or unset DATASETTE_TOKEN.\n", env.err());
        assertFalse(env.err().contains("LEAKY"), env.err());
    }

    // ---- only the instance's origin gets the token ---------------------------------------

    @RegisterExtension
    final RecordedDatasette a = RecordedDatasette.empty();

    @RegisterExtension
    final RecordedDatasette b = RecordedDatasette.empty();

    static List<String> authHeaders(WireMockServer s, String path) {
        List<String> out = new ArrayList<>();
        for (LoggedRequest r : s.findAll(getRequestedFor(urlPathEqualTo(path)))) {
            out.add(r.containsHeader("Authorization") ? r.getHeader("Authorization") : "(none)");
        }
        return out;
    }

    @Test
    void aRedirectToAnotherOriginDropsTheToken() {
        a.stubFor(get(urlPathEqualTo("/-/actor.json"))
                .willReturn(aResponse().withStatus(302).withHeader("Location", b.baseUrl() + "/-/actor.json")));
        b.stubFor(get(urlPathEqualTo("/-/actor.json")).willReturn(okJson("{\"ok\": true, \"actor\": null}")));
        CliRunner.Result r = new CliRunner(dir).run("actor", "-i", a.baseUrl(), "--token", "dstok_ROOT", "-v");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("Bearer dstok_ROOT"), authHeaders(a, "/-/actor.json"));
        assertEquals(List.of("(none)"), authHeaders(b, "/-/actor.json"));
        assertTrue(r.err().contains("> GET " + a.baseUrl() + "/-/actor.json  (Authorization: Bearer ***)"), r.err());
        assertTrue(r.err().contains("> GET " + b.baseUrl() + "/-/actor.json\n"), r.err());
        assertFalse(r.err().contains("dstok_ROOT"), r.err());
    }

    @Test
    void aRedirectWithinTheOriginKeepsTheTokenAndComingBackRestoresIt() {
        a.stubFor(get(urlPathEqualTo("/-/actor.json"))
                .willReturn(aResponse().withStatus(302).withHeader("Location", "/moved/actor.json")));
        a.stubFor(get(urlPathEqualTo("/moved/actor.json"))
                .willReturn(aResponse().withStatus(307).withHeader("Location", b.baseUrl() + "/bounce")));
        b.stubFor(get(urlPathEqualTo("/bounce"))
                .willReturn(aResponse().withStatus(302).withHeader("Location", a.baseUrl() + "/final.json")));
        a.stubFor(get(urlPathEqualTo("/final.json")).willReturn(okJson("{\"ok\": true, \"actor\": {\"id\": \"root\"}}")));
        CliRunner.Result r = new CliRunner(dir).run("actor", "-i", a.baseUrl(), "--token", "dstok_ROOT");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("Bearer dstok_ROOT"), authHeaders(a, "/moved/actor.json"));
        assertEquals(List.of("(none)"), authHeaders(b, "/bounce"));
        assertEquals(List.of("Bearer dstok_ROOT"), authHeaders(a, "/final.json"));
    }

    @Test
    void aNextUrlOnAnotherOriginIsFetchedWithoutTheToken() {
        a.stubFor(get(urlPathEqualTo("/page2.json")).willReturn(okJson("{\"rows\": []}")));
        b.stubFor(get(urlPathEqualTo("/page2.json")).willReturn(okJson("{\"rows\": []}")));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        DatasetteClient client = new DatasetteClient(SocketTransport.fromEnv(Map.of()), a.baseUrl(), "dstok_ROOT",
                new PrintStream(log, true, StandardCharsets.UTF_8), Duration.ofSeconds(10), "prod");
        client.getJson(URI.create(b.baseUrl() + "/page2.json"));
        client.getJson(URI.create(a.baseUrl() + "/page2.json"));
        // Same host, other scheme: not the instance's origin either.
        URI otherScheme = URI.create(a.baseUrl().replace("http://", "https://") + "/page2.json");
        assertFalse(DatasetteClient.sameOrigin(otherScheme, URI.create(a.baseUrl())));
        assertEquals(List.of("(none)"), authHeaders(b, "/page2.json"));
        assertEquals(List.of("Bearer dstok_ROOT"), authHeaders(a, "/page2.json"));
        assertFalse(log.toString(StandardCharsets.UTF_8).contains("dstok_ROOT"));
    }
}
