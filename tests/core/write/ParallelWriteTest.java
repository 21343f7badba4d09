package io.datasette.dclient.core.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Http;
import io.datasette.dclient.testing.TestClock;
import io.datasette.dclient.testing.WriteServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Several batches in flight ({@link BatchSender#parallel}), against {@link WriteServer}: the
 * server answers a batch only when the writer can send nothing more (its thread waits, no batch
 * may start, and every batch it has in flight has arrived), so each test sees the most the
 * writer will put in flight at any point, and the answers come in the order the test picks
 * (highest batch first). Checked: up to {@code parallel} batches in flight; never two that share
 * a key value; a batch with a row without a key alone; a rowid table, a refused lookup or
 * {@code parallel(1)} one at a time; the first batch alone (a create goes first); progress
 * counts only grow; answers in input order. Failures in batch k, with several in flight, and
 * interrupts are in {@link #aFailureInBatchKSaysExactlyWhichRowsWereWritten} and below.
 */
class ParallelWriteTest {
    static final int BATCH = 10;

    WriteServer server;
    BatchSender sender;
    final List<Thread> started = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Thread t : started) t.interrupt();
        if (sender != null) sender.close();
        if (server != null) server.close();
        for (Thread t : started) t.join(5_000);
    }

    DatasetteClient client() {
        return new DatasetteClient(Http.newClient(Map.of()), server.baseUrl(), "tok", null, null, null);
    }

    /** Row {"n": n, "id": key(n), "name": "r<n>"}; no id when key(n) is null. */
    static List<ObjectNode> rows(int n, IntFunction<Integer> key) {
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ObjectNode r = Json.object();
            r.put("n", i);
            Integer k = key.apply(i);
            if (k != null) r.put("id", k);
            r.put("name", "r" + i);
            rows.add(r);
        }
        return rows;
    }

    /** The id values of each batch the server got. */
    Map<Integer, Set<String>> idsByBatch() throws Exception {
        Map<Integer, Set<String>> ids = new java.util.TreeMap<>();
        for (Map.Entry<Integer, String> e : server.bodies().entrySet()) {
            Set<String> set = new HashSet<>();
            for (JsonNode r : Json.parse(e.getValue()).get("rows")) {
                if (r.has("id")) set.add(r.get("id").asText());
            }
            ids.put(e.getKey(), set);
        }
        return ids;
    }

    /** What the writer was told after each answer. */
    final List<Long> progress = new CopyOnWriteArrayList<>();
    final List<JsonNode> answers = new CopyOnWriteArrayList<>();

    /**
     * Sends the rows through a sender with {@code parallel} in flight, answering a batch only
     * when the writer is stuck (see the class comment), highest batch first. Returns when the
     * writer is done; its failure, if any, is returned.
     */
    Throwable runStuckFirst(WriteRequest request, List<ObjectNode> rows, int parallel) throws Exception {
        DatasetteClient client = client();
        sender = request.sender(client, BATCH, new TestClock(0), (n, offset) -> progress.add(n), answers::add);
        sender.parallel(parallel, () -> TableKeys.lookup(client, request.database(), request.table()));
        Set<Integer> released = ConcurrentHashMap.newKeySet();
        server.gate((b, s) -> released.contains(b));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                WriteJob.pump(Feed.of(rows.iterator()), sender, null, 10_000, new TestClock(0));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "test-caller");
        started.add(caller);
        caller.start();
        while (caller.isAlive()) {
            Set<Integer> waiting = server.waiting();
            if (!waiting.isEmpty() && caller.getState() == Thread.State.WAITING && sender.stalled()
                    && waiting.size() == inFlight(sender)) {
                // (until the writer has taken the answer in, it counts one more in flight than the server waits for)
                released.add(((TreeSet<Integer>) waiting).last());
                server.poke();
            } else {
                Thread.sleep(1);
            }
        }
        return failure.get();
    }

    static int inFlight(BatchSender s) {
        int n = 0;
        for (Outcome.Span span : s.outcome().spans()) if (span.state() == Outcome.State.IN_FLIGHT) n += span.batches();
        return n;
    }

    @Test
    void upToParallelBatchesInFlightEveryRowOnceAnswersAndProgressInInputOrder() throws Exception {
        server = WriteServer.start(BATCH).keys("id");
        assertNull(runStuckFirst(WriteRequest.insert("db", "t").returning(true), rows(100, n -> n), 4));
        assertEquals(4, server.maxInFlight(), "four batches in flight at the most");
        assertEquals(1, server.lookups(), "the keys are asked for once");
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), server.committed());
        assertTrue(server.overlaps().get(0).equals(Set.of(1)) && server.overlaps().get(1).equals(Set.of(2)),
                "the first batch goes alone, then the second while the keys are looked up: " + server.overlaps());
        List<Integer> order = server.answerOrder();
        assertFalse(order.equals(new ArrayList<>(new TreeSet<>(order))), "answers came out of order: " + order);
        for (int i = 1; i < progress.size(); i++) assertTrue(progress.get(i) > progress.get(i - 1), "grows: " + progress);
        assertEquals(100L, progress.get(progress.size() - 1));
        List<Integer> returned = new ArrayList<>();
        for (JsonNode a : answers) a.get("rows").forEach(r -> returned.add(r.get("n").asInt()));
        assertEquals(WriteJobTest.range(1, 100), returned, "the server's answers, in input order");
        assertEquals(100, sender.committed());
        assertEquals(10, sender.batches());
    }

    @Test
    void batchesThatShareAKeyValueAreNeverInFlightTogether() throws Exception {
        server = WriteServer.start(BATCH).keys("id");
        // row 45 (batch 5) has the key of row 12 (batch 2), as the text "12.0"; row 77 (batch 8) that of row 61 (batch 7)
        List<ObjectNode> rows = rows(100, n -> n);
        rows.get(44).put("id", "12.0");
        rows.get(76).put("id", 61);
        assertNull(runStuckFirst(WriteRequest.insert("db", "t").replace(true), rows, 4));
        Map<Integer, Set<String>> ids = idsByBatch();
        for (Set<Integer> together : server.overlaps()) {
            Set<String> seen = new HashSet<>();
            for (int b : together) {
                for (String id : ids.get(b)) {
                    String key = TableKeys.normal(Json.mapper().getNodeFactory().textNode(id));
                    assertTrue(seen.add(key), "batches " + together + " were in flight together and share key " + key);
                }
            }
        }
        assertEquals(4, server.maxInFlight(), "the others still overlap");
        assertEquals(10, server.committed().size());
    }

    @Test
    void aBatchWithARowWithoutAKeyGoesAloneBetweenTheOthers() throws Exception {
        server = WriteServer.start(BATCH).keys("id");
        // rows 51-60 (batch 6) have no id: the server assigns one, in the order the batches arrive
        assertNull(runStuckFirst(WriteRequest.insert("db", "t"), rows(100, n -> n > 50 && n <= 60 ? null : n), 4));
        for (Set<Integer> together : server.overlaps()) {
            if (together.contains(6)) assertEquals(Set.of(6), together, "batch 6 goes alone");
        }
        List<Integer> arrivals = server.arrivals();
        int six = arrivals.indexOf(6);
        assertEquals(Set.of(1, 2, 3, 4, 5), new TreeSet<>(arrivals.subList(0, six)), "every batch before it first");
        assertEquals(4, server.maxInFlight());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"rowid table", "lookup refused", "parallel 1", "one batch"})
    void oneAtATimeWhenTheOrderMayMatterOrNothingIsGained(String why) throws Exception {
        server = WriteServer.start(BATCH);
        switch (why) {
            case "rowid table" -> server.keys();
            case "lookup refused" -> server.lookupStatus(403);
            default -> server.keys("id");
        }
        int rows = why.equals("one batch") ? 7 : 60;
        assertNull(runStuckFirst(WriteRequest.insert("db", "t"), rows(rows, n -> n), why.equals("parallel 1") ? 1 : 4));
        assertEquals(1, server.maxInFlight());
        assertEquals(why.equals("parallel 1") || why.equals("one batch") ? 0 : 1, server.lookups());
        assertEquals(rows / BATCH + (rows % BATCH > 0 ? 1 : 0), server.committed().size());
    }

    @Test
    void aCreateGoesFirstAndAloneThenInsertsInParallel() throws Exception {
        server = WriteServer.start(BATCH).keys("id");
        assertNull(runStuckFirst(WriteRequest.insert("db", "t").create(true, List.of("id")), rows(80, n -> n), 4));
        List<String> paths = server.paths();
        assertEquals("/db/-/create", paths.get(0));
        for (String p : paths.subList(1, paths.size())) assertEquals("/db/t/-/insert", p);
        assertEquals(Set.of(1), server.overlaps().get(0));
        assertEquals(4, server.maxInFlight());
        String second = server.bodies().get(2);
        assertTrue(second.startsWith("{\"rows\":[{\"n\":11,") && !second.contains("\"pk\""), second);
    }

    @Test
    void upsertsOverlapOnlyOnDistinctKeys() throws Exception {
        server = WriteServer.start(BATCH).keys("id");
        List<ObjectNode> rows = rows(60, n -> n);
        rows.get(35).put("id", 3); // batch 4 updates a row of batch 1: they may overlap, batch 1 being long done
        rows.get(55).put("id", 33); // batch 6 updates one of batch 4
        assertNull(runStuckFirst(WriteRequest.upsert("db", "t"), rows, 4));
        for (Set<Integer> together : server.overlaps()) {
            assertFalse(together.contains(4) && together.contains(6), "batches 4 and 6 overlapped: " + together);
        }
        assertTrue(server.maxInFlight() >= 3, "overlap: " + server.overlaps());
        assertTrue(server.paths().stream().allMatch(p -> p.equals("/db/t/-/upsert")));
    }

    // ---- failures and interrupts, through WriteJob ----------------------------------------------

    WriteJob job(WriteRequest request) {
        return new WriteJob(client(), request).batchSize(BATCH).parallel(4).onCommitted(progress::add);
    }

    /**
     * Batch k fails while the three after it are in flight (and are then answered with success):
     * the server answers k only once they have arrived, and them only after k. The batches before
     * k are each answered once the three after them (or k) have arrived, so they overlap too. (The
     * batch after those three shares a key with k, so that it waits for k's answer: otherwise
     * whether it went out would depend on which answer the writer took in first.)
     */
    static WriteServer.Gate failingInTheMiddle(int k, int last) {
        return (b, s) -> {
            if (b == k) {
                for (int j = k + 1; k > 1 && j <= Math.min(k + 3, last); j++) if (!s.arrived(j)) return false;
                return true;
            }
            if (b > k) return s.answered(k);
            return b == 1 || s.arrived(Math.min(b + 3, k));
        };
    }

    @ParameterizedTest(name = "batch {0} of 10 fails")
    @CsvSource(delimiter = '|', value = {
        "1|Nothing was inserted: the first batch (rows 1-10) failed, and the rest of the input was not sent.|",
        "2|Rows 1-10 and 21-50 were inserted; rows 11-20 failed; the rest of the input was not sent.|1,3,4,5",
        "5|Rows 1-40 and 51-80 were inserted; rows 41-50 failed; the rest of the input was not sent.|1,2,3,4,6,7,8",
        "10|90 rows were inserted before this batch (rows 91-100) failed; the rest of the input was not sent.|1,2,3,4,5,6,7,8,9",
    })
    void aFailureInBatchKSaysExactlyWhichRowsWereWritten(int k, String line, String committed) throws Exception {
        server = WriteServer.start(BATCH).keys("id").failing(k, 400, "UNIQUE constraint failed: t.id")
                .gate(failingInTheMiddle(k, 10));
        List<ObjectNode> rows = rows(100, n -> n);
        if (k + 4 <= 10) rows.get((k + 3) * BATCH).put("id", (k - 1) * BATCH + 1);
        DclientException e = assertThrows(DclientException.class, () -> job(WriteRequest.insert("db", "t")).run(rows.iterator()));
        assertEquals("UNIQUE constraint failed: t.id (HTTP 400)\n" + line, e.getMessage());
        assertEquals(DclientException.Kind.SERVER, e.kind());
        List<Integer> expected = new ArrayList<>();
        if (committed != null) for (String b : committed.split(",")) expected.add(Integer.parseInt(b));
        assertEquals(expected, server.committed(), "what the server wrote");
        int sent = Math.min(k == 1 ? 1 : k + 3, 10);
        assertEquals(new TreeSet<>(WriteJobTest.range(1, sent)), new TreeSet<>(server.arrivals()),
                "nothing is sent after the failure");
        if (k > 1) assertEquals(4, server.maxInFlight(), "several were in flight with it");
        long written = expected.size() * (long) BATCH;
        assertEquals(written, progress.isEmpty() ? 0 : progress.get(progress.size() - 1), "progress counts every batch written");
        WriteJobTest.assertSenderThreadGone();
    }

    @Test
    void aFailedBatchAfterOthersFailedToo() throws Exception {
        // batches 3 and 5 fail with different messages while 2-5 are in flight; 2 and 4 are written
        server = WriteServer.start(BATCH).keys("id").failing(3, 400, "UNIQUE constraint failed: t.id")
                .failing(5, 400, "NOT NULL constraint failed: t.name")
                .gate((b, s) -> b == 1 || s.arrived(5));
        List<ObjectNode> rows = rows(100, n -> n);
        rows.get(55).put("id", 21); // batch 6 waits for batch 3, which fails
        DclientException e = assertThrows(DclientException.class, () -> job(WriteRequest.insert("db", "t")).run(rows.iterator()));
        assertEquals("UNIQUE constraint failed: t.id (HTTP 400)\nRows 1-20 and 31-40 were inserted; rows 21-30 failed;"
                + " rows 41-50 failed: NOT NULL constraint failed: t.name (HTTP 400); the rest of the input was not sent.",
                e.getMessage());
        assertEquals(List.of(1, 2, 4), server.committed());
    }

    @Test
    void anInterruptWithSeveralInFlightSaysWhichMayOrMayNotBeWritten() throws Exception {
        // batch 3 is never answered; everything after it is, at once
        server = WriteServer.start(BATCH).keys("id").gate((b, s) -> b != 3);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        java.util.concurrent.CountDownLatch ninety = new java.util.concurrent.CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                job(WriteRequest.insert("db", "t")).onCommitted(n -> {
                    if (n == 90) ninety.countDown();
                }).run(rows(100, n -> n).iterator());
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        started.add(t);
        t.start();
        assertTrue(ninety.await(20, java.util.concurrent.TimeUnit.SECONDS), "the nine other batches: " + server.committed());
        t.interrupt();
        t.join(5_000);
        assertFalse(t.isAlive());
        DclientException e = (DclientException) thrown.get();
        assertEquals(DclientException.Kind.INTERRUPTED, e.kind());
        assertEquals("Interrupted.\nThe server confirmed rows 1-20 and 31-100 inserted; the batch in flight (rows 21-30)"
                + " may or may not have been inserted, and the rest of the input was not sent.", e.getMessage());
        WriteJobTest.assertSenderThreadGone();
    }

    @Test
    void anInterruptWithFourInFlight() throws Exception {
        // batches 1 and 2 are answered, then nothing: 3-6 are out when the user presses Ctrl-C
        server = WriteServer.start(BATCH).keys("id").gate((b, s) -> b <= 2);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                job(WriteRequest.upsert("db", "t")).run(rows(100, n -> n).iterator());
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        started.add(t);
        t.start();
        assertTrue(server.await(s -> s.waiting().equals(Set.of(3, 4, 5, 6))), "in flight: " + server.waiting());
        t.interrupt();
        t.join(5_000);
        assertEquals("Interrupted.\nThe server confirmed 20 rows upserted; the batches in flight (rows 21-60)"
                + " may or may not have been upserted, and the rest of the input was not sent.", thrown.get().getMessage());
    }
}
