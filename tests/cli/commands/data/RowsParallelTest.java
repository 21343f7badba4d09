package io.datasette.dclient.cli.commands.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.api.Datasette;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.FakeTable;
import io.datasette.dclient.testing.HostileServer;
import io.datasette.dclient.testing.HostileServer.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code rows --all --parallel N}: a table in the order of one integer key is walked in key
 * ranges, several requests in flight, and what reaches stdout is byte for byte what the walk one
 * request at a time writes, in every format; every other table is walked one page after another;
 * a failure, a loop, another origin or Ctrl-C in any part ends the walk after the rows before it.
 * Against {@link FakeTable}, a small stand-in for Datasette's table pages.
 */
class RowsParallelTest {
    @TempDir
    Path dir;

    /** {@code rows --all} with these arguments; 4 in flight unless they say (a loopback server is near: the default would be 1). */
    CliRunner.Result rows(HostileServer server, String... args) {
        List<String> all = new ArrayList<>(List.of("rows", "db", "t", "-i", server.baseUrl(), "--all"));
        all.addAll(List.of(args));
        if (!all.contains("--parallel")) all.addAll(List.of("--parallel", "4"));
        return new CliRunner(dir).run(all.toArray(String[]::new));
    }

    /** A transport that says every connection took {@code rtt} to open, as a server that far away. */
    static io.datasette.dclient.core.http.Transport at(java.time.Duration rtt) {
        io.datasette.dclient.core.http.Transport real = io.datasette.dclient.core.http.SocketTransport.fromEnv(Map.of());
        return new io.datasette.dclient.core.http.Transport() {
            @Override
            public Answer exchange(Request request) throws java.io.IOException {
                return real.exchange(request);
            }

            @Override
            public long connectNanos(java.net.URI target) {
                return rtt.toNanos();
            }
        };
    }

    /** Without --parallel: one request at a time to a near server (its CPU is the limit), 4 in flight to a far one. */
    @org.junit.jupiter.params.ParameterizedTest(name = "round trip {0} ms: split {1}")
    @org.junit.jupiter.params.provider.CsvSource({"0, false", "2, false", "3, true", "40, true"})
    void byDefaultOnlyAFarServerGetsSeveralRequests(long rttMillis, boolean split) {
        FakeTable t = FakeTable.range(1, 3000);
        try (HostileServer s = t.start()) {
            CliRunner.Result r = new CliRunner(dir).transport(at(java.time.Duration.ofMillis(rttMillis)))
                    .run("rows", "db", "t", "-i", s.baseUrl(), "--all", "--nl");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(3000, r.out().lines().count());
            assertEquals(split, t.wasSplit());
        }
    }

    /**
     * A first connection slower than a near round trip (a fresh JVM's, which also loads the
     * network classes) is judged again on one opened for the walk: the walk splits only when that
     * one is slow too.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "first {0} ms, then {1} ms: split {2}")
    @org.junit.jupiter.params.provider.CsvSource({"8, 0, false", "8, 40, true", "40, 40, true", "0, 40, false"})
    void aSlowFirstConnectionIsJudgedAgain(long firstMillis, long probeMillis, boolean split) {
        FakeTable t = FakeTable.range(1, 3000);
        io.datasette.dclient.core.http.Transport real = io.datasette.dclient.core.http.SocketTransport.fromEnv(Map.of());
        java.util.concurrent.atomic.AtomicInteger probes = new java.util.concurrent.atomic.AtomicInteger();
        io.datasette.dclient.core.http.Transport transport = new io.datasette.dclient.core.http.Transport() {
            @Override
            public Answer exchange(Request request) throws java.io.IOException {
                return real.exchange(request);
            }

            @Override
            public long connectNanos(java.net.URI target) {
                return java.time.Duration.ofMillis(firstMillis).toNanos();
            }

            @Override
            public long probeConnect(java.net.URI target) {
                probes.incrementAndGet();
                return java.time.Duration.ofMillis(probeMillis).toNanos();
            }
        };
        try (HostileServer s = t.start()) {
            CliRunner.Result r = new CliRunner(dir).transport(transport).run("rows", "db", "t", "-i", s.baseUrl(), "--all", "--nl");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(3000, r.out().lines().count());
            assertEquals(split, t.wasSplit());
            assertEquals(firstMillis >= 3 ? 1 : 0, probes.get(), "probed only when the first connection was slow");
        }
    }

    /**
     * -v with several requests in flight: each answer line either follows its own request's
     * line with no other request started between, or says which request it answers.
     */
    @Test
    void verboseLinesSayWhichRequestAnAnswerIsFor() {
        FakeTable t = FakeTable.range(1, 3000);
        try (HostileServer s = t.start()) {
            CliRunner.Result r = rows(s, "--nl", "-v");
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(t.wasSplit());
            List<String> requests = new ArrayList<>();
            int answers = 0;
            int named = 0;
            for (String line : r.err().lines().toList()) {
                if (line.startsWith("> GET ")) {
                    requests.add(line.substring(2));
                } else if (line.startsWith("< ")) {
                    answers++;
                    int at = line.indexOf(" for GET ");
                    if (at >= 0) {
                        named++;
                        assertTrue(requests.contains(line.substring(at + 5)), line);
                    }
                }
            }
            assertEquals(requests.size(), answers, r.err());
            assertTrue(named > 0, "with 4 in flight some answers come after other requests started: " + r.err());
        }
    }

