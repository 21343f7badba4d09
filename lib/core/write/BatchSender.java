package io.datasette.dclient.core.write;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Collects rows into request bodies and POSTs them: a batch goes when it has
 * {@code batchSize} rows, when one more row would take the body past Datasette's 2 MiB
 * limit, or when {@link #flush()} is called (the interval timer, the end of the input).
 * Body = {@code prefix + row,row,... + suffix}, compact JSON, each row written once straight
 * into one reusable buffer.
 *
 * <p>Overlap, with exactly one request in flight: a full batch is handed to a single daemon
 * sender thread, and the caller goes on reading, typing and encoding the next batch while the
 * server works. Before the next batch is handed over, the caller waits for the answer to the
 * previous one ({@link #settle()}); a failed request is rethrown there, so the batch encoded
 * meanwhile (and the rest of the input) is never sent, {@link #committed()} counts exactly the
 * rows of the batches before the failed one and {@link #failedBatch()} the rows of that batch.
 * The order of requests is the order of the input. Call {@link #close()} in every path: it
 * stops the sender thread (interrupting a request still in flight).
 */
final class BatchSender implements AutoCloseable {
    /** Datasette's default max_post_body_bytes. */
    static final int MAX_BODY = 2 * 1024 * 1024;

    private final DatasetteClient client;
    private final URI uri;
    private final byte[] prefix;
    private final byte[] suffix;
    private final int batchSize;
    private final int maxBody;
    private final Clock clock;
    private final LongConsumer onCommitted;
    private final Consumer<JsonNode> onAnswer;

    /** The batch being filled (the caller's thread only). */
    private final Buffer body = new Buffer();
    private final JsonGenerator json;
    /** Column names, encoded once (see {@link #writeRow}); cleared if an input has very many distinct names. */
    private final Map<String, SerializedString> names = new IdentityHashMap<>();
    private static final int MAX_NAMES = 10_000;
    /** One serializer context for every nested value (what ObjectMapper would create per call). */
    private final SerializerProvider provider = Json.mapper().getSerializerProviderInstance();
    private int rows;
    private long lastFlush;

    private ExecutorService sender;
    /** The request in flight, or null; and how many rows it carries. */
    private Future<?> inFlight;
    private int inFlightRows;
    /** Guards the three fields below, written by the sender thread, read by the caller and by {@link #stop}. */
    private final Object lock = new Object();
    private long committed;
    private long batches;
    /** Rows of the request in flight until its answer is counted. */
    private int unanswered;
    /** Set by {@link #stop}: answers that come later are not counted (their rows "may or may not" be written). */
    private boolean stopped;
    /** Rows in the batch whose request failed, else 0. */
    private int failedBatch;

    BatchSender(DatasetteClient client, String path, String prefix, String suffix, int batchSize, int maxBody,
            Clock clock, LongConsumer onCommitted) {
        this(client, path, prefix, suffix, batchSize, maxBody, clock, onCommitted, null);
    }

    /**
     * As above; {@code onAnswer} (may be null) gets the server's answer to each batch that went
     * through. Both callbacks run on the sender thread, one call at a time, in request order.
     */
    BatchSender(DatasetteClient client, String path, String prefix, String suffix, int batchSize, int maxBody,
            Clock clock, LongConsumer onCommitted, Consumer<JsonNode> onAnswer) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be at least 1, not " + batchSize);
        this.client = client;
        this.uri = client.uri(path);
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        this.suffix = suffix.getBytes(StandardCharsets.UTF_8);
        this.batchSize = batchSize;
        this.maxBody = maxBody;
        this.clock = clock;
        this.onCommitted = onCommitted;
        this.onAnswer = onAnswer;
        this.lastFlush = clock.millis();
        try {
            this.json = Json.factory().createGenerator(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        json.setRootValueSeparator(null);
        body.write(this.prefix);
    }

    /** Adds a row; may send the batch (and so first wait for the answer to the one before). */
    void add(ObjectNode row) throws InterruptedException {
        int mark = body.length;
        if (rows > 0) body.write(',');
        int start = body.length;
        try {
            writeRow(row);
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (rows > 0 && body.length + suffix.length > maxBody) {
            // this row would take the body past the limit: send the rows before it, keep it for the next
            byte[] carry = Arrays.copyOfRange(body.bytes, start, body.length);
            body.length = mark;
            send();
            body.write(carry);
        }
        rows++;
        if (rows >= batchSize) send();
    }

    /**
     * Writes a row as {@code ObjectNode.serialize} would (the same bytes), with each column name
     * encoded once: rows of one input share their key strings (the CSV header, the JSON
     * parser's symbol table), so names are cached by identity.
     */
    private void writeRow(ObjectNode row) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, JsonNode> e : row.properties()) {
            String key = e.getKey();
            SerializedString name = names.get(key);
            if (name == null) {
                if (names.size() >= MAX_NAMES) names.clear();
                name = new SerializedString(key);
                names.put(key, name);
            }
            json.writeFieldName(name);
            JsonNode v = e.getValue();
            switch (v.getNodeType()) {
                case STRING -> json.writeString(v.textValue());
                case NULL -> json.writeNull();
                case NUMBER -> {
                    if (v.isInt() || v.isLong()) {
                        json.writeNumber(v.longValue());
                    } else if (v.isDouble()) {
                        json.writeNumber(v.doubleValue());
                    } else {
                        v.serialize(json, provider);
                    }
                }
                default -> v.serialize(json, provider);
            }
        }
        json.writeEndObject();
    }

    /** Sends what is pending (if anything) and restarts the interval. */
    void flush() throws InterruptedException {
        if (rows > 0) {
            send();
        } else {
            lastFlush = clock.millis();
        }
    }

    /**
     * Waits for the answer to the request in flight, if any; a failed request is rethrown here
     * (once), with {@link #failedBatch()} set to its rows.
     */
    void settle() throws InterruptedException {
        if (inFlight == null) return;
        try {
            inFlight.get();
        } catch (ExecutionException e) {
            failedBatch = inFlightRows;
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error er) throw er;
            throw new DclientException("Request to " + uri + " failed: " + cause, cause);
        } finally {
            // an interrupted wait leaves the request in flight, for close() to stop
            if (inFlight.isDone()) {
                inFlight = null;
                inFlightRows = 0;
            }
        }
    }

    /** Rows in the batch the server has not answered yet (0 when none is in flight). */
    int inFlight() {
        return inFlight == null ? 0 : inFlightRows;
    }

    /** Rows waiting in the batch being filled. */
    int pending() {
        return rows;
    }

    /** Rows the server has accepted so far. */
    long committed() {
        synchronized (lock) {
            return committed;
        }
    }

    long batches() {
        synchronized (lock) {
            return batches;
        }
    }

    long lastFlush() {
        return lastFlush;
    }

    int failedBatch() {
        return failedBatch;
    }

    /** Stops the sender thread; a request still in flight is interrupted (its outcome is unknown). */
    @Override
    public void close() {
        if (sender != null) sender.shutdownNow();
    }

    /** What the server confirmed when {@link #stop} was called, and the rows of a request whose answer was not in. */
    record Stopped(long committed, int inFlight) {}

    /**
     * Stops (an interrupt): from now on no answer is counted; returns the rows confirmed and the
     * rows of the request in flight, which the server may or may not have written.
     */
    Stopped stop() {
        boolean answered = inFlight == null || inFlight.isDone(); // looked at first: see the lock below
        Stopped s;
        synchronized (lock) {
            stopped = true;
            s = new Stopped(committed, answered ? 0 : unanswered);
        }
        close();
        return s;
    }

    private void send() throws InterruptedException {
        body.write(suffix);
        byte[] bytes = Arrays.copyOf(body.bytes, body.length);
        int n = rows;
        body.length = 0;
        body.write(prefix);
        rows = 0;
        settle();
        lastFlush = clock.millis();
        inFlightRows = n;
        synchronized (lock) {
            unanswered = n;
        }
        inFlight = sender().submit(() -> post(bytes, n));
    }

    /** On the sender thread: one request, and what follows from its answer. */
    private void post(byte[] bytes, int n) {
        JsonNode answer = WritePost.answer(client, client.send("POST", uri, "application/json", bytes));
        long done;
        synchronized (lock) {
            if (stopped) return;
            done = committed + n;
            committed = done;
            batches++;
            unanswered = 0;
        }
        onCommitted.accept(done);
        if (onAnswer != null) onAnswer.accept(answer);
    }

    private ExecutorService sender() {
        if (sender == null) {
            sender = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "dclient-write");
                t.setDaemon(true);
                return t;
            });
        }
        return sender;
    }

    /** A growable byte array that the JSON generator writes into; reset, never shrunk. */
    private static final class Buffer extends OutputStream {
        byte[] bytes = new byte[16 * 1024];
        int length;

        private void room(int more) {
            if (length + more > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }

        @Override
        public void write(int b) {
            room(1);
            bytes[length++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            room(len);
            System.arraycopy(b, off, bytes, length, len);
            length += len;
        }

        @Override
        public void write(byte[] b) {
            write(b, 0, b.length);
        }
    }
}
