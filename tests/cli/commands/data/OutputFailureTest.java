package io.datasette.dclient.cli.commands.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.datasette.dclient.core.io.Stdout;
import io.datasette.dclient.testing.CliRunner;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A write to stdout that fails is an error that says how many rows got out whole; a closed
 * pipe ({@code | head}) ends the command quietly with exit 0. Stdout here is a disk that fills
 * after N bytes or a pipe whose reader has gone, for every command that prints data.
 */
class OutputFailureTest {
    static final int ROWS = 2_000;

    @TempDir
    Path dir;

    HttpServer server;
    String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/db/big.json", this::page);
        server.createContext("/db.json", this::query);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static String row(long id) {
        return "{\"id\": " + id + ", \"name\": \"Row " + id + "\", \"note\": \"a, \\\"quoted\\\" note\"}";
    }

    /** Pages of 100 rows, Datasette's keyset paging ({@code _next}, absolute {@code next_url}). */
    private void page(HttpExchange ex) throws IOException {
        String q = ex.getRequestURI().getRawQuery();
        long next = 0;
        for (String kv : q == null ? new String[0] : q.split("&")) {
            if (kv.startsWith("_next=")) next = Long.parseLong(kv.substring(6));
        }
        long end = Math.min(ROWS, next + 100);
        StringBuilder sb = new StringBuilder("{\"ok\": true, \"columns\": [\"id\", \"name\", \"note\"], \"rows\": [");
        for (long id = next + 1; id <= end; id++) sb.append(id > next + 1 ? ", " : "").append(row(id));
        sb.append("], \"next_url\": ").append(end < ROWS ? "\"" + base + "/db/big.json?_next=" + end + "\"" : "null")
                .append("}");
        answer(ex, sb.toString());
    }

    private void query(HttpExchange ex) throws IOException {
        StringBuilder sb = new StringBuilder("{\"ok\": true, \"columns\": [\"id\", \"name\", \"note\"], \"rows\": [");
        for (long id = 1; id <= ROWS; id++) sb.append(id > 1 ? ", " : "").append(row(id));
        answer(ex, sb.append("], \"truncated\": false}").toString());
    }

