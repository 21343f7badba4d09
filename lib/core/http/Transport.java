package io.datasette.dclient.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * One HTTP exchange at a time per call, from any number of threads: the seam between what dclient
 * knows about Datasette ({@link DatasetteClient}: tokens, origins, redirects, messages) and how
 * bytes cross the network ({@link SocketTransport}). A test or an application may put its own in
 * (an in-memory one, say) through {@code Datasette.builder().transport(...)}.
 *
 * <p>An implementation sends the request as given (it follows no redirects and adds no
 * credentials of its own), asks for and decodes gzip, and throws {@link IOException}s; the kinds
 * {@link DatasetteClient} words are {@link Timeout}, {@link TlsFailure}, {@link Unanswered},
 * {@link java.net.ConnectException}, {@link java.net.UnknownHostException} and
 * {@link java.io.InterruptedIOException}; anything else is reported with its message.
 */
public interface Transport {
    /**
     * Sends one request and returns once the head of its answer has arrived; the body is left to
     * read, then to close.
     */
    Answer exchange(Request request) throws IOException;

    /**
     * Starts opening a connection to {@code target}'s origin in the background, for the first
     * request to find ready; sends nothing on it. A transport that keeps no connections ignores it.
     */
    default void preconnect(URI target) {}

    /**
     * Starts readying, in the background, what an {@code https://} connection will need (the TLS
     * set-up), before the target is known; sends nothing. A transport without such costs ignores it.
     */
    default void prepareTls() {}

    /**
     * How long the last connection to {@code target}'s origin took to open, a proxy's tunnel and
     * the TLS handshake included: a round trip or more (a TCP connection to a relay or a proxy
     * nearby opens at once; its TLS handshake still crosses the network); -1 when unknown. Work
     * that could keep several requests in flight asks it whether there is a round trip to hide.
     */
    default long connectNanos(URI target) {
        return -1;
    }

    /**
     * Opens one more connection to {@code target}'s origin now, kept for the next requests, and
     * returns how long it took to open (as {@link #connectNanos}); -1 when it could not be opened,
     * or not soon (a probe may give up early: a server that slow is far). The first connection of
     * a fresh JVM also pays for loading the network classes (3 to 10 ms on loopback, measured), so
     * a round trip is judged again on a second one. A transport that keeps no connections answers
     * {@link #connectNanos}.
     */
    default long probeConnect(URI target) {
        return connectNanos(target);
    }

    /**
     * @param authorization the {@code Authorization} header's value, or null
     * @param contentType with {@code body}; null when there is no body
     * @param body the request body, or null for none
     * @param timeoutNanos the longest wait: to connect, for the head, and between body bytes
     * @param deadline when the whole exchange must be over ({@link System#nanoTime})
     */
    record Request(String method, URI target, String authorization, String contentType, byte[] body,
            long timeoutNanos, long deadline) {}

    /**
     * The head of an answer and its body, already decoded (gzip). Reading the body to its end
     * hands the connection back for reuse; closing it early drops the connection.
     *
     * @param length the declared length of the body as sent, or -1
     */
    record Answer(int status, String contentType, String location, long length, Body body) {}

    /** A response body: an {@link InputStream} that counts what it hands out. */
    abstract class Body extends InputStream {
        /** Bytes handed out so far (after decoding). */
        public abstract long count();

        @Override
        public abstract int read(byte[] b, int off, int len) throws IOException;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        /** Stops reading; what was not read is dropped with the connection. */
        @Override
        public abstract void close();

        /** A body held in memory (for transports that have the whole answer at once). */
        public static Body of(byte[] bytes) {
            java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(bytes);
            return new Body() {
                @Override
                public long count() {
                    return bytes.length - in.available();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public int available() {
                    return in.available();
                }

                @Override
                public void close() {}
            };
        }
    }

    /** A time limit ran out. */
    final class Timeout extends IOException {
        /** Which: connecting, waiting for the head, between two body bytes, the whole exchange. */
        public enum Limit { CONNECT, HEAD, IDLE, TOTAL }

        public final Limit limit;

        public Timeout(Limit limit) {
            super("timed out: " + limit.name().toLowerCase(java.util.Locale.ROOT));
            this.limit = limit;
        }
    }

    /**
     * The request left whole but no complete answer came back (the connection was closed or
     * reset, or a time limit ran out): the server may or may not have acted on it. The cause says
     * what happened.
     */
    final class Unanswered extends IOException {
        public Unanswered(IOException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /** A TLS connection could not be made safely; nothing was sent over it. */
    final class TlsFailure extends IOException {
        /** What was wrong. */
        public enum Reason {
            /** The certificate chains to no CA the client trusts. */
            UNTRUSTED,
            /** The certificate is for other names ({@link #names}). */
            NAME_MISMATCH,
            /** The certificate (or one in its chain) has expired or is not valid yet. */
            EXPIRED,
            /** The server refused the handshake, or does not speak TLS. */
            HANDSHAKE
        }

        public final Reason reason;
        /** For {@link Reason#NAME_MISMATCH}: the names the certificate is for (may be empty). */
        public final java.util.List<String> names;

        public TlsFailure(Reason reason, java.util.List<String> names, String detail, Throwable cause) {
            super(detail, cause);
            this.reason = reason;
            this.names = names == null ? java.util.List.of() : java.util.List.copyOf(names);
        }
    }

    /**
     * The proxy could not be reached ({@code status} 0), refused to open a tunnel, or asked for
     * credentials (407); -1 when its answer was not HTTP.
     */
    final class ProxyRefused extends IOException {
        public final int status;

        public ProxyRefused(int status, String statusLine) {
            super(statusLine);
            this.status = status;
        }
    }
}
