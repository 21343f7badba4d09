package io.datasette.dclient.core.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One reading of a page body without building it: strict JSON only (RFC 8259, UTF-8 well formed,
 * every escape one JSON allows, modest sizes), a top-level object with exactly one
 * {@code "rows"} array. It finds where each row and each other top-level field is, and whether a
 * row may be copied as text: its text reads back as the same tree, with no key twice in an
 * object and every number written as {@code Json} writes the number it parses to (no exponent,
 * no negative zero, no decimal that {@link java.math.BigDecimal#toString} puts in exponent
 * form). Anything else (a body this reading is not sure of) gives null, and the page is read as
 * a tree as before, so what is accepted, refused and printed stays exactly what Jackson says.
 * This accepts only text Jackson accepts, and sizes well within its read limits.
 */
final class PageScan {
    private static final int MAX_DEPTH = 64;
    private static final int MAX_STRING = 1_000_000;
    private static final int MAX_KEY = 10_000;
    private static final int MAX_NUMBER = 500;

    /** Top-level fields other than rows: name and the span of the value. */
    final List<String> names = new ArrayList<>();
    int[] fieldStart = new int[8];
    int[] fieldEnd = new int[8];
    /** The rows array (from '[' to after ']') and each row's span; {@code copyable[i]} as described above. */
    int rowsStart;
    int rowsEnd;
    int rows;
    int[] rowStart = new int[128];
    int[] rowEnd = new int[128];
    boolean[] copyable = new boolean[128];

    private final byte[] b;
    private final int n;
    private int i;
    /** The value being read may be copied as text (cleared by what may not). */
    private boolean plain;
    /** Key spans of the objects being read, by depth. */
    private int[][] keys = new int[8][];
    /** The keys of the last row object whose keys were all distinct and escape-free: most rows repeat them. */
    private int[] refKeys;
    private int refCount;

    private PageScan(byte[] body) {
        this.b = body;
        this.n = body.length;
    }

    /** The reading of {@code body}, or null when it is to be read as a tree. */
    static PageScan of(byte[] body) {
        PageScan s = new PageScan(body);
        try {
            return s.page() ? s : null;
        } catch (ArrayIndexOutOfBoundsException e) {
            return null; // ran off the end: not a whole JSON text
        }
    }

    private boolean page() {
        ws();
        if (i >= n || b[i] != '{') return false;
        i++;
        ws();
        boolean seenRows = false;
        if (b[i] == '}') return false; // no rows: the tree reading says so
        while (true) {
            if (b[i] != '"') return false;
            int keyStart = i + 1;
            if (!string(MAX_KEY)) return false;
            int keyEnd = i - 1;
            for (int k = keyStart; k < keyEnd; k++) {
                if (b[k] == '\\') return false; // names as sent: Datasette's are plain
            }
            String name = new String(b, keyStart, keyEnd - keyStart, StandardCharsets.UTF_8);
            ws();
            if (b[i] != ':') return false;
            i++;
            ws();
            if (name.equals("rows")) {
                if (seenRows || b[i] != '[') return false;
                seenRows = true;
                if (!rows()) return false;
            } else {
                int start = i;
                plain = true;
                if (!value(1)) return false;
                field(name, start, i);
            }
            ws();
            if (b[i] == ',') {
                i++;
                ws();
                continue;
            }
            if (b[i] != '}') return false;
            i++;
            break;
        }
        ws();
        return seenRows && i == n;
    }

    private void field(String name, int start, int end) {
        int k = names.size();
        if (k == fieldStart.length) {
            fieldStart = Arrays.copyOf(fieldStart, k * 2);
            fieldEnd = Arrays.copyOf(fieldEnd, k * 2);
        }
        names.add(name);
        fieldStart[k] = start;
        fieldEnd[k] = end;
    }

    private boolean rows() {
        rowsStart = i;
        i++;
        ws();
        if (b[i] == ']') {
            i++;
            rowsEnd = i;
            return true;
        }
        while (true) {
            int start = i;
            plain = true;
            if (!value(2)) return false;
            if (rows == rowStart.length) {
                rowStart = Arrays.copyOf(rowStart, rows * 2);
                rowEnd = Arrays.copyOf(rowEnd, rows * 2);
                copyable = Arrays.copyOf(copyable, rows * 2);
            }
            rowStart[rows] = start;
            rowEnd[rows] = i;
            copyable[rows] = plain;
            rows++;
            ws();
            if (b[i] == ',') {
                i++;
                ws();
                continue;
            }
            if (b[i] != ']') return false;
            i++;
            rowsEnd = i;
            return true;
        }
    }

    private void ws() {
        while (i < n) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
            i++;
        }
    }

    /** One value at {@code i} (depth: 1 a top-level field, 2 a row); false when this reading gives up. */
    private boolean value(int depth) {
        byte c = b[i];
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string(MAX_STRING);
            case 't':
                return literal("true");
            case 'f':
                return literal("false");
            case 'n':
                return literal("null");
            default:
                return number();
        }
    }

    private boolean literal(String word) {
        int len = word.length();
        if (i + len > n) return false;
        for (int k = 0; k < len; k++) {
            if (b[i + k] != word.charAt(k)) return false;
        }
        i += len;
        return true;
    }

    private boolean object(int depth) {
        if (depth > MAX_DEPTH) return false;
        i++;
        ws();
        if (b[i] == '}') {
            i++;
            return true;
        }
        if (depth >= keys.length) keys = Arrays.copyOf(keys, keys.length * 2);
        int[] spans = keys[depth];
        if (spans == null) spans = keys[depth] = new int[32];
        int count = 0;
        boolean escaped = false;
        while (true) {
            if (b[i] != '"') return false;
            int keyStart = i + 1;
            if (!string(MAX_KEY)) return false;
            int keyEnd = i - 1;
            if (2 * count + 2 > spans.length) spans = keys[depth] = Arrays.copyOf(spans, spans.length * 2);
            spans[2 * count] = keyStart;
            spans[2 * count + 1] = keyEnd;
            count++;
            if (!escaped) {
                for (int k = keyStart; k < keyEnd; k++) {
                    if (b[k] == '\\') {
                        escaped = true;
                        break;
                    }
                }
            }
            ws();
            if (b[i] != ':') return false;
            i++;
            ws();
            if (!value(depth + 1)) return false;
            ws();
            if (b[i] == ',') {
                i++;
                ws();
                continue;
            }
            if (b[i] != '}') return false;
            i++;
            break;
        }
        if (plain && count > 1 && !distinct(spans, count, escaped, depth)) plain = false;
        return true;
    }

    /** Whether the object's keys are all different (as decoded). */
    private boolean distinct(int[] spans, int count, boolean escaped, int depth) {
        if (escaped) {
            Set<String> seen = new HashSet<>();
            for (int k = 0; k < count; k++) {
                if (!seen.add(decode(spans[2 * k], spans[2 * k + 1]))) return false;
            }
            return true;
        }
        boolean row = depth == 2;
        if (row && refKeys != null && count == refCount) {
            boolean same = true;
            for (int k = 0; k < count && same; k++) same = equal(spans[2 * k], spans[2 * k + 1], refKeys[2 * k], refKeys[2 * k + 1]);
            if (same) return true;
        }
        for (int x = 1; x < count; x++) {
            for (int y = 0; y < x; y++) {
                if (equal(spans[2 * x], spans[2 * x + 1], spans[2 * y], spans[2 * y + 1])) return false;
            }
        }
        if (row) {
            refKeys = Arrays.copyOf(spans, 2 * count);
            refCount = count;
        }
        return true;
    }

    private boolean equal(int s1, int e1, int s2, int e2) {
        return Arrays.equals(b, s1, e1, b, s2, e2);
    }

    private boolean array(int depth) {
        if (depth > MAX_DEPTH) return false;
        i++;
        ws();
        if (b[i] == ']') {
            i++;
            return true;
        }
        while (true) {
            if (!value(depth + 1)) return false;
            ws();
            if (b[i] == ',') {
                i++;
                ws();
                continue;
            }
            if (b[i] != ']') return false;
            i++;
            return true;
        }
    }

    /** 0 for a byte that stands for itself in a string (printable ASCII but {@code "} and {@code \\}). */
    private static final byte[] SPECIAL = new byte[256];

    static {
        for (int c = 0; c < 256; c++) SPECIAL[c] = (byte) (c >= 0x20 && c < 0x80 && c != '"' && c != '\\' ? 0 : 1);
    }

    /** A string at {@code i} (its opening quote) of at most {@code max} bytes; {@code i} ends after the closing quote. */
    private boolean string(int max) {
        int start = ++i;
        final byte[] b = this.b;
        while (true) {
            int c;
            while (SPECIAL[(c = b[i] & 0xff)] == 0) i++;
            if (c == '"') {
                i++;
                return i - start <= max;
            }
            if (c == '\\') {
                byte e = b[i + 1];
                if (e == 'u') {
                    int u = 0;
                    for (int k = i + 2; k < i + 6; k++) {
                        int d = Character.digit(b[k], 16);
                        if (d < 0) return false;
                        u = u << 4 | d;
                    }
                    // Jackson checks surrogates in names (not in values): leave those to it
                    if (max == MAX_KEY && u >= 0xd800 && u <= 0xdfff) return false;
                    i += 6;
                } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
                    i += 2;
                } else {
                    return false;
                }
            } else if (c < 0x80) {
                return false; // a control character
            } else if (!utf8(c)) {
                return false;
            }
        }
    }

    /** A well-formed UTF-8 sequence starting with {@code c} at {@code i} (no overlong forms, surrogates or code points past U+10FFFF). */
    private boolean utf8(int c) {
        if (c >= 0xc2 && c <= 0xdf) {
            if (!cont(b[i + 1])) return false;
            i += 2;
            return true;
        }
        if (c >= 0xe0 && c <= 0xef) {
            int c1 = b[i + 1] & 0xff;
            int lo = c == 0xe0 ? 0xa0 : 0x80;
            int hi = c == 0xed ? 0x9f : 0xbf;
            if (c1 < lo || c1 > hi || !cont(b[i + 2])) return false;
            i += 3;
            return true;
        }
        if (c >= 0xf0 && c <= 0xf4) {
            int c1 = b[i + 1] & 0xff;
            int lo = c == 0xf0 ? 0x90 : 0x80;
            int hi = c == 0xf4 ? 0x8f : 0xbf;
            if (c1 < lo || c1 > hi || !cont(b[i + 2]) || !cont(b[i + 3])) return false;
            i += 4;
            return true;
        }
        return false;
    }

    private static boolean cont(byte x) {
        return (x & 0xc0) == 0x80;
    }

    /**
     * A number at {@code i}, as JSON writes one. Clears {@link #plain} when {@code Json} would
     * write it differently: an exponent, a negative zero, or a decimal whose
     * {@link java.math.BigDecimal#toString} has an exponent (below 1E-6).
     */
    private boolean number() {
        int start = i;
        boolean neg = b[i] == '-';
        if (neg) i++;
        int intStart = i;
        byte c = b[i];
        if (c == '0') {
            i++;
        } else if (c >= '1' && c <= '9') {
            while (i < n && b[i] >= '0' && b[i] <= '9') i++;
        } else {
            return false;
        }
        boolean intZero = i - intStart == 1 && b[intStart] == '0';
        if (i < n && b[i] == '.') {
            i++;
            int fracStart = i;
            int firstNonZero = -1;
            while (i < n && b[i] >= '0' && b[i] <= '9') {
                if (firstNonZero < 0 && b[i] != '0') firstNonZero = i - fracStart;
                i++;
            }
            int scale = i - fracStart;
            if (scale == 0) return false;
            if (intZero) {
                if (firstNonZero < 0) {
                    if (neg || scale > 6) plain = false; // -0.0 is 0.0; 0.0000000 is 0E-7
                } else if (firstNonZero > 5) {
                    plain = false; // 0.0000001 is 1E-7
                }
            }
        } else if (neg && intZero) {
            plain = false; // -0 is 0
        }
        if (i < n && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < n && (b[i] == '+' || b[i] == '-')) i++;
            int expStart = i;
            while (i < n && b[i] >= '0' && b[i] <= '9') i++;
            if (i == expStart) return false;
            plain = false;
        }
        return i - start <= MAX_NUMBER;
    }

    /** A key's text (between its quotes), its escapes decoded. */
    private String decode(int start, int end) {
        StringBuilder sb = new StringBuilder(end - start);
        int k = start;
        while (k < end) {
            if (b[k] != '\\') {
                int run = k;
                while (k < end && b[k] != '\\') k++;
                sb.append(new String(b, run, k - run, StandardCharsets.UTF_8));
                continue;
            }
            byte e = b[k + 1];
            switch (e) {
                case 'u' -> {
                    sb.append((char) Integer.parseInt(new String(b, k + 2, 4, StandardCharsets.US_ASCII), 16));
                    k += 6;
                    continue;
                }
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                default -> sb.append((char) e);
            }
            k += 2;
        }
        return sb.toString();
    }
}
