package io.datasette.dclient.cli.commands.data;

import io.datasette.dclient.cli.Connections;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Query;
import io.datasette.dclient.core.http.Response;
import io.datasette.dclient.core.http.Tilde;
import io.datasette.dclient.cli.output.Format;
import io.datasette.dclient.cli.output.RowWriter;
import io.datasette.dclient.core.session.Session;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * {@code rows [DB] TABLE}: one page of a table, or with {@code --all} every page, following
 * {@code next_url}. Rows are written as each page arrives (a few pages are held at most, however
 * big the table), the walk stops when stdout goes away, {@code --limit} caps the total across pages, and a
 * {@code next_url} on another origin than the instance's is refused.
 */
public final class RowsHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        Long size = inv.integer("size");
        Long limit = inv.integer("limit");
        if (size != null && size < 0) throw DclientException.usage("--size must be a positive number of rows per page");
        if (limit != null && limit < 0) throw DclientException.usage("--limit must be a positive number of rows (0 means no limit)");
        Session.Connection conn = Connections.open(inv, ctx);
        String database;
        String table;
        if (inv.string("table_name") != null) {
            database = inv.string("db_or_table");
            table = inv.string("table_name");
        } else {
            table = inv.string("db_or_table");
            database = Connections.database(conn, inv);
        }
        String path = path(database, table, inv);
        RowWriter writer = RowWriter.create(Format.from(inv), ctx.out());
        Walk walk = new Walk(conn.client(), writer, limit == null || limit == 0 ? Long.MAX_VALUE : limit,
                inv.flag("all"));
        walk.run(conn.client().uri(path));
        if (walk.moreAvailable && ctx.terminal().stderrIsTerminal()) {
            ctx.err().println("(showing the first " + writer.count() + " rows; there are more: add --all"
                    + (limit != null && limit > 0 ? " to follow pages up to --limit" : "") + ")");
        }
        return 0;
    }

    /**
     * The first page's path and query: {@code _shape=objects}, the filters in command-line order
     * ({@code eq} means {@code exact}), {@code _search}, {@code _sort}, {@code _sort_desc},
     * {@code _size}, every {@code _col}, every {@code _nocol}.
     */
    static String path(String database, String table, Invocation inv) {
        Query q = Query.of().add("_shape", "objects");
        for (List<String> f : inv.tuples("filter")) {
            String op = f.get(1).equals("eq") ? "exact" : f.get(1);
            if (f.get(0).isEmpty() || op.isEmpty()) {
                throw DclientException.usage("-f/--filter needs COLUMN OP VALUE, e.g. -f age gt 3");
            }
            q.add(f.get(0) + "__" + op, f.get(2));
        }
        q.add("_search", inv.string("search"));
        q.add("_sort", inv.string("sort"));
        q.add("_sort_desc", inv.string("sort-desc"));
        Long size = inv.integer("size");
        if (size != null && size > 0) q.add("_size", size);
        for (String c : inv.strings("col")) q.add("_col", c);
        for (String c : inv.strings("nocol")) q.add("_nocol", c);
        return "/" + Tilde.encode(database) + "/" + Tilde.encode(table) + ".json" + q;
    }

    /**
     * Walks the pages of one table, writing rows as they come. Three stages overlap: a fetcher
     * thread does the HTTP, a producer thread parses each page and works out the next URL, and
     * the calling thread writes rows. The next page is requested as soon as its {@code next_url}
     * has been read from the head of the current one (Datasette sends it before the rows), but
     * only when that page is certainly needed (no {@code --limit}, or enough rows still wanted).
     * A queue of one page keeps at most about four pages in memory, whatever the table size.
     */
    static final class Walk {
        private static final Object END = new Object();

        private final DatasetteClient client;
        private final RowWriter writer;
        private final long limit;
        private final boolean all;
        private final URI origin;
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(1);
        private ExecutorService http;
        int pages;
        boolean moreAvailable;

        /** A parsed page, the next page's URL (null for none) or why the walk cannot go on. */
        private record Page(JsonNode body, URI uri, URI next, String stop) {}

        private record Failed(RuntimeException error) {}

        Walk(DatasetteClient client, RowWriter writer, long limit, boolean all) {
            this.client = client;
            this.writer = writer;
            this.limit = limit;
            this.all = all;
            this.origin = client.uri("/");
        }

        void run(URI first) {
            http = Executors.newSingleThreadExecutor(daemon("dclient-rows-http"));
            Thread producer = daemon("dclient-rows-parse").newThread(() -> produce(first));
            producer.start();
            boolean done = false;
            try {
                while (true) {
                    Object o = take();
                    if (o == END) break;
                    if (o instanceof Failed f) {
                        if (pages == 0 || !(f.error() instanceof DclientException d)) throw f.error();
                        throw new DclientException(d.getMessage() + "\nPage " + (pages + 1) + " failed after "
                                + writer.count() + " rows were written; the output is incomplete.", d.exitCode(), d);
                    }
                    Page page = (Page) o;
                    pages++;
                    if (pages == 1 && page.body().path("columns").isArray()) {
                        List<String> cols = new ArrayList<>();
                        page.body().path("columns").forEach(c -> cols.add(c.asText()));
                        writer.columns(cols);
                    }
                    for (JsonNode row : page.body().path("rows")) {
                        if (writer.count() >= limit) break;
                        writer.row(row);
                    }
                    if (writer.broken()) break; // stdout went away (| head): stop quietly
                    if (writer.count() >= limit) break;
                    if (page.stop() != null) {
                        throw new DclientException(page.stop() + "\nStopped after " + writer.count()
                                + " rows; the output is incomplete.");
                    }
                    if (!all) {
                        moreAvailable = page.next() != null;
                        break;
                    }
                }
                done = true;
            } finally {
                producer.interrupt();
                http.shutdownNow();
                // After a failure the rows already written are closed off (valid JSON/CSV), but a
                // failed first page writes nothing at all.
                if (done || pages > 0) writer.finish();
            }
        }

        private Object take() {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DclientException("Interrupted.", DclientException.INTERRUPTED, e);
            }
        }

        /** The producer: fetch, parse, find the next page, hand over; repeat. */
        private void produce(URI first) {
            try {
                URI current = first;
                Future<Response> inflight = fetch(first);
                long produced = 0;
                long lastPageRows = -1;
                while (true) {
                    Response r = await(inflight);
                    // Ask for the next page before parsing this one, when it is certainly needed.
                    URI early = null;
                    Future<Response> ahead = null;
                    boolean needed = limit == Long.MAX_VALUE || (lastPageRows >= 0 && produced + 2 * lastPageRows < limit);
                    if (all && needed && r.ok()) {
                        early = acceptable(peekNextUrl(r.body()), current);
                        if (early != null) ahead = fetch(early);
                    }
                    JsonNode body = client.json(r);
                    JsonNode rows = body.path("rows");
                    if (!rows.isArray()) {
                        throw new DclientException("Unexpected response from " + current + ": it has no \"rows\" list");
                    }
                    URI next = null;
                    String stop = null;
                    try {
                        next = next(body, current);
                    } catch (DclientException e) {
                        stop = e.getMessage();
                    }
                    produced += rows.size();
                    lastPageRows = rows.size();
                    queue.put(new Page(body, current, next, stop));
                    if (!all || next == null || produced >= limit) {
                        if (ahead != null) ahead.cancel(true);
                        queue.put(END);
                        return;
                    }
                    if (ahead != null && !next.equals(early)) {
                        ahead.cancel(true);
                        ahead = null;
                    }
                    inflight = ahead != null ? ahead : fetch(next);
                    current = next;
                }
            } catch (InterruptedException e) {
                // the writer is done (or failed): stop
            } catch (RuntimeException e) {
                try {
                    queue.put(new Failed(e));
                } catch (InterruptedException ignored) {
                    // the writer is gone
                }
            }
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
        static String peekNextUrl(byte[] body) {
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
                return DatasetteClient.sameOrigin(next, origin) && !next.equals(current) ? next : null;
            } catch (URISyntaxException | IllegalArgumentException e) {
                return null;
            }
        }

        /** The next page's URL, or null; one on another origin than the instance is refused. */
        private URI next(JsonNode page, URI current) {
            JsonNode n = page.get("next_url");
            if (n == null || n.isNull() || !n.isTextual() || n.asText().isEmpty()) return null;
            URI next;
            try {
                next = current.resolve(new URI(n.asText()));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new DclientException("The server sent a next_url that is not a valid URL: " + n.asText());
            }
            if (!DatasetteClient.sameOrigin(next, origin)) {
                if (!all) return next; // not followed anyway
                throw new DclientException("The server's next_url points to " + next.getScheme() + "://"
                        + next.getRawAuthority() + ", not to the instance " + client.baseUrl()
                        + "; not following it (the token is only sent to the instance)."
                        + " Check the instance URL, or Datasette's base_url setting behind a proxy.");
            }
            if (next.equals(current)) {
                throw new DclientException("The server's next_url is the page just fetched (" + next
                        + "); not following it, to avoid a loop.");
            }
            return next;
        }
    }
}
