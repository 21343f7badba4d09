package io.datasette.dclient.core.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@link Processes} with real child processes. The JDK looks a bare program name up on the
 * JVM's own {@code PATH}, so the name is resolved here on the given environment's {@code PATH}
 * and started by its full path. A run that outlives its time limit is killed together with
 * every process it started: otherwise a grandchild ({@code sleep} under {@code sh}) would keep
 * the output pipe open and the wait would go on.
 */
public final class SystemProcesses implements Processes {
    /** More than any token or keyring answer; the rest is read and dropped, so the child never blocks. */
    static final int OUTPUT_CAP = 64 * 1024;

    /** Waits for a started process to exit, at most {@code nanos}; true when it did. */
    @FunctionalInterface
    interface Waiter {
        boolean waitFor(Process p, long nanos) throws InterruptedException;
    }

    private final String pathSeparator;
    private final boolean windows;
    private final Waiter waiter;

    /** @param windows look programs up as Windows does ({@code ;} between PATH entries, {@code PATHEXT}) */
    public SystemProcesses(boolean windows) {
        this(windows, (p, nanos) -> p.waitFor(nanos, TimeUnit.NANOSECONDS));
    }

    /** Tests decide when the time is up (on an event, not a clock). */
    SystemProcesses(boolean windows, Waiter waiter) {
        this.pathSeparator = windows ? ";" : ":";
        this.windows = windows;
        this.waiter = waiter;
    }

    @Override
    public Path find(String program, Map<String, String> env) {
        if (program == null || program.isEmpty()) return null;
        try {
            if (program.contains("/") || (windows && program.contains("\\"))) {
                Path p = Path.of(program);
                return runnable(p) ? p.toAbsolutePath() : withExtensions(p, env);
            }
            String path = env.get("PATH");
            if (path == null && windows) path = env.get("Path");
            if (path == null || path.isEmpty()) return null;
            for (String dir : path.split(java.util.regex.Pattern.quote(pathSeparator))) {
                if (dir.isEmpty()) continue; // an empty entry means the working directory: never for us
                Path candidate = Path.of(dir).resolve(program);
                if (runnable(candidate)) return candidate.toAbsolutePath();
                Path withExt = withExtensions(candidate, env);
                if (withExt != null) return withExt;
            }
        } catch (InvalidPathException e) {
            return null;
        }
        return null;
    }

    /** On Windows, {@code powershell} is {@code powershell.exe}: try {@code PATHEXT}'s endings. */
    private Path withExtensions(Path p, Map<String, String> env) {
        if (!windows) return null;
        String exts = env.getOrDefault("PATHEXT", ".COM;.EXE;.BAT;.CMD");
        for (String ext : exts.split(";")) {
            if (ext.isEmpty()) continue;
            Path c = p.resolveSibling(p.getFileName() + ext.toLowerCase(Locale.ROOT));
            if (runnable(c)) return c.toAbsolutePath();
        }
        return null;
    }

    private static boolean runnable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }

    @Override
    public Outcome run(Call call) throws InterruptedException {
        Path exe = find(call.argv().get(0), call.env());
        if (exe == null) return Outcome.of(Status.NOT_FOUND);
        List<String> cmd = new ArrayList<>(call.argv());
        cmd.set(0, exe.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(call.env());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return Outcome.of(Status.NOT_STARTED);
        }
        long deadline = System.nanoTime() + call.timeout().toNanos();
        Capture out = new Capture(p.getInputStream(), OUTPUT_CAP, "dclient-stdout");
        Capture err = new Capture(p.getErrorStream(), OUTPUT_CAP, "dclient-stderr");
        feed(p.getOutputStream(), call.input());
        try {
            if (!waiter.waitFor(p, remaining(deadline))) {
                killTree(p);
                return Outcome.of(Status.TIMED_OUT);
            }
            // Exited; a process it left behind may still hold stdout open. A first line is enough.
            if (!out.eof.await(remaining(deadline), TimeUnit.NANOSECONDS) && out.firstLine.getCount() > 0) {
                killTree(p);
                return Outcome.of(Status.TIMED_OUT);
            }
            err.eof.await(Math.min(remaining(deadline), TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            killTree(p);
            throw e;
        }
        return new Outcome(Status.EXITED, p.exitValue(), out.bytes(), err.bytes());
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** Writes the input and closes the pipe, off this thread: a child that does not read must not block us. */
    private static void feed(OutputStream stdin, byte[] input) {
        Thread t = new Thread(() -> {
            try (stdin) {
                stdin.write(input);
            } catch (IOException ignored) {
                // the child closed its stdin or exited: what it did not read it did not need
            }
        }, "dclient-stdin");
        t.setDaemon(true);
        t.start();
    }

    /** The process and everything it started, found before the parent dies and its children are re-parented. */
    private static void killTree(Process p) {
        List<ProcessHandle> descendants = p.descendants().toList();
        p.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /** Reads a stream to its end on its own thread, keeping the first {@code cap} bytes. */
    private static final class Capture {
        final CountDownLatch firstLine = new CountDownLatch(1);
        final CountDownLatch eof = new CountDownLatch(1);
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        Capture(InputStream in, int cap, String name) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[8192];
                try (in) {
                    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                        synchronized (kept) {
                            int room = cap - kept.size();
                            if (room > 0) kept.write(buf, 0, Math.min(room, n));
                        }
                        for (int i = 0; i < n; i++) {
                            if (buf[i] == '\n') {
                                firstLine.countDown();
                                break;
                            }
                        }
                    }
                } catch (IOException ignored) {
                    // the process was killed: what was read is all there is
                } finally {
                    firstLine.countDown();
                    eof.countDown();
                }
            }, name);
            t.setDaemon(true);
            t.start();
        }

        byte[] bytes() {
            synchronized (kept) {
                return kept.toByteArray();
            }
        }
    }
}
