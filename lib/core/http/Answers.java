package io.datasette.dclient.core.http;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.util.Locale;

/**
 * How an HTTP/1.1 answer is read off a {@link Connection}: the head (interim 1xx answers such as
 * {@code 103 Early Hints} skipped), then the body as its framing says (a length, chunks with
 * their extensions and trailers, or up to the close), decoded when it is gzip.
 */
final class Answers {
    private Answers() {}

    static Transport.Answer read(Connection c, long headEnd, long deadline, long idleNanos) throws IOException {
        c.received = 0;
        int headBytes = 0;
        while (true) {
            String status = line(c, headEnd, deadline, true);
            headBytes += status.length() + 2;
            if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
                throw new IOException("the server's answer is not HTTP/1.1: " + status.substring(0, Math.min(40, status.length())));
            }
            int code = parseStatus(status);
            boolean http10 = status.charAt(7) == '0';
            String contentType = null;
            String location = null;
            String encoding = null;
            long length = -1;
            boolean chunked = false;
            boolean close = http10;
            while (true) {
                String h = line(c, headEnd, deadline, false);
                headBytes += h.length() + 2;
                if (headBytes > SocketTransport.MAX_HEAD) throw new IOException("the response headers are larger than " + SocketTransport.MAX_HEAD + " bytes");
                if (h.isEmpty()) break;
                int colon = h.indexOf(':');
                if (colon <= 0) continue;
                String name = h.substring(0, colon).trim();
                String value = h.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Type")) {
                    if (contentType == null) contentType = value;
                } else if (name.equalsIgnoreCase("Content-Length")) {
                    long n;
                    try {
                        n = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("bad Content-Length: " + value.substring(0, Math.min(40, value.length())));
                    }
                    if (n < 0 || (length >= 0 && n != length)) throw new IOException("bad Content-Length: " + value);
                    length = n;
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                    if (!chunked) close = true; // some other coding: read to the end
                } else if (name.equalsIgnoreCase("Content-Encoding")) {
                    String v = value.toLowerCase(Locale.ROOT);
                    encoding = encoding == null ? v : encoding + "," + v;
                } else if (name.equalsIgnoreCase("Connection")) {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (v.contains("close")) close = true;
                    else if (http10 && v.contains("keep-alive")) close = false;
                } else if (name.equalsIgnoreCase("Location")) {
                    if (location == null) location = value;
                }
            }
            if (code >= 100 && code < 200) {
                if (code == 101) throw new IOException("the server switched protocols");
                continue; // an interim answer (100 Continue, 103 Early Hints): the real one follows
            }
            Transport.Body body;
            if (code == 204 || code == 304) {
                body = new Framed(c, Framed.FIXED, 0, close, deadline, idleNanos);
                length = chunked ? -1 : length;
            } else if (chunked) {
                body = new Framed(c, Framed.CHUNKED, 0, close, deadline, idleNanos);
                length = -1;
            } else if (length >= 0) {
                body = new Framed(c, Framed.FIXED, length, close, deadline, idleNanos);
            } else {
                body = new Framed(c, Framed.TO_CLOSE, 0, true, deadline, idleNanos);
            }
            if (encoding != null && !encoding.equals("identity")) {
                if (!encoding.equals("gzip") && !encoding.equals("x-gzip")) {
                    body.close();
                    throw new IOException("the answer is encoded with " + encoding.substring(0, Math.min(40, encoding.length()))
                            + ", which was not asked for");
                }
                body = new GzipBody(body);
                length = -1;
            }
            return new Transport.Answer(code, contentType, location, length, body);
        }
    }

    static int parseStatus(String line) throws IOException {
        int code = 0;
        for (int i = 9; i < 12; i++) {
            char ch = line.charAt(i);
            if (ch < '0' || ch > '9') throw new IOException("bad HTTP status line: " + line.substring(0, Math.min(40, line.length())));
            code = code * 10 + (ch - '0');
        }
        return code;
    }

    /** One line of the head (CRLF or LF ended, without it), ISO-8859-1. */
    static String line(Connection c, long headEnd, long deadline, boolean first) throws IOException {
        int scanned = c.pos;
        while (true) {
            String s = c.takeLine(scanned);
            if (s != null) return s;
            if (c.lim - c.pos > SocketTransport.MAX_LINE) throw new IOException("a response header line is longer than " + SocketTransport.MAX_LINE + " bytes");
            int kept = c.lim - c.pos;
            int n;
            try {
                n = c.fill(headEnd, Long.MAX_VALUE);
            } catch (SocketTimeoutException e) {
                throw SocketTransport.headTimeout(headEnd, deadline);
            } catch (ClosedByInterruptException e) {
                throw e;
            } catch (IOException e) {
                if (c.reused && c.received == 0) throw new SocketTransport.Retry(e);
                throw e;
            }
            if (n < 0) {
                IOException eof = new EOFException(first && c.received == 0
                        ? "the server closed the connection without an answer" : "the server closed the connection in the headers");
                if (c.reused && c.received == 0) throw new SocketTransport.Retry(eof);
                throw eof;
            }
            scanned = c.pos + kept;
        }
    }

    /** A body as its framing says: a length, chunks, or up to the end of the connection. */
    static final class Framed extends Transport.Body {
        static final int FIXED = 0;
        static final int CHUNKED = 1;
        static final int TO_CLOSE = 2;

        private final Connection c;
        private final int mode;
        private final boolean close;
        private final long deadline;
        private final long idleNanos;
        /** FIXED: bytes left; CHUNKED: bytes left in this chunk (-1: the next size line is due). */
        private long left;
        private long count;
        private boolean ended;
        private boolean closed;

        Framed(Connection c, int mode, long length, boolean close, long deadline, long idleNanos) {
            this.c = c;
            this.mode = mode;
            this.close = close;
            this.deadline = deadline;
            this.idleNanos = idleNanos;
            this.left = mode == CHUNKED ? -1 : length;
            if (mode == FIXED && length == 0) end();
        }

        @Override
        public long count() {
            return count;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (ended) return -1;
            if (closed) throw new IOException("closed");
            try {
                int n = switch (mode) {
                    case FIXED -> readFixed(b, off, len);
                    case CHUNKED -> readChunked(b, off, len);
                    default -> readToClose(b, off, len);
                };
                if (n > 0) count += n;
                return n;
            } catch (SocketTimeoutException e) {
                close();
                throw new Transport.Timeout(System.nanoTime() - deadline >= 0 ? Transport.Timeout.Limit.TOTAL : Transport.Timeout.Limit.IDLE);
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public int available() {
            if (ended || closed) return 0;
            int buffered = c.lim - c.pos;
            return mode == CHUNKED ? (int) Math.min(buffered, Math.max(0, left)) : (int) Math.min(buffered, left < 0 ? buffered : left);
        }

        private int readFixed(byte[] b, int off, int len) throws IOException {
            int want = (int) Math.min(len, left);
            int n = copy(b, off, want);
            if (n < 0) throw new EOFException("the server closed the connection " + count + " bytes into the body");
            left -= n;
            if (left == 0) end();
            return n;
        }

        private int readToClose(byte[] b, int off, int len) throws IOException {
            int n = copy(b, off, len);
            if (n < 0) {
                end();
                return -1;
            }
            return n;
        }

        private int readChunked(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                if (left == 0) crlf(); // after a chunk's data
                long size = chunkSize();
                if (size == 0) {
                    while (!line().isEmpty()) {
                        // trailers: ignored
                    }
                    end();
                    return -1;
                }
                left = size;
            }
            int n = copy(b, off, (int) Math.min(len, left));
            if (n < 0) throw new EOFException("the server closed the connection in a chunk");
            left -= n;
            return n;
        }

        private void crlf() throws IOException {
            String s = line();
            if (!s.isEmpty()) throw new IOException("bad chunked encoding");
        }

        private long chunkSize() throws IOException {
            String s = line();
            int semi = s.indexOf(';'); // chunk extensions: ignored
            String hex = (semi >= 0 ? s.substring(0, semi) : s).trim();
            try {
                long size = Long.parseLong(hex, 16);
                if (size < 0) throw new NumberFormatException();
                return size;
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + hex.substring(0, Math.min(20, hex.length())));
            }
        }

        /** A line of the chunk framing. */
        private String line() throws IOException {
            int scanned = c.pos;
            while (true) {
                String s = c.takeLine(scanned);
                if (s != null) return s;
                if (c.lim - c.pos > SocketTransport.MAX_LINE) throw new IOException("a chunk header is longer than " + SocketTransport.MAX_LINE + " bytes");
                int kept = c.lim - c.pos;
                if (c.fill(deadline, idleNanos) < 0) throw new EOFException("the server closed the connection in the chunk framing");
                scanned = c.pos + kept;
            }
        }

        /** Up to {@code len} bytes from the buffer, else from the socket; -1 at the end of the stream. */
        private int copy(byte[] b, int off, int len) throws IOException {
            int buffered = c.lim - c.pos;
            if (buffered == 0) {
                if (len >= SocketTransport.BUFFER / 2) return c.read(b, off, len, deadline, idleNanos, false); // large reads skip the buffer
                if (c.fill(deadline, idleNanos) < 0) return -1;
                buffered = c.lim - c.pos;
            }
            int n = Math.min(len, buffered);
            System.arraycopy(c.buf, c.pos, b, off, n);
            c.pos += n;
            return n;
        }

        /** The body is over: the connection goes back to the pool, or is closed. */
        private void end() {
            if (ended) return;
            ended = true;
            if (!close && c.pos == c.lim && c.ch.isOpen()) {
                c.pos = 0;
                c.lim = 0;
                c.owner.release(c);
            } else {
                c.close();
            }
        }

        @Override
        public void close() {
            if (ended || closed) return;
            closed = true;
            c.close(); // dropped, not drained
        }
    }

    /**
     * A gzip body decoded as it is read. Limits on what is read apply to the decoded bytes (the
     * caller counts those), so a small body that inflates to gigabytes is refused like a large
     * one. At the end of the gzip data the rest of the framing is read, so the connection can be
     * reused.
     */
}
