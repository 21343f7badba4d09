package io.datasette.dclient.core.rows;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.http.Tilde;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The primary key value(s) naming one row: one value per primary key column, in the table's
 * order (a table without an explicit key is addressed by its {@code rowid}). In a URL each value
 * is tilde-encoded and a compound key's values are joined with a literal comma
 * ({@code a/b} and {@code .c-d} become {@code a~2Fb,~2Ec-d}), as Datasette expects.
 */
public record RowKey(List<String> values) {
    public RowKey {
        if (values == null || values.isEmpty()) {
            throw DclientException.usage("A row needs its primary key value(s): one per primary key column, in order");
        }
        for (String v : values) {
            if (v == null) throw DclientException.usage("A primary key value cannot be null");
        }
        values = List.copyOf(values);
    }

    /** From any values (numbers, strings...), each as its text; one value is a simple key. */
    public static RowKey of(List<?> values) {
        if (values == null) return new RowKey(null);
        List<String> text = new ArrayList<>(values.size());
        for (Object v : values) text.add(v == null ? null : String.valueOf(v));
        return new RowKey(text);
    }

    public static RowKey of(String... values) {
        return new RowKey(List.of(values));
    }

    /** The URL path segment: tilde-encoded values joined by commas. */
    public String segment() {
        StringJoiner j = new StringJoiner(",");
        for (String v : values) j.add(Tilde.encode(v));
        return j.toString();
    }

    /** {@code /DB/TABLE/KEY}, every part encoded. */
    public String path(String database, String table) {
        return "/" + Tilde.encode(database) + "/" + Tilde.encode(table) + "/" + segment();
    }

    /** For messages: {@code 42}, or {@code (a/b, .c-d)} for a compound key. */
    public String describe() {
        return values.size() == 1 ? values.get(0) : "(" + String.join(", ", values) + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
