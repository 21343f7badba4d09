package io.datasette.dclient.core.write;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.core.json.JsonErrors;
import java.io.IOException;
import java.io.Reader;

/**
 * JSON rows with Jackson's streaming parser, one object at a time: a top-level array of objects
 * (never read whole), one object, or any number of top-level objects in a row (newline-delimited
 * JSON, also when each object spans several lines). Anything else (a string, a number, an array
 * element that is not an object) is an error that says what was found where, and so is JSON
 * that does not parse ({@link JsonErrors}: line, column and what was expected, in one line).
 */
final class JsonRowReader implements RowReader {
    private static final ObjectReader OBJECTS = Json.mapper().reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final JsonParser parser;
    /** The input as the parser reads it, keeping the last characters for {@link JsonErrors} to show what it found. */
    private final JsonErrors.Tail text;
    private final String name;
    private boolean inArray;
    /** Top-level values seen, and elements of the current top-level array. */
    private long values;
    private long elements;
    private long offset;

    JsonRowReader(Reader in) {
        this(in, "the input");
    }

    JsonRowReader(Reader in, String name) {
        this.name = name;
        try {
            text = new JsonErrors.Tail(in);
            parser = Json.factory().createParser(text);
        } catch (IOException e) {
            throw new DclientException("Cannot read JSON input: " + e.getMessage(), DclientException.Kind.INPUT, e);
        }
    }

    @Override
    public String position() {
        return where(parser.currentLocation());
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public ObjectNode next() throws IOException {
        try {
            while (true) {
                JsonToken t = parser.nextToken();
                if (t == null) return null; // (Jackson itself fails on an input that ends inside an array)
                if (inArray && t == JsonToken.END_ARRAY) {
                    inArray = false;
                    continue;
                }
                if (!inArray && t == JsonToken.START_ARRAY) {
                    inArray = true;
                    values++;
                    elements = 0;
                    continue;
                }
                if (inArray) {
                    elements++;
                } else {
                    values++;
                }
                if (t == JsonToken.START_OBJECT) {
                    JsonNode node = OBJECTS.readTree(parser);
                    offset = parser.currentLocation().getCharOffset();
                    return (ObjectNode) node;
                }
                throw notRows(t);
            }
        } catch (JsonProcessingException e) {
            throw new DclientException("Invalid JSON in " + name + " " + JsonErrors.describe(e, parser, text),
                    DclientException.Kind.INPUT, e);
        }
    }

    /** A value that is not an object where a row should be. */
    private DclientException notRows(JsonToken t) {
        String at = where(parser.currentTokenLocation());
        String what = describe(t);
        String message;
        if (inArray) {
            message = "JSON input must be an array of objects, but item " + elements + " of the array is " + what;
        } else if (values == 1) {
            message = "JSON input must be an array of objects or one object, but " + name + " holds " + what;
        } else {
            message = "JSON input must be objects (an array of objects, one object, or one object per line), but"
                    + " value " + values + " is " + what;
        }
        return new DclientException(message + " (" + at + ")", DclientException.Kind.INPUT);
    }

    static String where(JsonLocation l) {
        return "line " + l.getLineNr() + ", column " + l.getColumnNr();
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }
}
