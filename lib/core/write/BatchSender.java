package io.datasette.dclient.core.write;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.auth.TokenSource;
import io.datasette.dclient.core.json.Json;
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
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Collects rows into request bodies and POSTs them: a batch goes when it has
 * {@code batchSize} rows, when one more row would take the body past Datasette's 2 MiB
 * limit, or when {@link #flush()} is called (the interval timer, the end of the input).
 * Body = {@code prefix + row,row,... + suffix}, compact JSON, each row written once straight
 * into one reusable buffer.
 *
 * <p>Overlap, with exactly one request in flight: a full batch goes into a one-batch slot that
 * a single daemon sender thread takes from, one request after the other; the caller goes on
 * reading, typing and encoding the next batch while the server works, and waits only when the
 * slot is still taken. The sender thread takes the next batch as soon as an answer is in, so the
 * caller's thread is not on the path from one request to the next. After a failed request the
 * sender sends nothing more (the batch in the slot and the rest of the input are dropped);
 * the failure is rethrown to the caller at its next hand-over or {@link #settle()}, with
 * {@link #committed()} counting exactly the rows of the batches before the failed one and
 * {@link #failedBatch()} the rows of that batch. Requests go in input order. Call
 * {@link #close()} in every path: it ends the sender thread (interrupting a request in flight).
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
    private final WriteJob.CommitListener onCommitted;
    private final Consumer<JsonNode> onAnswer;
    /** Where batches go once the first has been accepted (create, then insert), or null: always {@link #uri}. */
    private volatile URI nextUri;
    private volatile byte[] nextPrefix;
    private volatile byte[] nextSuffix;
    /** The token sent and the table written, to explain a refusal ({@link #explainRefusals}); may be null. */
    private volatile TokenSource source;
    private volatile String database;
    private volatile String table;
    /** The sender thread only: a batch has been accepted. */
    private boolean accepted;

    /** The batch being filled (the caller's thread only). */
    private final Buffer body = new Buffer();
    private final JsonGenerator json;
    /** Column names, encoded once (see {@link #writeRow}); cleared if an input has very many distinct names. */
    private final Map<String, SerializedString> names = new IdentityHashMap<>();
    private static final int MAX_NAMES = 10_000;
    /** One serializer context for every nested value (what ObjectMapper would create per call). */
    private final SerializerProvider provider = Json.mapper().getSerializerProviderInstance();
    private int rows;
    /** The input offset after the last row added (-1: unknown). */
    private long offset = -1;
    private long lastFlush;

    /** Guards everything below; the sender thread and the caller wait on it. */
    private final Object lock = new Object();
    private Thread sender;
    /** The batch handed over and not yet taken by the sender thread (null when the slot is free). */
    private byte[] slot;
    private int slotRows;
    private long slotOffset;
    /** Rows of the request in flight (0 when none). */
    private int inFlightRows;
    private long committed;
    private long batches;
    /** What the failed request threw (reported once), and the rows of its batch. */
    private Throwable failure;
    private boolean failureReported;
    private int failedBatch;
    /** The sender thread is working on a batch (its request, then the callbacks for its answer). */
    private boolean busy;
    /** Set by {@link #close} and {@link #stop}: the sender thread ends; {@code stopped}: answers are not counted. */
    private boolean closing;
    private boolean stopped;

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
        this(client, path, prefix, suffix, batchSize, maxBody, clock, (n, offset) -> onCommitted.accept(n), onAnswer);
    }

    /**
     * As above, telling {@code onCommitted} the rows committed and the input offset after the
     * last of them (what {@link #add(ObjectNode, long)} was given with it).
     */
    BatchSender(DatasetteClient client, String path, String prefix, String suffix, int batchSize, int maxBody,
            Clock clock, WriteJob.CommitListener onCommitted, Consumer<JsonNode> onAnswer) {
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

    /**
     * Once a batch has been accepted, send the following ones to {@code path} with this prefix
     * and suffix around the same rows (a create followed by inserts). Call before adding rows.
     */
    void thenSendTo(String path, String prefix, String suffix) {
        this.nextPrefix = prefix.getBytes(StandardCharsets.UTF_8);
        this.nextSuffix = suffix.getBytes(StandardCharsets.UTF_8);
        this.nextUri = client.uri(path);
    }

    /** A 401/403 names {@code source} (the token sent) and how to get one that may write to {@code database/table}. */
    void explainRefusals(TokenSource source, String database, String table) {
        this.source = source;
        this.database = database;
        this.table = table;
    }

    /** Adds a row; may send the batch (and so first wait for the answer to the one before). */
    void add(ObjectNode row) throws InterruptedException {
        add(row, -1);
    }

    /**
     * Adds a row that ends at {@code offset} in the input (-1: unknown), told to the commit
     * listener with the batch that holds it as its last row.
     */
    void add(ObjectNode row, long offset) throws InterruptedException {
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
        this.offset = offset; // (after a carry: the rows sent ended at the offset before this one)
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
     * Waits until every batch handed over is answered; a failed request is rethrown here (once),
     * with {@link #failedBatch()} set to its rows.
     */
    void settle() throws InterruptedException {
        synchronized (lock) {
            while ((slot != null || busy) && failure == null) lock.wait();
            rethrow();
        }
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
        synchronized (lock) {
            return failedBatch;
        }
    }

    /** Ends the sender thread once it is idle; a request still in flight is interrupted (its outcome is unknown). */
    @Override
    public void close() {
        Thread t;
        synchronized (lock) {
            closing = true;
            slot = null;
            t = sender;
            lock.notifyAll();
        }
        if (t != null && t.isAlive()) t.interrupt();
    }

    /** What the server confirmed when {@link #stop} was called, and the rows of the request whose answer was not in. */
    record Stopped(long committed, int inFlight) {}

    /**
     * Stops (an interrupt): nothing more is sent and no later answer is counted; returns the rows
     * confirmed and the rows of the request in flight, which the server may or may not have
     * written. A batch waiting in the slot was never sent.
     */
    Stopped stop() {
        Stopped s;
        synchronized (lock) {
            stopped = true;
            s = new Stopped(committed, inFlightRows);
        }
        close();
        return s;
    }

    /** Hands the batch being filled to the sender thread, first waiting for the slot to be free. */
    private void send() throws InterruptedException {
        body.write(suffix);
        byte[] bytes = Arrays.copyOf(body.bytes, body.length);
        int n = rows;
        long end = offset;
        body.length = 0;
        body.write(prefix);
        rows = 0;
        synchronized (lock) {
            while (slot != null && failure == null) lock.wait();
            rethrow();
            if (closing) throw new IllegalStateException("the batch sender is closed");
            slot = bytes;
            slotRows = n;
            slotOffset = end;
            lock.notifyAll();
            if (sender == null) {
                sender = new Thread(this::sendAll, "dclient-write");
                sender.setDaemon(true);
                sender.start();
            }
        }
        lastFlush = clock.millis();
    }

    /** Throws the failure of a request, the first time the caller looks (under the lock). */
    private void rethrow() {
        if (failure == null || failureReported) return;
        failureReported = true;
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error er) throw er;
        throw new DclientException("Request to " + uri + " failed: " + failure, failure);
    }

    /** The sender thread: takes batches from the slot, one request at a time, until closed or a request fails. */
    private void sendAll() {
        while (true) {
            byte[] bytes;
            int n;
            long end;
            synchronized (lock) {
                while (slot == null && !closing) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (slot == null || stopped) return;
                bytes = slot;
                n = slotRows;
                end = slotOffset;
                slot = null;
                inFlightRows = n;
                busy = true;
                lock.notifyAll();
            }
            JsonNode answer;
            long done;
            try {
                URI target = uri;
                byte[] payload = bytes;
                if (accepted && nextUri != null) {
                    // the same rows between the follow-up's prefix and suffix
                    int rowsLength = bytes.length - prefix.length - suffix.length;
                    payload = new byte[nextPrefix.length + rowsLength + nextSuffix.length];
                    System.arraycopy(nextPrefix, 0, payload, 0, nextPrefix.length);
                    System.arraycopy(bytes, prefix.length, payload, nextPrefix.length, rowsLength);
                    System.arraycopy(nextSuffix, 0, payload, nextPrefix.length + rowsLength, nextSuffix.length);
                    target = nextUri;
                }
                answer = WritePost.answer(client, client.send("POST", target, "application/json", payload), source,
                        database, table);
                accepted = true;
            } catch (Throwable t) {
                synchronized (lock) {
                    if (!stopped) {
                        failure = t;
                        failedBatch = n;
                    }
                    inFlightRows = 0;
                    busy = false;
                    slot = null; // the batch read ahead is never sent
                    lock.notifyAll();
                }
                return;
            }
            synchronized (lock) {
                if (stopped) return;
                done = committed + n;
                committed = done;
                batches++;
                inFlightRows = 0; // counted: no longer "may or may not"
            }
            try {
                onCommitted.committed(done, end);
                if (onAnswer != null) onAnswer.accept(answer);
            } catch (RuntimeException | Error e) {
                synchronized (lock) {
                    failure = e;
                    busy = false;
                    slot = null;
                    lock.notifyAll();
                }
                return;
            }
            synchronized (lock) {
                busy = false;
                lock.notifyAll();
            }
        }
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
