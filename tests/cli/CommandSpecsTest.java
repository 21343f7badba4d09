package io.datasette.dclient.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.cli.CommandDef.OptionDef;
import io.datasette.dclient.cli.CommandSpecs.SpecException;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The command spec loader on its own: what a bad spec says, and that spec and handlers match. */
class CommandSpecsTest {
    private static final Predicate<String> FAKE_HANDLERS = id -> id.startsWith("fake.");

    /** A valid spec; each bad case below changes one thing. */
    private static final String GOOD = """
            command:
              name: dc
              summary: Test root
              handler: fake.Root
              options:
                - names: [-i, --instance]
                  label: TEXT
                  help: Instance
              commands:
                - name: sub
                  summary: A subcommand
                  handler: fake.Sub
                  arguments:
                    - name: FIRST
                    - name: SECOND
                      required: false
                  options:
                    - names: [--size]
                      label: INTEGER
                      type: integer
                      default: "5"
                      help: Size
            """;

    @Test
    void theGoodSpecParses() {
        CommandDef root = CommandSpecs.parse(GOOD, FAKE_HANDLERS);
        assertEquals("dc", root.name());
        CommandDef sub = root.child("sub");
        assertNotNull(sub);
        assertEquals("fake.Sub", sub.handler());
        assertEquals(List.of("first", "second"), sub.arguments().stream().map(a -> a.key()).toList());
        OptionDef size = sub.options().get(0);
        assertEquals("size", size.key());
        assertEquals("5", size.defaultValue());
        assertEquals("integer", size.type());
    }

