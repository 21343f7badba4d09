package io.datasette.dclient.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * Standard output that keeps a failed write from passing for success. A {@link java.io.PrintStream}
 * swallows write errors, so this stream, under the context's print stream, remembers the first
 * one, throws it again on every later write (so nothing more is attempted), and knows how many
 * bytes, and how many rows (ends marked with {@link #rowEnds}), reached the sink before it.
 * The command line decides what to say: a closed pipe ({@code | head}) is the reader leaving,
 * anything else ({@code No space left on device}) is an error.
 */
public final class Stdout extends OutputStream {
    /** Where the bytes go. Like write(2), it may take only some of them, and says how many. */
    @FunctionalInterface
    public interface Sink {
        int write(byte[] b, int off, int len) throws IOException;
    }

    /** The hook a row writer calls after each row: it ends {@code held} bytes after what it has printed so far. */
    @FunctionalInterface
    public interface RowEnds {
        RowEnds NONE = held -> {};

        void at(int held);
    }

    /**
     * The first failed write: its cause, whether it was a closed pipe, how many bytes got through,
     * and (when a row writer marked its rows) how many rows got through whole.
     */
    public record Failure(IOException cause, boolean closedPipe, long bytes, boolean countsRows, long rows) {
        /** The cause in words, as the system said it ({@code No space left on device}). */
        public String reason() {
            String m = cause.getMessage();
            return m == null || m.isBlank() ? cause.getClass().getSimpleName() : m;
        }
    }

    static final int BUFFER = 1 << 16;

    private final Sink sink;
    private final byte[] buf = new byte[BUFFER];
    private int held;
    /** Bytes handed to this stream, and bytes the sink took. */
    private long accepted;
    private long written;
    private boolean countsRows;
    private long rows;
    /** Where the rows not yet fully written end (offsets in the output), oldest first. */
    private long[] ends = new long[256];
    private int endsFrom;
    private int endsTo;
    private IOException failure;

    public Stdout(Sink sink) {
        this.sink = sink;
    }

    /** An output stream as the sink; a write it fails counts as not written at all. */
    public static Stdout of(OutputStream out) {
        return new Stdout((b, off, len) -> {
            out.write(b, off, len);
            out.flush();
            return len;
        });
    }

    /**
     * A channel as the sink (standard output's: unlike FileOutputStream, a channel says how much
     * of a write got through before the disk filled). The writes run on a thread of their own:
     * an interrupt (Ctrl-C) reaching a thread inside a channel's write closes the channel, and
     * standard output with it, before the command could close its output off.
     */
    public static Stdout of(WritableByteChannel channel) {
        ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dclient-stdout");
            t.setDaemon(true);
            return t;
        });
        return new Stdout((b, off, len) -> {
            Future<Integer> done = writer.submit(() -> channel.write(ByteBuffer.wrap(b, off, len)));
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return done.get();
                    } catch (InterruptedException e) {
                        interrupted = true; // the bytes are on their way; as a FileOutputStream would, finish the write
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof IOException io) throw io;
                        throw new IOException(e.getCause());
                    }
                }
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * Marks the end of a row: {@code held} bytes after what was written to this stream so far
     * (bytes the writer still holds, 0 when the row is out). The first call makes failures count rows.
     */
    public synchronized void rowEnds(int held) {
        countsRows = true;
        if (failure != null) return;
        long end = accepted + held;
        if (end <= written) {
            rows++;
            return;
        }
        if (endsTo == ends.length) {
            if (endsFrom > 0) {
                System.arraycopy(ends, endsFrom, ends, 0, endsTo - endsFrom);
                endsTo -= endsFrom;
                endsFrom = 0;
            } else {
                ends = Arrays.copyOf(ends, ends.length * 2);
            }
        }
        ends[endsTo++] = end;
    }

    /** Says that a row writer writes here, so a failure names how many rows got through (also when none did). */
    public synchronized RowEnds countRows() {
        countsRows = true;
        return this::rowEnds;
    }

    /** The first failed write, or null when every write so far succeeded. */
    public synchronized Failure failure() {
        if (failure == null) return null;
        return new Failure(failure, closedPipe(failure), written, countsRows, rows);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (failure != null) throw failure;
        if (held == BUFFER) flushBuffer();
        buf[held++] = (byte) b;
        accepted++;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (failure != null) throw failure;
        if (len <= 0) return;
        if (len > BUFFER - held) {
            flushBuffer();
            if (len >= BUFFER) {
                accepted += len;
                send(b, off, len);
                return;
            }
        }
        System.arraycopy(b, off, buf, held, len);
        held += len;
        accepted += len;
    }

    @Override
    public synchronized void flush() throws IOException {
        if (failure != null) throw failure;
        flushBuffer();
    }

    @Override
    public void close() throws IOException {
        flush();
    }

    private void flushBuffer() throws IOException {
        if (held == 0) return;
        int n = held;
        held = 0; // nothing is tried twice: after a failure every write fails at once
        send(buf, 0, n);
    }

    private void send(byte[] b, int off, int len) throws IOException {
        try {
            while (len > 0) {
                int n = sink.write(b, off, len);
                if (n <= 0) {
                    LockSupport.parkNanos(1_000_000); // a non-blocking descriptor that is full: try again shortly
                    continue;
                }
                written += n;
                off += n;
                len -= n;
            }
        } catch (IOException e) {
            failure = e;
            throw e;
        } finally {
            settle();
        }
    }

    /** Counts the rows whose last byte has now been written. */
    private void settle() {
        while (endsFrom < endsTo && ends[endsFrom] <= written) {
            endsFrom++;
            rows++;
        }
        if (endsFrom == endsTo) {
            endsFrom = 0;
            endsTo = 0;
        }
    }

    /** EPIPE as the system words it (Linux and macOS "Broken pipe", Windows "The pipe is being closed"/"has been ended"). */
    static boolean closedPipe(IOException e) {
        String m = e.getMessage();
        return m != null && m.toLowerCase(Locale.ROOT).contains("pipe");
    }
}
