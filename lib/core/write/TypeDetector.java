package io.datasette.dclient.core.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

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
public final class TypeDetector {
    enum Type { INTEGER, FLOAT, TEXT }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern INTEGER = Pattern.compile("\\s*[+-]?\\d+\\s*");
    private static final Pattern FLOAT = Pattern.compile("\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*");

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
            if (!v.isTextual() || v.asText().isEmpty()) continue;
            String s = v.asText();
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
            String s = v.asText();
            if (s.isEmpty()) {
                e.setValue(NODES.nullNode());
            } else if (type == Type.INTEGER) {
                if (isInteger(s)) e.setValue(integer(s));
            } else if (isFloat(s)) {
                e.setValue(NODES.numberNode(Double.parseDouble(s.strip())));
            }
        }
        return row;
    }

    static boolean isInteger(String s) {
        return INTEGER.matcher(s).matches();
    }

    static boolean isFloat(String s) {
        return FLOAT.matcher(s).matches() && Double.isFinite(Double.parseDouble(s.strip()));
    }

    private static JsonNode integer(String s) {
        String t = s.strip();
        if (t.startsWith("+")) t = t.substring(1);
        if (t.length() < 19) return NODES.numberNode(Long.parseLong(t));
        BigInteger b = new BigInteger(t);
        return b.bitLength() < 64 ? NODES.numberNode(b.longValue()) : NODES.numberNode(b);
    }
}
