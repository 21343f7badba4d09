package io.datasette.dclient.core.write;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.DclientException;
import java.io.IOException;
import java.io.Reader;

/**
 * {@code --text}, as sqlite-utils reads it: the whole input is one row {@code {"text": ...}},
 * with its line endings as Python reads text (CRLF and CR become LF); an empty input is one row
 * with an empty value. The input is held whole, so it may hold at most {@link #MAX_CHARS}
 * characters (far more than a Datasette accepts in one request by default, 2 MiB).
 */
final class TextReader implements RowReader {
    static final int MAX_CHARS = 64 * 1024 * 1024;

    private final Reader in;
    private final String name;
    private final int max;
    private boolean done;
    private long offset;
    private long line = 1;

    TextReader(Reader in, String name) {
        this(in, name, MAX_CHARS);
    }

    TextReader(Reader in, String name, int max) {
        this.in = in;
        this.name = name;
        this.max = max;
    }

    @Override
    public String position() {
        return "line " + line;
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public ObjectNode next() throws IOException {
        if (done) return null;
        StringBuilder text = new StringBuilder();
        char[] buf = new char[8192];
        boolean cr = false;
        for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
            offset += n;
            for (int i = 0; i < n; i++) {
                char c = buf[i];
                if (c == '\n' && cr) { // the LF of a CRLF: the CR already became one
                    cr = false;
                    continue;
                }
                cr = c == '\r';
                if (cr || c == '\n') line++;
                text.append(cr ? '\n' : c);
            }
            if (text.length() > max) {
                throw new DclientException(name + " is too large to be one value: it is read whole, and one value may"
                        + " hold at most " + (max % (1 << 20) == 0 ? (max >> 20) + " Mi" : max + " ") + "characters"
                        + " (read line by line, each line is a row)",
                        DclientException.Kind.INPUT);
            }
        }
        done = true;
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        row.put("text", text.toString());
        return row;
    }
}
