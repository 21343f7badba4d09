package io.datasette.dclient.cli.commands.write;

import io.datasette.dclient.core.NotFound;
import io.datasette.dclient.core.data.Missing;
import io.datasette.dclient.cli.Connections;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.session.Session;
import io.datasette.dclient.core.write.Input;
import io.datasette.dclient.core.write.InputFormat;
import io.datasette.dclient.core.write.Progress;
import io.datasette.dclient.core.write.WriteJob;
import io.datasette.dclient.core.write.WriteRequest;
import java.util.List;

/**
 * insert and upsert: reads the options, opens FILEPATH (or stdin), and runs a {@link WriteJob}
 * (batching, typing, the interval, the failure summary) with a progress line on a terminal.
 */
final class WriteCommand {
    enum Kind {
        INSERT("insert", "Inserting rows"),
        UPSERT("upsert", "Upserting rows");

        final String endpoint;
        final String label;

        Kind(String endpoint, String label) {
            this.endpoint = endpoint;
            this.label = label;
        }
    }

    /** insert's own options ({@code upsert} has none of them), read by its handler. */
    record InsertOptions(boolean create, boolean replace, boolean ignore) {
        static final InsertOptions NONE = new InsertOptions(false, false, false);
    }

    private final Kind kind;
    private final Invocation inv;
    private final Context ctx;
    private final InsertOptions insert;

    WriteCommand(Kind kind, Invocation inv, Context ctx, InsertOptions insert) {
        this.kind = kind;
        this.inv = inv;
        this.ctx = ctx;
        this.insert = insert;
    }

    /**
     * {@code --batch-size}: none given is {@link WriteJob#MAX_BATCH}, Datasette's most per request;
     * less than 1 is a usage error; more is capped, with a note.
     */
    private int batchSize(Long requested) {
        if (requested == null) return WriteJob.MAX_BATCH;
        if (requested < 1) throw DclientException.usage("--batch-size must be at least 1");
        if (requested > WriteJob.MAX_BATCH) {
            ctx.err().println("Note: Datasette accepts at most " + WriteJob.MAX_BATCH + " rows per request; using --batch-size "
                    + WriteJob.MAX_BATCH + ".");
            return WriteJob.MAX_BATCH;
        }
        return requested.intValue();
    }

    /** {@code --interval} seconds as milliseconds: none given is 10 s; it must be a positive number. */
    private static long intervalMillis(Double seconds) {
        if (seconds == null) return WriteJob.DEFAULT_INTERVAL_MILLIS;
        if (!(seconds > 0) || seconds.isInfinite()) {
            throw DclientException.usage("--interval must be a positive number of seconds");
        }
        return Math.max(1, Math.round(seconds * 1000));
    }

    int run() {
        String database = inv.string("database");
        String table = inv.string("table");
        String filepath = inv.string("filepath");
        boolean create = insert.create();
        boolean replace = insert.replace();
        boolean ignore = insert.ignore();
        List<String> pks = inv.strings("pk");
        if (replace && ignore) throw DclientException.usage("Use either --replace or --ignore, not both");
        int batchSize = batchSize(inv.integer("batch-size"));
        long intervalMillis = intervalMillis(inv.decimal("interval"));
        int parallel = parallel(inv.integer("parallel"));
        if (!pks.isEmpty() && kind == Kind.UPSERT) {
            ctx.err().println("Note: upsert does not use --pk (the table's primary key decides); ignoring it.");
        } else if (!pks.isEmpty() && !create) {
            ctx.err().println("Note: --pk only applies with --create (when the table is created); ignoring it.");
        }
        InputFormat explicit = inputFormat(inv);
        if (filepath.equals("-") && explicit == null) {
            throw DclientException.usage("Reading from standard input needs an explicit format: add --csv, --tsv,"
                    + " --json, --nl, --lines or --text (e.g. dclient insert DB TABLE - --csv)");
        }
        Input.check(filepath, explicit);
        Input.charset(inv.string("encoding"));

        Session.Connection conn = Connections.open(inv, ctx);
        try (Input input = Input.open(filepath, explicit, inv.string("encoding"), ctx)) {
            long written = 0;
            if (input.format != null) {
                WriteRequest request = (kind == Kind.UPSERT ? WriteRequest.upsert(database, table)
                        : WriteRequest.insert(database, table).replace(replace).ignore(ignore).create(create, pks))
                        .alter(inv.flag("alter"));
                Progress progress = progress(input);
                boolean ok = false;
                try {
                    written = new WriteJob(conn.client(), request).tokenSource(conn.token()).batchSize(batchSize).parallel(parallel).intervalMillis(intervalMillis)
                            .detectTypes(!inv.flag("no-detect-types")).onProgress(progress::update).clock(ctx.clock())
                            .run(input).rowCount();
                    ok = true;
                } catch (DclientException e) {
                    throw Missing.explain(e, conn.client(), Missing.Target.table(database, NotFound.Origin.GIVEN, table));
                } finally {
                    progress.end(ok);
                }
            }
            if (written == 0) ctx.err().println("Nothing to " + kind.endpoint + ": " + input.name + " has no rows.");
        }
        return 0;
    }

    /** {@code --parallel N}: at least 1; more than the most the writer makes is capped, with a note. */
    private int parallel(Long requested) {
        if (requested == null) return WriteJob.DEFAULT_PARALLEL;
        if (requested < 1) throw DclientException.usage("--parallel must be at least 1");
        if (requested > WriteJob.MAX_PARALLEL) {
            ctx.err().println("Note: at most " + WriteJob.MAX_PARALLEL + " requests are kept in flight; using --parallel "
                    + WriteJob.MAX_PARALLEL + ".");
            return WriteJob.MAX_PARALLEL;
        }
        return requested.intValue();
    }

    private Progress progress(Input input) {
        if (inv.flag("silent") || !ctx.terminal().stderrIsTerminal()) return Progress.NONE;
        return new Progress(ctx.err(), ctx.clock(), kind.label, input.regularFile ? input.size : -1);
    }

    /** From {@code --csv/--tsv/--json/--nl/--lines/--text}, the first in this order; null when none is given. */
    static InputFormat inputFormat(Invocation inv) {
        if (inv.flag("csv")) return InputFormat.CSV;
        if (inv.flag("tsv")) return InputFormat.TSV;
        if (inv.flag("json")) return InputFormat.JSON;
        if (inv.flag("nl")) return InputFormat.NL;
        if (inv.flag("lines")) return InputFormat.LINES;
        if (inv.flag("text")) return InputFormat.TEXT;
        return null;
    }
}
