package io.datasette.dclient.parity;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.api.Datasette;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.auth.AuthStore;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 19, item 3: what dclient says about a refused token follows where the token actually came
 * from ({@code --token} or the library's builder, the alias in auth.json, a URL prefix in
 * auth.json, {@code DATASETTE_TOKEN}) and what the server actually said ("Token has expired" is
 * expiry, never "does not allow this write" with a {@code --write} login). Every source × every
 * reason × a read ({@code actor}) and a write ({@code insert}), through the command line and the
 * library: the same facts from both, each with its own words for what to do.
 *
 * <p>Proved by mutation: with {@code Advice.problem} no longer reading "expired", the eight
 * EXPIRED rows and the word-for-word case failed.
 */
class RefusedTokenTest {
    static final String TOKEN = "dstok_TABLE";

    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.empty();

    @TempDir
    Path dir;

    enum Source {
        EXPLICIT("the one given with --token", "the one given to Datasette.builder().token(...)"),
        ALIAS("the one stored for alias prod in auth.json", "the one stored for alias prod in auth.json"),
        URL_PREFIX("the one stored for URL prefix %URL% in auth.json", "the one stored for URL prefix %URL% in auth.json"),
        ENV("the one in DATASETTE_TOKEN", "the one in DATASETTE_TOKEN");

        final String cli;
        final String library;

        Source(String cli, String library) {
            this.cli = cli;
            this.library = library;
        }
    }

    /** What the server answered, and what both faces must then say about the token. */
    enum Reason {
        EXPIRED(401, "Token has expired", "it has expired"),
        REFUSED(401, "Invalid token signature", "the server did not accept it"),
        NOT_ALLOWED(403, "Permission denied", "it does not allow this");

        final int status;
        final String server;
        final String state;

        Reason(int status, String server, String state) {
            this.status = status;
            this.server = server;
            this.state = state;
        }
    }

    enum Op { ACTOR, INSERT }

