package io.datasette.dclient.cli;

import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.Version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.testing.CliRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dispatcher with the real commands.yaml but fake handlers: what reaches a handler, and how
 * usage errors, help, --version and failures come out.
 */
class DispatcherTest {
    @TempDir
    Path dir;

    private final List<String> handlerIds = new ArrayList<>();
    private final List<Invocation> invocations = new ArrayList<>();
    private Handler behaviour = (inv, ctx) -> 0;

    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Context ctx = new CliRunner(dir).context(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Dispatcher d = new Dispatcher(CommandSpecs.load(), id -> (inv, c) -> {
            handlerIds.add(id);
            invocations.add(inv);
            return behaviour.run(inv, c);
        });
        int code = d.run(args, ctx);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Invocation only(Run r) {
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(1, invocations.size(), r.toString());
        return invocations.get(0);
    }

    // --- values handed to handlers -------------------------------------------------------

    @Test
    void queryGetsArgumentsRepeatedPairsFlagsAndStrings() {
        Invocation inv = only(run("query", "fixtures", "select :a, :b", "-p", "a", "1", "--param", "b", "two words",
                "--csv", "-v", "--token", "t0k", "-i", "prod"));
        assertEquals(List.of("query.QueryHandler"), handlerIds);
        assertEquals(List.of("query"), inv.command());
        assertEquals("fixtures", inv.string("database"));
        assertEquals("select :a, :b", inv.string("sql"));
        assertEquals(List.of(List.of("a", "1"), List.of("b", "two words")), inv.tuples("param"));
        assertTrue(inv.flag("csv"));
        assertTrue(inv.flag("verbose"));
        assertEquals("t0k", inv.string("token"));
        assertEquals("prod", inv.string("instance"));
        // flags not given are absent (null), not false
        assertNull(inv.values().get("tsv"));
        assertFalse(inv.flag("tsv"));
        assertFalse(inv.has("table"));
    }

    @Test
    void rowsGetsTriplesRepeatablesIntegersAndOptionalArguments() {
        Invocation inv = only(run("rows", "fixtures", "dogs", "-f", "age", "gt", "3", "--filter", "name", "eq", "Dog 7",
                "--col", "name", "--col", "age", "--size", "5", "--all", "--sort-desc", "age"));
        assertEquals(List.of("rows"), inv.command());
        assertEquals("fixtures", inv.string("db_or_table"));
        assertEquals("dogs", inv.string("table_name"));
        assertEquals(List.of(List.of("age", "gt", "3"), List.of("name", "eq", "Dog 7")), inv.tuples("filter"));
        assertEquals(List.of("name", "age"), inv.strings("col"));
        assertEquals(List.of(), inv.strings("nocol"));
        assertEquals(5L, inv.values().get("size"));
        assertEquals(5L, inv.integer("size"));
        assertNull(inv.integer("limit"));
        assertTrue(inv.flag("all"));
        assertEquals("age", inv.string("sort-desc"));
    }

    @Test
    void anOptionalArgumentNotGivenIsNull() {
        Invocation inv = only(run("rows", "dogs"));
        assertEquals("dogs", inv.string("db_or_table"));
        assertNull(inv.string("table_name"));
        assertTrue(inv.values().containsKey("table_name"));
    }

    @Test
    void defaultsFromTheSpecAreTypedAndOverridable() {
        Invocation defaults = only(run("insert", "main", "dogs", "dogs.csv"));
        assertEquals(100L, defaults.values().get("batch-size"));
        assertEquals(10.0, defaults.values().get("interval"));
        invocations.clear();
        Invocation given = only(run("insert", "main", "dogs", "-", "--nl", "--batch-size", "7", "--interval", "0.5"));
        assertEquals(7L, given.integer("batch-size"));
        assertEquals(0.5, given.decimal("interval"));
        assertEquals("-", given.string("filepath"));
    }

    @Test
    void aRepeatedSingleValueOptionKeepsTheLastValue() {
        Invocation inv = only(run("tables", "-d", "first", "-d", "second"));
        assertEquals("second", inv.string("database"));
    }

    @Test
    void optionsBeforeTheSubcommandNameAreCarriedToIt() {
        Invocation inv = only(run("-i", "prod", "-d", "main", "-v", "--token", "x", "tables", "--views"));
        assertEquals(List.of("data.TablesHandler"), handlerIds);
        assertEquals(List.of("tables"), inv.command());
        assertEquals("prod", inv.string("instance"));
        assertEquals("main", inv.string("database"));
        assertTrue(inv.flag("verbose"));
        assertEquals("x", inv.string("token"));
        assertTrue(inv.flag("views"));
    }

    @Test
    void theSubcommandsOwnValueWinsOverOneGivenBeforeIt() {
        Invocation inv = only(run("-i", "prod", "tables", "-i", "staging"));
        assertEquals("staging", inv.string("instance"));
    }

    @Test
    void optionsBeforeANestedSubcommandAreCarriedToo() {
        Invocation inv = only(run("-i", "prod", "auth", "status"));
        assertEquals(List.of("auth", "status"), inv.command());
        assertEquals("prod", inv.string("instance"));
    }

    @Test
    void anOptionBeforeTheSubcommandThatItDoesNotTakeIsAUsageError() {
        Run r = run("-d", "main", "databases");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals("Error: Option '-d/--database' does not apply to 'dclient databases'\n"
                + "Try 'dclient databases --help' for help.\n", r.err());
        assertEquals(List.of(), handlerIds);
    }

    @Test
    void aQueryDatabaseArgumentDoesNotSwallowAnEarlierDashD() {
        // query takes DATABASE as an argument; -d before it would otherwise be silently ignored
        Run r = run("-d", "main", "query", "fixtures", "select 1");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: Option '-d/--database' does not apply to 'dclient query'"), r.err());
    }

    // --- bare SQL --------------------------------------------------------------------------

    @Test
    void bareSqlGoesToTheDefaultCommand() {
        Invocation inv = only(run("select 1"));
        assertEquals(List.of("query.BareQueryHandler"), handlerIds);
        assertEquals(List.of(), inv.command());
        assertEquals("select 1", inv.string("sql"));
        assertNull(inv.string("instance"));
    }

    @Test
    void bareSqlTakesInstanceDatabaseAndFormatOptionsOnEitherSide() {
        Invocation inv = only(run("-i", "X", "-d", "Y", "select * from t", "--csv", "--token", "tok"));
        assertEquals("X", inv.string("instance"));
        assertEquals("Y", inv.string("database"));
        assertEquals("select * from t", inv.string("sql"));
        assertTrue(inv.flag("csv"));
        assertEquals("tok", inv.string("token"));
    }

    @Test
    void aCommandNameRunsThatCommandNotSql() {
        only(run("tables"));
        assertEquals(List.of("data.TablesHandler"), handlerIds);
    }

    // --- usage errors ----------------------------------------------------------------------

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of(List.of("query"), "Error: Missing required parameters: 'DATABASE', 'SQL'", "dclient query"),
                Arguments.of(List.of("query", "fixtures"), "Error: Missing required parameter: 'SQL'", "dclient query"),
                Arguments.of(List.of("alias", "add", "x"), "Error: Missing required parameter: 'URL'", "dclient alias add"),
                Arguments.of(List.of("default", "database"), "Error: Missing required parameter: 'ALIAS_OR_URL'",
                        "dclient default database"),
                Arguments.of(List.of("query", "db", "select 1", "extra"), "Error: Unmatched argument at index 3: 'extra'",
                        "dclient query"),
                Arguments.of(List.of("tables", "--nope"), "Error: Unknown option: '--nope'", "dclient tables"),
                Arguments.of(List.of("--nope", "select 1"), "Error: Unknown option: '--nope'", "dclient"),
                Arguments.of(List.of("rows", "t", "--size", "abc"),
                        "Error: Invalid value for option '--size': 'abc' is not a valid integer", "dclient rows"),
                Arguments.of(List.of("insert", "a", "b", "c", "--interval", "soon"),
                        "Error: Invalid value for option '--interval': 'soon' is not a valid number", "dclient insert"),
                Arguments.of(List.of("rows", "t", "-f", "age", "gt"),
                        "Error: option '--filter' at index 0 (COLUMN OP VALUE) requires at least 3 values", "dclient rows"),
                Arguments.of(List.of("query", "db", "sql", "-i"),
                        "Error: Missing required parameter for option '--instance' (TEXT)", "dclient query"),
                Arguments.of(List.of("alias", "frob"), "Error: No such command: 'frob'.", "dclient alias"),
                Arguments.of(List.of("alias", "lst"), "Error: No such command: 'lst'. Did you mean 'list'?",
                        "dclient alias"),
                Arguments.of(List.of("default", "instanc", "prod"),
                        "Error: No such command: 'instanc'. Did you mean 'instance'?", "dclient default"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void usageErrorsExit2WithAnErrorLineAndAHint(List<String> args, String error, String command) {
        Run r = run(args.toArray(String[]::new));
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("", r.out(), r.toString());
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r.toString());
        assertTrue(lines.get(0).startsWith(error), () -> "expected " + error + "\n" + r);
        assertEquals("Try '" + command + " --help' for help.", lines.get(1));
        assertEquals(List.of(), handlerIds, "no handler runs on a usage error");
    }

    // --- help and version ------------------------------------------------------------------

    @Test
    void helpIsPrintedFromTheSpecAndNoHandlerRuns() {
        Run r = run("query", "--help");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(HelpRenderer.render(List.of("dclient", "query"), CommandSpecs.load().child("query")), r.out());
        assertEquals("", r.err());
        assertEquals(List.of(), handlerIds);
    }

    @Test
    void helpWinsOverMissingArgumentsAndOtherOptions() {
        Run r = run("alias", "add", "--help");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().startsWith("Usage: dclient alias add [OPTIONS] NAME URL\n"), r.out());
        Run r2 = run("rows", "--size", "3", "--help");
        assertTrue(r2.out().startsWith("Usage: dclient rows [OPTIONS] DB_OR_TABLE [TABLE]\n"), r2.out());
    }

