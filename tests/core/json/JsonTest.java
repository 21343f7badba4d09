package io.datasette.dclient.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
