package io.datasette.dclient.cli.commands.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.datasette.dclient.testing.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Completion of the row commands, {@code auth token}, and {@code --fmt}'s values (its spec {@code choices}). */
class CompletionChoicesTest {
    @TempDir
    Path dir;
    Path script;

    @BeforeEach
    void writeScript() throws Exception {
        CliRunner.Result r = new CliRunner(dir).run("completion", "bash");
        assertEquals(0, r.exitCode(), r.toString());
        script = dir.resolve("dclient.bash");
        Files.writeString(script, r.out());
    }

    /** What bash completes for a command line (CompletionTest's driver). */
    String complete(String line) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")),
                "needs bash");
        return CompletionTest.complete(script, line);
    }

    @Test
    void theScriptNamesTheNewCommandsAndTheStyles() throws Exception {
        String s = Files.readString(script);
        for (String f : new String[] {"_picocli_dclient_row", "_picocli_dclient_update", "_picocli_dclient_delete",
                "_picocli_dclient_drop", "_picocli_dclient_auth_token"}) {
            assertTrue(s.contains(f), f);
        }
        assertTrue(s.contains("(\"simple\" \"plain\" \"github\" \"markdown\" \"grid\" \"rst\") # --fmt values"),
                "the --fmt choices");
    }

    @Test
    void bashCompletesTheNewCommands() throws Exception {
        assertEquals("drop", complete("dclient dr"));
        assertEquals("row rows", complete("dclient ro"));
        assertEquals("update upsert", complete("dclient up"));
        assertEquals("token", complete("dclient auth to"));
        assertEquals("--yes", complete("dclient drop db t --y"));
        assertEquals("--set", complete("dclient update db t 1 --se"));
    }

    @Test
    void bashCompletesFmtValuesWhereverTableIs() throws Exception {
        String all = "github grid markdown plain rst simple";
        assertEquals(all, complete("dclient rows db t --fmt "));
        assertEquals(all, complete("dclient query db sql --fmt "));
        assertEquals("github grid", complete("dclient row db t 1 --fmt g"));
        assertEquals("--fmt", complete("dclient --fm"));
    }
}
