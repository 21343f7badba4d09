package io.datasette.dclient.core.data;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.SocketTransport;
import io.datasette.dclient.testing.RecordedDatasette;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The page walk and its guards, in both modes, against small stubs. */
class PageWalkTest {
    @RegisterExtension
    static final RecordedDatasette server = RecordedDatasette.empty();

    static final String FIRST = "/db/t.json?_shape=objects";

    DatasetteClient client() {
        return new DatasetteClient(SocketTransport.fromEnv(Map.of()), server.baseUrl(), null, null, null, "test");
    }

    /** Both modes, following every page. */
    static Stream<String> modes() {
        return Stream.of("overlapped", "onDemand");
    }

    PageWalk walk(String mode, long limit) {
        return mode.equals("overlapped") ? PageWalk.overlapped(client(), FIRST, limit, true)
                : PageWalk.onDemand(client(), FIRST, limit);
    }

    /** Page {@code n} of /db/t.json (0 is the first, without _next) with one row, id n, linking to {@code next}. */
    void page(int n, String next) {
        var stub = get(urlPathEqualTo("/db/t.json"));
        stub = n == 0 ? stub.withQueryParam("_next", absent()) : stub.withQueryParam("_next", equalTo(String.valueOf(n)));
        server.stubFor(stub.willReturn(okJson("{\"ok\": true, \"next_url\": " + (next == null ? "null" : "\"" + next + "\"")
                + ", \"rows\": [{\"id\": " + n + "}]}")));
    }

    String url(int n) {
        return server.baseUrl() + "/db/t.json?_next=" + n;
    }

    int requests() {
        return server.findAll(anyRequestedFor(anyUrl())).size();
    }