    /** The same run with one request at a time, on a fresh copy of the table. */
    CliRunner.Result sequential(Supplier<FakeTable> table, String... args) {
        FakeTable t = table.get();
        try (HostileServer s = t.start()) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--parallel", "1"));
            CliRunner.Result r = rows(s, all.toArray(String[]::new));
            assertFalse(t.wasSplit(), "--parallel 1 walks one page after another");
            return r;
        }
    }

    static Stream<Arguments> splitTables() {
        List<Arguments> cases = new ArrayList<>();
        Map<String, Supplier<FakeTable>> tables = new java.util.LinkedHashMap<>();
        tables.put("1..3000", () -> FakeTable.range(1, 3000));
        tables.put("gaps: a sparse start, a gap of a billion, a dense run", () -> FakeTable.of(
                java.util.stream.LongStream.concat(java.util.stream.LongStream.iterate(1, k -> k + 997).limit(300),
                        java.util.stream.LongStream.rangeClosed(1_000_000_000L, 1_000_002_500L)).toArray()));
        tables.put("negative keys", () -> FakeTable.runs(-2500, -1, 5, 9, 400, 1200));
        tables.put("a rowid table", () -> FakeTable.range(1, 2500).rowid());
        String[][] options = {
            {"--nl"}, {}, {"--csv"}, {"--tsv"}, {"-t"}, {"--fmt", "github"},
            {"--nl", "-f", "cat", "eq", "c1"}, {"--csv", "--limit", "1234"}, {"--nl", "--sort", "id"},
            {"--nl", "--sort-desc", "id"}, {"--nl", "--search", "row"}, {"--nl", "--size", "37", "--limit", "2000"},
        };
        tables.forEach((name, table) -> {
            for (String[] o : options) {
                if (name.startsWith("a rowid") && String.join(" ", o).contains("id")) continue;
                cases.add(Arguments.of(name, String.join(" ", o), table));
            }
        });
        cases.add(Arguments.of("a rowid table", "--nl --sort rowid", (Supplier<FakeTable>) () -> FakeTable.range(1, 2500).rowid()));
        cases.add(Arguments.of("a rowid table", "--csv --sort-desc rowid", (Supplier<FakeTable>) () -> FakeTable.range(1, 2500).rowid()));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("splitTables")
    void theSplitWalkWritesExactlyWhatTheSequentialWalkWrites(String name, String options, Supplier<FakeTable> table) {
        List<String> args = new ArrayList<>(options.isEmpty() ? List.of() : List.of(options.split(" ")));
        if (!args.contains("--size")) args.addAll(List.of("--size", "100")); // many pages from a small table
        CliRunner.Result expected = sequential(table, args.toArray(String[]::new));
        assertEquals(0, expected.exitCode(), expected.toString());
        FakeTable t = table.get();
        try (HostileServer s = t.start()) {
            CliRunner.Result r = rows(s, args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(expected.out(), r.out(), "stdout, byte for byte");
            assertEquals(expected.err(), r.err());
            assertTrue(t.wasSplit(), "walked in key ranges: " + t.targets());
        }
    }

    /** Dense runs, a sparse run, gaps of a billion and more, and a sparse scatter up to 9e15. */
    static FakeTable skewed() {
        java.util.Random random = new java.util.Random(7);
        return FakeTable.of(java.util.stream.LongStream.concat(java.util.stream.LongStream.concat(
                java.util.stream.LongStream.rangeClosed(1, 4000),
                java.util.stream.LongStream.iterate(4000 + 1_000_003, k -> k + 1_000_003).limit(299)),
                java.util.stream.LongStream.concat(java.util.stream.LongStream.rangeClosed(1_000_000_000_000L, 1_000_000_004_000L),
                        random.longs(50, 2_000_000_000_000L, 9_000_000_000_000_000L))).distinct().toArray());
    }

    @Test
    void skewedKeysSplitWithFewRequestsMoreThanOneAtATime() {
        CliRunner.Result expected = sequential(RowsParallelTest::skewed, "--nl", "--size", "100");
        FakeTable seq = skewed();
        int sequentialRequests;
        try (HostileServer s = seq.start()) {
            rows(s, "--nl", "--size", "100", "--parallel", "1");
            sequentialRequests = seq.targets().size();
        }
        FakeTable t = skewed();
        try (HostileServer s = t.start()) {
            CliRunner.Result r = rows(s, "--nl", "--size", "100");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(expected.out(), r.out());
            assertTrue(t.wasSplit());
            assertTrue(t.targets().size() <= sequentialRequests * 5 / 4 + 10,
                    t.targets().size() + " requests, one at a time " + sequentialRequests);
        }
    }

    @Test
    void partsAreReallyInFlightAtOnce() throws Exception {
        CountDownLatch two = new CountDownLatch(2);
        FakeTable t = FakeTable.range(1, 5000);
        t.override(req -> {
            if (!req.query().contains("id__gte=")) return null;
            two.countDown();
            try {
                // held until a second part's request arrives: one request at a time would never get here
                return two.await(20, TimeUnit.SECONDS) ? null : Reply.json(500, "{\"ok\": false, \"error\": \"alone\"}");
            } catch (InterruptedException e) {
                return Reply.status(500);
            }
        });
        try (HostileServer s = t.start()) {
            CliRunner.Result r = rows(s, "--nl", "--size", "100");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(5000, r.out().lines().count());
            assertTrue(t.maxInFlight() >= 2, "requests in flight at once: " + t.maxInFlight());
        }
    }

    @Test
    void inFlightNeverExceedsParallel() {
        FakeTable t = FakeTable.range(1, 20_000);
        try (HostileServer s = t.start()) {
            CliRunner.Result r = rows(s, "--nl", "--size", "50", "--parallel", "3");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(20_000, r.out().lines().count());
            assertTrue(t.maxInFlight() <= 3, "requests in flight at once: " + t.maxInFlight());
        }
    }

    static Stream<Arguments> sequentialTables() {
        return Stream.of(
                Arguments.of("a view", (Supplier<FakeTable>) () -> FakeTable.range(1, 900).view(), new String[0]),
                Arguments.of("a compound key", (Supplier<FakeTable>) () -> FakeTable.range(1, 900).primaryKeys("id", "name"),
                        new String[0]),
                Arguments.of("a text key", (Supplier<FakeTable>) () -> FakeTable.range(1, 900).keyType("TEXT"), new String[0]),
                Arguments.of("a key without a type", (Supplier<FakeTable>) () -> FakeTable.range(1, 900).keyType("BLOB"),
                        new String[0]),
                Arguments.of("another sort", (Supplier<FakeTable>) () -> FakeTable.range(1, 900), new String[] {"--sort", "name"}),
                Arguments.of("another sort, descending", (Supplier<FakeTable>) () -> FakeTable.range(1, 900),
                        new String[] {"--sort-desc", "name"}),
                Arguments.of("the table's default sort", (Supplier<FakeTable>) () -> FakeTable.range(1, 900).defaultSortByName(),
                        new String[0]),
                Arguments.of("a server without these extras", (Supplier<FakeTable>) () -> FakeTable.range(1, 900).withoutExtras(),
                        new String[0]),
                Arguments.of("--parallel 1", (Supplier<FakeTable>) () -> FakeTable.range(1, 900), new String[] {"--parallel", "1"}),
                Arguments.of("one page", (Supplier<FakeTable>) () -> FakeTable.range(1, 90), new String[0]),
                Arguments.of("the limit within the first page", (Supplier<FakeTable>) () -> FakeTable.range(1, 900),
                        new String[] {"--limit", "100"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequentialTables")
    void everythingElseIsWalkedOnePageAfterAnother(String name, Supplier<FakeTable> table, String[] extra) {
        List<String> args = new ArrayList<>(List.of("--csv", "--size", "100"));
        args.addAll(List.of(extra));
        CliRunner.Result expected = sequential(table, args.toArray(String[]::new));
        FakeTable t = table.get();
        try (HostileServer s = t.start()) {
            CliRunner.Result r = rows(s, args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(expected.out(), r.out());
            assertFalse(t.wasSplit(), String.join("\n", t.targets()));
            assertTrue(t.maxInFlight() <= 2, "one page at a time, the table's description beside the second");
            // the page requests are exactly the sequential walk's
            List<String> pages = t.targets().stream().filter(u -> !u.contains("_extra=")).toList();
            FakeTable again = table.get();
            try (HostileServer s2 = again.start()) {
                List<String> seq = new ArrayList<>(args);
                seq.addAll(List.of("--parallel", "1"));
                rows(s2, seq.toArray(String[]::new));
                assertEquals(again.targets(), pages);
            }
        }
    }

    /** Ids of JSON lines, which must be whole lines. */
    static List<Long> ids(String nl) {
        assertTrue(nl.isEmpty() || nl.endsWith("\n"), "stdout ends mid-line");
        List<Long> ids = new ArrayList<>();
        for (String line : nl.split("\n")) {
            if (line.isEmpty()) continue;
            try {
                ids.add(Json.parse(line).path("id").asLong());
            } catch (java.io.IOException e) {
                throw new AssertionError("not a whole row: " + line, e);
            }
        }
        return ids;
    }

    static void assertPrefix(List<Long> ids, long upTo) {
        for (int i = 0; i < ids.size(); i++) assertEquals(i + 1, ids.get(i), "row " + (i + 1) + " in order");
        assertTrue(ids.size() < upTo, ids.size() + " rows, all before " + upTo);
    }

    @Test
    void aPartFailingMidWalkEndsItAfterEveryRowBeforeIt() {
        FakeTable t = FakeTable.range(1, 6000);
        // every page that would hold row 4321 fails, whichever part asks for it
        t.override(req -> {
            String q = req.query();
            if (!q.contains("id__g") && !q.contains("_next=")) return null;
            boolean holds = covers(q, 4321);
            return holds ? Reply.text(500, "<html>boom</html>") : null;
        });
        try (HostileServer s = t.start()) {
            CliRunner.Result r = rows(s, "--nl", "--size", "100");
            assertEquals(1, r.exitCode(), r.toString());
            List<Long> ids = ids(r.out());
            assertPrefix(ids, 4321);
            assertTrue(ids.size() >= 4000, "the parts before the failure were all written: " + ids.size());
            String err = r.err();
            assertTrue(err.startsWith("Error: HTTP 500 from " + s.baseUrl() + "/db/t.json?"), err);
            assertTrue(err.endsWith(" failed after " + ids.size() + " rows were written; the output is incomplete.\n"), err);
            assertEquals(2, err.lines().count(), err);
        }
    }

    /** Whether a page asked with query {@code q} would start at or before {@code key} and end after it (size 100). */
    static boolean covers(String q, long key) {
        long from = Long.MIN_VALUE;
        long to = Long.MAX_VALUE;
        for (String arg : q.split("&")) {
            String[] kv = arg.split("=", 2);
            if (kv[0].equals("id__gte")) from = Math.max(from, Long.parseLong(kv[1]));
            if (kv[0].equals("id__gt") || kv[0].equals("_next")) from = Math.max(from, Long.parseLong(kv[1]) + 1);
            if (kv[0].equals("id__lt")) to = Math.min(to, Long.parseLong(kv[1]));
        }
        if (from == Long.MIN_VALUE) from = 1;
        return from <= key && key < Math.min(to, from + 100);
    }

    @Test
    void aPartFailingAheadOfTheWriterWaitsForEveryRowBeforeIt() {
        CountDownLatch failed = new CountDownLatch(1);
        AtomicInteger heldBack = new AtomicInteger();
        FakeTable t = FakeTable.range(1, 6000);
        t.override(req -> {
            String q = req.query();
            if (q.contains("_size=0") || q.endsWith("_size=1")) return null;
            if (covers(q, 2650)) {
                failed.countDown();
                return Reply.json(503, "{\"ok\": false, \"error\": \"tired\", \"status\": 503}");
            }
            if (covers(q, 2050)) {
                // the part the writer waits for answers only once a part ahead of it has failed
                try {
                    if (failed.await(20, TimeUnit.SECONDS)) heldBack.incrementAndGet();
                } catch (InterruptedException e) {
                    return Reply.status(500);
                }
            }
            return null;
        });
        try (HostileServer s = t.start()) {
            CliRunner.Result r = rows(s, "--nl", "--size", "100");
            assertEquals(1, heldBack.get(), "the failure ahead came first");
            assertEquals(1, r.exitCode(), r.toString());
            List<Long> ids = ids(r.out());
            assertPrefix(ids, 2651);
            assertTrue(ids.size() >= 2550, "every row before the failing page: " + ids.size());
            String err = r.err();
            assertTrue(err.matches("Error: tired \\(HTTP 503\\)\nPage \\d+ failed after " + ids.size()
                    + " rows were written; the output is incomplete.\n"), err);
        }
    }

    @Test
    void aLoopInsideAPartIsRefusedAfterTheRowsBeforeIt() {
        FakeTable t = FakeTable.range(1, 6000);
        String[] base = new String[1];
        // the page after 3000 points back to the page that asked for it
        t.override(req -> {
            if (!covers(req.query(), 3050) || req.query().contains("_size=0")) return null;
            return Reply.json(200, pageAt(t, req.query(), base[0] + req.target()));
        });
        try (HostileServer s = t.start()) {
            base[0] = s.baseUrl();
            CliRunner.Result r = rows(s, "--nl", "--size", "100");
            assertEquals(1, r.exitCode(), r.toString());
            List<Long> ids = ids(r.out());
            assertPrefix(ids, 3151);
            assertTrue(ids.contains(3050L), "the page itself is written");
            assertTrue(r.err().startsWith("Error: The server's next_url is the page just fetched (" + s.baseUrl()), r.err());
            assertTrue(r.err().endsWith("); not following it, to avoid a loop.\nStopped after " + ids.size()
                    + " rows; the output is incomplete.\n"), r.err());
        }
    }

    /** The page of 100 rows (of 1..6000) that query {@code q} asks for, linking to {@code next}. */
    static String pageAt(FakeTable t, String q, String next) {
        long from = 1;
        long to = 6001;
        for (String arg : q.split("&")) {
            String[] kv = arg.split("=", 2);
            if (kv[0].equals("id__gte")) from = Long.parseLong(kv[1]);
            if (kv[0].equals("id__gt") || kv[0].equals("_next")) from = Long.parseLong(kv[1]) + 1;
            if (kv[0].equals("id__lt")) to = Long.parseLong(kv[1]);
        }
        StringBuilder rows = new StringBuilder();
        for (long k = from; k < Math.min(to, from + 100); k++) rows.append(k > from ? ", " : "").append(t.row(k));
        return "{\"ok\": true, \"next_url\": \"" + next + "\", \"rows\": [" + rows + "]}";
    }

    @Test
    void aNextUrlToAnotherOriginIsNotFollowedAndGetsNoToken() {
        try (HostileServer elsewhere = HostileServer.start(req -> Reply.json(200, "{\"ok\": true, \"rows\": []}"))) {
            FakeTable t = FakeTable.range(1, 6000);
            t.override(req -> {
                if (!covers(req.query(), 4050) || req.query().contains("_size=0")) return null;
                return Reply.json(200, pageAt(t, req.query(), elsewhere.baseUrl() + "/db/t.json?_next=1"));
            });
            try (HostileServer s = t.start()) {
                CliRunner.Result r = rows(s, "--nl", "--size", "100", "--token", "dstok_secret");
                assertEquals(1, r.exitCode(), r.toString());
                List<Long> ids = ids(r.out());
                assertPrefix(ids, 4150);
                assertTrue(ids.contains(4050L), "the page itself is written");
                assertTrue(r.err().startsWith("Error: The server's next_url points to " + elsewhere.baseUrl()
                        + ", not to the instance " + s.baseUrl() + "; not following it (the token is only sent to the instance)."),
                        r.err());
                assertFalse(r.err().contains("dstok_secret"));
                assertEquals(0, elsewhere.requestCount(), "nothing is sent to the other origin");
                for (HostileServer.Request q : s.requests()) {
                    assertEquals("Bearer dstok_secret", q.header("Authorization").orElse(null), q.target());
                }
            }
        }
    }

    @Test
    void aStalledPartTimesOutWithTheUsualMessage() {
        FakeTable t = FakeTable.range(1, 6000);
        t.override(req -> covers(req.query(), 2550) && !req.query().contains("_size=0") ? Reply.neverRespond() : null);
        try (HostileServer s = t.start()) {
            CliRunner.Result r = rows(s, "--nl", "--size", "100", "--timeout", "0.5");
            assertEquals(1, r.exitCode(), r.toString());
            List<Long> ids = ids(r.out());
            assertPrefix(ids, 2551);
            assertTrue(r.err().startsWith("Error: Timed out after 0.5 s waiting for " + s.baseUrl() + "/db/t.json?"), r.err());
            assertTrue(r.err().endsWith("rows were written; the output is incomplete.\n"), r.err());
        }
    }

    static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    static List<String> walkThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("dclient-rows-")).toList();
    }

    @Test
    void theLimitStopsAtExactlyThatManyRowsAndAsksLittleBeyond() {
        FakeTable t = FakeTable.range(1, 100_000);
        try (HostileServer s = t.start()) {
            CliRunner.Result r = rows(s, "--nl", "--size", "100", "--limit", "2345");
            assertEquals(0, r.exitCode(), r.toString());
            List<Long> ids = ids(r.out());
            assertEquals(2345, ids.size());
            assertPrefix(ids, 2346);
            long pages = t.targets().stream().filter(u -> !u.contains("_size=0") && !u.contains("_size=1&")
                    && !u.endsWith("_size=1")).count();
            assertTrue(pages <= 24 + 4 * 4 + 4, "no more than the budget of pages beyond the limit: " + pages);
        }
    }

    @Test
    void parallelMustBeAtLeastOne() {
        try (HostileServer s = FakeTable.range(1, 10).start()) {
            CliRunner.Result r = rows(s, "--parallel", "0");
            assertEquals(2, r.exitCode(), r.toString());
            assertEquals("Error: --parallel must be from 1 (one request at a time) to 64\n", r.err());
            assertEquals(0, s.requestCount());
        }
    }

    @Test
    void theLibraryListsTheSameRowsWithAndWithoutParallel() {
        FakeTable t = FakeTable.range(1, 3000);
        try (HostileServer s = t.start()) {
            Datasette ds = Datasette.builder().url(s.baseUrl()).configDir(dir).env(Map.of()).build();
            List<Map<String, Object>> one = ds.rows("db", "t").parallel(1).list();
            assertFalse(t.wasSplit());
            List<Map<String, Object>> near = ds.rows("db", "t").list();
            assertFalse(t.wasSplit(), "list() walks a near server one page at a time by default");
            assertEquals(one, near);
            List<Map<String, Object>> four = ds.rows("db", "t").parallel(4).list();
            assertTrue(t.wasSplit(), "parallel(4) splits");
            assertEquals(one, four);
            assertEquals(3000, four.size());
            List<Map<String, Object>> streamed;
            try (Stream<Map<String, Object>> rows = ds.rows("db", "t").filter("cat", "exact", "c2").parallel(3).stream()) {
                streamed = rows.toList();
            }
            assertEquals(ds.rows("db", "t").filter("cat", "exact", "c2").parallel(1).list(), streamed);
            assertEquals(1000, streamed.size());
            // the command line writes the same rows
            CliRunner.Result r = rows(s, "--nl");
            List<JsonNode> lines = r.out().lines().map(l -> {
                try {
                    return Json.parse(l);
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }).toList();
            assertEquals(four.size(), lines.size());
            for (int i = 0; i < lines.size(); i++) assertEquals(((Number) four.get(i).get("id")).longValue(), lines.get(i).path("id").asLong());
        }
    }
}
