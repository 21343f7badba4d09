package io.datasette.dclient.core.write;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.auth.TokenSource;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
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
 * <p>Overlap: a full batch is handed to sender threads that POST it while the caller goes on
 * reading, typing and encoding the next one; the caller waits only when a batch is already
 * waiting for its turn. With {@link #parallel} 1 (the default) one request is in flight at a
 * time, in input order. With more, batches start in input order, and one starts while others
 * are out only once the first batch has been accepted (so a created table exists) and the
 * table's keys are known ({@link TableKeys}, asked once, while the second batch goes alone), and
 * only if it shares no key value with a batch in flight; a table without usable keys, or a
 * batch holding a row without a key value, goes one at a time. So every effect on the table
 * (replace, ignore, upsert, a conflict, an auto-assigned key) is the one the sequential order
 * would have had.
 *
 * <p>After a batch fails, nothing more is sent (batches waiting their turn and the rest of the
 * input are dropped); the batches in flight are awaited, and the failure is rethrown to the
 * caller at its next hand-over or {@link #settle()}, with {@link #outcome()} saying what became
 * of every row sent. Commit callbacks run on the sender threads, one call at a time, with counts
 * that only grow. Call {@link #close()} in every path: it ends the sender threads (interrupting
 * requests in flight).
 */
final class BatchSender implements AutoCloseable {
    /** Datasette's default max_post_body_bytes. */
    static final int MAX_BODY = 2 * 1024 * 1024;

    /** Finds the keys of the table written (see {@link TableKeys#lookup}); null: one batch at a time. */
    @FunctionalInterface
    interface KeyLookup {
        TableKeys find();
    }

    private enum Keys { UNKNOWN, LOOKING, KNOWN, NONE }

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
    private int parallel = 1;
    private KeyLookup lookup;

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
    /** The keys of the rows of the batch being filled; its rows while the table's keys are unknown. */
    private Set<String> keys = new HashSet<>();
    private List<ObjectNode> held = new ArrayList<>();
    private boolean keyless;

    /** Guards everything below; sender threads and the caller wait on it. */
    private final Object lock = new Object();
    /** Batches handed over and not started, in input order (at most {@link #WAITING}). */
    private final ArrayDeque<Batch> waiting = new ArrayDeque<>();
    private static final int WAITING = 1;
    /** Batches started and not yet part of the confirmed prefix: in flight, or ended out of order. */
    private final TreeMap<Long, Batch> open = new TreeMap<>();
    private int inFlight;
    /** Key values of the batches in flight (with counts), and how many of them hold a row without a key. */
    private final Map<String, Integer> keysInFlight = new HashMap<>();
    private int keylessInFlight;
    private volatile Keys keyState = Keys.NONE;
    private volatile TableKeys tableKeys;
    /** Batches 1..prefixBatches (rows 1..prefixRows) are all confirmed; the input offset after the last of them. */
    private long prefixBatches;
    private long prefixRows;
    private long prefixOffset = -1;
    private long committed;
    private long batches;
    private long nextSeq = 1;
    private long handedRows;
    private boolean accepted;
    /** A batch did not go through (or a callback threw): nothing more starts. */
    private boolean failed;
    /** What a commit callback threw, rethrown as it is. */
    private Throwable callbackFailure;
    private boolean failureReported;
    /** The sender threads and the key lookup's, to end them; how many sender threads, and how many wait for a batch. */
    private final List<Thread> threads = new ArrayList<>();
    private int workers;
    private int idle;
    /** Confirmed batches whose callbacks have not run yet: {@link #settle} waits for them. */
    private int telling;
    /** Answers of confirmed batches, released to {@link #onAnswer} in input order. */
    private final ArrayDeque<JsonNode> answers = new ArrayDeque<>();
    /** Set by {@link #close} and {@link #stop}: the sender threads end; {@code stopped}: answers are not counted. */
    private boolean closing;
    private boolean stopped;

    /** One call to the commit callbacks at a time, in the order of the counts. */
    private final Object callbacks = new Object();
    private long lastTold = -1;

    /** One batch: its rows' place in the input, its body until sent, its keys, and what became of it. */
    private static final class Batch {
        long seq;
        long first;
        final int rows;
        final long end;
        byte[] body;
        Set<String> keys;
        List<ObjectNode> held;
        boolean keyless;
        /** Its keys are counted in {@link #keysInFlight}. */
        boolean counted;
        Outcome.State state;
        Throwable failure;
        JsonNode answer;

        Batch(byte[] body, int rows, long end, Set<String> keys, List<ObjectNode> held, boolean keyless) {
            this.body = body;
            this.rows = rows;
            this.end = end;
            this.keys = keys;
            this.held = held;
            this.keyless = keyless;
        }

        long last() {
            return first + rows - 1;
        }
    }

    BatchSender(DatasetteClient client, String path, String prefix, String suffix, int batchSize, int maxBody,
            Clock clock, LongConsumer onCommitted) {
        this(client, path, prefix, suffix, batchSize, maxBody, clock, onCommitted, null);
    }

    /**
     * As above; {@code onAnswer} (may be null) gets the server's answer to each batch that went
     * through, in input order. Both callbacks run on the sender threads, one call at a time.
     */
    BatchSender(DatasetteClient client, String path, String prefix, String suffix, int batchSize, int maxBody,
            Clock clock, LongConsumer onCommitted, Consumer<JsonNode> onAnswer) {
        this(client, path, prefix, suffix, batchSize, maxBody, clock, (n, offset) -> onCommitted.accept(n), onAnswer);
    }

    /**
     * As above, telling {@code onCommitted} the rows committed and the input offset after the
     * last row of the confirmed prefix (what {@link #add(ObjectNode, long)} was given with it).
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

    /**
     * Up to {@code n} requests in flight, once {@code lookup} (called once, after the first batch
     * has been accepted) has named the table's keys. Call before adding rows.
     */
    void parallel(int n, KeyLookup lookup) {
        if (n < 1) throw new IllegalArgumentException("parallel must be at least 1, not " + n);
        this.parallel = n;
        this.lookup = lookup;
        this.keyState = n > 1 && lookup != null ? Keys.UNKNOWN : Keys.NONE;
    }

    /** Adds a row; may send the batch (and so first wait for the one waiting to start). */
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
        note(row);
        this.offset = offset; // (after a carry: the rows sent ended at the offset before this one)
        rows++;
        if (rows >= batchSize) send();
    }

    /** Keeps the row's key for the batch being filled (or the row itself, until the table's keys are known). */
    private void note(ObjectNode row) {
        Keys state = keyState;
        if (state == Keys.NONE) return;
        if (state == Keys.KNOWN) {
            String key = tableKeys.of(row);
            if (key == null) {
                keyless = true;
            } else {
                keys.add(key);
            }
        } else {
            held.add(row);
        }
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
     * Waits until every batch handed over is answered (after a failure: every batch in flight);
     * a failure is rethrown here, once.
     */
    void settle() throws InterruptedException {
        synchronized (lock) {
            while (!stopped && (inFlight > 0 || telling > 0 || !failed && !waiting.isEmpty())) lock.wait();
            rethrow();
        }
    }

    /** Rows the server has accepted so far. */
    long committed() {
        synchronized (lock) {
            return committed;
        }
    }

    /** Requests the server accepted. */
    long batches() {
        synchronized (lock) {
            return batches;
        }
    }

    long lastFlush() {
        return lastFlush;
    }

    /** Whether a batch did not go through (or a callback threw). */
    boolean failed() {
        synchronized (lock) {
            return failed;
        }
    }

    /**
     * No batch can start until an answer comes in: none may start now, and the keys are not
     * being looked up (their answer could let one start). Tests use it to know when the writer
     * has sent all it will.
     */
    boolean stalled() {
        synchronized (lock) {
            return keyState != Keys.LOOKING && !startable();
        }
    }

    /** What became of the rows sent so far, batch by batch (batches in flight as {@link Outcome.State#IN_FLIGHT}). */
    Outcome outcome() {
        synchronized (lock) {
            List<Outcome.Span> spans = new ArrayList<>();
            if (prefixRows > 0) spans.add(new Outcome.Span(1, prefixRows, Outcome.State.COMMITTED, (int) prefixBatches, null));
            for (Batch b : open.values()) {
                String message = b.failure == null ? null : firstLine(failure(b.failure).getMessage());
                spans.add(new Outcome.Span(b.first, b.last(), b.state, 1, message));
            }
            return new Outcome(spans);
        }
    }

    private static String firstLine(String message) {
        if (message == null) return null;
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /**
     * Ends the sender threads; requests still in flight are interrupted (their outcome is
     * unknown). Waits a little for them, so that no request leaves after the write has returned.
     */
    @Override
    public void close() {
        List<Thread> all;
        synchronized (lock) {
            closing = true;
            waiting.clear();
            all = new ArrayList<>(threads);
            lock.notifyAll();
        }
        for (Thread t : all) {
            if (t.isAlive()) t.interrupt();
        }
        if (Thread.currentThread().isInterrupted()) return; // stopping: the user is not kept waiting
        try {
            for (Thread t : all) t.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long {@link #close} waits for each interrupted thread (an interrupt closes its connection at once). */
    private static final long CLOSE_WAIT_MILLIS = 1_000;

    /**
     * Stops (an interrupt): nothing more is sent and no later answer is counted; returns what
     * became of the rows sent, those in flight being ones the server may or may not have
     * written. Batches waiting their turn were never sent.
     */
    Outcome stop() {
        Outcome o;
        synchronized (lock) {
            o = outcome();
            stopped = true;
        }
        close();
        return o;
    }

    /** Hands the batch being filled over, first waiting for room; after a failure, awaits the batches in flight and throws it. */
    private void send() throws InterruptedException {
        body.write(suffix);
        Batch b = new Batch(Arrays.copyOf(body.bytes, body.length), rows, offset, keys, held, keyless);
        body.length = 0;
        body.write(prefix);
        rows = 0;
        Keys state = keyState;
        keys = state == Keys.NONE ? null : new HashSet<>();
        held = state == Keys.UNKNOWN || state == Keys.LOOKING ? new ArrayList<>() : null;
        keyless = false;
        synchronized (lock) {
            while (waiting.size() >= WAITING && !failed && !closing) lock.wait();
            if (failed) {
                while (inFlight > 0 && !stopped) lock.wait();
                rethrow();
                throw new IllegalStateException("a batch failed: nothing more is sent");
            }
            if (closing) throw new IllegalStateException("the batch sender is closed");
            b.seq = nextSeq++;
            b.first = handedRows + 1;
            handedRows += b.rows;
            keyed(b);
            waiting.add(b);
            if (keyState == Keys.UNKNOWN && accepted && b.seq >= 3) look();
            if (idle == 0 && (workers == 0 || keyState == Keys.KNOWN && workers < parallel)) spawn();
            lock.notifyAll();
        }
        lastFlush = clock.millis();
    }

    /** Gives {@code b} the keys of its held rows once the table's keys are known (under the lock). */
    private void keyed(Batch b) {
        if (keyState == Keys.NONE) {
            b.held = null;
            b.keys = null;
            return;
        }
        if (keyState != Keys.KNOWN || b.held == null) return;
        if (b.keys == null) b.keys = new HashSet<>();
        for (ObjectNode row : b.held) {
            String key = tableKeys.of(row);
            if (key == null) {
                b.keyless = true;
            } else {
                b.keys.add(key);
            }
        }
        b.held = null;
    }

    /**
     * Asks for the table's keys in a thread of its own, while the batches go one at a time (under
     * the lock). Only once the first batch has been accepted (a created table exists) and a third
     * batch is there: the first always goes alone, so two batches gain nothing from the question.
     */
    private void look() {
        keyState = Keys.LOOKING;
        Thread t = new Thread(() -> {
            TableKeys found = null;
            try {
                found = lookup.find();
            } catch (RuntimeException e) {
                // no keys: one batch at a time, as before
            }
            synchronized (lock) {
                threads.remove(Thread.currentThread());
                if (closing) return;
                tableKeys = found;
                keyState = found == null ? Keys.NONE : Keys.KNOWN;
                for (Batch b : open.values()) {
                    if (b.state != Outcome.State.IN_FLIGHT) continue;
                    keyed(b);
                    count(b);
                }
                for (Batch b : waiting) keyed(b);
                if (idle == 0 && !waiting.isEmpty() && keyState == Keys.KNOWN && workers < parallel) spawn();
                lock.notifyAll();
            }
        }, "dclient-write-keys");
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void spawn() {
        workers++;
        Thread t = new Thread(this::work, "dclient-write");
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Whether the first waiting batch may start now (under the lock). */
    private boolean startable() {
        if (failed || closing || waiting.isEmpty()) return false;
        if (inFlight == 0) return true;
        if (inFlight >= parallel || keyState != Keys.KNOWN || !accepted || keylessInFlight > 0) return false;
        Batch head = waiting.peek();
        if (head.keyless || head.keys == null) return false;
        for (String k : head.keys) {
            if (keysInFlight.containsKey(k)) return false;
        }
        return true;
    }

    /** Counts the keys of a batch in flight (under the lock). */
    private void count(Batch b) {
        if (b.counted || keyState != Keys.KNOWN || b.held != null) return;
        b.counted = true;
        if (b.keyless) {
            keylessInFlight++;
        } else if (b.keys != null) {
            for (String k : b.keys) keysInFlight.merge(k, 1, Integer::sum);
        }
    }

    private void uncount(Batch b) {
        if (!b.counted) return;
        b.counted = false;
        if (b.keyless) {
            keylessInFlight--;
        } else if (b.keys != null) {
            for (String k : b.keys) keysInFlight.computeIfPresent(k, (key, n) -> n == 1 ? null : n - 1);
        }
    }

    /** A sender thread: starts batches in input order while they may start, until closed. */
    private void work() {
        while (true) {
            Batch b;
            boolean followUp;
            synchronized (lock) {
                idle++;
                boolean interrupted = false;
                try {
                    while (!closing && !stopped && !startable()) lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                idle--;
                if (interrupted || closing || stopped) {
                    workers--;
                    threads.remove(Thread.currentThread());
                    return;
                }
                b = waiting.poll();
                b.state = Outcome.State.IN_FLIGHT;
                inFlight++;
                open.put(b.seq, b);
                count(b);
                followUp = accepted && nextUri != null;
                if (idle == 0 && !waiting.isEmpty() && keyState == Keys.KNOWN && workers < parallel) spawn();
                lock.notifyAll(); // room for the caller's next batch
            }
            post(b, followUp);
        }
    }

    /** Sends one batch and records what became of it; then tells the callbacks. */
    private void post(Batch b, boolean followUp) {
        URI target = uri;
        byte[] payload = b.body;
        if (followUp) {
            // the same rows between the follow-up's prefix and suffix
            int rowsLength = payload.length - prefix.length - suffix.length;
            byte[] p = new byte[nextPrefix.length + rowsLength + nextSuffix.length];
            System.arraycopy(nextPrefix, 0, p, 0, nextPrefix.length);
            System.arraycopy(payload, prefix.length, p, nextPrefix.length, rowsLength);
            System.arraycopy(nextSuffix, 0, p, nextPrefix.length + rowsLength, nextSuffix.length);
            payload = p;
            target = nextUri;
        }
        b.body = null;
        Outcome.State state;
        Throwable failure = null;
        JsonNode answer = null;
        Response r = null;
        try {
            r = client.send("POST", target, "application/json", payload);
        } catch (DclientException e) {
            failure = e;
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        if (r == null) {
            state = failure instanceof DclientException d && (d.kind() == DclientException.Kind.NETWORK
                    || d.kind() == DclientException.Kind.INTERRUPTED)
                    ? (Delivery.mayHaveArrived(d) ? Outcome.State.UNCERTAIN : Outcome.State.NOT_SENT)
                    : failure instanceof DclientException ? Outcome.State.FAILED : Outcome.State.UNCERTAIN;
        } else {
            try {
                answer = WritePost.answer(client, r, source, database, table);
                state = Outcome.State.COMMITTED;
            } catch (RuntimeException | Error e) {
                failure = e;
                // a success whose answer cannot be read: the rows may well be in
                state = r.ok() && r.jsonOrNull() == null ? Outcome.State.UNCERTAIN : Outcome.State.FAILED;
            }
        }
        synchronized (lock) {
            inFlight--;
            uncount(b);
            b.held = null;
            b.keys = null;
            if (stopped) {
                lock.notifyAll();
                return; // stop() has said what was in flight
            }
            b.state = state;
            b.failure = failure;
            if (state == Outcome.State.COMMITTED) {
                committed += b.rows;
                batches++;
                accepted = true;
                if (onAnswer != null) b.answer = answer;
                for (Map.Entry<Long, Batch> e = open.firstEntry(); e != null && e.getKey() == prefixBatches + 1
                        && e.getValue().state == Outcome.State.COMMITTED; e = open.firstEntry()) {
                    Batch done = open.pollFirstEntry().getValue();
                    prefixBatches++;
                    prefixRows = done.last();
                    prefixOffset = done.end;
                    if (done.answer != null) answers.add(done.answer);
                    done.answer = null;
                }
                telling++;
                if (keyState == Keys.UNKNOWN && nextSeq > 3) look();
            } else {
                failed = true;
                waiting.clear(); // never sent
            }
            lock.notifyAll();
        }
        if (state == Outcome.State.COMMITTED) tell();
    }

    /** Tells the callbacks the rows confirmed so far and the answers now in order (one thread at a time). */
    private void tell() {
        try {
            tellNow();
        } finally {
            synchronized (lock) {
                telling--;
                lock.notifyAll();
            }
        }
    }

    private void tellNow() {
        synchronized (callbacks) {
            long n;
            long end;
            List<JsonNode> ready;
            synchronized (lock) {
                if (stopped) return;
                n = committed;
                end = prefixOffset;
                ready = new ArrayList<>(answers);
                answers.clear();
            }
            try {
                if (n > lastTold) {
                    lastTold = n;
                    onCommitted.committed(n, end);
                }
                if (onAnswer != null) ready.forEach(onAnswer);
            } catch (RuntimeException | Error e) {
                synchronized (lock) {
                    if (callbackFailure == null) callbackFailure = e;
                    failed = true;
                    waiting.clear();
                    lock.notifyAll();
                }
            }
        }
    }

    /** Throws the failure, the first time the caller looks (under the lock): a callback's, else the first batch's. */
    private void rethrow() {
        if (!failed || failureReported) return;
        failureReported = true;
        Throwable t = callbackFailure;
        if (t == null) {
            for (Batch b : open.values()) {
                if (b.failure != null) {
                    t = b.failure;
                    break;
                }
            }
        }
        if (t == null) return;
        if (t instanceof Error er) throw er;
        throw t == callbackFailure && t instanceof RuntimeException re ? re : failure(t);
    }

    /** A batch's failure as the caller gets it. */
    private DclientException failure(Throwable t) {
        if (t instanceof DclientException d) return d;
        return new DclientException("Request to " + uri + " failed: " + t, t);
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
