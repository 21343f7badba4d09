package io.datasette.dclient.cli.commands.data;

import io.datasette.dclient.core.NotFound;
import io.datasette.dclient.core.data.Missing;
import io.datasette.dclient.cli.Connections;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.cli.output.RowWriter;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.data.PageWalk;
import io.datasette.dclient.core.data.TableQuery;
import io.datasette.dclient.core.session.Session;
import java.util.List;

/**
 * {@code rows [DB] TABLE}: one page of a table, or with {@code --all} every page, following
 * {@code next_url} ({@link PageWalk}, which fetches ahead and guards against loops and other
 * origins; with {@code --parallel N} it keeps up to N requests in flight on a table it can split
 * by key, and hands the pages over in order). Rows are written as each page arrives (a few pages
 * are held at most, however big the table), the walk stops when stdout goes away, and
 * {@code --limit} caps the total across pages.
 */
public final class RowsHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        Long size = inv.integer("size");
        Long limit = inv.integer("limit");
        Long parallel = inv.integer("parallel");
        if (size != null && size < 0) throw DclientException.usage("--size must be a positive number of rows per page");
        if (limit != null && limit < 0) throw DclientException.usage("--limit must be a positive number of rows (0 means no limit)");
        if (parallel != null && (parallel < 1 || parallel > PageWalk.MAX_PARALLEL)) {
            throw DclientException.usage("--parallel must be from 1 (one request at a time) to " + PageWalk.MAX_PARALLEL);
        }
        Session.Connection conn = Connections.open(inv, ctx);
        Session.DatabaseName database;
        String table;
        if (inv.string("table_name") != null) {
            database = new Session.DatabaseName(inv.string("db_or_table"), NotFound.Origin.GIVEN);
            table = inv.string("table_name");
        } else {
            table = inv.string("db_or_table");
            database = Connections.databaseName(conn, inv);
        }
        RowWriter writer = RowWriter.create(inv, ctx);
        boolean more;
        TableQuery query = query(database.name(), table, inv);
        if (inv.flag("all")) query = query.forEveryPage();
        try (PageWalk walk = PageWalk.overlapped(conn.client(), query, limit == null ? 0 : limit, inv.flag("all"),
                parallel == null ? PageWalk.AUTO : parallel.intValue())) {
            write(walk, writer);
            more = walk.moreAvailable();
        } catch (DclientException e) {
            throw Missing.explain(e, conn.client(), Missing.Target.table(database.name(), database.origin(), table));
        }
        if (more && ctx.terminal().stderrIsTerminal()) {
            ctx.err().println("(showing the first " + writer.count() + " rows; there are more: add --all"
                    + (limit != null && limit > 0 ? " to follow pages up to --limit" : "") + ")");
        }
        return 0;
    }

    /**
     * The options as a table query: {@code -f COL OP VALUE} (a known operator), then
     * {@code --filter-raw COL OP VALUE} (any), {@code --search}, sorting, size, columns.
     */
    static TableQuery query(String database, String table, Invocation inv) {
        TableQuery q = TableQuery.of(database, table);
        for (List<String> f : inv.tuples("filter")) {
            if (f.get(0).isEmpty() || f.get(1).isEmpty()) {
                throw DclientException.usage("-f/--filter needs COLUMN OP VALUE, e.g. -f age gt 3");
            }
            q = q.withFilter(f.get(0), f.get(1), f.get(2));
        }
        for (List<String> f : inv.tuples("filter-raw")) {
            if (f.get(0).isEmpty() || f.get(1).isEmpty()) {
                throw DclientException.usage("--filter-raw needs COLUMN OP VALUE, e.g. --filter-raw location near 10");
            }
            q = q.withRawFilter(f.get(0), f.get(1), f.get(2));
        }
        return q.withSearch(inv.string("search")).withSort(inv.string("sort"), inv.string("sort-desc"))
                .withPageSize(inv.integer("size")).withColumns(inv.strings("col")).withoutColumns(inv.strings("nocol"));
    }

    /**
     * Writes the walk's rows. After a failure the rows already written are closed off (valid
     * JSON/CSV), but a failed first page writes nothing at all.
     */
    private static void write(PageWalk walk, RowWriter writer) {
        boolean done = false;
        try {
            for (PageWalk.Page page = walk.next(); page != null; page = walk.next()) {
                if (page.number() == 1) writer.columns(page.columns());
                writer.rows(page);
                if (writer.broken()) break; // stdout went away (| head): stop quietly
            }
            done = true;
        } finally {
            if (done || walk.pages() > 0) writer.finish();
        }
    }
}
