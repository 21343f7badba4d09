package io.datasette.dclient.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Response;
import io.datasette.dclient.core.text.Safe;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The rest of a table walk after its second page, when the walk is in the order of one integer
 * key (a single {@code INTEGER} primary key, or the rowid): the keys after that page are
 * walked in parts, several requests in flight, and the pages are handed to {@link PageWalk} in
 * key order, so what it writes is what the walk one request at a time writes.
 *
 * <p>A part is a key range, walked by one worker as Datasette pages it ({@code next_url}), with
 * the part's bounds added to the query as filters ({@code id__gte}, {@code id__lt}). Parts are
 * cut in order from ranges not yet cut: at first the keys after that page, open-ended. A part is
 * about {@link #PART_PAGES} pages of keys by the density its range has shown: a full page
 * narrows the next parts, a thin part widens them (at most fourfold), and a part with less than
 * a page of rows makes the rest of its range one part, which large pages cross in few requests.
 * A part whose page shows more than two parts' worth of keys ahead keeps about
 * {@link #PART_PAGES} pages of them, and the rest becomes a range to cut, right after it. Past
 * the table's last key (asked once) the rest is one open-ended part. A worker with nothing to do
 * splits the earliest part that can be, else cuts from the earliest range, so the work stays
 * just ahead of the writer. When a split moves a part's end after its URL was made, the page
 * already asked for is cut at the new end and the part goes on with a URL of its own.
 *
 * <p>Memory: pages fetched and not yet taken, with the requests in flight, are at most
 * {@link #PAGES_PER_REQUEST} per request in flight allowed, plus one for the part the writer
 * waits on (which is never held back, so the walk cannot stall). Freed room goes to the part
 * nearest the writer. With a limit, no request is sent for rows beyond it, except the writer's
 * own part's. Guards hold per part: {@code next_url} to another origin or back to a page of the
 * part is not followed, and a failure in a part ends the walk after every row before it.
 */
final class KeyRangeWalk implements AutoCloseable {
    /** What deciding on a split needs to know about the table, from {@link #infoPath}. */
    private static final String EXTRAS = "&_extra=primary_keys&_extra=column_details&_extra=is_view";
    /** A part is about this many pages of keys. */
    static final int PART_PAGES = 2;
    /** Pages held at most (taken by no one yet, or in flight) per request in flight allowed. */
    static final int PAGES_PER_REQUEST = 4;

    /**
     * How a walk can be split: by {@code key}, ascending or not, after the last key of the page
     * it starts after ({@code after}, at {@code afterW} in walk order), with that page's rows per
     * key and size.
     * {@code nulls}: the key may hold NULLs, which a descending walk lists last (no range holds them).
     */
    record Plan(String key, boolean descending, JsonNode after, long afterW, double density, int pageRows,
            boolean nulls) {}

    /**
     * A key range, walked by one worker; or ({@link #uncut}) a range parts are cut from. Guarded
     * by {@link #lock}, but {@code visited} (its owner's).
     */
    private static final class Part {
        /** Not walked: parts {@link #width} keys wide are cut from its start; all of it at once when {@link #sparse}. */
        boolean uncut;
        double width;
        boolean sparse;
        /** Start: after this key (exclusive), or at {@link #start} (walk order, inclusive). */
        JsonNode after;
        Long start;
        /** Exclusive end in walk order; null for open-ended. {@link #urlEnd}: the end its next URL has. */
        Long end;
        Long urlEnd;
        /** The first key not yet walked, in walk order, when known ({@link #splittable}). */
        long from;
        boolean splittable = true;
        /** Rows per key of its latest full page, once there is one ({@link #seen}). */
        double density;
        boolean seen;
        /** The range it was cut from at {@code cutAt}: its rows tell how wide the next parts from there are. */
        Part source;
        long cutAt;
        long rows;
        boolean truncated;
        /** The NULLs of a descending walk: no range, never split. */
        boolean nulls;
        URI next;
        final Set<URI> visited = new HashSet<>();
        final ArrayDeque<PageWalk.Parsed> pages = new ArrayDeque<>();
        Thread owner;
        boolean waiting;
        boolean finished;
        boolean cancelled;
        RuntimeException failure;
    }

    private final DatasetteClient client;
    private final URI origin;
    private final TableQuery query;
    private final Plan plan;
    private final int budget;
    private final long wanted;
    private final List<Thread> threads = new ArrayList<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** In walk order; the first is the one the writer takes from. */
    private final List<Part> parts = new ArrayList<>();
    private boolean closed;
    /** Pages fetched and not yet taken, plus requests in flight (each counts as the page it brings). */
    private int held;
    private int maxHeld;
    private int inflight;
    /** Workers neither waiting nor gone (for {@link #awaitQuiet}). */
    private int busy;
    private long rowsTaken;
    private long rowsHeld;
    private int pageRows;
    /** The last key in walk order (null when unknown), once asked ({@link #lastKnown}). */
    private Long last;
    private boolean lastKnown;
    private int requests;
    private boolean nullsAdded;

    /**
     * Starts walking what comes after the page the plan was made from.
     *
     * @param parallel requests in flight at most
     * @param wanted rows wanted after that page; 0 for all
     * @param visited the pages fetched so far, for the loop guard
     */
    KeyRangeWalk(DatasetteClient client, TableQuery query, Plan plan, int parallel, long wanted, Set<URI> visited) {
        this.client = client;
        this.origin = client.uri("/");
        this.query = query;
        this.plan = plan;
        this.budget = PAGES_PER_REQUEST * parallel;
        this.wanted = wanted <= 0 ? Long.MAX_VALUE : wanted;
        this.pageRows = plan.pageRows();
        // the first part starts where that page ends, before the last key is known
        Part rest = new Part();
        rest.uncut = true;
        rest.after = plan.after(); // walked from after that page's last key
        rest.start = plan.afterW() == Long.MAX_VALUE ? Long.MAX_VALUE : plan.afterW() + 1;
        rest.width = keysFor(plan.density());
        rest.visited.addAll(visited);
        parts.add(rest);
        Part first = cut(rest);
        if (first != null) first.visited.addAll(visited);
        busy = parallel;
        for (int i = 0; i < parallel; i++) {
            boolean probe = i == 1; // the first worker starts on the rest at once, the second asks for the last key
            Thread t = new Thread(() -> work(probe), "dclient-rows-part-" + (i + 1));
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    // ---- deciding ----------------------------------------------------------------------------------

    /**
     * Where to ask what the table's key is: no rows, only the table's primary keys, column types
     * and whether it is a view. Asked beside the second page; a server that does not know these
     * extras (or fails) means no split.
     */
    static String infoPath(TableQuery query) {
        return TableQuery.of(query.database(), query.table()).path() + "&_size=0" + EXTRAS;
    }

    /**
     * How the walk after page {@code page}, whose next page is {@code next}, can be split, given the table's description {@code head} (from {@link #infoPath}; null when not
     * known), or null when it cannot: a view, a key that is not one integer column or the rowid,
     * an order that is not that key's (the server's {@code next_url} carries the sort it applies,
     * the query's or the table's default), or a page whose keys are not integers in that order.
     */
    static Plan plan(TableQuery query, JsonNode head, PageWalk.Content page, URI next) {
        if (head == null || !head.isObject()) return null;
        JsonNode view = head.get("is_view");
        JsonNode pks = head.get("primary_keys");
        if (view == null || !view.isBoolean() || view.asBoolean() || pks == null || !pks.isArray()) return null;
        String key;
        boolean rowid = pks.isEmpty();
        if (rowid) {
            key = "rowid";
        } else if (pks.size() == 1 && pks.get(0).isTextual()) {
            key = pks.get(0).asText();
            String affinity = head.path("column_details").path(key).path("sqlite_type").asText("");
            if (!affinity.equalsIgnoreCase("INTEGER")) return null;
        } else {
            return null;
        }
        Map<String, String> args = arguments(next);
        String sort = args.get("_sort");
        String sortDesc = args.get("_sort_desc");
        boolean descending = sortDesc != null;
        if (sort != null && sortDesc != null) return null;
        if ((sort != null && !sort.equals(key)) || (sortDesc != null && !sortDesc.equals(key))) return null;
        if ((query.sort() != null && !query.sort().equals(key)) || (query.sortDesc() != null && !query.sortDesc().equals(key))
                || (query.sortDesc() != null) != descending) {
            return null;
        }
        int n = page.count();
        if (n == 0) return null;
        JsonNode firstKey = page.row(0).get(key);
        JsonNode lastKey = page.row(n - 1).get(key);
        Long w0 = walk(firstKey, descending);
        Long w1 = walk(lastKey, descending);
        if (w0 == null || w1 == null || w1 < w0) return null;
        return new Plan(key, descending, lastKey, w1, n / ((double) w1 - (double) w0 + 1), n, descending && !rowid);
    }

    private static Map<String, String> arguments(URI uri) {
        Map<String, String> args = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) return args;
        for (String arg : raw.split("&")) {
            int eq = arg.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? arg : arg.substring(0, eq), StandardCharsets.UTF_8);
                args.putIfAbsent(name, eq < 0 ? "" : URLDecoder.decode(arg.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                args.putIfAbsent(arg, ""); // not decodable: never a sort we would accept
            }
        }
        return args;
    }

    /** A key's place in walk order (the key, or minus it descending) when it is an integer; else null. */
    private static Long walk(JsonNode key, boolean descending) {
        if (key == null || !key.isIntegralNumber() || !key.canConvertToLong()) return null;
        long v = key.longValue();
        return !descending ? v : v == Long.MIN_VALUE ? Long.MAX_VALUE : -v;
    }

    private Long walk(JsonNode key) {
        return walk(key, plan.descending());
    }

    /**
     * Whether {@code key} comes before {@code w} in walk order, keys ordered as SQLite orders them
     * (NULL, then numbers, then text and blobs), which is how the server applies the range filters.
     */
    private boolean before(JsonNode key, long w) {
        int sql; // sign of key - bound, in SQLite's order
        if (key == null || key.isNull()) {
            sql = -1;
        } else if (key.isNumber()) {
            BigDecimal bound = plan.descending() ? BigDecimal.valueOf(w).negate() : BigDecimal.valueOf(w);
            sql = key.isIntegralNumber() && key.canConvertToLong() && !plan.descending()
                    ? Long.compare(key.longValue(), w) : key.decimalValue().compareTo(bound);
        } else {
            sql = 1;
        }
        return (plan.descending() ? -sql : sql) < 0;
    }

    /** Keys for {@link #PART_PAGES} pages at {@code density} rows per key (at least 1, at most a quarter of the key space). */
    private double keysFor(double density) {
        double keys = density > 0 ? Math.ceil(PART_PAGES * pageRows / density) : Double.MAX_VALUE;
        return Math.max(1, Math.min(keys, Long.MAX_VALUE / 4));
    }

    /** The NULLs of a descending walk come after every range. */
    private void addNulls() {
        if (!plan.nulls() || nullsAdded) return;
        nullsAdded = true;
        Part nulls = new Part();
        nulls.nulls = true;
        nulls.splittable = false;
        nulls.next = client.uri(query.withRawFilter(plan.key(), "isnull", "1").path());
        parts.add(nulls);
    }

    /** The bound {@code w} (walk order) as the key value a filter compares with. */
    private String keyText(long w) {
        return plan.descending() ? BigInteger.valueOf(w).negate().toString() : Long.toString(w);
    }

    /** The first request of part {@code p}: the query with the part's bounds as filters. */
    private URI uri(Part p) {
        String key = plan.key();
        boolean desc = plan.descending();
        TableQuery q = query;
        if (p.after != null) q = q.withRawFilter(key, desc ? "lt" : "gt", p.after.asText());
        else if (p.start != null) q = q.withRawFilter(key, desc ? "lte" : "gte", keyText(p.start));
        if (p.end != null) q = q.withRawFilter(key, desc ? "gt" : "lt", keyText(p.end));
        p.urlEnd = p.end;
        return client.uri(q.path());
    }

    // ---- the writer's side -------------------------------------------------------------------------

    /**
     * The next page in key order ({@link PageWalk.Parsed}), a {@link PageWalk.Failed} where a part
     * failed (after the pages before it), or {@link PageWalk#END}. Waits for it.
     */
    Object take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                if (parts.isEmpty()) return PageWalk.END;
                Part head = parts.get(0);
                PageWalk.Parsed page = head.pages.poll();
                if (page != null) {
                    held--;
                    rowsHeld -= page.count();
                    rowsTaken += page.count();
                    changed.signalAll();
                    return page;
                }
                if (head.failure != null) return new PageWalk.Failed(head.failure);
                if (head.finished) {
                    parts.remove(0);
                    changed.signalAll();
                    continue;
                }
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops the workers (a request in flight is interrupted); the walk is over. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (Part p : parts) p.pages.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        threads.forEach(Thread::interrupt);
    }

    // ---- for tests ---------------------------------------------------------------------------------

    /** The most pages held at once so far (fetched and not taken, or in flight). */
    int maxHeld() {
        lock.lock();
        try {
            return maxHeld;
        } finally {
            lock.unlock();
        }
    }

    /** The most pages that may be held at once: the budget, and the writer's part's one request. */
    int heldLimit() {
        return budget + 1;
    }

    /** Requests sent for the parts and the last key so far. */
    int requests() {
        lock.lock();
        try {
            return requests;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every worker waits (for room, or for work) or has ended: nothing moves until the writer takes. */
    void awaitQuiet() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (busy > 0 && !closed) changed.await();
        } finally {
            lock.unlock();
        }
    }

    // ---- the workers -------------------------------------------------------------------------------

    private void work(boolean probe) {
        try {
            if (probe) askLastKey();
            for (Part p = nextWork(); p != null; p = nextWork()) walkPart(p);
        } catch (InterruptedException e) {
            // closed
        } finally {
            lock.lock();
            try {
                busy--;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Waits for a change, not counted as busy meanwhile. */
    private void idle() throws InterruptedException {
        busy--;
        changed.signalAll();
        try {
            changed.await();
        } finally {
            busy++;
        }
    }

    /** The last key in walk order: the end of the range to split (no split before it is known). */
    private void askLastKey() {
        boolean desc = plan.descending();
        String key = plan.key();
        TableQuery q = desc ? query.withRawFilter(key, "notnull", "1").withSort(key, null) : query.withSort(null, key);
        Long w = null;
        try {
            lock.lock();
            try {
                requests++;
            } finally {
                lock.unlock();
            }
            Response r = client.get(q.withPageSize(1L).path());
            JsonNode rows = r.ok() ? r.jsonOrNull() : null;
            rows = rows == null ? null : rows.get("rows");
            if (rows != null && rows.isArray() && !rows.isEmpty()) w = walk(rows.get(0).get(key));
        } catch (DclientException e) {
            // not known: no split; the parts' own requests say what is wrong, if anything is
        }
        lock.lock();
        try {
            last = w;
            lastKnown = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Cuts the next part from range {@code r} (returned; no one walks it yet). The open-ended
     * range waits for the last key but for its first part; past the last key (or when there is
     * none to know), or when the parts cut from it came back sparse, the range becomes itself
     * one part (until a page of it shows a dense run, which splits it again).
     */
    private Part cut(Part r) {
        if (r.end == null && r.after == null && !lastKnown) return null;
        if (r.sparse || (r.end == null && (r.start == Long.MAX_VALUE || (lastKnown && (last == null || r.start > last
                || (double) r.start + r.width > (double) last + 1))))) {
            // all of it as one part, following next_url: large pages cross a sparse run in few requests
            r.uncut = false;
            r.from = r.start;
            r.next = uri(r);
            if (r.end == null) addNulls();
            return r;
        }
        int i = parts.indexOf(r);
        Part p = new Part();
        p.after = r.after;
        p.start = r.after == null ? r.start : null;
        p.from = r.start;
        p.cutAt = r.start;
        p.source = r;
        long end = (double) r.start + r.width >= (double) Long.MAX_VALUE ? Long.MAX_VALUE : r.start + (long) r.width;
        p.end = r.end == null ? end : Math.min(end, r.end);
        p.next = uri(p);
        parts.add(i, p);
        r.after = null;
        r.start = p.end;
        if (r.end != null && r.start >= r.end) parts.remove(r);
        return p;
    }

    /** A part to walk: one no one walks, or one split off; null when no more can come up. */
    private Part nextWork() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!closed) {
                boolean more = false;
                for (Part p : parts) {
                    if (p.finished) continue;
                    more = true;
                    if (p.owner == null && !p.uncut) {
                        p.owner = Thread.currentThread();
                        return p;
                    }
                }
                if (!more) return null;
                Part next = split();
                if (next == null) next = cut();
                if (next != null) {
                    next.owner = Thread.currentThread();
                    return next;
                }
                idle();
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Splits the earliest part whose latest page shows at least two parts' worth of keys left:
     * it keeps about {@link #PART_PAGES} pages of them, and the rest becomes a range to cut,
     * right after it, from which the first part is cut at once (returned).
     */
    private Part split() {
        if (!lastKnown || held >= budget || enough()) return null;
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            if (p.uncut || p.finished || p.owner == null || !p.splittable || !p.seen) continue;
            if (p.end == null && last == null) continue;
            long stop = p.end != null ? p.end : last == Long.MAX_VALUE ? last : last + 1;
            double keys = keysFor(p.density);
            if ((double) stop - (double) p.from < 2 * keys) continue;
            Part r = new Part();
            r.uncut = true;
            r.start = p.from + (long) keys;
            r.end = p.end;
            r.width = keys;
            p.end = r.start;
            parts.add(i + 1, r);
            return cut(r);
        }
        return null;
    }

    /**
     * The next part cut from the earliest range that has one: only while there is room and rows
     * are wanted, unless the writer waits on that range.
     */
    private Part cut() {
        for (Part r : parts) {
            if (!r.uncut) continue;
            if (parts.get(0) != r && (held >= budget || enough())) return null;
            return cut(r);
        }
        return null;
    }

    /**
     * What a part's pages say about the keys after it in its range: parts cut from there on are
     * as wide as {@link #PART_PAGES} pages at the density seen, but at most four times as wide as
     * before; a part with less than a page of rows makes the rest one part ({@link Part#sparse}).
     */
    private void observed(Part source, double density, boolean sparse) {
        if (source == null || !source.uncut || !parts.contains(source)) return;
        source.width = Math.min(keysFor(density), Math.min(source.width * 4, Long.MAX_VALUE / 4));
        source.sparse = sparse;
    }

    /** Enough rows are taken, held or on the way for the limit. */
    private boolean enough() {
        return wanted != Long.MAX_VALUE && rowsTaken + rowsHeld + (long) inflight * pageRows >= wanted;
    }

    /**
     * Whether part {@code p} may send its next request now: always when the writer waits on it;
     * else when there is room, rows are still wanted, and no part nearer the writer waits for room.
     */
    private boolean mayFetch(Part p) {
        if (parts.get(0) == p && p.pages.isEmpty()) return true;
        if (held >= budget || enough()) return false;
        for (Part q : parts) {
            if (q == p) return true;
            if (q.waiting) return false;
        }
        return true;
    }

    /** Walks part {@code p} to its end (or until it is cancelled, or the walk closed). */
    private void walkPart(Part p) throws InterruptedException {
        while (true) {
            URI uri;
            lock.lockInterruptibly();
            try {
                while (!closed && !p.cancelled && !mayFetch(p)) {
                    p.waiting = true;
                    idle();
                }
                p.waiting = false;
                if (closed || p.cancelled) return;
                held++;
                inflight++;
                requests++;
                maxHeld = Math.max(maxHeld, held);
                uri = p.next;
                changed.signalAll(); // a part behind this one may have waited for it to go first
            } finally {
                lock.unlock();
            }
            PageWalk.Parsed page = null;
            RuntimeException failure = null;
            JsonNode firstKey = null;
            JsonNode lastKey = null;
            try {
                p.visited.add(uri);
                page = PageWalk.parse(client, origin, p.visited, true, client.get(uri), uri);
                int n = page.count();
                if (n > 0) {
                    firstKey = page.content().row(0).get(plan.key());
                    lastKey = page.content().row(n - 1).get(plan.key());
                }
            } catch (RuntimeException e) {
                failure = e;
            } catch (Error e) {
                failure = new DclientException("Walking the table failed: " + e, e);
            }
            lock.lock();
            try {
                held--;
                inflight--;
                changed.signalAll();
                if (closed || p.cancelled) return;
                if (failure != null) {
                    fail(p, failure);
                    return;
                }
                if (!took(p, uri, page, firstKey, lastKey)) return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Files a page of part {@code p}; returns whether the part goes on. */
    private boolean took(Part p, URI uri, PageWalk.Parsed page, JsonNode firstKey, JsonNode lastKey) {
        int n = page.count();
        int keep = n;
        boolean crossed = false;
        if (n > 0 && p.end != null && !before(lastKey, p.end)) {
            keep = rowsBefore(page.content(), n, p.end); // asked before a split moved the end here
            crossed = true;
        }
        pageRows = Math.max(pageRows, n);
        Long w0 = walk(firstKey);
        Long w1 = walk(lastKey);
        boolean more = !crossed && page.next() != null;
        p.rows += keep;
        p.truncated |= crossed;
        if (more && w0 != null && w1 != null && w1 >= w0) {
            // a full page: its keys say how dense the table is here
            p.density = n / ((double) w1 - (double) w0 + 1);
            p.seen = true;
            observed(p.source, p.density, false);
        } else if (!more && !p.truncated && p.end != null) {
            // a whole part: its rows over its keys
            observed(p.source, p.rows / ((double) p.end - (double) p.cutAt), p.rows < pageRows);
        }
        String stop = crossed ? null : page.stop();
        if (keep > 0 || stop != null) {
            p.pages.add(new PageWalk.Parsed(page.content(), uri, null, false, stop, keep));
            held++;
            rowsHeld += keep;
            maxHeld = Math.max(maxHeld, held);
        }
        if (stop != null) {
            p.finished = true;
            cancelAfter(p);
            return false;
        }
        if (crossed || page.next() == null) {
            p.finished = true;
            return false;
        }
        if (n > 0) {
            if (w1 != null && w1 < Long.MAX_VALUE) p.from = Math.max(p.from, w1 + 1);
            else p.splittable = false;
        }
        if (n > 0 && !Objects.equals(p.end, p.urlEnd)) {
            // the server's next_url still has the end this part had: ask for the rest with its own
            p.after = lastKey;
            p.start = null;
            URI next = uri(p);
            if (p.visited.contains(next)) {
                fail(p, new DclientException("The server answered " + Safe.maskUrl(next)
                        + " again with the same rows; not asking a third time, to avoid a loop.",
                        DclientException.Kind.SERVER));
                return false;
            }
            p.next = next;
        } else {
            p.next = page.next();
        }
        return true;
    }

    /** How many of the first {@code n} rows come before {@code end} (they are in walk order). */
    private int rowsBefore(PageWalk.Content content, int n, long end) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (before(content.row(mid).get(plan.key()), end)) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Part {@code p} failed: the writer gets its pages, then the failure; nothing after it is walked. */
    private void fail(Part p, RuntimeException e) {
        p.failure = e;
        p.finished = true;
        cancelAfter(p);
    }

    private void cancelAfter(Part p) {
        int i = parts.indexOf(p);
        while (parts.size() > i + 1) {
            Part q = parts.remove(parts.size() - 1);
            q.cancelled = true;
            q.finished = true;
            for (PageWalk.Parsed page : q.pages) {
                held--;
                rowsHeld -= page.count();
            }
            q.pages.clear();
        }
        changed.signalAll();
    }
}
