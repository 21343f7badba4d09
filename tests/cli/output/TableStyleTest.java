package io.datasette.dclient.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TableStyleTest {
    record Table(List<String> headers, List<List<String>> rows) {}

    static List<String> row(String... cells) {
        return Arrays.asList(cells); // allows null (a missing value)
    }

    /** The same tables were drawn by Python's tabulate 0.8.9 and by RowWriter at f5d1ef1. */
    static final Map<String, Table> TABLES = Map.of(
            // tabulate's README example (item/qty), here with every column left-aligned
            "readme", new Table(row("item", "qty"), List.of(row("spam", "42"), row("eggs", "451"), row("bacon", "0"))),
            // RowWriterTest's SAMPLE, as RowWriter.cell turns it into text (the newline escaped)
            "sample", new Table(row("id", "name", "note", "nested", "nothing", "flag", "price"), List.of(
                    row("1", "São Paulo", "a, b", "{\"a\":[1,2]}", null, "true", "1.5"),
                    row("2", "東京", "say \"hi\"\nnext", "[1,\"x\"]", null, "false", "10"))),
            "empty", new Table(row("id", "name"), List.of()),
            "blanks", new Table(row("b", "a"), List.of(row("1", null), row(null, "y"), row("", ""))),
            "wide", new Table(row("k", "v"),
                    List.of(row("e\u0301t\u00e9", "1"), row("한국", "22"), row("abcde", "3"))),
            "longhdr", new Table(row("a long header", "x"), List.of(row("1", "2"))));

    /** Today's table (RowWriter at f5d1ef1, compiled from git and run on TABLES), byte for byte. */
    static Stream<Arguments> simple() {
        return Stream.of(
                Arguments.of("readme", """
                        item   qty
                        -----  ---
                        spam   42
                        eggs   451
                        bacon  0
                        """),
                Arguments.of("sample", """
                        id  name       note            nested       nothing  flag   price
                        --  ---------  --------------  -----------  -------  -----  -----
                        1   São Paulo  a, b            {"a":[1,2]}           true   1.5
                        2   東京       say "hi"\\nnext  [1,"x"]               false  10
                        """),
                Arguments.of("empty", "id  name\n--  ----\n"),
                // the last column is never padded, but the separator before an empty last cell stays
                Arguments.of("blanks", "b  a\n-  -\n1  \n   y\n   \n"),
                Arguments.of("wide", """
                        k      v
                        -----  --
                        e\u0301t\u00e9    1
                        한국   22
                        abcde  3
                        """),
                Arguments.of("longhdr", "a long header  x\n-------------  -\n1              2\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("simple")
    void simpleIsTodaysTable(String table, String expected) {
        assertLines(expected, TableStyle.SIMPLE.render(TABLES.get(table).headers(), TABLES.get(table).rows()));
    }

    /** print(tabulate(rows, headers, tablefmt=..., disable_numparse=True)) with None as "". */
    static Stream<Arguments> tabulate() {
        return Stream.of(
                Arguments.of(TableStyle.PLAIN, "readme", """
                        item    qty
                        spam    42
                        eggs    451
                        bacon   0
                        """),
                Arguments.of(TableStyle.GITHUB, "readme", """
                        | item   | qty   |
                        |--------|-------|
                        | spam   | 42    |
                        | eggs   | 451   |
                        | bacon  | 0     |
                        """),
                Arguments.of(TableStyle.GRID, "readme", """
                        +--------+-------+
                        | item   | qty   |
                        +========+=======+
                        | spam   | 42    |
                        +--------+-------+
                        | eggs   | 451   |
                        +--------+-------+
                        | bacon  | 0     |
                        +--------+-------+
                        """),
                Arguments.of(TableStyle.RST, "readme", """
                        ======  =====
                        item    qty
                        ======  =====
                        spam    42
                        eggs    451
                        bacon   0
                        ======  =====
                        """),
                Arguments.of(TableStyle.PLAIN, "sample", """
                        id    name       note            nested       nothing    flag    price
                        1     São Paulo  a, b            {"a":[1,2]}             true    1.5
                        2     東京       say "hi"\\nnext  [1,"x"]                 false   10
                        """),
                Arguments.of(TableStyle.GITHUB, "sample", """
                        | id   | name      | note           | nested      | nothing   | flag   | price   |
                        |------|-----------|----------------|-------------|-----------|--------|---------|
                        | 1    | São Paulo | a, b           | {"a":[1,2]} |           | true   | 1.5     |
                        | 2    | 東京      | say "hi"\\nnext | [1,"x"]     |           | false  | 10      |
                        """),
                Arguments.of(TableStyle.GRID, "sample", """
                        +------+-----------+----------------+-------------+-----------+--------+---------+
                        | id   | name      | note           | nested      | nothing   | flag   | price   |
                        +======+===========+================+=============+===========+========+=========+
                        | 1    | São Paulo | a, b           | {"a":[1,2]} |           | true   | 1.5     |
                        +------+-----------+----------------+-------------+-----------+--------+---------+
                        | 2    | 東京      | say "hi"\\nnext | [1,"x"]     |           | false  | 10      |
                        +------+-----------+----------------+-------------+-----------+--------+---------+
                        """),
                Arguments.of(TableStyle.RST, "sample", """
                        ====  =========  ==============  ===========  =========  ======  =======
                        id    name       note            nested       nothing    flag    price
                        ====  =========  ==============  ===========  =========  ======  =======
                        1     São Paulo  a, b            {"a":[1,2]}             true    1.5
                        2     東京       say "hi"\\nnext  [1,"x"]                 false   10
                        ====  =========  ==============  ===========  =========  ======  =======
                        """),
                Arguments.of(TableStyle.PLAIN, "empty", """
                        id    name
                        """),
                Arguments.of(TableStyle.GITHUB, "empty", """
                        | id   | name   |
                        |------|--------|
                        """),
                Arguments.of(TableStyle.GRID, "empty", """
                        +------+--------+
                        | id   | name   |
                        +======+========+
                        +------+--------+
                        """),
                Arguments.of(TableStyle.RST, "empty", """
                        ====  ======
                        id    name
                        ====  ======
                        ====  ======
                        """),
                // the all-empty last row is an empty line, as tabulate strips every line's end
                Arguments.of(TableStyle.PLAIN, "blanks", "b    a\n1\n     y\n\n"),
                Arguments.of(TableStyle.GITHUB, "blanks", """
                        | b   | a   |
                        |-----|-----|
                        | 1   |     |
                        |     | y   |
                        |     |     |
                        """),
                Arguments.of(TableStyle.GRID, "blanks", """
                        +-----+-----+
                        | b   | a   |
                        +=====+=====+
                        | 1   |     |
                        +-----+-----+
                        |     | y   |
                        +-----+-----+
                        |     |     |
                        +-----+-----+
                        """),
                Arguments.of(TableStyle.RST, "blanks", """
                        ===  ===
                        b    a
                        ===  ===
                        1
                        ..   y
                        ..
                        ===  ===
                        """),
                Arguments.of(TableStyle.PLAIN, "wide", """
                        k      v
                        e\u0301t\u00e9    1
                        한국   22
                        abcde  3
                        """),
                Arguments.of(TableStyle.GITHUB, "wide", """
                        | k     | v   |
                        |-------|-----|
                        | e\u0301t\u00e9   | 1   |
                        | 한국  | 22  |
                        | abcde | 3   |
                        """),
                Arguments.of(TableStyle.GRID, "wide", """
                        +-------+-----+
                        | k     | v   |
                        +=======+=====+
                        | e\u0301t\u00e9   | 1   |
                        +-------+-----+
                        | 한국  | 22  |
                        +-------+-----+
                        | abcde | 3   |
                        +-------+-----+
                        """),
                Arguments.of(TableStyle.RST, "wide", """
                        =====  ===
                        k      v
                        =====  ===
                        e\u0301t\u00e9    1
                        한국   22
                        abcde  3
                        =====  ===
                        """),
                Arguments.of(TableStyle.PLAIN, "longhdr", """
                        a long header    x
                        1                2
                        """),
                Arguments.of(TableStyle.GITHUB, "longhdr", """
                        | a long header   | x   |
                        |-----------------|-----|
                        | 1               | 2   |
                        """),
                Arguments.of(TableStyle.GRID, "longhdr", """
                        +-----------------+-----+
                        | a long header   | x   |
                        +=================+=====+
                        | 1               | 2   |
                        +-----------------+-----+
                        """),
                Arguments.of(TableStyle.RST, "longhdr", """
                        ===============  ===
                        a long header    x
                        ===============  ===
                        1                2
                        ===============  ===
                        """));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("tabulate")
    void drawsWhatTabulateDraws(TableStyle style, String table, String expected) {
        assertLines(expected, style.render(TABLES.get(table).headers(), TABLES.get(table).rows()));
    }

    /** Line by line first, so a failure names the line; then the whole text, newlines included. */
    static void assertLines(String expected, String actual) {
        String[] want = expected.split("\n", -1);
        String[] got = actual.split("\n", -1);
        for (int i = 0; i < Math.min(want.length, got.length); i++) {
            assertEquals(want[i], got[i], "line " + (i + 1));
        }
        assertEquals(want.length, got.length, "line count");
        assertEquals(expected, actual);
    }

    @Test
    void noColumns() {
        // RowWriter at f5d1ef1 wrote one empty line each for the header, the dashes and a row {}
        assertEquals("\n\n\n", TableStyle.SIMPLE.render(List.of(), List.of(List.of())));
        for (TableStyle s : List.of(TableStyle.PLAIN, TableStyle.GITHUB, TableStyle.GRID, TableStyle.RST)) {
            assertEquals("", s.render(List.of(), List.of(List.of())), s.name());
        }
    }

    @ParameterizedTest
    @EnumSource(TableStyle.class)
    void shortRowsAreMissingValuesAndLongRowsAreRefused(TableStyle style) {
        List<String> headers = List.of("a", "b");
        assertEquals(style.render(headers, List.of(row("1", null))), style.render(headers, List.of(row("1"))));
        assertThrows(IllegalArgumentException.class, () -> style.render(headers, List.of(row("1", "2", "3"))));
    }

    @Test
    void rstEscapesBlankFirstCellsHeaderToo() {
        assertLines("""
                ====  ===
                ..    a
                ====  ===
                ..    x
                ====  ===
                """, TableStyle.RST.render(row("", "a"), List.of(row(" ", "x"))));
    }

    @Test
    void gridAndGithubLinesAreAllTheSameWidth() {
        for (TableStyle style : List.of(TableStyle.GRID, TableStyle.GITHUB)) {
            for (var e : TABLES.entrySet()) {
                String out = style.render(e.getValue().headers(), e.getValue().rows());
                List<Integer> widths = out.lines().map(TableStyle::displayWidth).distinct().toList();
                assertEquals(1, widths.size(), style + " " + e.getKey() + ": " + widths);
            }
        }
    }

    // --- parse and names ---

    static Stream<Arguments> parses() {
        return Stream.of(
                Arguments.of("simple", TableStyle.SIMPLE), Arguments.of("SIMPLE", TableStyle.SIMPLE),
                Arguments.of("plain", TableStyle.PLAIN), Arguments.of("github", TableStyle.GITHUB),
                Arguments.of("GitHub", TableStyle.GITHUB), Arguments.of("markdown", TableStyle.GITHUB),
                Arguments.of("Markdown", TableStyle.GITHUB), Arguments.of("grid", TableStyle.GRID),
                Arguments.of("rst", TableStyle.RST), Arguments.of("RST", TableStyle.RST));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("parses")
    void parsesNamesCaseInsensitively(String name, TableStyle style) {
        assertEquals(style, TableStyle.parse(name));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "pipe", "fancy_grid", "psql", " grid", "grid ", "md", "tsv", "bad\u001b[2Jname"})
    void refusesOtherNamesListingTheChoices(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TableStyle.parse(name));
        assertEquals("'" + TableStyle.clean(name)
                + "' is not one of 'simple', 'plain', 'github', 'markdown', 'grid', 'rst'.", e.getMessage());
    }

    @Test
    void refusesNull() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TableStyle.parse(null));
        assertEquals("'' is not one of 'simple', 'plain', 'github', 'markdown', 'grid', 'rst'.", e.getMessage());
    }

    @Test
    void namesInHelpOrderAndEachParses() {
        assertEquals(List.of("simple", "plain", "github", "markdown", "grid", "rst"), TableStyle.names());
        for (String n : TableStyle.names()) assertEquals(n.equals("markdown") ? TableStyle.GITHUB
                : TableStyle.valueOf(n.toUpperCase(java.util.Locale.ROOT)), TableStyle.parse(n));
    }

    // --- clean ---

    static Stream<Arguments> cleans() {
        return Stream.of(
                Arguments.of("plain", "plain"),
                Arguments.of("", ""),
                Arguments.of(null, ""),
                Arguments.of("São 東京 😀 e\u0301 a\u200Bb", "São 東京 😀 e\u0301 a\u200Bb"),
                Arguments.of("back\\slash", "back\\slash"),
                // newline and carriage return as RowWriter already escaped them; tab too
                Arguments.of("a\nb", "a\\nb"),
                Arguments.of("a\r\nb", "a\\r\\nb"),
                Arguments.of("a\tb", "a\\tb"),
                // CSI: colours, cursor movement, screen clearing, private modes
                Arguments.of("\u001b[31mred\u001b[0m", "red"),
                Arguments.of("\u001b[1;38;5;196mbold\u001b[m", "bold"),
                Arguments.of("\u001b[2J\u001b[Hhome", "home"),
                Arguments.of("\u001b[?1049hx", "x"),
                Arguments.of("\u001b[ q", ""),
                // OSC: window title (BEL or ST), hyperlink
                Arguments.of("\u001b]0;pwned\u0007title", "title"),
                Arguments.of("\u001b]2;pwned\u001b\\title", "title"),
                Arguments.of("\u001b]8;;http://example.com\u001b\\link\u001b]8;;\u001b\\", "link"),
                Arguments.of("\u001b]52;c;Y3VybA==\u0007clip", "clip"),
                // DCS, SOS, PM, APC
                Arguments.of("\u001bP+q544e\u001b\\d", "d"),
                Arguments.of("\u001bXsos\u001b\\a\u001b^pm\u001b\\b\u001b_apc\u001b\\c", "abc"),
                // two-character escapes: save cursor, reset, charset, keypad
                Arguments.of("\u001b7a\u001bcb\u001b(Bc\u001b=d", "abcd"),
                // C1 introducers
                Arguments.of("\u009b31mred", "red"),
                Arguments.of("\u009d0;t\u009cx", "x"),
                Arguments.of("\u0090q\u009cx", "x"),
                // malformed or unterminated: the introducer is shown, the rest is text
                Arguments.of("\u001b", "\\x1b"),
                Arguments.of("end\u001b", "end\\x1b"),
                Arguments.of("\u001b]0;unterminated", "\\x1b]0;unterminated"),
                Arguments.of("\u001b[31", "\\x1b[31"),
                Arguments.of("\u001b[31\u00e9", "\\x1b[31\u00e9"),
                Arguments.of("\u001b\u0001", "\\x1b\\x01"),
                Arguments.of("\u009b", "\\x9b"),
                // other C0 controls, DEL and C1 controls
                Arguments.of("nul\u0000", "nul\\x00"),
                Arguments.of("bell\u0007", "bell\\x07"),
                Arguments.of("bs\u0008x", "bs\\x08x"),
                Arguments.of("\u000b\u000c\u000e\u001f", "\\x0b\\x0c\\x0e\\x1f"),
                Arguments.of("del\u007f", "del\\x7f"),
                Arguments.of("nel\u0085", "nel\\x85"),
                Arguments.of("\u0080\u009c\u009f", "\\x80\\x9c\\x9f"),
                // just past the ranges: kept
                Arguments.of(" ~\u00a0\u00a1", " ~\u00a0\u00a1"));
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("cleans")
    void cleanMakesTextSafeForATerminal(String in, String out) {
        assertEquals(out, TableStyle.clean(in));
    }

    @Test
    void cleanLeavesNoControlCharacterWhateverTheInput() {
        // every C0, DEL and C1 character, alone, before text, and as an introducer of each kind
        for (char c = 0; c <= 0x9F; c++) {
            if (c >= 0x20 && c < 0x7F) continue;
            for (String s : List.of("" + c, c + "x", "x" + c, "\u001b" + c, c + "[" + c, "\u001b]" + c,
                    "\u001b[" + c + "m", c + "\u001b\\")) {
                String out = TableStyle.clean(s);
                assertTrue(out.chars().noneMatch(ch -> ch < 0x20 || (ch >= 0x7F && ch <= 0x9F)),
                        () -> "U+" + Integer.toHexString(s.charAt(0)) + ": " + out);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TableStyle.class)
    void everyStyleCleansHeadersAndCells(TableStyle style) {
        String out = style.render(row("a\u001b[31mb", "c\nd"),
                List.of(row("x\ty", "\u001b]0;t\u0007z"), row("\u009b2J", "\u0000")));
        assertFalse(out.chars().anyMatch(ch -> ch != '\n' && (ch < 0x20 || (ch >= 0x7F && ch <= 0x9F))), out);
        assertTrue(out.contains("ab") && out.contains("c\\nd") && out.contains("x\\ty") && out.contains("\\x00"), out);
    }

    @Test
    void simpleWithHostileCells() {
        // RowWriter at f5d1ef1 wrote these raw (ESC, TAB, BEL reached the terminal)
        assertEquals("ab    c\n----  -\nx\\ty  z\n",
                TableStyle.SIMPLE.render(row("a\u001b[31mb", "c"), List.of(row("x\ty", "\u001b]0;t\u0007z"))));
    }

    // --- display width (RowWriterTest's cases) ---

    static Stream<Arguments> displayWidths() {
        return Stream.of(
                Arguments.of("", 0), Arguments.of("abc", 3), Arguments.of("São", 3), Arguments.of("e\u0301", 1),
                Arguments.of("東京", 4), Arguments.of("ｶﾀｶﾅ", 4), Arguments.of("ＡＢ", 4),
                Arguments.of("😀", 2), Arguments.of("a\u200Bb", 2), Arguments.of("한", 2));
    }

    @ParameterizedTest(name = "[{0}] = {1}")
    @MethodSource("displayWidths")
    void displayWidthCountsTerminalColumns(String s, int width) {
        assertEquals(width, TableStyle.displayWidth(s));
    }
}
