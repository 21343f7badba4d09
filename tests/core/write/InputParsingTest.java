package io.datasette.dclient.core.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Format detection, the CSV/TSV and JSON readers, and encodings: table-driven. */
class InputParsingTest {

    static List<String> readAll(RowReader reader) throws IOException {
        List<String> rows = new ArrayList<>();
        for (ObjectNode r; (r = reader.next()) != null; ) rows.add(Json.compact(r));
        return rows;
    }

    static List<String> csv(String text, char sep) throws IOException {
        return readAll(new DelimitedReader(new StringReader(text), sep));
    }

    // --- detection ---------------------------------------------------------------------

    static Stream<Arguments> detection() {
        return Stream.of(
                Arguments.of("a,b,c\n1,2,3\n", InputFormat.CSV),
                Arguments.of("a\tb\tc\n1\t2\t3\n", InputFormat.TSV),
                Arguments.of("name\tnote\nx\ty, z, w\n", InputFormat.TSV),
                Arguments.of("\"a\tb\",c\n1,2\n", InputFormat.CSV), // the tab is inside quotes
                Arguments.of("single\n1\n", InputFormat.CSV),
                Arguments.of("[{\"a\": 1}]", InputFormat.JSON),
                Arguments.of("  \n\t {\"a\": 1}", InputFormat.JSON),
                Arguments.of("{\"a\": 1}\n{\"a\": 2}\n", InputFormat.JSON), // NDJSON: read by the JSON reader
                Arguments.of("", null),
                Arguments.of(" \n\r\n\t", null));
    }

    @ParameterizedTest
    @MethodSource("detection")
    void detectsTheFormat(String text, InputFormat expected) {
        assertEquals(expected, InputFormat.detect(text.toCharArray(), text.length()));
    }

