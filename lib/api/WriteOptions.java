package io.datasette.dclient.api;

import io.datasette.dclient.core.write.WriteJob;
import java.util.List;

/**
 * How {@link Datasette#insert} and {@link Datasette#upsert} send rows: the flags of Datasette's
 * write API ({@code replace}, {@code ignore}, {@code alter}, {@code return}), creating the table
 * when it is missing, the batch size and the requests in flight. Immutable; each method returns a changed copy.
 *
 * <pre>{@code ds.insert("fixtures", "pets", rows, WriteOptions.defaults().replace().returning())}</pre>
 */
public final class WriteOptions {
    /** Rows per request unless {@link #batchSize} says otherwise (Datasette's default maximum). */
    public static final int DEFAULT_BATCH_SIZE = 100;
    /** Requests in flight unless {@link #parallel} says otherwise. */
    public static final int DEFAULT_PARALLEL = WriteJob.DEFAULT_PARALLEL;

    private final boolean replace;
    private final boolean ignore;
    private final boolean alter;
    private final boolean returning;
    private final boolean create;
    private final List<String> pks;
    private final int batchSize;
    private final int parallel;

    private WriteOptions(boolean replace, boolean ignore, boolean alter, boolean returning, boolean create,
            List<String> pks, int batchSize, int parallel) {
        this.replace = replace;
        this.ignore = ignore;
        this.alter = alter;
        this.returning = returning;
        this.create = create;
        this.pks = List.copyOf(pks);
        this.batchSize = batchSize;
        this.parallel = parallel;
    }

    /**
     * No flags, batches of 100 rows, up to 4 requests in flight.
     *
     * <pre>{@code WriteOptions opts = WriteOptions.defaults();}</pre>
     */
    public static WriteOptions defaults() {
        return new WriteOptions(false, false, false, false, false, List.of(), DEFAULT_BATCH_SIZE, DEFAULT_PARALLEL);
    }

    /**
     * Replace rows whose primary key already exists (insert only; needs update-row too).
     *
     * <pre>{@code WriteOptions.defaults().replace()}</pre>
     */
    public WriteOptions replace() {
        if (ignore) throw new IllegalArgumentException("replace and ignore cannot be combined");
        return new WriteOptions(true, false, alter, returning, create, pks, batchSize, parallel);
    }

    /**
     * Skip rows whose primary key already exists (insert only).
     *
     * <pre>{@code WriteOptions.defaults().ignore()}</pre>
     */
    public WriteOptions ignore() {
        if (replace) throw new IllegalArgumentException("replace and ignore cannot be combined");
        return new WriteOptions(false, true, alter, returning, create, pks, batchSize, parallel);
    }

    /**
     * Add columns the table does not have yet (needs alter-table).
     *
     * <pre>{@code WriteOptions.defaults().alter()}</pre>
     */
    public WriteOptions alter() {
        return new WriteOptions(replace, ignore, true, returning, create, pks, batchSize, parallel);
    }

    /**
     * Ask the server to send the written rows back; they end up in {@link WriteResult#rows()}.
     *
     * <pre>{@code WriteOptions.defaults().returning()}</pre>
     */
    public WriteOptions returning() {
        return new WriteOptions(replace, ignore, alter, true, create, pks, batchSize, parallel);
    }

    /**
     * Create the table from the rows if it does not exist, with these primary key columns (none:
     * a rowid table); like {@code dclient insert --create --pk id}. Insert only.
     *
     * <pre>{@code WriteOptions.defaults().create("id")}</pre>
     */
    public WriteOptions create(String... primaryKeys) {
        return new WriteOptions(replace, ignore, alter, returning, true, List.of(primaryKeys), batchSize, parallel);
    }

    /**
     * Rows per request (default 100, which is also Datasette's default maximum).
     *
     * <pre>{@code WriteOptions.defaults().batchSize(50)}</pre>
     */
    public WriteOptions batchSize(int rows) {
        if (rows < 1) throw new IllegalArgumentException("batchSize must be at least 1, not " + rows);
        return new WriteOptions(replace, ignore, alter, returning, create, pks, rows, parallel);
    }

    /**
     * Requests in flight at once (default 4; at most 16, more is taken as 16; 1 sends one batch
     * after another). The rows end up as if sent one after another: batches that share a
     * primary key value never overlap, and a table without a declared primary key (or with
     * other unique constraints or triggers) is written one batch at a time. A failure says
     * which rows were written, which failed and which may or may not have been written.
     *
     * <pre>{@code WriteOptions.defaults().parallel(8)}</pre>
     */
    public WriteOptions parallel(int requests) {
        if (requests < 1) throw new IllegalArgumentException("parallel must be at least 1, not " + requests);
        return new WriteOptions(replace, ignore, alter, returning, create, pks, batchSize, requests);
    }

    /** Requests in flight at once. <pre>{@code opts.parallel()}</pre> */
    public int parallel() {
        return parallel;
    }

    /** Whether {@link #replace()} is set. <pre>{@code opts.isReplace()}</pre> */
    public boolean isReplace() {
        return replace;
    }

    /** Whether {@link #ignore()} is set. <pre>{@code opts.isIgnore()}</pre> */
    public boolean isIgnore() {
        return ignore;
    }

    /** Whether {@link #alter()} is set. <pre>{@code opts.isAlter()}</pre> */
    public boolean isAlter() {
        return alter;
    }

    /** Whether {@link #returning()} is set. <pre>{@code opts.isReturning()}</pre> */
    public boolean isReturning() {
        return returning;
    }

    /** Whether {@link #create(String...)} is set. <pre>{@code opts.isCreate()}</pre> */
    public boolean isCreate() {
        return create;
    }

    /** The primary key columns given to {@link #create(String...)}. <pre>{@code opts.primaryKeys()}</pre> */
    public List<String> primaryKeys() {
        return pks;
    }

    /** Rows per request. <pre>{@code opts.batchSize()}</pre> */
    public int batchSize() {
        return batchSize;
    }

    /** Lists the options that are set. <pre>{@code System.out.println(opts);}</pre> */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("WriteOptions[batchSize=").append(batchSize);
        if (parallel != DEFAULT_PARALLEL) sb.append(", parallel=").append(parallel);
        if (replace) sb.append(", replace");
        if (ignore) sb.append(", ignore");
        if (alter) sb.append(", alter");
        if (returning) sb.append(", returning");
        if (create) sb.append(", create").append(pks.isEmpty() ? "" : " pk " + String.join(",", pks));
        return sb.append(']').toString();
    }
}
