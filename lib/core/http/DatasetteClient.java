package io.datasette.dclient.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.TokenOrigin;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.core.json.JsonErrors;
import io.datasette.dclient.core.json.JsonWriter;
import io.datasette.dclient.core.text.Safe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.WeakHashMap;

/**
 * HTTP to one Datasette instance. The token goes only to the instance's own origin (scheme,
 * host and port): redirects and {@code next_url}s elsewhere are followed without it. Failures
 * become {@link DclientException}s with the server's message, never with the token.
 *
 * <p>Every request runs under the timeout: it bounds the wait to connect and for the headers,
 * and every wait between two pieces of the body; the whole request (headers and body) may take
 * {@link #TOTAL_FACTOR} times as long. A response is read into memory up to
 * {@link #MAX_RESPONSE_BYTES} (more is an error), an error response up to
 * {@link #MAX_ERROR_BYTES} (the rest is dropped); {@link #stream} copies a body of any size.
 * URLs in messages and in the verbose log never show a password.
 *
 * <p>Bytes cross the network through a {@link Transport} ({@link SocketTransport} unless one is
 * given), on the calling thread; several threads may share a client. Failures are worded by
 * {@link HttpFailures}.
 */
public final class DatasetteClient {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** The whole of one request (connect, headers and body) may take this many timeouts. */
    public static final int TOTAL_FACTOR = 10;
    /** The largest response read into memory (a JSON page): 64 MiB. */
    public static final long MAX_RESPONSE_BYTES = 64L << 20;
    /** How much of an error response is read: 1 MiB (its message is quoted to {@link Safe#MESSAGE_CHARS}). */
    public static final int MAX_ERROR_BYTES = 1 << 20;
    private static final int MAX_REDIRECTS = 5;
    /** {@code get}: a body this small is read whole first, so broken JSON still prints as text. */
    private static final int STREAM_LOOKAHEAD = 1 << 20;
    /** Warning streams that already carry the plain-http warning (once per stream, so once per run). */
    private static final Set<PrintStream> WARNED = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    private final Transport transport;
    private final String baseUrl;
    private final URI origin;
    private final String token;
    private final PrintStream verbose;
    private final Duration timeout;
    /** The timeout and {@link #total} in nanoseconds (Duration arithmetic goes through BigDecimal: not per request). */
    private final long timeoutNanos;
    private final long totalNanos;
    private final String label;
    private volatile PrintStream warnings;
    /** Which token is sent, for advice about it (never its value); null: given by the caller, if there is one. */
    private volatile Advice.Token tokenFacts;
    private volatile long maxResponseBytes = MAX_RESPONSE_BYTES;
    /** Requests started so far: with several in flight, a verbose answer line says which request it answers. */
    private final java.util.concurrent.atomic.AtomicLong started = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param baseUrl the instance URL (a trailing slash is ignored)
     * @param token the bearer token, or null to send none
     * @param verbose where to log requests, or null
     * @param timeout the longest wait (to connect, for headers, between body bytes); null: 30 s
     * @param label how to name the instance in hints ("prod", or its URL)
     */
    public DatasetteClient(Transport transport, String baseUrl, String token, PrintStream verbose, Duration timeout,
            String label) {
        this.transport = transport;
        String b = baseUrl;
        while (b.endsWith("/")) b = b.substring(0, b.length() - 1);
        this.baseUrl = b;
        this.origin = parseUrl(b);
        this.token = token == null || token.isEmpty() ? null : token;
        this.verbose = verbose;
        this.timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        this.timeoutNanos = saturatedNanos(this.timeout);
        this.totalNanos = saturatedNanos(this.timeout.multipliedBy(TOTAL_FACTOR));
        this.label = Safe.maskUrls(label == null ? b : label);
    }

    /**
     * Where to warn (once per stream) that the token is about to cross the network in plain
     * {@code http://}; null (the default) warns nowhere. Returns this client.
     */
    public DatasetteClient warnings(PrintStream stream) {
        this.warnings = stream;
        return this;
    }

    /**
     * Where the token came from, for the advice a refusal carries (a 401 or 403 says which token
     * to replace, and how, in each face's words). Returns this client.
     */
    public DatasetteClient tokenFacts(Advice.Token facts) {
        this.tokenFacts = facts;
        return this;
    }

    private Advice.Token tokenFacts() {
        Advice.Token f = tokenFacts;
        if (f != null) return f;
        return new Advice.Token(token == null ? TokenOrigin.NONE : TokenOrigin.EXPLICIT, null, null);
    }