    /** JSON that is not rows is read as JSON (and so fails saying so), not as a CSV header without rows. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "in.txt  | '\"just a string\"'  | true  | JSON",
        "in.txt  | ' 42\n'              | true  | JSON",
        "in      | '-1.5e3'             | true  | JSON",
        "in      | 'null'               | true  | JSON",
        "in.txt  | '42'                 | false | CSV",
        "in.csv  | '\"just a string\"'  | true  | CSV",
        "in.TSV  | '\"a\"'              | true  | CSV",
        "in.txt  | '\"a\"\n\"b\"'       | true  | CSV",
        "in.txt  | 'just a string'      | true  | CSV",
        "in.json | 'just a string'      | true  | JSON",
        "in.jsonl| 'a,b'                | false | JSON",
        "in.NDJSON| 'a,b'               | false | JSON",
        "in.json | '   '                | true  | ",
    })
    void jsonThatIsNotRowsIsDetectedAsJson(String name, String text, boolean whole, InputFormat expected) {
        String t = text.replace("\\n", "\n");
        assertEquals(expected, InputFormat.detect(name, t.toCharArray(), t.length(), whole));
    }

    // --- CSV / TSV -----------------------------------------------------------------------

    static Stream<Arguments> delimited() {
        return Stream.of(
                Arguments.of("simple", "a,b,c\n1,2,3\n", ',', List.of("{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}")),
                Arguments.of("no final newline", "a,b\n1,2", ',', List.of("{\"a\":\"1\",\"b\":\"2\"}")),
                Arguments.of("CRLF", "a,b\r\n1,2\r\n3,4\r\n", ',',
                        List.of("{\"a\":\"1\",\"b\":\"2\"}", "{\"a\":\"3\",\"b\":\"4\"}")),
                Arguments.of("old Mac CR", "a,b\r1,2\r", ',', List.of("{\"a\":\"1\",\"b\":\"2\"}")),
                Arguments.of("quoted comma", "name,city\n\"Smith, John\",Paris\n", ',',
                        List.of("{\"name\":\"Smith, John\",\"city\":\"Paris\"}")),
                Arguments.of("doubled quotes", "q\n\"say \"\"hi\"\"\"\n", ',', List.of("{\"q\":\"say \\\"hi\\\"\"}")),
                Arguments.of("line break in quotes", "a,b\n\"line 1\nline 2\",x\n", ',',
                        List.of("{\"a\":\"line 1\\nline 2\",\"b\":\"x\"}")),
                Arguments.of("blank lines skipped", "a\n\n1\n\n\n2\n", ',', List.of("{\"a\":\"1\"}", "{\"a\":\"2\"}")),
                Arguments.of("quoted empty is a row", "a\n\"\"\n", ',', List.of("{\"a\":\"\"}")),
                Arguments.of("short row gets nulls", "a,b,c\n1\n", ',', List.of("{\"a\":\"1\",\"b\":null,\"c\":null}")),
                Arguments.of("empty fields", "a,b,c\n,,\n", ',', List.of("{\"a\":\"\",\"b\":\"\",\"c\":\"\"}")),
                Arguments.of("text after closing quote", "a\n\"ab\"cd\n", ',', List.of("{\"a\":\"abcd\"}")),
                Arguments.of("quote inside a field is literal", "a\nab\"cd\n", ',', List.of("{\"a\":\"ab\\\"cd\"}")),
                Arguments.of("TSV", "a\tb\n1,5\tx y\n", '\t', List.of("{\"a\":\"1,5\",\"b\":\"x y\"}")),
                Arguments.of("TSV quoted tab", "a\tb\n\"1\t2\"\t3\n", '\t', List.of("{\"a\":\"1\\t2\",\"b\":\"3\"}")),
                Arguments.of("unicode", "name\nSão Paulo\n", ',', List.of("{\"name\":\"São Paulo\"}")),
                Arguments.of("header only", "a,b\n", ',', List.of()),
                Arguments.of("nothing", "", ',', List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("delimited")
    void readsDelimitedText(String name, String text, char sep, List<String> expected) throws IOException {
        assertEquals(expected, csv(text, sep));
    }

    @Test
    void aRowWithMoreValuesThanTheHeaderIsAnErrorNamingTheLine() {
        DclientException e = assertThrows(DclientException.class, () -> csv("a,b\n1,2\n\"x\ny\",2\n1,2,3\n", ','));
        assertEquals("Line 5 has 3 values but the header has 2 columns", e.getMessage());
    }

    @Test
    void readsRowsLongerThanTheBuffer() throws IOException {
        String big = "x".repeat(200_000);
        assertEquals(List.of("{\"a\":\"" + big + "\",\"b\":\"1\"}"), csv("a,b\n\"" + big + "\",1\n", ','));
        assertEquals(List.of("{\"a\":\"" + big + "\",\"b\":\"1\"}"), csv("a,b\n" + big + ",1\n", ','));
    }

    /** A reader that hands out one character per read, like a slow pipe. */
    static Reader trickle(String text) {
        return new Reader() {
            int i;

            @Override
            public int read(char[] buf, int off, int len) {
                if (i >= text.length()) return -1;
                buf[off] = text.charAt(i++);
                return 1;
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void parsesTheSameWhenInputTricklesIn() throws IOException {
        String text = "a,b\r\n\"x,\"\"y\"\"\r\nz\",2\r\n\r\n3,4\r\n";
        assertEquals(csv(text, ','), readAll(new DelimitedReader(trickle(text), ',')));
        assertEquals(List.of("{\"a\":\"x,\\\"y\\\"\\r\\nz\",\"b\":\"2\"}", "{\"a\":\"3\",\"b\":\"4\"}"), csv(text, ','));
    }

    // --- JSON -----------------------------------------------------------------------------

    static Stream<Arguments> json() {
        return Stream.of(
                Arguments.of("array", "[{\"a\": 1}, {\"a\": 2.5, \"b\": [1, {\"c\": null}]}]",
                        List.of("{\"a\":1}", "{\"a\":2.5,\"b\":[1,{\"c\":null}]}")),
                Arguments.of("one object", "{\"a\": 1}", List.of("{\"a\":1}")),
                Arguments.of("NDJSON", "{\"a\": 1}\n{\"a\": 2}\n\n{\"a\": 3}\n",
                        List.of("{\"a\":1}", "{\"a\":2}", "{\"a\":3}")),
                Arguments.of("multi-line NDJSON", "{\n  \"a\": 1\n}\n{\n  \"a\": 2\n}\n", List.of("{\"a\":1}", "{\"a\":2}")),
                Arguments.of("empty array", "[]", List.of()),
                Arguments.of("decimals kept", "[{\"x\": 10.0, \"y\": 0.1, \"z\": 12345678901234567890}]",
                        List.of("{\"x\":10.0,\"y\":0.1,\"z\":12345678901234567890}")),
                Arguments.of("unicode", "[{\"n\": \"S\\u00e3o\", \"m\": \"ü\"}]", List.of("{\"n\":\"São\",\"m\":\"ü\"}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("json")
    void readsJson(String name, String text, List<String> expected) throws IOException {
        assertEquals(expected, readAll(new JsonRowReader(new StringReader(text))));
        assertEquals(expected, readAll(new JsonRowReader(trickle(text))));
    }

    static Stream<Arguments> notRows() {
        String array = "JSON input must be an array of objects, but ";
        String either = "JSON input must be an array of objects or one object, but the input holds ";
        String objects = "JSON input must be objects (an array of objects, one object, or one object per line), but ";
        return Stream.of(
                Arguments.of("\"just a string\"", either + "a string (line 1, column 1)"),
                Arguments.of("  42\n", either + "a number (line 1, column 3)"),
                Arguments.of("true", either + "a boolean (line 1, column 1)"),
                Arguments.of("null", either + "null (line 1, column 1)"),
                Arguments.of("[1, 2]", array + "item 1 of the array is a number (line 1, column 2)"),
                Arguments.of("[{\"a\": 1}, \"x\"]", array + "item 2 of the array is a string (line 1, column 12)"),
                Arguments.of("[{\"a\": 1},\n [{\"a\": 2}]]", array + "item 2 of the array is an array (line 2, column 2)"),
                Arguments.of("[{\"a\": 1}, null]", array + "item 2 of the array is null (line 1, column 12)"),
                Arguments.of("{\"a\": 1}\n[[1]]", array + "item 1 of the array is an array (line 2, column 2)"),
                Arguments.of("{\"a\": 1}\ntrue", objects + "value 2 is a boolean (line 2, column 1)"),
                Arguments.of("{\"a\": 1}\n\"x\"", objects + "value 2 is a string (line 2, column 1)"));
    }

    @ParameterizedTest
    @MethodSource("notRows")
    void jsonThatIsNotRowsIsAnError(String text, String message) {
        DclientException e = assertThrows(DclientException.class, () -> readAll(new JsonRowReader(new StringReader(text))));
        assertEquals(message, e.getMessage());
        assertEquals(DclientException.Kind.INPUT, e.kind());
    }

    /** Jackson's parse errors, said without its internals: where, what was expected, what was found. */
    static Stream<Arguments> invalidJson() {
        String value = "expected a value (a string, number, object, array, true, false or null), found ";
        return Stream.of(
                Arguments.of("{\"a\": 1,}", "1, column 9: expected a field name in double quotes after ',', found '}'"),
                Arguments.of("{'a': 1}", "1, column 2: expected a field name in double quotes, found \"'\""),
                Arguments.of("{\"a\" 1}", "1, column 6: expected ':' after the field name, found '1'"),
                Arguments.of("{\"a\": 1 \"b\": 2}", "1, column 9: expected ',' or '}' after a value in an object, found '\"'"),
                Arguments.of("[{\"a\": 1} {\"a\": 2}]", "1, column 11: expected ',' or ']' after a value in an array, found '{'"),
                Arguments.of("{\"a\": 1}\n{\"a\": nope}\n", "2, column 7: " + value + "'nope'"),
                Arguments.of("{\"a\":\n }", "2, column 2: " + value + "'}'"),
                Arguments.of("{\"a\": 1", "1, column 8: the input ends inside an object (expected '}')"),
                Arguments.of("[{\"a\": 1},", "1, column 11: the input ends inside an array (expected another value or ']')"),
                Arguments.of("{\"a\": \"x", "1, column 9: the input ends inside a string (expected a closing '\"')"),
                Arguments.of("{\"a\": [1, 2}", "1, column 12: found '}' where ']' should close the array that starts at"
                        + " line 1, column 7"),
                Arguments.of("{\"a\": 1]", "1, column 8: found ']' where '}' should close the object that starts at"
                        + " line 1, column 1"),
                Arguments.of("{\"a\": 1}}", "1, column 9: found '}' with no object open to close"),
                Arguments.of("{\"a\": \"x\ny\"}", "1, column 9: a string holds a line break, which JSON needs written as \\n"),
                Arguments.of("{\"a\": 01}", "1, column 8: invalid number: leading zeroes not allowed"),
                Arguments.of("{\"a\": 1.}", "1, column 8: invalid number: decimal point not followed by a digit, found '}'"),
                Arguments.of("{\"a\": NaN}", "1, column 10: found NaN, which JSON does not have (use null or a string)"),
                Arguments.of("{\"a\": \"\\q\"}", "1, column 9: invalid escape '\\q' in a string"),
                Arguments.of("{\"a\": /* c */ 1}", "1, column 7: found '/': JSON has no comments"));
    }

    @ParameterizedTest
    @MethodSource("invalidJson")
    void invalidJsonSaysWhereAndWhatWasExpectedInOneLine(String text, String message) {
        DclientException e = assertThrows(DclientException.class,
                () -> readAll(new JsonRowReader(new StringReader(text), "rows.json")));
        assertEquals("Invalid JSON in rows.json at line " + message, e.getMessage());
        assertEquals(DclientException.Kind.INPUT, e.kind());
        for (String internal : new String[] {"Source", "REDACTED", "code ", "Feature", "`", "\n"}) {
            assertFalse(e.getMessage().contains(internal), internal + " in " + e.getMessage());
        }
    }

    @Test
    void tooDeepIsSaidSo() {
        String deep = "{\"a\": " + "[".repeat(io.datasette.dclient.core.json.Json.MAX_DEPTH) + "]".repeat(io.datasette.dclient.core.json.Json.MAX_DEPTH) + "}";
        DclientException e = assertThrows(DclientException.class,
                () -> readAll(new JsonRowReader(new StringReader(deep), "rows.json")));
        assertEquals("Invalid JSON in rows.json at line 1, column 2007: values nested more than 2000 levels deep, more than dclient reads",
                e.getMessage());
    }

    // --- --lines and --text ------------------------------------------------------------------

    static List<String> values(RowReader reader, String column) throws IOException {
        List<String> out = new ArrayList<>();
        for (ObjectNode r; (r = reader.next()) != null; ) {
            assertEquals(List.of(column), List.copyOf(r.properties().stream().map(java.util.Map.Entry::getKey).toList()));
            out.add(r.get(column).textValue());
        }
        return out;
    }

    /** sqlite-utils' --lines: {"line": line.strip()} for each line of the text (universal newlines). */
    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("LF", "a\nb\n", List.of("a", "b")),
                Arguments.of("no final line ending", "a\nb", List.of("a", "b")),
                Arguments.of("empty input", "", List.of()),
                Arguments.of("one line ending", "\n", List.of("")),
                Arguments.of("empty lines are rows", "a\n\nb\n\n", List.of("a", "", "b", "")),
                Arguments.of("CRLF and CR", "a\r\nb\rc\r\n", List.of("a", "b", "c")),
                Arguments.of("CR then CRLF", "\r\r\n", List.of("", "")),
                Arguments.of("white space around is dropped", "  padded \t\n\t\n", List.of("padded", "")),
                Arguments.of("Unicode white space too", "\u00a0x y\u3000\u2003\n", List.of("x y")),
                Arguments.of("other characters are kept", "a,b\t\"c\" {\"d\": 1}\n", List.of("a,b\t\"c\" {\"d\": 1}")),
                Arguments.of("unicode", "São Paulo\n日本\n", List.of("São Paulo", "日本")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void readsLines(String name, String text, List<String> expected) throws IOException {
        assertEquals(expected, values(new LineReader(new StringReader(text)), "line"));
        assertEquals(expected, values(new LineReader(trickle(text)), "line"));
    }

    @Test
    void readsLinesLongerThanTheBuffer() throws IOException {
        String big = "x".repeat(200_000);
        assertEquals(List.of(big, "y"), values(new LineReader(new StringReader(big + "\r\ny")), "line"));
    }

    @Test
    void lineOffsetsAreWhereEachLineEnds() throws IOException {
        LineReader r = new LineReader(new StringReader("ab\r\ncde\n\nf"));
        List<Long> offsets = new ArrayList<>();
        while (r.next() != null) offsets.add(r.offset());
        // a CR is handed out at once: the LF after it counts with the next line
        assertEquals(List.of(3L, 8L, 9L, 10L), offsets);
        assertEquals("line 5", r.position());
    }

    /** sqlite-utils' --text: {"text": the whole input}, line endings as Python reads text. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'a\nb\n'            | 'a\nb\n'",
        "'a\r\nb\rc'          | 'a\nb\nc'",
        "'  padded  \n\n'    | '  padded  \n\n'",
        "''                  | ''",
    })
    void readsTheWholeText(String text, String expected) throws IOException {
        String t = text.replace("\\n", "\n").replace("\\r", "\r");
        String e = expected.replace("\\n", "\n").replace("\\r", "\r");
        assertEquals(List.of(e), values(new TextReader(new StringReader(t), "in.txt"), "text"));
        assertEquals(List.of(e), values(new TextReader(trickle(t), "in.txt"), "text"));
    }

    @Test
    void tooMuchTextIsAnErrorNotAnOutOfMemory() {
        DclientException e = assertThrows(DclientException.class,
                () -> new TextReader(new StringReader("x".repeat(20_000)), "big.txt", 10_000).next());
        assertEquals(DclientException.Kind.INPUT, e.kind());
        assertEquals("big.txt is too large to be one value: it is read whole, and one value may hold at most 10000"
                + " characters (read line by line, each line is a row)", e.getMessage());
        assertEquals(64 * 1024 * 1024, TextReader.MAX_CHARS);
    }

    @Test
    void linesAndTextHonourTheEncoding() throws IOException {
        byte[] latin1 = "São\r\nPaulo\r\n".getBytes(StandardCharsets.ISO_8859_1);
        try (Input in = openBytes(latin1, InputFormat.LINES, "latin-1")) {
            assertEquals(List.of("São", "Paulo"), values(RowReader.of(in), "line"));
        }
        try (Input in = openBytes(latin1, InputFormat.TEXT, "latin-1")) {
            assertEquals(List.of("São\nPaulo\n"), values(RowReader.of(in), "text"));
        }
        try (Input in = openBytes("日本\n".getBytes(StandardCharsets.UTF_16), InputFormat.LINES, "utf-16")) {
            assertEquals(List.of("日本"), values(RowReader.of(in), "line"));
        }
        try (Input in = openBytes(latin1, InputFormat.LINES, null)) {
            assertThrows(java.nio.charset.CharacterCodingException.class, () -> values(RowReader.of(in), "line"));
        }
    }

    // --- where the rows end, for the progress bar ---------------------------------------------

    @Test
    void readersSayWhereTheirLastRowEnded() throws IOException {
        String csv = "id,name\n1,a\n22,bb\n";
        DelimitedReader d = new DelimitedReader(new StringReader(csv), ',');
        List<Long> offsets = new ArrayList<>();
        while (d.next() != null) offsets.add(d.offset());
        assertEquals(List.of(12L, 18L), offsets);
        String json = "[{\"a\": 1},\n {\"a\": 22}]";
        JsonRowReader j = new JsonRowReader(trickle(json));
        offsets.clear();
        while (j.next() != null) offsets.add(j.offset());
        assertEquals(List.of(9L, 21L), offsets);
        TextReader t = new TextReader(new StringReader("abc\r\n"), "x");
        t.next();
        assertEquals(5, t.offset());
    }

    @Test
    void bytesAtMapsCharactersToTheBytesTheyCameFrom() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] text = "line\nother\n".getBytes(StandardCharsets.UTF_8);
        byte[] both = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, both, 0, 3);
        System.arraycopy(text, 0, both, 3, text.length);
        try (Input in = openBytes(both, InputFormat.LINES, null)) {
            assertEquals(3, in.bytesAt(0), "the byte-order mark comes before the first row");
            RowReader r = RowReader.of(in);
            while (r.next() != null) { /* all of it */ }
            assertEquals(both.length, in.bytesAt(r.offset()), "the BOM counts: the end is the file size");
            assertEquals(-1, in.bytesAt(-1));
        }
        byte[] multi = "ééé\nabc\n".getBytes(StandardCharsets.UTF_8); // 8 chars, 11 bytes
        try (Input in = openBytes(multi, InputFormat.LINES, null)) {
            RowReader r = RowReader.of(in);
            r.next();
            long first = in.bytesAt(r.offset());
            assertTrue(first > 0 && first < multi.length, "an estimate within the input: " + first);
            r.next();
            assertEquals(multi.length, in.bytesAt(r.offset()));
        }
    }

    // --- encodings ------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
        "utf-8, UTF-8", "UTF8, UTF-8", "utf-8-sig, UTF-8", "utf_8, UTF-8", "latin-1, ISO-8859-1", "latin1, ISO-8859-1",
        "ISO-8859-1, ISO-8859-1", "cp1252, windows-1252", "windows-1252, windows-1252", "utf-16, UTF-16", "ascii, US-ASCII",
        "Shift_JIS, Shift_JIS",
    })
    void encodingNames(String name, String charset) {
        assertEquals(Charset.forName(charset), Input.charset(name));
    }

    @Test
    void anUnknownEncodingIsAUsageError() {
        DclientException e = assertThrows(DclientException.class, () -> Input.charset("klingon-8"));
        assertEquals(DclientException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith("Unknown encoding: klingon-8"), e.getMessage());
    }

    static Input openBytes(byte[] bytes, InputFormat format, String encoding) {
        var ctx = io.datasette.dclient.core.io.Context.builder().out(System.out).err(System.err)
                .in(new ByteArrayInputStream(bytes)).build();
        return Input.open("-", format, encoding, ctx);
    }

    @Test
    void aUtf8ByteOrderMarkIsDropped() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] text = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        byte[] both = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, both, 0, 3);
        System.arraycopy(text, 0, both, 3, text.length);
        try (Input in = openBytes(both, InputFormat.CSV, null)) {
            assertEquals(List.of("{\"a\":\"1\",\"b\":\"2\"}"), readAll(RowReader.of(in)));
        }
    }

