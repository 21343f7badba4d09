package io.datasette.dclient.cli.commands.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.FakeKeyring;
import io.datasette.dclient.testing.RecordedDatasette;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
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
 * {@code --keyring} through the command line, with fake {@code secret-tool}, {@code security}
 * and {@code powershell} on the PATH dclient is given (never a real keyring): the token reaches
 * the keyring on stdin, no file under the config directory holds it, the recorded Datasette
 * is sent it, and the commands that show tokens' whereabouts say "keyring".
 */
class KeyringCommandsTest {
    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.recordings();

    static final String TOKEN = "dstok_ROOT"; // the recorded /-/actor.json answers root for it

    @TempDir
    Path dir;
    @TempDir
    Path keyringDir;
    FakeKeyring keyring;

    @BeforeEach
    void fakes() {
        keyring = FakeKeyring.in(keyringDir);
    }

    CliRunner cli(String os) {
        CliRunner c = keyring.configure(new CliRunner(dir)).os(os);
        // PowerShell's lookup separates PATH entries with ';': only the fakes' directory then.
        if (os.startsWith("Windows")) c.env("PATH", keyring.bin().toString());
        return c;
    }

    CliRunner cli() {
        return cli("Linux");
    }

    static String sentAuthorization() {
        List<LoggedRequest> requests = wm.findAll(getRequestedFor(urlPathEqualTo("/-/actor.json")));
        assertEquals(1, requests.size(), "expected one /-/actor.json request");
        LoggedRequest r = requests.get(0);
        return r.containsHeader("Authorization") ? r.getHeader("Authorization") : null;
    }

