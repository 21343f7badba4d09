package io.datasette.dclient.core.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * JSON written to a stream as it comes, in UTF-8, in one of Python's layouts ({@link Layout}):
 * values from trees ({@link #write}) or copied from a parser token by token ({@link #copy}), so
 * a page's rows go out without being built. Either way a number is written as its text and a
 * lone surrogate as its {@code \\uXXXX} escape; every other character as itself (but the
 * escapes JSON requires).
 */
public final class JsonWriter implements AutoCloseable {
    private static final JsonFactory OUT = JsonFactory.builder()
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(Json.MAX_DEPTH).build())
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8) // (else a pair is two escapes)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET) // the caller owns the stream
            .build();

    private final JsonGenerator g;
    private final boolean array;
    /** A newline after each value, or after the array. */
    private final boolean newline;
    private boolean started;
    private boolean finished;
    /** Told, after each value, how many of its bytes are still buffered here (none: {@code null}). */
    private java.util.function.IntConsumer rowEnds;

    private JsonWriter(OutputStream out, int layout, boolean array, boolean newline) {
        try {
            g = OUT.createGenerator(out, JsonEncoding.UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (layout != Layout.COMPACT) g.setPrettyPrinter(new Layout(layout));
        this.array = array;
        this.newline = newline;
    }

    /** One value a line, on one line each ({@code --nl}). */
    public static JsonWriter lines(OutputStream out) {
        return new JsonWriter(out, Layout.LINE, false, true);
    }

    /** The values as one array indented by {@code indent} ({@code --json}), begun at the first value; {@link #finish} ends it. */
    public static JsonWriter array(OutputStream out, int indent) {
        return new JsonWriter(out, indent, true, true);
    }

    /** One value indented by {@code indent}, then a newline. */
    public static JsonWriter pretty(OutputStream out, int indent) {
        return new JsonWriter(out, indent, false, true);
    }

    /** Values as they are, nothing after them ({@link Layout#LINE}, {@link Layout#COMPACT} or an indent). */
    static JsonWriter values(OutputStream out, int layout) {
        return new JsonWriter(out, layout, false, false);
    }

    private void begin() throws IOException {
        if (array && !started) g.writeStartArray();
        started = true;
    }

    private void ended() throws IOException {
        if (!array && newline) g.writeRaw('\n');
        if (rowEnds != null) rowEnds.accept(g.getOutputBuffered());
    }

    /**
     * Calls {@code held} after each value is written with the number of bytes still buffered
     * here: what a failed write to the output would have lost of the values written so far.
     */
    public void rowEnds(java.util.function.IntConsumer held) {
        this.rowEnds = held;
    }

    /** Writes a tree. */
    public void write(JsonNode node) {
        try {
            begin();
            tree(node);
            ended();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void tree(JsonNode node) throws IOException {
        if (node == null) {
            g.writeNull();
        } else if (node.isObject()) {
            g.writeStartObject();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                g.writeFieldName(e.getKey());
                tree(e.getValue());
            }
            g.writeEndObject();
        } else if (node.isArray()) {
            g.writeStartArray();
            for (JsonNode item : node) tree(item);
            g.writeEndArray();
        } else if (node.isTextual()) {
            g.writeString(node.textValue());
        } else if (node.isNull()) {
            g.writeNull();
        } else if (node.isBoolean()) {
            g.writeBoolean(node.booleanValue());
        } else if (node instanceof ExactNumber) {
            g.writeNumber(node.asText());
        } else if (node.isNumber()) {
            switch (node.numberType()) {
                case INT -> g.writeNumber(node.intValue());
                case LONG -> g.writeNumber(node.longValue());
                case BIG_INTEGER -> g.writeNumber(node.bigIntegerValue());
                case BIG_DECIMAL -> g.writeNumber(node.decimalValue());
                case FLOAT -> g.writeNumber(node.floatValue());
                default -> g.writeNumber(node.doubleValue());
            }
        } else {
            g.writeString(node.asText()); // binary (as base64), missing, POJO: as text
        }
    }

    /**
     * Copies the value at the parser's current token as it was sent: numbers as their text,
     * strings and names decoded and written again. Leaves the parser on the value's last token.
     */
    public void copy(JsonParser p) throws IOException {
        begin();
        JsonToken t = p.currentToken();
        for (int depth = 0; ; t = p.nextToken()) {
            if (t == null) throw new JsonParseException(p, "Unexpected end of input");
            if (t.isNumeric()) {
                g.writeNumber(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            } else {
                g.copyCurrentEvent(p);
            }
            depth += t.isStructStart() ? 1 : t.isStructEnd() ? -1 : 0;
            if (depth == 0) break;
        }
        ended();
    }

    /**
     * Copies the one JSON value of {@code in} as {@code pretty(out, indent)} lays it out, holding
     * one token at a time (for a body of any size). Bytes that are not UTF-8 are an error, as
     * anything else that is not JSON; what was written before stays written.
     */
    public static void pretty(InputStream in, OutputStream out, int indent) throws IOException {
        try (JsonWriter w = pretty(out, indent);
                JsonParser p = Json.factory().createParser(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()))) {
            try {
                if (p.nextToken() == null) throw new JsonParseException(p, "No JSON value");
                w.copy(p);
                if (p.nextToken() != null) throw new JsonParseException(p, "Unexpected content after the JSON value");
            } catch (CharacterCodingException e) {
                throw new JsonParseException(p, "Bytes that are not UTF-8", e);
            }
        }
    }

    /** Writes out what is buffered. */
    public void flush() {
        try {
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the array (an empty one when no value came), and flushes. */
    public void finish() {
        if (finished) return;
        finished = true;
        try {
            if (array) {
                begin();
                g.writeEndArray();
                g.writeRaw('\n');
            }
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        finish();
    }
}
