package io.datasette.dclient.cli.commands.login;

import io.datasette.dclient.testing.FakeTime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.datasette.dclient.core.io.Terminal;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
import io.datasette.dclient.testing.Recordings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code dclient login} end to end against the recorded datasette-oauth exchanges. */
class LoginCommandTest {
    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.recordings();
    static String url;

    static final String SCOPED = "[[\"view-instance\"],[\"view-table\",\"fixtures\",\"dogs\"]]";
    static final String DENIED = "[[\"view-instance\"]]";
    static final String EXPIRED = "[[\"view-instance\"],[\"view-database\",\"fixtures\"]]";

    @TempDir
    Path dir;

    FakeTime.FakeClock clock;
    FakeTime.RecordingSleeper sleeper;
    final List<String> opened = new ArrayList<>();

    @BeforeAll
    static void url() {
        url = wm.baseUrl();
    }

    @BeforeEach
    void reset() {
        clock = new FakeTime.FakeClock();
        sleeper = new FakeTime.RecordingSleeper(clock);
    }

    CliRunner runner() {
        return new CliRunner(dir).clock(clock).sleeper(sleeper).browser(u -> opened.add(u));
    }

    CliRunner.Result login(String... args) {
        List<String> all = new ArrayList<>(List.of("login"));
        all.addAll(List.of(args));
        return runner().run(all.toArray(String[]::new));
    }

    JsonNode json(String file) throws Exception {
        return Json.parse(Files.readString(dir.resolve(file)));
    }

    void assertNothingSaved() {
        for (String f : List.of("auth.json", "config.json", "auth-meta.json")) {
            assertFalse(Files.exists(dir.resolve(f)), f + " must not be written");
        }
    }

    static void assertNoTokenIn(CliRunner.Result r) {
        assertFalse(r.err().contains("dstok_"), "stderr must never show a token:\n" + r.err());
    }

