package io.datasette.dclient.core.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.auth.TokenSource;
import io.datasette.dclient.core.http.DatasetteClient;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.CharacterCodingException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;
import java.util.function.LongUnaryOperator;

/**
 * One insert or upsert run to the end of its rows, the same for the {@code insert}/{@code upsert}
 * commands and for {@code Datasette.insert/upsert}: rows come from an {@link Input} (CSV/TSV
 * values typed from a look-ahead window) or an iterator, go out in batches of at most the batch
 * size (and 2 MiB), and a partial batch goes at least every interval. Up to {@link #parallel}
 * requests are in flight while the next batch is read, typed and encoded ({@link BatchSender}),
 * and the effects on the table ({@code replace}/{@code ignore}, upserts, conflicts,
 * auto-assigned keys) stay exactly as if the requests were sent one after another: batches that
 * share a primary key value never overlap, and a table without a usable primary key is written
 * one batch at a time. Memory stays bounded by the batches in flight, the type window and the
 * reader's queue, whatever the input size.
 *
 * <p>A failure throws {@link DclientException}: its message, then a line saying which rows were
 * written, which failed, which may or may not have been written (sent, and no answer came), and
 * that the rest was not sent ({@code 200 rows were inserted before this batch (rows 201-300)
 * failed; ...}, or {@code Rows 1-4,800 and 4,901-5,200 were inserted; rows 4,801-4,900 failed;
 * ...}; see {@link Outcome}). An interrupt stops it with {@link DclientException.Kind#INTERRUPTED}
 * and says what the server confirmed and which batches in flight may or may not be written.
 *
 * <pre>{@code new WriteJob(client, WriteRequest.insert("db", "t")).batchSize(100).run(input)}</pre>
 */
public final class WriteJob {
    /** Datasette's default max_insert_rows: the command line sends no more rows per request. */
    public static final int MAX_BATCH = 100;
    /** The command line's --interval default. */
    public static final long DEFAULT_INTERVAL_MILLIS = 10_000;
    /** Rows looked at before CSV/TSV column types are fixed (fewer if the interval or the input ends first). */
    static final int TYPE_WINDOW = 1000;
    /** Rows the stdin reader thread may read ahead. */
    static final int QUEUE = 1000;
    /** Requests in flight unless told otherwise (the command line's --parallel default). */
    public static final int DEFAULT_PARALLEL = 4;
    /** More requests in flight than this are not made: Datasette writes one request at a time anyway. */
    public static final int MAX_PARALLEL = 16;

    private final DatasetteClient client;
    private final WriteRequest request;
    private int batchSize = MAX_BATCH;
    private int parallel = DEFAULT_PARALLEL;
    private long intervalMillis = Long.MAX_VALUE;
    private boolean detectTypes = true;
    private LongConsumer onCommitted = n -> {};
    private CommitListener onProgress = (n, bytes) -> {};
    private Clock clock = Clock.systemUTC();

    private TokenSource tokenSource;

    public WriteJob(DatasetteClient client, WriteRequest request) {
        this.client = Objects.requireNonNull(client, "client");
        this.request = Objects.requireNonNull(request, "request");
    }

    /** Rows per request (default {@link #MAX_BATCH}). */
    public WriteJob batchSize(int rows) {
        if (rows < 1) throw new IllegalArgumentException("batchSize must be at least 1, not " + rows);
        this.batchSize = rows;
        return this;
    }

    /**
     * Requests in flight at once (default {@link #DEFAULT_PARALLEL}, at most {@link #MAX_PARALLEL}:
     * more is taken as that); 1 sends one batch after another.
     */
    public WriteJob parallel(int requests) {
        if (requests < 1) throw new IllegalArgumentException("parallel must be at least 1, not " + requests);
        this.parallel = Math.min(requests, MAX_PARALLEL);
        return this;
    }

    /** Sends a partial batch when this long has passed since the last one (default: never). */
    public WriteJob intervalMillis(long millis) {
        if (millis < 1) throw new IllegalArgumentException("the interval must be positive, not " + millis);
        this.intervalMillis = millis;
        return this;
    }

    /** Types CSV/TSV values (integer, float, text) from the first rows (default on; JSON is sent as it is). */
    public WriteJob detectTypes(boolean on) {
        this.detectTypes = on;
        return this;
    }

