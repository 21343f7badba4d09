package io.datasette.dclient.core.io;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs other programs: the keyring tools ({@code secret-tool}, {@code security}, PowerShell)
 * and credential commands. One small seam, so tests substitute fakes and every child gets the
 * context's environment (not the JVM's): the program is looked up on that environment's
 * {@code PATH}, and that environment is the child's whole environment.
 */
public interface Processes {
    /**
     * Runs {@code call} to completion or until its time limit, never through a shell. Failures of
     * the program itself are in the {@link Outcome}; only an interrupt is thrown.
     */
    Outcome run(Call call) throws InterruptedException;

    /** The executable {@code program} names on the {@code PATH} of {@code env}, or null. */
    Path find(String program, Map<String, String> env);

    /**
     * One program run: {@code argv} (the program first), the whole environment, what to write
     * to its standard input (then closed; empty for none) and how long it may take.
     */
    record Call(List<String> argv, Map<String, String> env, byte[] input, Duration timeout) {
        public Call {
            argv = List.copyOf(argv);
            if (argv.isEmpty()) throw new IllegalArgumentException("no program to run");
            env = Map.copyOf(Objects.requireNonNull(env, "env"));
            input = input == null ? new byte[0] : input.clone();
            Objects.requireNonNull(timeout, "timeout");
        }

        /** Never the input: it may be a secret. */
        @Override
        public String toString() {
            return "Call" + argv;
        }
    }

    /** How a run ended. */
    enum Status {
        /** The program ran and exited ({@link Outcome#exitCode} says how). */
        EXITED,
        /** It did not finish within the time limit and was killed, with everything it started. */
        TIMED_OUT,
        /** There is no such program on the {@code PATH}. */
        NOT_FOUND,
        /** It was found but could not be started (not executable, bad interpreter...). */
        NOT_STARTED
    }

    /**
     * What a run produced. Standard output and error are kept up to a cap (the rest is read and
     * dropped); they may hold secrets, so {@link #toString} never shows them.
     */
    record Outcome(Status status, int exitCode, byte[] stdout, byte[] stderr) {
        public Outcome {
            stdout = stdout == null ? new byte[0] : stdout;
            stderr = stderr == null ? new byte[0] : stderr;
        }

        public static Outcome exited(int code, String stdout, String stderr) {
            return new Outcome(Status.EXITED, code, stdout.getBytes(StandardCharsets.UTF_8),
                    stderr.getBytes(StandardCharsets.UTF_8));
        }

        public static Outcome of(Status status) {
            return new Outcome(status, -1, null, null);
        }

        public boolean succeeded() {
            return status == Status.EXITED && exitCode == 0;
        }

        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public String err() {
            return new String(stderr, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Outcome[" + status + (status == Status.EXITED ? " " + exitCode : "") + "]";
        }
    }
}