    /** Every file under the config directory, with the names of those that hold {@code secret}. */
    List<String> filesHolding(String secret) {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).filter(p -> {
                try {
                    return new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1).contains(secret);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).map(p -> dir.relativize(p).toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void assertTokenOnNoCommandLine(String token) {
        String hex = HexFormat.of().formatHex(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String call : keyring.calls()) {
            assertFalse(call.contains(token) || call.contains(hex), "token on a command line: " + call);
        }
    }

    static Stream<Arguments> systems() {
        return Stream.of(
                Arguments.of("Linux", "the Secret Service keyring (secret-tool)", "secret-tool store"),
                Arguments.of("Mac OS X", "the macOS keychain (security)", "security -i stdin: add-generic-password"),
                Arguments.of("Windows 11", "the Windows Credential Manager (PowerShell)", "powershell -NoProfile"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("systems")
    void theTokenLivesInTheKeyringAloneAndIsSentToItsInstance(String os, String name, String storeCall) throws Exception {
        CliRunner c = cli(os);
        assertEquals(0, c.run("alias", "add", "prod", wm.baseUrl()).exitCode());

        CliRunner.Result add = c.run("auth", "add", "prod", "--keyring", "--token", TOKEN);
        assertEquals(0, add.exitCode(), add.toString());
        assertEquals("Saved the token for prod in " + name + "\n", add.err());
        assertEquals(TOKEN, keyring.item("prod"));
        assertEquals(List.of(), filesHolding(TOKEN), "no file under the config directory may hold the token");
        assertFalse(Files.exists(dir.resolve("auth.json")));
        assertEquals("keyring", Json.parse(Files.readString(dir.resolve("auth-sources.json"))).path("prod").path("storage").asText());
        assertTrue(keyring.calls().stream().anyMatch(l -> l.startsWith(storeCall)), keyring.calls().toString());

        CliRunner.Result actor = c.run("actor", "-i", "prod");
        assertEquals(0, actor.exitCode(), actor.toString());
        assertTrue(actor.out().contains("\"id\": \"root\""), actor.out());
        assertEquals("Bearer " + TOKEN, sentAuthorization());

        CliRunner.Result status = c.run("auth", "status", "-i", "prod");
        assertTrue(status.err().contains("Token: from alias prod in the keyring\n"), status.err());
        CliRunner.Result token = c.run("auth", "token", "-i", "prod");
        assertEquals(TOKEN + "\n", token.out(), token.toString());
        CliRunner.Result list = c.run("auth", "list");
        assertTrue(list.out().contains("prod  alias for " + wm.baseUrl() + ", in the keyring\n"), list.out());
        for (CliRunner.Result r : List.of(add, actor, status, list)) {
            assertFalse(r.out().contains(TOKEN) || r.err().contains(TOKEN), "token shown: " + r);
        }

        CliRunner.Result remove = c.run("auth", "remove", "prod");
        assertEquals(0, remove.exitCode(), remove.toString());
        assertEquals("Removed the token for prod from " + name + ". This does not revoke it on the server.\n", remove.err());
        assertNull(keyring.item("prod"));
        assertEquals(List.of(), keyring.items());
        assertFalse(Files.readString(dir.resolve("auth-sources.json")).contains("prod"));
        assertTokenOnNoCommandLine(TOKEN);
    }

    @Test
    void theKeyringCanBeTheDefaultAndNoKeyringOverridesIt() throws Exception {
        CliRunner c = cli();
        assertEquals("file\n", c.run("default", "token-storage").out());
        assertEquals(0, c.run("default", "token-storage", "keyring").exitCode());
        assertEquals("keyring\n", c.run("default", "token-storage").out());
        assertEquals("keyring", Json.parse(Files.readString(dir.resolve("config.json"))).path("token_storage").asText());

        assertEquals(0, c.run("auth", "add", "prod", "--token", TOKEN).exitCode());
        assertEquals(TOKEN, keyring.item("prod"));
        assertFalse(Files.exists(dir.resolve("auth.json")));

        // Stored in the file instead: the keyring item goes, so no stale copy of a token stays.
        CliRunner.Result file = c.run("auth", "add", "prod", "--no-keyring", "--token", "dstok_ALICE");
        assertEquals(0, file.exitCode(), file.toString());
        assertEquals("{\n    \"prod\": \"dstok_ALICE\"\n}", Files.readString(dir.resolve("auth.json")));
        assertNull(keyring.item("prod"));
        assertEquals("{ }", Json.parse(Files.readString(dir.resolve("auth-sources.json"))).toPrettyString());

        assertEquals(0, c.run("default", "token-storage", "file").exitCode());
        assertFalse(Files.readString(dir.resolve("config.json")).contains("token_storage"),
                "the file is the default: config.json stays as Python dclient writes it");
        CliRunner.Result bad = c.run("default", "token-storage", "vault");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertEquals("Error: Token storage must be file or keyring, not vault\n", bad.err());
        CliRunner.Result both = c.run("auth", "add", "prod", "--keyring", "--no-keyring", "--token", TOKEN);
        assertEquals("Error: --keyring and --no-keyring cannot be used together\n", both.err());
    }

    @Test
    void aLockedKeyringIsOneLineSayingSoAndHowToFallBack() throws Exception {
        CliRunner c = cli();
        c.run("alias", "add", "prod", wm.baseUrl());
        keyring.mode("locked");
        CliRunner.Result add = c.run("auth", "add", "prod", "--keyring", "--token", TOKEN);
        assertEquals(1, add.exitCode(), add.toString());
        assertEquals("Error: The Secret Service keyring (secret-tool) is locked, so the token for prod was not stored."
                + " Unlock it and try again, or store it in auth.json instead: dclient auth add prod --no-keyring\n",
                add.err());
        assertFalse(Files.exists(dir.resolve("auth.json")) || Files.exists(dir.resolve("auth-sources.json")),
                "nothing stored");

        keyring.mode("ok");
        assertEquals(0, c.run("auth", "add", "prod", "--keyring", "--token", TOKEN).exitCode());
        keyring.mode("locked");
        CliRunner.Result actor = c.run("actor", "-i", "prod");
        assertEquals(1, actor.exitCode(), actor.toString());
        assertEquals("Error: The Secret Service keyring (secret-tool) is locked, so the token for prod cannot be read."
                + " Unlock it and try again, or keep the token in auth.json instead: dclient auth add prod --no-keyring\n",
                actor.err());
        assertTrue(wm.findAll(getRequestedFor(urlPathEqualTo("/-/actor.json"))).isEmpty(),
                "no request without the token the configuration names");

        CliRunner.Result remove = c.run("auth", "remove", "prod");
        assertEquals(1, remove.exitCode(), remove.toString());
        assertEquals("Error: The Secret Service keyring (secret-tool) is locked, so the token for prod was not removed"
                + " from it. Nothing was removed. Unlock it and run dclient auth remove prod again.\n", remove.err());
        assertEquals(TOKEN, keyring.item("prod"));
        assertTrue(Files.readString(dir.resolve("auth-sources.json")).contains("\"prod\""));
    }

    @Test
    void aMissingKeyringIsOneLineSayingSoAndHowToFallBack() throws Exception {
        CliRunner c = cli();
        keyring.mode("nodbus");
        CliRunner.Result nodbus = c.run("auth", "add", "prod", "--keyring", "--token", TOKEN);
        assertEquals(1, nodbus.exitCode());
        assertEquals("Error: The Secret Service keyring (secret-tool) is not available (no Secret Service is running in"
                + " this session: secret-tool: Cannot autolaunch D-Bus without X11 $DISPLAY), so the token for prod was"
                + " not stored. Store it in auth.json instead: dclient auth add prod --no-keyring\n", nodbus.err());

        Path nothing = Files.createDirectories(keyringDir.resolve("empty-bin"));
        CliRunner.Result noTool = c.env("PATH", nothing.toString()).run("auth", "add", "prod", "--keyring", "--token", TOKEN);
        assertEquals(1, noTool.exitCode());
        assertEquals("Error: The Secret Service keyring (secret-tool) is not available (secret-tool was not found on the"
                + " PATH; it comes with libsecret (package libsecret-tools on Debian and Ubuntu, libsecret on Fedora and"
                + " Arch)), so the token for prod was not stored. Store it in auth.json instead: dclient auth add prod"
                + " --no-keyring\n", noTool.err());
        assertEquals(List.of(), filesHolding(TOKEN));
    }

    @Test
    void anItemRemovedFromTheKeyringBehindDclientsBackSaysSo() {
        CliRunner c = cli();
        c.run("alias", "add", "prod", wm.baseUrl());
        c.run("auth", "add", "prod", "--keyring", "--token", TOKEN);
        keyring.putItem("prod", "unused");
        assertTrue(keyringDir.resolve("items").toFile().listFiles()[0].delete());
        CliRunner.Result r = c.run("auth", "token", "-i", "prod");
        assertEquals(1, r.exitCode());
        assertEquals("Error: The Secret Service keyring (secret-tool) has no token for prod (service io.datasette.dclient,"
                + " account prod), although dclient stored it there. Store it again: dclient auth add prod --keyring"
                + " (or --no-keyring for auth.json)\n", r.err());
        // and it can still be removed
        assertEquals(0, c.run("auth", "remove", "prod").exitCode());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--token", "DATASETTE_TOKEN only"})
    void theKeyringIsNotAskedWhenItsTokenIsNotTheOneSent(String how) {
        CliRunner c = cli();
        c.run("alias", "add", "prod", wm.baseUrl());
        c.run("alias", "add", "other", "http://other.example.com");
        c.run("auth", "add", "prod", "--keyring", "--token", TOKEN);
        c.run("auth", "add", "other", "--keyring", "--token", "dstok_OTHER");
        int before = keyring.calls().size();
        CliRunner.Result r = how.equals("--token")
                ? c.run("actor", "-i", "prod", "--token", "dstok_ALICE")
                : c.env("DATASETTE_TOKEN", "dstok_READONLY").run("actor", "-i", otherSpelling(wm.baseUrl()));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(before, keyring.calls().size(), "keyring asked: " + keyring.calls().subList(before, keyring.calls().size()));
        c.run("auth", "list");
        c.run("alias", "list");
        assertEquals(before, keyring.calls().size(), "listing never reads the keyring");
    }

    /** The same server under another host name: no alias or stored URL prefix names it. */
    static String otherSpelling(String url) {
        return url.contains("localhost") ? url.replace("localhost", "127.0.0.1") : url.replace("127.0.0.1", "localhost");
    }

    @Test
    void aKeyringTokenShadowedByAnAuthJsonTokenIsShownAsUnused() throws Exception {
        CliRunner c = cli();
        c.run("alias", "add", "prod", wm.baseUrl());
        c.run("auth", "add", "prod", "--keyring", "--token", "dstok_ALICE");
        // Python dclient, which knows only auth.json, stores a token under the same key:
        Files.writeString(dir.resolve("auth.json"), "{\n    \"prod\": \"" + TOKEN + "\"\n}");
        CliRunner.Result actor = c.run("actor", "-i", "prod");
        assertEquals("Bearer " + TOKEN, sentAuthorization(), "both clients send the same token");
        CliRunner.Result list = c.run("auth", "list");
        assertTrue(list.out().contains("prod  alias for " + wm.baseUrl()
                + ", in auth.json (its keyring entry in auth-sources.json is not used)"), list.out());
        assertEquals(0, actor.exitCode());
    }

    @Test
    void macStoresThroughSecurityInteractiveModeNeverWithDashW() {
        CliRunner c = cli("Mac OS X");
        assertEquals(0, c.run("auth", "add", "https://example.com", "--keyring", "--token", TOKEN).exitCode());
        assertTrue(keyring.calls().contains("security -i"), keyring.calls().toString());
        assertTrue(keyring.calls().contains("security -i stdin: add-generic-password -U -s \"io.datasette.dclient\""
                + " -a \"https://example.com\" -l \"dclient: Datasette token for https://example.com\" -X <hex>"),
                keyring.calls().toString());
        assertFalse(keyring.calls().stream().anyMatch(l -> l.contains(" -w " + TOKEN)), keyring.calls().toString());
        assertTokenOnNoCommandLine(TOKEN);
        assertEquals(TOKEN, keyring.item("https://example.com"));
        keyring.mode("locked");
        CliRunner.Result locked = c.run("auth", "token", "-i", "https://example.com");
        assertEquals("Error: The macOS keychain (security) is locked, so the token for https://example.com cannot be"
                + " read. Unlock it and try again, or keep the token in auth.json instead: dclient auth add"
                + " https://example.com --no-keyring\n", locked.err());
    }

    @Test
    void pythonDclientStillReadsEveryAuthJsonTokenItCouldBefore() throws Exception {
        CliRunner c = cli();
        Files.writeString(dir.resolve("auth.json"), "{\n    \"plain\": \"dstok_PLAIN\",\n    \"https://x.example.com\": \"dstok_X\"\n}");
        c.run("auth", "add", "prod", "--keyring", "--token", TOKEN);
        c.run("auth", "add", "ci", "--command", "sh -c 'echo dstok_CI'");
        c.run("default", "token-storage", "keyring");
        // Python reads every auth.json value as a token: they must all still be the plain strings.
        assertEquals("{\n    \"plain\": \"dstok_PLAIN\",\n    \"https://x.example.com\": \"dstok_X\"\n}",
                Files.readString(dir.resolve("auth.json")));
        var sources = Json.parse(Files.readString(dir.resolve("auth-sources.json")));
        assertEquals("keyring", sources.path("prod").path("storage").asText());
        assertEquals("sh -c 'echo dstok_CI'", sources.path("ci").path("command").asText());
    }
}
