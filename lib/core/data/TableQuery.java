package io.datasette.dclient.core.data;

import io.datasette.dclient.core.text.Suggest;
import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.http.Query;
import io.datasette.dclient.core.http.Tilde;
import io.datasette.dclient.core.text.Safe;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What to ask one table for: filters, full-text search, sorting, page size and columns. Its
 * {@link #path} is the first page's request, the same for {@code dclient rows} and the
 * library's {@code Rows}. Immutable; each {@code with...} method returns a new query.
 *
 * @param pageSize {@code _size}, or null (or 0) to leave it to the server, or {@link #LARGEST_PAGE}
 */
public record TableQuery(String database, String table, List<Filter> filters, String search, String sort,
        String sortDesc, Long pageSize, List<String> columns, List<String> hiddenColumns) {

    /** As a page size: {@code _size=max}, the largest page the server allows (its max_returned_rows). */
    public static final long LARGEST_PAGE = -1;

    /**
     * Datasette's filter operators ({@code datasette/filters.py}); dclient also takes {@code eq}
     * for {@code exact}. Datasette ignores a filter whose operator it does not know and returns
     * the rows unfiltered, so {@link #withFilter} refuses any other; plugins can add operators,
     * which {@link #withRawFilter} sends unchecked.
     */
    public static final List<String> OPERATORS = List.of("exact", "not", "contains", "notcontains", "endswith",
            "startswith", "gt", "gte", "lt", "lte", "like", "notlike", "glob", "in", "notin", "arraycontains",
            "arraynotcontains", "date", "isnull", "notnull", "isblank", "notblank");

    /** Other spellings people reach for, suggested as the operator they mean. */
    private static final Map<String, String> SPELLINGS = Map.ofEntries(Map.entry("=", "exact"),
            Map.entry("==", "exact"), Map.entry("equals", "exact"), Map.entry("is", "exact"), Map.entry("!=", "not"),
            Map.entry("<>", "not"), Map.entry("ne", "not"), Map.entry("neq", "not"), Map.entry(">", "gt"),
            Map.entry(">=", "gte"), Map.entry("ge", "gte"), Map.entry("<", "lt"), Map.entry("<=", "lte"),
            Map.entry("le", "lte"));

    /** Whether {@code op} is one of {@link #OPERATORS}, or {@code eq}. */
    public static boolean knownOperator(String op) {
        return "eq".equals(op) || OPERATORS.contains(op);
    }

    /**
     * Fails with a usage error unless {@code op} is a known operator: the error lists them and
     * suggests the closest ({@link #closestOperator}); its advice is that each face can send an
     * operator unchecked ({@link Advice.SendRawFilter}).
     */
    public static void requireKnownOperator(String column, String op) {
        if (knownOperator(op)) return;
        String suggestion = closestOperator(op);
        throw new DclientException("Unknown filter operator: " + Safe.line(op, 60) + " (column "
                + Safe.line(column, 60) + ")." + (suggestion != null ? " Did you mean " + suggestion + "?" : "")
                + " Datasette's operators: exact (or eq), " + String.join(", ", OPERATORS.subList(1, OPERATORS.size()))
                + ". Datasette ignores an operator it does not know.", DclientException.Kind.USAGE,
                new Advice.SendRawFilter());
    }

    /**
     * The operator {@code op} was probably meant to be: a common other spelling ({@code ge},
     * {@code !=}, {@code equals}...), else the nearest by edit distance when at most 2 edits
     * away (and fewer edits than its length), ignoring case; null when nothing is close.
     */
    public static String closestOperator(String op) {
        String lower = op.toLowerCase(Locale.ROOT);
        if (SPELLINGS.containsKey(lower)) return SPELLINGS.get(lower);
        if (lower.equals("eq")) return "eq";
        return Suggest.closest(lower, OPERATORS, 2);
    }

    /** {@code column__op=value}; {@code eq} means Datasette's {@code exact}. */
    public record Filter(String column, String op, String value) {
        /** The query-string key, e.g. {@code age__gte}. */
        public String key() {
            return column + "__" + (op.equals("eq") ? "exact" : op);
        }
    }

    public TableQuery {
        filters = List.copyOf(filters);
        columns = List.copyOf(columns);
        hiddenColumns = List.copyOf(hiddenColumns);
    }

    /** Every row of the table, the server's page size. */
    public static TableQuery of(String database, String table) {
        return new TableQuery(database, table, List.of(), null, null, null, null, List.of(), List.of());
    }

    /** Adds {@code column__op=value}; an unknown operator is a usage error ({@link #requireKnownOperator}). */
    public TableQuery withFilter(String column, String op, String value) {
        requireKnownOperator(column, op);
        return withRawFilter(column, op, value);
    }

    /** Adds {@code column__op=value} with any operator, e.g. one a Datasette plugin adds. */
    public TableQuery withRawFilter(String column, String op, String value) {
        List<Filter> f = new ArrayList<>(filters);
        f.add(new Filter(column, op, value));
        return new TableQuery(database, table, f, search, sort, sortDesc, pageSize, columns, hiddenColumns);
    }

    public TableQuery withSearch(String q) {
        return new TableQuery(database, table, filters, q, sort, sortDesc, pageSize, columns, hiddenColumns);
    }

    /** Sorted by these columns; set at most one of the two. */
    public TableQuery withSort(String ascending, String descending) {
        return new TableQuery(database, table, filters, search, ascending, descending, pageSize, columns, hiddenColumns);
    }

    public TableQuery withPageSize(Long size) {
        return new TableQuery(database, table, filters, search, sort, sortDesc, size, columns, hiddenColumns);
    }

    /**
     * For a walk over every page: the largest pages the server allows, unless a size was chosen.
     * Each request costs the server milliseconds of its own, so 200 pages of 1,000 rows are
     * several times faster than 2,000 of Datasette's default 100, with the same rows.
     */
    public TableQuery forEveryPage() {
        return pageSize != null && pageSize != 0 ? this : withPageSize(LARGEST_PAGE);
    }

    public TableQuery withColumns(List<String> more) {
        List<String> c = new ArrayList<>(columns);
        c.addAll(more);
        return new TableQuery(database, table, filters, search, sort, sortDesc, pageSize, c, hiddenColumns);
    }

    public TableQuery withoutColumns(List<String> more) {
        List<String> c = new ArrayList<>(hiddenColumns);
        c.addAll(more);
        return new TableQuery(database, table, filters, search, sort, sortDesc, pageSize, columns, c);
    }

    /**
     * The first page's path and query, in Python dclient's order: {@code _shape=objects}, the
     * filters in the order given, {@code _search}, {@code _sort}, {@code _sort_desc},
     * {@code _size} (when positive), every {@code _col}, every {@code _nocol}.
     */
    public String path() {
        Query q = Query.of().add("_shape", "objects");
        for (Filter f : filters) q.add(f.key(), f.value());
        q.add("_search", search).add("_sort", sort).add("_sort_desc", sortDesc);
        if (pageSize != null && pageSize == LARGEST_PAGE) q.add("_size", "max");
        if (pageSize != null && pageSize > 0) q.add("_size", pageSize);
        for (String c : columns) q.add("_col", c);
        for (String c : hiddenColumns) q.add("_nocol", c);
        return "/" + Tilde.encode(database) + "/" + Tilde.encode(table) + ".json" + q;
    }
}
