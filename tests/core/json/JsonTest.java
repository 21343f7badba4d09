package io.datasette.dclient.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JSON text laid out the way Python's json.dumps does (the expected texts come from Python 3). */
class JsonTest {
    @Test
    void prettyKeepsNonAsciiAndEscapesControlCharacters() throws Exception {
        // json.dumps(..., indent=2, ensure_ascii=False)
        String python = "{\n  \"a\": \"São 東\",\n  \"b\": \"q\\\"\\\\\\n\\t\\u0001/\"\n}";
        assertEquals(python, Json.pretty(Json.parse(python), 2));
    }

    @Test
    void lineUsesPythonsSeparators() throws Exception {
        assertEquals("{\"a\": [1, {\"b\": null}], \"c\": \"x\"}", Json.line(Json.parse("{\"a\":[1,{\"b\":null}],\"c\":\"x\"}")));
    }

    @Test
    void compactHasNoSpaces() throws Exception {
        assertEquals("{\"a\":[1,{\"b\":null}],\"c\":\"x\"}", Json.compact(Json.parse("{\"a\": [1, {\"b\": null}], \"c\": \"x\"}")));
    }

    @Test
    void emptyContainers() throws Exception {
        assertEquals("{\n  \"a\": {},\n  \"b\": []\n}", Json.pretty(Json.parse("{\"a\":{},\"b\":[]}"), 2));
        assertEquals("[]", Json.pretty(Json.parse("[]"), 2));
        assertEquals("{}", Json.line(Json.parse("{}")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1.5", "1.0", "10", "-0.25", "12345678901234567890", "0.1", "6.25", "true", "null", "\"x\""})
    void numbersAreWrittenAsTheServerSentThem(String number) throws Exception {
        assertEquals("[" + number + "]", Json.line(Json.parse("[" + number + "]")));
    }

    @Test
    void asciiOnlyEscapesLikePythonsDefault() throws Exception {
        // json.dumps({"a": "Sé\x7f東😀", "b": "plain"}) in Python 3
        String python = "{\"a\": \"S\\u00e9\\u007f\\u6771\\ud83d\\ude00\", \"b\": \"plain\"}";
        assertEquals(python, Json.asciiOnly(Json.line(Json.parse("{\"a\": \"Sé\u007f東😀\", \"b\": \"plain\"}"))));
        assertEquals("{\"b\": \"plain\"}", Json.asciiOnly("{\"b\": \"plain\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"5e0", "1.5e1", "-0.0", "-0", "1E+400", "0.0000001", "1e-07"})
    void numbersKeepTheirTextInTreesToo(String number) throws Exception {
        JsonNode n = Json.parse("[" + number + "]").get(0);
        assertEquals("[" + number + "]", Json.line(Json.parse("[" + number + "]")));
        assertEquals(number, n.asText());
        assertEquals(Double.parseDouble(number), n.doubleValue()); // (-0.0 stays negative: assertEquals compares bits)
    }

    @Test
    void aLoneSurrogateIsWrittenAsItsEscapeAndAPairAsTheCharacter() throws Exception {
        assertEquals("[\"\\uD800 \\uDC00x \ud83d\ude00\"]", Json.line(Json.parse("[\"\\ud800 \\udc00x \\ud83d\\ude00\"]")));
    }

    @Test
    void nestingIsReadUpToTheLimitAndBeyondIsSaidSo() throws Exception {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertEquals(ok, Json.line(Json.parse(ok)));
        assertEquals("", JsonErrors.reason(ok.getBytes(StandardCharsets.UTF_8)));
        String deep = "[" + ok + "]";
        assertEquals(": at line 1, column 2002: values nested more than 2000 levels deep, more than dclient reads",
                JsonErrors.reason(deep.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void bytesThatAreNotUtf8AreAnErrorNamingTheRow() {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes("{\"rows\": [{\"a\": \"x\"}, {\"a\": \"".getBytes(StandardCharsets.UTF_8));
        b.write(0xC0); // C0 AF: an overlong "/", which Jackson alone would read as "/"
        b.write(0xAF);
        b.writeBytes("\"}]}".getBytes(StandardCharsets.UTF_8));
        byte[] bad = b.toByteArray();
        Utf8.NotUtf8 e = assertThrows(Utf8.NotUtf8.class, () -> Json.parse(bad));
        assertEquals("bytes that are not UTF-8 (C0 AF at byte 29, in row 2)", e.getOriginalMessage());
        assertEquals(": bytes that are not UTF-8 (C0 AF at byte 29, in row 2)", JsonErrors.reason(bad));
    }
}
