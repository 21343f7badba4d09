package io.datasette.dclient.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * HTTP to one Datasette instance. The token goes only to the instance's own origin (scheme,
 * host and port): redirects and {@code next_url}s elsewhere are followed without it. Failures
 * become {@link DclientException}s with the server's message, never with the token.
 */
public final class DatasetteClient {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_REDIRECTS = 5;

    private final HttpClient http;
    private final String baseUrl;
    private final URI origin;
    private final String token;
    private final PrintStream verbose;
    private final Duration timeout;
    private final String label;

    /**
     * @param baseUrl the instance URL (a trailing slash is ignored)
     * @param token the bearer token, or null to send none
     * @param verbose where to log requests, or null
     * @param label how to name the instance in hints ("prod", or its URL)
     */
    public DatasetteClient(HttpClient http, String baseUrl, String token, PrintStream verbose, Duration timeout,
            String label) {
        this.http = http;
        String b = baseUrl;
        while (b.endsWith("/")) b = b.substring(0, b.length() - 1);
        this.baseUrl = b;
        this.origin = parseUrl(b);
        this.token = token == null || token.isEmpty() ? null : token;
        this.verbose = verbose;
        this.timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        this.label = label == null ? b : label;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public boolean hasToken() {
        return token != null;
    }

    public String label() {
        return label;
    }

    /** Validates an instance URL: http or https with a host. */
    public static URI parseUrl(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new DclientException("Not a valid URL: " + url);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
            throw new DclientException("Not a valid instance URL: " + url + " (expected http:// or https:// and a host)");
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
        if (!r.ok()) throw new DclientException(errorMessage(r), kindOf(r.status()));
        JsonNode node = r.jsonOrNull();
        if (node == null) {
            throw new DclientException("Response from " + r.uri() + " was not valid JSON (HTTP " + r.status() + ")",
                    DclientException.Kind.SERVER);
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
        JsonNode node = r.jsonOrNull();
        String detail = null;
        if (node != null && node.isObject()) {
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
            if (!parts.isEmpty()) detail = String.join(": ", parts);
            // Datasette's unknown-route answer is {"error": "404"}: the bare status says nothing
            if (detail != null && detail.equals(String.valueOf(r.status()))) detail = null;
            // a 403 names only the missing action ("execute-sql", "view-instance")
            if (detail != null && r.status() == 403 && !detail.toLowerCase(Locale.ROOT).contains("permission")) {
                detail = "Permission denied: " + detail;
            }
        }
        String what;
        if (detail != null) {
            what = detail + " (HTTP " + r.status() + ")";
        } else {
            String body = r.text().strip();
            boolean shortText = !body.isEmpty() && body.length() <= 200 && !body.contains("<") && !body.contains("\n")
                    && (node == null || !node.isObject()); // an object we could not read is noise
            what = "HTTP " + r.status() + " from " + r.uri() + (shortText ? ": " + body : "");
        }
        return what + hint(r.status());
    }

    private String hint(int status) {
        if (status == 401) {
            return ". Check the token: dclient auth status -i " + label + ", or get a new one: dclient login " + label;
        }
        if (status == 403 && token == null) {
            return ". No token was sent; add one: dclient auth add " + label + " (or dclient login " + label + ")";
        }
        return "";
    }

    /** Sends a request, following redirects; the token is only sent to the instance's origin. */
    public Response send(String method, URI uri, String contentType, byte[] body) {
        URI current = uri;
        String m = method;
        byte[] b = body;
        for (int hop = 0; ; hop++) {
            boolean withToken = token != null && sameOrigin(current, origin);
            HttpRequest.Builder rb = HttpRequest.newBuilder(current).timeout(timeout)
                    .header("User-Agent", "dclient-java/" + io.datasette.dclient.core.Version.VALUE)
                    .header("Accept", "application/json");
            if (withToken) rb.header("Authorization", "Bearer " + token);
            if (b != null) {
                rb.header("Content-Type", contentType).method(m, HttpRequest.BodyPublishers.ofByteArray(b));
            } else {
                rb.method(m, HttpRequest.BodyPublishers.noBody());
            }
            long start = System.nanoTime();
            if (verbose != null) {
                verbose.println("> " + m + " " + current + (withToken ? "  (Authorization: Bearer ***)" : ""));
                if (b != null && verbose != null && contentType.contains("json")) {
                    String text = new String(b, StandardCharsets.UTF_8);
                    verbose.println("> " + (text.length() > 2000 ? text.substring(0, 2000) + "..." : text));
                }
            }
            HttpResponse<byte[]> resp = exchange(rb.build(), current);
            String ct = resp.headers().firstValue("Content-Type").orElse(null);
            if (verbose != null) {
                verbose.println("< " + resp.statusCode() + " " + (ct == null ? "" : ct) + " ("
                        + (System.nanoTime() - start) / 1_000_000 + " ms, " + resp.body().length + " bytes)");
            }
            int s = resp.statusCode();
            var location = resp.headers().firstValue("Location");
            if ((s == 301 || s == 302 || s == 303 || s == 307 || s == 308) && location.isPresent()) {
                if (hop >= MAX_REDIRECTS) throw new DclientException("Too many redirects from " + uri, DclientException.Kind.SERVER);
                current = current.resolve(location.get());
                if (s == 303 || ((s == 301 || s == 302) && m.equals("POST"))) {
                    m = "GET";
                    b = null;
                }
                continue;
            }
            return new Response(s, ct, resp.body(), current);
        }
    }

    private HttpResponse<byte[]> exchange(HttpRequest request, URI uri) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw new DclientException("Timed out connecting to " + originOf(uri) + ". Is the URL right and the server up?",
                    DclientException.Kind.NETWORK, e);
        } catch (HttpTimeoutException e) {
            throw new DclientException("Timed out after " + seconds(timeout) + " s waiting for " + uri
                    + ". Is the server overloaded? Set DCLIENT_TIMEOUT (seconds) to wait longer.",
                    DclientException.Kind.NETWORK, e);
        } catch (ConnectException e) {
            throw new DclientException("Could not connect to " + originOf(uri) + " (connection refused). Is the server running?",
                    DclientException.Kind.NETWORK, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DclientException.interrupted("Interrupted.", e);
        } catch (IOException | UnresolvedAddressException e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            if (root instanceof UnknownHostException || root instanceof UnresolvedAddressException) {
                throw new DclientException("Unknown host: " + uri.getHost() + ". Check the instance URL.",
                        DclientException.Kind.NETWORK, e);
            }
            String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
            throw new DclientException("Request to " + uri + " failed: " + msg, DclientException.Kind.NETWORK, e);
        } catch (IllegalArgumentException e) {
            throw new DclientException("Cannot request " + uri + ": " + e.getMessage(), e);
        }
    }

    /** 30, 0.2, 1.5: seconds as a person writes them. */
    static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }

    private static String originOf(URI u) {
        return u.getScheme() + "://" + u.getRawAuthority();
    }

    /** Same scheme, host and port (default ports made explicit). */
    public static boolean sameOrigin(URI a, URI b) {
        if (a.getScheme() == null || b.getScheme() == null || a.getHost() == null || b.getHost() == null) return false;
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        if (u.getPort() != -1) return u.getPort();
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }
}
