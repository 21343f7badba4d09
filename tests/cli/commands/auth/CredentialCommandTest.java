package io.datasette.dclient.cli.commands.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.FakeKeyring;
import io.datasette.dclient.testing.RecordedDatasette;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code auth add KEY --command CMD}: real scripts on the PATH dclient is given play a
 * credential command that prints the token, fails, hangs and prints nothing. The token is read
 * from the first line each time, never written anywhere; a command that cannot give it is one
 * {@code Error:} line naming the command and never showing what it printed.
 */
class CredentialCommandTest {
    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.recordings();

    static final String LEAK = "dstok_LEAKED_OUTPUT";

    @TempDir
    Path dir;
    @TempDir
    Path tools;
    FakeKeyring bin;

    @BeforeEach
    void scripts() {
        bin = FakeKeyring.in(tools);
        // Counts its runs, so tests can tell when the command was (not) asked.
        bin.script("print-token", "#!/bin/sh\necho run >> \"$RUNS\"\necho \"$THE_TOKEN\"\necho second line\n");
        bin.script("fail-token", "#!/bin/sh\necho " + LEAK + "\necho " + LEAK + " >&2\nexit 3\n");
        bin.script("hang-token", "#!/bin/sh\necho $$ > \"$PIDFILE\"\nexec sleep 3600\n");
        bin.script("empty-token", "#!/bin/sh\nexit 0\n");
        bin.script("spaced-token", "#!/bin/sh\necho 'two words'\n");
    }

    Path runs() {
        return tools.resolve("runs");
    }

    CliRunner cli() {
        return new CliRunner(dir).env("PATH", bin.path()).env("RUNS", runs().toString())
                .env("THE_TOKEN", "dstok_ROOT").env("PIDFILE", tools.resolve("pid").toString());
    }

    long runCount() throws Exception {
        return Files.exists(runs()) ? Files.readAllLines(runs()).size() : 0;
    }

    static String sentAuthorization() {
        var requests = wm.findAll(getRequestedFor(urlPathEqualTo("/-/actor.json")));
        assertEquals(1, requests.size());
        return requests.get(0).getHeader("Authorization");
    }

