package io.datasette.dclient.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON text {@code Json.line} and {@code Json.pretty} write, encoded straight into a reused
 * UTF-8 buffer: the hot path of {@code rows --all --nl} and {@code --json}, which would otherwise
 * build a String per row and encode it again in the PrintStream. The same bytes as printing that
 * String to a UTF-8 PrintStream (a lone surrogate becomes {@code ?}, as the PrintStream's
 * encoder writes it); {@code RowWriterTest} and {@code JsonBytesTest} hold the two to each other.
 */
final class JsonBytes {
    /** Single-line layout: {@code ", "} and {@code ": "} (Python's separators). */
    static final int LINE = -1;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] buf = new byte[4096];
    private int len;

    void reset() {
        len = 0;
    }

    void writeTo(PrintStream out) {
        out.write(buf, 0, len);
    }

    int size() {
        return len;
    }

    /** The bytes so far (a copy), for tests. */
    byte[] bytes() {
        return Arrays.copyOf(buf, len);
    }

    private void room(int more) {
        if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }

    void put(byte b) {
        if (len == buf.length) room(1);
        buf[len++] = b;
    }

    /** An ASCII string. */
    void ascii(String s) {
        int n = s.length();
        room(n);
        for (int i = 0; i < n; i++) buf[len++] = (byte) s.charAt(i);
    }

    /**
     * {@code node} laid out as {@code Json.line} ({@code indent} {@link #LINE}) or
     * {@code Json.pretty(node, indent)}, starting at nesting {@code depth}.
     */
    void value(JsonNode node, int indent, int depth) {
        if (node == null) {
            ascii("null");
            return;
        }
        switch (node.getNodeType()) {
            case OBJECT -> {
                if (node.isEmpty()) {
                    ascii("{}");
                    return;
                }
                put((byte) '{');
                boolean first = true;
                for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    separator(first, indent, depth + 1);
                    first = false;
                    string(e.getKey());
                    room(2);
                    buf[len++] = ':';
                    buf[len++] = ' ';
                    value(e.getValue(), indent, depth + 1);
                }
                close(indent, depth);
                put((byte) '}');
            }
            case ARRAY -> {
                if (node.isEmpty()) {
                    ascii("[]");
                    return;
                }
                put((byte) '[');
                boolean first = true;
                for (JsonNode item : node) {
                    separator(first, indent, depth + 1);
                    first = false;
                    value(item, indent, depth + 1);
                }
                close(indent, depth);
                put((byte) ']');
            }
            case STRING -> string(node.textValue());
            case NULL -> ascii("null");
            case BOOLEAN -> ascii(node.booleanValue() ? "true" : "false");
            case NUMBER -> {
                if (node.isIntegralNumber()) {
                    if (node.isBigInteger()) ascii(node.bigIntegerValue().toString());
                    else number(node.longValue());
                } else if (node.isBigDecimal()) {
                    ascii(node.decimalValue().toString());
                } else {
                    ascii(node.asText());
                }
            }
            default -> string(node.asText());
        }
    }

    private void separator(boolean first, int indent, int depth) {
        if (indent < 0) {
            if (!first) {
                room(2);
                buf[len++] = ',';
                buf[len++] = ' ';
            }
            return;
        }
        if (!first) put((byte) ',');
        newline(indent * depth);
    }

    private void close(int indent, int depth) {
        if (indent >= 0) newline(indent * depth);
    }

    private void newline(int spaces) {
        room(1 + spaces);
        buf[len++] = '\n';
        for (int i = 0; i < spaces; i++) buf[len++] = ' ';
    }

    private void number(long v) {
        if (v == Long.MIN_VALUE) {
            ascii(Long.toString(v));
            return;
        }
        room(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int start = len;
        do {
            buf[len++] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        } while (v != 0);
        for (int i = start, j = len - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
    }

    /** A JSON string literal, escaped as {@code Json} escapes it, in UTF-8. */
    void string(String s) {
        int n = s.length();
        room(n + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                if (len == buf.length) room(1);
                buf[len++] = (byte) c;
                continue;
            }
            room(12);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf[len++] = (byte) (0xf0 | (cp >> 18));
                buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                buf[len++] = (byte) (0x80 | (cp & 0x3f));
            } else {
                unit(c); // escapes, other characters, and '?' for a lone surrogate as a UTF-8 PrintStream writes it
            }
        }
        put((byte) '"');
    }

    /**
     * Re-lays JSON text as {@code Json.line} lays out the tree it reads as: {@code text[from, to)}
     * is one value of strict JSON in well-formed UTF-8 whose numbers are written as {@code Json}
     * writes them and whose objects have no key twice ({@code PageWalk.Page#rowSpan}). Spaces go,
     * separators become {@code ", "} and {@code ": "}, and strings are escaped as {@code Json}
     * escapes them: {@code \\uXXXX} escapes become the characters (a lone surrogate {@code ?}, as a
     * UTF-8 PrintStream writes it), {@code \\/} becomes {@code /}, control characters keep the
     * short escapes or get upper-case hex.
     */
    void line(byte[] text, int from, int to) {
        room(2 * (to - from) + 16);
        int i = from;
        while (i < to) {
            byte c = text[i];
            switch (c) {
                case ' ', '\t', '\n', '\r' -> i++;
                case ',' -> {
                    buf[len++] = ',';
                    buf[len++] = ' ';
                    i++;
                }
                case ':' -> {
                    buf[len++] = ':';
                    buf[len++] = ' ';
                    i++;
                }
                case '"' -> i = copyString(text, i);
                default -> {
                    buf[len++] = c;
                    i++;
                }
            }
        }
    }

    /** The string whose opening quote is at {@code i}; returns the index after its closing quote. */
    private int copyString(byte[] text, int i) {
        buf[len++] = '"';
        i++;
        while (true) {
            int run = i;
            byte c;
            while ((c = text[i]) != '"' && c != '\\') i++;
            if (i > run) {
                System.arraycopy(text, run, buf, len, i - run);
                len += i - run;
            }
            if (c == '"') {
                buf[len++] = '"';
                return i + 1;
            }
            byte e = text[i + 1];
            switch (e) {
                case 'u' -> {
                    int u = hex4(text, i + 2);
                    i += 6;
                    if (Character.isHighSurrogate((char) u) && text[i] == '\\' && text[i + 1] == 'u') {
                        int low = hex4(text, i + 2);
                        if (Character.isLowSurrogate((char) low)) {
                            int cp = Character.toCodePoint((char) u, (char) low);
                            buf[len++] = (byte) (0xf0 | (cp >> 18));
                            buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                            buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                            buf[len++] = (byte) (0x80 | (cp & 0x3f));
                            i += 6;
                            continue;
                        }
                    }
                    unit((char) u);
                }
                case '/' -> {
                    buf[len++] = '/';
                    i += 2;
                }
                default -> { // \" \\ \b \f \n \r \t: as Json writes them
                    buf[len++] = '\\';
                    buf[len++] = e;
                    i += 2;
                }
            }
        }
    }

    /** One UTF-16 unit from a {@code \\u} escape, as {@code Json} and a UTF-8 PrintStream write it. */
    private void unit(char c) {
        switch (c) {
            case '"' -> two('"');
            case '\\' -> two('\\');
            case '\n' -> two('n');
            case '\r' -> two('r');
            case '\t' -> two('t');
            case '\b' -> two('b');
            case '\f' -> two('f');
            default -> {
                if (c < 0x20) {
                    buf[len++] = '\\';
                    buf[len++] = 'u';
                    buf[len++] = '0';
                    buf[len++] = '0';
                    buf[len++] = HEX[c >> 4];
                    buf[len++] = HEX[c & 0xf];
                } else if (c < 0x80) {
                    buf[len++] = (byte) c;
                } else if (c < 0x800) {
                    buf[len++] = (byte) (0xc0 | (c >> 6));
                    buf[len++] = (byte) (0x80 | (c & 0x3f));
                } else if (Character.isSurrogate(c)) {
                    buf[len++] = '?';
                } else {
                    buf[len++] = (byte) (0xe0 | (c >> 12));
                    buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                    buf[len++] = (byte) (0x80 | (c & 0x3f));
                }
            }
        }
    }

    private static int hex4(byte[] t, int at) {
        return Character.digit(t[at], 16) << 12 | Character.digit(t[at + 1], 16) << 8
                | Character.digit(t[at + 2], 16) << 4 | Character.digit(t[at + 3], 16);
    }

    private void two(char c) {
        buf[len++] = '\\';
        buf[len++] = (byte) c;
    }
}
