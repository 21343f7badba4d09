package io.datasette.dclient.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.io.Terminal;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.HostileServer;
import io.datasette.dclient.testing.HostileServer.Reply;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C reaches the command: the {@link InterruptRelay} that {@link Main} registers interrupts
 * the command's thread, the command says what it leaves behind, and the process exits 130.
 * In-process tests stand in for the signal by calling the relay; two tests send a real SIGINT
 * to a dclient process (POSIX only).
 */
class InterruptTest {
    @TempDir
    Path dir;

    static final String DEVICE = "{\"device_code\": \"dev-123\", \"user_code\": \"ABCD-EFGH\","
            + " \"verification_uri\": \"http://127.0.0.1/verify\", \"expires_in\": 900, \"interval\": 1}";
    static final String PENDING = "{\"error\": \"authorization_pending\"}";

    /** A datasette-oauth stand-in that never approves; {@code tokenReply} answers each poll. */
    static HostileServer deviceFlowServer(AtomicInteger polls, Reply tokenReply) {
        return HostileServer.start(req -> switch (req.path()) {
            case "/-/oauth/device" -> Reply.json(200, DEVICE);
            case "/-/oauth/token" -> {
                polls.incrementAndGet();
                yield tokenReply;
            }
            default -> Reply.status(404);
        });
    }

    /** Runs {@code args} on a thread of its own, as Main does, with a relay the test can fire. */
    static final class Run {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final AtomicInteger code = new AtomicInteger(-1);
        final Thread thread;
        final InterruptRelay relay;

