package io.datasette.dclient.core.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The write pipeline with its overlap, one request at a time ({@code parallel(1)}; several in
 * flight: {@link ParallelWriteTest}): the next batch is read and encoded while the server
 * works on the previous one, yet exactly one request is ever in flight, bodies go in input
 * order, a failure in batch k reports exactly the rows of the batches before it (the batch read
 * ahead is never sent), progress counts what the server confirmed, and an interrupt stops it
 * promptly with the sender thread gone. The server is a local multi-threaded HttpServer, so
 * concurrent requests would be seen if the client made them.
 */
class WriteJobTest {
    static final io.datasette.dclient.core.http.Transport HTTP = io.datasette.dclient.core.http.SocketTransport.fromEnv(java.util.Map.of());

    HttpServer server;
    ExecutorService serverThreads;
    String base;
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger maxActive = new AtomicInteger();
    /** Per request number (1-based): how long to take, and the status to answer. */
    volatile IntFunction<Long> delayMillis = n -> 0L;
    volatile IntFunction<Integer> status = n -> 201;
    final CountDownLatch[] received = {new CountDownLatch(1), new CountDownLatch(2), new CountDownLatch(3)};

    @BeforeEach
    void start() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serverThreads = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "test-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(serverThreads);
        server.createContext("/", ex -> {
            int now = active.incrementAndGet();
            maxActive.accumulateAndGet(now, Math::max);
            try {
                byte[] body;
                try (InputStream in = ex.getRequestBody()) {
                    body = in.readAllBytes();
                }
                bodies.add(new String(body, StandardCharsets.UTF_8));
                int n = bodies.size();
                for (CountDownLatch l : received) l.countDown();
                Thread.sleep(delayMillis.apply(n));
                int s = status.apply(n);
                byte[] answer = (s < 300 ? "{\"ok\": true}"
                        : "{\"ok\": false, \"errors\": [\"UNIQUE constraint failed: t.id\"], \"status\": " + s + "}")
                        .getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                active.decrementAndGet();
                ex.sendResponseHeaders(s, answer.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(answer);
                }
            } catch (InterruptedException e) {
                active.decrementAndGet();
                ex.close();
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    WriteJob job() {
        return new WriteJob(new DatasetteClient(HTTP, base, "tok", null, null, null), WriteRequest.insert("db", "t"))
                .batchSize(10).parallel(1);
    }

    /** Rows {"id": 1..n}; counts how many were pulled, and how many while the server was busy with a request. */
    static final class Rows implements Iterator<ObjectNode> {
        final int n;
        final AtomicInteger busy;
        int pulled;
        int pulledWhileBusy;
        int failAt = -1;
        /** Time each row takes to read (a slow source), in ms. */
        long readMillis;

        Rows(int n, AtomicInteger busy) {
            this.n = n;
            this.busy = busy;
        }

        @Override
        public boolean hasNext() {
            return pulled < n;
        }

        @Override
        public ObjectNode next() {
            pulled++;
            if (pulled == failAt) throw new DclientException("Bad row " + pulled, DclientException.Kind.INPUT);
            if (readMillis > 0) {
                try {
                    Thread.sleep(readMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (busy.get() > 0) pulledWhileBusy++;
            ObjectNode r = Json.object();
            r.put("id", pulled);
            return r;
        }
    }

    /** The ids of every row of every body, in the order the server got them. */
    List<Integer> ids() throws IOException {
        List<Integer> ids = new ArrayList<>();
        for (String b : bodies) {
            for (JsonNode r : Json.parse(b).get("rows")) ids.add(r.get("id").asInt());
        }
        return ids;
    }

    static List<Integer> range(int from, int to) {
        List<Integer> l = new ArrayList<>();
        for (int i = from; i <= to; i++) l.add(i);
        return l;
    }

    static boolean senderThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("dclient-write") && t.isAlive());
    }

    static void assertSenderThreadGone() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (senderThreadAlive() && System.nanoTime() < deadline) Thread.sleep(10);
        assertFalse(senderThreadAlive(), "the sender thread is still running");
    }

    @Test
    void oneRequestInFlightBodiesInOrderAndTheNextBatchIsReadMeanwhile() throws Exception {
        delayMillis = n -> 15L;
        Rows rows = new Rows(400, active);
        rows.readMillis = 1;
        List<Long> progress = new CopyOnWriteArrayList<>();
        WriteJob.Result r = job().onCommitted(progress::add).run(rows);
        assertEquals(400, r.rowCount());
        assertEquals(40, r.requests());
        assertEquals(1, maxActive.get(), "never more than one request in flight");
        assertEquals(range(1, 400), ids(), "every row once, in order");
        assertTrue(rows.pulledWhileBusy >= 200, "rows were read while the server worked: " + rows.pulledWhileBusy);
        List<Long> expected = new ArrayList<>();
        for (long n = 10; n <= 400; n += 10) expected.add(n);
        assertEquals(expected, progress, "progress counts the rows the server confirmed, batch by batch");
        assertSenderThreadGone();
    }

    @ParameterizedTest(name = "batch {0} fails")
    @ValueSource(ints = {1, 2, 4, 10})
    void aFailureInBatchKReportsExactlyTheRowsCommittedBeforeIt(int k) throws Exception {
        delayMillis = n -> 20L;
        status = n -> n == k ? 400 : 201;
        Rows rows = new Rows(100, active);
        List<Long> progress = new CopyOnWriteArrayList<>();
        DclientException e = assertThrows(DclientException.class, () -> job().onCommitted(progress::add).run(rows));
        int before = (k - 1) * 10;
        String summary = k == 1
                ? "Nothing was inserted: the first batch (rows 1-10) failed, and the rest of the input was not sent."
                : before + " rows were inserted before this batch (rows " + (before + 1) + "-" + (before + 10)
                        + ") failed; the rest of the input was not sent.";
        assertEquals("UNIQUE constraint failed: t.id (HTTP 400)\n" + summary, e.getMessage());
        assertEquals(k, bodies.size(), "nothing is sent after the failed batch");
        assertEquals(range(1, k * 10), ids());
        // the two batches after the failed one (one handed over, one encoded) were read meanwhile, never sent
        assertEquals(Math.min(100, (k + 2) * 10), rows.pulled);
        List<Long> confirmed = new ArrayList<>();
        for (long n = 10; n <= before; n += 10) confirmed.add(n);
        assertEquals(confirmed, progress, "progress counts only the batches the server confirmed");
        assertEquals(1, maxActive.get());
        assertSenderThreadGone();
    }

    @Test
    void anInputErrorWaitsForTheBatchInFlightAndCountsIt() throws Exception {
        delayMillis = n -> 30L;
        Rows rows = new Rows(100, active);
        rows.failAt = 35; // while rows 11-20 are in flight and rows 21-30 wait their turn
        DclientException e = assertThrows(DclientException.class, () -> job().run(rows));
        // as if sent one after another: the batches before the bad row all went, and were counted
        assertEquals("Bad row 35\n30 rows were inserted before this error; the rest of the input was not sent.",
                e.getMessage());
        assertEquals(DclientException.Kind.INPUT, e.kind());
        assertEquals(3, bodies.size());
    }

    @Test
    void anInputErrorBehindAFailedBatchReportsTheFailedBatch() throws Exception {
        delayMillis = n -> 30L;
        status = n -> n == 2 ? 400 : 201;
        Rows rows = new Rows(100, active);
        rows.failAt = 35; // while rows 11-20 are in flight, and they fail
        DclientException e = assertThrows(DclientException.class, () -> job().run(rows));
        assertEquals("UNIQUE constraint failed: t.id (HTTP 400)\n10 rows were inserted before this batch (rows 11-20)"
                + " failed; the rest of the input was not sent.", e.getMessage());
        assertEquals(2, bodies.size());
    }

    @Test
    void anInterruptStopsPromptlyAndSaysTheBatchInFlightMayBeWritten() throws Exception {
        delayMillis = n -> n == 2 ? 60_000L : 0L;
        Rows rows = new Rows(100, active);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                job().run(rows);
            } catch (Throwable e) {
                thrown.set(e);
            }
            flag.set(Thread.currentThread().isInterrupted());
        });
        t.start();
        assertTrue(received[1].await(10, TimeUnit.SECONDS), "the second request never came");
        t.interrupt();
        t.join(5_000);
        assertFalse(t.isAlive(), "the job did not stop");
        DclientException e = (DclientException) thrown.get();
        assertEquals(DclientException.Kind.INTERRUPTED, e.kind());
        assertEquals("Interrupted.\nThe server confirmed 10 rows inserted; the batch in flight (rows 11-20) may or may not"
                + " have been inserted, and the rest of the input was not sent.", e.getMessage());
        assertTrue(flag.get(), "the interrupt flag is kept");
        assertEquals(2, bodies.size());
        assertSenderThreadGone();
    }

    @Test
    void nothingToSendStartsNoThread() throws Exception {
        WriteJob.Result r = job().run(List.<ObjectNode>of().iterator());
        assertEquals(new WriteJob.Result(0, 0, List.of()), r);
        assertEquals(List.of(), bodies);
        assertFalse(senderThreadAlive());
    }
}
