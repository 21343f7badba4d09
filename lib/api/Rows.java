package io.datasette.dclient.api;

import io.datasette.dclient.core.NotFound;
import io.datasette.dclient.core.data.Missing;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.data.PageWalk;
import io.datasette.dclient.core.data.TableQuery;
import io.datasette.dclient.core.http.DatasetteClient;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The rows of one table, with filters, sorting and a limit; nothing is fetched until you
 * iterate. Pages are fetched one at a time, when the rows before them have been read, by the
 * same page walk as {@code dclient rows --all} ({@link PageWalk}, with its guards: a
 * {@code next_url} to another origin or back to a page already read ends the walk with a
 * {@link DclientException}), so a stream over a large table stops fetching when you stop
 * reading and leaves nothing running. {@link #list} reads the whole table, so it keeps
 * {@link #parallel} requests in flight where the table allows it (unless set: 4 when the server is a round trip of 3 ms or more away, else 1); a stream does so
 * only when {@link #parallel} is set above 1. Each method returns a new, immutable {@code Rows}.
 *
 * <pre>{@code ds.rows("fixtures", "dogs").filter("age", "gte", 14).sortDesc("age").limit(10).list()}</pre>
 */
public final class Rows implements Iterable<Map<String, Object>> {
    /** The page size asked for when no {@link #pageSize} or smaller {@link #limit} is given. */
    public static final int DEFAULT_PAGE_SIZE = 100;

    private final DatasetteClient client;
    private final TableQuery query;
    private final long limit;
    private final int pageSize;
    /** 0: not set. */
    private final int parallel;

    Rows(DatasetteClient client, String database, String table) {
        this(client, TableQuery.of(database, table), 0, DEFAULT_PAGE_SIZE, 0);
    }

    private Rows(DatasetteClient client, TableQuery query, long limit, int pageSize, int parallel) {
        this.client = client;
        this.query = query;
        this.limit = limit;
        this.pageSize = pageSize;
        this.parallel = parallel;
    }

    /**
     * Adds a filter {@code column__op=value}, as {@code dclient rows -f COL OP VALUE} does. Ops are
     * Datasette's ({@code exact}, {@code not}, {@code gt}, {@code gte}, {@code lt}, {@code lte},
     * {@code contains}, {@code startswith}, {@code in}, {@code isnull}, ...); {@code eq} means
     * {@code exact}. A collection value is sent as a JSON list (for {@code in}); a null value as 1
     * (for {@code isnull}, {@code notnull}, {@code isblank}, {@code notblank}). Datasette ignores
     * an op it does not know and returns every row, so any op but those
     * ({@link TableQuery#OPERATORS}) throws a {@link DclientException} (kind {@code USAGE}) that
     * lists them and suggests the closest; use {@link #filterRaw} for an op a plugin adds.
     *
     * <pre>{@code ds.rows("fixtures", "dogs").filter("breed", "isnull", null)}</pre>
     */
    public Rows filter(String column, String op, Object value) {
        checkFilter(column, op);
        return with(LibraryAdvice.call(() -> query.withFilter(column, op, value == null ? "1" : Values.queryValue(value))));
    }

    /**
     * Like {@link #filter}, but the op is sent as given, unchecked: for an operator a Datasette
     * plugin adds ({@code column__op=value}).
     *
     * <pre>{@code ds.rows("fixtures", "dogs").filterRaw("name", "exact", "Cleo").path()}</pre>
     */
    public Rows filterRaw(String column, String op, Object value) {
        checkFilter(column, op);
        return with(query.withRawFilter(column, op, value == null ? "1" : Values.queryValue(value)));
    }

    private static void checkFilter(String column, String op) {
        if (column == null || column.isEmpty()) throw new IllegalArgumentException("filter needs a column name");
        if (op == null || op.isEmpty()) throw new IllegalArgumentException("filter needs an op, e.g. \"exact\" or \"gt\"");
    }

    /**
     * Full-text search ({@code _search=}) on a table with a search index.
     *
     * <pre>{@code ds.rows("fixtures", "searchable").search("dog").list()}</pre>
     */
    public Rows search(String query) {
        return with(this.query.withSearch(query));
    }

    /**
     * Sorts by a column, ascending ({@code _sort=}).
     *
     * <pre>{@code ds.rows("fixtures", "dogs").sort("weight").limit(3).list()}</pre>
     */
    public Rows sort(String column) {
        return with(query.withSort(column, null));
    }

    /**
     * Sorts by a column, descending ({@code _sort_desc=}).
     *
     * <pre>{@code ds.rows("fixtures", "dogs").sortDesc("age").limit(3).list()}</pre>
     */
    public Rows sortDesc(String column) {
        return with(query.withSort(null, column));
    }

    /**
     * Only these columns ({@code _col=}; the primary key always comes too).
     *
     * <pre>{@code ds.rows("fixtures", "dogs").columns("name", "breed").list()}</pre>
     */
    public Rows columns(String... names) {
        return with(query.withColumns(List.of(names)));
    }

    /**
     * Leaves these columns out ({@code _nocol=}).
     *
     * <pre>{@code ds.rows("fixtures", "dogs").withoutColumns("weight").list()}</pre>
     */
    public Rows withoutColumns(String... names) {
        return with(query.withoutColumns(List.of(names)));
    }

    /**
     * At most {@code n} rows in total; no page past them is fetched.
     *
     * <pre>{@code ds.rows("fixtures", "dogs").limit(5).list()}</pre>
     */
    public Rows limit(long n) {
        if (n < 1) throw new IllegalArgumentException("limit must be at least 1, not " + n);
        return new Rows(client, query, n, pageSize, parallel);
    }

    /**
     * Rows per request ({@code _size=}, 1 to 1000 on a default Datasette; default 100).
     *
     * <pre>{@code ds.rows("fixtures", "big").pageSize(1000).stream().count()}</pre>
     */
    public Rows pageSize(int n) {
        if (n < 1) throw new IllegalArgumentException("pageSize must be at least 1, not " + n);
        return new Rows(client, query, limit, n, parallel);
    }

    /**
     * Requests in flight at once, as {@code dclient rows --all --parallel N} (1: one after another).
     * On a table with a single integer primary key (or none: the rowid), read in that key's order,
     * the pages after the second are asked for in key ranges, {@code n} at a time, and handed over
     * in order: the rows are exactly those of the walk one request at a time, and at most a few
     * pages per request in flight are held. Other tables (views, compound or text keys, another
     * sort) are read one page after another. {@link #list} uses 4 unless this is set; a stream or
     * iterator fetches ahead on background threads only when this is above 1, until it is read to
     * the end or closed (use try-with-resources).
     *
     * <pre>{@code ds.rows("fixtures", "big").parallel(8).list().size()}</pre>
     */
    public Rows parallel(int n) {
        if (n < 1 || n > PageWalk.MAX_PARALLEL) {
            throw new IllegalArgumentException("parallel must be from 1 to " + PageWalk.MAX_PARALLEL + ", not " + n);
        }
        return new Rows(client, query, limit, pageSize, n);
    }

    /**
     * The path of the first page request, relative to the instance URL.
     *
     * <pre>{@code ds.rows("fixtures", "dogs").limit(5).path()  // /fixtures/dogs.json?_shape=objects&_size=5}</pre>
     */
    public String path() {
        return pages().path();
    }

    /** The query of the first page: the page size, or the limit when smaller. */
    private TableQuery pages() {
        return query.withPageSize(limit > 0 && limit < pageSize ? limit : (long) pageSize);
    }

    /**
     * A lazy stream of rows; pages are fetched as the stream is consumed.
     *
     * <pre>{@code ds.rows("fixtures", "dogs").stream().map(r -> r.get("name")).toList()}</pre>
     */
    public Stream<Map<String, Object>> stream() {
        Pages pages = new Pages();
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages,
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(pages::close);
    }

    /**
     * All the rows (up to the limit) in a list. As every page is wanted, the next page is
     * fetched while the current one is read, as {@code dclient rows --all} does, with
     * {@link #parallel} requests in flight where the table allows it (unless set: 4 when the server is a round trip of 3 ms or more away, else 1).
     *
     * <pre>{@code List<Map<String, Object>> dogs = ds.rows("fixtures", "dogs").limit(5).list();}</pre>
     */
    public List<Map<String, Object>> list() {
        return LibraryAdvice.call(() -> {
            List<Map<String, Object>> all = new ArrayList<>();
            try (PageWalk walk = PageWalk.overlapped(client, pages(), limit, true,
                    parallel == 0 ? PageWalk.AUTO : parallel)) {
                for (PageWalk.Page p = walk.next(); p != null; p = walk.next()) all.addAll(rows(p));
            } catch (DclientException e) {
                throw missing(e);
            }
            return all;
        });
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

    private Rows with(TableQuery q) {
        return new Rows(client, q, limit, pageSize, parallel);
    }

    /** {@code e} naming the database or table, when the server does not have it. */
    private DclientException missing(DclientException e) {
        return Missing.explain(e, client, Missing.Target.table(query.database(), NotFound.Origin.GIVEN, query.table()));
    }

    /** The rows of a page that are wanted, as maps. */
    private List<Map<String, Object>> rows(PageWalk.Page p) {
        return Values.rows(p.rows(), query.database() + "/" + query.table()).subList(0, p.wanted());
    }

    /** The rows of the walk's pages, one page in hand at a time. */
    private final class Pages implements Iterator<Map<String, Object>> {
        private PageWalk walk;
        private Iterator<Map<String, Object>> page;
        private boolean over;

        @Override
        public boolean hasNext() {
            return LibraryAdvice.call(this::fetch);
        }

        private boolean fetch() {
            while (page == null || !page.hasNext()) {
                if (over) return false;
                if (walk == null) {
                    walk = parallel > 1 ? PageWalk.overlapped(client, pages(), limit, true, parallel)
                            : PageWalk.onDemand(client, path(), limit);
                }
                PageWalk.Page p;
                try {
                    p = walk.next();
                } catch (DclientException e) {
                    throw missing(e);
                }
                if (p == null) {
                    close();
                    return false;
                }
                page = rows(p).iterator();
            }
            return true;
        }

        @Override
        public Map<String, Object> next() {
            if (!hasNext()) throw new NoSuchElementException();
            return page.next();
        }

        void close() {
            over = true;
            if (walk != null) walk.close();
        }
    }
}
