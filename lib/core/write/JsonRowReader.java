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
import io.datasette.dclient.core.config.Json;
import java.io.IOException;
import java.io.Reader;

/**
 * JSON rows with Jackson's streaming parser, one object at a time: a top-level array of objects
 * (never read whole), one object, or any number of top-level objects in a row (newline-delimited
 * JSON, also when each object spans several lines).
 */
final class JsonRowReader implements RowReader {
    private static final ObjectReader OBJECTS = Json.mapper().reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final JsonParser parser;
    private boolean inArray;
    private long item;

    JsonRowReader(Reader in) {
        try {
            parser = Json.factory().createParser(in);
        } catch (IOException e) {
            throw new DclientException("Cannot read JSON input: " + e.getMessage(), DclientException.Kind.INPUT, e);
        }
    }

    @Override
    public String position() {
        JsonLocation l = parser.currentLocation();
        return "line " + l.getLineNr() + ", column " + l.getColumnNr();
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
                    continue;
                }
                item++;
                if (t == JsonToken.START_OBJECT) {
                    JsonNode node = OBJECTS.readTree(parser);
                    return (ObjectNode) node;
                }
                throw new DclientException("JSON input must be objects (an array of objects, one object, or one object"
                        + " per line), but item " + item + " is " + describe(t) + " (" + position() + ")", DclientException.Kind.INPUT);
            }
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String where = l == null ? position() : "line " + l.getLineNr() + ", column " + l.getColumnNr();
            String msg = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            throw new DclientException("Invalid JSON at " + where + ": " + msg.lines().findFirst().orElse(msg),
                    DclientException.Kind.INPUT, e);
        }
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
