import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The helpers of bench/data (compiled once per run with javac; JDK 17, no dependencies).
 *
 * <pre>
 * serve PORTFILE [--cost] [--scale F] [--rows N]
 *     A stand-in for Datasette 1.0a37 on 127.0.0.1 (port written to PORTFILE). Serves
 *     GET /DB/big.json (N rows, default 200000) and /DB/tK.json (K rows) with _shape=objects,
 *     _size (N, or max = 1000; more is a 400), keyset _next and an absolute next_url, the range
 *     filters id__gt/gte/lt/lte, _sort_desc=id and the extras primary_keys, column_details and
 *     is_view (what dclient asks to split a walk by key range);
 *     POST /DB/-/create, /DB/TABLE/-/insert, /DB/TABLE/-/drop; GET /DB/-/query.json for
 *     "select count(*) as n from [T]"; GET /-/bench-stats.json. Answers are shaped like
 *     Datasette's (chunked, Python json spacing). Writes need "Authorization: Bearer dstok_...".
 *     Without --cost every answer is instant (the pages of big are cached). With --cost each request burns
 *     the server CPU a real Datasette spends on it (busy work measured with the thread's CPU
 *     clock, so a client competing for the cores delays it as it would delay Datasette), on one
 *     handler thread (Python's GIL: one request at a time):
 *         GET table page      5.0 ms + 7 us per row     (100 rows 5.7 ms, 1000 rows 12 ms)
 *         POST insert         6.0 ms + 15 us per row    (100 rows 7.5 ms)
 *         POST create + rows  as insert, + 1.0 ms
 *         anything else       0.5 ms
 *     all multiplied by --scale (default 1). The cost includes the stub's own work for the
 *     request (JSON generation, body parsing) done on that thread.
 * rows-loop URL [--gzip]
 *     The bare rows loop: GETs URL and each next_url after it (one keep-alive HTTP/1.1
 *     connection, HttpURLConnection), writes each row of "rows" to stdout as one line, bytes as
 *     the server sent them (no JSON parsing: a byte scanner finds the row objects). With --gzip
 *     it asks for gzip (Accept-Encoding) and inflates the answers that come compressed.
 * insert-loop BASE DB TABLE CSV
 *     The bare insert loop: reads CSV (no quoting; column types from the first data row),
 *     POSTs 100 rows per request, sequentially on one connection: the first batch to
 *     /DB/-/create with "pk": first column, the rest to /DB/TABLE/-/insert.
 * count BASE DB TABLE       prints select count(*) of the table (through /-/query.json)
 * drop BASE DB TABLE        drops the table ({"confirm": true})
 * count-drop BASE DB TABLE  both
 * </pre>
 * The token for writes (and count/drop) comes from the DATASETTE_TOKEN environment variable.
 * Over https, the certificates in SSL_CERT_FILE (a PEM bundle) and SSL_CERT_DIR (PEM files) are
 * trusted besides the JDK's own, as curl and Python do (bench/network's private CA).
 */
public class DataBench {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "serve" -> Stub.serve(args);
            case "rows-loop" -> rowsLoop(args[1], args.length > 2 && args[2].equals("--gzip"));
            case "insert-loop" -> insertLoop(args[1], args[2], args[3], Path.of(args[4]));
            case "count" -> System.out.println(count(args[1], args[2], args[3]));
            case "drop" -> drop(args[1], args[2], args[3]);
            case "count-drop" -> {
                System.out.println(count(args[1], args[2], args[3]));
                drop(args[1], args[2], args[3]);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    // --- bare loops -------------------------------------------------------------------------

    /** A status and body. */
    record Reply(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * One request with HttpURLConnection: the JDK's leanest client (blocking, in the calling
     * thread; keep-alive, so sequential requests share one connection), several times cheaper
     * in CPU per request than java.net.http. The body (if any) goes out with the headers in one
     * write (buffered mode). Sends the DATASETTE_TOKEN when {@code withToken}.
     */
    static Reply http(String method, String url, byte[] body, boolean withToken) throws IOException {
        return http(method, url, body, withToken, false);
    }

    static Reply http(String method, String url, byte[] body, boolean withToken, boolean gzip) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        // One factory for every request: HttpsURLConnection reuses a kept-alive connection only
        // for the same factory.
        if (c instanceof HttpsURLConnection s) s.setSSLSocketFactory(Tls.FACTORY);
        c.setRequestMethod(method);
        if (gzip) c.setRequestProperty("Accept-Encoding", "gzip");
        String token = System.getenv("DATASETTE_TOKEN");
        if (withToken && token != null && !token.isEmpty()) c.setRequestProperty("Authorization", "Bearer " + token);
        if (body != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream o = c.getOutputStream()) {
                o.write(body);
            }
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        byte[] b;
        try (InputStream i = in) {
            b = i == null ? new byte[0] : i.readAllBytes();
        }
        if (b.length > 0 && "gzip".equalsIgnoreCase(c.getHeaderField("Content-Encoding"))) {
            try (InputStream z = new GZIPInputStream(new ByteArrayInputStream(b), 1 << 16)) {
                b = z.readAllBytes();
            }
        }
        return new Reply(status, b);
    }

