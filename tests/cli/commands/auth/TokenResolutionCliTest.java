package io.datasette.dclient.cli.commands.auth;

import io.datasette.dclient.core.auth.AuthStore;
import io.datasette.dclient.core.auth.TokenMetadata;
import io.datasette.dclient.core.auth.TokenMetadataTest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
import io.datasette.dclient.testing.Recordings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The token resolution order through the CLI against the recorded Datasette: the recorded
 * {@code /-/actor.json} stubs match {@code Authorization: Bearer dstok_ROOT} etc. exactly (and
 * the anonymous one requires no header), so the actor that comes back proves which token was sent.
 */
class TokenResolutionCliTest {
    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.recordings();

    // One recorded token per rung, each answered with a different actor.
    static final String FLAG = "dstok_ALICE";
    static final String ALIAS = "dstok_ROOT";
    static final String PREFIX = "dstok_RESTRICTED";
    static final String ENV = "dstok_READONLY";

    static final String ROOT_JSON = """
            {
                "actor": {
                    "id": "root",
                    "token": "dstok"
                }
            }
            """;

    @TempDir
    Path dir;

    CliRunner cli() {
        return new CliRunner(dir);
    }

    /** The Authorization header of the one actor request made since the last reset (null when absent). */
    static String sentAuthorization() {
        List<LoggedRequest> requests = wm.findAll(getRequestedFor(urlPathEqualTo("/-/actor.json")));
        assertEquals(1, requests.size(), "expected exactly one /-/actor.json request");
        LoggedRequest r = requests.get(0);
        return r.containsHeader("Authorization") ? r.getHeader("Authorization") : null;
    }

    static String actorId(String token) {
        return switch (token) {
            case FLAG -> "alice";
            case ALIAS, PREFIX, ENV -> "root";
            default -> null;
        };
    }

    static Stream<Arguments> everyCombinationOfRungs() {
        return IntStream.range(0, 16).boxed().flatMap(mask -> Stream.of("auth status", "actor").map(command -> {
            List<String> names = new ArrayList<>();
            String winner = null;
            String source = "none";
            if ((mask & 8) != 0) { names.add(0, "env"); winner = ENV; source = "DATASETTE_TOKEN"; }
            if ((mask & 4) != 0) { names.add(0, "url-prefix"); winner = PREFIX; source = "URL prefix"; }
            if ((mask & 2) != 0) { names.add(0, "alias"); winner = ALIAS; source = "alias prod in auth.json"; }
            if ((mask & 1) != 0) { names.add(0, "flag"); winner = FLAG; source = "--token"; }
            return Arguments.of(command, names.isEmpty() ? "nothing" : String.join("+", names), mask, winner, source);
        }));
    }

    /** Each rung alone, each pair, each triple, all four and none: the highest present rung wins. */
    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("everyCombinationOfRungs")
    void theHighestRungPresentSuppliesTheToken(String command, String name, int mask, String winner, String source) {
        CliRunner c = cli();
        assertEquals(0, c.run("alias", "add", "prod", wm.baseUrl()).exitCode());
        new AuthStore(dir).put("unrelated", "dstok_EXPIRED");
        new AuthStore(dir).put("http://localhost:1", "dstok_xxx"); // another origin: never used
        if ((mask & 2) != 0) new AuthStore(dir).put("prod", ALIAS);
        if ((mask & 4) != 0) new AuthStore(dir).put(wm.baseUrl() + "/", PREFIX); // trailing slash still matches
        if ((mask & 8) != 0) c.env("DATASETTE_TOKEN", ENV);
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("-i", "prod"));
        if ((mask & 1) != 0) args.addAll(List.of("--token", FLAG));

