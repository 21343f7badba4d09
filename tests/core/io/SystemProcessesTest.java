package io.datasette.dclient.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The child-process seam with real processes: programs are found on the injected PATH (never
 * the JVM's), the injected environment is the child's whole environment, the input reaches
 * its stdin, and a run past its time limit is killed together with what it started.
 */
class SystemProcessesTest {
    static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    final SystemProcesses processes = new SystemProcesses(false);

    Path script(String name, String body) throws IOException {
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    Map<String, String> env(String... more) {
        java.util.HashMap<String, String> m = new java.util.HashMap<>(Map.of("PATH", dir.resolve("bin") + ":/usr/bin:/bin"));
        for (int i = 0; i < more.length; i += 2) m.put(more[i], more[i + 1]);
        return m;
    }

    @Test
    void theProgramIsFoundOnTheInjectedPathAndSeesOnlyTheInjectedEnvironment() throws Exception {
        script("show-env", "env | sort\n");
        Processes.Outcome o = processes.run(new Processes.Call(List.of("show-env"), env("ONLY_THIS", "yes"), null, LONG));
        assertTrue(o.succeeded(), o.toString());
        List<String> lines = o.out().lines().filter(l -> !l.startsWith("PWD=") && !l.startsWith("SHLVL=")
                && !l.startsWith("_=")).toList();
        assertEquals(List.of("ONLY_THIS=yes", "PATH=" + dir.resolve("bin") + ":/usr/bin:/bin"), lines);
        // The JVM's own PATH does not count.
        assertNull(processes.find("show-env", Map.of("PATH", "/usr/bin:/bin")));
        assertEquals(Processes.Status.NOT_FOUND,
                processes.run(new Processes.Call(List.of("show-env"), Map.of("PATH", "/nonexistent"), null, LONG)).status());
        assertEquals(Processes.Status.NOT_FOUND,
                processes.run(new Processes.Call(List.of("show-env"), Map.of(), null, LONG)).status());
    }

    @Test
    void theInputGoesToStdinAndStdoutAndExitStatusComeBack() throws Exception {
        script("echo-back", "cat; echo; echo oops >&2; exit 7\n");
        byte[] secret = "s3cret-value".getBytes(StandardCharsets.UTF_8);
        Processes.Outcome o = processes.run(new Processes.Call(List.of("echo-back", "ignored arg"), env(), secret, LONG));
        assertEquals(Processes.Status.EXITED, o.status());
        assertEquals(7, o.exitCode());
        assertEquals("s3cret-value\n", o.out());
        assertEquals("oops\n", o.err());
        assertFalse(o.toString().contains("s3cret"), o.toString());
        assertFalse(new Processes.Call(List.of("x"), env(), secret, LONG).toString().contains("s3cret"));
    }

    @Test
    void aFileThatIsNotExecutableIsNotFoundAndOneThatCannotStartSaysSo() throws Exception {
        Path p = script("bad", "exit 0\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        assertEquals(Processes.Status.NOT_FOUND,
                processes.run(new Processes.Call(List.of("bad"), env(), null, LONG)).status());
        Files.writeString(p, "#!/no/such/interpreter\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        assertEquals(Processes.Status.NOT_STARTED,
                processes.run(new Processes.Call(List.of("bad"), env(), null, LONG)).status());
    }

    @Test
    void aRunPastItsLimitIsKilledWithEverythingItStarted() throws Exception {
        Path ready = dir.resolve("ready");
        assertEquals(0, new ProcessBuilder("mkfifo", ready.toString()).start().waitFor());
        // sh starts a child that holds stdout open; both must go, or the wait would go on. The
        // time is "up" once the script has said (through the FIFO) which processes it runs.
        script("hang", "sleep 3600 &\necho \"$! $$\" > " + ready + "\nwait\n");
        String[] pids = new String[1];
        SystemProcesses timesOut = new SystemProcesses(false, (p, nanos) -> {
            try {
                pids[0] = Files.readString(ready).strip(); // blocks until the script writes
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return false;
        });
        Processes.Outcome o = timesOut.run(new Processes.Call(List.of("hang"), env(), null, LONG));
        assertEquals(Processes.Status.TIMED_OUT, o.status());
        for (String pid : pids[0].split(" ")) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(h -> {
                try {
                    h.onExit().get(10, TimeUnit.SECONDS); // waits for the event, not for a time
                } catch (Exception e) {
                    throw new AssertionError("process " + pid + " still runs", e);
                }
            });
        }
    }

    @Test
    void theRealTimeLimitEndsARunThatNeverFinishes() throws Exception {
        script("forever", "exec sleep 3600\n");
        Processes.Outcome o = processes.run(new Processes.Call(List.of("forever"), env(), null, Duration.ofMillis(100)));
        assertEquals(Processes.Status.TIMED_OUT, o.status());
    }

    @Test
    void aFirstLineIsEnoughWhenSomethingItStartedKeepsStdoutOpen() throws Exception {
        Path pid = dir.resolve("pid");
        script("daemonizes", "sleep 3600 &\necho $! > " + pid + "\necho the-line\nexit 0\n");
        Processes.Outcome o = processes.run(new Processes.Call(List.of("daemonizes"), env(), null, LONG));
        assertTrue(o.succeeded(), o.toString());
        assertEquals("the-line", o.out().lines().findFirst().orElse(""));
        ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void outputIsCappedButTheChildIsNotBlocked() throws Exception {
        script("flood", "head -c 1000000 /dev/zero; echo done >&2\n");
        Processes.Outcome o = processes.run(new Processes.Call(List.of("flood"), env(), null, LONG));
        assertTrue(o.succeeded(), o.toString());
        assertEquals(SystemProcesses.OUTPUT_CAP, o.stdout().length);
        assertArrayEquals("done\n".getBytes(StandardCharsets.UTF_8), o.stderr());
    }

    @Test
    void windowsLookupUsesSemicolonsAndPathext() throws Exception {
        Path p = script("tool.cmd", "echo windows\n");
        SystemProcesses windows = new SystemProcesses(true);
        Map<String, String> env = Map.of("PATH", "/nonexistent;" + dir.resolve("bin"), "PATHEXT", ".EXE;.CMD");
        assertEquals(p.toAbsolutePath(), windows.find("tool", env));
        assertNull(processes.find("tool", env));
    }
}
