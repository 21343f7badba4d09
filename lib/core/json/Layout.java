package io.datasette.dclient.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.io.SerializedString;
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

    // Separators are written pre-encoded: two writeRaw(char) calls cost a tenth of a row's time.
    private static final SerializedString COMMA = new SerializedString(", ");
    private static final SerializedString COLON = new SerializedString(": ");

    private final int indent;
    private int depth;
    /** By depth: a newline and the indentation, then the same after a comma. */
    private SerializedString[] newline = new SerializedString[0];
    private SerializedString[] commaNewline = new SerializedString[0];

    Layout(int indent) {
        this.indent = indent;
    }

    /** Before a value or entry, {@code comma} after another. */
    private void next(JsonGenerator g, boolean comma) throws IOException {
        if (indent < 0) {
            g.writeRaw(COMMA); // (LINE: only ever after another)
            return;
        }
        if (depth >= newline.length) {
            newline = Arrays.copyOf(newline, depth + 8);
            commaNewline = Arrays.copyOf(commaNewline, depth + 8);
            for (int d = 0; d < newline.length; d++) {
                newline[d] = new SerializedString("\n" + " ".repeat(indent * d));
                commaNewline[d] = new SerializedString(",\n" + " ".repeat(indent * d));
            }
        }
        g.writeRaw((comma ? commaNewline : newline)[depth]);
    }

    private void close(JsonGenerator g, int entries, char bracket) throws IOException {
        depth--;
        if (entries > 0 && indent >= 0) next(g, false);
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
        if (indent >= 0) next(g, false);
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
        if (indent >= 0) next(g, false);
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
        next(g, true);
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
        next(g, true);
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(COLON);
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
