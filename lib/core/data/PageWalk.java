package io.datasette.dclient.core.data;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.core.json.JsonErrors;
import io.datasette.dclient.core.json.JsonWriter;
import io.datasette.dclient.core.json.Utf8;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.text.Safe;
import io.datasette.dclient.core.http.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * The pages of one table, following the server's {@code next_url}: the one walk behind
 * {@code dclient rows} and the library's {@code Rows}. Call {@link #next} until it returns null,
 * and {@link #close} it (try-with-resources) to stop whatever is still in flight.
 *
 * <p>Guards, the same in every mode: a {@code next_url} on another origin than the instance is
 * not followed (the token goes only to the instance), nor one that points back at a page already
 * fetched (a server whose cursor cycles would otherwise be walked forever), nor one that is not
 * a URL; each ends the walk with an error saying how many rows came before it. A page without a
 * {@code "rows"} list is an error, and a page that fails after the first says how many rows were
 * handed over before it. Errors are {@link DclientException}s with the same message in every mode.
 *
 * <p>Three modes:
 * <ul>
 *   <li>{@link #overlapped}: three stages overlap. A fetcher thread does the HTTP, a producer
 *       thread parses each page and works out the next URL, and the caller consumes rows. The
 *       next page is requested as soon as its {@code next_url} has been read from the head of the
 *       current one (Datasette sends it before the rows), but only when that page is certainly
 *       needed (no limit, or enough rows still wanted). A queue of one page keeps at most about
 *       four pages in memory, whatever the table size. For the command line.</li>
 *   <li>{@link #onDemand}: each page is fetched on the caller's thread when {@link #next} asks
 *       for it; nothing runs in the background, so an iterator that is dropped half-way (as a
 *       {@code Stream} usually is) leaves nothing behind and fetches nothing more. For the
 *       library.</li>
 *   <li>{@link #overlapped(DatasetteClient, TableQuery, long, boolean, int) split}: with
 *       {@code parallel} above 1, the walk starts as {@link #overlapped} does; when more than two
 *       pages may be wanted, it asks beside the second what the table's key is
 *       ({@link KeyRangeWalk#infoPath}). When the walk is in the order of a single integer key
 *       (or the rowid), what comes after the second page is walked in key ranges, several
 *       requests in flight, and handed over in key order ({@link KeyRangeWalk}); otherwise the
 *       walk goes on as {@link #overlapped}. Either way the pages hold the same rows, in the
 *       same order, as the walk one request at a time. For both faces' walks of every page.</li>
 * </ul>
 */
public final class PageWalk implements AutoCloseable {
    /**
     * One page as handed over: its number (1 for the first), the URL it was asked at, the whole
     * response and its {@code rows} (all of them; with a limit, use only {@link #wanted} of them).
     * The page has been read through once (it is JSON, with a {@code rows} list); its response and
     * rows are read into trees only when asked for, and {@link #copyRows} writes the rows out
     * from the text as it came.
     */
    public static final class Page {
        private final int number;
        private final URI uri;
        private final Content content;
        private final int wanted;

        Page(int number, URI uri, Content content, int wanted) {
            this.number = number;
            this.uri = uri;
            this.content = content;
            this.wanted = wanted;
        }

        public int number() {
            return number;
        }

        public URI uri() {
            return uri;
        }

        /** The whole response. */
        public JsonNode body() {
            return content.body();
        }

        /** The {@code rows} list: every row of the page. */
        public JsonNode rows() {
            return content.rows();
        }

        /** How many of the rows are wanted (all of them, unless the limit ends in this page). */
        public int wanted() {
            return wanted;
        }

        /** The {@code columns} list of the response, or null when there is none. */
        public List<String> columns() {
            JsonNode c = content.head.path("columns");
            if (!c.isArray()) return null;
            List<String> names = new ArrayList<>(c.size());
            c.forEach(n -> names.add(n.asText()));
            return names;
        }

        /** Writes the {@link #wanted} rows to {@code out} as the server sent them, without reading them into trees. */
        public void copyRows(JsonWriter out) {
            content.copyRows(out, wanted);
        }
    }

    /**
     * A page's response, read through once by Jackson's streaming parser: strict UTF-8 and JSON,
     * its fields but {@code rows} as trees ({@code head}, small), and where its rows list starts.
     */
    static final class Content {
        private final byte[] bytes;
        private final URI uri;
        /** The response's fields but its rows. */
        final JsonNode head;
        /** Byte offset of the rows list's {@code [}, and how many rows it holds. */
        private final int rowsAt;
        private final int count;
        /** No object holds a key twice: rows may be copied as they came. */
        private final boolean unique;
        private JsonNode body;
        private JsonNode rows;

        private Content(byte[] bytes, URI uri, JsonNode head, int rowsAt, int count, boolean unique) {
            this.bytes = bytes;
            this.uri = uri;
            this.head = head;
            this.rowsAt = rowsAt;
            this.count = count;
            this.unique = unique;
        }

        /** The content of a response, or the error it means (the server's own as {@link DatasetteClient#json} words it). */
        static Content of(DatasetteClient client, Response r, URI current) {
            if (!r.ok()) client.json(r); // throws
            byte[] b = r.body();
            Content c;
            try {
                Utf8.check(b);
                try {
                    c = read(parser(b, true), b, r.uri());
                } catch (JsonParseException e) {
                    // A key twice in an object, or not JSON (then this throws too): a row with a key
                    // twice goes out as its tree, where the last value wins, as Python's json reads it.
                    c = read(parser(b, false), b, r.uri());
                }
            } catch (JsonProcessingException e) {
                throw notJson(r.uri(), JsonErrors.reason(b), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // (bytes in memory)
            }
            if (c.head.has("ok") && !c.head.path("ok").asBoolean(true)) client.json(r); // the server's error: throws
            if (c.rowsAt < 0) {
                throw new DclientException("Unexpected response from " + Safe.maskUrl(current) + ": it has no \"rows\" list",
                        DclientException.Kind.SERVER);
            }
            return c;
        }

        /** {@code unique}: a key twice in an object is an error. */
        private static JsonParser parser(byte[] b, boolean unique) throws IOException {
            JsonParser p = Json.factory().createParser(b);
            return unique ? p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION) : p;
        }

        /** Reads {@code b} through with {@code p}: its fields but rows as trees, and where its rows are. */
        private static Content read(JsonParser p, byte[] b, URI uri) throws IOException {
            ObjectNode head = Json.object();
            int rowsAt = -1;
            int count = 0;
            try (p) {
                JsonToken first = p.nextToken();
                if (first == null) throw new JsonParseException(p, "No JSON value");
                if (first != JsonToken.START_OBJECT) Json.value(p, first); // read, to be sure it is JSON
                for (JsonToken t = first == JsonToken.START_OBJECT ? p.nextToken() : null; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (!name.equals("rows")) {
                        head.set(name, Json.value(p, value));
                    } else if (value != JsonToken.START_ARRAY) {
                        rowsAt = -1; // (the last "rows" counts, as in a tree)
                        p.skipChildren();
                    } else {
                        rowsAt = (int) p.currentTokenLocation().getByteOffset();
                        for (count = 0; p.nextToken() != JsonToken.END_ARRAY; count++) p.skipChildren();
                    }
                }
                if (p.nextToken() != null) throw new JsonParseException(p, "Unexpected content after the JSON value");
            }
            return new Content(b, uri, head, rowsAt, count, p.isEnabled(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
        }

        int count() {
            return count;
        }

        /** A parser at the {@code [} of the rows list. */
        private JsonParser rowsParser() throws IOException {
            JsonParser p = Json.factory().createParser(bytes, rowsAt, bytes.length - rowsAt);
            p.nextToken();
            return p;
        }

        void copyRows(JsonWriter out, int wanted) {
            if (!unique) {
                for (int i = 0; i < wanted; i++) out.write(rows().get(i));
                return;
            }
            try (JsonParser p = rowsParser()) {
                for (int i = 0; i < wanted; i++) {
                    p.nextToken();
                    out.copy(p);
                }
            } catch (JsonProcessingException e) {
                throw notJson(uri, "", e); // (read through before: does not happen)
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Row {@code i} as a tree, the rows before it skipped, not built (a key range's walk asks for a few). */
        JsonNode row(int i) {
            if (rows != null) return rows.get(i);
            try (JsonParser p = rowsParser()) {
                for (int k = 0; k < i; k++) {
                    p.nextToken();
                    p.skipChildren();
                }
                return Json.value(p, p.nextToken());
            } catch (IOException e) {
                throw notJson(uri, "", e);
            }
        }

        JsonNode rows() {
            if (rows == null) {
                ArrayNode list = JsonNodeFactory.instance.arrayNode(count);
                try (JsonParser p = rowsParser()) {
                    for (int i = 0; i < count; i++) list.add(Json.value(p, p.nextToken()));
                } catch (IOException e) {
                    throw notJson(uri, "", e);
                }
                rows = list;
            }
            return rows;
        }

        JsonNode body() {
            if (body == null) {
                try {
                    body = Json.parse(bytes);
                } catch (IOException e) {
                    throw notJson(uri, "", e);
                }
            }
            return body;
        }

        private static DclientException notJson(URI uri, String reason, IOException e) {
            return new DclientException("Response from " + Safe.maskUrl(uri) + " was not valid JSON (HTTP 200)" + reason,
                    DclientException.Kind.SERVER, e);
        }
    }

    /** The most requests in flight a walk takes: each is a thread and a connection, and the server serves them all. */
    public static final int MAX_PARALLEL = 64;
    /**
     * {@code parallel} for "as the server is far or near": {@link #AUTO_PARALLEL} requests in flight
     * when the server is far ({@link #near}), else one after another; a first connection that
     * seems far is judged again on a second, opened for the walk, since a fresh JVM's first
     * connection also loads the network and TLS classes (3-10 ms for TCP on loopback, about 100 ms
     * for a TLS handshake). Near, the server's own CPU is the limit, and requests in flight only
     * add to its load: on loopback with Datasette 1.0a37 on the same 2 cores,
     * {@code rows fixtures big --all --nl} took 1.16x the bare loop's time with 4 in flight and
     * 1.00-1.02x with 1, while 40 ms away 4 in flight took 0.31-0.35x (bench/data, bench/network).
     */
    public static final int AUTO = 0;
    public static final int AUTO_PARALLEL = 4;
    /** Near over http://: the TCP connection opened within this. */
    static final long NEAR_NANOS = 3_000_000;
    /**
     * Near over https://: the connection, TLS handshake included, opened within this. A warm
     * handshake is computation too: measured on loopback, 6-8 ms to nginx (TLS 1.2); 86-88 ms
     * through remote's 40 ms link, whose relay accepts the TCP connection at once.
     */
    static final long NEAR_TLS_NANOS = 20_000_000;

    /** Whether a server whose connection took {@code setUpNanos} to open (-1: unknown) is near. */
    static boolean near(long setUpNanos, boolean tls) {
        return setUpNanos >= 0 && setUpNanos < (tls ? NEAR_TLS_NANOS : NEAR_NANOS);
    }

    static final Object END = new Object();
    /** From the producer: the rest of the walk comes from {@link #ranges}. */
    private static final Object RANGES = new Object();

    /**
     * A parsed page, the next page's URL (null for none) or why the walk cannot go on, and how
     * many of its rows belong to the walk (all of them, unless a {@link KeyRangeWalk} part ends
     * inside the page).
     */
    record Parsed(Content content, URI uri, URI next, boolean more, String stop, int count) {
        Parsed(Content content, URI uri, URI next, boolean more, String stop) {
            this(content, uri, next, more, stop, content.count());
        }
    }

    record Failed(RuntimeException error) {}

    private final DatasetteClient client;
    private final URI origin;
    private final URI first;
    private final long limit;
    private final boolean all;
    private final boolean overlap;
    /** Split mode: the query (whose table is asked what its key is) and the requests in flight. */
    private final TableQuery query;
    private final int parallel;
    /** Set by the producer before it hands over ({@link #RANGES}); the consumer's from then on. */
    private volatile KeyRangeWalk ranges;
    private boolean split;

    // producer side (the producer thread, or the caller in on-demand mode)
    private final Set<URI> visited = new HashSet<>();
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(1);
    private ExecutorService http;
    private Thread producer;

    // consumer side
    private Parsed last;
    private int pages;
    private long delivered;
    private boolean finished;
    private boolean moreAvailable;

    private PageWalk(DatasetteClient client, String path, long limit, boolean all, boolean overlap) {
        this(client, path, limit, all, overlap, null, 1);
    }

    private PageWalk(DatasetteClient client, String path, long limit, boolean all, boolean overlap, TableQuery query,
            int parallel) {
        this.client = client;
        this.origin = client.uri("/");
        this.first = client.uri(path);
        this.limit = limit <= 0 ? Long.MAX_VALUE : limit;
        this.all = all;
        this.overlap = overlap;
        this.query = query;
        this.parallel = parallel;
    }

    /**
     * A walk that fetches ahead on background threads (started by the first {@link #next}).
     *
     * @param path the first page, relative to the instance ({@link TableQuery#path})
     * @param limit at most this many rows in all; 0 for no limit
     * @param all follow {@code next_url}; false: the first page only ({@link #moreAvailable} says
     *     whether the server offered another)
     */
    public static PageWalk overlapped(DatasetteClient client, String path, long limit, boolean all) {
        return new PageWalk(client, path, limit, all, true);
    }

    /**
     * The walk of a table query: with {@code all} and {@code parallel} above 1, split by key range
     * when the table allows it (several requests in flight, pages handed over in order, at most a
     * few pages per request in flight held); else {@link #overlapped(DatasetteClient, String, long, boolean)}.
     *
     * @param parallel requests in flight at most; 1 for one after another
     */
    public static PageWalk overlapped(DatasetteClient client, TableQuery query, long limit, boolean all, int parallel) {
        if (parallel != AUTO && (parallel < 1 || parallel > MAX_PARALLEL)) {
            throw new IllegalArgumentException("parallel must be from 1 to " + MAX_PARALLEL + ", not " + parallel);
        }
        if (!all || parallel == 1) return overlapped(client, query.path(), limit, all);
        return new PageWalk(client, query.path(), limit, true, true, query, parallel);
    }

    /** A walk over every page (up to {@code limit} rows; 0 for none), one request per {@link #next}. */
    public static PageWalk onDemand(DatasetteClient client, String path, long limit) {
        return new PageWalk(client, path, limit, true, false);
    }

    /**
     * The next page, or null when the walk is over (no {@code next_url}, the limit reached, or
     * only the first page was asked for).
     *
     * @throws DclientException when a page fails, or a guard stops the walk; the walk is over then
     */
    public Page next() {
        if (finished) return null;
        if (last != null) {
            if (delivered >= limit) return finish();
            if (last.stop() != null) {
                finish();
                throw new DclientException(last.stop() + "\nStopped after " + delivered
                        + " rows; the output is incomplete.", DclientException.Kind.SERVER);
            }
            if (!all) {
                moreAvailable = last.more();
                return finish();
            }
            if (!split && last.next() == null) return finish();
        }
        Object o = split ? takeRange() : overlap ? take() : fetchNow(last == null ? first : last.next());
        if (o == RANGES) {
            split = true;
            o = takeRange();
        }
        if (o == END) return finish();
        if (o instanceof Failed f) {
            finish();
            throw failure(f.error());
        }
        Parsed p = (Parsed) o;
        pages++;
        int wanted = (int) Math.min(p.count(), limit - delivered);
        delivered += wanted;
        last = p;
        return new Page(pages, p.uri(), p.content(), wanted);
    }

    /** Pages handed over so far. */
    public int pages() {
        return pages;
    }

    /** Rows handed over so far (counting only the {@link Page#wanted} ones). */
    public long rows() {
        return delivered;
    }

    /** Without {@code all}: whether the first page had a {@code next_url} (there are more rows). */
    public boolean moreAvailable() {
        return moreAvailable;
    }

    /** The key-range walk this walk handed over to, or null (for tests). */
    KeyRangeWalk keyRanges() {
        return ranges;
    }

    /** Stops the background threads, if any; the walk is over. Safe to call more than once. */
    @Override
    public void close() {
        finished = true;
        if (producer != null) producer.interrupt();
        if (http != null) http.shutdownNow();
        KeyRangeWalk r = ranges;
        if (r != null) r.close();
    }

    private Page finish() {
        close();
        return null;
    }

    /** A failure after the first page says what came before it; the first page's fails as it is. */
    private RuntimeException failure(RuntimeException e) {
        if (pages == 0 || !(e instanceof DclientException d)) return e;
        return d.withMessage(d.getMessage() + "\nPage " + (pages + 1) + " failed after " + delivered
                + " rows were written; the output is incomplete.");
    }

    // ---- split by key range ---------------------------------------------------------------------

    private Object takeRange() {
        try {
            return ranges.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw DclientException.interrupted("Interrupted.", e);
        }
    }

    // ---- on demand ------------------------------------------------------------------------------

    private Object fetchNow(URI uri) {
        try {
            visited.add(uri);
            return parse(client.get(uri), uri);
        } catch (RuntimeException e) {
            return new Failed(e);
        }
    }

    // ---- overlapped -----------------------------------------------------------------------------

    private Object take() {
        if (producer == null) {
            // split mode: the second page and the table's description are asked at once
            http = query != null ? Executors.newFixedThreadPool(2, daemon("dclient-rows-http"))
                    : Executors.newSingleThreadExecutor(daemon("dclient-rows-http"));
            producer = daemon("dclient-rows-parse").newThread(this::produce);
            producer.start();
        }
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw DclientException.interrupted("Interrupted.", e);
        }
    }

    /** The producer: fetch, parse, find the next page, hand over; repeat. */
    private void produce() {
        try {
            URI current = first;
            Future<Response> info = null;
            Future<Response> inflight = fetch(first);
            long produced = 0;
            long lastPageRows = -1;
            while (true) {
                visited.add(current);
                Response r = await(inflight);
                // Ask for the next page before parsing this one, when it is certainly needed (and
                // not where a split walk decides whether to split: the next page would be a part's).
                URI early = null;
                Future<Response> ahead = null;
                boolean needed = limit == Long.MAX_VALUE || (lastPageRows >= 0 && produced + 2 * lastPageRows < limit);
                if (all && needed && r.ok() && info == null) {
                    early = acceptable(peekNextUrl(r.body()), current);
                    if (early != null) ahead = fetch(early);
                }
                Parsed p = parse(r, current);
                if (query != null && produced == 0 && p.next() != null && (limit == Long.MAX_VALUE || 2L * p.count() < limit)) {
                    // more than two pages wanted: ask what the table's key is, beside the second page
                    info = http.submit(() -> client.get(KeyRangeWalk.infoPath(query)));
                } else if (info != null) {
                    KeyRangeWalk walk = splitAfter(p, produced, info);
                    info = null;
                    if (walk != null) {
                        ranges = walk;
                        if (Thread.currentThread().isInterrupted()) walk.close(); // closed meanwhile: close() may not have seen it
                        queue.put(p);
                        queue.put(RANGES);
                        return;
                    }
                }
                produced += p.content().count();
                lastPageRows = p.content().count();
                queue.put(p);
                if (!all || p.next() == null || produced >= limit) {
                    if (ahead != null) ahead.cancel(true);
                    queue.put(END);
                    return;
                }
                if (ahead != null && !p.next().equals(early)) {
                    ahead.cancel(true);
                    ahead = null;
                }
                inflight = ahead != null ? ahead : fetch(p.next());
                current = p.next();
            }
        } catch (InterruptedException e) {
            // the consumer is done (or failed): stop
        } catch (RuntimeException e) {
            try {
                queue.put(new Failed(e));
            } catch (InterruptedException ignored) {
                // the consumer is gone
            }
        }
    }

    /**
     * The walk of what comes after page {@code p} (after {@code before} rows) by key range,
     * started, when the table's description ({@code info}) and the page allow it; else null. A
     * description that failed or is not Datasette's only means no split.
     */
    private KeyRangeWalk splitAfter(Parsed p, long before, Future<Response> info) throws InterruptedException {
        // awaited even when the walk ends here, so that no request is left to arrive after it
        Response r;
        try {
            r = await(info);
        } catch (DclientException e) {
            if (e.kind() == DclientException.Kind.INTERRUPTED) throw new InterruptedException();
            return null;
        }
        if (p.next() == null || before + p.count() >= limit) return null;
        KeyRangeWalk.Plan plan = KeyRangeWalk.plan(query, r.ok() ? r.jsonOrNull() : null, p.content(), p.next());
        if (plan == null) return null;
        int inFlight = parallel;
        if (inFlight == AUTO) {
            boolean tls = client.baseUrl().regionMatches(true, 0, "https:", 0, 6);
            long setUp = client.connectNanos();
            if (!near(setUp, tls)) setUp = client.probeConnect(); // the first connection also paid for a cold JVM
            if (near(setUp, tls)) return null; // no round trip to hide: more requests only load the server
            inFlight = AUTO_PARALLEL;
        }
        Set<URI> fetched = new HashSet<>(visited);
        return new KeyRangeWalk(client, query, plan, inFlight, limit == Long.MAX_VALUE ? 0 : limit - before - p.count(),
                fetched);
    }

    private Future<Response> fetch(URI uri) {
        return http.submit(() -> client.get(uri));
    }

    private static Response await(Future<Response> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error er) throw er;
            throw new DclientException(String.valueOf(cause), cause);
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** The {@code next_url} read from the head of a page, before its rows; null when not there. */
    public static String peekNextUrl(byte[] body) {
        try (JsonParser p = Json.factory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("next_url")) return value == JsonToken.VALUE_STRING ? p.getText() : null;
                if (field.equals("rows")) return null; // the rows come first: wait for the full parse
                p.skipChildren();
            }
        } catch (IOException e) {
            // not JSON: the full parse says so
        }
        return null;
    }

    /** {@code url} resolved, if it is one the walk would follow; else null. */
    private URI acceptable(String url, URI current) {
        if (url == null || url.isEmpty()) return null;
        try {
            URI next = current.resolve(new URI(url));
            return DatasetteClient.sameOrigin(next, origin) && !visited.contains(next) ? next : null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    // ---- both -----------------------------------------------------------------------------------

    private Parsed parse(Response r, URI current) {
        return parse(client, origin, visited, all, r, current);
    }

    /**
     * A response as a page of a walk from {@code origin} that has fetched {@code visited}: its
     * content, and the next page's URL when {@code all} and the guards allow it (else why not).
     * {@link KeyRangeWalk} parses each part's pages with it, each part with its own visited set.
     */
    static Parsed parse(DatasetteClient client, URI origin, Set<URI> visited, boolean all, Response r, URI current) {
        Content content = Content.of(client, r, current);
        JsonNode n = content.head.get("next_url");
        boolean more = n != null && n.isTextual() && !n.asText().isEmpty();
        if (!all || !more) return new Parsed(content, current, null, more, null);
        try {
            return new Parsed(content, current, next(client, origin, visited, n.asText(), current), true, null);
        } catch (DclientException e) {
            return new Parsed(content, current, null, true, e.getMessage());
        }
    }

    /** The next page's URL; one on another origin, or one already fetched, is refused. */
    private static URI next(DatasetteClient client, URI origin, Set<URI> visited, String url, URI current) {
        URI next;
        try {
            next = current.resolve(new URI(url));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new DclientException("The server sent a next_url that is not a valid URL: " + Safe.line(Safe.maskUrls(url), 200));
        }
        if (!DatasetteClient.sameOrigin(next, origin)) {
            throw new DclientException("The server's next_url points to " + next.getScheme() + "://"
                    + Safe.line(Safe.maskUrls(next.getRawAuthority()), 200) + ", not to the instance " + Safe.maskUrl(client.baseUrl())
                    + "; not following it (the token is only sent to the instance)."
                    + " Check the instance URL, or Datasette's base_url setting behind a proxy.");
        }
        if (next.equals(current)) {
            throw new DclientException("The server's next_url is the page just fetched (" + Safe.maskUrl(next)
                    + "); not following it, to avoid a loop.");
        }
        if (visited.contains(next)) {
            throw new DclientException("The server's next_url points back to a page fetched before (" + Safe.maskUrl(next)
                    + "); not following it, to avoid a loop.");
        }
        return next;
    }
}