        CliRunner.Result r = c.run(args.toArray(String[]::new));

        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(winner == null ? null : "Bearer " + winner, sentAuthorization());
        if (winner == null) {
            assertEquals("{\n    \"actor\": null\n}\n", r.out());
        } else {
            assertTrue(r.out().contains("\"id\": \"" + actorId(winner) + "\""), r.out());
            assertEquals(winner.equals(PREFIX), r.out().contains("\"vi\""), r.out());
            assertEquals(winner.equals(ENV), r.out().contains("view-instance"), r.out());
        }
        if (command.equals("auth status")) {
            assertTrue(r.err().contains("Token: " + (winner == null ? "none" : "from " + source)), r.err());
            assertTrue(r.err().startsWith("Instance: " + wm.baseUrl() + " (alias prod, from -i)\n"), r.err());
        }
        for (String t : List.of(FLAG, ALIAS, PREFIX, ENV, "dstok_EXPIRED", "dstok_xxx")) {
            assertFalse(r.out().contains(t) || r.err().contains(t), "token shown: " + r);
        }
    }

    @Test
    void outputMatchesTheUsersDocument() {
        CliRunner c = cli();
        c.run("alias", "add", "prod", wm.baseUrl());
        c.run("auth", "add", "prod", "--token", ALIAS);
        CliRunner.Result status = c.run("auth", "status", "-i", "prod");
        assertEquals(0, status.exitCode(), status.toString());
        assertEquals(ROOT_JSON, status.out());
        assertEquals("Instance: " + wm.baseUrl() + " (alias prod, from -i)\nToken: from alias prod in auth.json\n",
                status.err());
        CliRunner.Result actor = c.run("actor", "-i", "prod");
        assertEquals(ROOT_JSON, actor.out());
        assertEquals("", actor.err());
    }

    @Test
    void theDefaultInstancesAliasTokenIsUsedWithoutDashI() {
        CliRunner c = cli();
        c.run("alias", "add", "prod", wm.baseUrl());
        c.run("default", "instance", "prod");
        c.run("auth", "add", "prod", "--token", ALIAS);
        CliRunner.Result r = c.run("auth", "status");
        assertEquals(ROOT_JSON, r.out(), r.toString());
        assertTrue(r.err().startsWith("Instance: " + wm.baseUrl() + " (alias prod, the default instance)"), r.err());
        assertEquals("Bearer " + ALIAS, sentAuthorization());
    }

    @Test
    void datasetteUrlWithAUrlPrefixToken() {
        CliRunner c = cli().env("DATASETTE_URL", wm.baseUrl() + "/");
        c.run("auth", "add", wm.baseUrl(), "--token", PREFIX);
        CliRunner.Result r = c.run("auth", "status");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("(from DATASETTE_URL)") && r.err().contains("Token: from URL prefix " + wm.baseUrl()),
                r.err());
        assertEquals("Bearer " + PREFIX, sentAuthorization());
    }

    // ---- Python dclient's alias bug -----------------------------------------------------

    @ParameterizedTest(name = "-i {0}")
    @ValueSource(strings = {"first", "second"})
    void theTokenUnderTheNamedAliasIsUsedWhenAnotherAliasSharesTheUrl(String which) {
        CliRunner c = cli();
        c.run("alias", "add", "first", wm.baseUrl());
        c.run("alias", "add", "second", wm.baseUrl() + "/");
        c.run("auth", "add", "first", "--token", FLAG);
        c.run("auth", "add", "second", "--token", ALIAS);
        c.run("auth", "add", wm.baseUrl(), "--token", PREFIX);
        CliRunner.Result r = c.run("actor", "-i", which);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("Bearer " + (which.equals("first") ? FLAG : ALIAS), sentAuthorization());
    }

    @Test
    void aTokenStoredOnlyUnderTheSecondAliasIsFoundWithDashISecond() {
        // Python dclient reverse-looked-up "first" by URL and never found it.
        CliRunner c = cli();
        c.run("alias", "add", "first", wm.baseUrl());
        c.run("alias", "add", "second", wm.baseUrl());
        c.run("auth", "add", "second", "--token", ALIAS);
        CliRunner.Result r = c.run("auth", "status", "-i", "second");
        assertEquals(ROOT_JSON, r.out(), r.toString());
        assertTrue(r.err().contains("Token: from alias second in auth.json"), r.err());
    }

    @Test
    void noTokenMeansNoAuthorizationHeader() {
        CliRunner c = cli();
        c.run("auth", "add", "http://localhost:9", "--token", ALIAS); // other origin
        c.run("auth", "add", "elsewhere", "--token", ALIAS);
        CliRunner.Result r = c.run("actor", "-i", wm.baseUrl());
        assertEquals("{\n    \"actor\": null\n}\n", r.out(), r.toString());
        assertNull(sentAuthorization());
        CliRunner.Result empty = c.run("actor", "-i", wm.baseUrl(), "--token", "");
        assertEquals("{\n    \"actor\": null\n}\n", empty.out(), empty.toString());
    }

    // ---- rejected tokens ----------------------------------------------------------------

    static Stream<Arguments> rejectedTokens() {
        return Stream.of(
                Arguments.of("alias", "dstok_EXPIRED", "Token has expired",
                        "The token sent was the one stored for alias prod in auth.json; it has expired. Get a new one:"
                                + " dclient login prod, or store one: dclient auth add prod"),
                Arguments.of("url-prefix", "dstok_EXPIRED", "Token has expired",
                        "The token sent was the one stored for URL prefix %URL% in auth.json; it has expired. Get a new"
                                + " one: dclient login prod, or store one: dclient auth add %URL%"),
                Arguments.of("flag", "dstok_xxx", "Invalid token signature",
                        "The token sent was the one given with --token; the server did not accept it. Pass a valid token"
                                + " to --token (get one: dclient login prod --token-only), or leave --token out to use a"
                                + " stored token."),
                Arguments.of("env", "dstok_xxx", "Invalid token signature",
                        "The token sent was the one in DATASETTE_TOKEN; the server did not accept it. Set"
                                + " DATASETTE_TOKEN to a valid token (get one: dclient login prod --token-only), or unset"
                                + " it to use a stored token."));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("rejectedTokens")
    void aRejectedTokenExitsNonZeroWithTheServersMessageAndWhatToDo(String rung, String token, String message, String advice) {
        for (String command : List.of("auth status", "actor")) {
            wm.resetRequests();
            CliRunner c = cli();
            c.run("alias", "add", "prod", wm.baseUrl());
            new AuthStore(dir).update(m -> { m.clear(); return null; });
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.addAll(List.of("-i", "prod"));
            switch (rung) {
                case "alias" -> new AuthStore(dir).put("prod", token);
                case "url-prefix" -> new AuthStore(dir).put(wm.baseUrl(), token);
                case "flag" -> args.addAll(List.of("--token", token));
                default -> c.env("DATASETTE_TOKEN", token);
            }
            CliRunner.Result r = c.run(args.toArray(String[]::new));
            assertEquals(1, r.exitCode(), r.toString());
            assertEquals("", r.out());
            String expected = "Error: " + message + " (HTTP 401 from " + wm.baseUrl() + "). "
                    + advice.replace("%URL%", wm.baseUrl()) + "\n";
            assertTrue(r.err().endsWith(expected), "expected\n" + expected + "in\n" + r.err());
            assertEquals("Bearer " + token, sentAuthorization());
            assertFalse(r.err().contains(token), r.err());
        }
    }

    @Test
    void a403WithoutATokenSaysToAddOne() {
        WireMockServer server = Recordings.startEmpty();
        try {
            server.stubFor(get(urlPathEqualTo("/-/actor.json")).willReturn(aResponse().withStatus(403)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"ok\": false, \"error\": \"Permission denied\", \"status\": 403}")));
            CliRunner.Result r = cli().run("auth", "status", "-i", server.baseUrl());
            assertEquals(1, r.exitCode(), r.toString());
            assertTrue(r.err().endsWith("Error: Permission denied (HTTP 403 from " + server.baseUrl() + "). No token was sent."
                    + " Add one: dclient login " + server.baseUrl() + ", or dclient auth add " + server.baseUrl() + "\n"), r.err());
        } finally {
            server.stop();
        }
    }

    // ---- expiry -------------------------------------------------------------------------

    static final long DEVICE_EXPIRES = 1795814470L; // token_expires in the recorded device-flow actor

    /**
     * {@code dstok_DEVICE} does not decode, so its lifetime is unknown: only the last 5 minutes
     * (or past expiry) warn. {@code auth status} says it in one line; {@code actor} only warns.
     */
    static Stream<Arguments> expiryCases() {
        String warnSoon = "Warning: the token expires in 4 minutes (2026-11-27 21:21 UTC). Get a new one: dclient login prod";
        String warnPast = "Warning: by this computer's clock the token expired 2 hours ago (2026-11-27 21:21 UTC)."
                + " Get a new one: dclient login prod";
        return Stream.of(
                Arguments.of(DEVICE_EXPIRES - 3 * 86400, "Token expires 2026-11-27 21:21 UTC (in 3 days)", null),
                Arguments.of(DEVICE_EXPIRES - 3600, "Token expires 2026-11-27 21:21 UTC (in 1 hour)", null),
                Arguments.of(DEVICE_EXPIRES - 240, warnSoon, warnSoon),
                Arguments.of(DEVICE_EXPIRES + 7200, warnPast, warnPast));
    }

    @ParameterizedTest(name = "now = {0}")
    @MethodSource("expiryCases")
    void statusReportsTheServersExpiryOnceAndWarnsWhenItIsClose(long now, String line, String warning) {
        CliRunner c = cli().clock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC));
        c.run("alias", "add", "prod", wm.baseUrl());
        c.run("auth", "add", "prod", "--token", "dstok_DEVICE");
        CliRunner.Result r = c.run("auth", "status", "-i", "prod");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("\"token_expires\": 1795814470"), r.out());
        assertTrue(r.err().endsWith("\n" + line + "\n"), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.contains("2026-11-27 21:21 UTC")).count(), r.err());
        CliRunner.Result actor = c.run("actor", "-i", "prod");
        assertEquals(warning == null ? "" : warning + "\n", actor.err());
    }

    /**
     * A fresh datasette-oauth token lives one hour: its expiry is shown once, without a warning,
     * until less than 10% of its lifetime (6 minutes) is left.
     */
    @ParameterizedTest(name = "issued {0} s ago")
    @ValueSource(longs = {60, 3300})
    void aOneHourTokenIsOnlyWarnedAboutInItsLastTenPercent(long age) {
        long now = 1_800_000_000L;
        String token = TokenMetadataTest.dstok("{\"a\":\"root\",\"t\":" + (now - age) + ",\"d\":3600}");
        WireMockServer server = Recordings.startEmpty();
        try {
            server.stubFor(get(urlPathEqualTo("/-/actor.json")).willReturn(okJson("{\"ok\": true, \"actor\": {\"id\":"
                    + " \"root\", \"token\": \"dstok\", \"token_expires\": " + (now - age + 3600) + "}}")));
            CliRunner c = cli().clock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC));
            c.run("alias", "add", "prod", server.baseUrl());
            c.run("auth", "add", "prod", "--token", token);
            CliRunner.Result r = c.run("auth", "status", "-i", "prod");
            assertEquals(0, r.exitCode(), r.toString());
            String expected = age == 60 ? "\nToken expires 2027-01-15 08:59 UTC (in 59 minutes)\n"
                    : "\nWarning: the token expires in 5 minutes (2027-01-15 08:05 UTC). Get a new one: dclient login prod\n";
            assertTrue(r.err().endsWith(expected), r.err());
            assertEquals(1, r.err().lines().filter(l -> l.contains("expires")).count(), r.err());
        } finally {
            server.stop();
        }
    }

    @Test
    void expiryAndLifetimeFromTheSidecarWhenTheServerDoesNotSay() {
        long now = 1_800_000_000L;
        CliRunner c = cli().clock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC));
        c.run("alias", "add", "prod", wm.baseUrl());
        c.run("auth", "add", "prod", "--token", ALIAS);
        // No lifetime recorded: 10 minutes left is no reason to warn.
        new TokenMetadata(dir, null).put("prod", ALIAS, now + 600);
        CliRunner.Result r = c.run("auth", "status", "-i", "prod");
        assertEquals(ROOT_JSON, r.out(), r.toString());
        assertTrue(r.err().endsWith("\nToken expires 2027-01-15 08:10 UTC (in 10 minutes)\n"), r.err());
        // Issued 24 hours before it expires (as login records it): 10 minutes is under 10% of that.
        new TokenMetadata(dir, null).put("prod", ALIAS, now + 600, now + 600 - 86400);
        r = c.run("auth", "status", "-i", "prod");
        assertTrue(r.err().endsWith("\nWarning: the token expires in 10 minutes (2027-01-15 08:10 UTC)."
                + " Get a new one: dclient login prod\n"), r.err());
    }

    @Test
    void expiryDecodedFromADstokTokenPassedWithDashDashToken() {
        long now = 1_800_000_000L;
        String token = TokenMetadataTest.dstok("{\"a\":\"root\",\"t\":" + now + ",\"d\":7200}");
        WireMockServer server = Recordings.startEmpty();
        try {
            server.stubFor(get(urlPathEqualTo("/-/actor.json"))
                    .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + token))
                    .willReturn(okJson("{\"ok\": true, \"actor\": {\"id\": \"root\", \"token\": \"dstok\"}}")));
            CliRunner.Result r = cli().clock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC))
                    .run("auth", "status", "-i", server.baseUrl(), "--token", token);
            assertEquals(ROOT_JSON, r.out(), r.toString());
            assertTrue(r.err().endsWith("\nToken expires 2027-01-15 10:00 UTC (in 2 hours)\n"), r.err());
            assertFalse(r.err().contains("Warning"), r.err());
            assertFalse(r.err().contains(token.substring(6, 20)), r.err());
        } finally {
            server.stop();
        }
    }

    @Test
    void statusWarnsWhenTheServerIgnoresTheToken() {
        WireMockServer server = Recordings.startEmpty();
        try {
            server.stubFor(get(urlPathEqualTo("/-/actor.json")).willReturn(okJson("{\"ok\": true, \"actor\": null}")));
            CliRunner.Result r = cli().run("auth", "status", "-i", server.baseUrl(), "--token", "not-a-datasette-token");
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.err().contains("Warning: the server answered as if no token was sent"), r.err());
            assertFalse(r.err().contains("not-a-datasette-token"), r.err());
        } finally {
            server.stop();
        }
    }
}
