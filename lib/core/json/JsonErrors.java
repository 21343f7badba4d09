package io.datasette.dclient.core.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.JsonReadContext;
import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.util.regex.Pattern;

/**
 * A JSON parse error in words for people, in one line: where (line and column), what was expected
 * there and what was found, e.g. {@code at line 2, column 7: expected a value (a string, number,
 * object, array, true, false or null), found '}'}. Worked out from where the parser stopped, what
 * it was inside (object, array, string) and the text around that place ({@link Text}), never
 * from Jackson's wording, which changes between versions.
 */
public final class JsonErrors {
    private JsonErrors() {}

    private static final String VALUE = "a value (a string, number, object, array, true, false or null)";
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
    private static final int END = -1;
    private static final int UNKNOWN = -2;

    /** The input's characters by offset (as the parser counts them), as far as they are kept. */
    public interface Text {
        /** The character at {@code offset}; -1 past the end of the input, -2 when not known. */
        int at(long offset);
    }

    /** A UTF-8 body, by byte offset (only its ASCII characters are shown). */
    public static Text of(byte[] utf8) {
        return o -> o >= utf8.length ? END : o < 0 || utf8[(int) o] < 0 ? UNKNOWN : utf8[(int) o];
    }

    /** A reader that keeps the last characters it read, for an error to show what it found there. */
    public static final class Tail extends FilterReader implements Text {
        private final char[] kept = new char[1 << 14];
        private long count;
        private boolean ended;

        public Tail(Reader in) {
            super(in);
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n < 0) ended = true;
            for (int i = 0; i < n; i++) kept[(int) (count++ % kept.length)] = buf[off + i];
            return n;
        }

        @Override
        public int read() throws IOException {
            char[] one = new char[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int at(long o) {
            if (o >= count) return ended ? END : UNKNOWN;
            return o < 0 || o < count - kept.length ? UNKNOWN : kept[(int) (o % kept.length)];
        }
    }

    /**
     * Why {@code utf8} is not one JSON value, as {@code ": "} and {@link #describe}; empty when it
     * is, and when it does not even start as an object or array would (an HTML page, plain text).
     */
    public static String reason(byte[] utf8) {
        int start = 0;
        while (start < utf8.length && (utf8[start] == ' ' || utf8[start] == '\n' || utf8[start] == '\r' || utf8[start] == '\t')) start++;
        if (start == utf8.length || utf8[start] != '{' && utf8[start] != '[') return "";
        JsonParser p = null;
        try {
            Utf8.check(utf8);
            p = Json.factory().createParser(utf8); // (not closed: a closed parser forgets where it was; bytes need no closing)
            Json.whole(p);
        } catch (JsonProcessingException e) {
            return ": " + describe(e, p, of(utf8));
        } catch (IOException e) {
            // (bytes in memory)
        }
        return "";
    }

    /**
     * {@code at line L, column C: what}, or only what when nobody says where; {@code parser} is the
     * one that failed (null when not known: some errors do not name it), {@code text} its input.
     */
    public static String describe(JsonProcessingException e, JsonParser parser, Text text) {
        JsonParser p = e.getProcessor() instanceof JsonParser named ? named : parser;
        JsonLocation l = e.getLocation() != null || p == null ? e.getLocation() : p.currentLocation();
        String what = what(e, l, p == null ? null : p.getParsingContext(), text == null ? o -> UNKNOWN : text);
        return l == null ? what : "at line " + l.getLineNr() + ", column " + l.getColumnNr() + ": " + what;
    }

    private static String what(JsonProcessingException e, JsonLocation l, JsonStreamContext ctx, Text text) {
        if (e instanceof Utf8.NotUtf8) return e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            return ctx != null && ctx.getNestingDepth() >= Json.MAX_DEPTH
                    ? "values nested more than " + Json.MAX_DEPTH + " levels deep, more than dclient reads"
                    : "a number, string or name longer than dclient reads"; // (Jackson's limits)
        }
        long at = l == null ? -1 : l.getCharOffset() >= 0 ? l.getCharOffset() : l.getByteOffset();
        int c = at < 0 ? UNKNOWN : text.at(at);
        if (e instanceof JsonEOFException eof && eof.getTokenBeingDecoded() == JsonToken.VALUE_STRING) {
            return "the input ends inside a string (expected a closing '\"')";
        }
        if (e instanceof JsonEOFException || c == END) {
            if (ctx != null && ctx.inObject()) return "the input ends inside an object (expected '}')";
            if (ctx != null && ctx.inArray()) return "the input ends inside an array (expected another value or ']')";
            return "the input ends too early";
        }
        if (c >= 0 && c < 0x20 && text.at(at - 1) != '\\') {
            String[] how = switch (c) { // what it is, how JSON writes it
                case '\n' -> new String[] {"a line break", "\\n"};
                case '\r' -> new String[] {"a carriage return", "\\r"};
                case '\t' -> new String[] {"a tab", "\\t"};
                default -> new String[] {String.format("the control character U+%04X", c), String.format("\\u%04x", c)};
            };
            return "a string holds " + how[0] + ", which JSON needs written as " + how[1];
        }
        if (text.at(at - 1) == '\\' && c >= 0) return "invalid escape '\\" + (char) c + "' in a string";
        if (c >= 0) {
            long u = at - 1;
            while (u > at - 4 && isHex(text.at(u))) u--;
            if (text.at(u) == 'u' && text.at(u - 1) == '\\') return "expected a hex digit in a \\u escape, found " + shown(c);
        }
        if (c == '/' || c == '#') return "found " + shown(c) + ": JSON has no comments";
        String word = word(text, isWord(c) ? at : at - 1);
        if (word.matches("[-+]?(NaN|Infinity|INF)")) return "found " + word + ", which JSON does not have (use null or a string)";
        if (!word.isEmpty() && !Character.isLetter(word.charAt(0)) && !NUMBER.matcher(word).matches()) {
            long after = isWord(c) ? at : at - 1;
            while (isWord(text.at(after))) after++;
            boolean cut = word.matches(".*[-+.eE]"); // a number that stops too early: say what stopped it
            return "invalid number: " + number(word) + (cut && text.at(after) >= 0x20 ? ", found " + shown(text.at(after)) : "");
        }
        String expected = expected(ctx, c, l, text, at);
        String found = word.isEmpty() || !isWord(c) ? shown(c) : "'" + word + "'";
        return expected.startsWith("found") || found == null ? expected : expected + ", found " + found;
    }