    @Test
    void utf16WithItsByteOrderMark() throws IOException {
        try (Input in = openBytes("[{\"a\": \"ü\"}]".getBytes(StandardCharsets.UTF_16), InputFormat.JSON, "utf-16")) {
            assertEquals(List.of("{\"a\":\"ü\"}"), readAll(RowReader.of(in)));
        }
    }

    @Test
    void latin1BytesAreNotValidUtf8() {
        byte[] latin1 = "city\nSão Paulo\n".getBytes(StandardCharsets.ISO_8859_1);
        try (Input in = openBytes(latin1, InputFormat.CSV, null)) {
            assertThrows(java.nio.charset.CharacterCodingException.class, () -> readAll(RowReader.of(in)));
        }
        try (Input in = openBytes(latin1, InputFormat.CSV, "latin-1")) {
            assertEquals(List.of("{\"city\":\"São Paulo\"}"), readAll(RowReader.of(in)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void stdinWithoutAFormatIsAUsageError() {
        DclientException e = assertThrows(DclientException.class, () -> Input.check("-", null));
        assertEquals(DclientException.Kind.USAGE, e.kind());
        assertEquals("Reading from standard input needs an explicit format (CSV, TSV, JSON, newline-delimited JSON,"
                + " lines or text): it cannot be detected from a name", e.getMessage());
        Input.check("-", InputFormat.NL);
    }

}
