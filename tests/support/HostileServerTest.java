package io.datasette.dclient.testing;

import static java.net.http.HttpResponse.BodyHandlers.ofInputStream;
import static java.net.http.HttpResponse.BodyHandlers.ofString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.testing.HostileServer.Reply;
import io.datasette.dclient.testing.HostileServer.Request;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fixture itself, driven by the JDK client configured as dclient's (default version, no redirects). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HostileServerTest {
    static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static final Duration SHORT = Duration.ofMillis(300);

    static HttpRequest get(HostileServer s, String pathAndQuery) {
        return HttpRequest.newBuilder(s.uri(pathAndQuery)).build();
    }

    /** Reads the whole body on another thread, so a test can wait for it with a timeout. */
    static CompletableFuture<byte[]> readAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void logsMethodRawTargetHeadersAndBody() throws Exception {
        try (HostileServer s = HostileServer.start(req -> Reply.text(200, "ok"))) {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(s.uri("/db/t.json?_shape=array&q=a%20b"))
                    .header("Authorization", "Bearer secret")
                    .header("X-Multi", "one").header("X-Multi", "two")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"rows\": []}")).build(), ofString());
            CLIENT.send(get(s, "/plain"), ofString());

            assertEquals(200, r.statusCode());
            assertEquals("ok", r.body());
            assertEquals(2, s.requestCount());
            Request post = s.requests().get(0);
            assertEquals("POST", post.method());
            assertEquals("/db/t.json?_shape=array&q=a%20b", post.target());
            assertEquals("/db/t.json", post.path());
            assertEquals("_shape=array&q=a%20b", post.query());
            assertEquals("Bearer secret", post.header("authorization").orElseThrow());
            assertEquals(List.of("one", "two"), post.headers("x-MULTI"));
            assertEquals("{\"rows\": []}", post.bodyText());
            Request plain = s.lastRequest();
            assertEquals("GET", plain.method());
            assertEquals("", plain.query());
            assertFalse(plain.hasHeader("Authorization"));
            assertEquals(0, plain.body().length);
        }
    }

    @Test
    void decodesAChunkedRequestBody() throws Exception {
        try (HostileServer s = HostileServer.start(req -> Reply.status(204))) {
            byte[] payload = "a body of unknown length".getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(s.uri("/-/insert"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(payload))).build(),
                    ofString());
            assertEquals(204, r.statusCode());
            assertEquals("chunked", s.lastRequest().header("Transfer-Encoding").orElseThrow());
            assertArrayEquals(payload, s.lastRequest().body());
        }
    }

    @Test
    void playsAScriptOverManySequentialConnections() throws Exception {
        try (HostileServer s = HostileServer.start(Reply.text(503, "busy"), Reply.json(200, "{\"ok\": true}"))) {
            assertEquals(503, CLIENT.send(get(s, "/"), ofString()).statusCode());
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = CLIENT.send(get(s, "/" + i), ofString());
                assertEquals(200, r.statusCode());
                assertEquals("{\"ok\": true}", r.body());
                assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
            }
            assertEquals(21, s.requestCount());
            assertEquals(21, s.acceptedConnections());
            assertTrue(s.awaitIdle(Duration.ofSeconds(2)));
        }
    }

    @Test
    void handlerFailureIsA500() throws Exception {
        try (HostileServer s = HostileServer.start(req -> { throw new IllegalStateException("boom"); })) {
            HttpResponse<String> r = CLIENT.send(get(s, "/"), ofString());
            assertEquals(500, r.statusCode());
            assertTrue(r.body().contains("boom"), r.body());
        }
    }

    @Test
    void redirectSendsLocationAndTheLogShowsWhatAFollowingClientResent() throws Exception {
        try (HostileServer target = HostileServer.start(req -> Reply.text(200, "landed"));
                HostileServer s = HostileServer.start(req -> Reply.redirect(307, target.baseUrl() + "/there"))) {
            HttpResponse<String> r = CLIENT.send(get(s, "/here"), ofString());
            assertEquals(307, r.statusCode());
            assertEquals(target.baseUrl() + "/there", r.headers().firstValue("Location").orElseThrow());
            assertEquals(0, target.requestCount());

            HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<String> followed = following.send(HttpRequest.newBuilder(s.uri("/here"))
                    .POST(HttpRequest.BodyPublishers.ofString("payload")).build(), ofString());
            assertEquals("landed", followed.body());
            assertEquals("POST", target.lastRequest().method());
            assertEquals("/there", target.lastRequest().target());
            assertEquals("payload", target.lastRequest().bodyText()); // 307 re-sends the body
        }
    }

    @Test
    void rawBytesAreSentVerbatimEvenWhenInvalid() throws Exception {
        try (HostileServer s = HostileServer.start(
                Reply.raw("HTTP/1.1 200 OK\r\nX-Note: a\r\nSet-Cookie: injected=1\r\nContent-Length: 2\r\n\r\nhi"),
                Reply.raw("HTTP/1.1 two hundred\r\n\r\n"))) {
            HttpResponse<String> r = CLIENT.send(get(s, "/"), ofString());
            assertEquals("hi", r.body());
            assertEquals("injected=1", r.headers().firstValue("Set-Cookie").orElseThrow());
            assertThrows(IOException.class, () -> CLIENT.send(get(s, "/"), ofString()));
        }
    }

    @Test
    void stallAfterHeadersHoldsTheBodyUntilTheServerCloses() throws Exception {
        HostileServer s = HostileServer.start(req -> Reply.json(200, "{\"rows\": []}").stallAfterHeaders());
        try (s) {
            HttpResponse<InputStream> r = CLIENT.send(get(s, "/"), ofInputStream());
            assertEquals(200, r.statusCode());
            assertEquals("12", r.headers().firstValue("Content-Length").orElseThrow());
            CompletableFuture<byte[]> body = readAsync(r.body());
            assertThrows(TimeoutException.class, () -> body.get(SHORT.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(1, s.openConnections());
            s.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> body.get(2, TimeUnit.SECONDS));
            assertInstanceOf(UncheckedIOException.class, e.getCause());
        }
    }

    @Test
    void aStalledChunkedReplyEndsWhenTheClientGivesUp() throws Exception {
        try (HostileServer s = HostileServer.start(req -> Reply.status(200).chunked().stallAfterHeaders())) {
            HttpResponse<InputStream> r = CLIENT.send(get(s, "/"), ofInputStream());
            assertEquals("chunked", r.headers().firstValue("Transfer-Encoding").orElseThrow());
            assertEquals(1, s.openConnections());
            r.body().close();
            assertTrue(s.awaitIdle(Duration.ofSeconds(2)), "server still holds the connection");
        }
    }

    @Test
    void dripSendsTheBodyOneByteAtATime() throws Exception {
        try (HostileServer s = HostileServer.start(req -> Reply.text(200, "hello").drip(Duration.ofMillis(20)))) {
            long start = System.nanoTime();
            HttpResponse<String> r = CLIENT.send(get(s, "/"), ofString());
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals("hello", r.body());
            assertTrue(elapsedMs >= 80, "took only " + elapsedMs + " ms");
        }
    }

    @Test
    void endlessBodyStreamsUntilTheClientLeavesThenTheServerStopsWriting() throws Exception {
        try (HostileServer s = HostileServer.start(req -> Reply.status(200).endless("row\n".getBytes()))) {
            HttpResponse<InputStream> r = CLIENT.send(get(s, "/"), ofInputStream());
            assertEquals("chunked", r.headers().firstValue("Transfer-Encoding").orElseThrow());
            try (InputStream in = r.body()) {
                byte[] first = in.readNBytes(8 * 1024 * 1024);
                assertEquals(8 * 1024 * 1024, first.length);
                assertEquals("row\nrow\n", new String(first, 0, 8, StandardCharsets.US_ASCII));
            }
            assertTrue(s.awaitIdle(Duration.ofSeconds(2)), "server still writing");
        }
    }

    @Test
    void endlessUntilCloseHasNoFraming() throws Exception {
        try (HostileServer s = HostileServer.start(req -> Reply.status(200).untilClose().endless())) {
            HttpResponse<InputStream> r = CLIENT.send(get(s, "/"), ofInputStream());
            assertFalse(r.headers().firstValue("Transfer-Encoding").isPresent());
            assertFalse(r.headers().firstValue("Content-Length").isPresent());
            try (InputStream in = r.body()) {
                assertEquals(1_000_000, in.readNBytes(1_000_000).length);
            }
            assertTrue(s.awaitIdle(Duration.ofSeconds(2)), "server still writing");
        }
    }

    @Test
    void hugeBodyIsStreamedWithItsLength() throws Exception {
        long size = 64L * 1024 * 1024 + 1;
        try (HostileServer s = HostileServer.start(req -> Reply.status(200).hugeBody(size, "abc".getBytes()))) {
            HttpResponse<InputStream> r = CLIENT.send(get(s, "/"), ofInputStream());
            assertEquals(Long.toString(size), r.headers().firstValue("Content-Length").orElseThrow());
            long count = 0;
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = r.body()) {
                for (int n; (n = in.read(buf)) != -1; count += n) {
                    for (int i = 0; i < n; i += 4099) {
                        assertEquals("abc".charAt((int) ((count + i) % 3)), (char) buf[i]);
                    }
                }
            }
            assertEquals(size, count);
        }
    }

    @Test
    void neverRespondReadsTheRequestAndSendsNothing() throws Exception {
        try (HostileServer s = HostileServer.start(req -> Reply.neverRespond())) {
            HttpRequest req = HttpRequest.newBuilder(s.uri("/slow")).timeout(SHORT)
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build();
            assertThrows(HttpTimeoutException.class, () -> CLIENT.send(req, ofString()));
            assertEquals("x", s.lastRequest().bodyText());
            assertTrue(s.awaitIdle(Duration.ofSeconds(2)), "the client's timeout did not close the connection");
        }
    }

    @Test
    void closeImmediatelyDropsTheConnectionAfterReadingTheRequest() throws Exception {
        try (HostileServer s = HostileServer.start(req -> Reply.closeImmediately())) {
            HttpRequest post = HttpRequest.newBuilder(s.uri("/")).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString("once")).build();
            IOException e = assertThrows(IOException.class, () -> CLIENT.send(post, ofString()));
            assertFalse(e instanceof HttpTimeoutException, e.toString());
            assertEquals(1, s.requestCount());
            assertEquals("once", s.lastRequest().bodyText());
            // The JDK client silently retries an idempotent request once when the connection
            // closes before any reply: the log is where such retries show up.
            assertThrows(IOException.class, () -> CLIENT.send(get(s, "/"), ofString()));
            assertTrue(s.requestCount() >= 2);
        }
    }

    @Test
    void resetReadsTheRequestThenResetsTheConnection() throws Exception {
        try (HostileServer s = HostileServer.start(req -> Reply.reset())) {
            try (Socket c = new Socket("127.0.0.1", s.port())) {
                c.getOutputStream().write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nonce"
                        .getBytes(StandardCharsets.ISO_8859_1));
                IOException e = assertThrows(IOException.class, () -> c.getInputStream().read());
                assertTrue(e.getMessage().toLowerCase().contains("reset"), e.toString());
            }
            assertEquals("once", s.lastRequest().bodyText());
        }
    }

    @Test
    void closeEndsEveryDaemonThreadAndStopsAccepting() throws Exception {
        HostileServer s = HostileServer.start(req -> Reply.neverRespond());
        String prefix = "hostile-server-" + s.port() + "-";
        Socket idle = new Socket("127.0.0.1", s.port()); // connected, never sends a request
        CompletableFuture<HttpResponse<String>> pending = CLIENT.sendAsync(get(s, "/"), ofString());
        while (s.requestCount() < 1 || s.openConnections() < 2) Thread.sleep(5);
        assertTrue(serverThreads(prefix).stream().allMatch(Thread::isDaemon));
        assertEquals(3, serverThreads(prefix).size()); // acceptor + two connections

        long start = System.nanoTime();
        s.close();
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 1000);
        assertEquals(List.of(), serverThreads(prefix));
        assertEquals(-1, idle.getInputStream().read());
        idle.close();
        assertThrows(ExecutionException.class, () -> pending.get(2, TimeUnit.SECONDS));
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", s.port()).close());
    }

    static List<Thread> serverThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive()).toList();
    }
}