    /**
     * Told the rows the server has accepted so far, after each answer; called from the threads
     * that send the requests, one call at a time, with a count that only grows.
     */
    public WriteJob onCommitted(LongConsumer listener) {
        this.onCommitted = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Told, after each answer, the rows the server has accepted so far and how many bytes of the
     * input they came from (the end of the last of them, exact for single-byte text and estimated
     * otherwise; -1 for rows from an iterator; with several requests in flight, the end of the
     * rows confirmed without a gap from the first): what a progress bar shows against the file
     * size. Called from the threads that send the requests, one call at a time.
     */
    public WriteJob onProgress(CommitListener listener) {
        this.onProgress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Rows committed and the input they came from; see {@link #onProgress}. */
    @FunctionalInterface
    public interface CommitListener {
        void committed(long rows, long inputBytes);
    }

    /** The token the client sends and where it came from, so a refusal can say which token it was. */
    public WriteJob tokenSource(TokenSource source) {
        this.tokenSource = source;
        return this;
    }

    /** The clock of the interval (default: the system clock). */
    public WriteJob clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Sends every row of an opened input (nothing when it has no format: only white space). */
    public Result run(Input input) {
        if (input.format == null) return new Result(0, 0, List.of());
        RowReader reader = RowReader.of(input);
        TypeDetector types = detectTypes && input.format.delimited() ? new TypeDetector() : null;
        try (Feed feed = input.regularFile ? Feed.direct(reader) : Feed.threaded(reader, QUEUE)) {
            return run(feed, types, input::bytesAt, e -> e instanceof CharacterCodingException
                    ? Input.decodeError(input.name, input.charset, reader.position())
                    : new DclientException("Cannot read " + input.name + " (" + reader.position() + "): "
                            + e.getMessage(), DclientException.Kind.INPUT, e));
        }
    }

    /** Sends the rows of an iterator, read in the caller's thread as the batches fill; a null row is an error. */
    public Result run(Iterator<? extends ObjectNode> rows) {
        try (Feed feed = Feed.of(rows)) {
            return run(feed, null, offset -> -1, e -> new DclientException("Cannot read the rows: " + e.getMessage(),
                    DclientException.Kind.INPUT, e));
        }
    }

    private interface ReadError {
        DclientException of(IOException e);
    }

    private Result run(Feed feed, TypeDetector types, LongUnaryOperator bytesAt, ReadError readError) {
        List<JsonNode> returned = Collections.synchronizedList(new ArrayList<>());
        CommitListener committed = (n, offset) -> {
            onCommitted.accept(n);
            onProgress.committed(n, bytesAt.applyAsLong(offset));
        };
        BatchSender sender = request.sender(client, batchSize, clock, committed, answer -> {
            if (answer.path("rows").isArray()) answer.get("rows").forEach(returned::add);
        });
        sender.parallel(parallel, () -> TableKeys.lookup(client, request.database(), request.table()));
        sender.explainRefusals(tokenSource, request.database(), request.table());
        try {
            pump(feed, sender, types, intervalMillis, clock);
            return new Result(sender.committed(), sender.batches(), returned);
        } catch (InterruptedException e) {
            throw interrupted(sender, e);
        } catch (IOException e) {
            if (e instanceof ClosedByInterruptException || Thread.currentThread().isInterrupted()) {
                throw interrupted(sender, new InterruptedException());
            }
            throw failed(sender, readError.of(e));
        } catch (DclientException e) {
            throw failed(sender, e);
        } catch (RuntimeException | Error e) {
            // not ours (a caller's iterator): the answer in flight comes first, as it would have
            DclientException before = settle(sender);
            if (before != null) throw before;
            throw e;
        } finally {
            sender.close();
        }
    }

    /**
     * Moves rows from the feed to the sender. CSV/TSV rows are held back until their column types
     * are decided: after {@link #TYPE_WINDOW} rows, at the end of the input, or when the interval
     * is due, whichever comes first; from then on each row is converted as it arrives. Returns
     * once the last batch is answered.
     */
    static void pump(Feed feed, BatchSender sender, TypeDetector types, long intervalMillis, Clock clock)
            throws IOException, InterruptedException {
        List<ObjectNode> window = new ArrayList<>();
        long[] offsets = new long[TYPE_WINDOW];
        Thread self = Thread.currentThread();
        while (true) {
            if (self.isInterrupted()) throw new InterruptedException();
            long now = clock.millis();
            long last = sender.lastFlush();
            long due = last > Long.MAX_VALUE - intervalMillis ? Long.MAX_VALUE : last + intervalMillis;
            if (now >= due) {
                release(window, offsets, sender, types);
                sender.flush();
                continue;
            }
            ObjectNode row = feed.poll(due - now);
            if (row == null) continue; // quiet input: the loop sends what is pending when due
            if (row == Feed.END) break;
            long offset = feed.offset();
            if (types == null) {
                sender.add(row, offset);
            } else if (types.decided()) {
                sender.add(types.convert(row), offset);
            } else {
                types.observe(row);
                offsets[window.size()] = offset;
                window.add(row);
                if (window.size() >= TYPE_WINDOW) release(window, offsets, sender, types);
            }
        }
        release(window, offsets, sender, types);
        sender.flush();
        sender.settle();
    }

    private static void release(List<ObjectNode> window, long[] offsets, BatchSender sender, TypeDetector types)
            throws InterruptedException {
        if (types == null || types.decided() || window.isEmpty()) return;
        types.decide();
        for (int i = 0; i < window.size(); i++) sender.add(types.convert(window.get(i)), offsets[i]);
        window.clear();
    }

    /**
     * A failure with the line that says what became of the rows. A failure on the reading side
     * first lets the batches already handed over go (as they would have gone, one after another,
     * before that row was read): if one of them fails, its failure is the one reported. A
     * failure of a batch comes once the batches in flight with it have been answered.
     */
    private DclientException failed(BatchSender sender, DclientException e) {
        DclientException before = settle(sender);
        if (before != null) return before;
        return e.withMessage(e.getMessage() + "\n" + sender.outcome().afterFailure(request.done()));
    }

    /** Waits for the batches handed over; a failure (with the summary), an interrupt, or null when they went through. */
    private DclientException settle(BatchSender sender) {
        try {
            sender.settle();
            return null;
        } catch (InterruptedException ie) {
            return interrupted(sender, ie);
        } catch (DclientException d) {
            return d.withMessage(d.getMessage() + "\n" + sender.outcome().afterFailure(request.done()));
        }
    }

    private DclientException interrupted(BatchSender sender, InterruptedException e) {
        Thread.currentThread().interrupt();
        return DclientException.interrupted("Interrupted.\n" + sender.stop().afterInterrupt(request.done()), e);
    }

    /**
     * What a job did.
     *
     * @param rowCount rows written (every batch was accepted)
     * @param requests requests made
     * @param returned the {@code rows} of the server's answers, in order (Datasette sends them
     *     with {@code return}), as they came: not checked to be objects
     */
    public record Result(long rowCount, long requests, List<JsonNode> returned) {
        public Result {
            returned = List.copyOf(returned);
        }
    }
}
