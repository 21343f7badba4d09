package io.datasette.dclient.cli.commands.login;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.FakeKeyring;
import io.datasette.dclient.testing.FakeTime;
import io.datasette.dclient.testing.RecordedDatasette;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code login --keyring} against the recorded device flow, with a fake {@code secret-tool}. */
class LoginKeyringTest {
    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.recordings();

    @TempDir
    Path dir;
    @TempDir
    Path tools;
    FakeKeyring keyring;

    @BeforeEach
    void fakes() {
        keyring = FakeKeyring.in(tools);
    }

    CliRunner runner() {
        FakeTime.FakeClock clock = new FakeTime.FakeClock();
        return keyring.configure(new CliRunner(dir)).clock(clock).sleeper(new FakeTime.RecordingSleeper(clock));
    }

    @Test
    void theTokenGoesToTheKeyringAndLaterCommandsUseIt() throws Exception {
        CliRunner.Result r = runner().run("login", wm.baseUrl(), "--no-browser", "--keyring");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("Login successful. Token saved for " + wm.baseUrl()
                + " in the Secret Service keyring (secret-tool)\n"), r.err());
        assertEquals("dstok_DEVICE", keyring.item(wm.baseUrl()));
        assertFalse(Files.exists(dir.resolve("auth.json")));
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f).contains("dstok_DEVICE"), f + " holds the token");
            }
        }
        // The expiry is noted as for a file token, so auth list and status can tell it.
        assertTrue(Json.parse(Files.readString(dir.resolve("auth-meta.json"))).path(wm.baseUrl()).has("expires_at"));
        assertTrue(runner().run("auth", "list").out().contains(", in the keyring, expires 2025-01-01 13:00 UTC"));

        CliRunner.Result actor = runner().run("actor");
        assertEquals(0, actor.exitCode(), actor.toString());
        wm.verify(getRequestedFor(urlPathEqualTo("/-/actor.json")).withHeader("Authorization", equalTo("Bearer dstok_DEVICE")));
    }

    @Test
    void theConfiguredDefaultAppliesAndNoKeyringOverridesIt() throws Exception {
        assertEquals(0, runner().run("default", "token-storage", "keyring").exitCode());
        assertEquals(0, runner().run("login", wm.baseUrl(), "--no-browser").exitCode());
        assertEquals("dstok_DEVICE", keyring.item(wm.baseUrl()));
        wm.resetRequests();
        wm.setScenarioState("device-flow:token-polling", com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED);
        CliRunner.Result r = runner().run("login", wm.baseUrl(), "--no-browser", "--no-keyring");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("{\n    \"" + wm.baseUrl() + "\": \"dstok_DEVICE\"\n}", Files.readString(dir.resolve("auth.json")));
        assertEquals(null, keyring.item(wm.baseUrl()), "the keyring copy is replaced, not left behind");
    }

    @Test
    void aKeyringThatCannotBeUsedStopsTheLoginBeforeAnyRequest() {
        keyring.mode("nodbus");
        CliRunner.Result r = runner().run("login", wm.baseUrl(), "--no-browser", "--keyring");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: The Secret Service keyring (secret-tool) is not available (no Secret Service is running in"
                + " this session: secret-tool: Cannot autolaunch D-Bus without X11 $DISPLAY), so the token for "
                + wm.baseUrl() + " was not stored. Nothing was saved. Log in with the token saved in auth.json: dclient"
                + " login " + wm.baseUrl() + " --no-keyring\n", r.err());
        wm.verify(0, postRequestedFor(urlPathEqualTo("/-/oauth/device")));
    }

    @Test
    void aLockedKeyringAfterApprovalSavesNothingAndSaysHowToLogInAgain() {
        keyring.mode("locked"); // the probe cannot see a lock: only storing does
        CliRunner.Result r = runner().run("login", wm.baseUrl(), "--no-browser", "--keyring");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().endsWith("Error: The Secret Service keyring (secret-tool) is locked, so the token for "
                + wm.baseUrl() + " was not stored. Nothing was saved. Unlock it and log in again, or with the token"
                + " saved in auth.json: dclient login " + wm.baseUrl() + " --no-keyring\n"), r.err());
        assertFalse(Files.exists(dir.resolve("auth.json")) || Files.exists(dir.resolve("auth-sources.json")));
        assertFalse(r.err().contains("dstok_DEVICE"), r.err());
    }

    @Test
    void tokenOnlyWithAStorageChoiceIsAUsageError() {
        CliRunner.Result r = runner().run("login", wm.baseUrl(), "--token-only", "--keyring");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("Error: --token-only saves nothing, so --keyring and --no-keyring do not apply\n", r.err());
    }
}
