package io.datasette.dclient.core.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An ordered query string builder (repeated keys allowed, order kept as given). */
public final class Query {
    private final List<String[]> pairs = new ArrayList<>();

    public static Query of() {
        return new Query();
    }

    public Query add(String key, Object value) {
        if (value != null) pairs.add(new String[] {key, value.toString()});
        return this;
    }

    public boolean isEmpty() {
        return pairs.isEmpty();
    }

    /** {@code ?a=1&b=2}, or the empty string. */
    @Override
    public String toString() {
        if (pairs.isEmpty()) return "";
        StringBuilder sb = new StringBuilder("?");
        for (String[] p : pairs) {
            if (sb.length() > 1) sb.append('&');
            sb.append(encode(p[0])).append('=').append(encode(p[1]));
        }
        return sb.toString();
    }

    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
