package io.datasette.dclient.cli.commands.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.cli.Main;
import io.datasette.dclient.testing.CliRunner;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.datasette.dclient.testing.FakeTable;
import io.datasette.dclient.testing.HostileServer;

/**
 * {@code rows --all} streams: each page's rows reach stdout as it arrives (with a read-ahead of a
 * few pages at most, one request at a time), and 200,000 rows go through a JVM with a 64 MB heap,
 * one request at a time and split by key range. The table is generated on the fly by a small
 * local stand-in for Datasette's keyset paging ({@code _size}, {@code _next}, absolute
 * {@code next_url}), or by {@link FakeTable}.
 */
class RowsStreamingTest {
    static final int TOTAL = 200_000;

    @TempDir
    Path dir;

    HttpServer server;
    String base;
    /** Lines seen on stdout when each page request arrived. */
    final List<Long> linesAtRequest = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong linesWritten = new AtomicLong();

    @BeforeEach
    void start() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // no 40 ms delayed-ACK stalls per page
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/db/big.json", this::page);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void page(HttpExchange ex) throws IOException {
        linesAtRequest.add(linesWritten.get());
        int size = 100;
        long next = 0;
        String q = ex.getRequestURI().getRawQuery();
        for (String kv : q == null ? new String[0] : q.split("&")) {
            String[] p = kv.split("=", 2);
            if (p[0].equals("_size")) size = Integer.parseInt(p[1]);
            if (p[0].equals("_next")) next = Long.parseLong(p[1]);
        }
        StringBuilder sb = new StringBuilder("{\"ok\": true, \"rows\": [");
        long end = Math.min(TOTAL, next + size);
        for (long id = next + 1; id <= end; id++) {
            if (id > next + 1) sb.append(", ");
            sb.append("{\"id\": ").append(id).append(", \"name\": \"Row ").append(id).append("\", \"category\": \"cat")
                    .append(id % 10).append("\", \"value\": ").append(id * 7 % 1000).append(".5, \"created\": \"2024-01-")
                    .append(String.format("%02d", id % 28 + 1)).append("T10:00:00\"}");
        }
        sb.append("], \"next\": ");
        if (end < TOTAL) {
            sb.append('"').append(end).append("\", \"next_url\": \"").append(base).append("/db/big.json?_size=")
                    .append(size).append("&_next=").append(end).append('"');
        } else {
            sb.append("null, \"next_url\": null");
        }
        sb.append(", \"truncated\": false}");
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
        }
    }

    @Test
    void rowsAreWrittenAsPagesArriveWithABoundedReadAhead() {
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
                if (b == '\n') linesWritten.incrementAndGet();
            }

            @Override
            public void write(byte[] b, int off, int len) {
                for (int i = off; i < off + len; i++) if (b[i] == '\n') linesWritten.incrementAndGet();
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Context ctx = new CliRunner(dir).context(new PrintStream(counting, false, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int code = Main.run(new String[] {"rows", "-i", base, "db", "big", "--all", "--size", "1000", "--limit", "20000",
                "--nl", "--parallel", "1"}, ctx);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertEquals(20_000, linesWritten.get());
        assertEquals(20, linesAtRequest.size());
        // While page k is written, k+1 waits in the queue, k+2 is parsed and k+3 is being fetched:
        // page k+3 is only requested once pages 1..k-1 are on stdout.
        for (int i = 0; i < linesAtRequest.size(); i++) {
            long atRequest = linesAtRequest.get(i);
            assertTrue(atRequest >= (i - 3) * 1000L && atRequest <= i * 1000L,
                    "rows on stdout when page " + (i + 1) + " was requested: " + atRequest + " " + linesAtRequest);
        }
    }

    /** The class path this test runs with, whatever launched it (JBang, or a launcher's own class loader). */
    static String classPath() throws Exception {
        java.util.LinkedHashSet<String> entries = new java.util.LinkedHashSet<>();
        for (Class<?> c : new Class<?>[] {Main.class, com.fasterxml.jackson.databind.ObjectMapper.class,
                com.fasterxml.jackson.core.JsonFactory.class, com.fasterxml.jackson.annotation.JsonProperty.class,
                picocli.CommandLine.class, org.yaml.snakeyaml.Yaml.class}) {
            entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        java.net.URL spec = Main.class.getClassLoader().getResource("commands.yaml");
        if (spec != null && spec.getProtocol().equals("file")) {
            entries.add(Path.of(spec.toURI()).getParent().toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    @ParameterizedTest(name = "--parallel {0}")
    @ValueSource(ints = {1, 4})
    void twoHundredThousandRowsThroughA64MegabyteHeap(int parallel) throws Exception {
        FakeTable table = FakeTable.range(1, TOTAL);
        try (HostileServer fake = table.start()) {
            throughA64MegabyteHeap(fake.baseUrl() + "/db/t.json", "t", parallel);
            assertEquals(parallel > 1, table.wasSplit(), "split by key range");
            if (parallel > 1) assertTrue(table.targets().size() <= 200 + 2 + 8, table.targets().size() + " requests");
            else assertEquals(200, table.targets().size());
        }
    }

    void throughA64MegabyteHeap(String url, String tableName, int parallel) throws Exception {
        String base = url.substring(0, url.indexOf("/db/"));
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-Xmx64m", "-XX:+UseSerialGC", "-cp",
                classPath(), "io.datasette.dclient.cli.Main",
                "rows", "-i", base, "db", tableName, "--all", "--size", "1000", "--nl", "--parallel", String.valueOf(parallel));
        pb.environment().put("DCLIENT_CONFIG_DIR", dir.toString());
        pb.environment().remove("DATASETTE_TOKEN");
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        Process p = pb.start();
        long lines = 0;
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines++;
                last = line;
            }
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "dclient did not finish");
        String stderr = java.nio.file.Files.readString(dir.resolve("stderr.txt"));
        assertEquals(0, p.exitValue(), stderr);
        assertEquals(TOTAL, lines);
        assertTrue(last.startsWith("{\"id\": 200000, "), last);
    }
}
