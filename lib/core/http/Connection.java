package io.datasette.dclient.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * One connection of {@link SocketTransport}: a {@link SocketChannel} (so an interrupt closes it),
 * TLS layered on it when the scheme says so, and the read buffer that heads and bodies share.
 * When an answer's body has been read to its end it goes back to its transport's pool.
 */
final class Connection {
    final SocketTransport owner;
    final SocketChannel ch;
    /** The socket reads go through: the channel's, or TLS layered on it. */
    Socket socket;
    InputStream in;
    /** TLS writes; null for plain connections, which write to {@link #ch} directly. */
    OutputStream out;
    final String key;
    final byte[] buf = new byte[SocketTransport.BUFFER];
    int pos;
    int lim;
    boolean reused;
    long idleSince;
    /** Bytes read from the socket for the current answer (0: nothing yet, so a reused connection may be retried). */
    long received;

    Connection(SocketTransport owner, SocketChannel ch, String key) throws IOException {
        this.owner = owner;
        this.ch = ch;
        this.socket = ch.socket();
        this.in = socket.getInputStream();
        this.key = key;
    }

    /**
     * Layers TLS on the connection and shakes hands within the head's time. The certificate is
     * checked against {@code host} by {@link Tls}'s trust manager (not by the JDK's endpoint
     * identification, which is left off: see {@link HostnameMatch}); a refusal is a
     * {@link TlsFailure}, before any byte of the request is sent.
     */
    void startTls(Tls tls, String host, int port, long headEnd, long deadline) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.factory().createSocket(socket, host, port, true);
        long wait = headEnd - System.nanoTime();
        if (wait <= 0) throw SocketTransport.headTimeout(headEnd, deadline);
        ssl.setSoTimeout(SocketTransport.millis(wait));
        Tls.clearVerdict();
        try {
            ssl.startHandshake();
        } catch (SocketTimeoutException e) {
            throw SocketTransport.headTimeout(headEnd, deadline);
        } catch (SSLException e) {
            if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("interrupted");
            throw Tls.failure(e);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("interrupted");
            // a server that closes or resets on the ClientHello refused the handshake
            throw new Transport.TlsFailure(Transport.TlsFailure.Reason.HANDSHAKE, List.of(),
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
        socket = ssl;
        in = ssl.getInputStream();
        out = ssl.getOutputStream();
    }

    /**
     * The next line in the buffer (CRLF or LF ended, without it, ISO-8859-1), consumed; null
     * when no line end has arrived yet. {@code from}: where to look, so bytes are scanned once.
     */
    String takeLine(int from) {
        for (int i = from; i < lim; i++) {
            if (buf[i] == '\n') {
                int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                String s = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                pos = i + 1;
                return s;
            }
        }
        return null;
    }

    /** A pooled connection the server has not closed (nor sent anything on: a TLS close_notify counts). */
    boolean stillOpen() {
        try {
            ch.configureBlocking(false);
            int n = ch.read(ByteBuffer.allocate(1));
            ch.configureBlocking(true);
            return n == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Reads more bytes into the buffer (after what is there); -1 at the end of the stream.
     * Waits at most until {@code until}, and at most {@code idleNanos}; a timeout throws
     * {@link SocketTimeoutException}.
     */
    int fill(long until, long idleNanos) throws IOException {
        if (pos == lim) {
            pos = 0;
            lim = 0;
        } else if (lim == buf.length) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        return read(buf, lim, buf.length - lim, until, idleNanos, true);
    }

    /** Reads into {@code b} straight from the socket, with the limits of {@link #fill}. */
    int read(byte[] b, int off, int len, long until, long idleNanos, boolean intoBuffer) throws IOException {
        long wait = Math.min(until - System.nanoTime(), idleNanos);
        if (wait <= 0) throw new SocketTimeoutException();
        socket.setSoTimeout(SocketTransport.millis(wait));
        int n = in.read(b, off, len);
        if (n > 0) {
            received += n;
            if (intoBuffer) lim += n;
        }
        return n;
    }

    void close() {
        try {
            ch.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }
}