    private static void answer(HttpExchange ex, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
        }
    }

    /** A disk with room for {@code room} bytes: a write takes what fits, the next one fails. */
    static Stdout.Sink fullAfter(long room, String message) {
        long[] taken = {0};
        return (b, off, len) -> {
            long left = room - taken[0];
            if (left <= 0) throw new IOException(message);
            int n = (int) Math.min(left, len);
            taken[0] += n;
            return n;
        };
    }

    /** How many whole rows a (cut) output holds, in each format. */
    enum Rows {
        NL {
            @Override
            long count(String out) {
                return out.chars().filter(c -> c == '\n').count();
            }
        },
        JSON {
            @Override
            long count(String out) {
                return Pattern.compile("\\n  \\}").matcher(out).results().count();
            }
        },
        CSV {
            @Override
            long count(String out) {
                return Math.max(0, Pattern.compile("\\r\\n").matcher(out).results().count() - 1); // the header line
            }
        },
        NONE {
            @Override
            long count(String out) {
                return -1;
            }
        };

        abstract long count(String out);
    }

    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of("rows --all --nl", Rows.NL),
                Arguments.of("rows --all", Rows.JSON),
                Arguments.of("rows --all --csv", Rows.CSV),
                Arguments.of("rows --all --tsv", Rows.CSV),
                Arguments.of("query --nl", Rows.NL),
                Arguments.of("query --csv", Rows.CSV),
                Arguments.of("rows --all -t", Rows.NONE),
                Arguments.of("get", Rows.NONE),
                Arguments.of("--help", Rows.NONE));
    }

    private String[] args(String command) {
        List<String> a = new ArrayList<>(List.of(command.split(" ")));
        switch (a.get(0)) {
            case "rows" -> a.addAll(1, List.of("-i", base, "db", "big"));
            case "query" -> a.addAll(1, List.of("-i", base, "db", "select * from big"));
            case "get" -> a.addAll(List.of("-i", base, "/db/big.json?_next=100"));
            default -> { }
        }
        return a.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void theWholeOutputWhenNothingFails(String command, Rows rows) {
        CliRunner.Result r = new CliRunner(dir).run(args(command));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.err());
        if (rows != Rows.NONE) assertEquals(ROWS, rows.count(r.out()), "the counting rule sees every row");
    }

    static Stream<Arguments> fullDisks() {
        List<Arguments> all = new ArrayList<>();
        for (Arguments c : commands().toList()) {
            for (long room : new long[] {0, 1, 5_000, 65_536, 70_001}) {
                all.add(Arguments.of(c.get()[0], c.get()[1], room));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, room for {2} bytes")
    @MethodSource("fullDisks")
    void aFullDiskIsOneErrorLineSayingHowManyRowsGotOutWhole(String command, Rows rows, long room) {
        CliRunner.Result whole = new CliRunner(dir).run(args(command));
        assumeTrue(whole.out().getBytes(StandardCharsets.UTF_8).length > room, "the output fits");
        CliRunner.Result r = new CliRunner(dir).stdout(fullAfter(room, "No space left on device")).run(args(command));
        assertEquals(1, r.exitCode(), r.toString());
        byte[] got = r.out().getBytes(StandardCharsets.UTF_8);
        assertEquals(room, got.length, "everything up to the full disk was written");
        String expected = "Error: Could not write the output: No space left on device.";
        long n = rows.count(r.out());
        if (n == 0) expected += " No rows were written.";
        if (n == 1) expected += " Only the first row was written completely.";
        if (n > 1) expected += " The first " + n + " rows were written completely.";
        assertEquals(expected + "\n", r.err(), "one line, the rows on the disk counted exactly");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void aClosedPipeEndsQuietly(String command, Rows rows) {
        for (long room : new long[] {0, 5_000}) {
            CliRunner.Result r = new CliRunner(dir).stdout(fullAfter(room, "Broken pipe")).run(args(command));
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("", r.err(), r.toString());
        }
    }

    @Test
    void anotherFailureSaysWhatTheSystemSaid() {
        CliRunner.Result r = new CliRunner(dir).stdout(fullAfter(0, "Input/output error"))
                .run(args("rows --all --nl"));
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: Could not write the output: Input/output error. No rows were written.\n", r.err());
    }

    @Test
    void aWalkStopsFetchingOnceTheOutputFailed() {
        int[] requests = {0};
        server.removeContext("/db/big.json");
        server.createContext("/db/big.json", ex -> {
            requests[0]++;
            page(ex);
        });
        CliRunner.Result r = new CliRunner(dir).stdout(fullAfter(0, "No space left on device"))
                .run(args("rows --all --nl"));
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(requests[0] <= 5, "pages fetched after the failure: " + requests[0] + " of 20");
    }

    /** The real thing: a JVM whose stdout is /dev/full, and one whose reader closed the pipe. */
    @Test
    void aRealProcessWritingToDevFullFailsAndToAClosedPipeDoesNot() throws Exception {
        File full = new File("/dev/full");
        assumeTrue(full.exists(), "no /dev/full here");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-XX:TieredStopAtLevel=1", "-cp",
                RowsStreamingTest.classPath(), "io.datasette.dclient.cli.Main"));
        cmd.addAll(List.of(args("rows --all --nl")));

        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(full).redirectError(dir.resolve("err1").toFile());
        pb.environment().put("DCLIENT_CONFIG_DIR", dir.toString());
        pb.environment().remove("DATASETTE_TOKEN");
        pb.environment().remove("JAVA_TOOL_OPTIONS"); // the JVM would announce it on stderr
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String err = Files.readString(dir.resolve("err1"));
        assertEquals(1, p.exitValue(), err);
        assertEquals("Error: Could not write the output: No space left on device. No rows were written.\n", err);

        ProcessBuilder closed = new ProcessBuilder(cmd).redirectError(dir.resolve("err2").toFile());
        closed.environment().put("DCLIENT_CONFIG_DIR", dir.toString());
        closed.environment().remove("DATASETTE_TOKEN");
        closed.environment().remove("JAVA_TOOL_OPTIONS");
        Process q = closed.start();
        q.getInputStream().close(); // the reader leaves before the first row, as `| head -0` would
        assertTrue(q.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, q.exitValue(), Files.readString(dir.resolve("err2")));
        assertEquals("", Files.readString(dir.resolve("err2")));
    }
}
