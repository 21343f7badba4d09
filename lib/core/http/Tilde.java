package io.datasette.dclient.core.http;

import java.nio.charset.StandardCharsets;

/**
 * Datasette's tilde-encoding for database, table and row names in URL paths: keep
 * {@code A-Za-z0-9_-}, space becomes {@code +}, every other UTF-8 byte becomes {@code ~XX}.
 * Percent-encoding does not work there: Datasette redirects it and swallows the {@code .json}.
 */
public final class Tilde {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Tilde() {}

    public static String encode(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 8);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                sb.append((char) c);
            } else if (c == ' ') {
                sb.append('+');
            } else {
                sb.append('~').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }
}
