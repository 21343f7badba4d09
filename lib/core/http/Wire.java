package io.datasette.dclient.core.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * dclient's own HTTP/1.1 transport for {@code http://} URLs (direct, or through an HTTP proxy in
 * absolute form): one blocking exchange on the caller's thread, over a pooled keep-alive
 * connection. It does what a page walk or a bulk insert needs and no more, for a fraction of the
 * JDK client's CPU per request: no selector or worker threads and no hand-overs between them, no
 * futures, no HTTP/2 upgrade offer on every request. Measured on 1,000 insert requests: about
 * 0.25 ms of client CPU per request (kernel included) against about 1.2 ms, which on a machine
 * the client shares with a local Datasette is time taken from the server. {@code https://} and
 * host names with underscores stay with the JDK's client.
 *
 * <p>The limits are those {@link DatasetteClient} sets for the JDK's client: connecting, sending
 * and waiting for the headers must fit in one timeout (the connect alone also in
 * {@link Http#CONNECT_TIMEOUT}); each later wait for body bytes in one timeout; all of it in the
 * request's deadline. Reads wait with the socket's own timeout, so no thread watches them; a
 * request over {@link #GUARDED_WRITE} bytes, whose write a server that does not read could block,
 * is written under the {@link Watchdog}. The channel is interruptible: interrupting the calling
 * thread closes the connection and ends the wait ({@link ClosedByInterruptException}).
 *
 * <p>Failures are the exceptions {@link DatasetteClient} already words for the JDK's client:
 * {@link HttpConnectTimeoutException}, {@link HttpTimeoutException} (no headers within the
 * timeout), {@link TimedBody.Expired} (the request's deadline, or a body read's idle limit),
 * {@link ConnectException}, {@link UnknownHostException}. A pooled connection is checked before it
 * is used again (the server may have closed it); a GET whose reused connection still fails before
 * any byte of an answer is sent once more on a new connection, a POST never is.
 */
final class Wire {
    /** Request bodies larger than this are written under the {@link Watchdog}. */
    static final int GUARDED_WRITE = 16 * 1024;
    private static final int BUFFER = 64 * 1024;
    /** Status line and headers together: more is an error. */
    static final int MAX_HEAD = 256 * 1024;
    private static final int MAX_LINE = 16 * 1024;
    private static final int IDLE_PER_ROUTE = 4;
    /** A pooled connection idle longer than this is closed rather than reused. */
    private static final long MAX_IDLE_NANOS = 20_000_000_000L;
    private static final byte[] USER_AGENT = ("User-Agent: dclient-java/" + io.datasette.dclient.core.Version.VALUE
            + "\r\nAccept: application/json\r\n").getBytes(StandardCharsets.ISO_8859_1);

    private final ProxySelector proxies;
    private final long connectNanos;
    private final Map<String, ArrayDeque<Conn>> idle = new HashMap<>();

    /** @param proxies the proxy for each URL, or null to connect directly */
    Wire(ProxySelector proxies, long connectTimeoutNanos) {
        this.proxies = proxies;
        this.connectNanos = connectTimeoutNanos;
    }

    /** What this transport carries: plain http:// to a host {@link URI} can read. */
    static boolean carries(URI target) {
        return "http".equalsIgnoreCase(target.getScheme()) && target.getHost() != null;
    }

    /** A response whose head has been read; its body is left to read (and close). */
    record Head(int status, String contentType, String location, long length, ResponseBody body) {}

    /**
     * Sends one request and reads the head of its answer.
     *
     * @param authorization the {@code Authorization} header's value, or null
     * @param body the request body, or null for none
     * @param timeoutNanos the time for connecting, sending and the headers; also each idle wait in the body
     * @param deadline the end of the whole request ({@link System#nanoTime})
     */
    Head exchange(String method, URI target, String authorization, String contentType, byte[] body,
            long timeoutNanos, long deadline) throws IOException {
        long start = System.nanoTime();
        long headEnd = Math.min(start + Math.min(timeoutNanos, Math.max(0, deadline - start)), deadline);
        Route route = route(target);
        byte[] head = head(method, target, route, authorization, contentType, body);
        for (int attempt = 0; ; attempt++) {
            Conn c = attempt == 0 ? pooled(route.key) : null;
            boolean reused = c != null;
            if (c == null) c = connect(route, headEnd, deadline);
            try {
                send(c, head, body, headEnd, deadline);
                return readHead(c, headEnd, deadline, timeoutNanos);
            } catch (Retry r) {
                c.close();
                if (!reused || !method.equals("GET") || attempt > 0) throw r.cause;
                // a kept-alive connection the server had closed: once more, on a new one
            } catch (IOException | RuntimeException | Error e) {
                c.close();
                throw e;
            }
        }
    }

    // ---- the request ---------------------------------------------------------------------------

    /** Where a request goes: the target itself, or an HTTP proxy. */
    private record Route(String key, String host, int port, InetSocketAddress proxy, String hostHeader) {}

    private Route route(URI target) {
        String host = target.getHost();
        int port = target.getPort();
        String hostHeader = port == -1 || port == 80 ? host : host + ":" + port;
        if (port == -1) port = 80;
        InetSocketAddress proxy = null;
        if (proxies != null) {
            List<Proxy> list = proxies.select(target);
            Proxy p = list == null || list.isEmpty() ? Proxy.NO_PROXY : list.get(0);
            if (p.type() == Proxy.Type.HTTP && p.address() instanceof InetSocketAddress a) proxy = a;
        }
        String key = proxy != null ? "proxy " + proxy.getHostString() + ":" + proxy.getPort()
                : host.toLowerCase(Locale.ROOT) + ":" + port;
        return new Route(key, host, port, proxy, hostHeader);
    }

    /** The request line and headers. */
    private static byte[] head(String method, URI target, Route route, String authorization, String contentType,
            byte[] body) {
        StringBuilder sb = new StringBuilder(160 + (authorization == null ? 0 : authorization.length()));
        sb.append(method).append(' ');
        if (route.proxy != null) sb.append("http://").append(route.hostHeader);
        String path = target.getRawPath();
        appendAscii(sb, path == null || path.isEmpty() ? "/" : path);
        String query = target.getRawQuery();
        if (query != null) appendAscii(sb.append('?'), query);
        sb.append(" HTTP/1.1\r\nHost: ").append(route.hostHeader).append("\r\n");
        int fixed = sb.length();
        if (authorization != null) sb.append("Authorization: ").append(authorization).append("\r\n");
        if (body != null) {
            sb.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length).append("\r\n");
        } else if (!method.equals("GET")) {
            sb.append("Content-Length: 0\r\n");
        }
        sb.append("\r\n");
        byte[] out = new byte[sb.length() + USER_AGENT.length];
        for (int i = 0; i < fixed; i++) out[i] = (byte) sb.charAt(i);
        System.arraycopy(USER_AGENT, 0, out, fixed, USER_AGENT.length);
        for (int i = fixed, j = fixed + USER_AGENT.length; i < sb.length(); i++, j++) out[j] = (byte) sb.charAt(i);
        return out;
    }

    /** Appends a raw URI part, percent-encoding (as UTF-8) any character outside ASCII, as {@link URI#toASCIIString} does. */
    private static void appendAscii(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80 && c > 0x20) {
                sb.append(c);
                continue;
            }
            int end = i + 1;
            if (Character.isHighSurrogate(c) && end < s.length()) end++;
            for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
            i = end - 1;
        }
    }

    private static void send(Conn c, byte[] head, byte[] body, long headEnd, long deadline) throws IOException {
        int size = head.length + (body == null ? 0 : body.length);
        Watchdog.Guard guard = size > GUARDED_WRITE ? Watchdog.arm(c.ch, Math.min(headEnd, deadline)) : null;
        try {
            ByteBuffer h = ByteBuffer.wrap(head);
            if (body == null || body.length == 0) {
                while (h.hasRemaining()) c.ch.write(h);
            } else {
                ByteBuffer[] both = {h, ByteBuffer.wrap(body)};
                while (both[1].hasRemaining()) c.ch.write(both);
            }
        } catch (ClosedChannelException e) { // closed under the write: by an interrupt, or the watchdog
            if (e instanceof ClosedByInterruptException || guard == null || !guard.fired()) throw e;
            throw headTimeout(headEnd, deadline);
        } catch (IOException e) {
            if (c.reused) throw new Retry(e);
            throw e;
        } finally {
            if (guard != null) Watchdog.disarm(guard);
        }
    }

    /** Thrown (once, inside {@link #exchange}) when a reused connection fails before any byte of an answer. */
    private static final class Retry extends IOException {
        final IOException cause;

        Retry(IOException cause) {
            super(cause.getMessage(), cause);
            this.cause = cause;
        }
    }

    /** The timeout for the headers ran out: the request's deadline ({@link TimedBody.Expired}) or the timeout. */
    private static IOException headTimeout(long headEnd, long deadline) {
        return headEnd >= deadline ? new TimedBody.Expired(TimedBody.Limit.TOTAL)
                : new HttpTimeoutException("request timed out");
    }

    // ---- connections ---------------------------------------------------------------------------

    private Conn pooled(String key) {
        while (true) {
            Conn c;
            synchronized (idle) {
                ArrayDeque<Conn> q = idle.get(key);
                c = q == null ? null : q.pollLast();
            }
            if (c == null) return null;
            if (System.nanoTime() - c.idleSince < MAX_IDLE_NANOS && c.stillOpen()) {
                c.reused = true;
                return c;
            }
            c.close();
        }
    }

    private void release(Conn c) {
        c.idleSince = System.nanoTime();
        Conn evicted = null;
        synchronized (idle) {
            ArrayDeque<Conn> q = idle.computeIfAbsent(c.key, k -> new ArrayDeque<>());
            q.addLast(c);
            if (q.size() > IDLE_PER_ROUTE) evicted = q.pollFirst();
        }
        if (evicted != null) evicted.close();
    }

    private Conn connect(Route route, long headEnd, long deadline) throws IOException {
        InetSocketAddress address;
        if (route.proxy != null) {
            address = route.proxy.isUnresolved() ? new InetSocketAddress(route.proxy.getHostString(), route.proxy.getPort())
                    : route.proxy;
        } else {
            String h = route.host;
            if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
            address = new InetSocketAddress(h, route.port);
        }
        if (address.isUnresolved()) throw new UnknownHostException(address.getHostString());
        long now = System.nanoTime();
        long left = headEnd - now;
        if (left <= 0) throw headTimeout(headEnd, deadline);
        boolean byConnectLimit = connectNanos <= left;
        long wait = Math.min(connectNanos, left);
        SocketChannel ch = SocketChannel.open();
        try {
            Socket s = ch.socket();
            s.setTcpNoDelay(true);
            s.connect(address, (int) Math.max(1, Math.min(Integer.MAX_VALUE, (wait + 999_999) / 1_000_000)));
            return new Conn(ch, route.key);
        } catch (SocketTimeoutException e) {
            ch.close();
            if (byConnectLimit) throw new HttpConnectTimeoutException("HTTP connect timed out");
            throw headTimeout(headEnd, deadline);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** One connection and its read buffer. */
    final class Conn {
        /**
         * The next line in the buffer (CRLF or LF ended, without it, ISO-8859-1), consumed; null
         * when no line end has arrived yet. {@code from}: where to look, so bytes are scanned once.
         */
        String takeLine(int from) {
            for (int i = from; i < lim; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String s = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 1;
                    return s;
                }
            }
            return null;
        }

        final SocketChannel ch;
        final Socket socket;
        final InputStream in;
        final String key;
        final byte[] buf = new byte[BUFFER];
        int pos;
        int lim;
        boolean reused;
        long idleSince;
        /** Bytes read from the socket for the current answer (0: nothing yet, so a reused connection may be retried). */
        long received;

        Conn(SocketChannel ch, String key) throws IOException {
            this.ch = ch;
            this.socket = ch.socket();
            this.in = socket.getInputStream();
            this.key = key;
        }

        /** A pooled connection the server has not closed (nor sent anything on). */
        boolean stillOpen() {
            try {
                ch.configureBlocking(false);
                int n = ch.read(ByteBuffer.allocate(1));
                ch.configureBlocking(true);
                return n == 0;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        /**
         * Reads more bytes into the buffer (after what is there); -1 at the end of the stream.
         * Waits at most until {@code until}, and at most {@code idleNanos}; a timeout throws
         * {@link SocketTimeoutException}.
         */
        int fill(long until, long idleNanos) throws IOException {
            if (pos == lim) {
                pos = 0;
                lim = 0;
            } else if (lim == buf.length) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
            }
            return read(buf, lim, buf.length - lim, until, idleNanos, true);
        }

        /** Reads into {@code b} straight from the socket, with the limits of {@link #fill}. */
        int read(byte[] b, int off, int len, long until, long idleNanos, boolean intoBuffer) throws IOException {
            long wait = Math.min(until - System.nanoTime(), idleNanos);
            if (wait <= 0) throw new SocketTimeoutException();
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, (wait + 999_999) / 1_000_000)));
            int n = in.read(b, off, len);
            if (n > 0) {
                received += n;
                if (intoBuffer) lim += n;
            }
            return n;
        }

        void close() {
            try {
                ch.close();
            } catch (IOException e) {
                // closing: nothing to do
            }
        }
    }

    // ---- the answer ----------------------------------------------------------------------------

    private Head readHead(Conn c, long headEnd, long deadline, long idleNanos) throws IOException {
        c.received = 0;
        int headBytes = 0;
        while (true) {
            String status = line(c, headEnd, deadline, true);
            headBytes += status.length() + 2;
            if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
                throw new IOException("the server's answer is not HTTP/1.1: " + status.substring(0, Math.min(40, status.length())));
            }
            int code = parseStatus(status);
            boolean http10 = status.charAt(7) == '0';
            String contentType = null;
            String location = null;
            long length = -1;
            boolean chunked = false;
            boolean close = http10;
            while (true) {
                String h = line(c, headEnd, deadline, false);
                headBytes += h.length() + 2;
                if (headBytes > MAX_HEAD) throw new IOException("the response headers are larger than " + MAX_HEAD + " bytes");
                if (h.isEmpty()) break;
                int colon = h.indexOf(':');
                if (colon <= 0) continue;
                String name = h.substring(0, colon).trim();
                String value = h.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Type")) {
                    if (contentType == null) contentType = value;
                } else if (name.equalsIgnoreCase("Content-Length")) {
                    long n;
                    try {
                        n = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("bad Content-Length: " + value.substring(0, Math.min(40, value.length())));
                    }
                    if (n < 0 || (length >= 0 && n != length)) throw new IOException("bad Content-Length: " + value);
                    length = n;
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                    if (!chunked) close = true; // some other coding: read to the end
                } else if (name.equalsIgnoreCase("Connection")) {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (v.contains("close")) close = true;
                    else if (http10 && v.contains("keep-alive")) close = false;
                } else if (name.equalsIgnoreCase("Location")) {
                    if (location == null) location = value;
                }
            }
            if (code >= 100 && code < 200) {
                if (code == 101) throw new IOException("the server switched protocols");
                continue; // an interim answer: the real one follows
            }
            Body body;
            if (code == 204 || code == 304) {
                body = new Body(c, Body.FIXED, 0, close, deadline, idleNanos);
                length = chunked ? -1 : length;
            } else if (chunked) {
                body = new Body(c, Body.CHUNKED, 0, close, deadline, idleNanos);
                length = -1;
            } else if (length >= 0) {
                body = new Body(c, Body.FIXED, length, close, deadline, idleNanos);
            } else {
                body = new Body(c, Body.TO_CLOSE, 0, true, deadline, idleNanos);
            }
            return new Head(code, contentType, location, length, body);
        }
    }

    private static int parseStatus(String line) throws IOException {
        int code = 0;
        for (int i = 9; i < 12; i++) {
            char ch = line.charAt(i);
            if (ch < '0' || ch > '9') throw new IOException("bad HTTP status line: " + line.substring(0, Math.min(40, line.length())));
            code = code * 10 + (ch - '0');
        }
        return code;
    }

    /** One line of the head (CRLF or LF ended, without it), ISO-8859-1. */
    private static String line(Conn c, long headEnd, long deadline, boolean first) throws IOException {
        int scanned = c.pos;
        while (true) {
            String s = c.takeLine(scanned);
            if (s != null) return s;
            if (c.lim - c.pos > MAX_LINE) throw new IOException("a response header line is longer than " + MAX_LINE + " bytes");
            int kept = c.lim - c.pos;
            int n;
            try {
                n = c.fill(headEnd, Long.MAX_VALUE);
            } catch (SocketTimeoutException e) {
                throw headTimeout(headEnd, deadline);
            } catch (ClosedByInterruptException e) {
                throw e;
            } catch (IOException e) {
                if (c.reused && c.received == 0) throw new Retry(e);
                throw e;
            }
            if (n < 0) {
                IOException eof = new EOFException(first && c.received == 0
                        ? "the server closed the connection without an answer" : "the server closed the connection in the headers");
                if (c.reused && c.received == 0) throw new Retry(eof);
                throw eof;
            }
            scanned = c.pos + kept;
        }
    }

    /** A body as its framing says: a length, chunks, or up to the end of the connection. */
    final class Body extends ResponseBody {
        static final int FIXED = 0;
        static final int CHUNKED = 1;
        static final int TO_CLOSE = 2;

        private final Conn c;
        private final int mode;
        private final boolean close;
        private final long deadline;
        private final long idleNanos;
        /** FIXED: bytes left; CHUNKED: bytes left in this chunk (-1: the next size line is due). */
        private long left;
        private long count;
        private boolean ended;
        private boolean closed;

        Body(Conn c, int mode, long length, boolean close, long deadline, long idleNanos) {
            this.c = c;
            this.mode = mode;
            this.close = close;
            this.deadline = deadline;
            this.idleNanos = idleNanos;
            this.left = mode == CHUNKED ? -1 : length;
            if (mode == FIXED && length == 0) end();
        }

        @Override
        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (ended) return -1;
            if (closed) throw new IOException("closed");
            try {
                int n = switch (mode) {
                    case FIXED -> readFixed(b, off, len);
                    case CHUNKED -> readChunked(b, off, len);
                    default -> readToClose(b, off, len);
                };
                if (n > 0) count += n;
                return n;
            } catch (SocketTimeoutException e) {
                close();
                throw new TimedBody.Expired(System.nanoTime() - deadline >= 0 ? TimedBody.Limit.TOTAL : TimedBody.Limit.IDLE);
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public int available() {
            if (ended || closed) return 0;
            int buffered = c.lim - c.pos;
            return mode == CHUNKED ? (int) Math.min(buffered, Math.max(0, left)) : (int) Math.min(buffered, left < 0 ? buffered : left);
        }

        private int readFixed(byte[] b, int off, int len) throws IOException {
            int want = (int) Math.min(len, left);
            int n = copy(b, off, want);
            if (n < 0) throw new EOFException("the server closed the connection " + (count) + " bytes into the body");
            left -= n;
            if (left == 0) end();
            return n;
        }

        private int readToClose(byte[] b, int off, int len) throws IOException {
            int n = copy(b, off, len);
            if (n < 0) {
                end();
                return -1;
            }
            return n;
        }

        private int readChunked(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                if (left == 0) crlf(); // after a chunk's data
                long size = chunkSize();
                if (size == 0) {
                    while (!line().isEmpty()) {
                        // trailers: ignored
                    }
                    end();
                    return -1;
                }
                left = size;
            }
            int n = copy(b, off, (int) Math.min(len, left));
            if (n < 0) throw new EOFException("the server closed the connection in a chunk");
            left -= n;
            return n;
        }

        private void crlf() throws IOException {
            String s = line();
            if (!s.isEmpty()) throw new IOException("bad chunked encoding");
        }

        private long chunkSize() throws IOException {
            String s = line();
            int semi = s.indexOf(';');
            String hex = (semi >= 0 ? s.substring(0, semi) : s).trim();
            try {
                long size = Long.parseLong(hex, 16);
                if (size < 0) throw new NumberFormatException();
                return size;
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + hex.substring(0, Math.min(20, hex.length())));
            }
        }

        /** A line of the chunk framing. */
        private String line() throws IOException {
            int scanned = c.pos;
            while (true) {
                String s = c.takeLine(scanned);
                if (s != null) return s;
                if (c.lim - c.pos > MAX_LINE) throw new IOException("a chunk header is longer than " + MAX_LINE + " bytes");
                int kept = c.lim - c.pos;
                if (c.fill(deadline, idleNanos) < 0) throw new EOFException("the server closed the connection in the chunk framing");
                scanned = c.pos + kept;
            }
        }

        /** Up to {@code len} bytes from the buffer, else from the socket; -1 at the end of the stream. */
        private int copy(byte[] b, int off, int len) throws IOException {
            int buffered = c.lim - c.pos;
            if (buffered == 0) {
                if (len >= BUFFER / 2) return c.read(b, off, len, deadline, idleNanos, false); // large reads skip the buffer
                if (c.fill(deadline, idleNanos) < 0) return -1;
                buffered = c.lim - c.pos;
            }
            int n = Math.min(len, buffered);
            System.arraycopy(c.buf, c.pos, b, off, n);
            c.pos += n;
            return n;
        }

        /** The body is over: the connection goes back to the pool, or is closed. */
        private void end() {
            if (ended) return;
            ended = true;
            if (!close && c.pos == c.lim && c.ch.isOpen()) {
                c.pos = 0;
                c.lim = 0;
                release(c);
            } else {
                c.close();
            }
        }

        @Override
        public void close() {
            if (ended || closed) return;
            closed = true;
            c.close(); // dropped, not drained
        }
    }

    /**
     * One daemon thread that closes a connection whose write has not finished by its deadline
     * (reads have the socket's timeout; a write has none). It sleeps until the earliest deadline
     * of the writes in progress and is woken only when a new write ends sooner.
     */
    static final class Watchdog {
        private static final Object LOCK = new Object();
        private static final List<Guard> ACTIVE = new ArrayList<>();
        private static Thread thread;
        /** When the thread wakes next, if it sleeps with a time limit ({@code timed}). */
        private static long wakeAt;
        private static boolean timed;

        /** A write in progress. */
        static final class Guard {
            final SocketChannel ch;
            final long deadline;
            volatile boolean fired;

            Guard(SocketChannel ch, long deadline) {
                this.ch = ch;
                this.deadline = deadline;
            }

            boolean fired() {
                return fired;
            }
        }

        private Watchdog() {}

        static Guard arm(SocketChannel ch, long deadline) {
            Guard g = new Guard(ch, deadline);
            synchronized (LOCK) {
                ACTIVE.add(g);
                if (thread == null) {
                    thread = new Thread(Watchdog::run, "dclient-http-watchdog");
                    thread.setDaemon(true);
                    thread.start();
                } else if (!timed || deadline - wakeAt < 0) {
                    LOCK.notifyAll();
                }
            }
            return g;
        }

        static void disarm(Guard g) {
            synchronized (LOCK) {
                ACTIVE.remove(g);
            }
        }

        private static void run() {
            List<Guard> due = new ArrayList<>();
            while (true) {
                synchronized (LOCK) {
                    long now = System.nanoTime();
                    long next = Long.MAX_VALUE;
                    for (int i = ACTIVE.size() - 1; i >= 0; i--) {
                        Guard g = ACTIVE.get(i);
                        if (g.deadline - now <= 0) {
                            ACTIVE.remove(i);
                            g.fired = true;
                            due.add(g);
                        } else if (next == Long.MAX_VALUE || g.deadline - next < 0) {
                            next = g.deadline;
                        }
                    }
                    if (due.isEmpty()) {
                        timed = next != Long.MAX_VALUE;
                        wakeAt = next;
                        try {
                            if (next == Long.MAX_VALUE) {
                                LOCK.wait();
                            } else {
                                long ms = Math.max(1, (next - now + 999_999) / 1_000_000);
                                LOCK.wait(ms);
                            }
                        } catch (InterruptedException e) {
                            return;
                        }
                        continue;
                    }
                }
                for (Guard g : due) {
                    try {
                        g.ch.close();
                    } catch (IOException e) {
                        // closing: nothing to do
                    }
                }
                due.clear();
            }
        }
    }
}
