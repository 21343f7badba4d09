package io.datasette.dclient.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.testing.HostileServer;
import io.datasette.dclient.testing.HostileServer.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * dclient's HTTP/1.1 transport ({@link SocketTransport}) under {@link DatasetteClient}: kept-alive
 * connections, body framings (lengths, chunks with extensions and trailers, to the close,
 * interim 1xx answers), gzip, a connection the server closed, the request's headers, writes to
 * a server that does not read, redirected writes, interrupts. TLS and proxies: {@link TlsTest}.
 */
class SocketTransportTest {

    /** A keep-alive HTTP/1.1 server: many requests per connection, each answered by {@code handler}. */
    static final class KeepAlive implements AutoCloseable {
        final ServerSocket server;
        final AtomicInteger connections = new AtomicInteger();
        final List<String> heads = new CopyOnWriteArrayList<>();
        final List<Socket> sockets = new CopyOnWriteArrayList<>();
        /** Counts connections this server has closed (after an answer, with closeSilently). */
        final java.util.concurrent.Semaphore closed = new java.util.concurrent.Semaphore(0);
        /** Request head and body to the raw reply (status line, headers, body); null closes the connection. */
        final Function<String, byte[]> handler;
        /** Close the connection after each answer, without saying so. */
        volatile boolean closeSilently;

        KeepAlive(Function<String, byte[]> handler) throws IOException {
            this.handler = handler;
            this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            io.datasette.dclient.testing.Sockets.acceptEach(server, sockets, c -> {
                connections.incrementAndGet();
                serve(c);
            }, "keepalive");
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                while (true) {
                    String head = io.datasette.dclient.testing.Sockets.readHead(in);
                    if (head == null) return;
                    int length = 0;
                    for (String line : head.split("\r\n")) {
                        if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
                    }
                    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                    heads.add(head);
                    byte[] reply = handler.apply(head + body);
                    if (reply == null) return;
                    out.write(reply);
                    out.flush();
                    if (closeSilently) {
                        s.close();
                        closed.release();
                        return;
                    }
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) s.close();
        }
    }

    static byte[] json(String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
    }

    static DatasetteClient client(String url, String token, long timeoutMillis) {
        return new DatasetteClient(SocketTransport.fromEnv(Map.of()), url, token, null, Duration.ofMillis(timeoutMillis), "prod");
    }

    /** A probe opens a connection, says how long it took, and keeps it for the next request. */
    @Test
    void aProbedConnectionIsMeasuredAndKept() throws Exception {
        try (KeepAlive s = new KeepAlive(req -> json("{\"ok\": true}"))) {
            Transport t = SocketTransport.fromEnv(Map.of());
            java.net.URI origin = java.net.URI.create(s.baseUrl() + "/");
            assertEquals(-1, t.connectNanos(origin), "nothing measured yet");
            long probed = t.probeConnect(origin);
            assertTrue(probed >= 0 && probed < Duration.ofSeconds(1).toNanos(), String.valueOf(probed));
            assertEquals(probed, t.connectNanos(origin));
            DatasetteClient c = new DatasetteClient(t, s.baseUrl(), null, null, Duration.ofSeconds(5), "prod");
            assertTrue(c.getJson("/db.json").path("ok").asBoolean());
            assertEquals(1, s.connections.get(), "the request used the probed connection");
            assertEquals(-1, t.probeConnect(java.net.URI.create("http://127.0.0.1:1/")), "nothing listens there");
        }
    }

