package io.datasette.dclient.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.SocketTransport;
import io.datasette.dclient.core.http.Response;
import io.datasette.dclient.testing.FakeTable;
import io.datasette.dclient.testing.HostileServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When a walk is split ({@link KeyRangeWalk#plan}), and how much a split walk holds for a slow writer. */
class KeyRangeWalkTest {
    static DatasetteClient client(String base) {
        return new DatasetteClient(SocketTransport.fromEnv(Map.of()), base, null, null, null, "test");
    }

    static final String INT_KEY = "{\"is_view\": false, \"primary_keys\": [\"id\"], \"column_details\": {\"id\": {\"sqlite_type\": \"INTEGER\"}}}";

    /** A page of rows with these ids (a JSON list's items, "null" or "\"x\"" for other keys). */
    static PageWalk.Content page(String key, String ids) {
        StringBuilder rows = new StringBuilder();
        String[] each = ids.split(" ");
        for (int i = 0; i < each.length; i++) rows.append(i > 0 ? ", " : "").append("{\"").append(key).append("\": ").append(each[i]).append('}');
        byte[] body = ("{\"ok\": true, \"rows\": [" + rows + "]}").getBytes(StandardCharsets.UTF_8);
        return PageWalk.Content.of(client("http://h"), new Response(200, "application/json", body, URI.create("http://h/db/t.json")),
                URI.create("http://h/db/t.json"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            an integer key, the server's order     | INT   | id    | 1 2 3       | ?_next=3                    | -         | id asc
            sorted by the key                      | INT   | id    | 1 2 3       | ?_sort=id&_next=3%2C3       | _sort=id  | id asc
            sorted by the key, descending          | INT   | id    | 9 8 7       | ?_sort_desc=id&_next=7%2C7  | _sort_desc=id | id desc
            negative keys                          | INT   | id    | -9 -5 -1    | ?_next=-1                   | -         | id asc
            a rowid table                          | ROWID | rowid | 1 2 3       | ?_next=3                    | -         | rowid asc
            a rowid table sorted by rowid, descending | ROWID | rowid | 3 2 1    | ?_sort_desc=rowid&_next=1%2C1 | _sort_desc=rowid | rowid desc
            another sort                           | INT   | id    | 1 2 3       | ?_sort=name&_next=x%2C3     | _sort=name | -
            the table's default sort (in next_url) | INT   | id    | 1 2 3       | ?_sort=name&_next=x%2C3     | -         | -
            a view (even with a rowid column)      | VIEW  | rowid | 1 2 3       | ?_next=3                    | -         | -
            a compound key                         | PAIR  | id    | 1 2 3       | ?_next=3                    | -         | -
            a text key                             | TEXT  | id    | 1 2 3       | ?_next=3                    | -         | -
            no description (an older server)       | NONE  | id    | 1 2 3       | ?_next=3                    | -         | -
            keys that are not integers             | INT   | id    | 1 2 3.5     | ?_next=3.5                  | -         | -
            a null key                             | INT   | id    | null null   | ?_next=x                    | -         | -
            keys out of order                      | INT   | id    | 5 4 3       | ?_next=3                    | -         | -
            """)
    void whenAWalkIsSplit(String name, String table, String key, String ids, String next, String sort, String expected) throws Exception {
        String info = switch (table) {
            case "INT" -> INT_KEY;
            case "ROWID" -> "{\"is_view\": false, \"primary_keys\": [], \"column_details\": {}}";
            case "VIEW" -> "{\"is_view\": true, \"primary_keys\": [], \"column_details\": {}}";
            case "PAIR" -> "{\"is_view\": false, \"primary_keys\": [\"id\", \"b\"], \"column_details\": {\"id\": {\"sqlite_type\": \"INTEGER\"}}}";
            case "TEXT" -> "{\"is_view\": false, \"primary_keys\": [\"id\"], \"column_details\": {\"id\": {\"sqlite_type\": \"TEXT\"}}}";
            default -> null;
        };
        TableQuery q = TableQuery.of("db", "t");
        if (sort != null) {
            String[] kv = sort.split("=");
            q = kv[0].equals("_sort") ? q.withSort(kv[1], null) : q.withSort(null, kv[1]);
        }
        KeyRangeWalk.Plan plan = KeyRangeWalk.plan(q, info == null ? null : Json.parse(info), page(key, ids),
                URI.create("http://h/db/t.json" + next));
        if (expected == null) {
            assertNull(plan, "walked one page after another");
        } else {
            assertNotNull(plan, "split");
            assertEquals(expected, plan.key() + (plan.descending() ? " desc" : " asc"));
        }
    }

    @Test
    void aSlowWriterHoldsAtMostTheBudgetOfPages() throws Exception {
        FakeTable t = FakeTable.range(1, 20_000);
        try (HostileServer s = t.start()) {
            TableQuery q = TableQuery.of("db", "t").withPageSize(100L);
            List<Long> ids = new ArrayList<>();
            KeyRangeWalk ranges = null;
            try (PageWalk walk = PageWalk.overlapped(client(s.baseUrl()), q, 0, true, 4)) {
                for (PageWalk.Page p = walk.next(); p != null; p = walk.next()) {
                    for (int i = 0; i < p.wanted(); i++) ids.add(p.rows().get(i).path("id").asLong());
                    ranges = walk.keyRanges();
                    if (ranges == null) continue;
                    // the writer is as slow as can be: nothing is taken until every worker waits
                    ranges.awaitQuiet();
                    assertTrue(ranges.maxHeld() <= ranges.heldLimit(), ranges.maxHeld() + " pages held");
                    assertTrue(ranges.requests() <= walk.pages() - 2 + ranges.heldLimit() + 1 + 4,
                            ranges.requests() + " requests for " + walk.pages() + " pages taken");
                }
            }
            assertNotNull(ranges, "the walk was split");
            assertTrue(ranges.maxHeld() >= ranges.heldLimit() - 1, "workers fill the room before they wait: " + ranges.maxHeld());
            assertEquals(20_000, ids.size());
            for (int i = 0; i < ids.size(); i++) assertEquals(i + 1, ids.get(i));
        }
    }

    @Test
    void aFastWriterGetsEveryRowForFewExtraRequests() throws Exception {
        FakeTable t = FakeTable.range(1, 20_000);
        try (HostileServer s = t.start()) {
            try (PageWalk walk = PageWalk.overlapped(client(s.baseUrl()), TableQuery.of("db", "t").withPageSize(100L), 0, true, 4)) {
                long rows = 0;
                for (PageWalk.Page p = walk.next(); p != null; p = walk.next()) rows += p.wanted();
                assertEquals(20_000, rows);
                assertTrue(walk.keyRanges().maxHeld() <= walk.keyRanges().heldLimit());
                // 200 pages, the table's description and its last key: splits cost no extra request
                assertTrue(t.targets().size() <= 200 + 2 + 8, t.targets().size() + " requests");
            }
        }
    }
}
