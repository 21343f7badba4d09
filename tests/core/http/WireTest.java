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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * dclient's own HTTP/1.1 transport ({@link Wire}), which carries the http:// requests of clients
 * built by {@link Http#newClient}: kept-alive connections, body framings, a connection the server
 * closed, the request's headers, writes to a server that does not read, interrupts.
 */
class WireTest {

    /** A keep-alive HTTP/1.1 server: many requests per connection, each answered by {@code handler}. */
    static final class KeepAlive implements AutoCloseable {
        final ServerSocket server;
        final AtomicInteger connections = new AtomicInteger();
        final List<String> heads = new CopyOnWriteArrayList<>();
        final List<Socket> sockets = new CopyOnWriteArrayList<>();
        /** Request head and body to the raw reply (status line, headers, body); null closes the connection. */
        final Function<String, byte[]> handler;
        /** Close the connection after each answer, without saying so. */
        volatile boolean closeSilently;

        KeepAlive(Function<String, byte[]> handler) throws IOException {
            this.handler = handler;
            this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            Thread t = new Thread(this::accept, "keepalive-accept");
            t.setDaemon(true);
            t.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        private void accept() {
            while (true) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                connections.incrementAndGet();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "keepalive-conn");
                t.setDaemon(true);
                t.start();
            }
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                while (true) {
                    String head = head(in);
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
                    if (closeSilently) return;
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        private static String head(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int state = 0;
            for (int c; (c = in.read()) != -1; ) {
                b.write(c);
                state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
                if (state == 4) return b.toString(StandardCharsets.ISO_8859_1);
            }
            return null;
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
        return new DatasetteClient(Http.newClient(Map.of()), url, token, null, Duration.ofMillis(timeoutMillis), "prod");
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
    void theRequestSaysWhatTheJdkClientSaidAndNoUpgrade() throws Exception {
        try (KeepAlive s = new KeepAlive(req -> json("{\"ok\": true}"))) {
            DatasetteClient c = client(s.baseUrl(), "dstok_HEAD", 5000);
            c.getJson("/db/t.json?_shape=objects&_size=max");
            c.postJson("/db/t/-/insert", Json.parse("{\"rows\": []}"));
            String get = s.heads.get(0);
            assertTrue(get.startsWith("GET /db/t.json?_shape=objects&_size=max HTTP/1.1\r\n"), get);
            assertTrue(get.contains("\r\nHost: 127.0.0.1:" + s.server.getLocalPort() + "\r\n"), get);
            assertTrue(get.contains("\r\nUser-Agent: dclient-java/" + io.datasette.dclient.core.Version.VALUE + "\r\n"), get);
            assertTrue(get.contains("\r\nAccept: application/json\r\n"), get);
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
            Thread.sleep(100); // the close has arrived: seen before the connection is reused
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
            assertEquals("Timed out after 0.3 s waiting for " + url + "/db/t/-/insert. Is the server overloaded? "
                    + DatasetteClient.CLI_TIMEOUT_HINT, e.getMessage());
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
    void theJdkClientIsStillThereForWhoeverAsks() throws Exception {
        try (HostileServer s = HostileServer.start(Reply.json(200, "{\"ok\": true}"))) {
            HttpClient http = Http.newClient(Map.of());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("{\"ok\": true}", r.body());
            assertEquals(HttpClient.Redirect.NEVER, http.followRedirects());
            assertEquals(Http.CONNECT_TIMEOUT, http.connectTimeout().orElseThrow());
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
}
