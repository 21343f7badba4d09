package io.datasette.dclient.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the {@code ./dclient} launcher promises about the JVMs it starts, checked on the script:
 * none writes an hsperfdata file (it would keep the command line, {@code --token} included, on
 * disk after a crash), and each runs with UTF-8 streams.
 */
class LauncherScriptTest {
    static final Path SCRIPT = Path.of("dclient");

    static List<String> flags(String script, String array) {
        Matcher m = Pattern.compile("(?m)^\\s*" + array + "=\\(([^)]*)\\)").matcher(script);
        assertTrue(m.find(), "no " + array + "=(...) in the launcher");
        return List.of(m.group(1).replace("\\\n", " ").trim().split("\\s+"));
    }

    @Test
    void everyJvmTheLauncherStartsWritesNoPerfDataAndSpeaksUtf8() throws Exception {
        String script = Files.readString(SCRIPT);
        for (String array : List.of("train_flags", "jsh_vm")) {
            List<String> f = flags(script, array);
            assertTrue(f.contains("-XX:-UsePerfData"), array + " " + f);
            assertTrue(f.contains("-Dfile.encoding=UTF-8"), array + " " + f);
        }
        assertTrue(flags(script, "jvm_flags").contains("\"${train_flags[@]}\""), "jvm_flags builds on train_flags");
        // every line that starts java or jshell passes one of those arrays
        List<String> bare = new ArrayList<>();
        for (String line : script.lines().toList()) {
            String code = line.strip();
            if (code.startsWith("#")) continue;
            // a launch: the program followed by an argument (not a test like [ -x "$java" ])
            if (code.matches(".*\"\\$(java|new_java)\"\\s+[\"-].*") && !code.contains("${train_flags[@]}")
                    && !code.contains("${jvm_flags[@]}")) {
                bare.add(line);
            }
            if (code.matches(".*\"\\$jshell\"\\s+[\"-].*") && !code.contains("${jsh_flags[@]}")) bare.add(line);
        }
        assertEquals(List.of(), bare, "JVMs started without the launcher's flags");
    }

    @Test
    void aLocaleThatIsNotUtf8IsReplacedBeforeTheJvmDecodesItsArguments() throws Exception {
        String script = Files.readString(SCRIPT);
        int locale = script.indexOf("export LC_ALL");
        int firstExec = script.indexOf("exec \"$java\"");
        assertTrue(locale > 0 && firstExec > locale, "LC_ALL is switched before java runs");
        assertTrue(script.contains("C.UTF-8"), "falls back to C.UTF-8");
    }
}