    @Test
    void theFirstLineOfItsOutputIsTheTokenEachTimeAndNothingIsStored() throws Exception {
        CliRunner c = cli();
        c.run("alias", "add", "prod", wm.baseUrl());
        CliRunner.Result add = c.run("auth", "add", "prod", "--command", "print-token --flag 'an arg'");
        assertEquals(0, add.exitCode(), add.toString());
        assertEquals("Saved the command for prod in " + dir.resolve("auth-sources.json")
                + "; it runs each time the token is needed, and no token is stored.\n", add.err());
        assertEquals(0, runCount(), "auth add does not run it");

        CliRunner.Result actor = c.run("actor", "-i", "prod");
        assertEquals(0, actor.exitCode(), actor.toString());
        assertEquals("Bearer dstok_ROOT", sentAuthorization());
        assertEquals("dstok_ROOT\n", c.run("auth", "token", "-i", "prod").out());
        CliRunner.Result status = c.run("auth", "status", "-i", "prod");
        assertTrue(status.err().contains("Token: from alias prod (command 'print-token --flag 'an arg'')\n"), status.err());
        long afterUse = runCount();
        assertTrue(afterUse >= 3, "run once per command that needs the token: " + afterUse);

        CliRunner.Result list = c.run("auth", "list");
        assertTrue(list.out().contains("prod  alias for " + wm.baseUrl() + ", from the command 'print-token --flag 'an arg''"),
                list.out());
        c.run("actor", "-i", "prod", "--token", "dstok_ALICE");
        c.run("alias", "list");
        assertEquals(afterUse, runCount(), "not run when its token is not needed");

        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f).contains("dstok_ROOT"), f + " holds the token");
            }
        }
        CliRunner.Result remove = c.run("auth", "remove", "prod");
        assertEquals("Removed the command for prod from " + dir.resolve("auth-sources.json") + ".\n", remove.err());
        assertEquals("{ }", io.datasette.dclient.core.json.Json.parse(Files.readString(dir.resolve("auth-sources.json")))
                .toPrettyString());
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("fail-token", "Error: The command 'fail-token' for the token of prod failed (exit status 3)."
                        + " Run it yourself to see why; change it with dclient auth add prod --command '...', or store the"
                        + " token itself: dclient auth add prod\n"),
                Arguments.of("empty-token", "Error: The command 'empty-token' for the token of prod printed no token."
                        + " Run it yourself to see why; change it with dclient auth add prod --command '...', or store the"
                        + " token itself: dclient auth add prod\n"),
                Arguments.of("spaced-token", "Error: The command 'spaced-token' for the token of prod printed a first line"
                        + " that contains spaces or control characters (or characters outside ASCII), so it cannot be sent"
                        + " as a token. Run it yourself to see why; change it with dclient auth add prod --command '...', or"
                        + " store the token itself: dclient auth add prod\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aCommandThatCannotGiveTheTokenIsOneErrorLineNamingItNeverItsOutput(String script, String expected) {
        CliRunner c = cli();
        c.run("alias", "add", "prod", wm.baseUrl());
        c.run("auth", "add", "prod", "--command", script);
        for (String command : List.of("actor", "auth token", "auth status", "rows fixtures dogs")) {
            List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
            args.addAll(List.of("-i", "prod"));
            CliRunner.Result r = c.run(args.toArray(String[]::new));
            assertEquals(1, r.exitCode(), r.toString());
            assertEquals("", r.out());
            String err = command.equals("auth status") ? r.err().substring(r.err().indexOf("Error:")) : r.err();
            assertEquals(expected, err, command);
            assertFalse(r.err().contains("LEAKED") || r.err().contains("two words"), r.err());
        }
        assertTrue(wm.findAll(getRequestedFor(urlPathEqualTo("/-/actor.json"))).isEmpty(), "nothing sent");
    }

    @Test
    void aCommandThatHangsIsStoppedAtTheTimeLimit() throws Exception {
        CliRunner c = cli();
        c.run("alias", "add", "prod", wm.baseUrl());
        c.run("auth", "add", "prod", "--command", "hang-token");
        CliRunner.Result r = c.run("actor", "-i", "prod", "--timeout", "0.2");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: The command 'hang-token' for the token of prod did not finish within 0.2 s and was stopped."
                + " Use --timeout SECONDS or DCLIENT_TIMEOUT to wait longer.\n", r.err());
        long pid = Long.parseLong(Files.readString(tools.resolve("pid")).strip());
        ProcessHandle.of(pid).ifPresent(h -> {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("the command still runs", e);
            }
        });
        // DCLIENT_TIMEOUT bounds it too, for commands without --timeout.
        CliRunner.Result token = c.env("DCLIENT_TIMEOUT", "0.2").run("auth", "token", "-i", "prod");
        assertTrue(token.err().contains("did not finish within 0.2 s"), token.err());
    }

    @Test
    void theCommandSeesTheInjectedEnvironmentOnly() {
        CliRunner c = cli().env("THE_TOKEN", "dstok_ALICE");
        c.run("alias", "add", "prod", wm.baseUrl());
        c.run("auth", "add", "prod", "--command", "sh -c \"echo $THE_TOKEN\"");
        assertEquals("dstok_ALICE\n", c.run("auth", "token", "-i", "prod").out());
    }

    @Test
    void aCommandThatCannotBeRunIsRefusedWhenAddedAndNothingIsStored() {
        CliRunner c = cli();
        CliRunner.Result missing = c.run("auth", "add", "prod", "--command", "no-such-program show x");
        assertEquals(1, missing.exitCode());
        assertEquals("Error: Cannot use the command 'no-such-program show x': no-such-program was not found on the PATH;"
                + " nothing was stored.\n", missing.err());
        CliRunner.Result piped = c.run("auth", "add", "prod", "--command", "pass show x | head -1");
        assertEquals(2, piped.exitCode());
        assertEquals("Error: Cannot use the command 'pass show x | head -1': it uses shell syntax (|), but it is run without"
                + " a shell. Quote the character, or let the command run a shell: --command 'sh -c \"...\"'\n", piped.err());
        CliRunner.Result both = c.run("auth", "add", "prod", "--command", "print-token", "--token", "x");
        assertEquals("Error: --command and --token cannot be used together: the command supplies the token\n", both.err());
        CliRunner.Result keyring = c.run("auth", "add", "prod", "--command", "print-token", "--keyring");
        assertEquals("Error: --command stores no token, so --keyring and --no-keyring do not apply\n", keyring.err());
        assertFalse(Files.exists(dir.resolve("auth-sources.json")) || Files.exists(dir.resolve("auth.json")));
    }

    @Test
    void aProgramThatVanishedSinceItWasAddedSaysSo() throws Exception {
        CliRunner c = cli();
        c.run("alias", "add", "prod", wm.baseUrl());
        c.run("auth", "add", "prod", "--command", "print-token");
        Files.delete(bin.bin().resolve("print-token"));
        CliRunner.Result r = c.run("actor", "-i", "prod");
        assertEquals("Error: The command 'print-token' for the token of prod cannot be run: print-token was not found on"
                + " the PATH. Run it yourself to see why; change it with dclient auth add prod --command '...', or store"
                + " the token itself: dclient auth add prod\n", r.err());
    }

    @Test
    void storingAFileTokenReplacesTheCommand() throws Exception {
        CliRunner c = cli();
        c.run("alias", "add", "prod", wm.baseUrl());
        c.run("auth", "add", "prod", "--command", "print-token");
        c.run("auth", "add", "prod", "--token", "dstok_ALICE");
        assertEquals("{ }", io.datasette.dclient.core.json.Json.parse(Files.readString(dir.resolve("auth-sources.json")))
                .toPrettyString());
        c.run("actor", "-i", "prod");
        assertEquals("Bearer dstok_ALICE", sentAuthorization());
        assertEquals(0, runCount());
    }
}
