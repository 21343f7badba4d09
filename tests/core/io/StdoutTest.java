package io.datasette.dclient.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stdout: a failed write is remembered, nothing is written after it, and the rows that got out whole are counted. */
class StdoutTest {
    @TempDir
    Path dir;

    /** A disk that holds {@code room} bytes: a write takes what fits, the next one fails, as write(2) does. */
    static final class FullDisk implements Stdout.Sink {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final long room;
        final String message;
        int calls;

        FullDisk(long room, String message) {
            this.room = room;
            this.message = message;
        }

        @Override
        public int write(byte[] b, int off, int len) throws IOException {
            calls++;
            long left = room - got.size();
            if (left <= 0) throw new IOException(message);
            int n = (int) Math.min(left, len);
            got.write(b, off, n);
            return n;
        }
    }

    /** Rows of 10 bytes ("row 00001\n"...), each marked as a row writer marks it. */
    static void writeRows(Stdout out, int rows, boolean markHeld) {
        for (int i = 1; i <= rows; i++) {
            byte[] line = String.format("row %05d\n", i).getBytes(StandardCharsets.US_ASCII);
            try {
                if (markHeld) {
                    // as the newline-delimited writer's page path: the row is marked while still held, then written
                    out.rowEnds(line.length);
                    out.write(line);
                } else {
                    out.write(line);
                    out.rowEnds(0);
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    @ParameterizedTest(name = "room {0} bytes, marked while held: {1}")
    @CsvSource({
            "0, false", "1, false", "9, false", "10, false", "11, false", "65535, false", "65536, false",
            "65541, false", "131072, false", "200000, false",
            "0, true", "10, true", "65541, true", "200000, true"})
    void countsExactlyTheRowsWhoseLastByteGotThrough(long room, boolean markHeld) throws IOException {
        FullDisk disk = new FullDisk(room, "No space left on device");
        Stdout out = new Stdout(disk);
        writeRows(out, 30_000, markHeld); // 300,000 bytes: more than the room and several buffers
        try {
            out.flush();
        } catch (IOException expected) {
            // reported by failure()
        }
        Stdout.Failure f = out.failure();
        assertEquals(room, disk.got.size());
        assertEquals("No space left on device", f.reason());
        assertTrue(f.countsRows());
        assertEquals(room / 10, f.rows(), "whole lines on the disk");
        assertEquals(room, f.bytes());
        assertEquals(false, f.closedPipe());
    }

    @Test
    void afterAFailureEveryWriteFailsAtOnceWithTheSameCauseAndNothingReachesTheSink() throws IOException {
        FullDisk disk = new FullDisk(0, "No space left on device");
        Stdout out = new Stdout(disk);
        out.write(new byte[10]);
        IOException first = assertThrows(IOException.class, out::flush);
        int calls = disk.calls;
        assertSame(first, assertThrows(IOException.class, () -> out.write(1)));
        assertSame(first, assertThrows(IOException.class, () -> out.write(new byte[100_000])));
        assertSame(first, assertThrows(IOException.class, out::flush));
        assertEquals(calls, disk.calls);
        assertSame(first, out.failure().cause());
    }

    @Test
    void withoutAFailureThereIsNoneAndEveryByteArrivesInOrder() throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        Stdout out = Stdout.of(got);
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) big[i] = (byte) i;
        out.write('a');
        out.write(big);
        out.write('b');
        out.flush();
        assertNull(out.failure());
        byte[] all = got.toByteArray();
        assertEquals(big.length + 2, all.length);
        assertEquals('a', all[0]);
        assertEquals((byte) 7, all[8]);
        assertEquals('b', all[all.length - 1]);
    }

    @Test
    void aFailureBeforeAnyRowWriterCountsNoRows() throws IOException {
        Stdout out = new Stdout(new FullDisk(0, "No space left on device"));
        out.write("help text".getBytes(StandardCharsets.US_ASCII));
        assertThrows(IOException.class, out::flush);
        assertEquals(false, out.failure().countsRows());
        Stdout rows = new Stdout(new FullDisk(0, "No space left on device"));
        rows.countRows();
        rows.write(1);
        assertThrows(IOException.class, rows::flush);
        assertTrue(rows.failure().countsRows(), "a row writer that got nothing out still says so");
        assertEquals(0, rows.failure().rows());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            Broken pipe                     | true  | Broken pipe
            The pipe is being closed        | true  | The pipe is being closed
            The pipe has been ended         | true  | The pipe has been ended
            No space left on device         | false | No space left on device
            File too large                  | false | File too large
            Input/output error              | false | Input/output error
            Bad file descriptor             | false | Bad file descriptor
            NULL                            | false | IOException
            """)
    void aClosedPipeIsToldApartFromOtherFailures(String message, boolean closedPipe, String reason) throws IOException {
        Stdout out = new Stdout((b, off, len) -> {
            throw new IOException(message);
        });
        out.write(1);
        assertThrows(IOException.class, out::flush);
        assertEquals(closedPipe, out.failure().closedPipe());
        assertEquals(reason, out.failure().reason());
    }

    @Test
    void aChannelKeepsWorkingWhenTheWritingThreadIsInterrupted() throws Exception {
        // Ctrl-C interrupts the command's thread; a channel written from that thread would be
        // closed by the interrupt, and stdout with it, before the command closed its output off.
        Path file = dir.resolve("out.txt");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            Stdout out = Stdout.of(ch);
            out.write("first\n".getBytes(StandardCharsets.US_ASCII));
            Thread.currentThread().interrupt();
            try {
                out.flush();
                out.write("second\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the command to see");
            } finally {
                Thread.interrupted();
            }
            assertTrue(ch.isOpen());
            assertNull(out.failure());
        }
        assertEquals("first\nsecond\n", Files.readString(file));
    }

    @Test
    void aSinkThatTakesPartOfAWriteIsGivenTheRest() throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        AtomicInteger calls = new AtomicInteger();
        Stdout out = new Stdout((b, off, len) -> {
            calls.incrementAndGet();
            int n = Math.min(len, 7); // a pipe that takes 7 bytes at a time
            got.write(b, off, n);
            return n;
        });
        out.write("0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII));
        out.rowEnds(0);
        out.flush();
        assertEquals("0123456789abcdefghij", got.toString(StandardCharsets.US_ASCII));
        assertEquals(3, calls.get());
        assertNull(out.failure());
    }
}
