package io.datasette.dclient.cli.output;

import io.datasette.dclient.core.text.Safe;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The layouts of {@code -t/--table} output, chosen with {@code --fmt}. Pure: text in, text out.
 *
 * <p>{@link #SIMPLE} is dclient's own table (the default): columns as wide as their widest
 * cell or header, two spaces between them, a line of dashes under the header, the last column
 * not padded. The others draw what Python's {@code tabulate} draws for the same table format
 * with {@code disable_numparse=True} (every cell, numbers too, left-aligned, as in
 * {@code simple}): a column is at least its header plus two wide ({@code tabulate}'s
 * {@code MIN_PADDING}); {@link #GITHUB} and {@link #GRID} put one space either side of a cell;
 * {@link #PLAIN} and {@link #RST} lines lose their trailing blanks; {@link #RST} writes
 * {@code ..} for a blank cell in the first column, which would otherwise continue the row
 * above. Unlike {@code tabulate}, cell text is never trimmed.
 *
 * <p>Every header and cell goes through {@link #clean}, so a server cannot write control
 * characters or escape sequences to the terminal; widths are terminal columns
 * ({@link #displayWidth}).
 */
public enum TableStyle {
    SIMPLE, PLAIN, GITHUB, GRID, RST;

    private static final List<String> NAMES = List.of("simple", "plain", "github", "markdown", "grid", "rst");

    /** {@code tabulate}'s extra width over a column's header. */
    private static final int MIN_PADDING = 2;

    /**
     * Parses a {@code --fmt} value, case-insensitively; {@code markdown} is {@link #GITHUB}.
     *
     * @throws IllegalArgumentException for any other value, with a message in Click's words
     *     that lists the choices: {@code 'x' is not one of 'simple', 'plain', ...}
     */
    public static TableStyle parse(String name) {
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return switch (key) {
            case "simple" -> SIMPLE;
            case "plain" -> PLAIN;
            case "github", "markdown" -> GITHUB;
            case "grid" -> GRID;
            case "rst" -> RST;
            default -> throw new IllegalArgumentException(
                    "'" + clean(name) + "' is not one of '" + String.join("', '", NAMES) + "'.");
        };
    }

    /** The names {@code --fmt} accepts, in help order. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * The table as lines, each ending in {@code \n}. A {@code null} cell is a missing value and
     * shows empty, as does a row shorter than the headers. With no headers (no columns) the
     * tabulate styles write nothing; {@link #SIMPLE} writes an empty line per line as it always
     * has.
     *
     * @throws IllegalArgumentException when a row has more cells than there are headers
     */
    public String render(List<String> headers, List<? extends List<String>> rows) {
        int n = headers.size();
        List<String> head = new ArrayList<>(n);
        for (String h : headers) head.add(clean(h));
        List<List<String>> body = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            if (row.size() > n) {
                throw new IllegalArgumentException("a row has " + row.size() + " cells for " + n + " columns");
            }
            List<String> cells = new ArrayList<>(n);
            for (int i = 0; i < n; i++) cells.add(i < row.size() ? clean(row.get(i)) : "");
            body.add(cells);
        }
        if (this == SIMPLE) return simple(head, body);
        if (n == 0) return "";
        if (this == RST) {
            escapeBlankFirst(head);
            for (List<String> r : body) escapeBlankFirst(r);
        }
        int[] widths = new int[n];
        for (int i = 0; i < n; i++) widths[i] = displayWidth(head.get(i)) + MIN_PADDING;
        for (List<String> r : body) {
            for (int i = 0; i < n; i++) widths[i] = Math.max(widths[i], displayWidth(r.get(i)));
        }
        StringBuilder sb = new StringBuilder();
        switch (this) {
            case PLAIN -> {
                row(sb, head, widths, 0, "", "  ", "");
                for (List<String> r : body) row(sb, r, widths, 0, "", "  ", "");
            }
            case GITHUB -> {
                row(sb, head, widths, 1, "|", "|", "|");
                line(sb, widths, 1, "|", '-', "|", "|");
                for (List<String> r : body) row(sb, r, widths, 1, "|", "|", "|");
            }
            case GRID -> {
                line(sb, widths, 1, "+", '-', "+", "+");
                row(sb, head, widths, 1, "|", "|", "|");
                line(sb, widths, 1, "+", '=', "+", "+");
                for (int k = 0; k < body.size(); k++) {
                    if (k > 0) line(sb, widths, 1, "+", '-', "+", "+");
                    row(sb, body.get(k), widths, 1, "|", "|", "|");
                }
                line(sb, widths, 1, "+", '-', "+", "+");
            }
            case RST -> {
                line(sb, widths, 0, "", '=', "  ", "");
                row(sb, head, widths, 0, "", "  ", "");
                line(sb, widths, 0, "", '=', "  ", "");
                for (List<String> r : body) row(sb, r, widths, 0, "", "  ", "");
                line(sb, widths, 0, "", '=', "  ", "");
            }
            default -> throw new AssertionError(this);
        }
        return sb.toString();
    }

    /** dclient's original table, unchanged: the last column is not padded. */
    private static String simple(List<String> head, List<List<String>> body) {
        int n = head.size();
        int[] widths = new int[n];
        for (int i = 0; i < n; i++) widths[i] = displayWidth(head.get(i));
        for (List<String> r : body) {
            for (int i = 0; i < n; i++) widths[i] = Math.max(widths[i], displayWidth(r.get(i)));
        }
        List<String> dashes = new ArrayList<>(n);
        for (int w : widths) dashes.add("-".repeat(w));
        StringBuilder sb = new StringBuilder();
        simpleRow(sb, head, widths);
        simpleRow(sb, dashes, widths);
        for (List<String> r : body) simpleRow(sb, r, widths);
        return sb.toString();
    }

    private static void simpleRow(StringBuilder sb, List<String> cells, int[] widths) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) sb.append("  ");
            String c = cells.get(i);
            sb.append(c);
            if (i < cells.size() - 1) sb.append(" ".repeat(widths[i] - displayWidth(c)));
        }
        sb.append('\n');
    }

    /** tabulate's data row: each cell padded to its column, then {@code pad} spaces each side. */
    private static void row(StringBuilder sb, List<String> cells, int[] widths, int pad, String begin, String sep,
            String end) {
        int start = sb.length();
        sb.append(begin);
        String p = " ".repeat(pad);
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) sb.append(sep);
            String c = cells.get(i);
            sb.append(p).append(c).append(" ".repeat(widths[i] - displayWidth(c))).append(p);
        }
        sb.append(end);
        endLine(sb, start);
    }

    /** tabulate's horizontal line. */
    private static void line(StringBuilder sb, int[] widths, int pad, String begin, char fill, String sep,
            String end) {
        int start = sb.length();
        sb.append(begin);
        for (int i = 0; i < widths.length; i++) {
            if (i > 0) sb.append(sep);
            sb.append(String.valueOf(fill).repeat(widths[i] + 2 * pad));
        }
        sb.append(end);
        endLine(sb, start);
    }

    /** Trims trailing whitespace (as Python's {@code str.rstrip()} does) and ends the line. */
    private static void endLine(StringBuilder sb, int start) {
        int len = sb.length();
        while (len > start) {
            int cp = Character.codePointBefore(sb, len);
            if (!pythonSpace(cp)) break;
            len -= Character.charCount(cp);
        }
        sb.setLength(len);
        sb.append('\n');
    }

    private static boolean pythonSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    /** tabulate's rst rule: an empty or blank first cell becomes {@code ..}. */
    private static void escapeBlankFirst(List<String> cells) {
        if (!cells.isEmpty() && cells.get(0).isBlank()) cells.set(0, "..");
    }

    /** Text safe to print to a terminal: the one rule of {@link Safe#clean}, applied to every cell. */
    public static String clean(String s) {
        return Safe.clean(s);
    }

    /**
     * Terminal columns a string takes: East Asian wide and fullwidth characters (and emoji)
     * count two, combining marks and zero-width format characters none, so tables line up.
     */
    public static int displayWidth(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                    || type == Character.CONTROL) {
                continue;
            }
            w += wide(cp) ? 2 : 1;
        }
        return w;
    }

    private static boolean wide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF)
                || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF)
                || (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F)
                || (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F)
                || (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD);
    }
}
