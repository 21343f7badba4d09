package io.datasette.dclient.testing;

import io.datasette.dclient.testing.HostileServer.Reply;
import io.datasette.dclient.testing.HostileServer.Request;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.LongStream;

/**
 * One Datasette table, answered as Datasette 1.0 pages it, for a {@link HostileServer}: keyset
 * pages ({@code _size}, {@code _next}, an absolute {@code next_url} that keeps every argument),
 * {@code _sort}/{@code _sort_desc} by the key or by {@code name}, range filters on the key
 * ({@code gt}, {@code gte}, {@code lt}, {@code lte}, {@code isnull}, {@code notnull}),
 * {@code cat__exact}, and the extras a split asks for ({@code primary_keys},
 * {@code column_details}, {@code is_view}). Rows are {@code {"id": k, "name": "Row k", "cat":
 * "c<k%3>", "value": ...}} for the keys given (or {@code rowid} first, for a rowid table). Every
 * request is kept; {@link #override} answers chosen requests differently (failures, stalls, lies).
 */
public final class FakeTable implements HostileServer.Handler {
    private final long[] keys;
    private String key = "id";
    private boolean rowid;
    private String keyType = "INTEGER";
    private List<String> pks = List.of("id");
    private boolean view;
    private String defaultSort;
    private boolean knowsExtras = true;
    private String base;
    private volatile Function<Request, Reply> override = r -> null;
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    private FakeTable(long[] keys) {
        this.keys = keys.clone();
        Arrays.sort(this.keys);
    }

    /** A table with these keys (any order, no duplicates). */
    public static FakeTable of(long... keys) {
        return new FakeTable(keys);
    }

    /** Keys {@code from..to}, both included. */
    public static FakeTable range(long from, long to) {
        return new FakeTable(LongStream.rangeClosed(from, to).toArray());
    }

    /** Keys as given, each run {@code [a, b]} of the pairs included. */
    public static FakeTable runs(long... pairs) {
        LongStream s = LongStream.empty();
        for (int i = 0; i < pairs.length; i += 2) s = LongStream.concat(s, LongStream.rangeClosed(pairs[i], pairs[i + 1]));
        return new FakeTable(s.toArray());
    }

    /** A table without a declared key: rows keyed by {@code rowid}. */
    public FakeTable rowid() {
        rowid = true;
        key = "rowid";
        pks = List.of();
        return this;
    }

    /** The declared type of the key column ({@code sqlite_type}: TEXT, BLOB...). */
    public FakeTable keyType(String type) {
        keyType = type;
        return this;
    }

    /** The primary keys the server reports (the rows are still keyed by id). */
    public FakeTable primaryKeys(String... names) {
        pks = List.of(names);
        return this;
    }

    /** A view: {@code is_view} true, no primary keys. */
    public FakeTable view() {
        view = true;
        pks = List.of();
        return this;
    }

    /** The table's configured default sort (by {@code name}): pages without a sort use it. */
    public FakeTable defaultSortByName() {
        defaultSort = "name";
        return this;
    }

    /** An older server: any {@code _extra} is a 400. */
    public FakeTable withoutExtras() {
        knowsExtras = false;
        return this;
    }

    /** Answers the requests {@code f} picks (non-null) its way instead. */
    public FakeTable override(Function<Request, Reply> f) {
        override = f;
        return this;
    }

    /** Serves this table at {@code /db/t.json} on a new server. */
    public HostileServer start() {
        HostileServer s = HostileServer.start(this);
        base = s.baseUrl();
        return s;
    }

    /** Every request's path and query, in arrival order. */
    public List<String> targets() {
        return List.copyOf(targets);
    }

    /** The most requests answered at the same time. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Whether some request carried a range filter on the key (the walk was split). */
    public boolean wasSplit() {
        return targets.stream().anyMatch(t -> t.contains(key + "__gte=") || t.contains(key + "__lte="));
    }

    /** The table's keys, ascending. */
    public long[] keys() {
        return keys.clone();
    }

