package io.datasette.dclient.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-process HTTP/1.1 server on 127.0.0.1 (ephemeral port) that misbehaves on purpose, for
 * tests WireMock cannot express: stalled or dripped bodies, endless or huge bodies, no reply,
 * a dropped connection, raw (invalid) bytes. One request per connection, answered with
 * {@code Connection: close} (an {@code Expect: 100-continue} gets its 100 first; an h2c upgrade
 * offer is ignored). Every thread is a daemon and {@link #close()} ends them all promptly.
 * <pre>
 * try (HostileServer s = HostileServer.start(req -> Reply.json(200, "{\"ok\": true}").stallAfterHeaders())) {
 *     client.send(HttpRequest.newBuilder(s.uri("/db.json")).build(), ofInputStream());
 *     assertFalse(s.lastRequest().hasHeader("Authorization"));
 * }
 * </pre>
 */
public final class HostileServer implements AutoCloseable {

    /** Answers a parsed request; an exception becomes a 500 reply. */
    @FunctionalInterface
    public interface Handler {
        Reply respond(Request request) throws Exception;
    }

    private final ServerSocket server;
    private final Handler handler;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;

    private HostileServer(Handler handler) throws IOException {
        this.handler = handler;
        this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        this.acceptor = daemon(this::acceptLoop, "hostile-server-" + port() + "-accept");
        acceptor.start();
    }

    /** A server answering every request with {@code handler}. */
    public static HostileServer start(Handler handler) {
        try {
            return new HostileServer(handler);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind 127.0.0.1", e);
        }
    }

    /** A scripted server: the n-th request gets the n-th reply, the last one repeats. */
    public static HostileServer start(Reply first, Reply... then) {
        List<Reply> script = new ArrayList<>(List.of(then));
        script.add(0, first);
        AtomicInteger next = new AtomicInteger();
        return start(req -> script.get(Math.min(next.getAndIncrement(), script.size() - 1)));
    }

    public int port() { return server.getLocalPort(); }

    /** {@code http://127.0.0.1:<port>}, no trailing slash. */
    public String baseUrl() { return "http://127.0.0.1:" + port(); }

    /** {@link #baseUrl()} + pathAndQuery (which starts with "/"). */
    public URI uri(String pathAndQuery) { return URI.create(baseUrl() + pathAndQuery); }

    /** Every request read so far, in arrival order (a snapshot). */
    public List<Request> requests() { return List.copyOf(requests); }

    public int requestCount() { return requests.size(); }

    /** Connections accepted so far. */
    public int connectionCount() { return accepted.get(); }

    public Request lastRequest() {
        List<Request> all = requests();
        if (all.isEmpty()) throw new AssertionError("no request reached " + baseUrl());
        return all.get(all.size() - 1);
    }

    public int acceptedConnections() { return accepted.get(); }

    /** Connections still being served (stalled, dripping, streaming...). */
    public int openConnections() { return workers.size(); }

    /** Waits until no connection is being served; false if some still are after the timeout. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!workers.isEmpty()) {
            if (System.nanoTime() - deadline > 0) return false;
            Thread.sleep(5);
        }
        return true;
    }

    /** Stops accepting, drops every open connection and waits (briefly) for the threads to end. */
    @Override
    public void close() {
        closed = true;
        quietClose(server);
        open.forEach(HostileServer::quietClose);
        workers.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        List<Thread> all = new ArrayList<>(workers);
        all.add(acceptor);
        for (Thread t : all) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            open.add(s);
            Thread t = daemon(() -> serve(s), "hostile-server-" + port() + "-conn-" + accepted.incrementAndGet());
            workers.add(t);
            t.start();
            if (closed) quietClose(s);
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            Request req = readRequest(in, out);
            if (req == null) return;
            requests.add(req);
            Reply reply;
            try {
                reply = handler.respond(req);
                if (reply == null) throw new NullPointerException("handler returned no Reply");
            } catch (Exception e) {
                reply = Reply.text(500, "HostileServer handler failed: " + e);
            }
            if (reply.framing == Reply.Framing.RESET) {
                s.setSoLinger(true, 0); // closing now sends a TCP reset
                return;
            }
            reply.send(in, out);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the client went away, sent garbage, or the server is closing: nothing to report
        } finally {
            open.remove(s);
            workers.remove(Thread.currentThread());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void quietClose(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    // ---- request parsing ------------------------------------------------------------------

    private static Request readRequest(InputStream in, OutputStream out) throws IOException {
        String line = readLine(in);
        if (line == null) return null; // closed before sending anything
        String[] parts = line.split(" ", 3);
        if (parts.length < 2) throw new IOException("bad request line: " + line);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String h = readLine(in); h != null && !h.isEmpty(); h = readLine(in)) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(h.substring(0, colon).trim(), k -> new ArrayList<>())
                        .add(h.substring(colon + 1).trim());
            }
        }
        headers.replaceAll((k, v) -> List.copyOf(v));
        Request head = new Request(parts[0], parts[1], Collections.unmodifiableMap(headers), new byte[0]);
        if (head.header("Expect").filter("100-continue"::equalsIgnoreCase).isPresent()) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        byte[] body;
        if (head.header("Transfer-Encoding").filter(te -> te.toLowerCase().contains("chunked")).isPresent()) {
            body = readChunked(in);
        } else {
            body = in.readNBytes(Integer.parseInt(head.header("Content-Length").orElse("0")));
        }
        return new Request(head.method(), head.target(), head.headers(), body);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = readLine(in);
            if (size == null) throw new IOException("EOF in chunked body");
            int n = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
            if (n == 0) {
                for (String t = readLine(in); t != null && !t.isEmpty(); t = readLine(in)) { /* trailers */ }
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            readLine(in);
        }
    }

    /** A line without its CR LF (ISO-8859-1), or null at end of stream before any byte. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                if (line.size() == 0) return null;
                break;
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Reads (and discards) until the client closes or the server drops the socket. */
    private static void holdUntilClosed(InputStream in) {
        byte[] sink = new byte[1024];
        try {
            while (in.read(sink) != -1) { /* discard */ }
        } catch (IOException ignored) {
            // socket closed by close()
        }
    }

    // ---- request and reply ----------------------------------------------------------------

    /** A request as received: target is the raw path + query; header names ignore case. */
    public record Request(String method, String target, Map<String, List<String>> headers, byte[] body) {
        public String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }

        /** The raw query string (without "?"), "" when there is none. */
        public String query() {
            int q = target.indexOf('?');
            return q < 0 ? "" : target.substring(q + 1);
        }

        public Optional<String> header(String name) { return headers(name).stream().findFirst(); }

        public List<String> headers(String name) { return headers.getOrDefault(name, List.of()); }

        public boolean hasHeader(String name) { return headers.containsKey(name); }

        public String bodyText() { return new String(body, StandardCharsets.UTF_8); }
    }

    /**
     * What to send back. Immutable: every method returns a changed copy. The body is a pattern
     * repeated up to a length (-1: forever), streamed in 16 KiB writes (or 1 byte per
     * {@link #drip} interval), so huge and endless bodies cost no memory. Unless set explicitly,
     * {@code Content-Length} (or {@code Transfer-Encoding: chunked}) and {@code Connection: close}
     * are added; setting them yourself (e.g. a Content-Length that lies) suppresses that.
     */
    public static final class Reply implements Cloneable {
        private enum Framing { LENGTH, CHUNKED, UNTIL_CLOSE, RAW, NEVER_RESPOND, CLOSE_IMMEDIATELY, RESET }

        private int status;
        private List<String[]> headers = new ArrayList<>();
        private byte[] pattern = new byte[0];
        private long length;
        private Framing framing = Framing.LENGTH;
        private boolean stall;
        private Duration drip;

        private Reply() {}

        public static Reply status(int status) { return new Reply().with(r -> r.status = status); }

        public static Reply text(int status, String body) {
            return status(status).header("Content-Type", "text/plain; charset=utf-8").body(body);
        }

        public static Reply json(int status, String json) {
            return status(status).header("Content-Type", "application/json").body(json);
        }

        public static Reply redirect(int status, String location) {
            return status(status).header("Location", location);
        }

        /** Exactly these bytes (status line, headers, body: anything, even invalid), then close. */
        public static Reply raw(byte[] bytes) {
            return new Reply().body(bytes).with(r -> r.framing = Framing.RAW);
        }

        /** {@link #raw(byte[])} of the string's ISO-8859-1 bytes. */
        public static Reply raw(String bytes) { return raw(bytes.getBytes(StandardCharsets.ISO_8859_1)); }

        /** Read the request, send nothing, keep the socket open until the client or server closes. */
        public static Reply neverRespond() { return new Reply().with(r -> r.framing = Framing.NEVER_RESPOND); }

        /** Read the request, then close the connection without a byte of reply. */
        public static Reply closeImmediately() {
            return new Reply().with(r -> r.framing = Framing.CLOSE_IMMEDIATELY);
        }

        /** Read the request, then reset the connection (TCP RST) without a byte of reply. */
        public static Reply reset() {
            return new Reply().with(r -> r.framing = Framing.RESET);
        }

        /** Adds a header (repeatable; written verbatim, so CR LF in the value is sent as is). */
        public Reply header(String name, String value) {
            return with(r -> r.headers.add(new String[] {name, value}));
        }

        public Reply body(byte[] body) {
            byte[] copy = body.clone();
            return with(r -> { r.pattern = copy; r.length = copy.length; });
        }

        public Reply body(String utf8) { return body(utf8.getBytes(StandardCharsets.UTF_8)); }

        /** A body of {@code size} bytes repeating {@code pattern}, streamed (Content-Length: size). */
        public Reply hugeBody(long size, byte[] pattern) {
            if (pattern.length == 0 || size < 0) throw new IllegalArgumentException("empty pattern or negative size");
            byte[] copy = pattern.clone();
            return with(r -> { r.pattern = copy; r.length = size; });
        }

        public Reply hugeBody(long size) { return hugeBody(size, new byte[] {'x'}); }

        /** A body repeating {@code pattern} forever (chunked unless {@link #untilClose()}), until the client leaves. */
        public Reply endless(byte[] pattern) {
            return hugeBody(0, pattern).with(r -> {
                r.length = -1;
                if (r.framing == Framing.LENGTH) r.framing = Framing.CHUNKED;
            });
        }

        public Reply endless() { return endless(new byte[] {'x'}); }

        /** Transfer-Encoding: chunked instead of Content-Length. */
        public Reply chunked() { return with(r -> r.framing = Framing.CHUNKED); }

        /** Neither Content-Length nor chunked: the body ends when the connection closes. */
        public Reply untilClose() { return with(r -> r.framing = Framing.UNTIL_CLOSE); }

        /**
         * Send the headers (Content-Length or chunked as declared), never the body, and hold the
         * socket open until the client or the server closes it. For {@link #raw}: all the bytes, then hold.
         */
        public Reply stallAfterHeaders() { return with(r -> r.stall = true); }

        /** Send the body (for {@link #raw}: all bytes) one byte per {@code interval}. */
        public Reply drip(Duration interval) { return with(r -> r.drip = interval); }

        private Reply with(Consumer<Reply> change) {
            try {
                Reply copy = (Reply) super.clone();
                copy.headers = new ArrayList<>(headers);
                change.accept(copy);
                return copy;
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        private boolean hasHeader(String name) {
            return headers.stream().anyMatch(h -> h[0].equalsIgnoreCase(name));
        }

        void send(InputStream in, OutputStream out) throws IOException, InterruptedException {
            if (framing == Framing.CLOSE_IMMEDIATELY) return;
            if (framing == Framing.NEVER_RESPOND) {
                holdUntilClosed(in);
                return;
            }
            if (framing != Framing.RAW) {
                StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(" Hostile\r\n");
                for (String[] h : headers) head.append(h[0]).append(": ").append(h[1]).append("\r\n");
                if (framing == Framing.LENGTH && !hasHeader("Content-Length")) {
                    head.append("Content-Length: ").append(length).append("\r\n");
                }
                if (framing == Framing.CHUNKED && !hasHeader("Transfer-Encoding")) {
                    head.append("Transfer-Encoding: chunked\r\n");
                }
                if (!hasHeader("Connection")) head.append("Connection: close\r\n");
                out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            if (!stall || framing == Framing.RAW) writeBody(out);
            out.flush();
            if (stall) holdUntilClosed(in);
        }

        private void writeBody(OutputStream out) throws IOException, InterruptedException {
            boolean chunked = framing == Framing.CHUNKED;
            byte[] buf = new byte[drip != null ? 1 : 16 * 1024];
            for (long pos = 0; length < 0 || pos < length; ) {
                int n = (int) (length < 0 ? buf.length : Math.min(buf.length, length - pos));
                for (int i = 0; i < n; i++) buf[i] = pattern[(int) ((pos + i) % pattern.length)];
                pos += n;
                if (chunked) out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(buf, 0, n);
                if (chunked) out.write('\r');
                if (chunked) out.write('\n');
                if (drip != null) {
                    out.flush();
                    TimeUnit.NANOSECONDS.sleep(drip.toNanos());
                }
            }
            if (chunked) out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
    }
}