    @Test
    void aGroupWithoutSubcommandPrintsItsHelp() {
        Run r = run("alias");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(HelpRenderer.render(List.of("dclient", "alias"), CommandSpecs.load().child("alias")), r.out());
        assertEquals(List.of(), handlerIds);
    }

    @Test
    void noArgumentsAtAllPrintsTheTopLevelHelp() {
        Run r = run();
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().startsWith("Usage: dclient [OPTIONS] COMMAND [ARGS]...\n"), r.out());
        assertTrue(r.out().contains("\nCommands:\n"), r.out());
        assertEquals(List.of(), handlerIds);
    }

    @Test
    void versionPrintsClicksFormat() {
        Run r = run("--version");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("dclient, version " + Version.VALUE + "\n", r.out());
        assertTrue(Version.VALUE.matches("\\d+\\.\\d+\\.\\d+.*"), Version.VALUE);
        assertEquals(List.of(), handlerIds);
    }

    // --- failures inside handlers ----------------------------------------------------------

    @Test
    void aDclientExceptionIsOneErrorLineWithItsExitCode() {
        behaviour = (inv, ctx) -> {
            ctx.out().println("partial output");
            throw new DclientException("Something failed. Try again later", DclientException.Kind.SERVER);
        };
        Run r = run("tables");
        assertEquals(1, r.exitCode());
        assertEquals("partial output\n", r.out());
        assertEquals("Error: Something failed. Try again later\n", r.err());
    }

    @Test
    void aUsageExceptionFromAHandlerExits2() {
        behaviour = (inv, ctx) -> {
            throw DclientException.usage("Give a table name");
        };
        Run r = run("tables");
        assertEquals(2, r.exitCode());
        assertEquals("Error: Give a table name\n", r.err());
    }

    @Test
    void anUnexpectedExceptionIsOneLineWithoutStackTrace() {
        behaviour = (inv, ctx) -> {
            throw new IllegalStateException("kaput\nsecond line of the message");
        };
        Run r = run("tables");
        assertEquals(1, r.exitCode());
        assertEquals("Error: IllegalStateException: kaput (run with --debug for details)\n", r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void anUnexpectedExceptionWithoutMessageNamesItsType() {
        behaviour = (inv, ctx) -> {
            throw new NullPointerException();
        };
        Run r = run("query", "db", "select 1");
        assertEquals(1, r.exitCode());
        assertEquals("Error: NullPointerException (run with --debug for details)\n", r.err());
    }

    @Test
    void withoutAVerboseOptionThereIsNoHintToUseIt() {
        behaviour = (inv, ctx) -> {
            throw new IllegalStateException("kaput");
        };
        Run r = run("alias", "add", "x", "https://x.example");
        assertEquals(1, r.exitCode());
        assertEquals("Error: IllegalStateException: kaput\n", r.err());
    }

    @Test
    void verboseNeverAddsAStackTrace() {
        behaviour = (inv, ctx) -> {
            throw new IllegalStateException("kaput");
        };
        Run r = run("tables", "-v");
        assertEquals(1, r.exitCode());
        assertEquals("Error: IllegalStateException: kaput (run with --debug for details)\n", r.err());
    }

    @Test
    void debugAddsTheStackTrace() {
        behaviour = (inv, ctx) -> {
            throw new IllegalStateException("kaput");
        };
        Run r = run("tables", "--debug");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("Error: IllegalStateException: kaput\n"), r.err());
        assertTrue(r.err().contains("java.lang.IllegalStateException: kaput"), r.err());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void debugGivenBeforeTheSubcommandAlsoShowsTheStackTrace() {
        behaviour = (inv, ctx) -> {
            throw new IllegalStateException("kaput");
        };
        Run r = run("--debug", "tables");
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void interruptionExits130() {
        behaviour = (inv, ctx) -> {
            throw new InterruptedException();
        };
        Run r = run("tables");
        assertEquals(130, r.exitCode());
        assertEquals("Error: Interrupted.\n", r.err());
        assertTrue(Thread.interrupted(), "the interrupt flag is restored");
    }

    @Test
    void aHandlerClassThatCannotBeUsedIsAnErrorNotACrash() {
        CommandDef spec = CommandSpecs.parse("""
                command:
                  name: dc
                  summary: Test
                  handler: alias.Missing
                  arguments:
                    - name: X
                """, id -> true);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Context ctx = new CliRunner(dir).context(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int code = new Dispatcher(spec).run(new String[] {"x"}, ctx);
        assertEquals(1, code);
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("Error: IllegalStateException: no usable handler class for 'alias.Missing'"), text);
        assertEquals(1, text.lines().count(), text);
    }

    @Test
    void theInvocationHidesTheTokenWhenPrinted() {
        Invocation inv = only(run("tables", "--token", "dstok_secret"));
        assertFalse(inv.toString().contains("dstok_secret"), inv.toString());
        assertTrue(inv.toString().contains("token=***"), inv.toString());
    }

    @Test
    void invocationWithReplacesOneValue() {
        Invocation inv = Invocation.of("rows", Map.of("size", 5L)).with("size", 9L);
        assertEquals(9L, inv.integer("size"));
        assertEquals(List.of("rows"), inv.command());
        assertEquals(Arrays.asList("auth", "status"), Invocation.of("auth status", Map.of()).command());
    }
}
