package io.datasette.dclient.parity;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.datasette.dclient.api.Datasette;
import io.datasette.dclient.cli.ExitCodes;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.DclientException.Kind;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table of server scenarios, each run through both faces: the command line (in process)
 * and the Java library. A row passes when both give the same rows, or fail with the same facts
 * (each face wording its own advice: the command line's options and commands, the library's
 * methods), and that failure has the expected kind (the library's
 * {@link DclientException#kind()}, the command line's exit code for it), within a bounded number
 * of requests.
 */
class ParityTest {
    @RegisterExtension
    static final RecordedDatasette recorded = RecordedDatasette.recordings();
    @RegisterExtension
    static final RecordedDatasette stub = RecordedDatasette.empty();

    @TempDir
    Path dir;

    // ---- the table ------------------------------------------------------------------------------

    static Stream<Scenario> scenarios() {
        return Stream.of(
                // pagination
                recorded("three recorded pages of 100", rows("fixtures", "dogs", 100), null,
                        Expect.rows(r -> {
                            assertEquals(300, r.size());
                            assertEquals(IntStream.rangeClosed(1, 300).boxed().toList(),
                                    r.stream().map(n -> n.path("id").asInt()).toList());
                        }, 3)),
                stubbed("a relative next_url", s -> {
                    page(s, 0, "/db/t.json?_next=1");
                    page(s, 1, null);
                }, rows("db", "t", 100), null, Expect.rows(ids(0, 1), 2)),
                stubbed("a next_url cycle between two pages", s -> {
                    page(s, 0, s.baseUrl() + "/db/t.json?_next=1");
                    page(s, 1, s.baseUrl() + "/db/t.json?_next=2");
                    page(s, 2, s.baseUrl() + "/db/t.json?_next=1");
                }, rows("db", "t", 100), null, Expect.error(Kind.SERVER,
                        "The server's next_url points back to a page fetched before (%URL%/db/t.json?_next=1);"
                                + " not following it, to avoid a loop.\nStopped after 3 rows; the output is incomplete.", 3)),
                stubbed("a next_url on another origin", s -> page(s, 0, "http://elsewhere.example:9/db/t.json?_next=1"),
                        rows("db", "t", 100), "dstok_SECRET", Expect.error(Kind.SERVER,
                                "The server's next_url points to http://elsewhere.example:9, not to the instance %URL%;"
                                        + " not following it (the token is only sent to the instance). Check the instance URL,"
                                        + " or Datasette's base_url setting behind a proxy.\n"
                                        + "Stopped after 1 rows; the output is incomplete.", 1)),
                // the database list and its fallbacks
                recorded("the recorded database list", databases(), null, Expect.rows(names("fixtures", "other"), 1)),
                stubbed("/.json missing: /-/databases.json answers", s -> {
                    s.stubFor(get(urlPathEqualTo("/.json")).willReturn(aResponse().withStatus(404)));
                    s.stubFor(get(urlPathEqualTo("/-/databases.json")).willReturn(okJson("[{\"name\": \"a\"}, {\"name\": \"b\"}]")));
                }, databases(), null, Expect.rows(names("a", "b"), 2)),
                stubbed("/-/databases.json missing: falls back to /.json", s -> {
                    s.stubFor(get(urlPathEqualTo("/-/databases.json")).willReturn(aResponse().withStatus(404)
                            .withHeader("Content-Type", "text/html").withBody("<h1>Not found</h1>")));
                    s.stubFor(get(urlPathEqualTo("/.json")).willReturn(okJson("{\"x\": {\"name\": \"x\"}, \"y\": {}}")));
                }, databases(), null, Expect.rows(names("x", "y"), 2)),
                // refusals
                recorded("401: an expired token (actor)", actor(), "dstok_EXPIRED", Expect.advised(Kind.PERMISSION,
                        "Token has expired (HTTP 401 from %URL%).",
                        "The token sent was the one given with --token; it has expired. Pass a current token to --token"
                                + " (get one: dclient login %URL% --token-only), or leave --token out to use a stored token.",
                        "The token sent was the one given to Datasette.builder().token(...); it has expired. Pass a"
                                + " current token to Datasette.builder().token(...), or leave it unset to use a stored"
                                + " token.", 1)),
                stubbed("401 on a table page", s -> s.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"ok\": false, \"error\": \"Invalid token signature\", \"status\": 401}"))),
                        rows("db", "t", 100), "dstok_BAD", Expect.error(Kind.PERMISSION,
                                "Invalid token signature (HTTP 401). Check the token: dclient auth status -i %URL%,"
                                        + " or get a new one: dclient login %URL%", 1)),
                recorded("403: a token scoped to another table", rows("fixtures", "facetable", 2), "dstok_DEVICE_SCOPED",
                        Expect.error(Kind.PERMISSION, "You do not have permission to view this table (HTTP 403)", 1)),
                stubbed("403 without a token", s -> s.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(403)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"ok\": false, \"error\": \"view-instance\", \"errors\": [\"view-instance\"], \"status\": 403}"))),
                        databases(), null, Expect.error(Kind.PERMISSION, "Permission denied: view-instance (HTTP 403)."
                                + " No token was sent; add one: dclient auth add %URL% (or dclient login %URL%)", 1)),
                // broken answers
                stubbed("a non-JSON 500", s -> s.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(500)
                        .withHeader("Content-Type", "text/html").withBody("<html><body>Internal Server Error</body></html>"))),
                        rows("db", "t", 100), null,
                        Expect.error(Kind.SERVER, "HTTP 500 from %URL%/db/t.json?_shape=objects&_size=100", 1)),
                stubbed("a non-JSON 200", s -> s.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "text/html").withBody("<html>hello</html>"))),
                        databases(), null,
                        Expect.error(Kind.SERVER, "Response from %URL%/-/databases.json was not valid JSON (HTTP 200)", 1)),
                // redirects
                recorded("a redirect (the recorded legacy query URL)", query("fixtures", "select * from dogs limit 3"), null,
                        Expect.rows(ids(1, 2, 3), 2)),
                stubbed("a redirect of a table page", s -> {
                    s.stubFor(get(urlPathEqualTo("/db/old.json")).willReturn(aResponse().withStatus(302)
                            .withHeader("Location", "/db/t.json?_shape=objects&_size=100")));
                    page(s, 0, null);
                }, rows("db", "old", 100), null, Expect.rows(ids(0), 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void bothFacesAgree(Scenario s) {
        WireMockServer server = s.recorded() ? recorded : stub;
        if (s.setup() != null) s.setup().accept(server);
        String url = server.baseUrl();

        Outcome cli = cli(s.op(), server, s.token());
        Outcome lib = library(s.op(), server, s.token());

        Expect e = s.expect();
        if (e.kind() == null) {
            assertNull(cli.error(), "command line: " + cli.error());
            assertNull(lib.error(), "library: " + lib.error());
            assertEquals(cli.rows(), lib.rows(), "the same rows from both faces");
            e.rows().accept(lib.rows());
        } else {
            assertEquals(e.message().replace("%URL%", url), cli.error(), "command line");
            assertEquals(e.library().replace("%URL%", url), lib.error(), "library");
            assertEquals(e.kind(), lib.kind(), "library: the kind of failure");
            assertEquals(ExitCodes.of(e.kind()), cli.exit(), "command line: the exit code of that kind");
        }
        assertTrue(cli.requests() <= e.maxRequests(), "command line: " + cli.requests() + " requests");
        assertTrue(lib.requests() <= e.maxRequests(), "library: " + lib.requests() + " requests");
    }

    Outcome cli(Op op, WireMockServer server, String token) {
        List<String> args = new ArrayList<>(op.cli());
        args.addAll(List.of("-i", server.baseUrl()));
        if (token != null) args.addAll(List.of("--token", token));
        server.resetRequests();
        CliRunner.Result r = new CliRunner(dir.resolve("cli")).run(args.toArray(String[]::new));
        int requests = requests(server);
        if (r.exitCode() == 0) {
            assertEquals("", r.err(), "nothing on stderr");
            return new Outcome(op.parse().apply(r.out()), null, null, 0, requests);
        }
        assertTrue(r.err().startsWith("Error: ") && r.err().endsWith("\n"), r.toString());
        String message = r.err().substring("Error: ".length(), r.err().length() - 1);
        return new Outcome(null, message, null, r.exitCode(), requests);
    }

    /** The library's outcome; every way the library offers the same read must agree on it. */
    Outcome library(Op op, WireMockServer server, String token) {
        Datasette ds = Datasette.builder().url(server.baseUrl()).token(token).configDir(dir.resolve("lib"))
                .env(Map.of()).build();
        Outcome first = null;
        for (Function<Datasette, List<JsonNode>> call : op.library()) {
            server.resetRequests();
            Outcome o;
            try {
                List<JsonNode> rows = call.apply(ds);
                o = new Outcome(rows, null, null, 0, requests(server));
            } catch (DclientException e) {
                o = new Outcome(null, e.getMessage(), e.kind(), 0, requests(server));
            }
            if (first == null) {
                first = o;
            } else {
                assertEquals(first.rows(), o.rows(), "library: the same rows every way");
                assertEquals(first.error(), o.error(), "library: the same error every way");
                assertEquals(first.kind(), o.kind(), "library: the same kind every way");
                first = o.requests() > first.requests() ? o : first;
            }
        }
        return first;
    }

    static int requests(WireMockServer server) {
        return server.findAll(anyRequestedFor(anyUrl())).size();
    }

    // ---- the operations, as each face spells them -----------------------------------------------

    /**
     * One read, as a command line and as library calls (each way the library offers it), each
     * giving rows as JSON.
     */
    record Op(List<String> cli, Function<String, List<JsonNode>> parse, List<Function<Datasette, List<JsonNode>>> library) {}

    /** {@code rows --all}; in the library {@code list()} (pages fetched ahead) and a {@code stream()} (on demand). */
    static Op rows(String db, String table, int size) {
        return new Op(List.of("rows", db, table, "--all", "--nl", "--size", String.valueOf(size)), ParityTest::lines,
                List.of(ds -> json(ds.rows(db, table).pageSize(size).list()), ds -> {
                    try (Stream<Map<String, Object>> rows = ds.rows(db, table).pageSize(size).stream()) {
                        return json(rows.toList());
                    }
                }));
    }

    static Op query(String db, String sql) {
        return new Op(List.of("query", db, sql, "--nl"), ParityTest::lines, List.of(ds -> json(ds.query(db, sql))));
    }

    static Op databases() {
        return new Op(List.of("databases"), out -> out.lines().map(l -> (JsonNode) TextNode.valueOf(l)).toList(),
                List.of(ds -> ds.databases().stream().map(n -> (JsonNode) TextNode.valueOf(n)).toList()));
    }

    static Op actor() {
        return new Op(List.of("actor"), out -> List.of(parse(out).path("actor")),
                List.of(ds -> List.of(Json.mapper().valueToTree(ds.actor()))));
    }

    static List<JsonNode> lines(String nl) {
        return nl.lines().filter(l -> !l.isEmpty()).map(ParityTest::parse).toList();
    }

    static List<JsonNode> json(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> (JsonNode) Json.mapper().valueToTree(r)).toList();
    }

    static JsonNode parse(String text) {
        try {
            return Json.parse(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- servers --------------------------------------------------------------------------------

    /** Page {@code n} of /db/t.json (0 is the first, without _next): one row, id n, and its next_url. */
    static void page(WireMockServer s, int n, String next) {
        var request = get(urlPathEqualTo("/db/t.json"));
        request = n == 0 ? request.withQueryParam("_next", absent())
                : request.withQueryParam("_next", equalTo(String.valueOf(n)));
        s.stubFor(request.willReturn(okJson("{\"ok\": true, \"next_url\": " + (next == null ? "null" : "\"" + next + "\"")
                + ", \"rows\": [{\"id\": " + n + "}]}")));
    }

    // ---- expectations ---------------------------------------------------------------------------

    record Scenario(String name, boolean recorded, Consumer<WireMockServer> setup, Op op, String token, Expect expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Scenario recorded(String name, Op op, String token, Expect expect) {
        return new Scenario(name, true, null, op, token, expect);
    }

    static Scenario stubbed(String name, Consumer<WireMockServer> setup, Op op, String token, Expect expect) {
        return new Scenario(name, false, setup, op, token, expect);
    }

    /**
     * Rows that pass {@code rows}, or an error of {@code kind} with {@code message} from the
     * command line and {@code library} from the library; at most {@code maxRequests} each.
     */
    record Expect(Consumer<List<JsonNode>> rows, Kind kind, String message, String library, int maxRequests) {
        static Expect rows(Consumer<List<JsonNode>> check, int maxRequests) {
            return new Expect(check, null, null, null, maxRequests);
        }

        /** A failure without advice: the same message from both faces. */
        static Expect error(Kind kind, String message, int maxRequests) {
            return new Expect(null, kind, message, message, maxRequests);
        }

        /** A failure with advice: the same facts from both faces, each with its own words for what to do. */
        static Expect advised(Kind kind, String fact, String cliAdvice, String libraryAdvice, int maxRequests) {
            return new Expect(null, kind, fact + " " + cliAdvice, fact + " " + libraryAdvice, maxRequests);
        }
    }

    record Outcome(List<JsonNode> rows, String error, Kind kind, int exit, int requests) {}

    static Consumer<List<JsonNode>> ids(int... ids) {
        return rows -> {
            assertNotNull(rows);
            assertEquals(IntStream.of(ids).boxed().toList(), rows.stream().map(r -> r.path("id").asInt()).toList());
        };
    }

    static Consumer<List<JsonNode>> names(String... names) {
        return rows -> assertEquals(List.of(names), rows.stream().map(JsonNode::asText).toList());
    }
}
