package io.datasette.dclient.api;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.testing.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Tokens}: the auth.json the auth commands use, with the CLI's resolution order. */
class TokensTest {
    @TempDir
    Path dir;

    @Test
    void putListRemoveShareAuthJsonWithTheCli() throws Exception {
        Tokens tokens = Tokens.at(dir);
        assertEquals(List.of(), tokens.keys());
        tokens.put("prod", "  dstok_ROOT\n");
        tokens.put("https://example.com/private", "dstok_ALICE");
        assertEquals(List.of("prod", "https://example.com/private"), tokens.keys());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens.file())));
        assertEquals(dir.resolve("auth.json"), tokens.file());

        CliRunner.Result list = new CliRunner(dir).run("auth", "list");
        assertEquals(0, list.exitCode(), list.toString());
        assertTrue(list.out().contains("prod") && list.out().contains("https://example.com/private"), list.toString());
        assertFalse(list.out().contains("dstok_"), list.toString());

        assertTrue(tokens.remove("https://example.com/private/"), "trailing slash does not matter");
        assertFalse(tokens.remove("https://example.com/private"));
        assertEquals(List.of("prod"), tokens.keys());
    }

    @Test
    void resolveFollowsTheCliOrder() {
        new ConfigStore(dir).update(c -> {
            c.putInstance("prod", "https://example.com");
            c.putInstance("other", "https://other.example.com");
            return null;
        });
        Tokens tokens = Tokens.at(dir);
        tokens.put("https://example.com", "dstok_URL");
        tokens = Tokens.at(dir, Map.of("DATASETTE_TOKEN", "dstok_ENV"));

        Tokens.Resolved byUrl = tokens.resolve("prod");
        assertEquals("https://example.com", byUrl.instanceUrl());
        assertEquals("URL prefix https://example.com in auth.json", byUrl.source());
        assertEquals("dstok_URL", byUrl.token());

        tokens.put("prod", "dstok_ALIAS");
        Tokens.Resolved byAlias = tokens.resolve("prod");
        assertEquals("alias prod in auth.json", byAlias.source());
        assertEquals("prod", byAlias.key());
        assertEquals("dstok_ALIAS", byAlias.token());
        assertEquals("Resolved[https://example.com, source: alias prod in auth.json, token: ***]", byAlias.toString());

        Tokens.Resolved env = tokens.resolve("other");
        assertEquals("DATASETTE_TOKEN", env.source());
        assertNull(env.key());
        assertTrue(env.present());
    }

    @Test
    void noTokenAtAll() {
        Tokens.Resolved none = Tokens.at(dir, Map.of()).resolve("https://example.com");
        assertFalse(none.present());
        assertEquals("none", none.source());
        assertEquals("Resolved[https://example.com, source: none, token: none]", none.toString());
    }

    @Test
    void openUsesDclientConfigDir() {
        Map<String, String> env = Map.of("DCLIENT_CONFIG_DIR", dir.toString());
        Tokens.open(env).put("prod", "dstok_ROOT");
        assertEquals(List.of("prod"), Tokens.at(dir).keys());
        assertEquals("Tokens[" + dir.resolve("auth.json") + "]", Tokens.open(env).toString());
    }

    @Test
    void badTokensAreRefusedWithTheCliMessages() {
        Tokens tokens = Tokens.at(dir);
        DclientException empty = assertThrows(DclientException.class, () -> tokens.put("prod", "  "));
        assertEquals("The token is empty; nothing was stored.", empty.getMessage());
        DclientException spaces = assertThrows(DclientException.class, () -> tokens.put("prod", "dstok_a b"));
        CliRunner.Result cli = new CliRunner(dir).run("auth", "add", "prod", "--token", "dstok_a b");
        assertEquals("Error: " + spaces.getMessage() + "\n", cli.err());
        assertThrows(IllegalArgumentException.class, () -> tokens.put(" ", "dstok_x"));
        assertThrows(DclientException.class, () -> tokens.put("https://", "dstok_x"));
        assertEquals(List.of(), tokens.keys());
    }
}
