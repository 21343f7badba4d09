package io.datasette.dclient.cli.commands.write;

import io.datasette.dclient.cli.Connections;

import io.datasette.dclient.core.write.BatchSender;
import io.datasette.dclient.core.write.Feed;
import io.datasette.dclient.core.write.Input;
import io.datasette.dclient.core.write.InputFormat;
import io.datasette.dclient.core.write.Progress;
import io.datasette.dclient.core.write.RowReader;
import io.datasette.dclient.core.write.TypeDetector;
import io.datasette.dclient.core.write.WriteRequest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.session.Session;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * insert and upsert: reads FILEPATH (or stdin) row by row, types CSV/TSV columns, and sends
 * batches of at most {@code --batch-size} rows (capped at Datasette's 100) and at least every
 * {@code --interval} seconds. Memory stays bounded by a batch plus the type-detection window
 * plus the reader queue, whatever the input size.
 */
public final class WriteCommand {
    /** Datasette's max_insert_rows: more rows per request are refused. */
    static final int MAX_BATCH = 100;
    /** Rows looked at before CSV/TSV column types are fixed (fewer if the interval or the input ends first). */
    public static final int TYPE_WINDOW = 1000;
    /** Rows the stdin reader thread may read ahead. */
    static final int QUEUE = 1000;

    enum Kind {
        INSERT("insert", "Inserting rows", "inserted"),
        UPSERT("upsert", "Upserting rows", "upserted");

        final String endpoint;
        final String label;
        final String done;

        Kind(String endpoint, String label, String done) {
            this.endpoint = endpoint;
            this.label = label;
            this.done = done;
        }
    }

    private final Kind kind;
    private final Invocation inv;
    private final Context ctx;

    WriteCommand(Kind kind, Invocation inv, Context ctx) {
        this.kind = kind;
        this.inv = inv;
        this.ctx = ctx;
    }

    int run() throws InterruptedException {
        String database = inv.string("database");
        String table = inv.string("table");
        String filepath = inv.string("filepath");
        boolean create = kind == Kind.INSERT && inv.flag("create");
        boolean replace = kind == Kind.INSERT && inv.flag("replace");
        boolean ignore = kind == Kind.INSERT && inv.flag("ignore");
        boolean alter = inv.flag("alter");
        List<String> pks = inv.strings("pk");
        if (replace && ignore) throw DclientException.usage("Use either --replace or --ignore, not both");
        int batchSize = batchSize();
        long intervalMillis = intervalMillis();
        if (!pks.isEmpty() && kind == Kind.UPSERT) {
            ctx.err().println("Note: upsert does not use --pk (the table's primary key decides); ignoring it.");
        } else if (!pks.isEmpty() && !create) {
            ctx.err().println("Note: --pk only applies with --create (when the table is created); ignoring it.");
        }
        InputFormat explicit = inputFormat(inv);
        Input.check(filepath, explicit);
        Input.charset(inv.string("encoding"));

        Session.Connection conn = Connections.open(inv, ctx);
        requireToken(conn.client());

        try (Input input = Input.open(filepath, explicit, inv.string("encoding"), ctx)) {
            if (input.format == null) {
                ctx.err().println("Nothing to " + kind.endpoint + ": " + input.name + " has no rows.");
                return 0;
            }
            WriteRequest request = (kind == Kind.UPSERT ? WriteRequest.upsert(database, table)
                    : WriteRequest.insert(database, table).replace(replace).ignore(ignore).create(create, pks))
                    .alter(alter);
            Progress progress = progress(input);
            BatchSender sender = request.sender(conn.client(), batchSize, ctx.clock(), progress::update, null);
            boolean detect = input.format.delimited() && !inv.flag("no-detect-types");
            RowReader reader = RowReader.of(input);
            boolean ok = false;
            try (Feed feed = input.regularFile ? Feed.direct(reader) : Feed.threaded(reader, QUEUE)) {
                pump(feed, sender, detect ? new TypeDetector() : null, intervalMillis, ctx.clock());
                ok = true;
            } catch (DclientException e) {
                throw e.withMessage(e.getMessage() + "\n" + summary(sender));
            } catch (CharacterCodingException e) {
                DclientException d = Input.decodeError(input.name, input.charset, reader.position());
                throw new DclientException(d.getMessage() + "\n" + summary(sender), d.kind(), e);
            } catch (IOException e) {
                throw new DclientException("Cannot read " + input.name + " (" + reader.position() + "): "
                        + e.getMessage() + "\n" + summary(sender), DclientException.Kind.INPUT, e);
            } finally {
                progress.end(ok);
            }
            if (sender.committed() == 0) {
                ctx.err().println("Nothing to " + kind.endpoint + ": " + input.name + " has no rows.");
            }
        }
        return 0;
    }

    /**
     * Moves rows from the feed to the sender. CSV/TSV rows are held back until their column types
     * are decided: after {@link #TYPE_WINDOW} rows, at the end of the input, or when the interval
     * is due, whichever comes first; from then on each row is converted as it arrives.
     */
    public static void pump(Feed feed, BatchSender sender, TypeDetector types, long intervalMillis, Clock clock)
            throws IOException, InterruptedException {
        List<ObjectNode> window = new ArrayList<>();
        while (true) {
            long now = clock.millis();
            long due = sender.lastFlush() + intervalMillis;
            if (now >= due) {
                release(window, sender, types);
                sender.flush();
                continue;
            }
            ObjectNode row = feed.poll(due - now);
            if (row == null) continue; // quiet input: the loop sends what is pending when due
            if (row == Feed.END) break;
            if (types == null) {
                sender.add(row);
            } else if (types.decided()) {
                sender.add(types.convert(row));
            } else {
                types.observe(row);
                window.add(row);
                if (window.size() >= TYPE_WINDOW) release(window, sender, types);
            }
        }
        release(window, sender, types);
        sender.flush();
    }

    private static void release(List<ObjectNode> window, BatchSender sender, TypeDetector types) {
        if (types == null || types.decided() || window.isEmpty()) return;
        types.decide();
        for (ObjectNode r : window) sender.add(types.convert(r));
        window.clear();
    }

    /** The line after a failure: how many rows made it, and what was not sent. */
    String summary(BatchSender sender) {
        long n = sender.committed();
        int failed = sender.failedBatch();
        String count = String.format(java.util.Locale.ROOT, "%,d", n) + (n == 1 ? " row was " : " rows were ") + kind.done;
        if (failed > 0) {
            String batch = failed == 1 ? "row " + (n + 1) : "rows " + (n + 1) + "-" + (n + failed);
            return n == 0
                    ? "Nothing was " + kind.done + ": the first batch (" + batch + ") failed, and the rest of the input was not sent."
                    : count + " before this batch (" + batch + ") failed; it and the rest of the input were not sent.";
        }
        return n == 0 ? "Nothing was " + kind.done + "." : count + " before this error; the rest of the input was not sent.";
    }

    private Progress progress(Input input) {
        if (inv.flag("silent") || !ctx.terminal().stderrIsTerminal()) return Progress.NONE;
        return new Progress(ctx.err(), ctx.clock(), kind.label, input.regularFile ? input.size : -1, input::bytesRead);
    }

    private int batchSize() {
        Long b = inv.integer("batch-size");
        if (b == null) return MAX_BATCH;
        if (b < 1) throw DclientException.usage("--batch-size must be at least 1");
        if (b > MAX_BATCH) {
            ctx.err().println("Note: Datasette accepts at most " + MAX_BATCH + " rows per request; using --batch-size "
                    + MAX_BATCH + ".");
            return MAX_BATCH;
        }
        return b.intValue();
    }

    private long intervalMillis() {
        Double i = inv.decimal("interval");
        if (i == null) return 10_000;
        if (!(i > 0) || i.isInfinite()) throw DclientException.usage("--interval must be a positive number of seconds");
        return Math.max(1, Math.round(i * 1000));
    }

    /** Writes need a token: refuse before reading or sending anything, and say how to set one up. */
    static void requireToken(DatasetteClient client) {
        if (client.hasToken()) return;
        String l = client.label();
        throw new DclientException("Writing to " + l + " needs an API token, and none is set up for it. Either:\n"
                + "    dclient auth add " + l + "      (paste a token)\n"
                + "    dclient login " + l + "         (if the instance has datasette-oauth)\n"
                + "or pass --token TOKEN, or set the DATASETTE_TOKEN environment variable.");
    }

    /** From {@code --csv/--tsv/--json/--nl}; null when none is given. */
    static InputFormat inputFormat(Invocation inv) {
        if (inv.flag("csv")) return InputFormat.CSV;
        if (inv.flag("tsv")) return InputFormat.TSV;
        if (inv.flag("json")) return InputFormat.JSON;
        if (inv.flag("nl")) return InputFormat.NL;
        return null;
    }

}