    /** What the grammar wants at {@code at}, from what the parser is inside and the character before. */
    private static String expected(JsonStreamContext ctx, int c, JsonLocation l, Text text, long at) {
        if (ctx == null) return "expected " + VALUE;
        boolean closes = c == '}' || c == ']';
        if (ctx.inRoot()) return closes ? "found '" + (char) c + "' with no " + (c == '}' ? "object" : "array") + " open to close"
                : "expected " + VALUE;
        boolean object = ctx.inObject();
        if (closes && (c == '}') != object) {
            JsonLocation start = ctx instanceof JsonReadContext r ? r.startLocation(l.contentReference()) : null;
            return "found '" + (char) c + "' where '" + (object ? '}' : ']') + "' should close the " + (object ? "object" : "array")
                    + (start == null ? "" : " that starts at line " + start.getLineNr() + ", column " + start.getColumnNr());
        }
        long p = before(text, at);
        int prev = text.at(p);
        if (!object) return prev == '[' || prev == ',' ? "expected " + VALUE : "expected ',' or ']' after a value in an array";
        if (prev == '{' || prev == ',') return "expected a field name in double quotes" + (prev == ',' ? " after ','" : "");
        if (prev == ':') return "expected " + VALUE;
        if (prev == '"') { // the end of a name or of a string value: what comes before its opening quote says which
            long q = p - 1;
            while (q >= 0 && (text.at(q) != '"' || text.at(q - 1) == '\\')) q--;
            int b = text.at(before(text, q));
            if (b == '{' || b == ',') return "expected ':' after the field name";
        }
        return "expected ',' or '}' after a value in an object";
    }

    private static long before(Text text, long at) {
        long p = at - 1;
        for (int c = text.at(p); c == ' ' || c == '\n' || c == '\r' || c == '\t'; c = text.at(--p)) {
            // skip white space
        }
        return p;
    }

    private static String number(String word) {
        if (word.startsWith("+")) return "JSON numbers have no leading '+'";
        if (word.matches("-?0[0-9].*")) return "leading zeroes not allowed";
        if (word.equals("-")) return "'-' not followed by a digit";
        if (word.endsWith(".")) return "decimal point not followed by a digit";
        if (word.matches(".*[eE][-+]?")) return "exponent indicator not followed by a digit";
        return "'" + word + "'";
    }

    /** The run of letters, digits and number signs around {@code at}. */
    private static String word(Text text, long at) {
        if (!isWord(text.at(at))) return "";
        long from = at;
        while (from > at - 64 && isWord(text.at(from - 1))) from--;
        StringBuilder sb = new StringBuilder();
        for (long i = from; i < from + 64 && isWord(text.at(i)); i++) sb.append((char) text.at(i));
        return sb.toString();
    }

    private static boolean isWord(int c) {
        return c >= 0 && (Character.isLetterOrDigit(c) || c == '-' || c == '+' || c == '.');
    }

    private static boolean isHex(int c) {
        return c >= 0 && Character.digit(c, 16) >= 0;
    }

    private static String shown(int c) {
        if (c < 0) return null;
        return c == '\'' ? "\"'\"" : "'" + (char) c + "'";
    }
}