    @Test
    void urlLoginSavesTheTokenUnderTheUrlAndSetsDefaults() throws Exception {
        CliRunner.Result r = login(url);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.out());
        String verify = url + "/-/oauth/device/verify";
        assertEquals("""

                Open this URL in your browser:

                    %1$s

                Enter this code: ZFP4-A8BV

                Or open this link, which fills in the code for you:

                    %1$s?code=ZFP4-A8BV

                Opened the link in your browser.
                Waiting for authorization (the code expires in 15 minutes; Ctrl-C to cancel)...
                Login successful. Token saved for %2$s
                The token expires in 1 hour, at 2025-01-01 13:00 UTC.
                Set default instance to %2$s
                Set default database to fixtures
                """.formatted(verify, url), r.err());
        assertEquals(List.of(verify + "?code=ZFP4-A8BV"), opened);
        // Python-compatible auth.json, owner-only.
        assertEquals("{\n    \"" + url + "\": \"dstok_DEVICE\"\n}", Files.readString(dir.resolve("auth.json")));
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("auth.json"))));
        }
        // Two polls, each after waiting the 5 s interval.
        assertEquals(List.of(5L, 5L), sleeper.seconds());
        // No scope asked: the device request has no body fields at all.
        LoggedRequest device = wm.findAll(postRequestedFor(urlPathEqualTo("/-/oauth/device"))).get(0);
        assertEquals("", device.getBodyAsString());
        // Expiry: the clock read after approval (start + 10 s) plus expires_in 3600.
        assertEquals(FakeTime.START.getEpochSecond() + 10 + 3600,
                json("auth-meta.json").path(url).path("expires_at").asLong());
        // ...and when it was issued, so that auth status knows it lives one hour (no warning yet).
        assertEquals(FakeTime.START.getEpochSecond() + 10, json("auth-meta.json").path(url).path("issued_at").asLong());
        JsonNode config = json("config.json");
        assertEquals(url, config.path("default_instance").asText());
        assertEquals(url, config.path("instances").path(url).path("url").asText());
        assertEquals("fixtures", config.path("instances").path(url).path("default_database").asText());
        wm.verify(getRequestedFor(urlPathEqualTo("/.json")).withHeader("Authorization", equalTo("Bearer dstok_DEVICE")));
        assertNoTokenIn(r);
    }

    @Test
    void theSavedTokenIsUsedByLaterCommands() throws Exception {
        assertEquals(0, login(url, "--no-browser").exitCode());
        CliRunner.Result actor = runner().run("actor");
        assertEquals(0, actor.exitCode(), actor.toString());
        assertTrue(actor.out().contains("\"id\": \"root\""), actor.toString());
        wm.verify(getRequestedFor(urlPathEqualTo("/-/actor.json")).withHeader("Authorization", equalTo("Bearer dstok_DEVICE")));
    }

    @Test
    void aliasLoginSavesTheTokenUnderTheAlias() throws Exception {
        assertEquals(0, runner().run("alias", "add", "dev", url).exitCode());
        CliRunner.Result r = login("dev", "--no-browser");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("Login successful. Token saved for dev\n"), r.err());
        assertTrue(r.err().contains("Set default instance to dev\nSet default database to fixtures\n"), r.err());
        assertEquals("{\n    \"dev\": \"dstok_DEVICE\"\n}", Files.readString(dir.resolve("auth.json")));
        JsonNode config = json("config.json");
        assertEquals("dev", config.path("default_instance").asText());
        assertEquals("fixtures", config.path("instances").path("dev").path("default_database").asText());
        assertEquals(1, config.path("instances").size(), "no URL-keyed entry next to the alias");
        assertTrue(json("auth-meta.json").has("dev"));
    }

    @Test
    void aUrlWithATrailingSlashIsTheKeyAndReplacesTheSameUrlWithoutIt() throws Exception {
        Files.writeString(dir.resolve("auth.json"), "{\n    \"" + url + "\": \"dstok_OLD\",\n    \"other\": \"dstok_X\"\n}");
        CliRunner.Result r = login(url + "/", "--no-browser");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("{\n    \"other\": \"dstok_X\",\n    \"" + url + "/\": \"dstok_DEVICE\"\n}",
                Files.readString(dir.resolve("auth.json")));
        JsonNode config = json("config.json");
        assertEquals(url + "/", config.path("default_instance").asText());
        assertEquals(url, config.path("instances").path(url + "/").path("url").asText(), "stored url is stripped");
    }

    @Test
    void scopedLoginSendsTheScopeOnceAndSavesTheScopedToken() throws Exception {
        // A duplicated entry is sent once: the recorded stub matches the two-entry list only.
        CliRunner.Result r = login(url, "--no-browser", "--scope",
                "[[\"view-instance\"],[\"view-table\",\"fixtures\",\"dogs\"],[\"view-instance\"]]");
        assertEquals(0, r.exitCode(), r.toString());
        LoggedRequest device = wm.findAll(postRequestedFor(urlPathEqualTo("/-/oauth/device"))).get(0);
        assertEquals("[[\"view-instance\"], [\"view-table\", \"fixtures\", \"dogs\"]]",
                device.formParameters().get("scope").firstValue());
        assertEquals("dstok_DEVICE_SCOPED", json("auth.json").path(url).asText());
        assertNoTokenIn(r);
    }

    @Test
    void deniedSavesNothing() {
        CliRunner.Result r = login(url, "--no-browser", "--scope", DENIED);
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().endsWith("\nError: Authorization denied. If that was a mistake, run dclient login " + url
                + " --scope '" + DENIED + "' again.\n"), r.err());
        assertEquals("", r.out());
        assertNothingSaved();
        assertEquals(List.of(5L, 5L), sleeper.seconds());
    }

    @Test
    void expiredSaysToRunLoginAgain() {
        CliRunner.Result r = login(url, "--no-browser", "--scope", EXPIRED, "--token-only");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().endsWith("\nError: The code expired before it was approved. Run dclient login " + url
                + " --scope '" + EXPIRED + "' --token-only again.\n"), r.err());
        assertEquals("", r.out());
        assertNothingSaved();
    }

    @Test
    void invalidGrantSaysTheSessionIsNoLongerValid() {
        wm.setScenarioState("device-flow:token-polling", "token-issued");
        CliRunner.Result r = login(url, "--no-browser");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().endsWith("\nError: The login session is no longer valid (the server answered invalid_grant)."
                + " Run dclient login " + url + " again.\n"), r.err());
        assertNothingSaved();
        assertEquals(List.of(5L), sleeper.seconds());
    }

    @Test
    void tokenOnlyPrintsExactlyTheTokenAndSavesNothing() {
        CliRunner.Result r = login(url, "--token-only");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("dstok_DEVICE\n", r.out());
        assertTrue(r.err().contains("Login successful. The token was printed, not saved.\n"
                + "The token expires in 1 hour, at 2025-01-01 13:00 UTC.\n"), r.err());
        assertNoTokenIn(r);
        assertNothingSaved();
        wm.verify(0, getRequestedFor(urlPathEqualTo("/.json")));
    }

    @Test
    void withoutAnArgumentItAsksForTheInstanceOnStderr() throws Exception {
        CliRunner.Result r = runner().stdin(url + "\n").run("login", "--no-browser");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Instance URL or alias: \n"), r.err());
        assertEquals("", r.out());
        assertEquals("dstok_DEVICE", json("auth.json").path(url).asText());
    }

    @Test
    void onATerminalThePromptExplainsAndDotsShowProgress() {
        Terminal tty = new Terminal() {
            @Override
            public boolean stdinIsTerminal() {
                return true;
            }

            @Override
            public boolean stderrIsTerminal() {
                return true;
            }

            @Override
            public String readSecret(String prompt) {
                return null;
            }
        };
        CliRunner.Result r = runner().terminal(tty).stdin("  " + url + "  \n").run("login", "--no-browser");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Enter the URL of your Datasette instance, or an alias you have\n"
                + "already configured with 'dclient alias add'.\n\nInstance URL or alias: \n"), r.err());
        // The message's "...", then one dot per poll (two polls), then a line break before the result.
        assertTrue(r.err().contains("Ctrl-C to cancel)" + "..." + ".." + "\nLogin successful."), r.err());
    }

    @Test
    void anEmptyAnswerToThePromptIsAnError() {
        CliRunner.Result r = runner().stdin("\n").run("login");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().endsWith("Error: No instance given. Run: dclient login <url-or-alias>\n"), r.err());
        assertEquals(0, wm.getAllServeEvents().size());
    }

    @Test
    void anUnknownAliasFailsBeforeAnyRequest() {
        CliRunner.Result r = login("nope");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: Unknown instance: nope. Use a URL, or add the alias: dclient alias add nope <url>\n", r.err());
        assertEquals(0, wm.getAllServeEvents().size());
    }

    @Test
    void aCorruptAuthFileStopsTheLoginBeforeAnyRequest() throws Exception {
        Files.writeString(dir.resolve("auth.json"), "{not json");
        CliRunner.Result r = login(url);
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: Cannot use " + dir.resolve("auth.json")), r.err());
        assertEquals(0, wm.getAllServeEvents().size());
        assertEquals("{not json", Files.readString(dir.resolve("auth.json")));
    }

    @Test
    void noBrowserFlagAndVariableSkipTheBrowser() {
        assertEquals(0, login(url, "--no-browser").exitCode());
        assertEquals(List.of(), opened);
        wm.resetScenarios();
        CliRunner.Result r = runner().env("DCLIENT_NO_BROWSER", "1").run("login", url, "--token-only");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of(), opened);
        assertFalse(r.err().contains("Opened the link"), r.err());
    }

    @Test
    void aBrowserThatFailsOrThrowsDoesNotStopTheLogin() {
        CliRunner.Result r = runner().browser(u -> {
            throw new IllegalStateException("no display");
        }).run("login", url, "--token-only");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("dstok_DEVICE\n", r.out());
        assertFalse(r.err().contains("Opened the link"), r.err());
    }

    @Test
    void ctrlCWhileWaitingSavesNothingAndExits130() {
        sleeper.interruptOn(2);
        CliRunner.Result r = login(url, "--no-browser");
        assertEquals(130, r.exitCode(), r.toString());
        assertTrue(r.err().endsWith("\nError: Login cancelled; nothing was saved.\n"), r.err());
        assertEquals("", r.out());
        assertNothingSaved();
        wm.verify(1, postRequestedFor(urlPathEqualTo("/-/oauth/token")));
    }

    @Test
    void existingDefaultsAreNotOverridden() throws Exception {
        String before = "{\n    \"default_instance\": \"prod\",\n    \"instances\": {\n        \"prod\": {\n"
                + "            \"url\": \"https://prod.example.com\",\n            \"default_database\": \"main\"\n"
                + "        }\n    }\n}";
        Files.writeString(dir.resolve("config.json"), before);
        CliRunner.Result r = login(url, "--no-browser");
        assertEquals(0, r.exitCode(), r.toString());
        assertFalse(r.err().contains("Set default"), r.err());
        assertEquals(before, Files.readString(dir.resolve("config.json")));
        wm.verify(0, getRequestedFor(urlPathEqualTo("/.json")));
    }

    @Test
    void aDefaultInstanceWithoutADatabaseElsewhereIsLeftAlone() throws Exception {
        // Python dclient would write the database onto the logged-in instance here (its bug 16).
        String before = "{\n    \"default_instance\": \"prod\",\n    \"instances\": {\n        \"prod\": {\n"
                + "            \"url\": \"https://prod.example.com\",\n            \"default_database\": null\n"
                + "        },\n        \"dev\": {\n            \"url\": \"" + url + "\",\n"
                + "            \"default_database\": null\n        }\n    }\n}";
        Files.writeString(dir.resolve("config.json"), before);
        CliRunner.Result r = login("dev", "--no-browser");
        assertEquals(0, r.exitCode(), r.toString());
        assertFalse(r.err().contains("Set default"), r.err());
        assertEquals(before, Files.readString(dir.resolve("config.json")));
    }

    @Test
    void theDefaultInstanceGetsADatabaseWhenItIsTheOneLoggedInto() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"default_instance\": \"dev\", \"instances\": {\"dev\": {\"url\": \""
                + url + "/\", \"default_database\": null}, \"prod\": {\"url\": \"https://p\", \"default_database\": null}}}");
        CliRunner.Result r = login(url, "--no-browser");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().endsWith("Set default database to fixtures\n"), r.err());
        assertFalse(r.err().contains("Set default instance"), r.err());
        JsonNode config = json("config.json");
        assertEquals("dev", config.path("default_instance").asText());
        assertEquals("fixtures", config.path("instances").path("dev").path("default_database").asText());
        assertTrue(config.path("instances").path("prod").path("default_database").isNull());
        assertEquals(2, config.path("instances").size());
    }

    @Test
    void aDefaultInstanceWithADatabaseIsKeptWhileTheInstanceDefaultIsSet() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"default_instance\": null, \"instances\": {\"dev\": {\"url\": \""
                + url + "\", \"default_database\": \"other\"}}}");
        CliRunner.Result r = login("dev", "--no-browser");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().endsWith("Set default instance to dev\n"), r.err());
        assertEquals("other", json("config.json").path("instances").path("dev").path("default_database").asText());
        wm.verify(0, getRequestedFor(urlPathEqualTo("/.json")));
    }

    /** Stubs a whole successful flow on an empty server; {@code tokenJson} is the token answer. */
    static WireMockServer ownServer(String tokenJson) {
        WireMockServer own = Recordings.startEmpty();
        own.stubFor(post(urlPathEqualTo("/-/oauth/device")).willReturn(okJson("{\"device_code\": \"dc1\","
                + " \"user_code\": \"BCDF-GHJK\", \"verification_uri\": \"" + own.baseUrl() + "/-/oauth/device/verify\","
                + " \"expires_in\": 900, \"interval\": 5}")));
        own.stubFor(post(urlPathEqualTo("/-/oauth/token")).willReturn(okJson(tokenJson)));
        return own;
    }

    @Test
    void aFailingInstanceListingOnlyMeansNoDefaultDatabase() throws Exception {
        WireMockServer own = ownServer("{\"access_token\": \"dstok_NEW\", \"token_type\": \"bearer\", \"expires_in\": 900}");
        try {
            own.stubFor(get(urlPathEqualTo("/.json")).willReturn(aResponse().withStatus(403)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"ok\": false, \"error\": \"Permission denied\", \"status\": 403}")));
            CliRunner.Result r = login(own.baseUrl(), "--no-browser");
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.err().contains("The token expires in 15 minutes, at 2025-01-01 12:15 UTC.\n"), r.err());
            assertTrue(r.err().contains("Could not choose a default database (Permission denied (HTTP 403))."
                    + " Set one with: dclient default database " + own.baseUrl() + " <database>\n"), r.err());
            assertTrue(r.err().endsWith("Set default instance to " + own.baseUrl() + "\n"), r.err());
            JsonNode config = json("config.json");
            assertEquals(own.baseUrl(), config.path("default_instance").asText());
            assertTrue(config.path("instances").path(own.baseUrl()).path("default_database").isNull());
        } finally {
            own.stop();
        }
    }

    /** A token limited to databases cannot list the instance: the real server answers 403 for /.json. */
    static void forbidInstanceListing(WireMockServer own) {
        own.stubFor(get(urlPathEqualTo("/.json")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": false, \"error\": \"Permission denied: view-instance\", \"status\": 403}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--read fixtures", "--write fixtures/dogs", "--read fixtures/dogs --write fixtures"})
    void aTokenLimitedToOneDatabaseMakesItTheDefaultWithoutListingTheInstance(String options) throws Exception {
        WireMockServer own = ownServer("{\"access_token\": \"dstok_NEW\", \"token_type\": \"bearer\", \"expires_in\": 3600}");
        try {
            forbidInstanceListing(own);
            List<String> args = new ArrayList<>(List.of(own.baseUrl(), "--no-browser"));
            args.addAll(List.of(options.split(" ")));
            CliRunner.Result r = login(args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), r.toString());
            assertFalse(r.err().contains("Could not choose"), r.err());
            assertTrue(r.err().endsWith("Set default instance to " + own.baseUrl() + "\nSet default database to fixtures\n"),
                    r.err());
            assertEquals("fixtures", json("config.json").path("instances").path(own.baseUrl()).path("default_database")
                    .asText());
            own.verify(0, getRequestedFor(urlPathEqualTo("/.json")));
        } finally {
            own.stop();
        }
    }

    @Test
    void aTokenLimitedToSeveralDatabasesNamesThemAndHowToPickOne() throws Exception {
        WireMockServer own = ownServer("{\"access_token\": \"dstok_NEW\", \"token_type\": \"bearer\", \"expires_in\": 3600}");
        try {
            forbidInstanceListing(own);
            runner().run("alias", "add", "my prod", own.baseUrl());
            CliRunner.Result r = login("my prod", "--no-browser", "--read", "fixtures", "--write", "other db/notes");
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.err().endsWith("No default database set: the token is limited to the databases fixtures,"
                    + " 'other db'. Pick one with: dclient default database 'my prod' <database>\n"
                    + "Set default instance to my prod\n"), r.err());
            JsonNode config = json("config.json");
            assertEquals("my prod", config.path("default_instance").asText());
            assertTrue(config.path("instances").path("my prod").path("default_database").isNull(), config.toString());
            own.verify(0, getRequestedFor(urlPathEqualTo("/.json")));
        } finally {
            own.stop();
        }
    }

    /** A token that could not go into a header as is (a header injection, here) is refused, not stored. */
    @ParameterizedTest
    @ValueSource(strings = {"dstok_a b\\r\\nX-Evil: 1", "dstok_caf\\u00e9", "dstok_\\u2026", "   "})
    void aTokenThatCannotBeSentIsRefusedAndNothingIsSaved(String token) throws Exception {
        WireMockServer own = ownServer("{\"access_token\": \"" + token + "\", \"expires_in\": 3600}");
        try {
            CliRunner.Result r = login(own.baseUrl(), "--no-browser");
            assertEquals(1, r.exitCode(), r.toString());
            assertTrue(r.err().contains("answered with a token that cannot be used"), r.err());
            assertFalse(r.err().contains("Login successful"), r.err());
            assertFalse(r.err().contains("X-Evil") || r.err().contains("caf"), "the token is never shown: " + r.err());
            assertNothingSaved();
        } finally {
            own.stop();
        }
    }

    @Test
    void aDatabaseNamedDataIsPreferredAmongSeveral() throws Exception {
        WireMockServer own = ownServer("{\"access_token\": \"dstok_NEW\", \"token_type\": \"bearer\"}");
        try {
            own.stubFor(get(urlPathEqualTo("/.json")).willReturn(okJson(
                    "{\"fixtures\": {\"name\": \"fixtures\"}, \"data\": {\"name\": \"data\"}}")));
            CliRunner.Result r = login(own.baseUrl(), "--no-browser");
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.err().endsWith("Set default database to data\n"), r.err());
            // No expires_in from the server: no expiry line and no metadata entry.
            assertFalse(r.err().contains("The token expires"), r.err());
            assertFalse(Files.exists(dir.resolve("auth-meta.json")) && json("auth-meta.json").has(own.baseUrl()));
        } finally {
            own.stop();
        }
    }

    @Test
    void aNetworkErrorWhilePollingIsRetriedAndSaidOnStderr() throws Exception {
        WireMockServer own = ownServer("{\"access_token\": \"dstok_NEW\", \"expires_in\": 3600}");
        try {
            own.stubFor(post(urlPathEqualTo("/-/oauth/token")).inScenario("net").whenScenarioStateIs(STARTED)
                    .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("ok"));
            own.stubFor(post(urlPathEqualTo("/-/oauth/token")).inScenario("net").whenScenarioStateIs("ok")
                    .willReturn(okJson("{\"access_token\": \"dstok_NEW\", \"expires_in\": 3600}")));
            CliRunner.Result r = login(own.baseUrl(), "--no-browser", "--token-only");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("dstok_NEW\n", r.out());
            assertTrue(r.err().contains(" Retrying in 10 s.\nLogin successful."), r.err());
            assertEquals(List.of(5L, 10L), sleeper.seconds());
        } finally {
            own.stop();
        }
    }

    @Test
    void anUnreachableInstanceFailsWithOneLine() {
        CliRunner.Result r = login("http://127.0.0.1:1", "--no-browser");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: Could not connect to http://127.0.0.1:1"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertNothingSaved();
    }

    @ParameterizedTest
    @ValueSource(ints = {403, 404})
    void aServerWithoutDeviceFlowSaysWhatIsNeeded(int status) {
        WireMockServer own = Recordings.startEmpty();
        try {
            own.stubFor(post(urlPathEqualTo("/-/oauth/device")).willReturn(aResponse().withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(status == 403 ? "{\"error\": \"Device flow is not enabled\"}" : "{\"ok\": false}")));
            CliRunner.Result r = login(own.baseUrl());
            assertEquals(1, r.exitCode(), r.toString());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("Error: "), r.err());
            assertTrue(r.err().contains("needs the datasette-oauth plugin with enable_device_flow: true"), r.err());
            assertTrue(r.err().contains("dclient auth add " + own.baseUrl()), r.err());
            assertNothingSaved();
        } finally {
            own.stop();
        }
    }

    @Test
    void rerunCommandQuotesForTheShell() {
        var inv = io.datasette.dclient.cli.Invocation.of("login", java.util.Map.of(
                "scope", "[[\"a\"]]", "read", List.of("db1", "it's"), "write-all", true));
        assertEquals("dclient login prod --scope '[[\"a\"]]' --write-all --read db1 --read 'it'\\''s'",
                LoginHandler.rerunCommand("prod", inv));
    }

    @Test
    void humanDurations() {
        assertEquals("15 minutes", io.datasette.dclient.core.text.Durations.exact(java.time.Duration.ofSeconds(900)));
        assertEquals("1 hour", io.datasette.dclient.core.text.Durations.exact(java.time.Duration.ofSeconds(3600)));
        assertEquals("8 hours", io.datasette.dclient.core.text.Durations.exact(java.time.Duration.ofSeconds(28800)));
        assertEquals("1 day", io.datasette.dclient.core.text.Durations.exact(java.time.Duration.ofSeconds(86400)));
        assertEquals("30 days", io.datasette.dclient.core.text.Durations.exact(java.time.Duration.ofSeconds(2592000)));
        assertEquals("about 2 minutes", io.datasette.dclient.core.text.Durations.exact(java.time.Duration.ofSeconds(100)));
        assertEquals("45 seconds", io.datasette.dclient.core.text.Durations.exact(java.time.Duration.ofSeconds(45)));
    }

    @Test
    void serverTextIsShownWithoutControlCharacters() {
        assertEquals("http://x/verify", LoginHandler.printable("http://x/\u001b[31mverify\r\n"));
        assertEquals("ABCD-EFGH", LoginHandler.printable("ABCD-EFGH"));
        // a right-to-left override would show "http://evil/moc.elgoog" as "http://evil/google.com"
        assertEquals("http://evil/\\u202emoc.elgoog", LoginHandler.printable("http://evil/\u202emoc.elgoog"));
        assertEquals("ABCD-\\u2066EFGH\\u2069", LoginHandler.printable("ABCD-\u2066EFGH\u2069"));
    }
}
