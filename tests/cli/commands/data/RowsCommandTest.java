package io.datasette.dclient.cli.commands.data;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.cli.Main;
import io.datasette.dclient.core.io.Terminal;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
import io.datasette.dclient.testing.Recordings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code dclient rows} against the recorded Datasette pages and a few stubs of its own. */
class RowsCommandTest {
    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.recordings();
    @RegisterExtension
    static final RecordedDatasette empty = RecordedDatasette.empty();

    @TempDir
    Path dir;

    CliRunner.Result rows(WireMockServer server, String... args) {
        List<String> all = new ArrayList<>(List.of("rows", "-i", server.baseUrl()));
        all.addAll(List.of(args));
        return new CliRunner(dir).run(all.toArray(String[]::new));
    }

    /** The path and query of every request the server got, in order. */
    static List<String> urls(WireMockServer server) {
        List<LoggedRequest> all = new ArrayList<>(server.findAll(anyRequestedFor(anyUrl())));
        all.sort((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()));
        return all.stream().map(LoggedRequest::getUrl).collect(Collectors.toList());
    }

    static List<Long> ids(String nl) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (String line : nl.split("\n")) {
            if (!line.isEmpty()) ids.add(Json.parse(line).path("id").asLong());
        }
        return ids;
    }

    @Test
    void allFollowsNextUrlOverTheThreeRecordedPages() throws Exception {
        CliRunner.Result r = rows(wm, "fixtures", "dogs", "--size", "100", "--all", "--nl");
        assertEquals(0, r.exitCode(), r.toString());
        List<Long> ids = ids(r.out());
        assertEquals(300, ids.size());
        for (int i = 0; i < 300; i++) assertEquals(i + 1, ids.get(i));
        assertEquals(List.of(
                "/fixtures/dogs.json?_shape=objects&_size=100",
                "/fixtures/dogs.json?_shape=objects&_size=100&_next=100",
                "/fixtures/dogs.json?_shape=objects&_size=100&_next=200"), urls(wm));
        assertEquals("", r.err());
    }

    @Test
    void withoutAllOnlyTheFirstPageIsFetched() throws Exception {
        CliRunner.Result r = rows(wm, "fixtures", "dogs", "--size", "100", "--nl");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(100, ids(r.out()).size());
        assertEquals(1, urls(wm).size());
        assertEquals("", r.err(), "the 'more rows' hint is for terminals only");
    }

    @Test
    void aTerminalIsToldThatThereAreMoreRows() {
        Terminal tty = new Terminal() {
            public boolean stdinIsTerminal() {
                return true;
            }

            public boolean stderrIsTerminal() {
                return true;
            }

            public String readSecret(String prompt) {
                return null;
            }
        };
        CliRunner.Result r = new CliRunner(dir).terminal(tty)
                .run("rows", "-i", wm.baseUrl(), "fixtures", "dogs", "--size", "100", "--csv");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("(showing the first 100 rows; there are more: add --all)\n", r.err());
    }

    @Test
    void limitCapsTheTotalAcrossPagesAndStopsFetching() throws Exception {
        CliRunner.Result r = rows(wm, "fixtures", "dogs", "--size", "100", "--all", "--limit", "150", "--nl");
        assertEquals(0, r.exitCode(), r.toString());
        List<Long> ids = ids(r.out());
        assertEquals(150, ids.size());
        assertEquals(150L, ids.get(149));
        assertEquals(2, urls(wm).size(), "no third page is fetched once the limit is reached");
    }

    @Test
    void limitOfExactlyOnePageDoesNotFetchTheNext() throws Exception {
        CliRunner.Result r = rows(wm, "fixtures", "dogs", "--size", "100", "--all", "--limit", "100", "--nl");
        assertEquals(100, ids(r.out()).size());
        assertEquals(1, urls(wm).size());
    }

    @Test
    void limitWithoutAllTrimsTheFirstPage() throws Exception {
        CliRunner.Result r = rows(wm, "fixtures", "dogs", "--size", "100", "--limit", "7", "--nl");
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), ids(r.out()));
        assertEquals(1, urls(wm).size());
    }

    static Stream<Arguments> recordedQueries() {
        return Stream.of(
                Arguments.of(List.of("-f", "name", "eq", "Dog 42"),
                        "/fixtures/dogs.json?_shape=objects&name__exact=Dog+42", List.of(42L)),
                Arguments.of(List.of("-f", "name", "exact", "Dog 42"),
                        "/fixtures/dogs.json?_shape=objects&name__exact=Dog+42", List.of(42L)),
                Arguments.of(List.of("-f", "age", "gte", "14", "-f", "breed", "isnull", "1", "--size", "5"),
                        "/fixtures/dogs.json?_shape=objects&age__gte=14&breed__isnull=1&_size=5",
                        List.of(14L, 49L, 84L, 99L, 134L)),
                Arguments.of(List.of("--sort", "weight", "--size", "3"),
                        "/fixtures/dogs.json?_shape=objects&_sort=weight&_size=3", List.of(40L, 80L, 120L)),
                Arguments.of(List.of("--sort-desc", "age", "--size", "3"),
                        "/fixtures/dogs.json?_shape=objects&_sort_desc=age&_size=3", List.of(16L, 33L, 50L)),
                Arguments.of(List.of("--col", "name", "--col", "breed", "--size", "3"),
                        "/fixtures/dogs.json?_shape=objects&_size=3&_col=name&_col=breed", List.of(1L, 2L, 3L)),
                Arguments.of(List.of("-f", "nosuchcol", "eq", "1"),
                        "/fixtures/dogs.json?_shape=objects&nosuchcol__exact=1", List.of()));
    }

    @ParameterizedTest
    @MethodSource("recordedQueries")
    void optionsBecomeTheseExactQueryStrings(List<String> options, String url, List<Long> expectedIds) throws Exception {
        List<String> args = new ArrayList<>(List.of("fixtures", "dogs", "--nl"));
        args.addAll(options);
        CliRunner.Result r = rows(wm, args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of(url), urls(wm));
        assertEquals(expectedIds, ids(r.out()));
    }

    @Test
    void searchUsesTheSearchParameter() throws Exception {
        CliRunner.Result r = rows(wm, "fixtures", "searchable", "--search", "dog", "--csv");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("/fixtures/searchable.json?_shape=objects&_search=dog"), urls(wm));
        assertEquals("pk,text1,text2,name with . and spaces\r\n1,barry cat,terry dog,panther\r\n"
                + "2,terry dog,sara weasel,puma\r\n", r.out());
    }

    @Test
    void everyOptionInPythonDclientsOrderAndRepeatedFiltersAllSent() {
        empty.stubFor(get(anyUrl()).willReturn(okJson("{\"ok\": true, \"rows\": [], \"next_url\": null}")));
        CliRunner.Result r = rows(empty, "db", "t", "-f", "a", "eq", "1", "-f", "a", "gt", "2", "-f", "a", "gt", "5",
                "-f", "tags", "arraycontains", "x y", "--search", "q", "--sort", "s", "--sort-desc", "d", "--size", "10",
                "--col", "x", "--col", "z", "--nocol", "y", "--limit", "3");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("/db/t.json?_shape=objects&a__exact=1&a__gt=2&a__gt=5&tags__arraycontains=x+y&_search=q"
                + "&_sort=s&_sort_desc=d&_size=10&_col=x&_col=z&_nocol=y"), urls(empty));
        assertEquals("[]\n", r.out());
    }

    static final String OPERATOR_LIST = " Datasette's operators: exact (or eq), not, contains, notcontains, endswith,"
            + " startswith, gt, gte, lt, lte, like, notlike, glob, in, notin, arraycontains, arraynotcontains, date,"
            + " isnull, notnull, isblank, notblank. Datasette ignores an operator it does not know. To send one a plugin"
            + " adds, use --filter-raw COLUMN OP VALUE.";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "badop|",
        "gtr| Did you mean gt?",
        "GTE| Did you mean gte?",
        "contain| Did you mean contains?",
        "ge| Did you mean gte?",
        "!=| Did you mean not?",
        "startwith| Did you mean startswith?"})
    void anUnknownFilterOperatorIsAUsageErrorBeforeAnyRequest(String op, String suggestion) {
        CliRunner.Result r = rows(empty, "fixtures", "dogs", "-f", "name", "eq", "Cleo", "-f", "age", op, "3");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("Error: Unknown filter operator: " + op + " (column age)." + (suggestion == null ? "" : " " + suggestion)
                + OPERATOR_LIST + "\n", r.err());
        assertEquals("", r.out());
        assertEquals(List.of(), urls(empty));
    }

    @Test
    void filterRawSendsAnyOperatorAfterTheCheckedFilters() {
        empty.stubFor(get(anyUrl()).willReturn(okJson("{\"ok\": true, \"rows\": [], \"next_url\": null}")));
        CliRunner.Result r = rows(empty, "db", "t", "--filter-raw", "loc", "near", "1,2", "-f", "a", "gt", "2",
                "--filter-raw", "b", "badop", "x");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("/db/t.json?_shape=objects&a__gt=2&loc__near=1%2C2&b__badop=x"), urls(empty));
        assertEquals(2, rows(empty, "db", "t", "--filter-raw", "loc", "", "1").exitCode());
    }

    @Test
    void sizeZeroIsLeftOutAsInPython() {
        empty.stubFor(get(anyUrl()).willReturn(okJson("{\"ok\": true, \"rows\": []}")));
        CliRunner.Result r = rows(empty, "db", "t", "--size", "0");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("/db/t.json?_shape=objects"), urls(empty));
    }

    @Test
    void negativeSizeOrLimitIsAUsageError() {
        assertEquals(2, rows(empty, "db", "t", "--size", "-1").exitCode());
        assertEquals(2, rows(empty, "db", "t", "--limit", "-5").exitCode());
        assertEquals(List.of(), urls(empty));
    }

    @Test
    void namesAreTildeEncodedInThePath() {
        empty.stubFor(get(anyUrl()).willReturn(okJson("{\"ok\": true, \"rows\": []}")));
        assertEquals(0, rows(empty, "fixtures", "table/with/slashes.csv").exitCode());
        assertEquals(0, rows(empty, "my db", "Table With Space In Name").exitCode());
        assertEquals(0, rows(empty, "fixtures", "ü.x").exitCode());
        assertEquals(List.of("/fixtures/table~2Fwith~2Fslashes~2Ecsv.json?_shape=objects",
                "/my+db/Table+With+Space+In+Name.json?_shape=objects",
                "/fixtures/~C3~BC~2Ex.json?_shape=objects"), urls(empty));
    }

    static Stream<Arguments> formats() {
        return Stream.of(
                Arguments.of("--csv", "id,name,age,breed,weight,is_good\r\n42,Dog 42,8,Beagle,7.5,1\r\n"),
                Arguments.of("--tsv", "id\tname\tage\tbreed\tweight\tis_good\r\n42\tDog 42\t8\tBeagle\t7.5\t1\r\n"),
                Arguments.of("--nl", "{\"id\": 42, \"name\": \"Dog 42\", \"age\": 8, \"breed\": \"Beagle\", \"weight\": 7.5,"
                        + " \"is_good\": 1}\n"),
                Arguments.of("-t", "id  name    age  breed   weight  is_good\n--  ------  ---  ------  ------  -------\n"
                        + "42  Dog 42  8    Beagle  7.5     1\n"),
                Arguments.of("--json", "[\n  {\n    \"id\": 42,\n    \"name\": \"Dog 42\",\n    \"age\": 8,\n"
                        + "    \"breed\": \"Beagle\",\n    \"weight\": 7.5,\n    \"is_good\": 1\n  }\n]\n"));
    }

    @ParameterizedTest
    @MethodSource("formats")
    void outputFormats(String flag, String expected) {
        List<String> args = new ArrayList<>(List.of("fixtures", "dogs", "-f", "name", "eq", "Dog 42"));
        if (!flag.equals("--json")) args.add(flag);
        CliRunner.Result r = rows(wm, args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(expected, r.out());
    }

    @Test
    void floatsKeepTheirDecimalPoint() {
        // Dog 84 weighs 10.0: it must not come out as 1E+1
        CliRunner.Result r = rows(wm, "fixtures", "dogs", "-f", "age", "gte", "14", "-f", "breed", "isnull", "1",
                "--size", "5", "--csv");
        assertTrue(r.out().contains("\r\n84,Dog 84,16,,10.0,1\r\n"), r.toString());
    }

    @Test
    void missingTableIsAnErrorWithNothingOnStdout() {
        CliRunner.Result r = rows(wm, "fixtures", "no_such_table");
        assertEquals(1, r.exitCode());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("Error: Table not found in fixtures on " + wm.baseUrl() + ": no_such_table.\n"),
                r.err());
    }

    @Test
    void oneArgumentUsesTheDefaultDatabase() throws Exception {
        CliRunner.Result r = new CliRunner(dir).env("DATASETTE_URL", wm.baseUrl()).env("DATASETTE_DATABASE", "fixtures")
                .run("rows", "dogs", "--size", "100", "--nl");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(100, ids(r.out()).size());
        assertEquals(List.of("/fixtures/dogs.json?_shape=objects&_size=100"), urls(wm));
    }

    @Test
    void oneArgumentWithoutADefaultDatabaseSaysHowToSetOne() {
        CliRunner.Result r = rows(wm, "dogs");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("Error: No database specified. Use -d <name>"), r.err());
        assertEquals(List.of(), urls(wm));
    }

    @Test
    void aFailureOnALaterPageSaysHowManyRowsWereWritten() throws Exception {
        String base = empty.baseUrl();
        empty.stubFor(get(urlPathEqualTo("/db/t.json")).withQueryParam("_next", com.github.tomakehurst.wiremock.client.WireMock.absent())
                .willReturn(okJson("{\"ok\": true, \"rows\": [{\"id\": 1}, {\"id\": 2}], \"next_url\": \"" + base
                        + "/db/t.json?_next=2\"}")));
        empty.stubFor(get(urlPathEqualTo("/db/t.json")).withQueryParam("_next", com.github.tomakehurst.wiremock.client.WireMock.equalTo("2"))
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "text/html")
                        .withBody("<html><body>Internal Server Error</body></html>")));
        CliRunner.Result r = rows(empty, "db", "t", "--all");
        assertEquals(1, r.exitCode());
        // what was written is closed off as valid JSON
        JsonNode out = Json.parse(r.out());
        assertEquals(2, out.size());
        assertEquals("Error: HTTP 500 from " + base + "/db/t.json?_next=2\n"
                + "Page 2 failed after 2 rows were written; the output is incomplete.\n", r.err());
    }

    @Test
    void aNextUrlOnAnotherOriginIsNotFollowed() {
        empty.stubFor(get(urlPathEqualTo("/db/t.json")).willReturn(okJson(
                "{\"ok\": true, \"rows\": [{\"id\": 1}], \"next_url\": \"http://elsewhere.example:9/db/t.json?_next=1\"}")));
        CliRunner.Result r = new CliRunner(dir).run("rows", "-i", empty.baseUrl(), "db", "t", "--all", "--nl",
                "--token", "dstok_SECRET");
        assertEquals(1, r.exitCode());
        assertEquals("{\"id\": 1}\n", r.out());
        assertTrue(r.err().startsWith("Error: The server's next_url points to http://elsewhere.example:9, not to the instance "
                + empty.baseUrl() + "; not following it (the token is only sent to the instance)."), r.err());
        assertTrue(r.err().endsWith("\nStopped after 1 rows; the output is incomplete.\n"), r.err());
        assertFalse(r.err().contains("dstok_SECRET"));
        assertEquals(1, urls(empty).size());
    }

    @Test
    void aRelativeNextUrlIsResolvedAgainstThePage() throws Exception {
        empty.stubFor(get(urlPathEqualTo("/db/t.json")).withQueryParam("_next", com.github.tomakehurst.wiremock.client.WireMock.absent())
                .willReturn(okJson("{\"ok\": true, \"rows\": [{\"id\": 1}], \"next_url\": \"/db/t.json?_next=1\"}")));
        empty.stubFor(get(urlPathEqualTo("/db/t.json")).withQueryParam("_next", com.github.tomakehurst.wiremock.client.WireMock.equalTo("1"))
                .willReturn(okJson("{\"ok\": true, \"rows\": [{\"id\": 2}], \"next_url\": null}")));
        CliRunner.Result r = rows(empty, "db", "t", "--all", "--nl");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of(1L, 2L), ids(r.out()));
    }

    /** Walking every page asks for the largest pages; one page, or a chosen size, stays as asked. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --all            | /db/t.json?_shape=objects&_size=max
            --all --size 50  | /db/t.json?_shape=objects&_size=50
            --limit 5        | /db/t.json?_shape=objects
            --all --limit 5  | /db/t.json?_shape=objects&_size=max
            """)
    void everyPageMeansTheLargestPagesUnlessASizeIsGiven(String options, String firstUrl) {
        empty.stubFor(get(anyUrl()).willReturn(okJson("{\"ok\": true, \"rows\": [{\"id\": 1}], \"next_url\": null}")));
        List<String> args = new ArrayList<>(List.of("db", "t", "--nl"));
        args.addAll(List.of(options.split(" ")));
        CliRunner.Result r = rows(empty, args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of(firstUrl), urls(empty));
    }

    @Test
    void aNextUrlPointingBackAtTheSamePageStops() {
        empty.stubFor(get(anyUrl()).willReturn(okJson(
                "{\"ok\": true, \"rows\": [{\"id\": 1}], \"next_url\": \"" + empty.baseUrl() + "/db/t.json?_shape=objects&_size=max\"}")));
        CliRunner.Result r = rows(empty, "db", "t", "--all", "--nl");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("to avoid a loop"), r.err());
        assertEquals(1, urls(empty).size());
    }

    @Test
    void stopsFetchingWhenStdoutGoesAway() throws Exception {
        // an stdout that fails every write, like a closed pipe (| head)
        OutputStream closed = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        // A server of its own with ten pages. Pages are fetched ahead while earlier ones are
        // written, so a page or two may already be in flight when the pipe closes; the walk must
        // stop there instead of reading the whole table.
        WireMockServer own = Recordings.startEmpty();
        try {
            for (int i = 0; i < 10; i++) {
                String next = i < 9 ? "\"" + own.baseUrl() + "/fixtures/many.json?_next=" + (i + 1) + "\"" : "null";
                var stub = get(urlPathEqualTo("/fixtures/many.json"));
                stub = i == 0 ? stub.withQueryParam("_next", com.github.tomakehurst.wiremock.client.WireMock.absent())
                        : stub.withQueryParam("_next", com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                                String.valueOf(i)));
                own.stubFor(stub.willReturn(okJson("{\"ok\": true, \"rows\": [{\"id\": " + i + "}], \"next_url\": "
                        + next + "}")));
            }
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Context ctx = new CliRunner(dir).context(new PrintStream(closed, false, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(new String[] {"rows", "-i", own.baseUrl(), "fixtures", "many", "--all", "--nl"}, ctx);
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            int fetched = own.findAll(getRequestedFor(urlPathEqualTo("/fixtures/many.json"))).size();
            assertTrue(fetched <= 4, "pages after the pipe closed are not fetched: " + fetched + " of 10");
            assertEquals("", err.toString(StandardCharsets.UTF_8));
        } finally {
            own.stop();
        }
    }

    @Test
    void verboseLogsEachPageRequestOnStderrWithoutTheToken() {
        CliRunner.Result r = new CliRunner(dir).run("rows", "-i", wm.baseUrl(), "fixtures", "dogs", "--size", "100",
                "--all", "--limit", "150", "--nl", "-v", "--token", "dstok_ROOT");
        assertEquals(0, r.exitCode(), r.toString());
        long gets = Arrays.stream(r.err().split("\n")).filter(l -> l.startsWith("> GET ")).count();
        assertEquals(2, gets, r.err());
        assertFalse(r.err().contains("dstok_ROOT"));
        assertFalse(r.out().contains("> GET"));
    }

    @Test
    void tokenIsSentWithEveryPage() {
        CliRunner.Result r = rows(wm, "fixtures", "dogs", "--size", "100", "--all", "--nl", "--token", "dstok_ROOT");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(3, wm.findAll(getRequestedFor(urlPathEqualTo("/fixtures/dogs.json"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer dstok_ROOT")))
                .size());
    }
}
