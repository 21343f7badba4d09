package io.datasette.dclient.core.write;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.DclientException;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV or TSV with a header row, parsed the way Python's csv module does by default: fields may
 * be quoted with {@code "} (doubled inside), quoted fields may hold delimiters and line breaks,
 * lines end with LF, CRLF or CR, blank lines are skipped. Every value is a string; a row with
 * fewer fields than the header gets null for the missing ones, one with more is an error.
 */
final class DelimitedReader implements RowReader {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Reader in;
    private final char sep;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int len;
    /** Characters read before {@code buf[0]}. */
    private long base;
    private boolean eof;
    private long line = 1;
    private long recordLine;
    private List<String> header;
    private final StringBuilder field = new StringBuilder();

    DelimitedReader(Reader in, char sep) {
        this.in = in;
        this.sep = sep;
    }

    @Override
    public String position() {
        return "line " + recordLine;
    }

    @Override
    public long offset() {
        return base + pos;
    }

    /** The header, once the first row has been read (or null). */
    List<String> header() {
        return header;
    }

    @Override
    public ObjectNode next() throws IOException {
        if (header == null) {
            List<String> h = record();
            if (h == null) return null;
            header = h;
        }
        List<String> values = record();
        if (values == null) return null;
        if (values.size() > header.size()) {
            throw new DclientException("Line " + recordLine + " has " + values.size() + " values but the header has "
                    + header.size() + " columns", DclientException.Kind.INPUT);
        }
        ObjectNode row = NODES.objectNode();
        for (int i = 0; i < header.size(); i++) {
            if (i < values.size()) {
                row.put(header.get(i), values.get(i));
            } else {
                row.putNull(header.get(i));
            }
        }
        return row;
    }

    private int peek() throws IOException {
        if (pos < len) return buf[pos];
        if (eof) return -1;
        base += len;
        len = in.read(buf, 0, buf.length);
        pos = 0;
        if (len <= 0) {
            len = 0;
            eof = true;
            return -1;
        }
        return buf[pos];
    }

    /** The next non-blank record, or null at the end. */
    private List<String> record() throws IOException {
        while (true) {
            recordLine = line;
            if (peek() == -1) return null;
            List<String> r = parseRecord();
            if (r.size() == 1 && r.get(0).isEmpty() && !lastWasQuoted) continue; // blank line
            return r;
        }
    }

    private boolean lastWasQuoted;

    private List<String> parseRecord() throws IOException {
        List<String> fields = new ArrayList<>(header == null ? 16 : header.size());
        field.setLength(0);
        boolean quoted = false; // inside quotes
        boolean wasQuoted = false; // this field started with a quote
        boolean atStart = true;
        String direct = null; // the current field when read in one piece from the buffer (not copied through field)
        lastWasQuoted = false;
        while (true) {
            int c = peek();
            if (c == -1) {
                fields.add(field.toString());
                lastWasQuoted = wasQuoted;
                return fields;
            }
            // fast path: copy a run of ordinary characters in one go
            if (!quoted) {
                int start = pos;
                while (pos < len) {
                    char ch = buf[pos];
                    if (ch == sep || ch == '\n' || ch == '\r' || (ch == '"' && atStart && pos == start)) break;
                    pos++;
                    atStart = false;
                }
                if (pos > start) {
                    if (field.length() == 0 && pos < len) {
                        direct = new String(buf, start, pos - start); // the whole field, ended in the buffer
                    } else {
                        field.append(buf, start, pos - start);
                    }
                    continue;
                }
                char ch = buf[pos];
                if (ch == '"' && atStart) {
                    pos++;
                    quoted = true;
                    wasQuoted = true;
                    atStart = false;
                } else if (ch == sep) {
                    pos++;
                    fields.add(direct != null ? direct : field.toString());
                    direct = null;
                    field.setLength(0);
                    atStart = true;
                    wasQuoted = false;
                } else { // line break
                    pos++;
                    if (ch == '\r' && peek() == '\n') pos++;
                    line++;
                    fields.add(direct != null ? direct : field.toString());
                    lastWasQuoted = wasQuoted;
                    return fields;
                }
            } else {
                char ch = (char) c;
                pos++;
                if (ch == '"') {
                    if (peek() == '"') {
                        pos++;
                        field.append('"');
                    } else {
                        quoted = false; // text after the closing quote is kept, as Python does
                    }
                } else {
                    if (ch == '\n' || (ch == '\r' && peek() != '\n')) line++;
                    field.append(ch);
                }
            }
        }
    }
}
