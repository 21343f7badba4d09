package io.datasette.dclient.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.data.PageWalk;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.io.Stdout;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Writes rows as they arrive, so {@code rows --all} never holds more than a page: JSON (an
 * indented array), newline-delimited JSON, CSV and TSV (RFC 4180, CRLF), or an aligned table
 * (which must see every row to size its columns, so it buffers).
 */
public abstract class RowWriter {
    protected final PrintStream out;
    protected List<String> columns;
    protected long count;
    /** Told where each row ends, so a failed write to stdout can say how many rows got out whole. */
    protected Stdout.RowEnds ends = Stdout.RowEnds.NONE;

    protected RowWriter(PrintStream out) {
        this.out = out;
    }

    public static RowWriter create(Format format, PrintStream out) {
        return create(format, TableStyle.SIMPLE, out);
    }

    /** {@code style} is the layout of {@link Format#TABLE} (ignored by the other formats). */
    public static RowWriter create(Format format, TableStyle style, PrintStream out) {
        return switch (format) {
            case JSON -> new JsonArray(out);
            case NL -> new JsonLines(out);
            case CSV -> new Delimited(out, ',');
            case TSV -> new Delimited(out, '\t');
            case TABLE -> new Table(out, style);
        };
    }

    /**
     * The writer the output flags of a command ask for: {@code --csv/--tsv/--nl/-t} and
     * {@code --fmt} (checked here, so a bad value fails before anything is requested).
     */
    public static RowWriter create(Invocation inv, PrintStream out) {
        return create(Format.from(inv), Format.style(inv), out);
    }

    /**
     * {@link #create(Invocation, PrintStream)} on the context's stdout, marking each row's end
     * there (except in a table, which is drawn at the end, all at once).
     */
    public static RowWriter create(Invocation inv, Context ctx) {
        Format format = Format.from(inv);
        RowWriter w = create(format, Format.style(inv), ctx.out());
        if (format != Format.TABLE) w.ends = ctx.countRows();
        return w;
    }

    /** The column order, when the server said; otherwise the first row's keys are used. */
    public void columns(List<String> names) {
        if (columns == null && names != null) columns = List.copyOf(names);
    }

    public void row(JsonNode row) {
        if (columns == null) {
            List<String> keys = new ArrayList<>();
            row.fieldNames().forEachRemaining(keys::add);
            columns = keys;
        }
        write(row);
        count++;
        ends.at(0);
    }

    /** The {@link PageWalk.Page#wanted} rows of a page, in order (as {@link #row} each). */
    public void rows(PageWalk.Page page) {
        int wanted = page.wanted();
        if (wanted == 0) return;
        JsonNode rows = page.rows();
        for (int i = 0; i < wanted; i++) row(rows.get(i));
    }

    public long count() {
        return count;
    }

    /** Writes whatever closes the output (the closing bracket, the buffered table) and flushes. */
    public void finish() {
        end();
        out.flush();
    }

    /** True when stdout has gone away (for example {@code | head}): stop producing. */
    public boolean broken() {
        return out.checkError();
    }

    protected abstract void write(JsonNode row);

    protected abstract void end();

    /** A cell as text: strings raw, null empty, nested values as compact JSON. */
    public static String cell(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return "";
        if (v.isTextual()) return v.asText();
        if (v.isContainerNode()) return Json.compact(v);
        return v.asText();
    }

    static final class JsonArray extends RowWriter {
        private final JsonBytes bytes = new JsonBytes();

        JsonArray(PrintStream out) {
            super(out);
        }

        @Override
        protected void write(JsonNode row) {
            // "[\n" or ",\n", then the row as Json.pretty(row, 2) lays it out, each line indented by two
            bytes.reset();
            bytes.ascii(count == 0 ? "[\n  " : ",\n  ");
            bytes.value(row, 2, 1);
            bytes.writeTo(out);
        }

        @Override
        protected void end() {
            out.print(count == 0 ? "[]\n" : "\n]\n");
        }
    }

    static final class JsonLines extends RowWriter {
        /** Written out when it holds this much (a page's lines otherwise go in one write). */
        private static final int FLUSH_AT = 1 << 16;
        private final JsonBytes bytes = new JsonBytes();
        private final JsonBytes lines = new JsonBytes();

        JsonLines(PrintStream out) {
            super(out);
        }

        @Override
        protected void write(JsonNode row) {
            // Json.line(row) and a newline, encoded straight to UTF-8
            bytes.reset();
            bytes.value(row, JsonBytes.LINE, 0);
            bytes.put((byte) '\n');
            bytes.writeTo(out);
        }

        /** Rows whose text may stand for them ({@link PageWalk.Page#rowSpan}) are re-laid from it, not parsed. */
        @Override
        public void rows(PageWalk.Page page) {
            byte[] text = page.bytes();
            if (text == null) {
                super.rows(page);
                return;
            }
            int wanted = page.wanted();
            JsonBytes lines = this.lines;
            lines.reset();
            for (int i = 0; i < wanted; i++) {
                long span = page.rowSpan(i);
                if (span < 0) {
                    lines.writeTo(out);
                    lines.reset();
                    row(page.rows().get(i));
                    continue;
                }
                lines.line(text, (int) (span >>> 32), (int) span);
                lines.put((byte) '\n');
                count++;
                ends.at(lines.size());
                if (lines.size() >= FLUSH_AT) {
                    lines.writeTo(out);
                    lines.reset();
                }
            }
            lines.writeTo(out);
            lines.reset();
        }

        @Override
        protected void end() {}
    }

    static final class Delimited extends RowWriter {
        private final char sep;
        private boolean headerWritten;

        Delimited(PrintStream out, char sep) {
            super(out);
            this.sep = sep;
        }

        private void header() {
            if (headerWritten || columns == null) return;
            headerWritten = true;
            line(columns);
        }

        @Override
        protected void write(JsonNode row) {
            header();
            List<String> cells = new ArrayList<>(columns.size());
            for (String c : columns) cells.add(cell(row.get(c)));
            line(cells);
        }

        private void line(List<String> cells) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cells.size(); i++) {
                if (i > 0) sb.append(sep);
                sb.append(quote(cells.get(i)));
            }
            sb.append("\r\n");
            out.print(sb);
        }

        private String quote(String s) {
            boolean needs = s.indexOf(sep) >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
            return needs ? '"' + s.replace("\"", "\"\"") + '"' : s;
        }

        @Override
        protected void end() {
            header();
        }
    }

    /** Buffers the rows and draws them in a {@link TableStyle} (which escapes control characters). */
    static final class Table extends RowWriter {
        private final List<List<String>> rows = new ArrayList<>();
        private final TableStyle style;

        Table(PrintStream out, TableStyle style) {
            super(out);
            this.style = style;
        }

        @Override
        protected void write(JsonNode row) {
            List<String> cells = new ArrayList<>(columns.size());
            for (String c : columns) cells.add(cell(row.get(c)));
            rows.add(cells);
        }

        @Override
        protected void end() {
            if (columns == null) return;
            out.print(style.render(columns, rows));
        }
    }
}
