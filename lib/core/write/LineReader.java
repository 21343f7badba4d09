package io.datasette.dclient.core.write;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;

/**
 * {@code --lines}, as sqlite-utils reads it: each line is a row {@code {"line": ...}} whose value
 * is the line without its line ending and without the white space around it (Python's
 * {@code str.strip()}). Lines end with LF, CRLF or CR; an empty line is a row with an empty
 * value; a last line without a line ending is a row; an empty input has no rows. A row is handed
 * out as soon as its line ending arrives, so a never-ending input streams.
 */
final class LineReader implements RowReader {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Reader in;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int len;
    /** Characters read before {@code buf[0]}. */
    private long base;
    private boolean eof;
    /** Lines handed out. */
    private long line;
    private boolean skipLf;
    private final StringBuilder text = new StringBuilder();

    LineReader(Reader in) {
        this.in = in;
    }

    @Override
    public String position() {
        return "line " + (line + 1);
    }

    @Override
    public long offset() {
        return base + pos;
    }

    @Override
    public ObjectNode next() throws IOException {
        text.setLength(0);
        boolean any = false;
        while (true) {
            if (pos == len && !fill()) {
                if (!any) return null; // the end: a line ending is not followed by an empty line
                line++;
                return row();
            }
            if (skipLf) { // a CR ended the last line: an LF right after it belongs to that line ending
                skipLf = false;
                if (buf[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            any = true;
            int start = pos;
            while (pos < len && buf[pos] != '\n' && buf[pos] != '\r') pos++;
            text.append(buf, start, pos - start);
            if (pos == len) continue;
            skipLf = buf[pos++] == '\r'; // handed out at once, without waiting to see whether an LF follows
            line++;
            return row();
        }
    }

    private ObjectNode row() {
        ObjectNode r = NODES.objectNode();
        r.put("line", strip(text));
        return r;
    }

    /** Reads more into the buffer (which is used up); false at the end of the input. */
    private boolean fill() throws IOException {
        if (eof) return false;
        base += len;
        pos = 0;
        len = 0;
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        len = n;
        return true;
    }

    /** Python's {@code str.strip()}: Unicode white space off both ends. */
    static String strip(CharSequence s) {
        int from = 0;
        int to = s.length();
        while (from < to && isSpace(s.charAt(from))) from++;
        while (to > from && isSpace(s.charAt(to - 1))) to--;
        return s.subSequence(from, to).toString();
    }

    /** Python's {@code str.isspace()} for one character (Java's isWhitespace leaves out no-break spaces). */
    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }
}
