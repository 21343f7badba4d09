package io.datasette.dclient.cli;

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
 * Every option or argument key a handler reads exists in commands.yaml for the command that
 * runs it. (The dispatcher's Invocation also refuses unknown keys at run time; this finds them
 * without running each code path.)
 */
class HandlerKeysTest {
    /** {@code inv.string("key")}, {@code inv.flag("key")}, ... as handlers read values. */
    static final Pattern READ = Pattern.compile(
            "\\binv\\.(?:string|flag|integer|decimal|strings|tuples|has)\\(\"([^\"]+)\"\\)");

    @Test
    void everyKeyAHandlerReadsIsDefinedForItsCommand() throws Exception {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (CommandDef c : CommandSpecsTest.all(CommandSpecs.load())) {
            if (c.handler() == null) continue;
            Path source = Path.of("lib/cli/commands", c.handler().replace('.', '/') + ".java");
            assertTrue(Files.exists(source), "no source for handler " + c.handler() + " at " + source);
            Matcher m = READ.matcher(Files.readString(source));
            while (m.find()) {
                checked++;
                if (!c.accepts(m.group(1))) {
                    problems.add(c.handler() + " reads '" + m.group(1) + "', not defined for '" + c.name() + "'");
                }
            }
        }
        assertTrue(checked > 40, "only " + checked + " reads found: has the accessor style changed?");
        assertEquals(List.of(), problems);
    }

    @Test
    void theRunTimeCheckNamesTheCommandAndTheKey() {
        Invocation inv = new Invocation(List.of("rows"), java.util.Map.of("table", "dogs"));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> inv.string("tabel"));
        assertEquals("the handler of 'dclient rows' read 'tabel', which commands.yaml does not define for it", e.getMessage());
        assertEquals("dogs", inv.string("table"));
        // tests that build one by hand stay lenient
        assertEquals(null, Invocation.of("rows", java.util.Map.of()).string("tabel"));
    }
}
