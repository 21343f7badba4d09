package io.datasette.dclient.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.cli.CommandDef.ArgumentDef;
import io.datasette.dclient.cli.CommandDef.OptionDef;
import io.datasette.dclient.cli.CommandSpecs.SpecException;
import io.datasette.dclient.cli.output.TableStyle;
import io.datasette.dclient.core.io.Context;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The spec's {@code choices} (for options) and {@code repeatable} (for the last argument). */
class CommandSpecsChoicesTest {
    static final Predicate<String> FAKE = id -> id.startsWith("fake.");

    static String spec(String option, String arguments) {
        return """
                command:
                  name: dc
                  summary: Test root
                  commands:
                    - name: sub
                      summary: A subcommand
                      handler: fake.Sub
                      arguments:
                %s
                      options:
                %s
                """.formatted(arguments.indent(8).stripTrailing(), option.indent(8).stripTrailing());
    }

    static final String FMT = """
            - names: [--fmt]
              label: STYLE
              choices: [simple, plain, grid]
              default: simple
              help: Style""";
    static final String ARGS = """
            - name: DB
            - name: PK
              repeatable: true""";

    @Test
    void choicesAndARepeatableLastArgumentParse() {
        CommandDef sub = CommandSpecs.parse(spec(FMT, ARGS), FAKE).child("sub");
        assertEquals(List.of("simple", "plain", "grid"), sub.options().get(0).choices());
        assertFalse(sub.arguments().get(0).repeatable());
        assertTrue(sub.arguments().get(1).repeatable());
        assertEquals("pk", sub.arguments().get(1).key());
    }

    @Test
    void withoutChoicesTheListIsEmpty() {
        CommandDef sub = CommandSpecs.parse(spec("- names: [--x]\n  label: X\n  help: x", "- name: DB"), FAKE)
                .child("sub");
        assertEquals(List.of(), sub.options().get(0).choices());
        assertEquals(List.of(), new OptionDef(List.of("--x"), "X", 1, false, "string", null, "", "x", false).choices());
        assertFalse(new ArgumentDef("A", true, null, "a").repeatable());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a flag | - names: [--fmt]\\n  choices: [a, b]\\n  help: x | 'choices' need an option taking one value",
        "two values | - names: [--fmt]\\n  label: A B\\n  arity: 2\\n  choices: [a, b]\\n  help: x | 'choices' need an option taking one value",
        "empty | - names: [--fmt]\\n  label: S\\n  choices: []\\n  help: x | 'choices' is empty",
        "a number type | - names: [--fmt]\\n  label: S\\n  type: integer\\n  choices: ['1']\\n  help: x | 'choices' are for string options",
        "a space | - names: [--fmt]\\n  label: S\\n  choices: [a b]\\n  help: x | a choice is empty or has a space",
        "twice | - names: [--fmt]\\n  label: S\\n  choices: [a, a]\\n  help: x | a choice is listed twice",
        "bad default | - names: [--fmt]\\n  label: S\\n  choices: [a, b]\\n  default: c\\n  help: x | default 'c' is not one of the choices",
    })
    void badChoicesFailNamingTheOption(String name, String option, String problem) {
        SpecException e = assertThrows(SpecException.class,
                () -> CommandSpecs.parse(spec(option.replace("\\n", "\n"), "- name: DB"), FAKE));
        assertTrue(e.getMessage().startsWith("commands.yaml: command 'dc sub' option [--fmt]: "), e.getMessage());
        assertTrue(e.getMessage().endsWith(problem), e.getMessage());
    }

    @Test
    void onlyTheLastArgumentMayRepeat() {
        SpecException e = assertThrows(SpecException.class, () -> CommandSpecs.parse(
                spec("- names: [--x]\n  help: x", "- name: PK\n  repeatable: true\n- name: MORE"), FAKE));
        assertEquals("commands.yaml: command 'dc sub': argument MORE after a repeatable one (only the last may repeat)",
                e.getMessage());
    }

    @Test
    void theRepeatableArgumentShowsAsEllipsisInHelp() {
        CommandDef sub = CommandSpecs.parse(spec(FMT, ARGS), FAKE).child("sub");
        assertTrue(HelpRenderer.render(List.of("dc", "sub"), sub).startsWith("Usage: dc sub [OPTIONS] DB PK...\n"));
    }

    @Test
    void theRealSpecGivesFmtItsStylesWhereverTableIs() {
        CommandDef root = CommandSpecs.load();
        List<CommandDef> withTable = new ArrayList<>();
        collect(root, withTable);
        assertEquals(List.of("dclient", "query", "rows", "row"), withTable.stream().map(CommandDef::name).toList());
        for (CommandDef c : withTable) {
            OptionDef fmt = c.options().stream().filter(o -> o.key().equals("fmt")).findFirst().orElseThrow();
            assertEquals(TableStyle.names(), fmt.choices(), c.name());
            assertEquals(null, fmt.defaultValue(), "a default would make every run a table (--fmt implies -t)");
        }
        for (String name : List.of("row", "update", "delete")) {
            ArgumentDef last = root.child(name).arguments().get(root.child(name).arguments().size() - 1);
            assertTrue(last.repeatable() && last.name().equals("PK"), name);
        }
    }

    private static void collect(CommandDef c, List<CommandDef> out) {
        if (c.options().stream().anyMatch(o -> o.key().equals("table"))) out.add(c);
        for (CommandDef child : c.commands()) collect(child, out);
    }

    @Test
    void theDispatcherHandsARepeatableArgumentOverAsAList() {
        List<Invocation> seen = new ArrayList<>();
        Dispatcher d = new Dispatcher(CommandSpecs.parse(spec(FMT, ARGS), FAKE), id -> (inv, ctx) -> {
            seen.add(inv);
            return 0;
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        Context ctx = Context.builder().out(ps).err(ps).build();
        assertEquals(0, d.run(new String[] {"sub", "db", "a/b", "--fmt", "grid", ".c-d", "-1"}, ctx), out.toString());
        assertEquals("db", seen.get(0).string("db"));
        assertEquals(List.of("a/b", ".c-d", "-1"), seen.get(0).strings("pk"));
        assertEquals("grid", seen.get(0).string("fmt"));
        // after --, anything is a value
        assertEquals(0, d.run(new String[] {"sub", "db", "--", "--fmt", "-x"}, ctx), out.toString());
        assertEquals(List.of("--fmt", "-x"), seen.get(1).strings("pk"));
        assertEquals("simple", seen.get(1).string("fmt"), "the default");
        assertEquals(2, d.run(new String[] {"sub", "db"}, ctx), "PK is required");
    }

    @Test
    void theSpecCacheKeepsChoicesAndRepeatable(@TempDir Path dir) {
        CommandDef def = CommandSpecs.parse(spec(FMT, ARGS), FAKE);
        Path file = dir.resolve("spec.bin");
        SpecCache.write(file, 42L, def);
        assertTrue(Files.exists(file));
        assertEquals(def, SpecCache.read(file, 42L));
    }
}
