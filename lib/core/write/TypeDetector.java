package io.datasette.dclient.core.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Column types for CSV/TSV values, decided once from a look-ahead window of rows and then
 * applied to every row, so all batches agree (Python dclient converted the first batch only).
 *
 * <p>Rules (Python dclient's, from sqlite-utils): empty values are ignored while deciding; a
 * column is {@code integer} if every other value is a whole number ({@code 007} counts, as
 * {@code 7}), else {@code float} if every value is a finite decimal number, else {@code text}. A
 * column with no values at all in the window counts as integer, so its empty cells become null.
 * When converting, an empty value in a numeric column becomes null; a value that does not fit
 * the column's type (text that turns up after the window) is sent unchanged, as a string.
 * Unlike Python, {@code nan}, {@code inf} and digit separators ({@code 1_000}) are not numbers.
 */
final class TypeDetector {
    enum Type { INTEGER, FLOAT, TEXT }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Per column: can it still be an integer, a float. */
    private final Map<String, boolean[]> possible = new LinkedHashMap<>();
    private Map<String, Type> types;

    public boolean decided() {
        return types != null;
    }

    public void observe(ObjectNode row) {
        for (Map.Entry<String, JsonNode> e : row.properties()) {
            boolean[] p = possible.computeIfAbsent(e.getKey(), k -> new boolean[] {true, true});
            JsonNode v = e.getValue();
            if (!v.isTextual() || v.textValue().isEmpty()) continue;
            String s = v.textValue();
            if (p[0] && !isInteger(s)) p[0] = false;
            if (p[1] && !isFloat(s)) p[1] = false;
        }
    }

    /** Fixes the types from what was observed; later rows are converted, never re-observed. */
    public Map<String, Type> decide() {
        Map<String, Type> t = new LinkedHashMap<>();
        possible.forEach((k, p) -> t.put(k, p[0] ? Type.INTEGER : p[1] ? Type.FLOAT : Type.TEXT));
        types = t;
        return t;
    }

    Map<String, Type> types() {
        return types;
    }

    /** Converts a row in place (columns first seen after the window are left as they are). */
    public ObjectNode convert(ObjectNode row) {
        for (Map.Entry<String, JsonNode> e : row.properties()) {
            Type type = types.get(e.getKey());
            if (type == null || type == Type.TEXT) continue;
            JsonNode v = e.getValue();
            if (!v.isTextual()) continue;
            String s = v.textValue();
            if (s.isEmpty()) {
                e.setValue(NODES.nullNode());
            } else if (type == Type.INTEGER) {
                if (isInteger(s)) e.setValue(integer(s));
            } else if (floatSyntax(s)) {
                double d = Double.parseDouble(s);
                if (Double.isFinite(d)) e.setValue(NODES.numberNode(d));
            }
        }
        return row;
    }

    /** {@code \s*[+-]?\d+\s*} (ASCII digits and white space), without a regular expression. */
    static boolean isInteger(String s) {
        int end = end(s);
        int i = start(s, end);
        if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
        if (i >= end) return false;
        for (; i < end; i++) {
            if (!digit(s.charAt(i))) return false;
        }
        return true;
    }

    /** A finite decimal number: {@code \s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*}. */
    static boolean isFloat(String s) {
        return floatSyntax(s) && Double.isFinite(Double.parseDouble(s));
    }

    private static boolean floatSyntax(String s) {
        int end = end(s);
        int i = start(s, end);
        if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
        int before = i;
        while (i < end && digit(s.charAt(i))) i++;
        boolean whole = i > before;
        if (i < end && s.charAt(i) == '.') {
            i++;
            int after = i;
            while (i < end && digit(s.charAt(i))) i++;
            if (!whole && i == after) return false;
        } else if (!whole) {
            return false;
        }
        if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            int exp = i;
            while (i < end && digit(s.charAt(i))) i++;
            if (i == exp) return false;
        }
        return i == end;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Regex {@code \s}: space, tab, line feed, vertical tab, form feed, carriage return. */
    private static boolean space(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static int end(String s) {
        int end = s.length();
        while (end > 0 && space(s.charAt(end - 1))) end--;
        return end;
    }

    private static int start(String s, int end) {
        int i = 0;
        while (i < end && space(s.charAt(i))) i++;
        return i;
    }

    private static JsonNode integer(String s) {
        int end = end(s);
        int start = start(s, end);
        String t = start == 0 && end == s.length() ? s : s.substring(start, end);
        // Long.parseLong and BigInteger take a leading '+'
        if (t.length() < 19) return NODES.numberNode(Long.parseLong(t));
        BigInteger b = new BigInteger(t);
        return b.bitLength() < 64 ? NODES.numberNode(b.longValue()) : NODES.numberNode(b);
    }
}