    static void rowsLoop(String first, boolean gzip) throws Exception {
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        String url = first;
        long rows = 0;
        // Reads go anonymous (as dclient's rows do in bench/data), so no token here.
        while (url != null) {
            Reply r = http("GET", url, null, false, gzip);
            if (r.status() != 200) throw new IOException("HTTP " + r.status() + " from " + url);
            byte[] b = r.body();
            url = null;
            int depth = 0;
            int start = -1;
            boolean str = false;
            boolean seenNext = false;
            int rowsAt = -1;
            for (int i = 0; i < b.length; i++) {
                byte c = b[i];
                if (str) {
                    if (c == '\\') i++;
                    else if (c == '"') str = false;
                } else if (c == '"') {
                    if (depth == 1 && rowsAt < 0) {
                        // a top-level key: next_url or rows matter
                        if (!seenNext && startsWith(b, i, "\"next_url\"")) {
                            seenNext = true;
                            int j = i + 10;
                            while (b[j] == ' ' || b[j] == ':') j++;
                            if (b[j] == '"') {
                                int e = j + 1;
                                while (b[e] != '"') e++;
                                url = new String(b, j + 1, e - j - 1, StandardCharsets.UTF_8);
                            }
                        } else if (startsWith(b, i, "\"rows\"")) {
                            rowsAt = i;
                        }
                    }
                    str = true;
                } else if (c == '{' || c == '[') {
                    if (c == '{' && depth == 2 && rowsAt >= 0) start = i;
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                    if (c == '}' && depth == 2 && start >= 0) {
                        out.write(b, start, i + 1 - start);
                        out.write('\n');
                        rows++;
                        start = -1;
                    } else if (depth == 1 && rowsAt >= 0) {
                        rowsAt = Integer.MAX_VALUE; // the rows list is done: ignore what follows
                    }
                }
            }
        }
        out.flush();
        System.err.println("bare rows loop: " + rows + " rows");
    }

    /** Trust for https: the JDK's, plus SSL_CERT_FILE and SSL_CERT_DIR. */
    static final class Tls {
        static final SSLSocketFactory FACTORY = factory();

        static SSLSocketFactory factory() {
            try {
                List<Path> pems = new ArrayList<>();
                String file = System.getenv("SSL_CERT_FILE");
                if (file != null && !file.isEmpty()) pems.add(Path.of(file));
                String dir = System.getenv("SSL_CERT_DIR");
                if (dir != null && !dir.isEmpty() && Files.isDirectory(Path.of(dir))) {
                    try (var files = Files.list(Path.of(dir))) {
                        files.filter(Files::isRegularFile).sorted().forEach(pems::add);
                    }
                }
                KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
                extra.load(null, null);
                CertificateFactory x509 = CertificateFactory.getInstance("X.509");
                int n = 0;
                for (Path pem : pems) {
                    try (InputStream in = Files.newInputStream(pem)) {
                        for (Certificate cert : x509.generateCertificates(in)) extra.setCertificateEntry("pem" + n++, cert);
                    } catch (CertificateException e) {
                        // not a certificate (SSL_CERT_DIR also holds hash links and CRLs): skip it
                    }
                }
                if (n == 0) return (SSLSocketFactory) SSLSocketFactory.getDefault();
                X509TrustManager jdk = trustManager(null);
                X509TrustManager own = trustManager(extra);
                X509TrustManager both = new X509TrustManager() {
                    @Override
                    public void checkClientTrusted(X509Certificate[] chain, String auth) throws CertificateException {
                        jdk.checkClientTrusted(chain, auth);
                    }

                    @Override
                    public void checkServerTrusted(X509Certificate[] chain, String auth) throws CertificateException {
                        try {
                            own.checkServerTrusted(chain, auth);
                        } catch (CertificateException e) {
                            jdk.checkServerTrusted(chain, auth);
                        }
                    }

                    @Override
                    public X509Certificate[] getAcceptedIssuers() {
                        List<X509Certificate> all = new ArrayList<>(List.of(jdk.getAcceptedIssuers()));
                        all.addAll(List.of(own.getAcceptedIssuers()));
                        return all.toArray(new X509Certificate[0]);
                    }
                };
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, new TrustManager[] {both}, null);
                return tls.getSocketFactory();
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("bench TLS set-up: " + e, e);
            }
        }

