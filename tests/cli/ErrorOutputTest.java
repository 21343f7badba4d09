package io.datasette.dclient.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.testing.CliRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's error rules at the command line: one place prints failures, as one masked
 * {@code Error:} line; {@code -v} never adds a stack trace, {@code --debug} or
 * {@code DCLIENT_DEBUG=1} does (masked, and announced as not safe to paste).
 */
class ErrorOutputTest {
    @TempDir
    Path dir;

    private Handler behaviour;

    private CliRunner.Result dispatch(CliRunner runner, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Context ctx = runner.context(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int code = new Dispatcher(CommandSpecs.load(), id -> behaviour).run(args, ctx);
        return new CliRunner.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertOneLine(CliRunner.Result r) {
        assertEquals(1, r.err().lines().count(), r.toString());
    }

    @Test
    void javasInvalidHeaderMessageNeverShowsTheToken() {
        behaviour = (inv, ctx) -> {
            throw new IllegalArgumentException("invalid header value: \"Bearer dstok_a\u2026b\r\nX-Evil: 1\"");
        };
        CliRunner.Result r = dispatch(new CliRunner(dir), "tables", "--token", "dstok_a\u2026b\r\nX-Evil: 1");
        assertEquals(1, r.exitCode());
        assertOneLine(r);
        assertTrue(r.err().startsWith("Error: Cannot send the request: a header value (usually the token)"), r.err());
        assertFalse(r.err().contains("dstok_a"), r.err());
        assertFalse(r.err().contains("X-Evil"), r.err());
    }

    @Test
    void aTokenWithACharacterHeadersCannotCarryIsReportedWithoutIt() {
        // end to end: whichever check stops it (token rule or Java's header check), the token stays hidden
        for (String[] args : new String[][] {
                {"rows", "fixtures", "dogs", "-i", "http://127.0.0.1:1", "--token", "dstok_pasted\u2026"},
                {"query", "fixtures", "select 1", "-i", "http://127.0.0.1:1", "--token", "dstok_euro\u20ac"}}) {
            CliRunner.Result r = new CliRunner(dir).run(args);
            assertNotEquals(0, r.exitCode(), r.toString());
            assertOneLine(r);
            assertFalse(r.err().contains("dstok_pasted") || r.err().contains("dstok_euro"), r.toString());
        }
        CliRunner.Result env = new CliRunner(dir).env("DATASETTE_TOKEN", "dstok_env\u2026")
                .run("rows", "fixtures", "dogs", "-i", "http://127.0.0.1:1");
        assertNotEquals(0, env.exitCode(), env.toString());
        assertFalse(env.err().contains("dstok_env"), env.toString());
    }

    @Test
    void knownTokensAreMaskedInAnyMessageWhateverTheirShape() throws Exception {
        Files.writeString(dir.resolve("auth.json"), "{\"prod\": \"stored-plain-secret\"}");
        behaviour = (inv, ctx) -> {
            throw new DclientException("Server echoed flag-plain-secret, env-plain-secret and stored-plain-secret");
        };
        CliRunner.Result r = dispatch(new CliRunner(dir).env("DATASETTE_TOKEN", "env-plain-secret"),
                "tables", "--token", "flag-plain-secret");
        assertEquals("Error: Server echoed ***, *** and ***\n", r.err());
    }

    @Test
    void userinfoInUrlsIsMaskedInErrors() {
        behaviour = (inv, ctx) -> {
            throw new DclientException("Could not connect to http://bob:PASSWORD@db.example:8001 (connection refused)",
                    DclientException.Kind.NETWORK);
        };
        CliRunner.Result r = dispatch(new CliRunner(dir), "tables");
        assertEquals("Error: Could not connect to http://bob:***@db.example:8001 (connection refused)\n", r.err());
        // and for real, against a closed port
        CliRunner.Result real = new CliRunner(dir).run("tables", "-d", "fixtures", "-i", "http://bob:PASSWORD@127.0.0.1:1/");
        assertEquals(1, real.exitCode(), real.toString());
        assertFalse(real.err().contains("PASSWORD"), real.toString());
    }

    @Test
    void serverTextCannotDriveTheTerminal() {
        behaviour = (inv, ctx) -> {
            throw new DclientException("Server said \u001b]0;pwned\u0007\u001b[2J hi\r");
        };
        CliRunner.Result r = dispatch(new CliRunner(dir), "tables");
        assertFalse(r.err().contains("\u001b") || r.err().contains("\r") || r.err().contains("\u0007"), r.err());
    }

    @Test
    void verboseIsNoStackTraceButDebugAndItsVariableAre() {
        behaviour = (inv, ctx) -> {
            throw new DclientException("Nope: Bearer abcdef123456", new IllegalStateException("inner dstok_abc"));
        };
        CliRunner.Result v = dispatch(new CliRunner(dir), "tables", "-v");
        assertEquals("Error: Nope: Bearer ***\n", v.err());

        CliRunner.Result d = dispatch(new CliRunner(dir), "tables", "--debug");
        assertTrue(d.err().startsWith("Error: Nope: Bearer ***\nStack trace (--debug; it may show private data,"), d.err());
        assertTrue(d.err().contains("\tat "), d.err());
        assertTrue(d.err().contains("Caused by: java.lang.IllegalStateException: inner dstok_***"), d.err());
        assertFalse(d.err().contains("abcdef123456"), d.err());

        for (String on : new String[] {"1", "true", "yes"}) {
            CliRunner.Result e = dispatch(new CliRunner(dir).env("DCLIENT_DEBUG", on), "alias", "list");
            assertTrue(e.err().contains("\tat "), on + ": " + e.err());
        }
        for (String off : new String[] {"0", "false", ""}) {
            CliRunner.Result e = dispatch(new CliRunner(dir).env("DCLIENT_DEBUG", off), "tables");
            assertOneLine(e);
        }
    }

    @Test
    void debugIsDocumentedAsUnsafeToPaste() {
        String help = new CliRunner(dir).run("rows", "--help").out();
        assertTrue(help.contains("--debug"), help);
        assertTrue(help.replaceAll("\\s+", " ").contains("may show private data"), help);
    }

    @Test
    void usageErrorsAreMaskedToo() {
        CliRunner.Result r = new CliRunner(dir).run("tables", "--tokne=dstok_typo_in_the_name");
        assertEquals(2, r.exitCode(), r.toString());
        assertFalse(r.err().contains("dstok_typo"), r.err());
        // a plain token value given to --token, in a command line that fails to parse
        CliRunner.Result u = new CliRunner(dir).run("tables", "--token", "plain-secret-value", "stray", "words");
        assertEquals(2, u.exitCode(), u.toString());
        assertFalse(u.err().contains("plain-secret-value"), u.err());
    }
}
