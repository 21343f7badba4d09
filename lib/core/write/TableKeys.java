package io.datasette.dclient.core.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Query;
import io.datasette.dclient.core.http.Tilde;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The primary key of a table that batches may be written to in any order, as long as two batches
 * that share a key value are not in flight together: what lets {@link BatchSender} keep several
 * requests out and still end as if they were sent one after another.
 *
 * <p>Only a table whose rows meet on nothing but their declared primary key qualifies: a rowid
 * table (its rowids follow the order of the inserts), a table with another UNIQUE index or
 * constraint (a conflict on it would depend on the order, under {@code ignore}/{@code replace}
 * and in which batch fails), or a table with triggers (they may depend on the order) is written
 * one batch at a time. So is any table the server would not describe.
 *
 * <p>Key values are compared loosely, so that values SQLite may store as equal (the number 1,
 * the text "1", "1.0" in an INTEGER column; "A" and "a" under NOCASE) are always the same key: a
 * false match only costs a wait. A row without a value for a key column (the server assigns an
 * INTEGER PRIMARY KEY) has no key: its batch waits for every earlier batch and holds up every later one.
 */
final class TableKeys {
    /** One query for all that decides it; the pragma functions are on Datasette's allowed list. */
    static final String SQL = "select"
            + " (select json_group_array(name) from (select name from pragma_table_info(:t) where pk > 0 order by pk)) as pks,"
            + " (select count(*) from pragma_index_list(:t) where \"unique\" and origin <> 'pk') as uniques,"
            + " (select count(*) from sqlite_master where type = 'trigger' and tbl_name = :t) as triggers,"
            + " (select type from sqlite_master where name = :t) as type";

    private final List<String> columns;

    TableKeys(List<String> columns) {
        if (columns.isEmpty()) throw new IllegalArgumentException("no key columns");
        this.columns = List.copyOf(columns);
    }

    List<String> columns() {
        return columns;
    }

    /**
     * Asks the server once; null when batches must go one at a time (no declared primary key,
     * other unique constraints, triggers, a view, or no usable answer: the query was refused...).
     * An interrupt is passed on.
     */
    static TableKeys lookup(DatasetteClient client, String database, String table) {
        JsonNode answer;
        try {
            Query q = Query.of().add("sql", SQL).add("t", table).add("_shape", "objects");
            answer = client.getJson("/" + Tilde.encode(database) + ".json" + q);
        } catch (DclientException e) {
            if (e.kind() == DclientException.Kind.INTERRUPTED) throw e;
            return null;
        }
        return fromAnswer(answer);
    }

    /** The decision from the query's answer ({@code {"rows": [{"pks": "[\"id\"]", "uniques": 0, ...}]}}). */
    static TableKeys fromAnswer(JsonNode answer) {
        JsonNode row = answer.path("rows").path(0);
        if (!"table".equals(row.path("type").asText(null))) return null;
        if (!row.path("uniques").canConvertToExactIntegral() || row.path("uniques").asLong(-1) != 0) return null;
        if (!row.path("triggers").canConvertToExactIntegral() || row.path("triggers").asLong(-1) != 0) return null;
        JsonNode pks;
        try {
            pks = Json.parse(row.path("pks").asText(""));
        } catch (Exception e) {
            return null;
        }
        if (!pks.isArray() || pks.isEmpty()) return null;
        List<String> columns = new ArrayList<>();
        for (JsonNode name : pks) {
            if (!name.isTextual()) return null;
            columns.add(name.asText());
        }
        return new TableKeys(columns);
    }

    /** The row's key (compound keys joined), or null when a key column has no value in it. */
    String of(ObjectNode row) {
        if (columns.size() == 1) return value(row, columns.get(0));
        StringBuilder key = new StringBuilder();
        for (String c : columns) {
            String v = value(row, c);
            if (v == null) return null;
            key.append(v).append('\u0000');
        }
        return key.toString();
    }

    private static String value(ObjectNode row, String column) {
        JsonNode v = row.get(column);
        if (v == null) {
            for (Map.Entry<String, JsonNode> e : row.properties()) { // SQLite's column names ignore case
                if (e.getKey().equalsIgnoreCase(column)) {
                    v = e.getValue();
                    break;
                }
            }
        }
        if (v == null || v.isNull()) return null;
        return normal(v);
    }

    /** One text for values SQLite may take as the same key: numbers by value, text trimmed and lower-cased. */
    static String normal(JsonNode v) {
        if (v.isIntegralNumber() && v.canConvertToLong()) return Long.toString(v.longValue());
        if (v.isNumber()) {
            if ((v.isDouble() || v.isFloat()) && !Double.isFinite(v.doubleValue())) return Double.toString(v.doubleValue());
            BigDecimal d = v.isDouble() || v.isFloat() ? BigDecimal.valueOf(v.doubleValue()) : v.decimalValue();
            return number(d);
        }
        if (v.isBoolean()) return v.booleanValue() ? "1" : "0";
        if (v.isTextual()) {
            String s = v.textValue().strip();
            if (!s.isEmpty() && s.length() < 100 && "+-.0123456789".indexOf(s.charAt(0)) >= 0) {
                try {
                    return number(new BigDecimal(s));
                } catch (NumberFormatException notANumber) {
                    // text after all
                }
            }
            return s.toLowerCase(Locale.ROOT);
        }
        return Json.compact(v);
    }

    private static String number(BigDecimal d) {
        if (d.signum() == 0) return "0";
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() <= 0 && s.precision() - s.scale() <= 19 ? s.toBigInteger().toString() : s.toString();
    }
}