        Run(CliRunner runner, String... args) {
            Context ctx = runner.context(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            InterruptRelay[] r = new InterruptRelay[1];
            thread = new Thread(() -> code.set(Main.finish(Main.run(args, ctx), ctx, r[0])), "dclient-under-test");
            relay = r[0] = new InterruptRelay(thread, Duration.ofSeconds(5), null);
            thread.start();
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        /** The exit code, once the thread has ended (Main.finish releases the relay just before). */
        int exitCode() throws InterruptedException {
            thread.join(10_000);
            return code.get();
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    /** Sleeps for real, but briefly: polling every second would make the test slow. */
    static CliRunner quickSleeps(CliRunner r) {
        return r.sleeper(d -> Thread.sleep(Math.min(d.toMillis(), 30)));
    }

    @Test
    void ctrlCWhileLoginWaitsBetweenPollsCancelsItOnAFreshLine() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        try (HostileServer server = deviceFlowServer(polls, Reply.json(400, PENDING))) {
            Terminal dotsOnStderr = new Terminal() {
                @Override
                public boolean stdinIsTerminal() {
                    return false;
                }

                @Override
                public boolean stderrIsTerminal() {
                    return true;
                }

                @Override
                public String readSecret(String prompt) {
                    return null;
                }
            };
            Run run = new Run(quickSleeps(new CliRunner(dir)).terminal(dotsOnStderr),
                    "login", server.baseUrl(), "--no-browser");
            await(() -> polls.get() >= 2, "two polls");
            assertTrue(run.relay.interruptAndWait(), "the command finished within the grace period");
            assertEquals(130, run.exitCode(), run.err());
            assertTrue(run.err().contains("Ctrl-C to cancel)..."), run.err());
            assertTrue(run.err().endsWith(".\nError: Login cancelled; nothing was saved.\n"), run.err());
            assertFalse(Files.exists(dir.resolve("auth.json")));
            assertFalse(Files.exists(dir.resolve("config.json")));
        }
    }

    @Test
    void ctrlCWhileAPollIsInFlightCancelsTheLoginToo() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        try (HostileServer server = deviceFlowServer(polls, Reply.neverRespond())) {
            Run run = new Run(quickSleeps(new CliRunner(dir)), "login", server.baseUrl(), "--no-browser");
            await(() -> polls.get() >= 1, "a poll");
            assertTrue(run.relay.interruptAndWait());
            assertEquals(130, run.exitCode(), run.err());
            assertTrue(run.err().endsWith("Ctrl-C to cancel)...\nError: Login cancelled; nothing was saved.\n"), run.err());
            assertFalse(Files.exists(dir.resolve("auth.json")));
        }
    }

    @Test
    void aRelayThatFiresAfterTheCommandFinishedChangesNothing() throws Exception {
        Run run = new Run(new CliRunner(dir), "alias", "list");
        run.thread.join(10_000);
        assertTrue(run.relay.interruptAndWait());
        assertFalse(run.relay.fired());
        assertEquals(0, run.exitCode(), run.err());
    }

    @Test
    void aCommandThatDoesNotStopInTimeGetsTheLastWordFromTheRelay() throws Exception {
        Thread stuck = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException ignored) {
                    // a command that swallows the interrupt
                }
            }
        });
        stuck.setDaemon(true);
        stuck.start();
        List<String> said = new ArrayList<>();
        InterruptRelay relay = new InterruptRelay(stuck, Duration.ofMillis(50), () -> said.add("late"));
        assertFalse(relay.interruptAndWait());
        assertTrue(relay.fired());
        assertEquals(List.of("late"), said);
    }

    static String rowsPage(String base, int from, int to, boolean more) {
        StringBuilder sb = new StringBuilder("{\"ok\": true, \"rows\": [");
        for (int id = from; id <= to; id++) {
            if (id > from) sb.append(", ");
            sb.append("{\"id\": ").append(id).append(", \"name\": \"Row ").append(id).append("\"}");
        }
        sb.append("], \"next_url\": ").append(more ? "\"" + base + "/db/t.json?_next=" + to + "\"" : "null").append('}');
        return sb.toString();
    }

    /** Page 1 of a table, then a page 2 that never comes. */
    static HostileServer stallingTable(AtomicInteger requests) {
        String[] base = new String[1];
        HostileServer server = HostileServer.start(req -> {
            int n = requests.incrementAndGet();
            return n == 1 ? Reply.json(200, rowsPage(base[0], 1, 500, true)) : Reply.neverRespond();
        });
        base[0] = server.baseUrl();
        return server;
    }

    @Test
    void ctrlCDuringRowsAllKeepsWholeLinesOnStdout() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (HostileServer server = stallingTable(requests)) {
            Run run = new Run(new CliRunner(dir), "rows", "db", "t", "-i", server.baseUrl(), "--all", "--nl");
            await(() -> requests.get() >= 2, "the request for page 2");
            assertTrue(run.relay.interruptAndWait());
            assertEquals(130, run.exitCode(), run.err());
            assertWholeRows(run.out(), 500);
            assertTrue(run.err().contains("Interrupted"), run.err());
        }
    }

    static void assertWholeRows(String out, int expected) throws Exception {
        assertTrue(out.endsWith("\n"), "stdout ends mid-line: ..." + out.substring(Math.max(0, out.length() - 80)));
        List<String> lines = out.lines().toList();
        assertEquals(expected, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode row = Json.parse(lines.get(i));
            assertEquals(i + 1, row.path("id").asInt(), lines.get(i));
        }
    }

    // ---- a real SIGINT ---------------------------------------------------------------------

    /** A dclient process (the real entry point, Main.main), with stderr in a file. */
    Process dclient(String... args) throws Exception {
        Path kill = Path.of("/bin/kill");
        Assumptions.assumeTrue(File.separatorChar == '/' && (Files.isExecutable(kill)
                || Files.isExecutable(Path.of("/usr/bin/kill"))), "needs POSIX kill");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-cp", classPath(), "io.datasette.dclient.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("DCLIENT_CONFIG_DIR", dir.toString());
        pb.environment().remove("DATASETTE_TOKEN");
        pb.environment().remove("DCLIENT_DEBUG");
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        pb.redirectOutput(dir.resolve("stdout.txt").toFile());
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        return pb.start();
    }

    /** Sends SIGINT (as Ctrl-C does); skips the test where this process was started ignoring it. */
    static void sigint(Process p) throws Exception {
        Path status = Path.of("/proc/" + p.pid() + "/status");
        if (Files.exists(status)) {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("SigIgn:")) {
                    long ignored = Long.parseLong(line.substring(7).strip(), 16);
                    Assumptions.assumeTrue((ignored & 0x2) == 0, "SIGINT is ignored here (a background job)");
                }
            }
        }
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    String file(String name) throws Exception {
        return Files.readString(dir.resolve(name));
    }

    @Test
    void aRealCtrlCCancelsLoginWithAMessageAndExit130() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        try (HostileServer server = deviceFlowServer(polls, Reply.json(400, PENDING))) {
            Process p = dclient("login", server.baseUrl(), "--no-browser");
            try {
                await(() -> {
                    try {
                        return Files.exists(dir.resolve("stderr.txt")) && file("stderr.txt").contains("Ctrl-C to cancel");
                    } catch (Exception e) {
                        return false;
                    }
                }, "the waiting line");
                sigint(p);
                assertTrue(p.waitFor(10, TimeUnit.SECONDS), "dclient did not exit after SIGINT");
                assertEquals(130, p.exitValue(), file("stderr.txt"));
                assertTrue(file("stderr.txt").endsWith("Ctrl-C to cancel)...\nError: Login cancelled; nothing was saved.\n"),
                        file("stderr.txt"));
                assertFalse(Files.exists(dir.resolve("auth.json")));
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void aRealCtrlCDuringRowsAllLeavesWholeLines() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (HostileServer server = stallingTable(requests)) {
            Process p = dclient("rows", "db", "t", "-i", server.baseUrl(), "--all", "--nl");
            try {
                await(() -> requests.get() >= 2, "the request for page 2");
                sigint(p);
                assertTrue(p.waitFor(10, TimeUnit.SECONDS), "dclient did not exit after SIGINT");
                assertEquals(130, p.exitValue(), file("stderr.txt"));
                assertWholeRows(file("stdout.txt"), 500);
                assertTrue(file("stderr.txt").contains("Interrupted"), file("stderr.txt"));
            } finally {
                p.destroyForcibly();
            }
        }
    }

    /** The class path this test runs with (its own classes and the dependency jars), for a child JVM. */
    static String classPath() throws Exception {
        LinkedHashSet<String> entries = new LinkedHashSet<>();
        for (Class<?> c : new Class<?>[] {Main.class, com.fasterxml.jackson.databind.ObjectMapper.class,
                com.fasterxml.jackson.core.JsonFactory.class, com.fasterxml.jackson.annotation.JsonProperty.class,
                picocli.CommandLine.class, org.yaml.snakeyaml.Yaml.class}) {
            entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        java.net.URL spec = Main.class.getClassLoader().getResource("commands.yaml");
        if (spec != null && spec.getProtocol().equals("file")) entries.add(Path.of(spec.toURI()).getParent().toString());
        return String.join(File.pathSeparator, entries);
    }
}
