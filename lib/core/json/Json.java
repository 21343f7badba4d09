package io.datasette.dclient.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON for dclient: a tree reader on Jackson's streaming parser (the {@link #mapper()} is only
 * built when something needs data binding: creating it costs more than a whole
 * {@code dclient alias list} otherwise takes), and the layouts Python's json.dumps writes, as
 * text ({@link #line}, {@link #pretty}, {@link #compact}) or streamed ({@link JsonWriter}).
 *
 * <p>Values are kept as they were sent: a number keeps its text ({@code 5e0}, {@code -0.0};
 * {@link ExactNumber}), a lone surrogate escape stays an escape, and bytes that are not UTF-8
 * are an error ({@link Utf8}). Nesting is read up to {@link #MAX_DEPTH} levels.
 */
public final class Json {
    /**
     * Levels of nesting read and written, counted from the outermost value: above Jackson's
     * default of 1,000 because a value SQLite's JSON functions make (up to 1,000 levels deep)
     * sits inside a page's object, its rows list and its row. Deeper is an error that says so.
     */
    public static final int MAX_DEPTH = 2_000;

    /**
     * Also no limit on a string's length (Jackson's default is 20 million characters): a page is
     * read through with strings skipped, not counted, before its rows are copied, so a limit there
     * would fail a page half-written. A response's size limit bounds them.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(Integer.MAX_VALUE).build())
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    private static final class MapperHolder {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                // keep 10.0 as 10.0 (the default normalizes it to 1E+1)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The shared data-binding mapper (floats as exact decimals, trailing tokens rejected). */
    public static ObjectMapper mapper() {
        return MapperHolder.MAPPER;
    }

    /** The streaming factory (with the nesting limit), for readers and writers that handle large inputs piecewise. */
    public static JsonFactory factory() {
        return FACTORY;
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** Parses one JSON value; numbers keep their text; trailing content is an error. */
    public static JsonNode parse(String text) throws JsonProcessingException {
        try (JsonParser p = FACTORY.createParser(text)) {
            return whole(p);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String cannot fail to read
        }
    }

    /** Parses one JSON value from UTF-8 (bytes that are not UTF-8 are an error, {@link Utf8#check}). */
    public static JsonNode parse(byte[] utf8) throws IOException {
        Utf8.check(utf8);
        try (JsonParser p = FACTORY.createParser(utf8)) {
            return whole(p);
        }
    }

    static JsonNode whole(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) return MissingNode.getInstance();
        JsonNode node = value(p, first);
        if (p.nextToken() != null) throw new JsonParseException(p, "Unexpected content after the JSON value");
        return node;
    }

    /** Reads the value starting at {@code token} into a tree. */
    public static JsonNode value(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                ObjectNode obj = NODES.objectNode();
                for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                    String name = p.currentName();
                    obj.set(name, value(p, p.nextToken()));
                }
                return obj;
            }
            case START_ARRAY: {
                ArrayNode arr = NODES.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) arr.add(value(p, t));
                return arr;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                return switch (p.getNumberType()) {
                    case INT -> p.getIntValue() == 0 && p.getTextLength() > 1 ? new ExactNumber(p.getText()) : NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT:
                return new ExactNumber(p.getText());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new JsonParseException(p, "Unexpected token " + token);
        }
    }

    /** Single-line JSON with Python's {@code ", "} and {@code ": "} separators. */
    public static String line(JsonNode node) {
        return text(node, Layout.LINE);
    }

    /** Compact JSON with no spaces, for request bodies. */
    public static String compact(JsonNode node) {
        return text(node, Layout.COMPACT);
    }

    /** Indented JSON ({@code indent} spaces), non-ASCII kept as is, empty containers as {@code {}}/{@code []}. */
    public static String pretty(JsonNode node, int indent) {
        return text(node, indent);
    }

    /** Through UTF-8 and back, so that a lone surrogate is written as its escape, as in every output. */
    private static String text(JsonNode node, int layout) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonWriter w = JsonWriter.values(bytes, layout)) {
            w.write(node);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * JSON text with every character outside printable ASCII written as a {@code \\uXXXX} escape
     * (lower-case hex, surrogate pairs above U+FFFF), as Python's json.dumps does by default. Used
     * for the config files Python dclient also reads, whatever encoding its platform defaults to.
     */
    public static String asciiOnly(String json) {
        StringBuilder sb = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c >= 0x7f) {
                if (sb == null) sb = new StringBuilder(json.length() + 16).append(json, 0, i);
                sb.append(String.format("\\u%04x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? json : sb.toString();
    }
}
