package io.datasette.dclient.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.testing.CliRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --help} layout. The expected texts were produced by click 8.4 (Python dclient's CLI
 * library) from an equivalent click command tree, so the two clients' help reads the same;
 * the seed document's auth/login help (whitespace flattened) is checked as well.
 */
class HelpRendererTest {
    @TempDir
    Path dir;

    private String help(String... command) {
        CliRunner.Result r = new CliRunner(dir).run(concat(command, "--help"));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.err(), r.toString());
        return r.out();
    }

    private static String[] concat(String[] a, String b) {
        String[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    @Test
    void authGroupHelp() {
        assertEquals("""
                Usage: dclient auth [OPTIONS] COMMAND [ARGS]...

                  Manage authentication for different instances

                Options:
                  --help  Show this message and exit.

                Commands:
                  add     Add an authentication token for an alias or URL
                  list    List stored API tokens
                  remove  Remove the API token for an alias or URL
                  status  Verify authentication by calling /-/actor.json
                  token   Print the API token for an instance (a secret)
                """, help("auth"));
    }

    @Test
    void authAddHelpHasNotesAfterTheExamplesAndAnOptionWithoutHelp() {
        assertEquals("""
                Usage: dclient auth add [OPTIONS] ALIAS_OR_URL

                  Add an authentication token for an alias or URL

                  Example usage:

                      dclient auth add prod
                      dclient auth add https://datasette.io

                  Paste in the token when prompted.

                Options:
                  --token TEXT
                  --keyring      Store the token in the system keyring, not in auth.json
                  --no-keyring   Store the token in auth.json, even if keyring is the default
                  --command CMD  Run CMD (no shell) for the token each time; nothing is stored
                  --help         Show this message and exit.
                """, help("auth", "add"));
    }

    @Test
    void loginHelpLeavesHiddenOptionsOut() {
        assertEquals("""
                Usage: dclient login [OPTIONS] [ALIAS_OR_URL]

                  Authenticate with a Datasette instance using OAuth

                  Uses the OAuth device flow: opens a URL in your browser where you approve
                  access, then saves the resulting API token.

                  Example usage:

                      dclient login https://simon.datasette.cloud/
                      dclient login myalias
                      dclient login
                      dclient login --read-all
                      dclient login --write-all
                      dclient login --read db1
                      dclient login --write db3/submissions
                      dclient login --read db1 --write db3/dogs

                Options:
                  --scope TEXT  JSON scope array
                  --read-all    Request instance-wide read access
                  --write-all   Request instance-wide write access
                  --read TEXT   Request read access for a database or database/table
                  --write TEXT  Request write access for a database or database/table
                  --token-only  Output the token to stdout instead of saving it
                  --keyring     Store the token in the system keyring, not in auth.json
                  --no-keyring  Store the token in auth.json, even if keyring is the default
                  --help        Show this message and exit.
                """, help("login"));
    }

    @Test
    void queryHelpWrapsLongOptionHelpUnderItsColumn() {
        assertEquals("""
                Usage: dclient query [OPTIONS] DATABASE SQL

                  Run a SQL query against a Datasette database

                  Requires both a database name and a SQL string.

                  Example usage:

                      dclient query fixtures "select * from facetable limit 5"
                      dclient query main "select * from dogs where age > :age" -p age 3
                      dclient query fixtures "select 1" -i prod --csv

                Options:
                  -i, --instance TEXT     Datasette instance URL or alias
                  --token TEXT            API token
                  --timeout SECONDS       Seconds to wait for the server (default
                                          DCLIENT_TIMEOUT, else 30)
                  -p, --param NAME VALUE  Value for a named :parameter in the SQL
                  -v, --verbose           Verbose output: show HTTP requests on stderr (never
                                          the token)
                  --debug                 Show a stack trace on errors (it may show private
                                          data: check before sharing it)
                  --csv                   Output as CSV
                  --tsv                   Output as TSV
                  --nl                    Output as newline-delimited JSON
                  -t, --table             Output as ASCII table
                  --fmt STYLE             Table style (implies -t): simple (the default),
                                          plain, github (or markdown), grid or rst
                  --help                  Show this message and exit.
                """, help("query"));
    }

    /** The help texts in the user's seed document, whitespace flattened as it is there. */
    static Stream<Arguments> seedHelp() {
        return Stream.of(
                Arguments.of(List.of("login"), """
                        Usage: dclient login [OPTIONS] [ALIAS_OR_URL]
                        Authenticate with a Datasette instance using OAuth
                        Uses the OAuth device flow: opens a URL in your browser where you approve
                        access, then saves the resulting API token.
                        Example usage:
                        dclient login https://simon.datasette.cloud/
                        dclient login myalias
                        dclient login
                        dclient login --read-all
                        dclient login --write-all
                        dclient login --read db1
                        dclient login --write db3/submissions
                        dclient login --read db1 --write db3/dogs
                        Options:
                        --scope TEXT JSON scope array
                        --read-all Request instance-wide read access
                        --write-all Request instance-wide write access
                        --read TEXT Request read access for a database or database/table
                        --write TEXT Request write access for a database or database/table
                        --token-only Output the token to stdout instead of saving it
                        --keyring Store the token in the system keyring, not in auth.json
                        --no-keyring Store the token in auth.json, even if keyring is the default
                        --help Show this message and exit.
                        """), // the seed's options, plus --keyring and --no-keyring (issue 20)
                Arguments.of(List.of("auth"), """
                        Usage: dclient auth [OPTIONS] COMMAND [ARGS]...
                        Manage authentication for different instances
                        Options:
                        --help Show this message and exit.
                        Commands:
                        add Add an authentication token for an alias or URL
                        list List stored API tokens
                        remove Remove the API token for an alias or URL
                        status Verify authentication by calling /-/actor.json
                        token Print the API token for an instance (a secret)
                        """), // the seed's list, plus auth token (issue 12)
                Arguments.of(List.of("auth", "add"), """
                        Usage: dclient auth add [OPTIONS] ALIAS_OR_URL
                        Add an authentication token for an alias or URL
                        Example usage:
                        dclient auth add prod
                        dclient auth add https://datasette.io
                        Paste in the token when prompted.
                        Options:
                        --token TEXT
                        --keyring Store the token in the system keyring, not in auth.json
                        --no-keyring Store the token in auth.json, even if keyring is the default
                        --command CMD Run CMD (no shell) for the token each time; nothing is stored
                        --help Show this message and exit.
                        """), // the seed's options, plus where the token goes (issue 20)
                Arguments.of(List.of("auth", "list"), """
                        Usage: dclient auth list [OPTIONS]
                        List stored API tokens
                        Example usage:
                        dclient auth list
                        Options:
                        --help Show this message and exit.
                        """),
                Arguments.of(List.of("auth", "remove"), """
                        Usage: dclient auth remove [OPTIONS] ALIAS_OR_URL
                        Remove the API token for an alias or URL
                        Example usage:
                        dclient auth remove prod
                        Options:
                        --help Show this message and exit.
                        """),
                Arguments.of(List.of("auth", "status"), """
                        Usage: dclient auth status [OPTIONS]
                        Verify authentication by calling /-/actor.json
                        Example usage:
                        dclient auth status
                        dclient auth status -i prod
                        Options:
                        -i, --instance TEXT Datasette instance URL or alias
                        --token TEXT API token
                        --help Show this message and exit.
                        """),
                Arguments.of(List.of("actor"), """
                        Usage: dclient actor [OPTIONS]
                        Show the actor represented by an API token
                        Example usage:
                        dclient actor
                        dclient actor -i prod
                        Options:
                        -i, --instance TEXT Datasette instance URL or alias
                        --token TEXT API token
                        --help Show this message and exit.
                        """));
    }

    @ParameterizedTest(name = "dclient {0} --help")
    @MethodSource("seedHelp")
    void helpMatchesTheSeedDocument(List<String> command, String seed) {
        String rendered = help(command.toArray(String[]::new));
        List<String> flattened = new ArrayList<>();
        for (String line : rendered.lines().toList()) {
            String l = line.strip().replaceAll("\\s+", " ");
            if (!l.isEmpty()) flattened.add(l);
        }
        assertEquals(seed.lines().toList(), flattened);
    }

    private static final String SYNTHETIC = """
            command:
              name: dclient
              summary: Root summary that is long enough to need wrapping because it goes on and on past the seventy-eight column limit
              handler: fake.Root
              commands:
                - name: thing
                  summary: Do a thing
                  handler: fake.Thing
                  description: |-
                    First paragraph, which
                    is joined and rewrapped.

                    Code:

                        dc thing --x
                        dc thing --y
                  examples:
                    - dc thing 1
                  notes: Notes paragraph.
                  arguments:
                    - name: NAME
                    - name: EXTRA
                      required: false
                  options:
                    - names: [--a-really-long-option-name-indeed]
                      label: VALUE
                      help: An option whose name is longer than thirty characters so its help text moves to the next line and wraps
                    - names: [-s, --short]
                      help: Short
                    - names: [--secret]
                      help: Hidden
                      hidden: true
                    - names: [--nohelp]
                      label: TEXT
                      help: ""
                - name: hidden-cmd
                  summary: Hidden
                  handler: fake.H
                  hidden: true
                - name: a-command-with-a-very-long-name-indeed
                  summary: Long name
                  handler: fake.L
            """;

    @Test
    void layoutRulesMatchClick() {
        CommandDef root = CommandSpecs.parse(SYNTHETIC, id -> true);
        assertEquals("""
                Usage: dclient [OPTIONS] COMMAND [ARGS]...

                  Root summary that is long enough to need wrapping because it goes on and on
                  past the seventy-eight column limit

                Options:
                  --help  Show this message and exit.

                Commands:
                  a-command-with-a-very-long-name-indeed
                                                  Long name
                  thing                           Do a thing
                """, HelpRenderer.render(List.of("dclient"), root));
        assertEquals("""
                Usage: dclient thing [OPTIONS] NAME [EXTRA]

                  Do a thing

                  First paragraph, which is joined and rewrapped.

                  Code:

                      dc thing --x
                      dc thing --y

                  Example usage:

                      dc thing 1

                  Notes paragraph.

                Options:
                  --a-really-long-option-name-indeed VALUE
                                                  An option whose name is longer than thirty
                                                  characters so its help text moves to the
                                                  next line and wraps
                  -s, --short                     Short
                  --nohelp TEXT
                  --help                          Show this message and exit.
                """, HelpRenderer.render(List.of("dclient", "thing"), root.child("thing")));
    }

    @Test
    void topLevelHelpListsEveryVisibleCommandAlphabetically() {
        String out = help();
        assertTrue(out.startsWith("Usage: dclient [OPTIONS] COMMAND [ARGS]...\n\n"
                + "  A client CLI utility for Datasette instances\n"), out);
        List<String> listed = new ArrayList<>();
        boolean inCommands = false;
        for (String line : out.lines().toList()) {
            if (line.equals("Commands:")) {
                inCommands = true;
            } else if (inCommands && line.startsWith("  ") && !line.startsWith("   ")) {
                listed.add(line.strip().split("\\s+")[0]);
            }
        }
        List<String> expected = CommandSpecs.load().commands().stream().filter(c -> !c.hidden())
                .map(CommandDef::name).sorted().toList();
        assertEquals(expected, listed);
        assertTrue(listed.containsAll(List.of("query", "alias", "default", "instances", "get")), listed.toString());
        assertTrue(out.contains("\n  --version            Show the version and exit.\n"), out);
    }

    @Test
    void everyCommandsHelpHasUsageOptionsAndFitsTheWidth() {
        List<String> problems = new ArrayList<>();
        walk(CommandSpecs.load(), new ArrayList<>(List.of("dclient")), problems);
        assertEquals(List.of(), problems);
    }

    private void walk(CommandDef def, List<String> path, List<String> problems) {
        String text = HelpRenderer.render(path, def);
        String name = String.join(" ", path);
        if (!text.startsWith("Usage: " + name + " [OPTIONS]")) problems.add(name + ": usage line");
        if (!text.contains("\nOptions:\n")) problems.add(name + ": no Options section");
        if (!text.contains("  --help ") || !text.contains("Show this message and exit.")) problems.add(name + ": --help");
        if (!text.endsWith("\n") || text.endsWith("\n\n")) problems.add(name + ": should end with exactly one newline");
        for (String line : text.lines().toList()) {
            boolean example = line.startsWith("      " + "dclient ");
            if (line.length() > HelpRenderer.WIDTH && !example) problems.add(name + ": line too long: " + line);
            if (!line.equals(line.stripTrailing())) problems.add(name + ": trailing spaces: '" + line + "'");
        }
        for (var o : def.options()) {
            boolean shown = text.contains(String.join(", ", o.names()));
            if (o.hidden() == shown) problems.add(name + ": option " + o.names() + " hidden=" + o.hidden());
        }
        for (CommandDef c : def.commands()) {
            if (c.hidden()) continue;
            List<String> child = new ArrayList<>(path);
            child.add(c.name());
            walk(c, child, problems);
        }
    }

    @Test
    void wrapBreaksAtSpacesAndKeepsLongWordsWhole() {
        assertEquals(List.of("aaa bbb", "ccc"), HelpRenderer.wrap("aaa bbb ccc", 7));
        assertEquals(List.of("short", "averyveryverylongword", "end"), HelpRenderer.wrap("short averyveryverylongword end", 10));
        assertEquals(List.of(), HelpRenderer.wrap("   ", 10));
        assertFalse(HelpRenderer.wrap("a  b", 10).get(0).contains("  "));
    }
}