    /** A server that takes the connection but never answers its TLS hello holds a probe up a second, not the connect timeout. */
    @Test
    void aProbeGivesUpAfterASecond() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Transport t = SocketTransport.fromEnv(Map.of());
            long start = System.nanoTime();
            assertEquals(-1, t.probeConnect(java.net.URI.create("https://localhost:" + silent.getLocalPort() + "/")));
            long took = (System.nanoTime() - start) / 1_000_000;
            assertTrue(took >= 900 && took < 3000, "took " + took + " ms");
        }
    }

    @Test
    void requestsShareOneKeptAliveConnection() throws Exception {
        AtomicInteger n = new AtomicInteger();
        try (KeepAlive s = new KeepAlive(req -> json("{\"ok\": true, \"n\": " + n.incrementAndGet() + "}"))) {
            DatasetteClient c = client(s.baseUrl(), "dstok_KA", 5000);
            for (int i = 1; i <= 5; i++) assertEquals(i, c.getJson("/db.json").path("n").asInt());
            JsonNode posted = c.postJson("/db/t/-/insert", Json.parse("{\"rows\": [{\"id\": 1}]}"));
            assertEquals(6, posted.path("n").asInt());
            assertEquals(1, s.connections.get(), "one connection for all six requests");
        }
    }

    @Test
    void theRequestHeadersOfferGzipAndNoUpgrade() throws Exception {
        try (KeepAlive s = new KeepAlive(req -> json("{\"ok\": true}"))) {
            DatasetteClient c = client(s.baseUrl(), "dstok_HEAD", 5000);
            c.getJson("/db/t.json?_shape=objects&_size=max");
            c.postJson("/db/t/-/insert", Json.parse("{\"rows\": []}"));
            String get = s.heads.get(0);
            assertTrue(get.startsWith("GET /db/t.json?_shape=objects&_size=max HTTP/1.1\r\n"), get);
            assertTrue(get.contains("\r\nHost: 127.0.0.1:" + s.server.getLocalPort() + "\r\n"), get);
            assertTrue(get.contains("\r\nUser-Agent: dclient-java/" + io.datasette.dclient.core.Version.VALUE + "\r\n"), get);
            assertTrue(get.contains("\r\nAccept: application/json\r\n"), get);
            assertTrue(get.contains("\r\nAccept-Encoding: gzip\r\n"), get);
            assertTrue(get.contains("\r\nAuthorization: Bearer dstok_HEAD\r\n"), get);
            assertFalse(get.toLowerCase().contains("upgrade"), get);
            assertFalse(get.toLowerCase().contains("content-length"), get);
            String post = s.heads.get(1);
            assertTrue(post.startsWith("POST /db/t/-/insert HTTP/1.1\r\n"), post);
            assertTrue(post.contains("\r\nContent-Type: application/json\r\nContent-Length: 11\r\n"), post); // {"rows":[]}
        }
    }

    @Test
    void aTokenForAnotherOriginIsNotSent() throws Exception {
        try (KeepAlive other = new KeepAlive(req -> json("{\"ok\": true}"));
                KeepAlive s = new KeepAlive(req -> ("HTTP/1.1 302 Found\r\nLocation: " + other.baseUrl()
                        + "/x.json\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8))) {
            client(s.baseUrl(), "dstok_MINE", 5000).getJson("/x.json");
            assertTrue(s.heads.get(0).contains("Authorization: Bearer dstok_MINE"));
            assertFalse(other.heads.get(0).contains("Authorization"), other.heads.get(0));
        }
    }

    @Test
    void chunkedAndToTheEndBodiesAreRead() {
        String page = "{\"ok\": true, \"rows\": [" + "{\"id\": 1, \"name\": \"x\"},".repeat(5000) + "{\"id\": 2}]}";
        try (HostileServer s = HostileServer.start(Reply.json(200, page).chunked(), Reply.json(200, page).untilClose())) {
            DatasetteClient c = client(s.baseUrl(), null, 5000);
            assertEquals(5001, c.getJson("/a.json").path("rows").size());
            assertEquals(5001, c.getJson("/b.json").path("rows").size());
        }
    }

    @Test
    void aConnectionTheServerClosedIsNotUsedAgain() throws Exception {
        AtomicInteger n = new AtomicInteger();
        try (KeepAlive s = new KeepAlive(req -> json("{\"ok\": true, \"n\": " + n.incrementAndGet() + "}"))) {
            s.closeSilently = true; // answers, then closes without "Connection: close"
            DatasetteClient c = client(s.baseUrl(), "dstok_X", 5000);
            assertEquals(1, c.getJson("/a.json").path("n").asInt());
            s.closed.acquire(); // the server has closed it (its FIN is on loopback at once): seen before reuse
            assertEquals(2, c.postJson("/db/t/-/insert", Json.parse("{\"rows\": []}")).path("n").asInt());
            assertEquals(3, c.getJson("/b.json").path("n").asInt()); // at once: a GET is sent again on a new one
            assertEquals(3, s.connections.get());
            assertEquals(3, n.get(), "every request reached the server once");
        }
    }

    @Test
    void aBodyTheServerDoesNotReadEndsAtTheTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> held = new ArrayList<>();
            Thread t = new Thread(() -> {
                try {
                    held.add(server.accept()); // and never read
                } catch (IOException ignored) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            String url = "http://127.0.0.1:" + server.getLocalPort();
            DatasetteClient c = client(url, null, 300);
            byte[] big = new byte[64 << 20];
            long start = System.nanoTime();
            DclientException e = assertThrows(DclientException.class,
                    () -> c.send("POST", c.uri("/db/t/-/insert"), "application/json", big));
            long took = (System.nanoTime() - start) / 1_000_000;
            assertEquals("Timed out after 0.3 s waiting for " + url + "/db/t/-/insert. Is the server overloaded?",
                    e.getMessage());
            assertTrue(e.advice() instanceof io.datasette.dclient.core.Advice.WaitLonger, "waiting longer may help");
            assertTrue(took < 3000, "took " + took + " ms");
            for (Socket s : held) s.close();
        }
    }

    @Test
    void anInterruptEndsARequestInFlight() throws Exception {
        try (HostileServer s = HostileServer.start(Reply.neverRespond())) {
            DatasetteClient c = client(s.baseUrl(), null, 30_000);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> flag = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    c.getJson("/slow.json");
                } catch (Throwable e) {
                    thrown.set(e);
                    flag.set(Thread.currentThread().isInterrupted());
                }
            });
            t.start();
            while (s.requestCount() == 0) Thread.sleep(5);
            long start = System.nanoTime();
            t.interrupt();
            t.join(5000);
            assertFalse(t.isAlive());
            assertTrue((System.nanoTime() - start) / 1_000_000 < 2000);
            DclientException e = (DclientException) thrown.get();
            assertEquals("Interrupted.", e.getMessage());
            assertEquals(DclientException.Kind.INTERRUPTED, e.kind());
            assertTrue(flag.get(), "the thread stays interrupted");
        }
    }

    @Test
    void anHttp10AnswerWithoutLengthIsReadToTheEnd() throws Exception {
        try (KeepAlive s = new KeepAlive(req -> "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"ok\": true, \"v\": 1}"
                .getBytes(StandardCharsets.UTF_8))) {
            s.closeSilently = true;
            DatasetteClient c = client(s.baseUrl(), null, 5000);
            assertEquals(1, c.getJson("/a.json").path("v").asInt());
            assertEquals(1, c.getJson("/b.json").path("v").asInt());
            assertEquals(2, s.connections.get());
        }
    }

    static byte[] gzip(String text) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(b)) {
                gz.write(text.getBytes(StandardCharsets.UTF_8));
            }
            return b.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }

    /** A gzip answer, with a length or chunked (in pieces, as a front end streams it). */
    static byte[] gzipped(String body, boolean chunked) {
        byte[] z = gzip(body);
        String head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n";
        if (!chunked) return concat((head + "Content-Length: " + z.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), z);
        int half = z.length / 2;
        return concat((head + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(half) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII), java.util.Arrays.copyOfRange(z, 0, half),
                ("\r\n" + Integer.toHexString(z.length - half) + "\r\n").getBytes(StandardCharsets.US_ASCII),
                java.util.Arrays.copyOfRange(z, half, z.length), "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void gzipAnswersAreDecodedAndTheConnectionIsKept() throws Exception {
        String page = "{\"ok\": true, \"rows\": [" + "{\"id\": 1, \"name\": \"gzip\"},".repeat(3000) + "{\"id\": 2}]}";
        AtomicInteger n = new AtomicInteger();
        try (KeepAlive s = new KeepAlive(req -> gzipped(page, n.incrementAndGet() % 2 == 0))) {
            DatasetteClient c = client(s.baseUrl(), null, 5000);
            for (int i = 0; i < 4; i++) assertEquals(3001, c.getJson("/p.json").path("rows").size());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            c.stream("/p.json", out);
            assertEquals(Json.pretty(Json.parse(page), 2) + "\n", out.toString(StandardCharsets.UTF_8));
            assertEquals(1, s.connections.get(), "gzip bodies, with a length or chunked, are read to their end");
        }
    }

    @Test
    void aSmallGzipThatInflatesPastTheLimitIsAnErrorNotAnAllocation() throws Exception {
        String huge = "{\"ok\": true, \"pad\": \"" + "x".repeat(8 << 20) + "\"}"; // 8 MiB, about 8 KiB zipped
        byte[] z = gzip(huge);
        assertTrue(z.length < 64 * 1024, "compresses well: " + z.length);
        try (KeepAlive s = new KeepAlive(req -> gzipped(huge, false))) {
            DatasetteClient c = client(s.baseUrl(), null, 5000).maxResponseBytes(1 << 20);
            DclientException e = assertThrows(DclientException.class, () -> c.getJson("/bomb.json"));
            assertTrue(e.getMessage().startsWith("The response from " + s.baseUrl() + "/bomb.json is larger than 1 MiB"),
                    e.getMessage());
        }
    }

    @Test
    void corruptGzipIsOneLine() throws Exception {
        try (KeepAlive s = new KeepAlive(req -> concat(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Content-Encoding: gzip\r\nContent-Length: 10\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                "not gzip!!".getBytes(StandardCharsets.US_ASCII)))) {
            DclientException e = assertThrows(DclientException.class, () -> client(s.baseUrl(), null, 5000).getJson("/z.json"));
            assertEquals("Reading the response from " + s.baseUrl() + "/z.json failed: its gzip data is corrupt"
                    + " (Not in GZIP format)", e.getMessage());
        }
    }

    @Test
    void earlyHintsChunkExtensionsAndTrailersAreRead() throws Exception {
        byte[] answer = ("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value;other\r\n{\"ok\"\r\n"
                + "8 ; ext=\"quoted\"\r\n: true, \r\n"
                + "7\r\n\"v\": 3}\r\n"
                + "0;last\r\nX-Trailer: one\r\nX-Other: two\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try (KeepAlive s = new KeepAlive(req -> answer)) {
            DatasetteClient c = client(s.baseUrl(), null, 5000);
            assertEquals(3, c.getJson("/a.json").path("v").asInt());
            assertEquals(3, c.getJson("/b.json").path("v").asInt());
            assertEquals(1, s.connections.get(), "the trailers were read: the connection is kept");
        }
    }

    @Test
    void aWriteAnsweredWithARedirectIsNotFollowedAsAGet() throws Exception {
        for (int status : new int[] {301, 302, 303}) {
            try (KeepAlive s = new KeepAlive(req -> req.startsWith("POST")
                    ? ("HTTP/1.1 " + status + " Moved\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII)
                    : json("{\"ok\": true}"))) {
                DatasetteClient c = client(s.baseUrl(), "dstok_W", 5000);
                DclientException e = assertThrows(DclientException.class,
                        () -> c.postJson("/db/t/-/insert", Json.parse("{\"rows\": [{\"id\": 1}]}")));
                assertEquals("The server answered the POST to " + s.baseUrl() + "/db/t/-/insert with a redirect (HTTP "
                        + status + ") to " + s.baseUrl() + "/elsewhere; the write was not made, and dclient does not resend"
                        + " a write elsewhere. If the instance has moved, use its new URL.", e.getMessage());
                assertEquals(1, s.heads.size(), "nothing was sent after the redirect: " + s.heads);
            }
        }
    }

    @Test
    void a307Or308ToTheSameOriginResendsTheWriteAsItWas() throws Exception {
        try (KeepAlive s = new KeepAlive(req -> req.startsWith("POST /old")
                ? "HTTP/1.1 308 Permanent Redirect\r\nLocation: /new/-/insert\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)
                : json("{\"ok\": true, \"got\": " + req.substring(req.indexOf("\r\n\r\n") + 4) + "}"))) {
            JsonNode r = client(s.baseUrl(), "dstok_W", 5000).postJson("/old/-/insert", Json.parse("{\"rows\": [{\"id\": 7}]}"));
            assertEquals(7, r.path("got").path("rows").path(0).path("id").asInt());
            assertTrue(s.heads.get(1).startsWith("POST /new/-/insert "), s.heads.get(1));
            assertTrue(s.heads.get(1).contains("Authorization: Bearer dstok_W"), "same origin: the token goes along");
        }
    }

    @Test
    void aWriteSentWholeButUnansweredMayHaveTakenEffect() throws Exception {
        try (KeepAlive s = new KeepAlive(req -> null)) { // reads the whole request, closes without a word
            DatasetteClient c = client(s.baseUrl(), "dstok_W", 5000);
            DclientException e = assertThrows(DclientException.class,
                    () -> c.postJson("/db/t/-/insert", Json.parse("{\"rows\": [{\"id\": 1}]}")));
            assertTrue(e instanceof HttpFailures.RequestUnanswered, e.getClass().getName());
            assertEquals("Request to " + s.baseUrl() + "/db/t/-/insert failed: the server closed the connection without"
                    + " an answer. The request had been sent, so it may or may not have taken effect.", e.getMessage());
        }
    }

    @Test
    void aRequestThatNeverLeftIsNotCalledUnanswered() {
        DatasetteClient c = client("http://127.0.0.1:1", "dstok_W", 2000);
        DclientException e = assertThrows(DclientException.class,
                () -> c.postJson("/db/t/-/insert", Json.parse("{\"rows\": []}")));
        assertFalse(e instanceof HttpFailures.RequestUnanswered);
    }

    @Test
    void anInMemoryTransportStandsInForTheNetwork() {
        List<Transport.Request> seen = new ArrayList<>();
        Transport fake = r -> {
            seen.add(r);
            return new Transport.Answer(200, "application/json", null, -1,
                    Transport.Body.of("{\"ok\": true, \"rows\": [[1]]}".getBytes(StandardCharsets.UTF_8)));
        };
        DatasetteClient c = new DatasetteClient(fake, "https://example.test", "dstok_MEM", null, null, "mem");
        assertEquals(1, c.getJson("/db.json?sql=select+1").path("rows").path(0).path(0).asInt());
        assertEquals("Bearer dstok_MEM", seen.get(0).authorization());
        assertEquals(URI.create("https://example.test/db.json?sql=select+1"), seen.get(0).target());
    }
}
