package io.datasette.dclient.core.data;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.SocketTransport;
import io.datasette.dclient.testing.RecordedDatasette;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Databases, tables, schema and plugins: endpoints, fallbacks and response shapes. */
class CatalogTest {
    @RegisterExtension
    static final RecordedDatasette server = RecordedDatasette.empty();
    @RegisterExtension
    static final RecordedDatasette recorded = RecordedDatasette.recordings();

    static DatasetteClient client(RecordedDatasette s) {
        return new DatasetteClient(SocketTransport.fromEnv(Map.of()), s.baseUrl(), null, null, null, "test");
    }

    List<String> paths() {
        List<LoggedRequest> all = new ArrayList<>(server.findAll(anyRequestedFor(anyUrl())));
        all.sort((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()));
        return all.stream().map(LoggedRequest::getUrl).toList();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"ok\": true, \"databases\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}|a,b",
        "{\"databases\": {\"a\": {\"name\": \"a\"}, \"b\": {}}}|a,b",
        "{\"ok\": true, \"a\": {\"hash\": null}, \"b\": {\"name\": \"b\"}}|a,b",
        "[{\"name\": \"a\", \"is_mutable\": true}, \"b\"]|a,b",
        "{\"ok\": true}|",
    })
    void databaseNamesFromEveryShape(String body, String names) throws Exception {
        List<String> expected = names == null ? List.of() : List.of(names.split(","));
        assertEquals(expected, Catalog.names(Catalog.databaseEntries(Json.parse(body))));
    }

    @Test
    void eachListingFallsBackToTheOtherWhenItsRouteIsMissing() {
        server.stubFor(get(urlPathEqualTo("/-/databases.json")).willReturn(aResponse().withStatus(404)));
        server.stubFor(get(urlPathEqualTo("/.json")).willReturn(okJson("{\"databases\": [{\"name\": \"x\"}]}")));
        assertEquals(List.of("x"), Catalog.databaseNames(client(server), Catalog.Listing.ATTACHED));
        assertEquals(List.of("/-/databases.json", "/.json"), paths());

        server.resetAll();
        server.stubFor(get(urlPathEqualTo("/.json")).willReturn(aResponse().withStatus(404)));
        server.stubFor(get(urlPathEqualTo("/-/databases.json")).willReturn(okJson("[{\"name\": \"y\"}]")));
        assertEquals(List.of("y"), Catalog.databaseNames(client(server), Catalog.Listing.VISIBLE));
        assertEquals(List.of("/.json", "/-/databases.json"), paths());
    }

    @Test
    void aRefusalIsNotAMissingRoute() {
        server.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": false, \"error\": \"view-instance\"}")));
        DclientException e = assertThrows(DclientException.class, () -> Catalog.databases(client(server)));
        assertEquals("Permission denied: view-instance (HTTP 403). No token was sent; add one: dclient auth add test"
                + " (or dclient login test)", e.getMessage());
        assertEquals(DclientException.Kind.PERMISSION, e.kind());
        assertEquals(1, paths().size());
    }

    @Test
    void tablesHiddenAndViews() {
        DatasetteClient c = client(recorded);
        List<String> plain = Catalog.names(Catalog.tables(c, "fixtures", true, false, false).all());
        List<String> hidden = Catalog.names(Catalog.tables(c, "fixtures", true, true, false).all());
        Catalog.Tables viewsOnly = Catalog.tables(c, "fixtures", false, false, true);
        assertHas(plain, "dogs", true);
        assertHas(plain, "searchable_fts", false);
        assertHas(hidden, "searchable_fts", true);
        assertEquals(0, viewsOnly.tables().size());
        assertHas(Catalog.names(viewsOnly.views()), "simple_view", true);
    }

    private static void assertHas(List<String> names, String name, boolean expected) {
        assertEquals(expected, names.contains(name), names.toString());
    }

    @Test
    void schemaOfADatabaseAndATable() {
        DatasetteClient c = client(recorded);
        assertEquals("dogs", Catalog.schema(c, "fixtures", "dogs").path("table").asText());
        assertTrue(Catalog.schemaText(Catalog.schema(c, "fixtures", "dogs")).startsWith("CREATE TABLE dogs"));
        assertTrue(Catalog.schemaText(Catalog.schema(c, "fixtures", null)).contains("CREATE TABLE dogs"));
    }
}
