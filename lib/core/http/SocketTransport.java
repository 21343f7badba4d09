package io.datasette.dclient.core.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * dclient's HTTP/1.1 transport, for {@code http://} and {@code https://} alike: one blocking
 * exchange on the caller's thread over a pooled keep-alive connection (several threads may each
 * have one in flight), TLS through the JDK's {@link SSLSocket} with the trust of {@link Tls},
 * HTTP proxies from {@link ProxyRules} ({@code CONNECT} tunnels for {@code https://}), and gzip
 * asked for and decoded while streaming.
 *
 * <p>Why not the JDK's clients. {@code java.net.http} costs about 0.9 ms of client CPU per
 * request and 220 ms before a fresh JVM's first request, against about 0.12 ms and 54 ms here
 * (loopback, 8 KB POSTs, measured for issue 16). {@code HttpURLConnection} starts faster, but
 * in Java 17 it takes a {@code 103 Early Hints} answer as the final one, sends no
 * {@code Proxy-Authorization: Basic} on a {@code CONNECT} unless a JVM-wide property allows it,
 * refuses a {@code Host} header (host names with underscores) and cannot be given a resolver or
 * be interrupted. This class is what those gaps would cost to work around.
 *
 * <p>The limits are those of {@link Transport.Request}: connecting (also within
 * {@link #CONNECT_TIMEOUT}), the TLS handshake, sending and the head must fit in one timeout;
 * each later wait for body bytes in one timeout; all of it by the deadline. Reads wait with the
 * socket's own timeout, so no thread watches them; a request over {@link #GUARDED_WRITE} bytes,
 * whose write a server that does not read could block, is written under the {@link Watchdog}.
 * The socket is a {@link SocketChannel}'s (TLS is layered on it), so interrupting the calling
 * thread closes the connection and ends any wait.
 *
 * <p>A pooled connection is checked before it is used again (the server may have closed it); a
 * GET whose reused connection still fails before any byte of an answer is sent once more on a
 * new connection; a POST never is: once its request has left whole, a failure is
 * {@link Transport.Unanswered}.
 */
public final class SocketTransport implements Transport {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Request bodies larger than this are written under the {@link Watchdog}. */
    static final int GUARDED_WRITE = 16 * 1024;
    private static final int BUFFER = 64 * 1024;
    /** Status line and headers together: more is an error. */
    static final int MAX_HEAD = 256 * 1024;
    private static final int MAX_LINE = 16 * 1024;
    /** Idle connections kept per route: enough for every request of a {@code --parallel} walk to find one. */
    private static final int IDLE_PER_ROUTE = 16;
    /** A pooled connection idle longer than this is closed rather than reused. */
    private static final long MAX_IDLE_NANOS = 20_000_000_000L;
    /** A gzip body's bytes after its end are read (to keep the connection) up to this many. */
    private static final int MAX_DRAIN = 64 * 1024;
    private static final byte[] FIXED_HEADERS = ("User-Agent: dclient-java/" + io.datasette.dclient.core.Version.VALUE
            + "\r\nAccept: application/json\r\nAccept-Encoding: gzip\r\n").getBytes(StandardCharsets.ISO_8859_1);

    private final ProxyRules proxies;
    private final Tls tls;
    private final Hosts.Resolver resolver;
    private final long connectNanos;
    private final Map<String, ArrayDeque<Conn>> idle = new HashMap<>();

    private SocketTransport(ProxyRules proxies, Tls tls, Hosts.Resolver resolver, long connectNanos) {
        this.proxies = proxies;
        this.tls = tls;
        this.resolver = resolver;
        this.connectNanos = connectNanos;
    }

    /**
     * The transport for an environment: its proxies ({@code HTTPS_PROXY}, {@code HTTP_PROXY},
     * {@code NO_PROXY}) and the certificates it trusts besides the JDK's ({@code SSL_CERT_FILE},
     * {@code SSL_CERT_DIR}).
     */
    public static SocketTransport fromEnv(Map<String, String> env) {
        return fromEnv(env, List.of(), Hosts.Resolver.SYSTEM);
    }

    /**
     * @param trust more PEM files or directories of them to trust
     * @param resolver how host names are looked up (tests stand in for DNS); a proxy looks up
     *     the names it is asked for itself
     */
    public static SocketTransport fromEnv(Map<String, String> env, List<Path> trust, Hosts.Resolver resolver) {
        return new SocketTransport(ProxyRules.fromEnv(env), Tls.from(env, trust),
                resolver == null ? Hosts.Resolver.SYSTEM : resolver, CONNECT_TIMEOUT.toNanos());
    }

    @Override
    public Answer exchange(Request r) throws IOException {
        long start = System.nanoTime();
        long deadline = r.deadline();
        long headEnd = Math.min(start + Math.min(r.timeoutNanos(), Math.max(0, deadline - start)), deadline);
        Route route = route(r.target());
        byte[] head = head(r.method(), r.target(), route, r.authorization(), r.contentType(), r.body());
        for (int attempt = 0; ; attempt++) {
            Conn c = attempt == 0 ? pooled(route.key) : null;
            boolean reused = c != null;
            if (c == null) c = connect(route, headEnd, deadline);
            boolean sent = false;
            try {
                send(c, head, r.body(), headEnd, deadline);
                sent = true;
                return readHead(c, headEnd, deadline, r.timeoutNanos());
            } catch (Retry e) {
                c.close();
                if (!reused || !r.method().equals("GET") || attempt > 0) throw sent ? new Unanswered(e.cause) : e.cause;
                // a kept-alive connection the server had closed: once more, on a new one
            } catch (ClosedByInterruptException | InterruptedIOException e) {
                c.close();
                throw e;
            } catch (IOException e) {
                c.close();
                if (Thread.currentThread().isInterrupted()) throw e;
                throw sent ? new Unanswered(e) : e;
            } catch (RuntimeException | Error e) {
                c.close();
                throw e;
            }
        }
    }

    // ---- the request ---------------------------------------------------------------------------

    /**
     * Where a request goes: straight to the host, through an HTTP proxy in absolute form
     * ({@code http://}), or through a proxy's {@code CONNECT} tunnel ({@code https://}).
     */
    private record Route(String key, boolean secure, String host, int port, ProxyRules.Proxy proxy,
            String hostHeader) {
        boolean absoluteForm() {
            return proxy != null && !secure;
        }
    }

    private Route route(URI target) throws IOException {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = scheme.equals("https");
        if (!secure && !scheme.equals("http")) throw new IOException("not an http:// or https:// URL");
        String host = Hosts.host(target);
        if (host == null) throw new IOException("the URL has no host");
        int port = Hosts.port(target);
        String hostHeader = target.getPort() == -1 && !hasPort(target) || port == (secure ? 443 : 80)
                ? host : host + ":" + port;
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        ProxyRules.Proxy proxy = proxies == null ? null : proxies.select(scheme, bare, port);
        String key = scheme + "://" + bare.toLowerCase(Locale.ROOT) + ":" + port
                + (proxy == null ? "" : " via " + proxy.address().getHostString() + ":" + proxy.address().getPort());
        return new Route(key, secure, bare, port, proxy, hostHeader);
    }

    /** Whether the authority names a port (a host with underscores hides it from {@link URI#getPort}). */
    private static boolean hasPort(URI u) {
        String a = u.getRawAuthority();
        return a != null && a.lastIndexOf(':') > a.lastIndexOf(']');
    }

    /** The request line and headers. */
    private static byte[] head(String method, URI target, Route route, String authorization, String contentType,
            byte[] body) {
        StringBuilder sb = new StringBuilder(200 + (authorization == null ? 0 : authorization.length()));
        sb.append(method).append(' ');
        if (route.absoluteForm()) sb.append("http://").append(route.hostHeader);
        String path = target.getRawPath();
        appendAscii(sb, path == null || path.isEmpty() ? "/" : path);
        String query = target.getRawQuery();
        if (query != null) appendAscii(sb.append('?'), query);
        sb.append(" HTTP/1.1\r\nHost: ").append(route.hostHeader).append("\r\n");
        int fixed = sb.length();
        if (route.absoluteForm() && route.proxy.authorization() != null) {
            sb.append("Proxy-Authorization: ").append(route.proxy.authorization()).append("\r\n");
        }
        if (authorization != null) sb.append("Authorization: ").append(authorization).append("\r\n");
        if (body != null) {
            sb.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length).append("\r\n");
        } else if (!method.equals("GET")) {
            sb.append("Content-Length: 0\r\n");
        }
        sb.append("\r\n");
        byte[] out = new byte[sb.length() + FIXED_HEADERS.length];
        for (int i = 0; i < fixed; i++) out[i] = (byte) sb.charAt(i);
        System.arraycopy(FIXED_HEADERS, 0, out, fixed, FIXED_HEADERS.length);
        for (int i = fixed, j = fixed + FIXED_HEADERS.length; i < sb.length(); i++, j++) out[j] = (byte) sb.charAt(i);
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
            if (c.out != null) { // TLS: one record for a small request
                if (body == null || body.length == 0) {
                    c.out.write(head);
                } else if (size <= GUARDED_WRITE) {
                    byte[] both = java.util.Arrays.copyOf(head, size);
                    System.arraycopy(body, 0, both, head.length, body.length);
                    c.out.write(both);
                } else {
                    c.out.write(head);
                    c.out.write(body);
                }
                c.out.flush();
            } else {
                ByteBuffer h = ByteBuffer.wrap(head);
                if (body == null || body.length == 0) {
                    while (h.hasRemaining()) c.ch.write(h);
                } else {
                    ByteBuffer[] both = {h, ByteBuffer.wrap(body)};
                    while (both[1].hasRemaining()) c.ch.write(both);
                }
            }
        } catch (ClosedByInterruptException e) {
            throw e;
        } catch (IOException e) { // closed under the write by the watchdog, or the server went away
            if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("interrupted");
            if (guard != null && guard.fired()) throw headTimeout(headEnd, deadline);
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

    /** The time for the head ran out: the request's deadline, or the timeout. */
    private static Timeout headTimeout(long headEnd, long deadline) {
        return new Timeout(headEnd >= deadline ? Timeout.Limit.TOTAL : Timeout.Limit.HEAD);
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
        if (route.secure) tls.factory(); // a certificate file that cannot be read is said before any connection
        InetSocketAddress address;
        if (route.proxy != null) {
            InetSocketAddress p = route.proxy.address();
            address = new InetSocketAddress(InetAddress.getByName(p.getHostString()), p.getPort());
        } else {
            address = new InetSocketAddress(resolver.resolve(route.host), route.port);
        }
        long left = headEnd - System.nanoTime();
        if (left <= 0) throw headTimeout(headEnd, deadline);
        boolean byConnectLimit = connectNanos <= left;
        SocketChannel ch = SocketChannel.open();
        Conn c = null;
        try {
            Socket s = ch.socket();
            s.setTcpNoDelay(true);
            try {
                s.connect(address, millis(Math.min(connectNanos, left)));
            } catch (SocketTimeoutException e) {
                throw byConnectLimit ? new Timeout(Timeout.Limit.CONNECT) : headTimeout(headEnd, deadline);
            }
            c = new Conn(ch, route.key);
            if (route.secure && route.proxy != null) tunnel(c, route, headEnd, deadline);
            if (route.secure) c.startTls(tls, route.host, route.port, headEnd, deadline);
            return c;
        } catch (IOException | RuntimeException e) {
            if (c != null) c.close();
            ch.close();
            throw e;
        }
    }

    /** Asks the proxy for a tunnel to the server ({@code CONNECT}); the proxy looks the name up. */
    private static void tunnel(Conn c, Route route, long headEnd, long deadline) throws IOException {
        String authority = (route.host.indexOf(':') >= 0 ? "[" + route.host + "]" : route.host) + ":" + route.port;
        StringBuilder sb = new StringBuilder("CONNECT ").append(authority).append(" HTTP/1.1\r\nHost: ")
                .append(authority).append("\r\n");
        if (route.proxy.authorization() != null) {
            sb.append("Proxy-Authorization: ").append(route.proxy.authorization()).append("\r\n");
        }
        sb.append("\r\n");
        ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) c.ch.write(b);
        String status = line(c, headEnd, deadline, true);
        int code = status.startsWith("HTTP/1.") && status.length() >= 12 ? parseStatus(status) : -1;
        int headBytes = status.length();
        for (String h; !(h = line(c, headEnd, deadline, false)).isEmpty(); ) {
            headBytes += h.length() + 2;
            if (headBytes > MAX_HEAD) throw new IOException("the proxy's answer is larger than " + MAX_HEAD + " bytes");
        }
        if (code < 200 || code > 299) throw new ProxyRefused(code, status.substring(0, Math.min(80, status.length())));
        if (c.pos != c.lim) throw new IOException("the proxy sent data before the tunnel was used");
    }

    private static int millis(long nanos) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000));
    }

    /** One connection and its read buffer. */
    final class Conn {
        final SocketChannel ch;
        /** The socket reads go through: the channel's, or TLS layered on it. */
        Socket socket;
        InputStream in;
        /** TLS writes; null for plain connections, which write to {@link #ch} directly. */
        OutputStream out;
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

        /**
         * Layers TLS on the connection and shakes hands within the head's time. The host name is
         * checked against the certificate; a refusal is a {@link TlsFailure}, before any byte of
         * the request is sent.
         */
        void startTls(Tls tls, String host, int port, long headEnd, long deadline) throws IOException {
            SSLSocket ssl = (SSLSocket) tls.factory().createSocket(socket, host, port, true);
            SSLParameters p = ssl.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(p);
            long wait = headEnd - System.nanoTime();
            if (wait <= 0) throw headTimeout(headEnd, deadline);
            ssl.setSoTimeout(millis(wait));
            Tls.clearVerdict();
            try {
                ssl.startHandshake();
            } catch (SocketTimeoutException e) {
                throw headTimeout(headEnd, deadline);
            } catch (SSLException e) {
                if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("interrupted");
                throw Tls.failure(e);
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("interrupted");
                // a server that closes or resets on the ClientHello refused the handshake
                throw new TlsFailure(TlsFailure.Reason.HANDSHAKE, List.of(),
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
            }
            socket = ssl;
            in = ssl.getInputStream();
            out = ssl.getOutputStream();
        }

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

        /** A pooled connection the server has not closed (nor sent anything on: a TLS close_notify counts). */
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
            socket.setSoTimeout(millis(wait));
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

    private Answer readHead(Conn c, long headEnd, long deadline, long idleNanos) throws IOException {
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
            String encoding = null;
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
                } else if (name.equalsIgnoreCase("Content-Encoding")) {
                    String v = value.toLowerCase(Locale.ROOT);
                    encoding = encoding == null ? v : encoding + "," + v;
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
                continue; // an interim answer (100 Continue, 103 Early Hints): the real one follows
            }
            Body body;
            if (code == 204 || code == 304) {
                body = new Framed(c, Framed.FIXED, 0, close, deadline, idleNanos);
                length = chunked ? -1 : length;
            } else if (chunked) {
                body = new Framed(c, Framed.CHUNKED, 0, close, deadline, idleNanos);
                length = -1;
            } else if (length >= 0) {
                body = new Framed(c, Framed.FIXED, length, close, deadline, idleNanos);
            } else {
                body = new Framed(c, Framed.TO_CLOSE, 0, true, deadline, idleNanos);
            }
            if (encoding != null && !encoding.equals("identity")) {
                if (!encoding.equals("gzip") && !encoding.equals("x-gzip")) {
                    body.close();
                    throw new IOException("the answer is encoded with " + encoding.substring(0, Math.min(40, encoding.length()))
                            + ", which was not asked for");
                }
                body = new Gunzip(body);
                length = -1;
            }
            return new Answer(code, contentType, location, length, body);
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
    final class Framed extends Body {
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

        Framed(Conn c, int mode, long length, boolean close, long deadline, long idleNanos) {
            this.c = c;
            this.mode = mode;
            this.close = close;
            this.deadline = deadline;
            this.idleNanos = idleNanos;
            this.left = mode == CHUNKED ? -1 : length;
            if (mode == FIXED && length == 0) end();
        }

        @Override
        public long count() {
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
                throw new Timeout(System.nanoTime() - deadline >= 0 ? Timeout.Limit.TOTAL : Timeout.Limit.IDLE);
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
            if (n < 0) throw new EOFException("the server closed the connection " + count + " bytes into the body");
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
            int semi = s.indexOf(';'); // chunk extensions: ignored
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
     * A gzip body decoded as it is read. Limits on what is read apply to the decoded bytes (the
     * caller counts those), so a small body that inflates to gigabytes is refused like a large
     * one. At the end of the gzip data the rest of the framing is read, so the connection can be
     * reused.
     */
    static final class Gunzip extends Body {
        private final Body raw;
        private InputStream gz;
        private long count;
        private boolean ended;

        Gunzip(Body raw) {
            this.raw = raw;
        }

        @Override
        public long count() {
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
            try {
                if (gz == null) {
                    int first = raw.read();
                    if (first < 0) { // an empty body: nothing to decode
                        ended = true;
                        return -1;
                    }
                    java.io.PushbackInputStream p = new java.io.PushbackInputStream(raw, 1);
                    p.unread(first);
                    gz = new GZIPInputStream(p, 8192);
                }
                int n = gz.read(b, off, len);
                if (n < 0) {
                    ended = true;
                    drain();
                    return -1;
                }
                count += n;
                return n;
            } catch (ZipException e) {
                close();
                throw new IOException("its gzip data is corrupt (" + e.getMessage() + ")", e);
            } catch (EOFException e) {
                close();
                throw new EOFException("the gzip data ended early (" + e.getMessage() + ")");
            }
        }

        /** Reads what follows the gzip data (usually nothing but the framing's end) so the connection is kept. */
        private void drain() throws IOException {
            byte[] skip = new byte[4096];
            long n = 0;
            for (int r; (r = raw.read(skip)) >= 0; ) {
                n += r;
                if (n > MAX_DRAIN) {
                    raw.close();
                    return;
                }
            }
        }

        @Override
        public int available() throws IOException {
            return ended ? 0 : raw.available();
        }

        @Override
        public void close() {
            raw.close();
            if (gz != null) {
                try {
                    gz.close(); // frees the inflater
                } catch (IOException e) {
                    // closing: nothing to do
                }
            }
        }
    }

    /**
     * One daemon thread that closes a connection whose write has not finished by its deadline
     * (reads have the socket's timeout; a write has none). It sleeps until the earliest deadline
     * of the writes in progress and is woken only when a new write ends sooner.
     */
    static final class Watchdog {
        private static final Object LOCK = new Object();
        private static final java.util.List<Guard> ACTIVE = new java.util.ArrayList<>();
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
            java.util.List<Guard> due = new java.util.ArrayList<>();
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
                                LOCK.wait(Math.max(1, (next - now + 999_999) / 1_000_000));
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
