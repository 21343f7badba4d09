package io.datasette.dclient.core.write;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Rows on their way from the reader to the batcher. {@link #poll} waits at most the given time,
 * so a partial batch can go out on time even while the input is quiet (a never-ending stdin).
 */
interface Feed extends AutoCloseable {
    /** Marks the end of the input. */
    ObjectNode END = JsonNodeFactory.instance.objectNode();

    /** The next row, {@link #END}, or null when nothing arrived within {@code timeoutMillis}. */
    ObjectNode poll(long timeoutMillis) throws IOException, InterruptedException;

    /** {@link RowReader#offset()} as it was when the row {@link #poll} returned last was read (-1: unknown). */
    default long offset() {
        return -1;
    }

    @Override
    void close();

    /** Reads in the caller's thread (regular files: reading never stalls, so it never times out). */
    static Feed direct(RowReader reader) {
        return new Feed() {
            @Override
            public ObjectNode poll(long timeoutMillis) throws IOException {
                ObjectNode row = reader.next();
                return row == null ? END : row;
            }

            @Override
            public long offset() {
                return reader.offset();
            }

            @Override
            public void close() {}
        };
    }

    /** Rows from an iterator, in the caller's thread (the Java API); a row that is not there is an error. */
    static Feed of(Iterator<? extends ObjectNode> rows) {
        return new Feed() {
            @Override
            public ObjectNode poll(long timeoutMillis) {
                return rows.hasNext() ? Objects.requireNonNull(rows.next(), "row") : END;
            }

            @Override
            public void close() {}
        };
    }

    /** Reads in a daemon thread into a bounded queue (stdin, pipes): at most {@code capacity} rows wait. */
    static Feed threaded(RowReader reader, int capacity) {
        return new Threaded(reader, capacity);
    }

    /** A failure in the reading thread, handed over to be rethrown in the caller's. */
    record Failure(Throwable error) {}

    /** A row read in the reading thread, with the reader's offset after it. */
    record Read(ObjectNode row, long offset) {}

    final class Threaded implements Feed {
        private final BlockingQueue<Object> queue;
        private final Thread thread;
        private volatile boolean closed;
        private boolean ended;
        private long offset = -1;

        Threaded(RowReader reader, int capacity) {
            queue = new ArrayBlockingQueue<>(capacity);
            thread = new Thread(() -> {
                try {
                    ObjectNode row;
                    while ((row = reader.next()) != null) {
                        if (!put(new Read(row, reader.offset()))) return;
                    }
                    put(END);
                } catch (Throwable t) {
                    put(new Failure(t));
                }
            }, "dclient-input");
            thread.setDaemon(true);
            thread.start();
        }

        private boolean put(Object o) {
            try {
                while (!closed) {
                    if (queue.offer(o, 200, TimeUnit.MILLISECONDS)) return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }

        @Override
        public ObjectNode poll(long timeoutMillis) throws IOException, InterruptedException {
            if (ended) return END;
            Object o = queue.poll(Math.max(0, timeoutMillis), TimeUnit.MILLISECONDS);
            if (o == null) return null;
            if (o instanceof Failure f) {
                ended = true;
                Throwable t = f.error();
                if (t instanceof IOException io) throw io;
                if (t instanceof RuntimeException re) throw re;
                if (t instanceof Error er) throw er;
                throw new IOException(t);
            }
            if (o == END) {
                ended = true;
                return END;
            }
            Read r = (Read) o;
            offset = r.offset();
            return r.row();
        }

        @Override
        public long offset() {
            return offset;
        }

        @Override
        public void close() {
            closed = true;
            thread.interrupt();
        }
    }
}
