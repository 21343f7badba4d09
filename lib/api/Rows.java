package io.datasette.dclient.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Query;
import io.datasette.dclient.core.http.Tilde;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The rows of one table, with filters, sorting and a limit; nothing is fetched until you
 * iterate. Pages are fetched one at a time by following the server's {@code next_url}, so a
 * stream over a large table stops fetching when you stop reading. Each method returns a new,
 * immutable {@code Rows}.
 *
 * <pre>{@code ds.rows("fixtures", "dogs").filter("age", "gte", 14).sortDesc("age").limit(10).list()}</pre>
 */
public final class Rows implements Iterable<Map<String, Object>> {
    /** The page size asked for when no {@link #pageSize} or smaller {@link #limit} is given. */
    public static final int DEFAULT_PAGE_SIZE = 100;

    private final DatasetteClient client;
    private final String database;
    private final String table;
    private final List<String[]> filters;
    private final String search;
    private final String sort;
    private final String sortDesc;
    private final List<String> columns;
    private final List<String> hiddenColumns;
    private final long limit;
    private final int pageSize;

    Rows(DatasetteClient client, String database, String table) {
        this(client, database, table, List.of(), null, null, null, List.of(), List.of(), 0, DEFAULT_PAGE_SIZE);
    }

    private Rows(DatasetteClient client, String database, String table, List<String[]> filters, String search,
            String sort, String sortDesc, List<String> columns, List<String> hiddenColumns, long limit, int pageSize) {
        this.client = client;
        this.database = database;
        this.table = table;
        this.filters = List.copyOf(filters);
        this.search = search;
        this.sort = sort;
        this.sortDesc = sortDesc;
        this.columns = List.copyOf(columns);
        this.hiddenColumns = List.copyOf(hiddenColumns);
        this.limit = limit;
        this.pageSize = pageSize;
    }

    /**
     * Adds a filter {@code column__op=value}, as {@code dclient rows -f COL OP VALUE} does. Ops are
     * Datasette's ({@code exact}, {@code not}, {@code gt}, {@code gte}, {@code lt}, {@code lte},
     * {@code contains}, {@code startswith}, {@code in}, {@code isnull}, ...); {@code eq} means
     * {@code exact}. A collection value is sent as a JSON list (for {@code in}); a null value as 1
     * (for {@code isnull}, {@code notnull}, {@code isblank}, {@code notblank}).
     *
     * <pre>{@code ds.rows("fixtures", "dogs").filter("breed", "isnull", null)}</pre>
     */
    public Rows filter(String column, String op, Object value) {
        if (column == null || column.isEmpty()) throw new IllegalArgumentException("filter needs a column name");
        if (op == null || op.isEmpty()) throw new IllegalArgumentException("filter needs an op, e.g. \"exact\" or \"gt\"");
        String o = op.equals("eq") ? "exact" : op;
        List<String[]> f = new ArrayList<>(filters);
        f.add(new String[] {column + "__" + o, value == null ? "1" : Values.queryValue(value)});
        return new Rows(client, database, table, f, search, sort, sortDesc, columns, hiddenColumns, limit, pageSize);
    }

    /**
     * Full-text search ({@code _search=}) on a table with a search index.
     *
     * <pre>{@code ds.rows("fixtures", "searchable").search("dog").list()}</pre>
     */
    public Rows search(String query) {
        return new Rows(client, database, table, filters, query, sort, sortDesc, columns, hiddenColumns, limit, pageSize);
    }

    /**
     * Sorts by a column, ascending ({@code _sort=}).
     *
     * <pre>{@code ds.rows("fixtures", "dogs").sort("weight").limit(3).list()}</pre>
     */
    public Rows sort(String column) {
        return new Rows(client, database, table, filters, search, column, null, columns, hiddenColumns, limit, pageSize);
    }

    /**
     * Sorts by a column, descending ({@code _sort_desc=}).
     *
     * <pre>{@code ds.rows("fixtures", "dogs").sortDesc("age").limit(3).list()}</pre>
     */
    public Rows sortDesc(String column) {
        return new Rows(client, database, table, filters, search, null, column, columns, hiddenColumns, limit, pageSize);
    }

    /**
     * Only these columns ({@code _col=}; the primary key always comes too).
     *
     * <pre>{@code ds.rows("fixtures", "dogs").columns("name", "breed").list()}</pre>
     */
    public Rows columns(String... names) {
        List<String> c = new ArrayList<>(columns);
        c.addAll(List.of(names));
        return new Rows(client, database, table, filters, search, sort, sortDesc, c, hiddenColumns, limit, pageSize);
    }

