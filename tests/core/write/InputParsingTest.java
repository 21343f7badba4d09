package io.datasette.dclient.core.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.Json;
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
        String must = "JSON input must be objects (an array of objects, one object, or one object per line), but ";
        return Stream.of(
                Arguments.of("[1, 2]", must + "item 1 is a number (line 1, column 3)"),
                Arguments.of("[{\"a\": 1}, \"x\"]", must + "item 2 is a string (line 1, column 13)"),
                Arguments.of("{\"a\": 1}\n[[1]]", must + "item 2 is an array (line 2, column 3)"),
                Arguments.of("{\"a\": 1}\ntrue", must + "item 2 is a boolean (line 2, column 5)"),
                Arguments.of("[{\"a\": 1},", "Invalid JSON at line 1, column 11: Unexpected end-of-input within/between"
                        + " Array entries"));
    }

    @ParameterizedTest
    @MethodSource("notRows")
    void jsonThatIsNotRowsIsAnError(String text, String message) {
        DclientException e = assertThrows(DclientException.class, () -> readAll(new JsonRowReader(new StringReader(text))));
        assertEquals(message, e.getMessage());
    }

    @Test
    void invalidJsonSaysWhere() {
        DclientException e = assertThrows(DclientException.class,
                () -> readAll(new JsonRowReader(new StringReader("{\"a\": 1}\n{\"a\": nope}\n"))));
        assertTrue(e.getMessage().startsWith("Invalid JSON at line 2, column "), e.getMessage());
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
        assertEquals("Reading from standard input needs an explicit format: add --csv, --tsv, --json or --nl"
                + " (e.g. dclient insert DB TABLE - --csv)", e.getMessage());
        Input.check("-", InputFormat.NL);
    }

}
