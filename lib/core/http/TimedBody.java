package io.datasette.dclient.core.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read on the caller's thread under two limits: at most {@code idle} without a
 * byte, and everything by {@code deadline} (a {@link System#nanoTime} value). The JDK client's own
 * request timeout stops at the headers; this covers the rest. It subscribes to the body
 * publisher ({@code BodyHandlers.ofPublisher()}), asks for one chunk at a time (so a fast or
 * endless body never piles up in memory), and cancels the exchange when closed or out of time.
 */
final class TimedBody extends ResponseBody implements Flow.Subscriber<List<ByteBuffer>> {
    /** Which limit ran out. */
    enum Limit { IDLE, TOTAL }

    /** Thrown by reads when a limit runs out; the exchange is cancelled by then. */
    static final class Expired extends IOException {
        final Limit limit;

        Expired(Limit limit) {
            super(limit == Limit.IDLE ? "no data within the idle limit" : "the response took longer than allowed");
            this.limit = limit;
        }
    }

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final long idleNanos;
    private final long deadline;
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;
    private Iterator<ByteBuffer> chunk;
    private ByteBuffer current;
    private boolean ended;
    private long lastData;
    private long count;

    TimedBody(long idleNanos, long deadline) {
        this.idleNanos = idleNanos;
        this.deadline = deadline;
        this.lastData = System.nanoTime();
    }

    @Override
    long count() {
        return count;
    }

    // ---- Flow.Subscriber (called on the client's threads) ------------------------------------

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (closed) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable t) {
        queue.add(t);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    // ---- InputStream (the caller's thread) ---------------------------------------------------

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (!fill()) return -1;
        int n = Math.min(len, current.remaining());
        current.get(b, off, n);
        count += n;
        return n;
    }

    /** Makes {@link #current} hold a byte; false at the end of the body. */
    private boolean fill() throws IOException {
        while (current == null || !current.hasRemaining()) {
            if (chunk != null && chunk.hasNext()) {
                current = chunk.next();
                continue;
            }
            if (ended) return false;
            if (closed) throw new IOException("closed");
            Object next = take();
            if (next == END) {
                ended = true;
                return false;
            }
            if (next instanceof Throwable t) {
                ended = true;
                throw t instanceof IOException io ? io : new IOException(t.getMessage(), t);
            }
            @SuppressWarnings("unchecked")
            List<ByteBuffer> list = (List<ByteBuffer>) next;
            chunk = list.iterator();
            Flow.Subscription s = subscription;
            if (s != null) s.request(1);
        }
        return true;
    }

    private Object take() throws IOException {
        while (true) {
            long now = System.nanoTime();
            long idleEnd = lastData + idleNanos;
            long wait = Math.min(idleEnd, deadline) - now;
            if (wait <= 0) {
                Limit limit = deadline - now <= 0 ? Limit.TOTAL : Limit.IDLE;
                close();
                throw new Expired(limit);
            }
            Object next;
            try {
                next = queue.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new InterruptedIOException("interrupted while reading the response");
            }
            if (next != null) {
                lastData = System.nanoTime();
                return next;
            }
        }
    }

    /** Stops reading: cancels the exchange (the connection is dropped, not drained). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Flow.Subscription s = subscription;
        if (s != null) s.cancel();
    }
}