    static Stream<Arguments> table() {
        List<Arguments> rows = new ArrayList<>();
        for (Source s : Source.values()) {
            for (Reason r : Reason.values()) {
                for (Op op : Op.values()) rows.add(Arguments.of(s, r, op));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{2} with a token from {0}: {1}")
    @MethodSource("table")
    void theAdviceFollowsTheSourceAndTheReason(Source source, Reason reason, Op op) throws Exception {
        stub(reason, op);
        String url = wm.baseUrl();
        String cli = cli(source, op);
        String lib = library(source, op);

        String path = op == Op.ACTOR ? "" : "/fixtures/dogs/-/insert";
        String fact = reason.server + " (HTTP " + reason.status + " from " + url + path + ").";
        String state = reason.state + (reason == Reason.NOT_ALLOWED && op == Op.INSERT ? " write" : "") + ".";
        assertTrue(cli.startsWith(fact + " The token sent was " + source.cli.replace("%URL%", url) + "; " + state), cli);
        assertTrue(lib.startsWith(fact + " The token sent was " + source.library.replace("%URL%", url) + "; " + state), lib);

        // what to do: where the token came from decides where to put a better one
        String cliAction = switch (source) {
            case EXPLICIT -> " to --token (get one: dclient login prod";
            case ENV -> "Set DATASETTE_TOKEN to ";
            case ALIAS -> "or store one: dclient auth add prod";
            case URL_PREFIX -> "or store one: dclient auth add " + url;
        };
        String libAction = switch (source) {
            case EXPLICIT -> " to Datasette.builder().token(...), or leave it unset to use a stored token.";
            case ENV -> "Set DATASETTE_TOKEN to ";
            case ALIAS -> "Tokens.open().put(\"prod\", token)";
            case URL_PREFIX -> "Tokens.open().put(\"" + url + "\", token)";
        };
        assertTrue(cli.contains(cliAction), cli);
        assertTrue(lib.contains(libAction), lib);

        // the reason decides what kind of token to get: a write scope only when permission was missing
        boolean needsWrite = reason == Reason.NOT_ALLOWED && op == Op.INSERT;
        assertEquals(needsWrite, cli.contains("--write fixtures/dogs"), cli);
        assertEquals(needsWrite, lib.contains("a token with write access"), lib);
        if (reason == Reason.EXPIRED) {
            assertFalse(cli.contains("does not allow") || lib.contains("does not allow"), cli + "\n" + lib);
            assertTrue(cli.contains("a current token") || cli.contains("Get a new one"), cli);
            assertTrue(lib.contains("a current token"), lib);
        }
        assertFalse(lib.contains("--") || lib.contains("dclient "), "no command-line words in the library: " + lib);
        assertFalse(cli.contains(TOKEN) || lib.contains(TOKEN), "never the token");
    }

    /** The two sentences issue 19 quoted, now as they read. */
    @Test
    void theIssuesTwoCasesWordForWord() throws Exception {
        stub(Reason.EXPIRED, Op.ACTOR);
        assertEquals("Token has expired (HTTP 401 from " + wm.baseUrl() + "). The token sent was the one given with"
                + " --token; it has expired. Pass a current token to --token (get one: dclient login prod --token-only),"
                + " or leave --token out to use a stored token.", cli(Source.EXPLICIT, Op.ACTOR));
        stub(Reason.EXPIRED, Op.INSERT);
        assertEquals("Token has expired (HTTP 401 from " + wm.baseUrl() + "/fixtures/dogs/-/insert). The token sent was"
                + " the one stored for alias prod in auth.json; it has expired. Get a new one: dclient login prod, or"
                + " store one: dclient auth add prod", cli(Source.ALIAS, Op.INSERT));
    }

    /**
     * Reads of pages, queries and {@code get} are refused inside {@code core.http.DatasetteClient},
     * whose {@code hint()} still words its own advice; enabled once it attaches
     * {@code Advice.refused(...)} (the change is described in the branch's report).
     */
    @org.junit.jupiter.api.Disabled("until DatasetteClient attaches Advice.refused(...) to 401/403 (core/http is being rewritten)")
    @ParameterizedTest(name = "rows with a token from {0}: expired")
    @org.junit.jupiter.params.provider.EnumSource(Source.class)
    void aTablePageFollowsTheSourceToo(Source source) {
        wm.resetAll();
        wm.stubFor(get(urlPathEqualTo("/fixtures/dogs.json")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": false, \"error\": \"Token has expired\", \"status\": 401}")));
        CliRunner c = new CliRunner(config(source, "cli"));
        List<String> args = new ArrayList<>(List.of("rows", "fixtures", "dogs", "-i", "prod"));
        if (source == Source.EXPLICIT) args.addAll(List.of("--token", TOKEN));
        if (source == Source.ENV) c.env("DATASETTE_TOKEN", TOKEN);
        String cli = c.run(args.toArray(String[]::new)).err();
        assertTrue(cli.contains("The token sent was " + source.cli.replace("%URL%", wm.baseUrl()) + "; it has expired."), cli);
    }

    void stub(Reason reason, Op op) {
        wm.resetAll();
        var answer = aResponse().withStatus(reason.status).withHeader("Content-Type", "application/json")
                .withBody("{\"ok\": false, \"error\": \"" + reason.server + "\", \"errors\": [\"" + reason.server
                        + "\"], \"status\": " + reason.status + "}");
        wm.stubFor(op == Op.ACTOR ? get(urlPathEqualTo("/-/actor.json")).willReturn(answer)
                : post(urlPathEqualTo("/fixtures/dogs/-/insert")).willReturn(answer));
    }

    /** Config with the alias prod, and the token where {@code source} puts it. */
    Path config(Source source, String face) {
        Path d = dir.resolve(face + "-" + source);
        new ConfigStore(d).update(c -> {
            c.putInstance("prod", wm.baseUrl());
            return null;
        });
        if (source == Source.ALIAS) new AuthStore(d).put("prod", TOKEN);
        if (source == Source.URL_PREFIX) new AuthStore(d).put(wm.baseUrl(), TOKEN);
        return d;
    }

    /** The command line's error, the first line(s) up to a write's note of what it left behind. */
    String cli(Source source, Op op) {
        CliRunner c = new CliRunner(config(source, "cli"));
        List<String> args = new ArrayList<>(op == Op.ACTOR ? List.of("actor") : List.of("insert", "fixtures", "dogs", "-", "--nl"));
        args.addAll(List.of("-i", "prod"));
        if (source == Source.EXPLICIT) args.addAll(List.of("--token", TOKEN));
        if (source == Source.ENV) c.env("DATASETTE_TOKEN", TOKEN);
        if (op == Op.INSERT) c.stdin("{\"id\": 1, \"name\": \"Rex\"}\n");
        CliRunner.Result r = c.run(args.toArray(String[]::new));
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: "), r.toString());
        return r.err().substring("Error: ".length()).lines().findFirst().orElseThrow();
    }

    String library(Source source, Op op) {
        Datasette.Builder b = Datasette.builder().instance("prod").configDir(config(source, "lib"))
                .env(source == Source.ENV ? Map.of("DATASETTE_TOKEN", TOKEN) : Map.of());
        if (source == Source.EXPLICIT) b.token(TOKEN);
        Datasette ds = b.build();
        DclientException e = assertThrows(DclientException.class, () -> {
            if (op == Op.ACTOR) ds.actor();
            else ds.insert("fixtures", "dogs", List.of(Map.of("id", 1, "name", "Rex")));
        });
        assertEquals(DclientException.Kind.PERMISSION, e.kind());
        return e.getMessage().lines().findFirst().orElseThrow();
    }
}