    /** Walks to the end, collecting the ids; the error, if any, is returned with them. */
    static Object[] drain(PageWalk walk) {
        List<Long> ids = new ArrayList<>();
        try (walk) {
            for (PageWalk.Page p = walk.next(); p != null; p = walk.next()) {
                for (int i = 0; i < p.wanted(); i++) ids.add(p.rows().get(i).path("id").asLong());
            }
            return new Object[] {ids, null};
        } catch (DclientException e) {
            return new Object[] {ids, e};
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void followsEveryPage(String mode) {
        page(0, url(1));
        page(1, "/db/t.json?_next=2"); // relative: resolved against the page
        page(2, null);
        Object[] r = drain(walk(mode, 0));
        assertEquals(List.of(0L, 1L, 2L), r[0]);
        assertNull(r[1]);
        assertEquals(3, requests());
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aCycleBetweenTwoPagesEndsTheWalkWithAnError(String mode) {
        page(0, url(1));
        page(1, url(2));
        page(2, url(1));
        Object[] r = drain(walk(mode, 0));
        assertEquals(List.of(0L, 1L, 2L), r[0]);
        DclientException e = (DclientException) r[1];
        assertEquals("The server's next_url points back to a page fetched before (" + url(1)
                + "); not following it, to avoid a loop.\nStopped after 3 rows; the output is incomplete.", e.getMessage());
        assertEquals(DclientException.Kind.SERVER, e.kind());
        assertEquals(3, requests());
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aSelfLinkSaysSo(String mode) {
        page(0, url(1));
        page(1, url(1));
        Object[] r = drain(walk(mode, 0));
        assertEquals(List.of(0L, 1L), r[0]);
        assertEquals("The server's next_url is the page just fetched (" + url(1)
                + "); not following it, to avoid a loop.\nStopped after 2 rows; the output is incomplete.",
                ((DclientException) r[1]).getMessage());
        assertEquals(2, requests());
    }

    @ParameterizedTest
    @MethodSource("modes")
    void anotherOriginIsRefused(String mode) {
        page(0, "http://elsewhere.example:9/db/t.json?_next=1");
        Object[] r = drain(walk(mode, 0));
        assertEquals(List.of(0L), r[0]);
        String m = ((DclientException) r[1]).getMessage();
        assertTrue(m.startsWith("The server's next_url points to http://elsewhere.example:9, not to the instance "
                + server.baseUrl() + "; not following it"), m);
        assertTrue(m.endsWith("\nStopped after 1 rows; the output is incomplete."), m);
        assertEquals(1, requests());
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aLaterPageFailingSaysHowManyRowsCameBefore(String mode) {
        page(0, url(1));
        server.stubFor(get(urlPathEqualTo("/db/t.json")).withQueryParam("_next", equalTo("1"))
                .willReturn(aResponse().withStatus(500).withBody("<html>oops</html>")));
        Object[] r = drain(walk(mode, 0));
        assertEquals(List.of(0L), r[0]);
        DclientException e = (DclientException) r[1];
        assertEquals("HTTP 500 from " + url(1) + "\nPage 2 failed after 1 rows were written; the output is incomplete.",
                e.getMessage());
        assertEquals(DclientException.Kind.SERVER, e.kind(), "the kind of the failure is kept");
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aPageWithoutRowsIsAnError(String mode) {
        server.stubFor(get(anyUrl()).willReturn(okJson("{\"ok\": true}")));
        Object[] r = drain(walk(mode, 0));
        assertEquals("Unexpected response from " + server.baseUrl() + FIRST + ": it has no \"rows\" list",
                ((DclientException) r[1]).getMessage());
    }

    @ParameterizedTest
    @MethodSource("modes")
    void theLimitTrimsThePageAndEndsTheWalk(String mode) {
        server.stubFor(get(urlPathEqualTo("/db/t.json")).willReturn(okJson(
                "{\"ok\": true, \"next_url\": \"" + url(1) + "\", \"rows\": [{\"id\": 1}, {\"id\": 2}, {\"id\": 3}]}")));
        Object[] r = drain(walk(mode, 2));
        assertEquals(List.of(1L, 2L), r[0]);
        assertNull(r[1]);
        assertEquals(1, requests());
    }

    @Test
    void onDemandFetchesAPageOnlyWhenAskedFor() {
        page(0, url(1));
        page(1, url(2));
        page(2, null);
        try (PageWalk walk = PageWalk.onDemand(client(), FIRST, 0)) {
            assertEquals(0, requests(), "nothing before the first next()");
            walk.next();
            assertEquals(1, requests());
            walk.next();
            assertEquals(2, requests());
        }
        assertEquals(2, requests(), "closing fetches nothing more");
    }

    @Test
    void withoutAllOnlyTheFirstPageAndWhetherThereIsMore() {
        page(0, url(0)); // even a self-link is only reported, not followed
        try (PageWalk walk = PageWalk.overlapped(client(), FIRST, 0, false)) {
            assertEquals(1, walk.next().number());
            assertNull(walk.next());
            assertTrue(walk.moreAvailable());
        }
        assertEquals(1, requests());
    }

    @Test
    void closingAnOverlappedWalkStopsItsThreads() throws Exception {
        for (int i = 0; i < 20; i++) page(i, url(i + 1));
        page(20, null);
        PageWalk walk = PageWalk.overlapped(client(), FIRST, 0, true);
        walk.next();
        walk.close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && !walkThreads().isEmpty()) Thread.sleep(10);
        assertEquals(List.of(), walkThreads());
        assertTrue(requests() < 21, "the walk stopped fetching: " + requests());
    }

    static List<String> walkThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("dclient-rows-")).toList();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"ok\": true, \"next\": \"2\", \"next_url\": \"http://h/db/t.json?_next=2\", \"rows\": [{\"id\": 1}]}|http://h/db/t.json?_next=2",
        "{\"ok\": true, \"x\": {\"next_url\": \"no\"}, \"next_url\": \"/rel?_next=2\", \"rows\": []}|/rel?_next=2",
        "{\"ok\": true, \"next_url\": null, \"rows\": []}|",
        "{\"ok\": true, \"rows\": [{\"id\": 1}], \"next_url\": \"http://h/late\"}|",
        "[{\"id\": 1}]|",
        "<html>oops</html>|",
    })
    void theNextUrlIsReadFromTheHeadOfAPageOnlyWhenItComesBeforeTheRows(String body, String expected) {
        assertEquals(expected, PageWalk.peekNextUrl(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void tableQueryPathsKeepPythonDclientsOrder() {
        TableQuery q = TableQuery.of("my db", "a/b").withFilter("age", "eq", "3").withFilter("x", "gt", "1")
                .withSearch("dog").withSort("name", null).withPageSize(50L).withColumns(List.of("a"))
                .withoutColumns(List.of("b"));
        assertEquals("/my+db/a~2Fb.json?_shape=objects&age__exact=3&x__gt=1&_search=dog&_sort=name&_size=50&_col=a&_nocol=b",
                q.path());
        assertEquals("/d/t.json?_shape=objects", TableQuery.of("d", "t").withPageSize(0L).path());
    }

    /** Near or far, from how long a connection took to open: TCP for http://, the TLS handshake too for https://. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} ms, tls {1}: near {2}")
    @org.junit.jupiter.params.provider.CsvSource({"-1, false, false", "0, false, true", "2.9, false, true", "3, false, false",
            "40, false, false", "-1, true, false", "2.9, true, true", "8, true, true", "19.9, true, true", "20, true, false",
            "86, true, false"})
    void nearOrFar(double millis, boolean tls, boolean near) {
        long nanos = millis < 0 ? -1 : (long) (millis * 1_000_000);
        assertEquals(near, PageWalk.near(nanos, tls));
    }
}