    @Override
    public Reply respond(Request request) throws Exception {
        targets.add(request.target());
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            Reply r = override.apply(request);
            if (r != null) return r;
            return page(request);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private record Arg(String name, String value, String raw) {}

    private Reply page(Request request) {
        if (!request.path().equals("/db/t.json")) return Reply.json(404, "{\"ok\": false, \"error\": \"Not found\", \"status\": 404}");
        List<Arg> args = new ArrayList<>();
        for (String raw : request.query().split("&")) {
            if (raw.isEmpty()) continue;
            int eq = raw.indexOf('=');
            args.add(new Arg(decode(eq < 0 ? raw : raw.substring(0, eq)), eq < 0 ? "" : decode(raw.substring(eq + 1)), raw));
        }
        int size = 100;
        String next = null;
        String sort = null;
        String sortDesc = null;
        List<String> extras = new ArrayList<>();
        long lo = Long.MIN_VALUE; // keys in [lo, hi], as the filters on the key leave them
        long hi = Long.MAX_VALUE;
        boolean none = false;
        String cat = null;
        for (Arg a : args) {
            switch (a.name) {
                case "_size" -> size = a.value.equals("max") ? 1000 : Integer.parseInt(a.value);
                case "_next" -> next = a.value;
                case "_sort" -> sort = a.value;
                case "_sort_desc" -> sortDesc = a.value;
                case "_extra" -> extras.addAll(List.of(a.value.split(",")));
                case "_shape", "_search", "_col", "_nocol" -> { }
                default -> {
                    int sep = a.name.indexOf("__");
                    if (sep < 0) continue;
                    String col = a.name.substring(0, sep);
                    String op = a.name.substring(sep + 2);
                    if (col.equals(key)) {
                        switch (op) {
                            case "isnull" -> none = true;
                            case "notnull" -> { }
                            case "gt" -> lo = Math.max(lo, Long.parseLong(a.value) + 1);
                            case "gte" -> lo = Math.max(lo, Long.parseLong(a.value));
                            case "lt" -> hi = Math.min(hi, Long.parseLong(a.value) - 1);
                            case "lte" -> hi = Math.min(hi, Long.parseLong(a.value));
                            default -> throw new IllegalArgumentException(op);
                        }
                    } else if (col.equals("cat") && op.equals("exact")) {
                        cat = a.value;
                    } else {
                        return Reply.json(400, "{\"ok\": false, \"error\": \"bad filter " + a.name + "\", \"status\": 400}");
                    }
                }
            }
        }
        if (!extras.isEmpty() && !knowsExtras) {
            return Reply.json(400, "{\"ok\": false, \"error\": \"Unknown _extra: " + extras.get(0) + "\", \"status\": 400}");
        }
        boolean implied = sort == null && sortDesc == null && defaultSort != null;
        if (implied) sort = defaultSort;
        String by = sort != null ? sort : sortDesc;
        boolean desc = sortDesc != null;
        Long after = next == null ? null : Long.parseLong(next.substring(next.lastIndexOf(',') + 1));
        List<Long> page = new ArrayList<>();
        boolean more = false;
        if (!none && (by == null || by.equals(key))) {
            // in key order: from the bounds, without looking at the other keys
            if (after != null) {
                if (desc) hi = Math.min(hi, after - 1);
                else lo = Math.max(lo, after + 1);
            }
            int from = lowerBound(lo);
            int to = hi == Long.MAX_VALUE ? keys.length : lowerBound(hi + 1);
            for (int i = desc ? to - 1 : from; desc ? i >= from : i < to; i += desc ? -1 : 1) {
                if (cat != null && !cat(keys[i]).equals(cat)) continue;
                if (page.size() == size) {
                    more = true;
                    break;
                }
                page.add(keys[i]);
            }
        } else if (!none) {
            List<Long> rows = new ArrayList<>();
            for (long k : keys) if (k >= lo && k <= hi && (cat == null || cat(k).equals(cat))) rows.add(k);
            Comparator<Long> order = Comparator.comparing(FakeTable::name);
            if (desc) order = order.reversed();
            rows.sort(order);
            if (after != null) rows = new ArrayList<>(rows.subList(rows.indexOf(after) + 1, rows.size()));
            more = size > 0 && rows.size() > size;
            page = rows.subList(0, Math.min(size, rows.size()));
        }
        if (size == 0) more = false;
        StringBuilder sb = new StringBuilder("{\"ok\": true, ");
        if (more) {
            long last = page.get(page.size() - 1);
            String token = by != null ? (by.equals("name") ? name(last).replace(" ", "~20") : String.valueOf(last)) + "," + last
                    : String.valueOf(last);
            StringBuilder url = new StringBuilder(base).append(request.path()).append('?');
            boolean firstArg = true;
            for (Arg a : args) {
                if (a.name.equals("_next")) continue;
                if (!firstArg) url.append('&');
                url.append(a.raw);
                firstArg = false;
            }
            if (implied) url.append("&_sort=").append(defaultSort);
            url.append("&_next=").append(token.replace(",", "%2C"));
            sb.append("\"next\": \"").append(token).append("\", \"next_url\": \"").append(url).append("\", ");
        } else {
            sb.append("\"next\": null, \"next_url\": null, ");
        }
        if (extras.contains("column_details")) {
            sb.append("\"column_details\": {\"").append(rowid ? "name" : "id").append("\": {\"type\": \"").append(keyType)
                    .append("\", \"sqlite_type\": \"").append(keyType).append("\"}}, ");
        }
        if (extras.contains("is_view")) sb.append("\"is_view\": ").append(view).append(", ");
        if (extras.contains("primary_keys")) {
            sb.append("\"primary_keys\": [");
            for (int i = 0; i < pks.size(); i++) sb.append(i > 0 ? ", " : "").append('"').append(pks.get(i)).append('"');
            sb.append("], ");
        }
        sb.append("\"rows\": [");
        for (int i = 0; i < page.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(row(page.get(i)));
        }
        sb.append("], \"truncated\": false}");
        return Reply.json(200, sb.toString());
    }

    /** Row {@code k} as the server sends it. */
    public String row(long k) {
        return "{\"" + key + "\": " + k + ", \"name\": \"Row " + k + "\", \"cat\": \"" + cat(k) + "\", \"value\": "
                + (k % 7 == 0 ? "null" : (k % 1000) + ".5") + ", \"note\": \"" + (k % 11 == 0 ? "a,\\\"b\\\"\\n\\tc" : "é")
                + "\"}";
    }

    static String name(long k) {
        return "Row " + k;
    }

    static String cat(long k) {
        return "c" + Math.floorMod(k, 3);
    }

    /** The index of the first key at or above {@code k}. */
    private int lowerBound(long k) {
        int i = Arrays.binarySearch(keys, k);
        return i >= 0 ? i : -i - 1;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Whether the request's query has this argument (name=value, raw). */
    public static boolean has(Request r, String arg) {
        return Set.of(r.query().split("&")).contains(arg);
    }
}
