package io.datasette.dclient.cli.commands.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.api.Datasette;
import io.datasette.dclient.api.WriteOptions;
import io.datasette.dclient.api.WriteResult;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.HostileServer;
import io.datasette.dclient.testing.HostileServer.Reply;
import io.datasette.dclient.testing.WriteServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --parallel} and {@code WriteOptions.parallel}: the same scenarios through the command
 * line and the library. A failure with several batches in flight names exactly the rows written;
 * a batch sent and not answered may or may not have been written; the option's bounds.
 */
class ParallelInsertCommandTest {
    @TempDir
    Path dir;

    WriteServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    /** {@code n,id,name} rows 1..count; the rows' first column numbers them for the server. */
    Path csv(int count) throws Exception {
        StringBuilder sb = new StringBuilder("n,id,name\n");
        for (int i = 1; i <= count; i++) {
            // row 81 (batch 9) has the key of row 41 (batch 5): it waits for batch 5, which fails
            sb.append(i).append(',').append(i == 81 ? 41 : i).append(",r").append(i).append('\n');
        }
        Path p = dir.resolve("in.csv");
        Files.writeString(p, sb, StandardCharsets.UTF_8);
        return p;
    }

    List<Map<String, Object>> rows(int count) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("n", i);
            r.put("id", i == 81 ? 41 : i);
            r.put("name", "r" + i);
            rows.add(r);
        }
        return rows;
    }

    CliRunner.Result cli(String base, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-i", base, "--token", "x"));
        return new CliRunner(dir.resolve("config")).run(all.toArray(String[]::new));
    }

    Datasette library(String base) {
        return Datasette.builder().url(base).token("x").configDir(dir.resolve("config")).env(Map.of()).build();
    }

    /** Batch 5 fails once 6, 7 and 8 have arrived; they are answered after it (see ParallelWriteTest). */
    WriteServer failingBatchFive() {
        return WriteServer.start(10).keys("id").failing(5, 400, "UNIQUE constraint failed: t.id").gate((b, s) -> {
            if (b == 5) return s.arrived(6) && s.arrived(7) && s.arrived(8);
            if (b > 5) return s.answered(5);
            return b == 1 || s.arrived(Math.min(b + 3, 5));
        });
    }

    static final String FAILED_FIVE = "UNIQUE constraint failed: t.id (HTTP 400)\n"
            + "Rows 1-40 and 51-80 were inserted; rows 41-50 failed; the rest of the input was not sent.";

    @Test
    void aFailureWithSeveralInFlightThroughTheCommandLine() throws Exception {
        server = failingBatchFive();
        CliRunner.Result r = cli(server.baseUrl(), "insert", "db", "t", csv(100).toString(), "--batch-size", "10");
        assertEquals(1, r.exitCode());
        assertEquals("Error: " + FAILED_FIVE + "\n", r.err());
        assertEquals(List.of(1, 2, 3, 4, 6, 7, 8), server.committed());
        assertEquals(4, server.maxInFlight());
    }

    @Test
    void aFailureWithSeveralInFlightThroughTheLibrary() {
        server = failingBatchFive();
        DclientException e = assertThrows(DclientException.class,
                () -> library(server.baseUrl()).insert("db", "t", rows(100), WriteOptions.defaults().batchSize(10)));
        assertEquals(FAILED_FIVE, e.getMessage());
        assertEquals(List.of(1, 2, 3, 4, 6, 7, 8), server.committed());
    }

    @Test
    void everyRowOnceThroughBothFacesAndTheLibraryGetsTheRowsInOrder() throws Exception {
        server = WriteServer.start(10).keys("id").gate((b, s) -> b % 2 == 1 || s.answered(b + 1) || b == 10);
        CliRunner.Result r = cli(server.baseUrl(), "upsert", "db", "t", csv(100).toString(), "--batch-size", "10");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(10, server.committed().size());
        assertTrue(server.maxInFlight() >= 2, "overlap: " + server.overlaps());
        server.close();

        server = WriteServer.start(10).keys("id").gate((b, s) -> b % 2 == 1 || s.answered(b + 1) || b == 10);
        WriteResult w = library(server.baseUrl()).insert("db", "t", rows(100),
                WriteOptions.defaults().batchSize(10).returning());
        assertEquals(100, w.rowCount());
        assertEquals(10, w.requests());
        List<Object> ns = new ArrayList<>();
        w.rows().forEach(row -> ns.add(row.get("n")));
        List<Object> expected = new ArrayList<>();
        for (int i = 1; i <= 100; i++) expected.add((long) i);
        assertEquals(expected.toString(), ns.toString(), "answers that came out of order are returned in input order");
    }

    /** Answers out of order: the bar follows the rows confirmed from the first without a gap; the count, all of them. */
    @Test
    void progressCountsEveryCommittedRowAndOnlyGrows() throws Exception {
        server = WriteServer.start(10).keys("id").gate((b, s) -> b % 2 == 1 || s.answered(b + 1) || b == 10);
        List<String> args = new ArrayList<>(List.of("insert", "db", "t", csv(100).toString(), "--batch-size", "10",
                "--interval", "1000000", "-i", server.baseUrl(), "--token", "x"));
        CliRunner.Result r = new CliRunner(dir.resolve("config")).terminal(InsertCommandTest.TTY)
                .clock(InsertCommandTest.ticking()).run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.toString());
        List<Integer> bar = InsertCommandTest.percentages(r.err());
        List<Integer> counts = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("%  ([\\d,]+) rows").matcher(r.err());
        while (m.find()) counts.add(Integer.parseInt(m.group(1).replace(",", "")));
        for (int i = 1; i < bar.size(); i++) assertTrue(bar.get(i) >= bar.get(i - 1), "the bar: " + bar);
        for (int i = 1; i < counts.size(); i++) assertTrue(counts.get(i) >= counts.get(i - 1), "the count: " + counts);
        assertEquals(100, bar.get(bar.size() - 1));
        assertEquals(100, counts.get(counts.size() - 1));
        assertTrue(server.maxInFlight() >= 2, "overlap: " + server.overlaps());
    }

    @Test
    void parallelOneMeansOneAtATimeAndNoQuestionAboutKeys() throws Exception {
        server = WriteServer.start(10).keys("id");
        assertEquals(0, cli(server.baseUrl(), "insert", "db", "t", csv(50).toString(), "--batch-size", "10",
                "--parallel", "1").exitCode());
        assertEquals(1, server.maxInFlight());
        assertEquals(0, server.lookups());
        library(server.baseUrl()).insert("db", "t", rows(50), WriteOptions.defaults().batchSize(10).parallel(1));
        assertEquals(1, server.maxInFlight());
        assertEquals(0, server.lookups());
    }

    @Test
    void theBoundsOfParallel() throws Exception {
        server = WriteServer.start(10).keys("id");
        CliRunner.Result zero = cli(server.baseUrl(), "insert", "db", "t", csv(5).toString(), "--parallel", "0");
        assertEquals(2, zero.exitCode());
        assertEquals("Error: --parallel must be at least 1\n", zero.err());
        CliRunner.Result many = cli(server.baseUrl(), "insert", "db", "t", csv(5).toString(), "--parallel", "99");
        assertEquals(0, many.exitCode(), many.toString());
        assertEquals("Note: at most 16 requests are kept in flight; using --parallel 16.\n", many.err());
        assertThrows(IllegalArgumentException.class, () -> WriteOptions.defaults().parallel(0));
        assertEquals(4, WriteOptions.defaults().parallel());
        assertEquals("WriteOptions[batchSize=100, parallel=2]", WriteOptions.defaults().parallel(2).toString());
    }

    // ---- a batch sent and not answered (issue 17) -------------------------------------------------

    static final Reply OK = Reply.json(201, "{\"ok\": true}");

    /** The second request (rows 101-200) is read whole and then not answered. */
    static HostileServer secondUnanswered(String how) {
        int[] posts = {0};
        return HostileServer.start(req -> {
            if (req.method().equals("GET")) return Reply.status(404);
            synchronized (posts) {
                if (++posts[0] != 2) return OK;
            }
            return switch (how) {
                case "close" -> Reply.closeImmediately();
                case "reset" -> Reply.reset();
                default -> Reply.neverRespond();
            };
        });
    }

    static final String MAYBE = "100 rows were inserted before this batch (rows 101-200), which may or may not have"
            + " been inserted (no answer came); the rest of the input was not sent.";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"close", "reset", "timeout"})
    void anUnansweredBatchThroughTheCommandLine(String how) throws Exception {
        try (HostileServer s = secondUnanswered(how)) {
            CliRunner.Result r = cli(s.baseUrl(), "insert", "db", "t", csv(300).toString(), "--timeout", "0.3");
            assertEquals(1, r.exitCode());
            assertTrue(r.err().startsWith("Error: "), r.err());
            assertTrue(r.err().endsWith("\n" + MAYBE + "\n"), r.err());
            assertEquals(2, r.err().split("\n").length, r.err());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"close", "reset", "timeout"})
    void anUnansweredBatchThroughTheLibrary(String how) throws Exception {
        try (HostileServer s = secondUnanswered(how)) {
            Datasette ds = Datasette.builder().url(s.baseUrl()).token("x").configDir(dir.resolve("config")).env(Map.of())
                    .timeout(java.time.Duration.ofMillis(300)).build();
            DclientException e = assertThrows(DclientException.class, () -> ds.insert("db", "t", rows(300)));
            assertTrue(e.getMessage().endsWith("\n" + MAYBE), e.getMessage());
            assertEquals(DclientException.Kind.NETWORK, e.kind());
        }
    }
}
