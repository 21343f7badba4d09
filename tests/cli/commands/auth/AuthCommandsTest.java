package io.datasette.dclient.cli.commands.auth;

import io.datasette.dclient.core.auth.AuthStore;
import io.datasette.dclient.core.auth.TokenMetadata;
import io.datasette.dclient.core.auth.TokenMetadataTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.core.io.Terminal;
import io.datasette.dclient.testing.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** auth add / list / remove through the CLI, as a user runs them. */
class AuthCommandsTest {
    static final long NOW = 1_800_000_000L; // 2027-01-15 08:00 UTC

    @TempDir
    Path dir;

    CliRunner cli() {
        return new CliRunner(dir).clock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
    }

    Map<String, String> stored() {
        return new AuthStore(dir).load();
    }

    /** A terminal whose hidden prompt answers {@code answer}, remembering the prompts it showed. */
    static final class FakeTerminal implements Terminal {
        final String answer;
        final List<String> prompts = new ArrayList<>();

        FakeTerminal(String answer) {
            this.answer = answer;
        }

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
            prompts.add(prompt);
            return answer;
        }
    }

    // ---- auth add ------------------------------------------------------------------------

    @Test
    void addWithTokenOptionStripsWhitespaceAndNeverEchoesIt() {
        CliRunner.Result r = cli().run("auth", "add", "prod", "--token", "  dstok_FLAGVALUE \n");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(Map.of("prod", "dstok_FLAGVALUE"), stored());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("Saved the token for prod in " + dir.resolve("auth.json")), r.err());
        assertFalse(r.err().contains("FLAGVALUE"), r.err());
    }

    @Test
    void addReadsOneLineFromAPipe() {
        CliRunner.Result r = cli().stdin("  dstok_PIPED  \nsecond line\n").run("auth", "add", "https://a.com/");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(Map.of("https://a.com/", "dstok_PIPED"), stored());
        assertFalse(r.out().contains("PIPED") || r.err().contains("PIPED"), r.toString());
        assertFalse(r.err().contains("Token:"), "no prompt when stdin is a pipe: " + r.err());
    }

    @Test
    void addPromptsWithHiddenInputOnATerminal() {
        FakeTerminal tty = new FakeTerminal(" dstok_TYPED ");
        CliRunner.Result r = cli().terminal(tty).stdin("dstok_NOT_FROM_STDIN\n").run("auth", "add", "prod");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("Token: "), tty.prompts);
        assertEquals(Map.of("prod", "dstok_TYPED"), stored());
        assertFalse(r.out().contains("TYPED") || r.err().contains("TYPED"), r.toString());
    }

    static Stream<Arguments> emptyTokens() {
        return Stream.of(
                Arguments.of("--token ''", null, new String[] {"--token", ""}, "The token is empty"),
                Arguments.of("--token '  '", null, new String[] {"--token", "  "}, "The token is empty"),
                Arguments.of("empty pipe", null, new String[0], "standard input is empty"),
                Arguments.of("blank line piped", null, new String[0], "The token is empty"),
                Arguments.of("empty at the prompt", new FakeTerminal(""), new String[0], "The token is empty"),
                Arguments.of("end of input at the prompt", new FakeTerminal(null), new String[0], "No token entered"),
                Arguments.of("spaces inside", null, new String[] {"--token", "dstok_A B"}, "spaces or control characters"),
                Arguments.of("a pasted ellipsis", null, new String[] {"--token", "dstok_AB\u2026"}, "outside ASCII"),
                Arguments.of("a euro sign", null, new String[] {"--token", "dstok_\u20acAB"}, "outside ASCII"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emptyTokens")
    void addRefusesEmptyTokens(String name, Terminal terminal, String[] extra, String message) {
        CliRunner runner = cli();
        if (terminal != null) runner.terminal(terminal);
        if (name.equals("blank line piped")) runner.stdin("   \n");
        List<String> args = new ArrayList<>(List.of("auth", "add", "prod"));
        args.addAll(List.of(extra));
        CliRunner.Result r = runner.run(args.toArray(String[]::new));
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: ") && r.err().contains(message), r.err());
        assertTrue(Files.notExists(dir.resolve("auth.json")), "nothing may be stored");
    }

    @Test
    void addForANameThatIsNotAnAliasYetSaysHowToMakeItOne() {
        CliRunner.Result r = cli().run("auth", "add", "later", "--token", "t");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("there is no alias named later yet") && r.err().contains("dclient alias add later <url>"),
                r.err());
        cli().run("alias", "add", "later", "https://later.example.com");
        assertFalse(cli().run("auth", "add", "later", "--token", "t2").err().contains("no alias"));
    }

    @Test
    void addRejectsAnInvalidUrlKey() {
        CliRunner.Result r = cli().run("auth", "add", "https://", "--token", "t");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: "), r.err());
        assertTrue(Files.notExists(dir.resolve("auth.json")));
    }

    @Test
    void addReplacesAnEarlierTokenAndForgetsItsExpiry() {
        cli().run("auth", "add", "prod", "--token", "old");
        new TokenMetadata(dir, null).put("prod", null, NOW + 60);
        cli().run("auth", "add", "prod", "--token", "new");
        assertEquals(Map.of("prod", "new"), stored());
        assertNull(new TokenMetadata(dir, null).recordedExpiry("prod", null));
    }

    @Test
    void twoAuthAddCommandsRunningAtOnceBothSurvive() throws Exception {
        int each = 15;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (String who : List.of("x", "y")) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        CliRunner.Result r = cli().run("auth", "add", who + i, "--token", "t-" + who + i);
                        if (r.exitCode() != 0) throw new AssertionError(r.toString());
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : threads) t.join(60_000);
        assertEquals(List.of(), failures);
        Map<String, String> all = stored();
        assertEquals(2 * each, all.size(), all.keySet().toString());
        for (int i = 0; i < each; i++) {
            assertEquals("t-x" + i, all.get("x" + i));
            assertEquals("t-y" + i, all.get("y" + i));
        }
    }

    // ---- auth list -----------------------------------------------------------------------

    @Test
    void listWithNoTokensShowsTheFileOnly() {
        CliRunner.Result r = cli().run("auth", "list");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("Tokens file: " + dir.resolve("auth.json") + "\n", r.out());
    }

    @Test
    void listShowsKeysWhereTheyApplyAndExpiryButNoTokenCharacter() {
        CliRunner c = cli();
        c.run("alias", "add", "prod", "https://prod.example.com");
        c.run("alias", "add", "dev", "http://localhost:8001");
        c.run("default", "instance", "dev");
        String expiresIn5h = TokenMetadataTest.dstok("{\"a\":\"root\",\"t\":" + (NOW - 3600) + ",\"d\":" + 6 * 3600 + "}");
        String noExpiry = TokenMetadataTest.dstok("{\"a\":\"root\",\"t\":" + NOW + "}");
        String expired = TokenMetadataTest.dstokCompressed(
                "{\"a\":\"root\",\"t\":" + (NOW - 10 * 86400) + ",\"d\":86400,\"_r\":{\"a\":[\"vi\"]}}");
        c.run("auth", "add", "prod", "--token", expiresIn5h);
        c.run("auth", "add", "dev", "--token", "~~~~~~");
        c.run("auth", "add", "https://data.example.com/", "--token", noExpiry);
        c.run("auth", "add", "https://old.example.com", "--token", expired);
        c.run("auth", "add", "gone", "--token", "^^^^");
        c.run("auth", "add", "https://login.example.com", "--token", "^~^~");
        new TokenMetadata(dir, null).put("https://login.example.com", "^~^~", NOW + 2 * 86400);

        CliRunner.Result r = c.run("auth", "list");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(String.join("\n",
                "Tokens file: " + dir.resolve("auth.json"),
                "",
                "prod                       alias for https://prod.example.com, in auth.json, expires 2027-01-15 13:00 UTC (in 5 hours)",
                "dev                        alias for http://localhost:8001 (default instance), in auth.json",
                "https://data.example.com/  URL prefix, in auth.json, no expiry set",
                "https://old.example.com    URL prefix, in auth.json, expired 2027-01-06 08:00 UTC (9 days ago)",
                "gone                       alias not configured (dclient alias add gone <url>), in auth.json",
                "https://login.example.com  URL prefix, in auth.json, expires 2027-01-17 08:00 UTC (in 2 days)",
                ""), r.out());
        assertEquals("", r.err());
        for (String token : List.of(expiresIn5h, noExpiry, expired)) {
            assertFalse(r.out().contains(token.substring(0, 12)), "token shown: " + r.out());
        }
        assertFalse(r.out().contains("dstok"), r.out());
        assertFalse(r.out().contains("~") || r.out().contains("^"), "a token character was shown: " + r.out());
    }

    @Test
    void listStillWorksWithACorruptSidecar() throws Exception {
        cli().run("auth", "add", "prod", "--token", "t");
        Files.writeString(dir.resolve("auth-meta.json"), "{oops");
        CliRunner.Result r = cli().run("auth", "list");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("prod"), r.out());
        assertTrue(r.err().startsWith("Warning: ignoring " + dir.resolve("auth-meta.json")), r.err());
    }

    // ---- auth remove ---------------------------------------------------------------------

    @Test
    void removeUnknownKeyIsExactlyTheDocumentedError() {
        cli().run("auth", "add", "prod", "--token", "t");
        CliRunner.Result r = cli().run("auth", "remove", "nope");
        assertEquals(1, r.exitCode());
        assertEquals("", r.out());
        assertEquals("Error: No such URL or alias\n", r.err());
        assertEquals(Map.of("prod", "t"), stored());
        CliRunner.Result none = new CliRunner(dir.resolve("empty")).run("auth", "remove", "prod");
        assertEquals(1, none.exitCode());
        assertEquals("Error: No such URL or alias\n", none.err());
    }

    @Test
    void removeDeletesTheTokenAndItsExpiryNote() {
        CliRunner c = cli();
        c.run("auth", "add", "prod", "--token", "t1");
        c.run("auth", "add", "https://a.com/", "--token", "t2");
        new TokenMetadata(dir, null).put("prod", "t1", NOW + 10);
        CliRunner.Result r = c.run("auth", "remove", "prod");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().contains("does not revoke it"), r.err());
        assertEquals(Map.of("https://a.com/", "t2"), stored());
        assertNull(new TokenMetadata(dir, null).recordedExpiry("prod", null));
        assertEquals(0, c.run("auth", "remove", "https://a.com").exitCode()); // trailing slash need not match
        assertEquals(Map.of(), stored());
    }

    // ---- a corrupt auth.json -------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"auth add prod --token t", "auth list", "auth remove prod", "auth status -i https://a.invalid",
            "actor -i https://a.invalid"})
    void corruptAuthJsonIsAnErrorNamingItAndIsLeftAlone(String command) throws Exception {
        Path file = dir.resolve("auth.json");
        String corrupt = "{\"prod\": \"dstok_SECRET\",";
        Files.writeString(file, corrupt);
        CliRunner.Result r = cli().run(command.split(" "));
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("Error: ") && r.err().contains(file.toString()), r.err());
        assertFalse(r.err().contains("SECRET"), r.err());
        assertEquals(corrupt, Files.readString(file));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }
}
