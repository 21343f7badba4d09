package io.datasette.dclient.cli.commands.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.datasette.dclient.api.Datasette;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.auth.AuthStore;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.testing.CliRunner;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auth token}: exactly the token another command would send, alone on stdout, found in
 * the usual order ({@code --token} &gt; alias &gt; URL prefix &gt; {@code DATASETTE_TOKEN}); and
 * the library's {@code Datasette.token()} giving the same answer. Nothing is requested.
 */
class AuthTokenTest {
    /** Nothing listens here: a request would fail the command. */
    static final String URL = "http://127.0.0.1:9/datasette";

    @TempDir
    Path dir;

    @BeforeEach
    void aliasProd() {
        new ConfigStore(dir).update(c -> {
            c.putInstance("prod", URL);
            return null;
        });
    }

    CliRunner cli() {
        return new CliRunner(dir);
    }

    void store(String key, String token) {
        new AuthStore(dir).put(key, token);
    }

    /** The library's answer for the same instance, environment and config. */
    String library(String instance, String flag, Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        e.put("DCLIENT_CONFIG_DIR", dir.toString());
        return Datasette.builder().instance(instance).token(flag).configDir(dir).env(e).build().token();
    }

    void assertPrints(String expected, CliRunner.Result r) {
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(expected + "\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void followsTheResolutionOrderRungByRung() {
        store("prod", "dstok_ALIAS");
        store("http://127.0.0.1:9", "dstok_PREFIX");
        Map<String, String> env = Map.of("DATASETTE_TOKEN", "dstok_ENV");

        assertPrints("dstok_FLAG", cli().env("DATASETTE_TOKEN", "dstok_ENV")
                .run("auth", "token", "-i", "prod", "--token", "dstok_FLAG"));
        assertEquals("dstok_FLAG", library("prod", "dstok_FLAG", env));

        assertPrints("dstok_ALIAS", cli().env("DATASETTE_TOKEN", "dstok_ENV").run("auth", "token", "-i", "prod"));
        assertEquals("dstok_ALIAS", library("prod", null, env));

        new AuthStore(dir).remove("prod");
        assertPrints("dstok_PREFIX", cli().env("DATASETTE_TOKEN", "dstok_ENV").run("auth", "token", "-i", "prod"));
        assertEquals("dstok_PREFIX", library("prod", null, env));

        new AuthStore(dir).remove("http://127.0.0.1:9");
        assertPrints("dstok_ENV", cli().env("DATASETTE_TOKEN", "dstok_ENV").run("auth", "token", "-i", "prod"));
        assertEquals("dstok_ENV", library("prod", null, env));
    }

    @Test
    void theLongestUrlPrefixWinsAndAUrlWorksAsWellAsAnAlias() {
        store("http://127.0.0.1:9", "dstok_SHORT");
        store("http://127.0.0.1:9/datasette", "dstok_LONG");
        assertPrints("dstok_LONG", cli().run("auth", "token", "-i", URL + "/"));
        // a URL reaches the alias's token too, as every command does
        store("prod", "dstok_ALIAS");
        assertPrints("dstok_ALIAS", cli().run("auth", "token", "-i", URL));
    }

    @Test
    void theDefaultInstanceWithoutI() {
        new ConfigStore(dir).update(c -> {
            c.setDefaultInstance("prod");
            return null;
        });
        store("prod", "dstok_ALIAS");
        assertPrints("dstok_ALIAS", cli().run("auth", "token"));
        assertEquals("dstok_ALIAS", library(null, null, Map.of()));
    }

    @Test
    void storedWhitespaceIsNotPrinted() {
        store("prod", "  dstok_PADDED\n");
        assertPrints("dstok_PADDED", cli().run("auth", "token", "-i", "prod"));
    }

    @Test
    void noTokenIsExit1WithAClearMessageAndNothingOnStdout() {
        CliRunner.Result r = cli().run("auth", "token", "-i", "prod");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("", r.out());
        String fact = "No token for prod: none is stored for it in auth.json (by alias or URL prefix) and"
                + " DATASETTE_TOKEN is not set.";
        assertEquals("Error: " + fact + " Add one: dclient login prod, or dclient auth add prod\n", r.err());
        DclientException e = assertThrows(DclientException.class, () -> library("prod", null, Map.of()));
        assertEquals(fact + " Pass one to Datasette.builder().token(...), or store one: Tokens.open().put(\"prod\","
                + " token).", e.getMessage(), "the same facts, in the library's words");
        assertEquals(DclientException.Kind.NOT_FOUND, e.kind());
    }

    @Test
    void anEmptyTokenFlagIsNoToken() {
        store("prod", "dstok_ALIAS");
        CliRunner.Result r = cli().run("auth", "token", "-i", "prod", "--token", "");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals("Error: No token: the token given is empty. Pass a token to --token, or leave --token out to use a"
                + " stored token.\n", r.err());
    }

    @Test
    void anUnknownAliasIsAnError() {
        CliRunner.Result r = cli().run("auth", "token", "-i", "nope");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals("Error: Unknown instance: nope. Use a URL, or add the alias: dclient alias add nope <url>\n", r.err());
    }
}
