package io.datasette.dclient.core.write;

import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.DclientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * An opened input for insert/upsert: a decoding reader (errors reported, never replaced; a
 * leading byte-order mark dropped), the format (given or detected), and where in the file a
 * position in the decoded text is ({@link #bytesAt}), for the progress bar.
 */
public final class Input implements AutoCloseable {
    /** Characters looked at to detect the format. */
    private static final int PEEK = 8192;

    final Reader reader;
    public final InputFormat format;
    public final Charset charset;
    public final String name;
    /** A regular file (read in the calling thread); false for stdin, pipes and FIFOs. */
    public final boolean regularFile;
    /** The file size in bytes, or -1 when unknown. */
    public final long size;
    private final Decoding decoding;
    /** Characters decoded but not handed to the row readers (a byte-order mark). */
    private final int skipped;

    private Input(Decoding reader, InputFormat format, Charset charset, String name, boolean regularFile, long size,
            int skipped) {
        this.reader = reader;
        this.format = format;
        this.charset = charset;
        this.name = name;
        this.regularFile = regularFile;
        this.size = size;
        this.decoding = reader;
        this.skipped = skipped;
    }

    /**
     * About how many bytes of the input the first {@code chars} characters the row readers got
     * came from (-1 for a negative {@code chars}): exact for single-byte text, otherwise
     * estimated from the bytes per character decoded so far. Never more than the bytes decoded
     * so far. May be called from any thread.
     */
    public long bytesAt(long chars) {
        if (chars < 0) return -1;
        long[] done = decoding.progress();
        long decoded = done[0];
        long bytes = done[1];
        long at = chars + skipped;
        if (decoded <= 0) return 0;
        if (at >= decoded) return bytes;
        return (long) ((double) at * bytes / decoded);
    }

    /** Fails early (before any network) on stdin without a format, a missing file or a directory. */
    public static void check(String filepath, InputFormat explicit) {
        if (filepath.equals("-")) {
            if (explicit == null) {
                throw DclientException.usage("Reading from standard input needs an explicit format (CSV, TSV, JSON,"
                        + " newline-delimited JSON, lines or text): it cannot be detected from a name");
            }
            return;
        }
        Path path = Path.of(filepath);
        if (Files.isDirectory(path)) throw DclientException.usage("FILEPATH " + filepath + " is a directory, not a file");
        if (!Files.exists(path)) throw DclientException.usage("File not found: " + filepath);
        if (!Files.isReadable(path)) throw DclientException.usage("Cannot read " + filepath + ": permission denied");
    }

    /**
     * Opens {@code filepath} ({@code -} for stdin, which needs {@code explicit}); a null format
     * is detected. Returns an input with a null format when the file holds only white space.
     */
    public static Input open(String filepath, InputFormat explicit, String encoding, Context ctx) {
        Charset charset = charset(encoding);
        InputStream in;
        String name;
        boolean regular;
        long size = -1;
        check(filepath, explicit);
        if (filepath.equals("-")) {
            in = ctx.in();
            name = "standard input";
            regular = false;
        } else {
            Path path = Path.of(filepath);
            try {
                in = Files.newInputStream(path);
            } catch (NoSuchFileException e) {
                throw DclientException.usage("File not found: " + filepath);
            } catch (IOException e) {
                throw DclientException.usage("Cannot read " + filepath + ": " + e.getMessage());
            }
            name = filepath;
            regular = Files.isRegularFile(path);
            if (regular) {
                try {
                    size = Files.size(path);
                } catch (IOException e) {
                    size = -1;
                }
            }
        }
        Decoding reader = new Decoding(in, charset);
        InputFormat format = explicit;
        int start;
        try {
            // Peek: the whole window when the format must be detected, else just enough for a BOM.
            char[] buf = new char[format == null ? PEEK : 1];
            int n = 0;
            boolean undecodable = false;
            boolean whole = false;
            try {
                while (n < buf.length) {
                    int r = reader.read(buf, n, buf.length - n);
                    if (r < 0) {
                        whole = true;
                        break;
                    }
                    n += r;
                }
            } catch (CharacterCodingException e) {
                // look at the text before the bad bytes; the reader fails again when the rows get
                // there, so the error can name the line
                undecodable = true;
            }
            start = n > 0 && buf[0] == '\uFEFF' ? 1 : 0;
            if (format == null) {
                format = InputFormat.detect(name, java.util.Arrays.copyOfRange(buf, start, n), n - start, whole);
                if (format == null && undecodable) throw decodeError(name, charset, "line 1");
            }
            reader.unread(buf, start, n - start);
        } catch (IOException e) {
            closeQuietly(reader);
            throw new DclientException("Cannot read " + name + ": " + e.getMessage(), DclientException.Kind.INPUT, e);
        }
        return new Input(reader, format, charset, name, regular, size, start);
    }

    /** The error for input that is not valid in its encoding; {@code where} is e.g. "line 12". */
    static DclientException decodeError(String name, Charset charset, String where) {
        return new DclientException(name + (where == null ? "" : " (" + where + ")") + " is not valid "
                + charset.name() + " text.", DclientException.Kind.INPUT, null, new Advice.NameEncoding());
    }

    /** Python-style encoding names ({@code latin-1}, {@code utf-8-sig}, {@code cp1252}) and Java's own. */
    public static Charset charset(String name) {
        if (name == null || name.isBlank()) return StandardCharsets.UTF_8;
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (n) {
            case "utf-8", "utf8", "utf-8-sig", "utf8-sig", "u8":
                return StandardCharsets.UTF_8;
            case "latin-1", "latin1", "l1", "iso-8859-1", "iso8859-1", "8859":
                return StandardCharsets.ISO_8859_1;
            case "ascii", "us-ascii":
                return StandardCharsets.US_ASCII;
            case "utf-16", "utf16":
                return StandardCharsets.UTF_16;
            default:
                break;
        }
        for (String candidate : new String[] {name.trim(), n, n.replace("-", "")}) {
            try {
                return Charset.forName(candidate);
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                // try the next spelling
            }
        }
        throw DclientException.usage("Unknown encoding: " + name + " (for example utf-8, latin-1, cp1252, utf-16)");
    }

    @Override
    public void close() {
        closeQuietly(reader);
    }

    private static void closeQuietly(Reader r) {
        try {
            r.close();
        } catch (IOException e) {
            // nothing useful to do
        }
    }

    /**
     * Decodes strictly (bad bytes are an error, never replaced) but, unlike InputStreamReader,
     * first hands out every character before the bad bytes, so the parser reaches the line that
     * holds them before the error is thrown (and it is thrown again on every later read).
     */
    static final class Decoding extends Reader {
        private final InputStream in;
        private final CharsetDecoder decoder;
        private final ByteBuffer bytes = ByteBuffer.allocate(8192).flip();
        private boolean eof;
        private boolean flushed;
        private CharacterCodingException error;
        private char[] prefix = new char[0];
        private int prefixPos;
        /** Bytes read from the stream, characters decoded, and bytes those came from (under {@code this}). */
        private long bytesIn;
        private long decodedChars;
        private long decodedBytes;

        Decoding(InputStream in, Charset charset) {
            this.in = in;
            this.decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (prefixPos < prefix.length) { // peeked text first, and only that in one call
                int n = Math.min(len, prefix.length - prefixPos);
                System.arraycopy(prefix, prefixPos, buf, off, n);
                prefixPos += n;
                return n;
            }
            if (error != null) throw error;
            if (flushed) return -1;
            int n = decode(buf, off, len);
            if (n > 0) {
                synchronized (this) {
                    decodedChars += n;
                    decodedBytes = bytesIn - bytes.remaining();
                }
            }
            return n;
        }

        /** Characters decoded so far and the bytes they came from, as one snapshot. */
        synchronized long[] progress() {
            return new long[] {decodedChars, decodedBytes};
        }

        private int decode(char[] buf, int off, int len) throws IOException {
            CharBuffer out = CharBuffer.wrap(buf, off, len);
            while (true) {
                CoderResult cr = decoder.decode(bytes, out, eof);
                if (cr.isError()) {
                    try {
                        cr.throwException();
                    } catch (CharacterCodingException e) {
                        error = e;
                    }
                    if (out.position() > off) return out.position() - off;
                    throw error;
                }
                if (cr.isOverflow()) return out.position() - off;
                // underflow: everything available is decoded
                if (eof) {
                    if (!flushed) {
                        decoder.flush(out);
                        flushed = true;
                    }
                    return out.position() > off ? out.position() - off : -1;
                }
                if (out.position() > off) return out.position() - off; // don't block with text in hand
                bytes.compact();
                int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                if (n < 0) {
                    eof = true;
                } else {
                    bytes.position(bytes.position() + n);
                    bytesIn += n;
                }
                bytes.flip();
            }
        }

        /** Puts peeked text back, to be read again before anything else. */
        void unread(char[] buf, int off, int len) {
            prefix = java.util.Arrays.copyOfRange(buf, off, off + len);
            prefixPos = 0;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
