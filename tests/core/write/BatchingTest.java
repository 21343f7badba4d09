package io.datasette.dclient.core.write;

import io.datasette.dclient.testing.TestClock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.testing.RecordedDatasette;
import java.net.http.HttpClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The batcher: batches of --batch-size, the 2 MiB body cap, the --interval timer on a quiet
 * input (driven by a scripted feed and a hand-moved clock, so nothing really waits), and the
 * type window released by the timer. Callbacks run on the sender thread; the events list is
 * read after the pump has waited for the last answer.
 */
class BatchingTest {
    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.empty();
    static io.datasette.dclient.core.http.Transport http = io.datasette.dclient.core.http.SocketTransport.fromEnv(java.util.Map.of());

    TestClock clock;
    final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The sender under test: a scripted quiet gap lets its request in flight finish first, as real time would. */
    BatchSender sender;

    @AfterEach
    void closeSender() {
        if (sender != null) sender.close();
    }

    @BeforeEach
    void reset() {
        wm.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": true}")));
        clock = new TestClock(1_000_000);
    }

    BatchSender sender(int batchSize, int maxBody) {
        DatasetteClient client = new DatasetteClient(http, wm.baseUrl(), "tok", null, null, null);
        sender = new BatchSender(client, "/db/t/-/insert", "{\"rows\":[", "]}", batchSize, maxBody, clock,
                n -> events.add("sent@" + (clock.millis() - 1_000_000) + "=" + n));
        return sender;
    }

    /** Bodies the server got, in order. */
    static List<String> bodies() {
        List<LoggedRequest> all = new ArrayList<>(wm.findAll(postRequestedFor(anyUrl())));
        all.sort((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()));
        List<String> out = new ArrayList<>();
        for (LoggedRequest r : all) out.add(r.getBodyAsString());
        return out;
    }

    static ObjectNode row(int id) {
        ObjectNode r = Json.object();
        r.put("id", id);
        return r;
    }

    /**
     * A feed from a script: rows, and "quiet" gaps that move the clock instead of waiting. A poll
     * whose timeout falls within a gap moves the clock by the timeout and returns null (as a real
     * poll would after waiting); the remaining gap is kept for the next poll.
     */
    final class ScriptedFeed implements Feed {
        final Deque<Object> script = new ArrayDeque<>();
        final List<Long> timeouts = new ArrayList<>();
        /** The offset of a row in this script's "input": ten times its id. */
        long offset = -1;

        ScriptedFeed rows(int from, int to) {
            for (int i = from; i <= to; i++) script.add(BatchingTest.row(i));
            return this;
        }

        ScriptedFeed row(ObjectNode r) {
            script.add(r);
            return this;
        }

        ScriptedFeed quiet(long ms) {
            script.add(ms);
            return this;
        }

        @Override
        public ObjectNode poll(long timeoutMillis) throws InterruptedException {
            timeouts.add(timeoutMillis);
            Object next = script.peek();
            if (next == null) return END;
            if (next instanceof Long gap) {
                if (sender != null) sender.settle();
                script.poll();
                if (gap > timeoutMillis) {
                    clock.advance(timeoutMillis);
                    script.push(gap - timeoutMillis);
                } else {
                    clock.advance(gap);
                }
                return null;
            }
            script.poll();
            offset = ((ObjectNode) next).path("id").asLong() * 10;
            return (ObjectNode) next;
        }

        @Override
        public long offset() {
            return offset;
        }

        @Override
        public void close() {}
    }

    static String ids(int from, int to) {
        StringBuilder sb = new StringBuilder("{\"rows\":[");
        for (int i = from; i <= to; i++) {
            if (i > from) sb.append(',');
            sb.append("{\"id\":").append(i).append('}');
        }
        return sb.append("]}").toString();
    }

    @ParameterizedTest(name = "{0} rows in batches of {1}")
    @CsvSource({"250, 100", "100, 100", "7, 3", "1, 100", "0, 100", "5, 1"})
    void batchesOfTheBatchSize(int rows, int batchSize) throws Exception {
        BatchSender s = sender(batchSize, BatchSender.MAX_BODY);
        WriteJob.pump(new ScriptedFeed().rows(1, rows), s, null, 10_000, clock);
        List<String> expected = new ArrayList<>();
        for (int from = 1; from <= rows; from += batchSize) expected.add(ids(from, Math.min(rows, from + batchSize - 1)));
        assertEquals(expected, bodies());
        assertEquals(rows, s.committed());
    }

    @Test
    void aBatchNeverGoesPastTheBodyLimit() throws Exception {
        int limit = 200;
        BatchSender s = sender(100, limit);
        ScriptedFeed feed = new ScriptedFeed();
        for (int i = 1; i <= 20; i++) {
            ObjectNode r = row(i);
            r.put("text", "x".repeat(40));
            feed.row(r);
        }
        WriteJob.pump(feed, s, null, 10_000, clock);
        List<String> bodies = bodies();
        assertTrue(bodies.size() > 1);
        int total = 0;
        for (String b : bodies) {
            assertTrue(b.length() <= limit, b.length() + " bytes: " + b);
            total += Json.parse(b).path("rows").size();
        }
        assertEquals(20, total);
        // 60-byte rows, 11 bytes of envelope, one comma each: 3 rows fit in 200 bytes
        assertEquals(7, bodies.size());
    }

    @Test
    void aSingleRowOverTheLimitStillGoesAloneAndTheServerSays() throws Exception {
        BatchSender s = sender(100, 50);
        ObjectNode big = row(1);
        big.put("text", "y".repeat(100));
        WriteJob.pump(new ScriptedFeed().row(big).row(row(2)), s, null, 10_000, clock);
        assertEquals(List.of("{\"rows\":[{\"id\":1,\"text\":\"" + "y".repeat(100) + "\"}]}", ids(2, 2)), bodies());
    }

    @Test
    void aQuietInputStillSendsItsPartialBatchWhenTheIntervalIsDue() throws Exception {
        BatchSender s = sender(100, BatchSender.MAX_BODY);
        ScriptedFeed feed = new ScriptedFeed().rows(1, 3).quiet(25_000).rows(4, 5).quiet(4_000).rows(6, 6);
        WriteJob.pump(feed, s, null, 10_000, clock);
        assertEquals(List.of(ids(1, 3), ids(4, 6)), bodies());
        // rows 1-3 went out when the 10 s interval came due, without waiting for more input
        assertEquals(List.of("sent@10000=3", "sent@29000=6"), events);
        // the feed was never asked to wait past the next due time
        for (long t : feed.timeouts) assertTrue(t > 0 && t <= 10_000, feed.timeouts.toString());
    }

    @Test
    void theIntervalRestartsAfterEachBatch() throws Exception {
        BatchSender s = sender(2, BatchSender.MAX_BODY);
        // rows 1-2 fill a batch at t=5 s; row 3 (t=8 s) is due 10 s after that batch, at t=15 s
        ScriptedFeed feed = new ScriptedFeed().quiet(5_000).rows(1, 2).quiet(3_000).rows(3, 3).quiet(60_000);
        WriteJob.pump(feed, s, null, 10_000, clock);
        assertEquals(List.of("sent@5000=2", "sent@15000=3"), events);
    }

    @Test
    void typesAreDecidedWhenTheIntervalForcesTheFirstBatchOut() throws Exception {
        BatchSender s = sender(100, BatchSender.MAX_BODY);
        ScriptedFeed feed = new ScriptedFeed();
        feed.row(csvRow("1", "a", "1.5")).row(csvRow("2", "b", "2")).quiet(11_000)
                .row(csvRow("3", "c", "x")).row(csvRow("", "d", ""));
        TypeDetector types = new TypeDetector();
        WriteJob.pump(feed, s, types, 10_000, clock);
        assertEquals(List.of(
                "{\"rows\":[{\"id\":1,\"name\":\"a\",\"score\":1.5},{\"id\":2,\"name\":\"b\",\"score\":2.0}]}",
                // the window (rows 1-2) fixed the types; later rows get them, "x" stays a string
                "{\"rows\":[{\"id\":3,\"name\":\"c\",\"score\":\"x\"},{\"id\":null,\"name\":\"d\",\"score\":null}]}"),
                bodies());
    }

    @Test
    void theTypeWindowHoldsAtMostItsSizeBeforeBatchesGo() throws Exception {
        BatchSender s = sender(100, BatchSender.MAX_BODY);
        ScriptedFeed feed = new ScriptedFeed();
        int n = WriteJob.TYPE_WINDOW + 150;
        for (int i = 1; i <= n; i++) feed.row(csvRow(Integer.toString(i), "n", i == n ? "oops" : "1"));
        TypeDetector types = new TypeDetector();
        WriteJob.pump(feed, s, types, 10_000, clock);
        List<String> bodies = bodies();
        assertEquals(12, bodies.size());
        assertEquals(n, s.committed());
        // the last value does not fit the integer type decided from the window: sent as text
        assertTrue(bodies.get(11).endsWith("{\"id\":" + n + ",\"name\":\"n\",\"score\":\"oops\"}]}"), bodies.get(11));
        assertTrue(bodies.get(0).startsWith("{\"rows\":[{\"id\":1,\"name\":\"n\",\"score\":1},"), bodies.get(0));
    }

    @Test
    void eachCommitTellsTheInputOffsetAfterTheLastRowOfItsBatch() throws Exception {
        DatasetteClient client = new DatasetteClient(http, wm.baseUrl(), "tok", null, null, null);
        // 60-byte rows: 3 fit in 200 bytes, so batches end early (the 4th row is carried to the next)
        sender = new BatchSender(client, "/db/t/-/insert", "{\"rows\":[", "]}", 100, 200, clock,
                (WriteJob.CommitListener) (n, offset) -> events.add(n + "@" + offset), null);
        ScriptedFeed feed = new ScriptedFeed();
        for (int i = 1; i <= 7; i++) {
            ObjectNode r = row(i);
            r.put("text", "x".repeat(40));
            feed.row(r);
        }
        WriteJob.pump(feed, sender, null, 10_000, clock);
        assertEquals(List.of("3@30", "6@60", "7@70"), events);
    }

    @Test
    void rowsHeldInTheTypeWindowKeepTheirOffsets() throws Exception {
        DatasetteClient client = new DatasetteClient(http, wm.baseUrl(), "tok", null, null, null);
        sender = new BatchSender(client, "/db/t/-/insert", "{\"rows\":[", "]}", 2, BatchSender.MAX_BODY, clock,
                (WriteJob.CommitListener) (n, offset) -> events.add(n + "@" + offset), null);
        ScriptedFeed feed = new ScriptedFeed();
        for (int i = 1; i <= 5; i++) feed.row(csvRow(Integer.toString(i), "n", "1"));
        WriteJob.pump(feed, sender, new TypeDetector(), 10_000, clock);
        assertEquals(List.of("2@20", "4@40", "5@50"), events);
    }

    static ObjectNode csvRow(String id, String name, String score) {
        ObjectNode r = Json.object();
        r.put("id", id);
        r.put("name", name);
        r.put("score", score);
        return r;
    }
}