    static Stream<Arguments> badSpecs() {
        String sizeOption = "        - names: [--size]\n          label: INTEGER\n          type: integer\n"
                + "          default: \"5\"\n          help: Size\n";
        String arguments = "        - name: FIRST\n        - name: SECOND\n          required: false\n";
        return Stream.of(
                Arguments.of("unknown handler id",
                        GOOD.replace("handler: fake.Sub", "handler: nope.Missing"),
                        "commands.yaml: command 'dc sub': unknown handler 'nope.Missing'"
                                + " (no class io.datasette.dclient.cli.commands.nope.Missing)"),
                Arguments.of("the same option name twice",
                        GOOD.replace("names: [--size]", "names: [--size, --size]"),
                        "commands.yaml: command 'dc sub': duplicate option '--size'"),
                Arguments.of("two options sharing a name",
                        GOOD.replace(sizeOption, sizeOption + "        - names: [-s, --size]\n          help: Again\n"),
                        "commands.yaml: command 'dc sub': duplicate option '--size'"),
                Arguments.of("an option called --help",
                        GOOD.replace("names: [--size]", "names: [--help]"),
                        "commands.yaml: command 'dc sub': duplicate option '--help'"),
                Arguments.of("option without help",
                        GOOD.replace("          help: Size\n", ""),
                        "commands.yaml: command 'dc sub' option [--size]: missing 'help'"),
                Arguments.of("command without summary",
                        GOOD.replace("      summary: A subcommand\n", ""),
                        "commands.yaml: command 'dc sub': missing help ('summary')"),
                Arguments.of("unknown command key",
                        GOOD.replace("summary: A subcommand", "sumary: A subcommand"),
                        "commands.yaml: command 'dc sub': unknown key 'sumary'"),
                Arguments.of("unknown option key",
                        GOOD.replace("help: Size", "hlep: Size"),
                        "commands.yaml: command 'dc sub' option [--size]: unknown key 'hlep'"),
                Arguments.of("unknown argument key",
                        GOOD.replace("- name: FIRST\n", "- name: FIRST\n          optional: true\n"),
                        "commands.yaml: command 'dc sub' argument: unknown key 'optional'"),
                Arguments.of("required argument after an optional one",
                        GOOD.replace(arguments,
                                "        - name: FIRST\n          required: false\n        - name: SECOND\n"),
                        "commands.yaml: command 'dc sub': required argument SECOND after an optional one"),
                Arguments.of("unknown top-level key",
                        "extra: 1\n" + GOOD,
                        "commands.yaml: unknown top-level key 'extra'"),
                Arguments.of("no command at all",
                        "definitions: {}\n",
                        "commands.yaml: expected a top-level 'command' mapping"),
                Arguments.of("not YAML",
                        "command: [unclosed\n",
                        "commands.yaml is not valid YAML: expected ',' or ']', but got <stream end> (line 2)"),
                Arguments.of("duplicate command",
                        GOOD + "    - name: sub\n      summary: Again\n      handler: fake.Sub\n",
                        "commands.yaml: command 'dc': duplicate command 'sub'"),
                Arguments.of("group with nothing to run",
                        GOOD + "    - name: empty\n      summary: Nothing here\n",
                        "commands.yaml: command 'dc empty': has neither a handler nor subcommands"),
                Arguments.of("unknown value type",
                        GOOD.replace("type: integer", "type: date"),
                        "commands.yaml: command 'dc sub' option [--size]: unknown type 'date'"),
                Arguments.of("default that is not of the type",
                        GOOD.replace("default: \"5\"", "default: five"),
                        "commands.yaml: command 'dc sub' option [--size]: default 'five' is not an integer"),
                Arguments.of("arity without a label",
                        GOOD.replace(sizeOption, "        - names: [--size]\n          arity: 2\n          help: Size\n"),
                        "commands.yaml: command 'dc sub' option [--size]: 'arity' needs a 'label'"),
                Arguments.of("flag with a type",
                        GOOD.replace(sizeOption, "        - names: [--size]\n          type: integer\n          help: Size\n"),
                        "commands.yaml: command 'dc sub' option [--size]: a flag has no type"),
                Arguments.of("bad option name",
                        GOOD.replace("names: [--size]", "names: [size]"),
                        "commands.yaml: command 'dc sub' option [size]: bad option name 'size'"),
                Arguments.of("option key clashing with an argument",
                        GOOD.replace("names: [--size]", "names: [--first]"),
                        "commands.yaml: command 'dc sub': duplicate key 'first'"),
                Arguments.of("command without a name",
                        GOOD.replace("- name: sub\n      summary:", "- summary:"),
                        "commands.yaml: command 'dc ?': missing 'name'"),
                Arguments.of("a key given twice",
                        GOOD.replace("handler: fake.Sub", "handler: fake.Sub\n      handler: fake.Other"),
                        "commands.yaml is not valid YAML: found duplicate key handler (line "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void aBadSpecFailsAtLoadWithAClearMessage(String what, String yaml, String expected) {
        assertTrue(!yaml.equals(GOOD), "the case must change the spec: " + what);
        SpecException e = assertThrows(SpecException.class, () -> CommandSpecs.parse(yaml, FAKE_HANDLERS), what);
        assertTrue(e.getMessage().startsWith(expected),
                () -> "expected a message starting with\n  " + expected + "\nbut was\n  " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void theBundledSpecLoadsAndEveryHandlerExists() {
        CommandDef root = CommandSpecs.load();
        List<String> missing = new ArrayList<>();
        for (CommandDef c : all(root)) {
            if (c.handler() != null && !CommandSpecs.handlerExists(c.handler())) missing.add(c.handler());
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void everyCommandHasAHandlerClassThatIsAHandler() throws Exception {
        for (CommandDef c : all(CommandSpecs.load())) {
            if (c.handler() == null) {
                assertFalse(c.commands().isEmpty(), c.name() + " has neither handler nor subcommands");
                continue;
            }
            Class<?> type = Class.forName(CommandSpecs.HANDLER_PACKAGE + c.handler(), false, getClass().getClassLoader());
            assertTrue(Handler.class.isAssignableFrom(type), type + " does not implement Handler");
            assertFalse(Modifier.isAbstract(type.getModifiers()), type + " is abstract");
            assertNotNull(type.getDeclaredConstructor(), type + " needs a no-arg constructor");
        }
    }

    /** Every concrete Handler class under lib/ is run by some command (no orphans). */
    @Test
    void everyHandlerClassInLibHasACommand() throws Exception {
        Set<String> used = new TreeSet<>();
        for (CommandDef c : all(CommandSpecs.load())) {
            if (c.handler() != null) used.add(CommandSpecs.HANDLER_PACKAGE + c.handler());
        }
        Set<String> handlers = new TreeSet<>();
        Pattern pkg = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
        try (Stream<Path> files = Files.walk(Path.of("lib"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.getFileName().toString().contains("-")).toList()) { // package-info.java
                Matcher m = pkg.matcher(Files.readString(f));
                if (!m.find()) continue;
                String name = m.group(1) + "." + f.getFileName().toString().replace(".java", "");
                Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                if (Handler.class.isAssignableFrom(type) && !type.isInterface()
                        && !Modifier.isAbstract(type.getModifiers())) {
                    handlers.add(name);
                }
            }
        }
        assertTrue(handlers.size() >= 20, "found only " + handlers + " (run tests from the repository root)");
        Set<String> orphans = new TreeSet<>(handlers);
        orphans.removeAll(used);
        assertEquals(Set.of(), orphans, "Handler classes that no command in commands.yaml runs");
        Set<String> notInLib = new TreeSet<>(used);
        notInLib.removeAll(handlers);
        assertEquals(Set.of(), notInLib, "commands.yaml handlers without a class under lib/");
    }

    @Test
    void theBundledSpecMatchesTheFileInTheRepository() throws IOException {
        // The dispatcher reads commands.yaml from the class path; the README and humans read the file.
        try (var in = getClass().getClassLoader().getResourceAsStream(CommandSpecs.RESOURCE)) {
            assertNotNull(in);
            assertEquals(Files.readString(Path.of("commands.yaml")), new String(in.readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void optionKeysFollowTheNamingRule() {
        CommandDef rows = CommandSpecs.load().child("rows");
        List<String> keys = rows.options().stream().map(OptionDef::key).toList();
        assertTrue(keys.containsAll(List.of("instance", "database", "filter", "sort-desc", "col", "size", "all")), keys.toString());
        assertEquals(List.of("db_or_table", "table_name"), rows.arguments().stream().map(a -> a.key()).toList());
    }

    static List<CommandDef> all(CommandDef root) {
        List<CommandDef> out = new ArrayList<>();
        out.add(root);
        for (CommandDef c : root.commands()) out.addAll(all(c));
        return out;
    }
}
