package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.TokenStorage;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** auth-sources.json: its format, its errors, and how it joins auth.json. */
class TokenRefsTest {
    @TempDir
    Path dir;

    @Test
    void writesBothKindsOwnerOnlyAndReadsThemBack() throws Exception {
        TokenRefs refs = new TokenRefs(dir);
        refs.update(m -> {
            m.put("prod", TokenRefs.Ref.keyring("prod"));
            m.put("ci", TokenRefs.Ref.command("pass show datasette/ci"));
            return null;
        });
        assertEquals("""
                {
                    "prod": {
                        "storage": "keyring",
                        "service": "io.datasette.dclient",
                        "account": "prod"
                    },
                    "ci": {
                        "storage": "command",
                        "command": "pass show datasette/ci"
                    }
                }""", Files.readString(refs.file()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(refs.file())));
        assertEquals(Map.of("prod", TokenRefs.Ref.keyring("prod"), "ci", TokenRefs.Ref.command("pass show datasette/ci")),
                refs.load());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not json|it is not valid JSON (line 1)",
        "[]|expected a JSON object",
        "{\"prod\": {\"storage\": \"vault\"}}|\"prod\" needs \"storage\": \"keyring\" or \"command\"",
        "{\"prod\": \"dstok_x\"}|\"prod\" needs \"storage\": \"keyring\" or \"command\"",
        "{\"prod\": {\"storage\": \"command\"}}|\"prod\" needs a \"command\" string",
        "{\"prod\": {\"storage\": \"keyring\", \"service\": \"other\"}}|\"prod\" names a keyring service other than io.datasette.dclient",
    })
    void aFileThatCannotBeUsedIsAnErrorNamingItAndIsNeverOverwritten(String text, String why) throws Exception {
        Files.writeString(dir.resolve(TokenRefs.FILE), text);
        DclientException e = assertThrows(DclientException.class, () -> new TokenRefs(dir).load());
        assertEquals("Cannot use " + dir.resolve(TokenRefs.FILE) + ": " + why + ". Fix or move that file; dclient has not"
                + " changed it.", e.getMessage());
        CliRunner.Result r = new CliRunner(dir).run("auth", "add", "prod", "--token", "dstok_x");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals(text, Files.readString(dir.resolve(TokenRefs.FILE)));
        assertEquals(List.of(), new AuthStore(dir).load().keySet().stream().toList(), "nothing stored either");
    }

    @Test
    void anAuthJsonTokenWinsOverAnEntryUnderTheSameKey() {
        new AuthStore(dir).put("prod", "dstok_FILE");
        new TokenRefs(dir).update(m -> {
            m.put("prod", TokenRefs.Ref.keyring("prod"));
            m.put("ci", TokenRefs.Ref.command("x"));
            return null;
        });
        Map<String, StoredToken> all = StoredToken.load(dir);
        assertEquals(List.of("prod", "ci"), List.copyOf(all.keySet()));
        assertEquals(TokenStorage.FILE, all.get("prod").storage());
        assertEquals(TokenStorage.COMMAND, all.get("ci").storage());
        assertTrue(all.get("prod").toString().indexOf("dstok") < 0, all.get("prod").toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"\"vault\"", "true", "1"})
    void configJsonsTokenStorageMustBeKeyringOrFile(String value) throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"instances\": {}, \"token_storage\": " + value + "}");
        DclientException e = assertThrows(DclientException.class, () -> new ConfigStore(dir).load());
        assertTrue(e.getMessage().endsWith("\"token_storage\" must be \"keyring\" or \"file\". Fix or move that file;"
                + " dclient has not changed it."), e.getMessage());
    }
}
