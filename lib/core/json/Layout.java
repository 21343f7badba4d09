package io.datasette.dclient.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import java.io.IOException;
import java.util.Arrays;

/**
 * The layouts of Python's json.dumps as a Jackson {@link PrettyPrinter}: one line with
 * {@code ", "} and {@code ": "} ({@link #LINE}), or {@code indent} spaces a level with empty
 * containers as {@code {}} and {@code []}. ({@link #COMPACT}, with no spaces, is Jackson's own.)
 * One per generator: it counts the depth.
 */
final class Layout implements PrettyPrinter {
    static final int LINE = -1;
    static final int COMPACT = -2;

    private final int indent;
    private int depth;
    /** A newline and spaces enough for the current depth. */
    private char[] newline = {'\n'};

    Layout(int indent) {
        this.indent = indent;
    }

    private void next(JsonGenerator g) throws IOException {
        if (indent < 0) {
            g.writeRaw(' ');
            return;
        }
        int n = 1 + indent * depth;
        if (newline.length < n) {
            newline = Arrays.copyOf(newline, n + 8 * indent);
            Arrays.fill(newline, 1, newline.length, ' ');
        }
        g.writeRaw(newline, 0, n);
    }

    private void close(JsonGenerator g, int entries, char bracket) throws IOException {
        depth--;
        if (entries > 0 && indent >= 0) next(g);
        g.writeRaw(bracket);
    }

    @Override
    public void writeRootValueSeparator(JsonGenerator g) {
        // each writer ends its values itself
    }

    @Override
    public void writeStartObject(JsonGenerator g) throws IOException {
        g.writeRaw('{');
        depth++;
    }

    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
        g.writeRaw('[');
        depth++;
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) throws IOException {
        if (indent >= 0) next(g);
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
        if (indent >= 0) next(g);
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
        g.writeRaw(',');
        next(g);
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(',');
        next(g);
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(": ");
    }

    @Override
    public void writeEndObject(JsonGenerator g, int entries) throws IOException {
        close(g, entries, '}');
    }

    @Override
    public void writeEndArray(JsonGenerator g, int entries) throws IOException {
        close(g, entries, ']');
    }
}
