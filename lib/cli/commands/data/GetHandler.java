package io.datasette.dclient.cli.commands.data;

import io.datasette.dclient.cli.Connections;

import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.session.Session;
import java.nio.charset.StandardCharsets;

/** {@code get PATH}: an authenticated GET; JSON is pretty-printed, anything else printed as is. */
public final class GetHandler implements Handler {
    private static final String HEX = "0123456789ABCDEF";
    private static final String KEEP = "-._~:/?#[]@!$&'()*+,;=";

    @Override
    public int run(Invocation inv, Context ctx) {
        String path = relativePath(inv.string("path"));
        Session.Connection conn = Connections.open(inv, ctx);
        conn.client().stream(path, ctx.outStream()); // as it arrives: JSON pretty-printed, anything else as is
        return 0;
    }

    /**
     * The PATH as a request path: a leading slash added, and characters a URL cannot hold
     * (spaces, quotes, non-ASCII...) percent-encoded, so {@code get "/db/-/query.json?sql=select 1"}
     * works as typed. Existing {@code %XX} escapes are kept.
     */
    static String relativePath(String path) {
        if (path.matches("(?s)[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            throw DclientException.usage("PATH is relative to the instance, e.g. /-/plugins.json; use -i to pick the instance");
        }
        String p = path.startsWith("/") ? path : "/" + path;
        StringBuilder sb = new StringBuilder(p.length() + 16);
        byte[] bytes = p.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            boolean escape = c == '%' && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2]);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || (c < 0x80 && KEEP.indexOf(c) >= 0) || escape) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
            }
        }
        return sb.toString();
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'F') || (b >= 'a' && b <= 'f');
    }
}
