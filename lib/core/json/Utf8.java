package io.datasette.dclient.core.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 for JSON bodies. Jackson's parser reads some byte sequences that are not UTF-8 as
 * characters ({@code C0 AF}, an overlong form, as {@code /}); the JDK's decoder refuses them, so
 * a body is checked with it first. Such bytes are an error, not U+FFFD: a replacement would be
 * a value the server never sent, and {@code rows --all > backup.jsonl} would keep it without a
 * word; the error names where the bytes are so the row can be found and mended.
 */
public final class Utf8 {
    private Utf8() {}

    /** Bytes that are not UTF-8, with where they are. */
    public static final class NotUtf8 extends JsonParseException {
        NotUtf8(String message) {
            super((JsonParser) null, message);
        }
    }

    /** @throws NotUtf8 naming the first bytes that are not UTF-8: their offset and, in a page, the row */
    public static void check(byte[] body) throws NotUtf8 {
        int ascii = 0;
        while (ascii < body.length && body[ascii] >= 0) ascii++;
        if (ascii == body.length) return; // the usual page: a third of the decoder's time
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder(); // reports what it cannot decode
        ByteBuffer in = ByteBuffer.wrap(body, ascii, body.length - ascii);
        CharBuffer scratch = CharBuffer.allocate(Math.min(body.length + 1, 1 << 13));
        while (true) {
            CoderResult r = decoder.decode(in, scratch, true);
            if (r.isError()) throw notUtf8(body, in.position(), r.length());
            if (r.isUnderflow()) return;
            scratch.clear();
        }
    }

    private static NotUtf8 notUtf8(byte[] body, int at, int length) {
        int end = at + length;
        while (end < body.length && end < at + 4 && (body[end] & 0xc0) == 0x80) end++; // the bytes that went with it
        StringBuilder hex = new StringBuilder();
        for (int i = at; i < end; i++) hex.append(i > at ? " " : "").append(String.format("%02X", body[i] & 0xff));
        int row = row(body, at);
        return new NotUtf8("bytes that are not UTF-8 (" + hex + " at byte " + at + (row < 0 ? "" : ", in row " + (row + 1)) + ")");
    }

    /** Which element of the top-level {@code "rows"} list holds byte {@code at} (0 for the first), or -1. */
    private static int row(byte[] body, int at) {
        int row = -1;
        boolean inRows = false;
        try (JsonParser p = Json.factory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                inRows = p.nextToken() == JsonToken.START_ARRAY && name.equals("rows");
                if (!inRows) {
                    p.skipChildren();
                } else {
                    while (p.nextToken() != JsonToken.END_ARRAY && p.currentTokenLocation().getByteOffset() <= at) {
                        row++;
                        p.skipChildren();
                        if (p.currentLocation().getByteOffset() > at) return row;
                    }
                    inRows = false;
                }
                if (p.currentLocation().getByteOffset() > at) return -1;
            }
        } catch (IOException e) {
            return inRows ? row : -1; // Jackson refused the bytes inside this row
        }
        return -1;
    }
}
