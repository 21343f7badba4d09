package io.datasette.dclient.core.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

final class GzipBody extends Transport.Body {
    private final Transport.Body raw;
    private InputStream gz;
    private long count;
    private boolean ended;

    GzipBody(Transport.Body raw) {
        this.raw = raw;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (ended) return -1;
        try {
            if (gz == null) {
                int first = raw.read();
                if (first < 0) { // an empty body: nothing to decode
                    ended = true;
                    return -1;
                }
                java.io.PushbackInputStream p = new java.io.PushbackInputStream(raw, 1);
                p.unread(first);
                gz = new GZIPInputStream(p, 8192);
            }
            int n = gz.read(b, off, len);
            if (n < 0) {
                ended = true;
                drain();
                return -1;
            }
            count += n;
            return n;
        } catch (ZipException e) {
            close();
            throw new IOException("its gzip data is corrupt (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            close();
            throw new EOFException("the gzip data ended early (" + e.getMessage() + ")");
        }
    }

    /** Reads what follows the gzip data (usually nothing but the framing's end) so the connection is kept. */
    private void drain() throws IOException {
        byte[] skip = new byte[4096];
        long n = 0;
        for (int r; (r = raw.read(skip)) >= 0; ) {
            n += r;
            if (n > SocketTransport.MAX_DRAIN) {
                raw.close();
                return;
            }
        }
    }

    @Override
    public int available() throws IOException {
        return ended ? 0 : raw.available();
    }

    @Override
    public void close() {
        raw.close();
        if (gz != null) {
            try {
                gz.close(); // frees the inflater
            } catch (IOException e) {
                // closing: nothing to do
            }
        }
    }
}

/**
 * One daemon thread that closes a connection whose write has not finished by its deadline
 * (reads have the socket's timeout; a write has none). It sleeps until the earliest deadline
 * of the writes in progress and is woken only when a new write ends sooner.
 */
