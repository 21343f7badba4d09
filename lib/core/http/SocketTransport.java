package io.datasette.dclient.core.http;

import java.io.IOException;
import java.io.InterruptedIOException;
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
    static final int BUFFER = 64 * 1024;
    /** Status line and headers together: more is an error. */
    static final int MAX_HEAD = 256 * 1024;
    static final int MAX_LINE = 16 * 1024;
    /** Idle connections kept per route: enough for every request of a {@code --parallel} walk to find one. */
    private static final int IDLE_PER_ROUTE = 16;
    /** A pooled connection idle longer than this is closed rather than reused. */
    private static final long MAX_IDLE_NANOS = 20_000_000_000L;
    /** A gzip body's bytes after its end are read (to keep the connection) up to this many. */
    static final int MAX_DRAIN = 64 * 1024;
    private static final byte[] FIXED_HEADERS = ("User-Agent: dclient-java/" + io.datasette.dclient.core.Version.VALUE
            + "\r\nAccept: application/json\r\nAccept-Encoding: gzip\r\n").getBytes(StandardCharsets.ISO_8859_1);

    private final ProxyRules proxies;
    private final Tls tls;
    private final Hosts.Resolver resolver;
    private final long connectNanos;
    private final Map<String, ArrayDeque<Connection>> idle = new HashMap<>();
    /** How long the last connection of each route took to open, TLS and tunnel included ({@link #connectNanos}). */
    private final Map<String, Long> connectTimes = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean tlsPrepared = new java.util.concurrent.atomic.AtomicBoolean();
    /** Connections being opened ahead of their first request ({@link #preconnect}), by route. */
    private final Map<String, java.util.concurrent.FutureTask<Connection>> opening =
            new java.util.concurrent.ConcurrentHashMap<>();

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
            Connection c = attempt == 0 ? pooled(route.key) : null;
            boolean reused = c != null;
            if (c == null && attempt == 0) c = opened(route.key, headEnd, deadline);
            if (c == null) c = connect(route, headEnd, deadline, true);
            boolean sent = false;
            try {
                send(c, head, r.body(), headEnd, deadline);
                sent = true;
                return Answers.read(c, headEnd, deadline, r.timeoutNanos());
            } catch (Retry e) {
                c.close();
                if (!reused || !r.method().equals("GET") || attempt > 0) throw sent ? new Unanswered(e.cause) : e.cause;
                // a kept-alive connection the server had closed: once more, on a new one
            } catch (ClosedByInterruptException | InterruptedIOException e) {
                c.close();
                throw sent ? new Unanswered(e) : e;
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

    private static void send(Connection c, byte[] head, byte[] body, long headEnd, long deadline) throws IOException {
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
    static final class Retry extends IOException {
        final IOException cause;

        Retry(IOException cause) {
            super(cause.getMessage(), cause);
            this.cause = cause;
        }
    }

    /** The time for the head ran out: the request's deadline, or the timeout. */
    static Timeout headTimeout(long headEnd, long deadline) {
        return new Timeout(headEnd >= deadline ? Timeout.Limit.TOTAL : Timeout.Limit.HEAD);
    }

    // ---- connections ---------------------------------------------------------------------------

    @Override
    public void preconnect(URI target) {
        Route route;
        try {
            route = route(target);
        } catch (IOException e) {
            return;
        }
        long now = System.nanoTime();
        long end = now + connectNanos;
        java.util.concurrent.FutureTask<Connection> task =
                new java.util.concurrent.FutureTask<>(() -> connect(route, end, end, false));
        if (opening.putIfAbsent(route.key, task) != null) return;
        if (route.secure) prepareTls();
        daemon(task, "dclient-preconnect");
    }

    @Override
    public long connectNanos(URI target) {
        try {
            return connectTimes.getOrDefault(route(target).key, -1L);
        } catch (IOException e) {
            return -1;
        }
    }

    /** A probe's connection gives up after this: slower than that, a server is far whatever it would say. */
    static final long PROBE_LIMIT_NANOS = Duration.ofSeconds(1).toNanos();

    @Override
    public long probeConnect(URI target) {
        try {
            Route route = route(target);
            long end = System.nanoTime() + Math.min(connectNanos, PROBE_LIMIT_NANOS);
            release(connect(route, end, end, true));
            return connectTimes.getOrDefault(route.key, -1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void prepareTls() {
        if (tlsPrepared.getAndSet(true)) return;
        daemon(() -> {
            try {
                tls.factory();
            } catch (RuntimeException e) {
                // the connection will meet it again and say it
            }
        }, "dclient-tls-setup");
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /**
     * The connection {@link #preconnect} is opening for this route, once open (waiting within
     * the head's time); null when there is none. Its failure is this request's: the same
     * exceptions, for the same reasons, as if it had connected itself.
     */
    private Connection opened(String key, long headEnd, long deadline) throws IOException {
        java.util.concurrent.FutureTask<Connection> task = opening.remove(key);
        if (task == null) return null;
        try {
            return task.get(Math.max(0, headEnd - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            task.cancel(true);
            throw headTimeout(headEnd, deadline);
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IOException(e.getCause());
        }
    }

    private Connection pooled(String key) {
        while (true) {
            Connection c;
            synchronized (idle) {
                ArrayDeque<Connection> q = idle.get(key);
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

    void release(Connection c) {
        c.idleSince = System.nanoTime();
        Connection evicted = null;
        synchronized (idle) {
            ArrayDeque<Connection> q = idle.computeIfAbsent(c.key, k -> new ArrayDeque<>());
            q.addLast(c);
            if (q.size() > IDLE_PER_ROUTE) evicted = q.pollFirst();
        }
        if (evicted != null) evicted.close();
    }

    private Connection connect(Route route, long headEnd, long deadline, boolean tlsFirst) throws IOException {
        if (route.proxy == null) return open(route, headEnd, deadline, tlsFirst);
        try {
            return open(route, headEnd, deadline, tlsFirst);
        } catch (java.net.ConnectException | UnknownHostException | java.net.NoRouteToHostException e) {
            // the proxy, not the server, is out of reach: say so, or the message would name the server
            InetSocketAddress p = route.proxy.address();
            String why = e instanceof UnknownHostException ? "its name does not resolve"
                    : e instanceof java.net.ConnectException ? "connection refused" : "no route to it";
            throw new ProxyRefused(0, "the proxy at " + p.getHostString() + ":" + p.getPort() + " could not be reached ("
                    + why + ")");
        }
    }

    /**
     * A certificate file that cannot be read is said before anything about the connection. A
     * connection opened ahead ({@code tlsFirst} false) connects while the TLS set-up is made on
     * another thread, and says the file's problem first all the same: over a network that
     * overlaps a round trip, and on loopback the name lookup and socket set-up (5-15 ms of a
     * first https:// command).
     */
    private Connection open(Route route, long headEnd, long deadline, boolean tlsFirst) throws IOException {
        if (route.secure && tlsFirst) tls.factory();
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
        Connection c = null;
        try {
            Socket s = ch.socket();
            s.setTcpNoDelay(true);
            long before = System.nanoTime();
            try {
                s.connect(address, millis(Math.min(connectNanos, left)));
            } catch (SocketTimeoutException e) {
                throw byConnectLimit ? new Timeout(Timeout.Limit.CONNECT) : headTimeout(headEnd, deadline);
            }
            c = new Connection(this, ch, route.key);
            if (route.secure && route.proxy != null) tunnel(c, route, headEnd, deadline);
            if (route.secure) c.startTls(tls, route.host, route.port, headEnd, deadline);
            connectTimes.put(route.key, System.nanoTime() - before);
            return c;
        } catch (IOException | RuntimeException e) {
            if (c != null) c.close();
            ch.close();
            if (route.secure && !tlsFirst) tls.factory();
            throw e;
        }
    }

    /** Asks the proxy for a tunnel to the server ({@code CONNECT}); the proxy looks the name up. */
    private static void tunnel(Connection c, Route route, long headEnd, long deadline) throws IOException {
        String authority = (route.host.indexOf(':') >= 0 ? "[" + route.host + "]" : route.host) + ":" + route.port;
        StringBuilder sb = new StringBuilder("CONNECT ").append(authority).append(" HTTP/1.1\r\nHost: ")
                .append(authority).append("\r\n");
        if (route.proxy.authorization() != null) {
            sb.append("Proxy-Authorization: ").append(route.proxy.authorization()).append("\r\n");
        }
        sb.append("\r\n");
        ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) c.ch.write(b);
        String status = Answers.line(c, headEnd, deadline, true);
        int code = status.startsWith("HTTP/1.") && status.length() >= 12 ? Answers.parseStatus(status) : -1;
        int headBytes = status.length();
        for (String h; !(h = Answers.line(c, headEnd, deadline, false)).isEmpty(); ) {
            headBytes += h.length() + 2;
            if (headBytes > MAX_HEAD) throw new IOException("the proxy's answer is larger than " + MAX_HEAD + " bytes");
        }
        if (code < 200 || code > 299) throw new ProxyRefused(code, status.substring(0, Math.min(80, status.length())));
        if (c.pos != c.lim) throw new IOException("the proxy sent data before the tunnel was used");
    }

    static int millis(long nanos) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000));
    }

    /** One connection and its read buffer. */
}
