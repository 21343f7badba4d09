package io.datasette.dclient.core.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * insert streams: a large generated input (CSV, a JSON array, NDJSON) is produced lazily while
 * a local endpoint counts the rows it receives; the input may never run further ahead of the
 * server than a bounded number of rows (the reader's buffers, the queue, the type window and a
 * batch), so a 1 GB file is never held in memory. And on a never-ending stdin, a partial batch
 * goes out when the interval is due.
 */
class StreamingInsertTest {
    static final int ROWS = 120_000;
    /** Rows the input may be ahead of the server: decoder and parser buffers, queue, type window, batch. */
    static final long MAX_AHEAD = 12_000;

    @TempDir
    Path dir;

    HttpServer server;
    String base;
    final AtomicLong received = new AtomicLong();
    final List<Long> batchSizes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (ex.getRequestMethod().equals("POST")) { // (not the primary key lookup, answered as no table)
                long n = countRows(body);
                batchSizes.add(n);
                received.addAndGet(n);
            }
            byte[] ok = "{\"ok\": true}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(201, ok.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(ok);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** Objects directly inside the "rows" array. */
    static long countRows(byte[] b) {
        long rows = 0;
        int depth = 0;
        boolean str = false;
        for (int i = 0; i < b.length; i++) {
            byte c = b[i];
            if (str) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    str = false;
                }
            } else if (c == '"') {
                str = true;
            } else if (c == '{' || c == '[') {
                if (c == '{' && depth == 2) rows++;
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return rows;
    }

    /**
     * An input produced one row at a time, on demand; it records how far ahead of the server it
     * ever got.
     */
    final class Generated extends InputStream {
        final String head;
        final String tail;
        final LongFunction<String> row;
        final long total;
        long next = 1;
        byte[] chunk;
        int pos;
        boolean done;
        long maxAhead;

        Generated(String head, LongFunction<String> row, String tail, long total) {
            this.head = head;
            this.row = row;
            this.tail = tail;
            this.total = total;
            this.chunk = head.getBytes(StandardCharsets.UTF_8);
        }

        private boolean fill() {
            if (pos < chunk.length) return true;
            if (done) return false;
            if (next > total) {
                chunk = tail.getBytes(StandardCharsets.UTF_8);
                done = true;
            } else {
                maxAhead = Math.max(maxAhead, next - received.get());
                chunk = row.apply(next++).getBytes(StandardCharsets.UTF_8);
            }
            pos = 0;
            return chunk.length > 0 || fill();
        }

        @Override
        public int read() {
            return fill() ? chunk[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) return 0;
            if (!fill()) return -1;
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    int insert(InputStream stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Context ctx = Context.builder().out(new PrintStream(out, true, StandardCharsets.UTF_8))
                .err(new PrintStream(err, true, StandardCharsets.UTF_8)).in(stdin)
                .env(Map.of("DCLIENT_CONFIG_DIR", dir.toString())).configDir(dir).build();
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "-i";
        all[args.length + 1] = base;
        all[args.length + 2] = "--token";
        all[args.length + 3] = "x";
        int code = Main.run(all, ctx);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        return code;
    }

    void assertStreamed(Generated input, String... args) {
        assertEquals(0, insert(input, args));
        assertEquals(ROWS, received.get());
        assertTrue(input.maxAhead <= MAX_AHEAD, "the input got " + input.maxAhead + " rows ahead of the server");
        assertTrue(input.maxAhead > 0);
        for (long n : batchSizes) assertTrue(n >= 1 && n <= 100, "batch of " + n);
    }

    @Test
    void csvIsStreamed() {
        assertStreamed(new Generated("id,name,value\n", i -> i + ",name " + i + "," + (i % 97) + ".5\n", "", ROWS),
                "insert", "db", "t", "-", "--csv");
    }

    @Test
    void aJsonArrayIsStreamed() {
        assertStreamed(new Generated("[", i -> (i > 1 ? ",\n" : "") + "{\"id\": " + i + ", \"name\": \"n" + i + "\"}", "]",
                ROWS), "insert", "db", "t", "-", "--json");
    }

    @Test
    void ndjsonIsStreamed() {
        assertStreamed(new Generated("", i -> "{\"id\": " + i + "}\n", "", ROWS), "upsert", "db", "t", "-", "--nl");
    }

    @Test
    void linesAreStreamed() {
        assertStreamed(new Generated("", i -> "log line " + i + (i % 2 == 0 ? "\r\n" : "\n"), "", ROWS),
                "insert", "db", "t", "-", "--lines");
    }

    /** A line goes as soon as its line ending arrives, even a CR whose LF (if any) has not come yet. */
    @Test
    void aNeverEndingStdinSendsEachLineOnceItsLineEndingArrives() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(writer, 1 << 16);
        ExecutorService run = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> code = run.submit(() -> insert(stdin, "insert", "db", "t", "-", "--lines", "--interval", "0.2"));
            writer.write("one\r\ntwo\r".getBytes(StandardCharsets.UTF_8)); // nothing after the CR yet
            writer.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (received.get() < 2 && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(2, received.get(), "the ended lines were not sent while stdin stayed open");
            writer.write("\nthree, not ended yet".getBytes(StandardCharsets.UTF_8)); // the LF ends "two": no empty row
            writer.flush();
            Thread.sleep(400);
            assertEquals(List.of(2L), batchSizes, "a line without its line ending waits for it");
            writer.write("\n".getBytes(StandardCharsets.UTF_8));
            writer.close();
            assertEquals(0, code.get(20, TimeUnit.SECONDS));
            assertEquals(List.of(2L, 1L), batchSizes);
        } finally {
            run.shutdownNow();
        }
    }

    @Test
    void aQuietNeverEndingStdinStillSendsItsPartialBatch() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(writer, 1 << 16);
        ExecutorService run = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> code = run.submit(() -> insert(stdin, "insert", "db", "t", "-", "--nl", "--interval", "0.2"));
            writer.write("{\"id\": 1}\n{\"id\": 2}\n{\"id\": 3}\n".getBytes(StandardCharsets.UTF_8));
            writer.flush();
            // the stream stays open: the 3 rows must still arrive, once the interval is due
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (received.get() < 3 && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(3, received.get(), "the partial batch was not sent while stdin stayed open");
            assertEquals(List.of(3L), batchSizes);
            writer.write("{\"id\": 4}\n".getBytes(StandardCharsets.UTF_8));
            writer.close();
            assertEquals(0, code.get(20, TimeUnit.SECONDS));
            assertEquals(4, received.get());
            assertEquals(List.of(3L, 1L), batchSizes);
        } finally {
            run.shutdownNow();
        }
    }
}
