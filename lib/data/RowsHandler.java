package io.datasette.dclient.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.cli.Context;
import io.datasette.dclient.cli.DclientException;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.http.DatasetteClient;
import io.datasette.dclient.http.Query;
import io.datasette.dclient.http.Response;
import io.datasette.dclient.http.Tilde;
import io.datasette.dclient.output.Format;
import io.datasette.dclient.output.RowWriter;
import io.datasette.dclient.session.Session;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code rows [DB] TABLE}: one page of a table, or with {@code --all} every page, following
 * {@code next_url}. Rows are written as each page arrives (only one page is ever held), the
 * walk stops when stdout goes away, {@code --limit} caps the total across pages, and a
 * {@code next_url} on another origin than the instance's is refused.
 */
public final class RowsHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        Long size = inv.integer("size");
        Long limit = inv.integer("limit");
        if (size != null && size < 0) throw DclientException.usage("--size must be a positive number of rows per page");
        if (limit != null && limit < 0) throw DclientException.usage("--limit must be a positive number of rows (0 means no limit)");
        Session.Connection conn = Session.open(inv, ctx);
        String database;
        String table;
        if (inv.string("table_name") != null) {
            database = inv.string("db_or_table");
            table = inv.string("table_name");
        } else {
            table = inv.string("db_or_table");
            database = conn.database(inv);
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
     * Walks the pages of one table, writing rows as they come. While a page is being written the
     * next one is already being fetched (in one background thread), so at most two pages are
     * held at any time and the writing overlaps the server's and the network's time.
     */
    static final class Walk {
        private final DatasetteClient client;
        private final RowWriter writer;
        private final long limit;
        private final boolean all;
        private final URI origin;
        private ExecutorService fetcher;
        int pages;
        boolean moreAvailable;

        Walk(DatasetteClient client, RowWriter writer, long limit, boolean all) {
            this.client = client;
            this.writer = writer;
            this.limit = limit;
            this.all = all;
            this.origin = client.uri("/");
        }

        void run(URI first) {
            URI current = first;
            Future<JsonNode> ahead = null;
            boolean done = false;
            try {
                JsonNode page = fetch(current);
                while (page != null) {
                    pages++;
                    if (pages == 1 && page.path("columns").isArray()) {
                        List<String> cols = new ArrayList<>();
                        page.path("columns").forEach(c -> cols.add(c.asText()));
                        writer.columns(cols);
                    }
                    JsonNode rows = page.path("rows");
                    if (!rows.isArray()) {
                        throw new DclientException("Unexpected response from " + current + ": it has no \"rows\" list");
                    }
                    URI next;
                    String stop = null; // why the walk cannot go on after this page
                    try {
                        next = next(page, current);
                    } catch (DclientException e) {
                        next = null;
                        stop = e.getMessage();
                    }
                    boolean follow = next != null && all && writer.count() + rows.size() < limit;
                    if (next != null && !all && writer.count() + rows.size() < limit) moreAvailable = true;
                    if (follow) ahead = prefetch(next);
                    for (JsonNode row : rows) {
                        if (writer.count() >= limit) break;
                        writer.row(row);
                    }
                    if (writer.broken()) break; // stdout went away (| head): stop quietly
                    if (stop != null && writer.count() < limit) {
                        throw new DclientException(stop + "\nStopped after " + writer.count()
                                + " rows; the output is incomplete.");
                    }
                    if (!follow) break;
                    current = next;
                    page = await(ahead);
                    ahead = null;
                }
                done = true;
            } finally {
                if (ahead != null) ahead.cancel(true);
                if (fetcher != null) fetcher.shutdownNow();
                // After a failure the rows already written are closed off (valid JSON/CSV), but a
                // failed first page writes nothing at all.
                if (done || pages > 0) writer.finish();
            }
        }

        private Future<JsonNode> prefetch(URI uri) {
            if (fetcher == null) {
                fetcher = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "dclient-rows-prefetch");
                    t.setDaemon(true);
                    return t;
                });
            }
            return fetcher.submit(() -> fetch(uri));
        }

        /** The prefetched page; a failure says how far the output got. */
        private JsonNode await(Future<JsonNode> f) {
            try {
                return f.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof DclientException d) {
                    throw new DclientException(d.getMessage() + "\nPage " + (pages + 1) + " failed after "
                            + writer.count() + " rows were written; the output is incomplete.", d.exitCode(), d);
                }
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) throw re;
                if (cause instanceof Error er) throw er;
                throw new DclientException(String.valueOf(cause), cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DclientException("Interrupted.", DclientException.INTERRUPTED, e);
            }
        }

        private JsonNode fetch(URI uri) {
            return client.json(client.get(uri));
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