        static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(store);
            for (TrustManager t : f.getTrustManagers()) {
                if (t instanceof X509TrustManager x) return x;
            }
            throw new GeneralSecurityException("no X509TrustManager");
        }
    }

    static boolean startsWith(byte[] b, int at, String s) {
        if (at + s.length() > b.length) return false;
        for (int k = 0; k < s.length(); k++) {
            if (b[at + k] != s.charAt(k)) return false;
        }
        return true;
    }

    static final Pattern INT = Pattern.compile("-?\\d+");
    static final Pattern NUM = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    static void insertLoop(String base, String db, String table, Path csv) throws Exception {
        try (BufferedReader in = Files.newBufferedReader(csv)) {
            String[] columns = in.readLine().split(",", -1);
            boolean[] raw = null; // numeric columns go out unquoted
            StringBuilder body = new StringBuilder(1 << 16);
            int n = 0;
            long sent = 0;
            boolean created = false;
            String line;
            while (true) {
                line = in.readLine();
                if (line != null && line.isEmpty()) continue;
                if (line != null) {
                    String[] v = line.split(",", -1);
                    if (line.indexOf('"') >= 0 || v.length != columns.length) {
                        throw new IOException("the bare loop reads simple CSV only: " + line);
                    }
                    if (raw == null) {
                        raw = new boolean[v.length];
                        for (int k = 0; k < v.length; k++) raw[k] = NUM.matcher(v[k]).matches();
                    }
                    body.append(n == 0 ? (created ? "{\"rows\":[" : "{\"table\":" + quote(table) + ",\"rows\":[") : ",");
                    body.append('{');
                    for (int k = 0; k < v.length; k++) {
                        if (k > 0) body.append(',');
                        body.append(quote(columns[k])).append(':');
                        if (raw[k]) body.append(v[k]); else body.append(quote(v[k]));
                    }
                    body.append('}');
                    n++;
                }
                if (n == 100 || (line == null && n > 0)) {
                    String path = created ? "/" + db + "/" + table + "/-/insert" : "/" + db + "/-/create";
                    body.append(created ? "]}" : "],\"pk\":" + quote(columns[0]) + "}");
                    Reply r = http("POST", base + path, body.toString().getBytes(StandardCharsets.UTF_8), true);
                    if (r.status() != 201) throw new IOException("HTTP " + r.status() + " from " + path + ": " + r.text());
                    created = true;
                    sent += n;
                    n = 0;
                    body.setLength(0);
                }
                if (line == null) break;
            }
            System.err.println("bare insert loop: " + sent + " rows");
        }
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    static String count(String base, String db, String table) throws Exception {
        String sql = "select count(*) as n from [" + table + "]";
        Reply r = http("GET", base + "/" + db + "/-/query.json?sql=" + URLEncoder.encode(sql, StandardCharsets.UTF_8),
                null, true);
        Matcher m = Pattern.compile("\"n\":\\s*(\\d+)").matcher(r.text());
        if (r.status() != 200 || !m.find()) throw new IOException("count: HTTP " + r.status() + " " + r.text());
        return m.group(1);
    }

    static void drop(String base, String db, String table) throws Exception {
        Reply r = http("POST", base + "/" + db + "/" + table + "/-/drop",
                "{\"confirm\": true}".getBytes(StandardCharsets.UTF_8), true);
        if (r.status() != 200) throw new IOException("drop: HTTP " + r.status() + " " + r.text());
    }

    // --- the stub server ------------------------------------------------------------------------

    static final class Stub {
        static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        static final Map<String, byte[]> PAGES = new ConcurrentHashMap<>();
        /** Tables created through the API: name -> rows inserted. */
        static final Map<String, AtomicLong> TABLES = new ConcurrentHashMap<>();
        static final AtomicLong REQUESTS = new AtomicLong();
        static final AtomicLong ROWS_SERVED = new AtomicLong();
        static final AtomicLong ROWS_INSERTED = new AtomicLong();
        static final AtomicLong HANDLER_CPU_NS = new AtomicLong();
        static boolean cost;
        static double scale = 1;
        static long bigRows = 200_000;
        static volatile long sink;

        // The cost model, in nanoseconds of server CPU (see the class comment).
        static final long GET_BASE = 5_000_000, GET_ROW = 7_000;
        static final long INSERT_BASE = 6_000_000, INSERT_ROW = 15_000, CREATE_EXTRA = 1_000_000;
        static final long OTHER = 500_000;

        static void serve(String[] args) throws IOException {
            Path portFile = Path.of(args[1]);
            for (int i = 2; i < args.length; i++) {
                switch (args[i]) {
                    case "--cost" -> cost = true;
                    case "--scale" -> scale = Double.parseDouble(args[++i]);
                    case "--rows" -> bigRows = Long.parseLong(args[++i]);
                    default -> throw new IllegalArgumentException(args[i]);
                }
            }
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            // One handler thread: like Datasette under the GIL, the server does one thing at a time.
            server.setExecutor(Executors.newSingleThreadExecutor());
            server.createContext("/", Stub::handle);
            server.start();
            Files.writeString(portFile, Integer.toString(server.getAddress().getPort()));
        }

        record Answer(int status, String body, Map<String, String> headers) {
            Answer(int status, String body) {
                this(status, body, Map.of());
            }
        }

        /**
         * Server CPU spent outside the budgeted part of a request: the dispatcher thread (reading
         * requests) and the write of the answer. Measured (thread CPU clocks) and taken off the
         * next request's busy work, so that the stub's CPU per request stays near the model.
         */
        static long dispatcherId = -1, lastDispatcherCpu, lastWriteCpu;

        static long outsideCpu() {
            if (dispatcherId < 0) {
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    if (t.getName().startsWith("HTTP-Dispatcher")) dispatcherId = t.getId();
                }
                if (dispatcherId < 0) dispatcherId = 0;
            }
            long d = dispatcherId > 0 ? THREADS.getThreadCpuTime(dispatcherId) : 0;
            long outside = Math.max(0, d - lastDispatcherCpu) + lastWriteCpu;
            lastDispatcherCpu = d;
            return outside;
        }

        static void handle(HttpExchange ex) throws IOException {
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long outside = cost ? outsideCpu() : 0;
            REQUESTS.incrementAndGet();
            byte[] in;
            try (InputStream is = ex.getRequestBody()) {
                in = is.readAllBytes();
            }
            long[] costNs = {OTHER};
            byte[] body;
            Answer a;
            try {
                a = route(ex, in, costNs);
            } catch (RuntimeException e) {
                a = error(500, String.valueOf(e));
            }
            body = a.body.getBytes(StandardCharsets.UTF_8);
            long budget = Math.round(costNs[0] * scale);
            if (cost) burnUntil(cpu0 + budget - Math.min(outside, budget / 2));
            long cpu1 = THREADS.getCurrentThreadCpuTime();
            var h = ex.getResponseHeaders();
            a.headers.forEach(h::add);
            if (a.status == 405) {
                h.add("content-type", "text/plain; charset=utf-8");
            } else {
                h.add("content-type", "application/json; charset=utf-8");
            }
            ex.sendResponseHeaders(a.status, 0); // chunked, as uvicorn sends Datasette's answers
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
            long cpu2 = THREADS.getCurrentThreadCpuTime();
            lastWriteCpu = cpu2 - cpu1;
            HANDLER_CPU_NS.addAndGet(cpu2 - cpu0);
        }

        /** Busy work until this thread has used cpuNs of CPU (its own clock: waiting for a core does not count). */
        static void burnUntil(long cpuNs) {
            long x = sink;
            while (THREADS.getCurrentThreadCpuTime() < cpuNs) {
                for (int i = 0; i < 2000; i++) x = x * 6364136223846793005L + 1442695040888963407L;
            }
            sink = x;
        }

        static Answer error(int status, String message) {
            String m = jsonString(message);
            return new Answer(status, "{\"ok\": false, \"error\": " + m + ", \"errors\": [" + m + "], \"status\": "
                    + status + "}");
        }

        static final Pattern TABLE_JSON = Pattern.compile("/([^/]+)/([^/]+)\\.json");
        static final Pattern CREATE = Pattern.compile("/([^/]+)/-/create");
        static final Pattern TABLE_ACTION = Pattern.compile("/([^/]+)/([^/]+)/-/(insert|upsert|drop)");
        static final Pattern QUERY = Pattern.compile("/([^/]+)/-/query\\.json");
        static final Pattern DB_JSON = Pattern.compile("/[^/]+\\.json");
        static final Pattern COUNT_SQL = Pattern.compile(
                "(?i)\\s*select\\s+count\\(\\*\\)\\s+as\\s+n\\s+from\\s+[\\[\"]?([^\\]\"]+)[\\]\"]?\\s*");

        static Answer route(HttpExchange ex, byte[] in, long[] costNs) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getRawPath();
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            Matcher m;
            if (method.equals("GET") && path.equals("/-/bench-stats.json")) {
                var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                return new Answer(200, String.format(Locale.ROOT, "{\"ok\": true, \"requests\": %d, \"rows_served\": %d, "
                        + "\"rows_inserted\": %d, \"handler_cpu_ms\": %.1f, \"process_cpu_ms\": %.1f}", REQUESTS.get(),
                        ROWS_SERVED.get(), ROWS_INSERTED.get(), HANDLER_CPU_NS.get() / 1e6, os.getProcessCpuTime() / 1e6));
            }
            if (method.equals("GET") && (m = QUERY.matcher(path)).matches()) {
                Matcher c = COUNT_SQL.matcher(q.getOrDefault("sql", ""));
                if (!c.matches()) return error(400, "the stub only answers select count(*) as n from [TABLE]");
                AtomicLong n = TABLES.get(c.group(1));
                if (n == null) return error(400, "no such table: " + c.group(1));
                return new Answer(200, "{\"ok\": true, \"rows\": [{\"n\": " + n.get() + "}], \"truncated\": false}");
            }
            if (method.equals("GET") && DB_JSON.matcher(path).matches() && q.getOrDefault("sql", "").contains("pragma_table_info")) {
                // insert's primary key lookup (TableKeys): every table here is keyed on id alone
                return new Answer(200, "{\"ok\": true, \"rows\": [{\"pks\": \"[\\\"id\\\"]\", \"uniques\": 0,"
                        + " \"triggers\": 0, \"type\": \"table\"}], \"truncated\": false}");
            }
            if (method.equals("GET") && (m = TABLE_JSON.matcher(path)).matches()) {
                return page(ex, m.group(2), path, ex.getRequestURI().getRawQuery(), q, costNs);
            }
            boolean write = CREATE.matcher(path).matches() || TABLE_ACTION.matcher(path).matches();
            if (write && !method.equals("POST")) return new Answer(405, "Method not allowed");
            if (write) {
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                if (auth == null || !auth.startsWith("Bearer dstok_")) return error(403, "Permission denied");
                if (in.length > 2 * 1024 * 1024) {
                    return error(413, "Request body exceeded maximum size of 2097152 bytes");
                }
            }
            if ((m = CREATE.matcher(path)).matches()) return create(ex, m.group(1), in, costNs);
            if ((m = TABLE_ACTION.matcher(path)).matches()) {
                String table = decodeTilde(m.group(2));
                if (m.group(3).equals("drop")) {
                    if (TABLES.remove(table) == null) return error(404, "Table not found");
                    return new Answer(200, "{\"ok\": true}");
                }
                return insert(table, m.group(3).equals("upsert"), in, costNs);
            }
            return error(404, "404");
        }

        static Map<String, String> query(String raw) {
            Map<String, String> q = new LinkedHashMap<>();
            if (raw == null) return q;
            for (String kv : raw.split("&")) {
                if (kv.isEmpty()) continue;
                String[] p = kv.split("=", 2);
                q.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                        p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
            }
            return q;
        }

        /** One page of a generated table (id, name, category, value, created), keyset-paged on id. */
        static Answer page(HttpExchange ex, String table, String path, String rawQuery, Map<String, String> q,
                long[] costNs) {
            long total;
            if (table.equals("big")) {
                total = bigRows;
            } else if (table.matches("t\\d+")) {
                total = Long.parseLong(table.substring(1));
            } else {
                return error(404, "Table not found");
            }
            String shape = q.getOrDefault("_shape", "objects");
            if (!shape.equals("objects")) return error(400, "the stub serves _shape=objects only");
            int size = 100;
            String s = q.get("_size");
            if (s != null && !s.isEmpty()) {
                if (s.equals("max")) {
                    size = 1000;
                } else {
                    try {
                        size = Integer.parseInt(s);
                    } catch (NumberFormatException e) {
                        return error(400, "_size must be a positive integer");
                    }
                    if (size > 1000) return error(400, "_size must be <= 1000");
                    if (size < 0) return error(400, "_size must be a positive integer");
                }
            }
            // keys lo..hi, as the range filters on id leave them; walked up, or down with _sort_desc=id
            long lo = 1;
            long hi = total;
            boolean badNext = false;
            try {
                for (Map.Entry<String, String> f : q.entrySet()) {
                    switch (f.getKey()) {
                        case "id__gt" -> lo = Math.max(lo, Long.parseLong(f.getValue()) + 1);
                        case "id__gte" -> lo = Math.max(lo, Long.parseLong(f.getValue()));
                        case "id__lt" -> hi = Math.min(hi, Long.parseLong(f.getValue()) - 1);
                        case "id__lte" -> hi = Math.min(hi, Long.parseLong(f.getValue()));
                        default -> { }
                    }
                }
            } catch (NumberFormatException e) {
                return error(400, "bad filter value");
            }
            boolean desc = "id".equals(q.get("_sort_desc"));
            String n = q.get("_next");
            if (n != null && !n.isEmpty()) {
                try {
                    long after = Long.parseLong(n.substring(n.lastIndexOf(',') + 1));
                    if (desc) hi = Math.min(hi, after - 1);
                    else lo = Math.max(lo, after + 1);
                } catch (NumberFormatException e) {
                    badNext = true;
                }
            }
            long count = badNext || hi < lo ? 0 : Math.min(size, hi - lo + 1);
            long first = desc ? hi : lo;
            long last = desc ? hi - count + 1 : lo + count - 1;
            boolean more = count > 0 && count == size && (desc ? last > lo : last < hi);
            ROWS_SERVED.addAndGet(count);
            costNs[0] = GET_BASE + GET_ROW * count;
            String host = ex.getRequestHeaders().getFirst("Host");
            StringBuilder keep = new StringBuilder();
            if (rawQuery != null) {
                for (String kv : rawQuery.split("&")) {
                    if (kv.isEmpty() || kv.startsWith("_next=") || kv.equals("_next")) continue;
                    keep.append(keep.length() == 0 ? "" : "&").append(kv);
                }
            }
            String nextUrl = more
                    ? "http://" + host + path + "?" + keep + (keep.length() == 0 ? "" : "&") + "_next=" + last
                    : null;
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Cache-Control", "max-age=5");
            headers.put("Referrer-Policy", "no-referrer");
            if (nextUrl != null) headers.put("link", "<" + nextUrl + ">; rel=\"next\"");
            // Without --cost, the pages of big are cached (built once); tK tables are built as asked.
            String key = cost || !table.equals("big") ? null : host + path + "?" + rawQuery;
            if (key != null) {
                byte[] cached = PAGES.get(key);
                if (cached != null) return new Answer(200, new String(cached, StandardCharsets.UTF_8), headers);
            }
            StringBuilder sb = new StringBuilder((int) count * 110 + 300);
            sb.append("{\"ok\": true, \"next\": ");
            if (nextUrl != null) {
                sb.append('"').append(last).append("\", \"next_url\": \"").append(nextUrl).append('"');
            } else {
                sb.append("null, \"next_url\": null");
            }
            if (rawQuery != null && rawQuery.contains("_extra=")) {
                // what dclient asks to decide on splitting a walk by key range
                sb.append(", \"column_details\": {\"id\": {\"type\": \"INTEGER\", \"sqlite_type\": \"INTEGER\"}},"
                        + " \"is_view\": false, \"primary_keys\": [\"id\"]");
            }
            sb.append(", \"rows\": [");
            for (long i = 0; i < count; i++) {
                long id = desc ? first - i : first + i;
                if (i > 0) sb.append(", ");
                long v = Math.floorMod(id * 2654435761L ^ (id >>> 3) * 40503L, 1_000_000L);
                sb.append("{\"id\": ").append(id).append(", \"name\": \"Item ").append(id).append("\", \"category\": \"cat")
                        .append(id % 10).append("\", \"value\": ").append(v / 1000).append('.');
                // Python's repr of a float with up to 3 decimals: no trailing zeros, at least one digit
                long frac = v % 1000;
                if (frac == 0) {
                    sb.append('0');
                } else {
                    int digits = frac % 100 == 0 ? 1 : frac % 10 == 0 ? 2 : 3;
                    long f = digits == 1 ? frac / 100 : digits == 2 ? frac / 10 : frac;
                    if (digits >= 2 && frac < 100) sb.append('0');
                    if (digits == 3 && frac < 10) sb.append('0');
                    sb.append(f);
                }
                sb.append(", \"created\": \"2024-");
                two(sb, 1 + id % 12).append('-');
                two(sb, 1 + id % 28).append('T');
                two(sb, id % 24).append(':');
                two(sb, id % 60).append(":00\"}");
            }
            sb.append("], \"truncated\": false}");
            String body = sb.toString();
            if (key != null) PAGES.put(key, body.getBytes(StandardCharsets.UTF_8));
            return new Answer(200, body, headers);
        }

        static StringBuilder two(StringBuilder sb, long n) {
            return sb.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
        }

        static Answer create(HttpExchange ex, String db, byte[] in, long[] costNs) {
            Object parsed;
            try {
                parsed = new Parser(new String(in, StandardCharsets.UTF_8)).parseDocument();
            } catch (RuntimeException e) {
                return error(400, "Invalid JSON: " + e.getMessage());
            }
            if (!(parsed instanceof Map<?, ?> body)) return error(400, "JSON must be an object");
            if (!(body.get("table") instanceof String table) || table.isEmpty()) return error(400, "Table is required");
            List<?> rows = rowsOf(body);
            if (rows == null && !(body.get("columns") instanceof List)) {
                return error(400, "columns, rows or row is required");
            }
            for (Object r : rows == null ? List.of() : rows) {
                if (!(r instanceof Map)) return error(400, "\"rows\" must be a list of dictionaries");
            }
            String pk = body.get("pk") instanceof String p ? p : null;
            boolean existed = TABLES.containsKey(table);
            AtomicLong count = TABLES.computeIfAbsent(table, k -> new AtomicLong());
            Map<String, String> columns = new LinkedHashMap<>();
            if (rows != null) {
                for (Object r : rows) {
                    ((Map<?, ?>) r).forEach((k, v) -> columns.putIfAbsent((String) k, sqlType(v)));
                }
                count.addAndGet(rows.size());
                ROWS_INSERTED.addAndGet(rows.size());
                costNs[0] = INSERT_BASE + INSERT_ROW * rows.size() + CREATE_EXTRA;
            } else {
                for (Object c : (List<?>) body.get("columns")) {
                    if (c instanceof Map<?, ?> cm) {
                        columns.put(String.valueOf(cm.get("name")),
                                String.valueOf(cm.get("type") == null ? "text" : cm.get("type")).toUpperCase(Locale.ROOT));
                    }
                }
                if (existed) return error(400, "table " + jsonString(table) + " already exists");
            }
            StringBuilder schema = new StringBuilder("CREATE TABLE \"" + table + "\" (\n");
            int i = 0;
            for (var e : columns.entrySet()) {
                schema.append(i++ == 0 ? "" : ",\n").append("   \"").append(e.getKey()).append("\" ").append(e.getValue());
                if (e.getKey().equals(pk)) schema.append(" PRIMARY KEY");
            }
            schema.append("\n)");
            String host = "http://" + ex.getRequestHeaders().getFirst("Host");
            String url = host + "/" + db + "/" + encodeTilde(table);
            return new Answer(201, "{\"ok\": true, \"database\": " + jsonString(db) + ", \"table\": " + jsonString(table)
                    + ", \"table_url\": " + jsonString(url) + ", \"table_api_url\": " + jsonString(url + ".json")
                    + ", \"schema\": " + jsonString(schema.toString())
                    + (rows != null ? ", \"row_count\": " + rows.size() : "") + "}");
        }

        static String sqlType(Object v) {
            if (v instanceof Long || v instanceof Boolean) return "INTEGER";
            if (v instanceof Double) return "FLOAT";
            return "TEXT";
        }

        static List<?> rowsOf(Map<?, ?> body) {
            if (body.get("rows") instanceof List<?> l) return l;
            if (body.get("row") instanceof Map<?, ?> r) return List.of(r);
            return null;
        }

        static Answer insert(String table, boolean upsert, byte[] in, long[] costNs) {
            Object parsed;
            try {
                parsed = new Parser(new String(in, StandardCharsets.UTF_8)).parseDocument();
            } catch (RuntimeException e) {
                return error(400, "Invalid JSON: " + e.getMessage());
            }
            AtomicLong count = TABLES.get(table);
            if (count == null) return error(404, "Table not found");
            if (!(parsed instanceof Map<?, ?> body)) return error(400, "JSON must be a dictionary");
            if (body.containsKey("row") && body.containsKey("rows")) {
                return error(400, "Cannot use \"row\" and \"rows\" at the same time");
            }
            List<?> rows = rowsOf(body);
            if (rows == null) return error(400, "JSON must have one or other of \"row\" or \"rows\"");
            if (rows.size() > 100) return error(400, "Too many rows, maximum allowed is 100");
            for (Object r : rows) {
                if (!(r instanceof Map)) return error(400, "\"rows\" must be a list of dictionaries");
            }
            count.addAndGet(rows.size());
            ROWS_INSERTED.addAndGet(rows.size());
            costNs[0] = INSERT_BASE + INSERT_ROW * rows.size();
            boolean single = body.containsKey("row");
            if (Boolean.TRUE.equals(body.get("return")) || single) {
                StringBuilder sb = new StringBuilder("{\"ok\": true, \"rows\": ");
                write(sb, rows);
                return new Answer(upsert ? 200 : 201, sb.append('}').toString());
            }
            return new Answer(upsert ? 200 : 201, "{\"ok\": true}");
        }

        static String decodeTilde(String s) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '~' && i + 2 < s.length()) {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                } else {
                    sb.append(c == '+' ? ' ' : c);
                }
            }
            return new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        }

        static String encodeTilde(String s) {
            StringBuilder sb = new StringBuilder();
            for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xff);
                if (Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '-') sb.append(c);
                else if (c == ' ') sb.append('+');
                else sb.append('~').append(String.format("%02X", (int) c));
            }
            return sb.toString();
        }

        /** JSON text the way Python's json.dumps writes it (", " and ": " separators, ASCII only). */
        static void write(StringBuilder sb, Object v) {
            if (v == null) {
                sb.append("null");
            } else if (v instanceof String s) {
                sb.append(jsonString(s));
            } else if (v instanceof Map<?, ?> m) {
                sb.append('{');
                int i = 0;
                for (var e : m.entrySet()) {
                    if (i++ > 0) sb.append(", ");
                    sb.append(jsonString((String) e.getKey())).append(": ");
                    write(sb, e.getValue());
                }
                sb.append('}');
            } else if (v instanceof List<?> l) {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) sb.append(", ");
                    write(sb, l.get(i));
                }
                sb.append(']');
            } else {
                sb.append(v);
            }
        }

        static String jsonString(String s) {
            StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20 || c > 0x7e) sb.append(String.format("\\u%04x", (int) c));
                        else sb.append(c);
                    }
                }
            }
            return sb.append('"').toString();
        }
    }

    /** A small JSON parser: objects to LinkedHashMap, arrays to ArrayList, numbers to Long or Double. */
    static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        Object parseDocument() {
            Object v = value();
            ws();
            if (i != s.length()) throw new IllegalArgumentException("Extra data at char " + i);
            return v;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private Object value() {
            ws();
            if (i >= s.length()) throw new IllegalArgumentException("Expecting value at char " + i);
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        ws();
                        String k = string();
                        ws();
                        expect(':');
                        m.put(k, value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect('}');
                            return m;
                        }
                    }
                }
                case '[': {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (s.charAt(i) == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect(']');
                            return l;
                        }
                    }
                }
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default: {
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
                    String num = s.substring(start, i);
                    if (num.isEmpty()) throw new IllegalArgumentException("Expecting value at char " + start);
                    if (num.matches("-?\\d+")) {
                        try {
                            return Long.parseLong(num);
                        } catch (NumberFormatException e) {
                            return Double.parseDouble(num);
                        }
                    }
                    return Double.parseDouble(num);
                }
            }
        }

        private Object literal(String word, Object v) {
            if (!s.startsWith(word, i)) throw new IllegalArgumentException("Expecting value at char " + i);
            i += word.length();
            return v;
        }

        private void expect(char c) {
            if (i >= s.length() || s.charAt(i) != c) throw new IllegalArgumentException("Expecting '" + c + "' at char " + i);
            i++;
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return sb.toString();
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> sb.append(e);
                }
            }
        }
    }
}
