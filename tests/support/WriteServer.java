package io.datasette.dclient.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for Datasette's write API that takes batches in parallel and answers each one when
 * its {@link Gate} opens, so a test decides the order of the answers from what has arrived and
 * what has been answered (events, not time). Rows are numbered by the first value of each row
 * (1, 2, 3...); a request's batch is the number of its first row's batch of {@code rowsPerBatch}.
 * {@code GET /DB.json?sql=...} (the write's primary key lookup) is answered at once with the keys
 * set by {@link #keys}. Everything it saw can be read back: arrivals, answers, the most batches
 * unanswered at once, the bodies.
 *
 * <pre>{@code
 * try (WriteServer s = WriteServer.start(10).keys("id").failing(5, 400, "UNIQUE constraint failed: t.id")
 *         .gate((b, srv) -> b != 5 || srv.arrived(6))) { ... }
 * }</pre>
 */
public final class WriteServer implements AutoCloseable {
    /** Whether batch {@code batch} may be answered now; evaluated under the server's lock on every event. */
    @FunctionalInterface
    public interface Gate {
        boolean open(int batch, WriteServer server);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long GIVE_UP_MILLIS = 20_000;

    private final HttpServer server;
    private final ExecutorService threads;
    private final int rowsPerBatch;
    private volatile Gate gate = (b, s) -> true;
    private volatile String keys = "[\"id\"]";
    private volatile int lookupStatus = 200;
    private final Map<Integer, int[]> failures = new HashMap<>();
    private final Map<Integer, String> failureText = new HashMap<>();
    // guarded by this
    private final List<Integer> arrivals = new ArrayList<>();
    private final Set<Integer> unanswered = new TreeSet<>();
    private final Map<Integer, Integer> answers = new TreeMap<>();
    private final Map<Integer, String> bodies = new TreeMap<>();
    private final List<String> paths = new ArrayList<>();
    private final List<Set<Integer>> overlaps = new ArrayList<>();
    private int maxUnanswered;
    private int lookups;
    private boolean closed;

    private WriteServer(int rowsPerBatch) throws IOException {
        this.rowsPerBatch = rowsPerBatch;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "write-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    public static WriteServer start(int rowsPerBatch) {
        try {
            return new WriteServer(rowsPerBatch);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind 127.0.0.1", e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The primary key columns the lookup names (none: a rowid table). */
    public WriteServer keys(String... columns) {
        ArrayNode a = JSON.createArrayNode();
        for (String c : columns) a.add(c);
        this.keys = a.toString();
        return this;
    }

    /** The lookup fails with this status (403: the token may not run SQL). */
    public WriteServer lookupStatus(int status) {
        this.lookupStatus = status;
        return this;
    }

    public WriteServer gate(Gate gate) {
        this.gate = gate;
        return this;
    }

    /** Batch {@code batch} is answered with this status and Datasette's error shape. */
    public synchronized WriteServer failing(int batch, int status, String error) {
        failures.put(batch, new int[] {status});
        failureText.put(batch, error);
        return this;
    }

    public synchronized boolean arrived(int batch) {
        return arrivals.contains(batch);
    }

    public synchronized boolean answered(int batch) {
        return answers.containsKey(batch);
    }

    /** Batches that arrived and wait for their gate. */
    public synchronized Set<Integer> waiting() {
        return new TreeSet<>(unanswered);
    }

    /** Batches in the order they arrived. */
    public synchronized List<Integer> arrivals() {
        return List.copyOf(arrivals);
    }

    /** Batches answered with success, in batch order. */
    public synchronized List<Integer> committed() {
        List<Integer> ok = new ArrayList<>();
        answers.forEach((b, s) -> {
            if (s < 300) ok.add(b);
        });
        return ok;
    }

    /** Batches in the order they were answered. */
    public synchronized List<Integer> answerOrder() {
        return List.copyOf(answerOrder);
    }

    private final List<Integer> answerOrder = new ArrayList<>();

    /** The most batches that were waiting for their answer at the same time. */
    public synchronized int maxInFlight() {
        return maxUnanswered;
    }

    /** For each arrival, the batches unanswered at that moment (itself included). */
    public synchronized List<Set<Integer>> overlaps() {
        return List.copyOf(overlaps);
    }

    public synchronized int lookups() {
        return lookups;
    }

    /** The body of each batch, by batch number. */
    public synchronized Map<Integer, String> bodies() {
        return new TreeMap<>(bodies);
    }

    /** The paths of the write requests, in arrival order. */
    public synchronized List<String> paths() {
        return List.copyOf(paths);
    }

    /** Re-evaluates the gates (when a gate depends on something outside the server). */
    public synchronized void poke() {
        notifyAll();
    }

    /** Waits until {@code condition} holds (evaluated on every event), at most 20 s. */
    public synchronized boolean await(java.util.function.Predicate<WriteServer> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GIVE_UP_MILLIS);
        while (!condition.test(this)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) return false;
            wait(left);
        }
        return true;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (ex.getRequestMethod().equals("GET")) {
                lookup(ex);
                return;
            }
            JsonNode request = JSON.readTree(body);
            JsonNode rows = request.path("rows");
            int first = rows.path(0).elements().hasNext() ? rows.path(0).elements().next().asInt() : 0;
            int batch = (first - 1) / rowsPerBatch + 1;
            int status;
            synchronized (this) {
                arrivals.add(batch);
                paths.add(ex.getRequestURI().getPath());
                bodies.put(batch, new String(body, StandardCharsets.UTF_8));
                unanswered.add(batch);
                overlaps.add(new TreeSet<>(unanswered));
                maxUnanswered = Math.max(maxUnanswered, unanswered.size());
                notifyAll();
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GIVE_UP_MILLIS);
                while (!closed && !gate.open(batch, this)) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) break;
                    try {
                        wait(left);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) return;
                boolean gaveUp = !gate.open(batch, this);
                status = gaveUp ? 500 : failures.containsKey(batch) ? failures.get(batch)[0] : 201;
                unanswered.remove(batch);
                answers.put(batch, status);
                answerOrder.add(batch);
                notifyAll();
                if (gaveUp) {
                    reply(ex, 500, "{\"ok\": false, \"errors\": [\"WriteServer: the gate of batch " + batch
                            + " never opened\"], \"status\": 500}");
                    return;
                }
            }
            if (status >= 300) {
                String error = failureText.get(batch);
                reply(ex, status, "{\"ok\": false, \"errors\": [" + JSON.writeValueAsString(error) + "], \"status\": "
                        + status + "}");
                return;
            }
            ObjectNode answer = JSON.createObjectNode().put("ok", true);
            if (request.path("return").asBoolean(false)) answer.set("rows", rows);
            reply(ex, 201, answer.toString());
        }
    }

    private void lookup(HttpExchange ex) throws IOException {
        synchronized (this) {
            lookups++;
        }
        if (lookupStatus != 200) {
            reply(ex, lookupStatus, "{\"ok\": false, \"error\": \"Permission denied\", \"status\": " + lookupStatus + "}");
            return;
        }
        ObjectNode row = JSON.createObjectNode().put("pks", keys).put("uniques", 0).put("triggers", 0).put("type", "table");
        ObjectNode answer = JSON.createObjectNode().put("ok", true);
        answer.putArray("rows").add(row);
        answer.put("truncated", false);
        reply(ex, 200, answer.toString());
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(bytes);
        }
    }
}
