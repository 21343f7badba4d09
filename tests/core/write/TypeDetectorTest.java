package io.datasette.dclient.core.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.json.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** CSV/TSV column types: decided once from a window, applied to every later row. */
class TypeDetectorTest {

    @ParameterizedTest(name = "[{0}] integer={1} float={2}")
    @CsvSource(delimiter = '|', value = {
        "1|true|true", "-12|true|true", "+7|true|true", "007|true|true", "' 42 '|true|true",
        "12345678901234567890123|true|true",
        "1.5|false|true", "-0.25|false|true", "1.|false|true", ".5|false|true", "1e5|false|true", "2.5E-3|false|true",
        "abc|false|false", "1,000|false|false", "1_000|false|false", "0x10|false|false", "nan|false|false",
        "inf|false|false", "Infinity|false|false", "1e400|false|false", "1.5f|false|false", "1d|false|false",
        "' '|false|false", "-|false|false", "1 2|false|false",
    })
    void whatCountsAsANumber(String value, boolean integer, boolean decimal) {
        assertEquals(integer, TypeDetector.isInteger(value), "integer " + value);
        assertEquals(decimal, TypeDetector.isFloat(value), "float " + value);
    }

    static ObjectNode row(String... kv) {
        ObjectNode r = Json.object();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                r.putNull(kv[i]);
            } else {
                r.put(kv[i], kv[i + 1]);
            }
        }
        return r;
    }

    static Stream<Arguments> columns() {
        return Stream.of(
                // values seen in the window -> type
                Arguments.of(List.of("1", "2", "3"), TypeDetector.Type.INTEGER),
                Arguments.of(List.of("1", "", "3"), TypeDetector.Type.INTEGER),
                Arguments.of(List.of("1", "1.5"), TypeDetector.Type.FLOAT),
                Arguments.of(List.of("1e3", "2"), TypeDetector.Type.FLOAT),
                Arguments.of(List.of("1", "x"), TypeDetector.Type.TEXT),
                Arguments.of(List.of("1.5", "N/A"), TypeDetector.Type.TEXT),
                Arguments.of(List.of("", ""), TypeDetector.Type.INTEGER), // empty throughout: like Python
                Arguments.of(List.of("nan", "1"), TypeDetector.Type.TEXT));
    }

    @ParameterizedTest
    @MethodSource("columns")
    void decidesAColumnFromTheWindow(List<String> values, TypeDetector.Type expected) {
        TypeDetector t = new TypeDetector();
        for (String v : values) t.observe(row("c", v));
        assertEquals(Map.of("c", expected), t.decide());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // type | value arriving after the window | JSON sent
        "1|5|5", "1|' 6 '|6", "1|+7|7", "1|007|7", "1||null", "1|1.5|\"1.5\"", "1|abc|\"abc\"",
        "1|99999999999999999999|99999999999999999999", "1|-9223372036854775808|-9223372036854775808",
        "1.5|2|2.0", "1.5|2.25|2.25", "1.5||null", "1.5|n/a|\"n/a\"", "1.5|1e400|\"1e400\"",
        "x|5|\"5\"", "x||\"\"",
    })
    void convertsLaterRowsAndNeverFailsOnValuesThatDoNotFit(String windowValue, String later, String json) {
        TypeDetector t = new TypeDetector();
        t.observe(row("c", windowValue));
        t.decide();
        assertEquals("{\"c\":" + json + "}", Json.compact(t.convert(row("c", later == null ? "" : later))));
    }

    @org.junit.jupiter.api.Test
    void nullsFromShortRowsStayNullAndUnknownColumnsAreLeftAlone() {
        TypeDetector t = new TypeDetector();
        t.observe(row("a", "1", "b", "x"));
        t.decide();
        assertEquals("{\"a\":null,\"b\":null,\"new\":\"3\"}", Json.compact(t.convert(row("a", null, "b", null, "new", "3"))));
    }

    @org.junit.jupiter.api.Test
    void theSameTypesForEveryRowWhateverTheBatch() {
        // Python dclient converted only its first batch; here every row gets the window's types
        TypeDetector t = new TypeDetector();
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 1; i <= 5; i++) rows.add(row("id", Integer.toString(i), "score", i + ".5", "name", "n" + i));
        rows.forEach(t::observe);
        t.decide();
        List<String> out = new ArrayList<>();
        for (ObjectNode r : rows) out.add(Json.compact(t.convert(r)));
        for (int i = 6; i <= 7; i++) out.add(Json.compact(t.convert(row("id", Integer.toString(i), "score", "3", "name", "7"))));
        assertEquals(Arrays.asList(
                "{\"id\":1,\"score\":1.5,\"name\":\"n1\"}", "{\"id\":2,\"score\":2.5,\"name\":\"n2\"}",
                "{\"id\":3,\"score\":3.5,\"name\":\"n3\"}", "{\"id\":4,\"score\":4.5,\"name\":\"n4\"}",
                "{\"id\":5,\"score\":5.5,\"name\":\"n5\"}", "{\"id\":6,\"score\":3.0,\"name\":\"7\"}",
                "{\"id\":7,\"score\":3.0,\"name\":\"7\"}"), out);
    }
}
