package io.datasette.dclient.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.FakeTable;
import io.datasette.dclient.testing.HostileServer;
import io.datasette.dclient.testing.HostileServer.Reply;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C during {@code rows --all} with several requests in flight: whole rows, in order, and no thread left. */
class RowsParallelInterruptTest {
    @TempDir
    Path dir;

    @Test
    void ctrlCStopsEveryPartAndKeepsWholeRowsInOrder() throws Exception {
        AtomicInteger stalled = new AtomicInteger();
        FakeTable t = FakeTable.range(1, 6000);
        t.override(req -> {
            String q = req.query();
            if (q.contains("_size=0") || q.endsWith("_size=1")) return null;
            // every page that would hold row 2550 never comes back
            long from = 1;
            long to = Long.MAX_VALUE;
            for (String arg : q.split("&")) {
                String[] kv = arg.split("=", 2);
                if (kv[0].equals("id__gte")) from = Long.parseLong(kv[1]);
                if (kv[0].equals("id__gt") || kv[0].equals("_next")) from = Long.parseLong(kv[1]) + 1;
                if (kv[0].equals("id__lt")) to = Long.parseLong(kv[1]);
            }
            if (from > 2550 || Math.min(to, from + 100) <= 2550) return null;
            stalled.incrementAndGet();
            return Reply.neverRespond();
        });
        try (HostileServer s = t.start()) {
            InterruptTest.Run run = new InterruptTest.Run(new CliRunner(dir), "rows", "db", "t", "-i", s.baseUrl(), "--all",
                    "--nl", "--size", "100");
            InterruptTest.await(() -> stalled.get() > 0, "the request that never comes back");
            assertTrue(run.relay.interruptAndWait(), "stopped within the grace period");
            assertEquals(130, run.exitCode(), run.err());
            String out = run.out();
            assertTrue(out.isEmpty() || out.endsWith("\n"), "whole lines");
            List<String> lines = out.lines().toList();
            assertTrue(lines.size() < 2550, lines.size() + " rows");
            for (int i = 0; i < lines.size(); i++) assertEquals(i + 1, Json.parse(lines.get(i)).path("id").asLong());
            assertTrue(run.err().contains("Interrupted"), run.err());
            InterruptTest.await(() -> walkThreads().isEmpty(), "the walk's threads to end: " + walkThreads());
        }
    }

    static List<String> walkThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("dclient-rows-")).toList();
    }
}
