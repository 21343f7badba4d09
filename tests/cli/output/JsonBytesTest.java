package io.datasette.dclient.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.config.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The --nl and --json writers encode rows straight to UTF-8 ({@link JsonBytes}); their bytes must
 * be exactly what printing {@code Json.line} / {@code Json.pretty} to a UTF-8 PrintStream gave.
 */
class JsonBytesTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** What the writers printed before: the String layouts, through a UTF-8 PrintStream. */
    private static byte[] printed(String text) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(b, false, StandardCharsets.UTF_8);
        p.print(text);
        p.flush();
        return b.toByteArray();
    }

    private static void assertSame(JsonNode node) {
        JsonBytes line = new JsonBytes();
        line.value(node, JsonBytes.LINE, 0);
        assertEquals(new String(printed(Json.line(node)), StandardCharsets.UTF_8),
                new String(line.bytes(), StandardCharsets.UTF_8));
        assertEquals(java.util.Arrays.toString(printed(Json.line(node))), java.util.Arrays.toString(line.bytes()));
        JsonBytes pretty = new JsonBytes();
        pretty.value(node, 2, 0);
        assertEquals(java.util.Arrays.toString(printed(Json.pretty(node, 2))), java.util.Arrays.toString(pretty.bytes()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "quote \" and \\ backslash", "\n\r\t\b\f", "\u0000\u0001\u001f\u007f",
            "São Paulo", "東京", "😀 and 𝄞", "lone \ud800 high", "lone \udc00 low", "end \ud83d", "\u2028\u2029",
            "\ufeff\uffff", "</script>"})
    void stringsAsJsonWritesThem(String s) {
        assertSame(F.textNode(s));
        assertSame(F.objectNode().put(s, s));
    }

    @Test
    void numbersAndScalars() {
        for (long v : new long[] {0, 1, -1, 9, 10, 123456789, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MIN_VALUE}) {
            assertSame(F.numberNode(v));
            assertSame(F.numberNode((int) v));
        }
        assertSame(F.numberNode(new BigInteger("123456789012345678901234567890")));
        for (String d : new String[] {"1.5", "10.0", "1E+3", "-0.0", "0.000001", "1.5e-7", "123456789.123456789"}) {
            assertSame(F.numberNode(new BigDecimal(d)));
        }
        assertSame(F.numberNode(1.5d));
        assertSame(F.numberNode(2.5f));
        assertSame(F.numberNode((short) 7));
        assertSame(F.booleanNode(true));
        assertSame(F.booleanNode(false));
        assertSame(F.nullNode());
        assertSame(F.binaryNode(new byte[] {1, 2, 3}));
        assertSame(F.objectNode());
        assertSame(F.arrayNode());
    }

    @Test
    void parsedRowsAsJsonWritesThem() throws Exception {
        assertSame(Json.parse("{\"id\": 1, \"name\": \"S\\u00e3o \\\"x\\\"\", \"nested\": {\"a\": [1, 2, {}, []],"
                + " \"b\": {\"c\": null}}, \"flag\": true, \"price\": 1.50, \"e\": 1.5e3, \"big\": 123456789012345678901234567890,"
                + " \"neg\": -0, \"s\": \"\\ud800\"}"));
    }

    @Test
    void randomTrees() {
        Random r = new Random(42);
        for (int i = 0; i < 2000; i++) assertSame(random(r, 0));
    }

    private static JsonNode random(Random r, int depth) {
        int kind = r.nextInt(depth > 3 ? 6 : 8);
        switch (kind) {
            case 0: return F.textNode(randomString(r));
            case 1: return F.numberNode(r.nextLong() >> r.nextInt(64));
            case 2: return F.numberNode(new BigDecimal(BigInteger.valueOf(r.nextLong()), r.nextInt(20) - 10));
            case 3: return F.booleanNode(r.nextBoolean());
            case 4: return F.nullNode();
            case 5: return F.numberNode(r.nextInt());
            case 6: {
                ObjectNode o = F.objectNode();
                int n = r.nextInt(5);
                for (int k = 0; k < n; k++) o.set(randomString(r), random(r, depth + 1));
                return o;
            }
            default: {
                ArrayNode a = F.arrayNode();
                int n = r.nextInt(5);
                for (int k = 0; k < n; k++) a.add(random(r, depth + 1));
                return a;
            }
        }
    }

    private static String randomString(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(6)) {
                case 0 -> sb.append((char) r.nextInt(0x20));
                case 1 -> sb.append((char) (0x20 + r.nextInt(0x60)));
                case 2 -> sb.append((char) (0x80 + r.nextInt(0x780)));
                case 3 -> sb.append((char) (0x800 + r.nextInt(0xF7FF)));
                case 4 -> sb.appendCodePoint(0x10000 + r.nextInt(0xFFFFF));
                default -> sb.append("\"\\");
            }
        }
        return sb.toString();
    }
}
