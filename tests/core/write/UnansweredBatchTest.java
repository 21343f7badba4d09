package io.datasette.dclient.core.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Http;
import io.datasette.dclient.testing.HostileServer;
import io.datasette.dclient.testing.HostileServer.Reply;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A batch whose request went out and got no answer (the server read it and closed, reset the
 * connection, or never answered) may or may not have been written, and the line after the
 * failure says so, naming its rows; only a batch that never reached the server is "not sent".
 * Against {@link HostileServer}, through dclient's own transport: the first batch is answered,
 * the second is not.
 */
class UnansweredBatchTest {
    static final int BATCH = 10;

    /** The request's first row number's batch: rows are {"n": 1..}. */
    static int batch(HostileServer.Request req) throws IOException {
        JsonNode rows = Json.parse(req.bodyText()).path("rows");
        return (rows.path(0).path("n").asInt() - 1) / BATCH + 1;
    }

    static List<ObjectNode> rows(int n) {
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ObjectNode r = Json.object();
            r.put("n", i);
            r.put("id", i);
            rows.add(r);
        }
        return rows;
    }

    static final Reply OK = Reply.json(201, "{\"ok\": true}");
    static final Reply KEYS = Reply.json(200, "{\"ok\": true, \"rows\": [{\"pks\": \"[\\\"id\\\"]\", \"uniques\": 0,"
            + " \"triggers\": 0, \"type\": \"table\"}]}");

    static Reply unanswered(String how) {
        return switch (how) {
            case "close" -> Reply.closeImmediately();
            case "reset" -> Reply.reset();
            case "timeout" -> Reply.neverRespond();
            default -> throw new IllegalArgumentException(how);
        };
    }

    static WriteJob job(String base, int parallel) {
        DatasetteClient client = new DatasetteClient(Http.newClient(Map.of()), base, "tok", null, Duration.ofMillis(300),
                null);
        return new WriteJob(client, WriteRequest.insert("db", "t")).batchSize(BATCH).parallel(parallel);
    }

    static HostileServer server(Function<Integer, Reply> byBatch) {
        return HostileServer.start(req -> req.method().equals("GET") ? KEYS : byBatch.apply(batch(req)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"close", "reset", "timeout"})
    void aBatchSentAndNotAnsweredMayOrMayNotHaveBeenWritten(String how) throws Exception {
        try (HostileServer s = server(b -> b == 2 ? unanswered(how) : OK)) {
            DclientException e = assertThrows(DclientException.class, () -> job(s.baseUrl(), 1).run(rows(30).iterator()));
            assertEquals(DclientException.Kind.NETWORK, e.kind());
            String[] lines = e.getMessage().split("\n");
            assertEquals(2, lines.length, e.getMessage());
            assertTrue(lines[0].contains(s.baseUrl() + "/db/t/-/insert"), lines[0]);
            assertEquals("10 rows were inserted before this batch (rows 11-20), which may or may not have been inserted"
                    + " (no answer came); the rest of the input was not sent.", lines[1]);
            assertFalse(e.getMessage().contains("were not sent"), "never 'not sent' for a batch that went out");
            assertEquals(2, s.requestCount(), "nothing after it");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"close", "reset", "timeout"})
    void theFirstBatchUnanswered(String how) throws Exception {
        try (HostileServer s = server(b -> unanswered(how))) {
            DclientException e = assertThrows(DclientException.class, () -> job(s.baseUrl(), 4).run(rows(30).iterator()));
            assertTrue(e.getMessage().endsWith("\nThe first batch (rows 1-10) may or may not have been inserted (no answer"
                    + " came); the rest of the input was not sent."), e.getMessage());
        }
    }

    @Test
    void aBatchThatCouldNotConnectWasNotSent() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        DclientException e = assertThrows(DclientException.class,
                () -> job("http://127.0.0.1:" + port, 4).run(rows(30).iterator()));
        assertTrue(e.getMessage().startsWith("Could not connect to http://127.0.0.1:" + port), e.getMessage());
        assertTrue(e.getMessage().endsWith("\nNothing was inserted: the first batch (rows 1-10) failed before it was sent,"
                + " and the rest of the input was not sent."), e.getMessage());
    }

    /** With several in flight: batch 3 goes unanswered once 4 and 5 have arrived; they are written. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"close", "reset", "timeout"})
    void anUnansweredBatchAmongOthersInFlight(String how) throws Exception {
        CountDownLatch fourAndFive = new CountDownLatch(2);
        try (HostileServer s = server(b -> {
            if (b == 4 || b == 5) fourAndFive.countDown();
            if (b != 3) return OK;
            try {
                if (!fourAndFive.await(10, TimeUnit.SECONDS)) return Reply.status(500);
            } catch (InterruptedException e) {
                return Reply.status(500);
            }
            return unanswered(how);
        })) {
            List<ObjectNode> rows = rows(100);
            rows.get(55).put("id", 21); // batch 6 waits for batch 3: only 4 and 5 overlap it
            DclientException e = assertThrows(DclientException.class, () -> job(s.baseUrl(), 4).run(rows.iterator()));
            assertTrue(e.getMessage().endsWith("\nRows 1-20 and 31-50 were inserted; rows 21-30 may or may not have been"
                    + " inserted (no answer came); the rest of the input was not sent."), e.getMessage());
        }
    }

    /** What the transport tells, and what it means for the batch (see {@link Delivery}). */
    @Test
    void onlyAFailureBeforeAConnectionMeansNotSent() {
        assertFalse(Delivery.mayHaveArrived(new DclientException("x", DclientException.Kind.NETWORK,
                new java.net.ConnectException("Connection refused"))));
        assertFalse(Delivery.mayHaveArrived(new DclientException("x", DclientException.Kind.NETWORK,
                new RuntimeException(new UnknownHostException("nowhere")))));
        assertFalse(Delivery.mayHaveArrived(new DclientException("x", DclientException.Kind.NETWORK,
                new java.net.http.HttpConnectTimeoutException("connect"))));
        assertTrue(Delivery.mayHaveArrived(new DclientException("x", DclientException.Kind.NETWORK,
                new java.net.SocketException("Connection reset"))));
        assertTrue(Delivery.mayHaveArrived(new DclientException("x", DclientException.Kind.NETWORK,
                new java.net.http.HttpTimeoutException("request timed out"))));
        assertTrue(Delivery.mayHaveArrived(new DclientException("x", DclientException.Kind.NETWORK,
                new java.io.EOFException())));
    }
}
