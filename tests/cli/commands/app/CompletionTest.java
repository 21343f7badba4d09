package io.datasette.dclient.cli.commands.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.datasette.dclient.cli.CommandDef;
import io.datasette.dclient.cli.CommandSpecs;
import io.datasette.dclient.testing.CliRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code dclient completion bash|zsh}: picocli's script generated from commands.yaml. */
class CompletionTest {
    @TempDir
    Path dir;

    private CliRunner.Result run(String... args) {
        return new CliRunner(dir).run(args);
    }

    @Test
    void bashScriptCoversEveryCommandAndOption() {
        CliRunner.Result r = run("completion", "bash");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.err());
        String script = r.out();
        assertTrue(script.startsWith("#!/usr/bin/env bash"), script.substring(0, 100));
        assertTrue(script.contains("complete -F _complete_dclient"), "registers the function");
        CommandDef root = CommandSpecs.load();
        for (CommandDef c : root.commands()) {
            if (c.hidden()) continue;
            assertTrue(script.contains(" " + c.name() + " ") || script.contains(" " + c.name() + "\""),
                    "mentions command " + c.name());
            for (CommandDef sub : c.commands()) {
                assertTrue(script.contains("_picocli_dclient_" + c.name().replace("-", "") + "_" + sub.name().replace("-", "")),
                        "has a function for " + c.name() + " " + sub.name());
            }
        }
        assertTrue(script.contains("local commands=\"add list remove status token\""), "auth subcommands");
        assertTrue(script.contains("'--read-all'"), "login --read-all");
        assertTrue(script.contains("'--token'"), "--token");
        assertTrue(script.contains("'--csv'"), "--csv");
    }

    @Test
    void hiddenOptionsAreNotOffered() {
        String script = run("completion", "bash").out();
        assertTrue(script.contains("'--token-only'"));
        assertFalse(script.contains("--no-browser"), "login --no-browser is hidden in commands.yaml");
    }

    @Test
    void zshScriptIsTheBashScriptForBashcompinitWithACompdefLine() {
        CliRunner.Result r = run("completion", "zsh");
        assertEquals(0, r.exitCode(), r.toString());
        String script = r.out();
        assertTrue(script.startsWith("#compdef dclient\n"), script.substring(0, 100));
        assertTrue(script.contains("autoload -U +X bashcompinit && bashcompinit"));
        assertTrue(script.contains("source <(dclient completion zsh)"), "says how to enable it");
        String bash = run("completion", "bash").out();
        assertTrue(script.contains(bash.substring(bash.indexOf('\n') + 1)), "embeds the bash script");
        assertTrue(script.contains("_bash_complete -F _complete_dclient"), "answers the first completion when autoloaded");
    }

    @Test
    void shellNameIgnoresCase() {
        assertEquals(run("completion", "bash").out(), run("completion", "BASH").out());
    }

    @ParameterizedTest
    @CsvSource({"fish", "powershell", "''"})
    void unknownShellIsAUsageError(String shell) {
        CliRunner.Result r = run("completion", shell);
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals("Error: Unsupported shell: " + shell + ". Use bash or zsh.\n", r.err());
    }

    @Test
    void missingShellIsAUsageError() {
        CliRunner.Result r = run("completion");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: "), r.toString());
    }

    /** What bash itself completes for a command line, by calling the generated function. */
    static String complete(Path script, String line) throws IOException, InterruptedException {
        String words = line.endsWith(" ") ? line + "''" : line;
        String driver = "source " + script + "\n"
                + "COMP_LINE='" + line + "'\nCOMP_POINT=${#COMP_LINE}\n"
                + "COMP_WORDS=(" + words + ")\nCOMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "_complete_dclient\nprintf '%s\\n' \"${COMPREPLY[@]}\" | sort\n";
        Process p = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", driver)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out.strip().replace("\n", " ");
    }

    @Test
    void bashCompletesCommandsAndOptions() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")),
                "needs bash");
        Path script = dir.resolve("dclient.bash");
        Files.writeString(script, run("completion", "bash").out());
        assertEquals("auth", complete(script, "dclient au"));
        assertEquals("add list remove status token", complete(script, "dclient auth "));
        assertEquals("--read --read-all", complete(script, "dclient login --read"));
        assertEquals("--token", complete(script, "dclient actor --tok"));
        assertEquals("--token-only", complete(script, "dclient login --tok"));
        assertEquals("bash zsh", complete(script, "dclient completion "));
    }
}