    /** The largest response read into memory (default {@link #MAX_RESPONSE_BYTES}). Returns this client. */
    public DatasetteClient maxResponseBytes(long bytes) {
        this.maxResponseBytes = bytes;
        return this;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** About one round trip to the instance (the time its last connection took to open), or -1 when unknown. */
    public long connectNanos() {
        return transport.connectNanos(origin);
    }

    /** The same, measured on a connection opened now (and kept): see {@link Transport#probeConnect}. */
    public long probeConnect() {
        return transport.probeConnect(origin);
    }

    public boolean hasToken() {
        return token != null;
    }

    /** How the instance is named in messages (its password, if the URL has one, masked). */
    public String label() {
        return label;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Validates an instance URL: http or https with a host. A host name may hold underscores
     * ({@code http://my_host:8001}), which {@link URI} reads as a registry authority.
     */
    public static URI parseUrl(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new DclientException("Not a valid URL: " + Safe.maskUrls(url));
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || Hosts.host(u) == null) {
            throw new DclientException("Not a valid instance URL: " + Safe.maskUrls(url)
                    + " (expected http:// or https:// and a host)");
        }
        return u;
    }

    /** {@code path} is relative to the instance URL and already encoded ({@link Tilde}, {@link Query}). */
    public URI uri(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        try {
            return new URI(baseUrl + p);
        } catch (URISyntaxException e) {
            throw new DclientException("Not a valid path: " + path);
        }
    }

    public Response get(String path) {
        return send("GET", uri(path), null, null);
    }

    public Response get(URI uri) {
        return send("GET", uri, null, null);
    }

    /** GET and parse JSON; a non-2xx status or a non-JSON body is an error. */
    public JsonNode getJson(String path) {
        return json(get(path));
    }

    public JsonNode getJson(URI uri) {
        return json(get(uri));
    }

    /** POST a JSON body; returns the parsed answer or fails with the server's message. */
    public JsonNode postJson(String path, JsonNode body) {
        byte[] bytes = Json.compact(body).getBytes(StandardCharsets.UTF_8);
        return json(send("POST", uri(path), "application/json", bytes));
    }

    /** POST a form (the OAuth endpoints); returns the raw response, whatever its status. */
    public Response postForm(String path, Map<String, String> form) {
        StringJoiner j = new StringJoiner("&");
        form.forEach((k, v) -> j.add(Query.encode(k) + "=" + Query.encode(v)));
        return send("POST", uri(path), "application/x-www-form-urlencoded",
                j.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Returns the JSON of a successful response, or throws with the server's message. */
    public JsonNode json(Response r) {
        if (!r.ok()) throw failure(r, null);
        JsonNode node = r.jsonOrNull();
        if (node == null) {
            throw new DclientException("Response from " + Safe.maskUrl(r.uri()) + " was not valid JSON (HTTP "
                    + r.status() + ")" + JsonErrors.reason(r.body()), DclientException.Kind.SERVER);
        }
        if (node.isObject() && node.has("ok") && !node.path("ok").asBoolean(true)) {
            throw new DclientException(errorMessage(r), DclientException.Kind.SERVER);
        }
        return node;
    }

    /** The kind of failure an HTTP error status means. */
    public static DclientException.Kind kindOf(int status) {
        if (status == 401 || status == 403) return DclientException.Kind.PERMISSION;
        if (status == 404) return DclientException.Kind.NOT_FOUND;
        return DclientException.Kind.SERVER;
    }

    /** One line describing a failed response, using Datasette's error shape when there is one. */
    public String errorMessage(Response r) {
        String detail = serverText(r);
        String what;
        if (detail != null) {
            what = detail + " (HTTP " + r.status() + ")";
        } else {
            String body = plainText(r);
            what = "HTTP " + r.status() + " from " + Safe.maskUrl(r.uri()) + (body != null ? ": " + body : "");
        }
        return what;
    }

    /**
     * The failure a response means: the server's message and, for a 401 or 403, what to do about
     * the token (which one was sent and where it came from, or that none was), as advice each face
     * words. {@code access}: what the request needed (null for a plain read).
     */
    public DclientException failure(Response r, Advice.Access access) {
        int status = r.status();
        if (status == 401 || status == 403) {
            String fact = errorMessage(r) + "." + (token == null ? " No token was sent." : "");
            return new DclientException(fact, kindOf(status), null,
                    Advice.refused(status, serverText(r), tokenFacts(), token != null, label, access));
        }
        return new DclientException(errorMessage(r), kindOf(status));
    }

    /**
     * Datasette's own error text in a response body, or null when it has none: its
     * {@code title}, then its {@code errors} (joined with "; ") or else its {@code error}
     * ("Invalid SQL: Statement must be a SELECT", "Token has expired"). A bare status
     * ({@code {"error": "404"}}, Datasette's unknown route) is no text; a 403 that names only the
     * missing action ("execute-sql") reads "Permission denied: execute-sql". The one parser of
     * error bodies: every message about a failed response starts from it.
     */
    public static String serverText(Response r) {
        JsonNode node = r.jsonOrNull();
        if (node == null || !node.isObject()) return null;
        List<String> parts = new ArrayList<>();
        String title = node.path("title").asText("");
        if (!title.isEmpty()) parts.add(title);
        if (node.path("errors").isArray() && !node.path("errors").isEmpty()) {
            List<String> errs = new ArrayList<>();
            node.path("errors").forEach(e -> errs.add(e.isTextual() ? e.asText() : Json.line(e)));
            parts.add(String.join("; ", errs));
        } else if (node.hasNonNull("error")) {
            JsonNode e = node.get("error");
            parts.add(e.isTextual() ? e.asText() : Json.line(e));
        }
        if (parts.isEmpty()) return null;
        String detail = String.join(": ", parts);
        if (detail.isBlank() || detail.equals(String.valueOf(r.status()))) return null;
        if (r.status() == 403 && !detail.toLowerCase(Locale.ROOT).contains("permission")) {
            detail = "Permission denied: " + detail;
        }
        return Safe.line(detail); // one readable line: no escapes or control characters, at most 300 chars
    }

    /**
     * A body worth quoting when it has no Datasette error shape: short plain text on one line
     * (not HTML, not a JSON object we could not read); else null.
     */
    public static String plainText(Response r) {
        String body = r.text().strip();
        if (body.isEmpty() || body.length() > 200 || body.contains("<") || body.contains("\n")) return null;
        JsonNode node = r.jsonOrNull();
        return node != null && node.isObject() ? null : Safe.line(body); // an object we could not read is noise
    }

    /**
     * Sends a request, following redirects, and reads the answer into memory: a success up to
     * {@link #maxResponseBytes} (a larger one is an error), an error response up to
     * {@link #MAX_ERROR_BYTES} (the rest is dropped). The token is only sent to the instance's
     * origin.
     */
    public Response send(String method, URI uri, String contentType, byte[] body) {
        Exchange ex = exchange(method, uri, contentType, body);
        try (Transport.Body in = ex.body) {
            boolean ok = ex.status >= 200 && ex.status < 300;
            byte[] bytes = ok ? readAll(ex, in, maxResponseBytes) : readSome(in, MAX_ERROR_BYTES);
            log(ex, bytes.length + " bytes");
            return new Response(ex.status, ex.contentType, bytes, ex.uri);
        } catch (IOException e) {
            throw bodyFailure(e, ex.uri);
        }
    }

    /**
     * GETs {@code path} and copies the body to {@code out} as it arrives, never holding it all:
     * JSON is pretty-printed (2 spaces), anything else written as is, and a final newline is
     * added when the body lacks one. A JSON body that turns out not to be JSON is written as
     * text when it is small (under 1 MiB); a larger one ends with an error saying the output is
     * incomplete. A failed status is an error with the server's message, before anything is
     * written. The time limits apply as to every request; size is not limited.
     */
    public void stream(String path, OutputStream out) {
        Exchange ex = exchange("GET", uri(path), null, null);
        OutputStream sink = new Unchecked(out);
        try (Transport.Body in = ex.body) {
            if (ex.status < 200 || ex.status >= 300) {
                byte[] bytes = readSome(in, MAX_ERROR_BYTES);
                log(ex, bytes.length + " bytes");
                throw failure(new Response(ex.status, ex.contentType, bytes, ex.uri), null);
            }
            log(ex, "streaming");
            boolean json = ex.contentType != null && ex.contentType.contains("json");
            if (!json) { // as it comes
                int last = '\n';
                byte[] chunk = new byte[1 << 16];
                for (int n; (n = in.read(chunk)) != -1; ) {
                    sink.write(chunk, 0, n);
                    if (n > 0) last = chunk[n - 1];
                    if (in.available() == 0) sink.flush();
                }
                if (last != '\n') sink.write('\n');
            } else {
                byte[] head = in.readNBytes(STREAM_LOOKAHEAD);
                JsonNode node = head.length < STREAM_LOOKAHEAD // the whole body
                        ? new Response(ex.status, ex.contentType, head, ex.uri).jsonOrNull() : null;
                if (node != null) {
                    sink.write((Json.pretty(node, 2) + "\n").getBytes(StandardCharsets.UTF_8));
                } else if (head.length < STREAM_LOOKAHEAD) { // not JSON after all: as text
                    sink.write(head);
                    if (head.length > 0 && head[head.length - 1] != '\n') sink.write('\n');
                } else {
                    try {
                        JsonWriter.pretty(new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head), in), sink, 2);
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        sink.write('\n');
                        throw new DclientException("The response from " + Safe.maskUrl(ex.uri) + " is not valid JSON after "
                                + in.count() + " bytes; the output is incomplete", DclientException.Kind.SERVER, e);
                    }
                }
            }
            sink.flush();
        } catch (Unchecked.Failed e) {
            throw new DclientException("Could not write the output: " + e.getCause().getMessage(), e.getCause());
        } catch (IOException e) {
            try {
                out.flush(); // what arrived before the failure
            } catch (IOException ignored) {
                // the failure below says enough
            }
            throw bodyFailure(e, ex.uri);
        }
    }

    /** A response whose headers arrived, its body not read yet. */
    private record Exchange(int status, String contentType, long length, URI uri, Transport.Body body, String method,
            long start, long seq) {}

    /**
     * Sends, following redirects, until a response that is not a redirect; its body is left to
     * read. A GET follows any redirect (without the token when the origin changes). A write
     * (any other method) is never turned into a GET: a 307 or 308 to the same origin is sent
     * again as it was, and any other redirect is an error that says the write was not made.
     */
    private Exchange exchange(String method, URI uri, String contentType, byte[] body) {
        long deadline = System.nanoTime() + totalNanos;
        URI current = uri;
        for (int hop = 0; ; hop++) {
            boolean withToken = token != null && sameOrigin(current, origin);
            if (withToken) warnPlainHttp(current);
            long start = System.nanoTime();
            long seq = started.incrementAndGet();
            if (verbose != null) {
                String line = "> " + method + " " + Safe.maskUrl(current) + (withToken ? "  (Authorization: Bearer ***)" : "");
                if (body != null && contentType.contains("json")) {
                    String text = new String(body, StandardCharsets.UTF_8);
                    line += System.lineSeparator() + "> " + Safe.clean(text.length() > 2000 ? text.substring(0, 2000) + "..." : text);
                }
                verbose.println(line); // one call: another request's lines cannot come between
            }
            Transport.Answer head = send(new Transport.Request(method, current, withToken ? "Bearer " + token : null,
                    body == null ? null : contentType, body, timeoutNanos, deadline));
            int s = head.status();
            if (!(s == 301 || s == 302 || s == 303 || s == 307 || s == 308) || head.location() == null) {
                return new Exchange(s, head.contentType(), head.length(), current, head.body(), method, start, seq);
            }
            head.body().close();
            log(new Exchange(s, head.contentType(), -1, current, head.body(), method, start, seq), null);
            if (hop >= MAX_REDIRECTS) {
                throw new DclientException("Too many redirects from " + Safe.maskUrl(uri), DclientException.Kind.SERVER);
            }
            URI next;
            try {
                next = current.resolve(head.location().strip());
            } catch (IllegalArgumentException e) {
                throw new DclientException("HTTP " + s + " from " + Safe.maskUrl(current)
                        + " redirects to an invalid URL: " + Safe.line(head.location(), 200), DclientException.Kind.SERVER);
            }
            if (!method.equals("GET") && !((s == 307 || s == 308) && sameOrigin(next, current))) {
                throw HttpFailures.redirectedWrite(method, s, current, next);
            }
            current = next;
        }
    }

    /** One exchange through the transport; its failures become messages. */
    private Transport.Answer send(Transport.Request request) {
        try {
            return transport.exchange(request);
        } catch (IOException e) {
            throw failures().request(e, request.method(), request.target());
        } catch (IllegalArgumentException e) {
            throw new DclientException("Cannot request " + Safe.maskUrl(request.target()) + ": "
                    + Safe.line(e.getMessage()), e);
        }
    }

    private HttpFailures failures() {
        return new HttpFailures(timeout, total(), TOTAL_FACTOR);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4; // centuries: no limit in practice
        }
    }

    /** The whole of one request may take this long: {@link #TOTAL_FACTOR} timeouts. */
    public Duration total() {
        return timeout.multipliedBy(TOTAL_FACTOR);
    }

    private void log(Exchange ex, String size) {
        if (verbose == null) return;
        // when another request started after this one, the line says which request it answers
        String which = started.get() == ex.seq ? "" : " for " + ex.method + " " + Safe.maskUrl(ex.uri);
        verbose.println("< " + ex.status + " " + (ex.contentType == null ? "" : Safe.clean(ex.contentType)) + " ("
                + (System.nanoTime() - ex.start) / 1_000_000 + " ms" + (size == null ? "" : ", " + size) + ")" + which);
    }

    private void warnPlainHttp(URI target) {
        PrintStream w = warnings;
        if (w == null || !"http".equalsIgnoreCase(target.getScheme()) || Hosts.isLoopback(target)) return;
        if (!WARNED.add(w)) return;
        w.println("Warning: sending the token over plain http:// to " + Safe.clean(Hosts.host(target))
                + ", where anyone on the network path can read it; use https:// if the server supports it.");
    }

    private byte[] readAll(Exchange ex, Transport.Body in, long max) throws IOException {
        if (ex.length > max) throw tooLarge(ex, in, max); // declared too long: not a byte read
        ByteArrayOutputStream buf;
        if (ex.length >= 0 && ex.length < Integer.MAX_VALUE - 8) {
            // the declared length: read straight into an array of that size (no copies)
            byte[] whole = new byte[(int) ex.length];
            int got = in.readNBytes(whole, 0, whole.length);
            if (got < whole.length) return java.util.Arrays.copyOf(whole, got);
            int next = in.read();
            if (next == -1) return whole;
            buf = new ByteArrayOutputStream(whole.length + 8192); // more than declared: read on, within the limit
            buf.write(whole, 0, got);
            buf.write(next);
            if (buf.size() > max) throw tooLarge(ex, in, max);
        } else {
            buf = new ByteArrayOutputStream(8192);
        }
        byte[] chunk = new byte[1 << 14];
        for (int n; (n = in.read(chunk)) != -1; ) {
            if (buf.size() + (long) n > max) throw tooLarge(ex, in, max);
            buf.write(chunk, 0, n);
        }
        return buf.toByteArray();
    }

    private static DclientException tooLarge(Exchange ex, Transport.Body in, long max) {
        in.close();
        return new DclientException("The response from " + Safe.maskUrl(ex.uri) + " is larger than " + bytes(max)
                + ", the most dclient reads into memory at once; ask for less (smaller pages, fewer columns)",
                DclientException.Kind.SERVER);
    }

    /** Up to {@code max} bytes of the body; the rest is not read. */
    private static byte[] readSome(Transport.Body in, int max) throws IOException {
        byte[] bytes = in.readNBytes(max);
        in.close();
        return bytes;
    }

    /** 64 MiB, 1.5 KiB, 100 bytes. */
    static String bytes(long n) {
        if (n >= 1 << 20 && n % (1 << 20) == 0) return (n >> 20) + " MiB";
        if (n >= 1 << 10 && n % (1 << 10) == 0) return (n >> 10) + " KiB";
        return n + " bytes";
    }

    /** A failure while reading the body. */
    private DclientException bodyFailure(IOException e, URI uri) {
        return failures().body(e, uri);
    }

    static String originOf(URI u) {
        return u.getScheme() + "://" + u.getRawAuthority();
    }

    /** Same scheme, host and port (default ports made explicit); host names may hold underscores. */
    public static boolean sameOrigin(URI a, URI b) {
        String ha = Hosts.host(a);
        String hb = Hosts.host(b);
        if (a.getScheme() == null || b.getScheme() == null || ha == null || hb == null) return false;
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && ha.equalsIgnoreCase(hb) && Hosts.port(a) == Hosts.port(b);
    }

    /** Write failures of the output, told apart from read failures of the response. */
    private static final class Unchecked extends java.io.FilterOutputStream {
        static final class Failed extends RuntimeException {
            Failed(IOException cause) {
                super(cause);
            }

            @Override
            public synchronized IOException getCause() {
                return (IOException) super.getCause();
            }
        }

        Unchecked(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) {
            try {
                out.write(b);
            } catch (IOException e) {
                throw new Failed(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new Failed(e);
            }
        }

        @Override
        public void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new Failed(e);
            }
        }
    }
}
