package io.datasette.dclient.cli.output;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --fmt STYLE} wherever {@code -t} is (query, bare SQL, rows; row has its own test),
 * against the recorded {@code select * from dogs limit 3}: it implies {@code -t}, picks the
 * {@link TableStyle}, and a bad value is a usage error before anything is requested.
 */
class FmtOptionTest {
    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.recordings();

    static final String SQL = "select * from dogs limit 3";

    @TempDir
    Path dir;

    CliRunner.Result query(String... extra) {
        List<String> args = new ArrayList<>(List.of("query", "fixtures", SQL, "-i", wm.baseUrl()));
        args.addAll(List.of(extra));
        return new CliRunner(dir).run(args.toArray(String[]::new));
    }

    static void assertLines(String expected, CliRunner.Result r) {
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.err());
        TableStyleTest.assertLines(expected, r.out());
    }

    static final String GITHUB = """
            | id   | name   | age   | breed   | weight   | is_good   |
            |------|--------|-------|---------|----------|-----------|
            | 1    | Dog 1  | 1     | Poodle  | 6.25     | 1         |
            | 2    | Dog 2  | 2     | Beagle  | 7.5      | 1         |
            | 3    | Dog 3  | 3     | Terrier | 8.75     | 1         |
            """;

    @Test
    void githubLineByLine() {
        CliRunner.Result r = query("--fmt", "github");
        assertEquals(0, r.exitCode(), r.toString());
        String[] lines = r.out().split("\n", -1);
        assertEquals(6, lines.length, r.out());
        assertEquals("| id   | name   | age   | breed   | weight   | is_good   |", lines[0]);
        assertEquals("|------|--------|-------|---------|----------|-----------|", lines[1]);
        assertEquals("| 1    | Dog 1  | 1     | Poodle  | 6.25     | 1         |", lines[2]);
        assertEquals("| 2    | Dog 2  | 2     | Beagle  | 7.5      | 1         |", lines[3]);
        assertEquals("| 3    | Dog 3  | 3     | Terrier | 8.75     | 1         |", lines[4]);
        assertEquals("", lines[5]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"markdown", "GitHub", "MARKDOWN"})
    void markdownIsGithubAndNamesIgnoreCase(String name) {
        assertLines(GITHUB, query("--fmt", name));
    }

    @Test
    void withOrWithoutTTheSame() {
        assertLines(GITHUB, query("-t", "--fmt", "github"));
        assertLines(GITHUB, query("--fmt", "github", "--table"));
    }

    @Test
    void simpleIsTheDefaultTable() {
        String simple = """
                id  name   age  breed    weight  is_good
                --  -----  ---  -------  ------  -------
                1   Dog 1  1    Poodle   6.25    1
                2   Dog 2  2    Beagle   7.5     1
                3   Dog 3  3    Terrier  8.75    1
                """;
        assertLines(simple, query("-t"));
        assertLines(simple, query("--fmt", "simple"));
    }

    @Test
    void gridPlainAndRst() {
        assertLines("""
                +------+--------+-------+---------+----------+-----------+
                | id   | name   | age   | breed   | weight   | is_good   |
                +======+========+=======+=========+==========+===========+
                | 1    | Dog 1  | 1     | Poodle  | 6.25     | 1         |
                +------+--------+-------+---------+----------+-----------+
                | 2    | Dog 2  | 2     | Beagle  | 7.5      | 1         |
                +------+--------+-------+---------+----------+-----------+
                | 3    | Dog 3  | 3     | Terrier | 8.75     | 1         |
                +------+--------+-------+---------+----------+-----------+
                """, query("--fmt", "grid"));
        assertLines("""
                id    name    age    breed    weight    is_good
                1     Dog 1   1      Poodle   6.25      1
                2     Dog 2   2      Beagle   7.5       1
                3     Dog 3   3      Terrier  8.75      1
                """, query("--fmt", "plain"));
        assertLines("""
                ====  ======  =====  =======  ========  =========
                id    name    age    breed    weight    is_good
                ====  ======  =====  =======  ========  =========
                1     Dog 1   1      Poodle   6.25      1
                2     Dog 2   2      Beagle   7.5       1
                3     Dog 3   3      Terrier  8.75      1
                ====  ======  =====  =======  ========  =========
                """, query("--fmt", "rst"));
    }

    @Test
    void bareSqlAndRowsTakeFmtToo() {
        assertLines(GITHUB, new CliRunner(dir).run("-i", wm.baseUrl(), "-d", "fixtures", SQL, "--fmt", "github"));
        assertLines("""
                | id   | name   | age   | breed   | weight   | is_good   |
                |------|--------|-------|---------|----------|-----------|
                | 42   | Dog 42 | 8     | Beagle  | 7.5      | 1         |
                """, new CliRunner(dir).run("rows", "fixtures", "dogs", "-f", "name", "exact", "Dog 42", "-i",
                wm.baseUrl(), "--fmt", "markdown"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"query", "bare", "rows"})
    void aBadStyleIsAUsageErrorListingTheChoicesAndNothingIsRequested(String command) {
        List<String> args = new ArrayList<>(List.of("-i", wm.baseUrl()));
        switch (command) {
            case "query" -> args.addAll(0, List.of("query", "fixtures", SQL));
            case "bare" -> args.addAll(List.of("-d", "fixtures", SQL));
            default -> args.addAll(0, List.of("rows", "fixtures", "dogs"));
        }
        args.addAll(List.of("--fmt", "psql"));
        CliRunner.Result r = new CliRunner(dir).run(args.toArray(String[]::new));
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals("Error: Invalid value for '--fmt': 'psql' is not one of 'simple', 'plain', 'github', 'markdown',"
                + " 'grid', 'rst'.\n", r.err());
        assertEquals(0, wm.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void fmtNeedsAValue() {
        CliRunner.Result r = query("--fmt");
        assertEquals(2, r.exitCode(), r.toString());
    }
}
