package io.datasette.dclient.core.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.datasette.dclient.core.config.Json;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Pretty-prints a JSON body of any size as it is read, in the layout of {@link Json#pretty}
 * (Python's {@code json.dumps(indent=2)}), holding one value at a time: for {@code get} of a
 * body too large to read whole.
 */
final class JsonStream {
    private static final int INDENT = 2;

    private JsonStream() {}

    /**
     * Writes the one JSON value in {@code in} to {@code out}, then a newline.
     *
     * @throws com.fasterxml.jackson.core.JsonProcessingException when the body is not JSON
     *     (what was written before stays written)
     */
    static void pretty(InputStream in, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush(); // the caller owns the stream
            }
        }, StandardCharsets.UTF_8), 1 << 16);
        try (JsonParser p = Json.factory().createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) throw new JsonParseException(p, "No JSON value");
            value(p, first, w, 0);
            if (p.nextToken() != null) throw new JsonParseException(p, "Unexpected content after the JSON value");
            w.write('\n');
        } finally {
            w.flush();
        }
    }

    private static void value(JsonParser p, JsonToken t, Writer w, int depth) throws IOException {
        if (t == JsonToken.START_OBJECT) {
            JsonToken next = p.nextToken();
            if (next == JsonToken.END_OBJECT) {
                w.write("{}");
                return;
            }
            w.write('{');
            boolean first = true;
            for (; next == JsonToken.FIELD_NAME; next = p.nextToken()) {
                if (!first) w.write(',');
                first = false;
                newline(w, depth + 1);
                w.write(Json.pretty(com.fasterxml.jackson.databind.node.TextNode.valueOf(p.currentName()), INDENT));
                w.write(": ");
                value(p, p.nextToken(), w, depth + 1);
            }
            if (next != JsonToken.END_OBJECT) throw new JsonParseException(p, "Unexpected token " + next);
            newline(w, depth);
            w.write('}');
        } else if (t == JsonToken.START_ARRAY) {
            JsonToken next = p.nextToken();
            if (next == JsonToken.END_ARRAY) {
                w.write("[]");
                return;
            }
            w.write('[');
            boolean first = true;
            for (; next != JsonToken.END_ARRAY; next = p.nextToken()) {
                if (next == null) throw new JsonParseException(p, "Unexpected end of input");
                if (!first) w.write(',');
                first = false;
                newline(w, depth + 1);
                value(p, next, w, depth + 1);
            }
            newline(w, depth);
            w.write(']');
        } else if (t == null) {
            throw new JsonParseException(p, "Unexpected end of input");
        } else {
            w.write(Json.pretty(Json.value(p, t), INDENT));
        }
    }

    private static void newline(Writer w, int depth) throws IOException {
        w.write('\n');
        for (int i = 0; i < depth * INDENT; i++) w.write(' ');
    }
}