    /**
     * Leaves these columns out ({@code _nocol=}).
     *
     * <pre>{@code ds.rows("fixtures", "dogs").withoutColumns("weight").list()}</pre>
     */
    public Rows withoutColumns(String... names) {
        List<String> c = new ArrayList<>(hiddenColumns);
        c.addAll(List.of(names));
        return new Rows(client, database, table, filters, search, sort, sortDesc, columns, c, limit, pageSize);
    }

    /**
     * At most {@code n} rows in total; no page past them is fetched.
     *
     * <pre>{@code ds.rows("fixtures", "dogs").limit(5).list()}</pre>
     */
    public Rows limit(long n) {
        if (n < 1) throw new IllegalArgumentException("limit must be at least 1, not " + n);
        return new Rows(client, database, table, filters, search, sort, sortDesc, columns, hiddenColumns, n, pageSize);
    }

    /**
     * Rows per request ({@code _size=}, 1 to 1000 on a default Datasette; default 100).
     *
     * <pre>{@code ds.rows("fixtures", "big").pageSize(1000).stream().count()}</pre>
     */
    public Rows pageSize(int n) {
        if (n < 1) throw new IllegalArgumentException("pageSize must be at least 1, not " + n);
        return new Rows(client, database, table, filters, search, sort, sortDesc, columns, hiddenColumns, limit, n);
    }

    /**
     * The path of the first page request, relative to the instance URL.
     *
     * <pre>{@code ds.rows("fixtures", "dogs").limit(5).path()  // /fixtures/dogs.json?_shape=objects&_size=5}</pre>
     */
    public String path() {
        Query q = Query.of().add("_shape", "objects");
        for (String[] f : filters) q.add(f[0], f[1]);
        q.add("_search", search).add("_sort", sort).add("_sort_desc", sortDesc);
        q.add("_size", limit > 0 && limit < pageSize ? limit : pageSize);
        for (String c : columns) q.add("_col", c);
        for (String c : hiddenColumns) q.add("_nocol", c);
        return "/" + Tilde.encode(database) + "/" + Tilde.encode(table) + ".json" + q;
    }

    /**
     * A lazy stream of rows; pages are fetched as the stream is consumed.
     *
     * <pre>{@code ds.rows("fixtures", "dogs").stream().map(r -> r.get("name")).toList()}</pre>
     */
    public Stream<Map<String, Object>> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * All the rows (up to the limit) in a list.
     *
     * <pre>{@code List<Map<String, Object>> dogs = ds.rows("fixtures", "dogs").limit(5).list();}</pre>
     */
    public List<Map<String, Object>> list() {
        return stream().collect(Collectors.toList());
    }

    /**
     * Iterates the rows, fetching a page at a time.
     *
     * <pre>{@code for (var row : ds.rows("fixtures", "dogs")) System.out.println(row.get("name"));}</pre>
     */
    @Override
    public Iterator<Map<String, Object>> iterator() {
        return new Pages();
    }

    /**
     * Describes the request, e.g. {@code Rows[fixtures/dogs.json?_shape=objects&_size=100]}.
     *
     * <pre>{@code System.out.println(ds.rows("fixtures", "dogs"));}</pre>
     */
    @Override
    public String toString() {
        return "Rows[" + path().substring(1) + (limit > 0 ? ", limit " + limit : "") + "]";
    }

    private final class Pages implements Iterator<Map<String, Object>> {
        private Iterator<Map<String, Object>> page;
        private URI next;
        private boolean started;
        private long returned;

        @Override
        public boolean hasNext() {
            if (limit > 0 && returned >= limit) return false;
            while (page == null || !page.hasNext()) {
                if (started && next == null) return false;
                fetch();
            }
            return true;
        }

        @Override
        public Map<String, Object> next() {
            if (!hasNext()) throw new NoSuchElementException();
            returned++;
            return page.next();
        }

        private void fetch() {
            JsonNode response = started ? client.getJson(next) : client.getJson(path());
            started = true;
            String what = database + "/" + table;
            page = Values.rows(response.get("rows"), what).iterator();
            JsonNode n = response.get("next_url");
            next = null;
            if (n != null && n.isTextual() && !n.asText().isEmpty()) {
                try {
                    next = new URI(client.baseUrl() + "/").resolve(new URI(n.asText()));
                } catch (URISyntaxException e) {
                    throw new DclientException("The server sent an invalid next_url for " + what + ": " + n.asText());
                }
            }
        }
    }
}
