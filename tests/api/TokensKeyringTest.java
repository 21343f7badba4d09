package io.datasette.dclient.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.FakeKeyring;
import io.datasette.dclient.testing.RecordedDatasette;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's side of tokens outside auth.json: {@link Tokens#putInKeyring},
 * {@link Tokens#putCommand}, {@link Tokens#storage}, and {@code Datasette.open} using them,
 * with the fake keyring tools (the library is given an environment whose PATH holds them, so no
 * real keyring is touched), and failures worded with the library's methods rather than the
 * CLI's flags.
 */
class TokensKeyringTest {
    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.recordings();

    @TempDir
    Path dir;
    @TempDir
    Path tools;
    FakeKeyring keyring;
    /** The environment the library is given: the fakes on its PATH, never a real keyring. */
    Map<String, String> env;

    @BeforeEach
    void fakes() {
        keyring = FakeKeyring.in(tools);
        keyring.script("print-root", "#!/bin/sh\necho dstok_ROOT\n");
        keyring.script("hang", "#!/bin/sh\nexec sleep 3600\n");
        env = Map.of("PATH", keyring.path(), FakeKeyring.DIR_VARIABLE, keyring.dirValue(),
                "DCLIENT_CONFIG_DIR", dir.toString());
        new ConfigStore(dir).update(c -> {
            c.putInstance("prod", wm.baseUrl());
            return null;
        });
    }

    @Test
    void aKeyringTokenIsStoredListedUsedAndRemoved() throws Exception {
        Tokens tokens = Tokens.open(env);
        tokens.putInKeyring("prod", "dstok_ROOT");
        assertEquals("dstok_ROOT", keyring.item("prod"));
        assertFalse(Files.exists(dir.resolve("auth.json")));
        assertEquals(List.of("prod"), tokens.keys());
        assertEquals("keyring", tokens.storage("prod"));
        assertEquals("alias prod in the keyring", tokens.resolve("prod").source());
        assertEquals("dstok_ROOT", tokens.resolve("prod").token());

        Datasette ds = Datasette.builder().instance("prod").env(env).build();
        assertEquals("alias prod in the keyring", ds.tokenSource());
        assertEquals("root", ds.actor().get("id"));
        assertEquals("dstok_ROOT", ds.token());
        assertFalse(ds.toString().contains("dstok_ROOT"));

        assertTrue(tokens.remove("prod"));
        assertNull(keyring.item("prod"));
        assertNull(tokens.storage("prod"));
    }

    @Test
    void aCommandIsRunWhenTheInstanceIsOpened() {
        Tokens tokens = Tokens.open(env);
        tokens.putCommand("prod", "print-root");
        assertEquals("command", tokens.storage("prod"));
        Datasette ds = Datasette.builder().instance("prod").env(env).build();
        assertEquals("alias prod (command 'print-root')", ds.tokenSource());
        assertEquals("root", ds.actor().get("id"));
        // and the CLI sees the same entry
        CliRunner.Result list = new CliRunner(dir).run("auth", "list");
        assertTrue(list.out().contains("prod  alias for " + wm.baseUrl() + ", from the command 'print-root'"), list.out());
    }

    @Test
    void failuresNameTheLibrarysMethodsNotTheCommandLinesFlags() {
        Tokens tokens = Tokens.open(env);
        tokens.putCommand("prod", "hang");
        DclientException hang = assertThrows(DclientException.class,
                () -> Datasette.builder().instance("prod").env(env).timeout(java.time.Duration.ofMillis(100)).build());
        assertEquals("The command 'hang' for the token of prod did not finish within 0.1 s and was stopped."
                + " Use Datasette.builder().timeout(...) or DCLIENT_TIMEOUT to wait longer.", hang.getMessage());

        tokens.putInKeyring("prod", "dstok_ROOT");
        keyring.mode("locked");
        DclientException locked = assertThrows(DclientException.class, () -> Datasette.builder().instance("prod").env(env).build());
        assertEquals("The Secret Service keyring (secret-tool) is locked, so the token for prod cannot be read. Unlock it"
                + " and try again, or pass the token to Datasette.builder().token(...), or store it in auth.json:"
                + " Tokens.open().put(\"prod\", token).", locked.getMessage());
        DclientException store = assertThrows(DclientException.class, () -> tokens.putInKeyring("other", "dstok_X"));
        assertTrue(store.getMessage().endsWith("Unlock it and try again, or store it in auth.json instead:"
                + " Tokens.open().put(\"other\", token)."), store.getMessage());
        for (DclientException e : List.of(hang, locked, store)) {
            assertFalse(e.getMessage().contains("--"), "a command-line flag in a library message: " + e.getMessage());
        }
        DclientException badCommand = assertThrows(DclientException.class, () -> tokens.putCommand("prod", "a | b"));
        assertEquals("Cannot use the command 'a | b': it uses shell syntax (|), but it is run without a shell. Quote the"
                + " character, or let the command run a shell: putCommand(key, \"sh -c '...'\").", badCommand.getMessage());
    }
}
