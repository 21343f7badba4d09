package io.datasette.dclient.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RowWriterTest {
    static final String SAMPLE = """
            {"columns": ["id", "name", "note", "nested", "nothing", "flag", "price"],
             "rows": [
               {"id": 1, "name": "São Paulo", "note": "a, b", "nested": {"a": [1, 2]}, "nothing": null,
                "flag": true, "price": 1.5},
               {"id": 2, "name": "東京", "note": "say \\"hi\\"\\nnext", "nested": [1, "x"], "nothing": null,
                "flag": false, "price": 10}
             ]}
            """;

    static String write(Format format, String json) throws Exception {
        JsonNode response = Json.parse(json);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);
        RowWriter w = RowWriter.create(format, out);
        if (response.path("columns").isArray()) {
            List<String> cols = new ArrayList<>();
            response.path("columns").forEach(c -> cols.add(c.asText()));
            w.columns(cols);
        }
        for (JsonNode row : response.path("rows")) w.row(row);
        w.finish();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static Stream<Arguments> formats() {
        return Stream.of(
                Arguments.of(Format.JSON, """
                        [
                          {
                            "id": 1,
                            "name": "São Paulo",
                            "note": "a, b",
                            "nested": {
                              "a": [
                                1,
                                2
                              ]
                            },
                            "nothing": null,
                            "flag": true,
                            "price": 1.5
                          },
                          {
                            "id": 2,
                            "name": "東京",
                            "note": "say \\"hi\\"\\nnext",
                            "nested": [
                              1,
                              "x"
                            ],
                            "nothing": null,
                            "flag": false,
                            "price": 10
                          }
                        ]
                        """),
                Arguments.of(Format.NL, """
                        {"id": 1, "name": "São Paulo", "note": "a, b", "nested": {"a": [1, 2]}, "nothing": null, "flag": true, "price": 1.5}
                        {"id": 2, "name": "東京", "note": "say \\"hi\\"\\nnext", "nested": [1, "x"], "nothing": null, "flag": false, "price": 10}
                        """),
                Arguments.of(Format.CSV, "id,name,note,nested,nothing,flag,price\r\n"
                        + "1,São Paulo,\"a, b\",\"{\"\"a\"\":[1,2]}\",,true,1.5\r\n"
                        + "2,東京,\"say \"\"hi\"\"\nnext\",\"[1,\"\"x\"\"]\",,false,10\r\n"),
                Arguments.of(Format.TSV, "id\tname\tnote\tnested\tnothing\tflag\tprice\r\n"
                        + "1\tSão Paulo\ta, b\t\"{\"\"a\"\":[1,2]}\"\t\ttrue\t1.5\r\n"
                        + "2\t東京\t\"say \"\"hi\"\"\nnext\"\t\"[1,\"\"x\"\"]\"\t\tfalse\t10\r\n"),
                // 東京 is two wide characters: four columns on a terminal, like "São " is four
                Arguments.of(Format.TABLE, """
                        id  name       note            nested       nothing  flag   price
                        --  ---------  --------------  -----------  -------  -----  -----
                        1   São Paulo  a, b            {"a":[1,2]}           true   1.5
                        2   東京       say "hi"\\nnext  [1,"x"]               false  10
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void eachFormatWritesTheSampleExactly(Format format, String expected) throws Exception {
        assertEquals(expected, write(format, SAMPLE));
    }

    static Stream<Arguments> emptyWithColumns() {
        return Stream.of(
                Arguments.of(Format.JSON, "[]\n"),
                Arguments.of(Format.NL, ""),
                Arguments.of(Format.CSV, "id,name\r\n"),
                Arguments.of(Format.TSV, "id\tname\r\n"),
                Arguments.of(Format.TABLE, "id  name\n--  ----\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emptyWithColumns")
    void noRowsButColumnsKnown(Format format, String expected) throws Exception {
        assertEquals(expected, write(format, "{\"columns\": [\"id\", \"name\"], \"rows\": []}"));
    }

    static Stream<Arguments> emptyWithoutColumns() {
        return Stream.of(
                Arguments.of(Format.JSON, "[]\n"),
                Arguments.of(Format.NL, ""),
                Arguments.of(Format.CSV, ""),
                Arguments.of(Format.TSV, ""),
                Arguments.of(Format.TABLE, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emptyWithoutColumns")
    void noRowsAndNoColumns(Format format, String expected) throws Exception {
        assertEquals(expected, write(format, "{\"rows\": []}"));
    }

    static Stream<Arguments> columnsFromTheFirstRow() {
        String rows = "{\"rows\": [{\"b\": 1, \"a\": \"x\"}, {\"a\": \"y\", \"c\": 3}]}";
        return Stream.of(
                // without a columns list, the first row's keys (in order) decide; later extra keys are
                // kept in JSON but have no column in CSV/TSV/table; a missing key is an empty cell
                Arguments.of(Format.CSV, rows, "b,a\r\n1,x\r\n,y\r\n"),
                Arguments.of(Format.TSV, rows, "b\ta\r\n1\tx\r\n\ty\r\n"),
                Arguments.of(Format.TABLE, rows, "b  a\n-  -\n1  x\n   y\n"),
                Arguments.of(Format.NL, rows, "{\"b\": 1, \"a\": \"x\"}\n{\"a\": \"y\", \"c\": 3}\n"),
                Arguments.of(Format.JSON, rows, "[\n  {\n    \"b\": 1,\n    \"a\": \"x\"\n  },\n  {\n    \"a\": \"y\",\n"
                        + "    \"c\": 3\n  }\n]\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("columnsFromTheFirstRow")
    void columnOrderComesFromTheFirstRowWhenTheServerGivesNone(Format format, String json, String expected)
            throws Exception {
        assertEquals(expected, write(format, json));
    }

    static Stream<Arguments> csvQuoting() {
        return Stream.of(
                Arguments.of("plain", "plain"),
                Arguments.of("with space", "with space"),
                Arguments.of("comma,inside", "\"comma,inside\""),
                Arguments.of("quote\"inside", "\"quote\"\"inside\""),
                Arguments.of("line\nbreak", "\"line\nbreak\""),
                Arguments.of("carriage\rreturn", "\"carriage\rreturn\""),
                Arguments.of("tab\tinside", "tab\tinside"),
                Arguments.of("", ""),
                Arguments.of("ünïcödé ✓", "ünïcödé ✓"));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("csvQuoting")
    void csvQuotesOnlyWhatRfc4180Needs(String value, String cell) throws Exception {
        String json = "{\"columns\": [\"v\"], \"rows\": [" + Json.line(Json.mapper().getNodeFactory().objectNode()
                .put("v", value)) + "]}";
        assertEquals("v\r\n" + cell + "\r\n", write(Format.CSV, json));
    }

    @Test
    void tsvQuotesTabsButNotCommas() throws Exception {
        String json = "{\"columns\": [\"a\", \"b\"], \"rows\": [{\"a\": \"x\\ty\", \"b\": \"1,2\"}]}";
        assertEquals("a\tb\r\n\"x\ty\"\t1,2\r\n", write(Format.TSV, json));
    }

    @Test
    void tableAlignsWideAndCombiningCharacters() throws Exception {
        // "é" written as e + combining acute takes one column; "한국" two wide characters
        String json = "{\"rows\": [{\"k\": \"e\u0301t\u00e9\", \"v\": 1}, {\"k\": \"한국\", \"v\": 22}, {\"k\": \"abcde\", \"v\": 3}]}";
        assertEquals("""
                k      v
                -----  --
                e\u0301t\u00e9    1
                한국   22
                abcde  3
                """, write(Format.TABLE, json));
    }

    static Stream<Arguments> displayWidths() {
        return Stream.of(
                Arguments.of("", 0), Arguments.of("abc", 3), Arguments.of("São", 3), Arguments.of("e\u0301", 1),
                Arguments.of("東京", 4), Arguments.of("ｶﾀｶﾅ", 4), Arguments.of("ＡＢ", 4), Arguments.of("😀", 2),
                Arguments.of("a\u200Bb", 2), Arguments.of("한", 2));
    }

    @ParameterizedTest(name = "[{0}] = {1}")
    @MethodSource("displayWidths")
    void displayWidthCountsTerminalColumns(String s, int width) {
        assertEquals(width, TableStyle.displayWidth(s));
    }

    static Stream<Arguments> cells() {
        return Stream.of(
                Arguments.of("\"text\"", "text"), Arguments.of("null", ""), Arguments.of("true", "true"),
                Arguments.of("12", "12"), Arguments.of("1.50", "1.50"), Arguments.of("-0.25", "-0.25"),
                Arguments.of("12345678901234567890", "12345678901234567890"),
                Arguments.of("{\"a\": [1, {\"b\": null}]}", "{\"a\":[1,{\"b\":null}]}"), Arguments.of("[]", "[]"),
                Arguments.of("{\"$base64\": true, \"encoded\": \"FRw=\"}", "{\"$base64\":true,\"encoded\":\"FRw=\"}"));
    }

    @ParameterizedTest(name = "{0} -> [{1}]")
    @MethodSource("cells")
    void cellTextForCsvAndTable(String json, String text) throws Exception {
        assertEquals(text, RowWriter.cell(Json.parse(json)));
    }

    @Test
    void countAndStreaming() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);
        RowWriter w = RowWriter.create(Format.NL, out);
        w.row(Json.parse("{\"a\": 1}"));
        out.flush();
        // newline-delimited JSON is written as rows arrive, before finish()
        assertEquals("{\"a\": 1}\n", bytes.toString(StandardCharsets.UTF_8));
        w.row(Json.parse("{\"a\": 2}"));
        w.finish();
        assertEquals(2, w.count());
    }
}
