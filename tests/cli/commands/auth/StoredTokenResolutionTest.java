package io.datasette.dclient.cli.commands.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.datasette.dclient.api.Datasette;
import io.datasette.dclient.core.auth.AuthStore;
import io.datasette.dclient.core.auth.TokenRefs;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.FakeKeyring;
import io.datasette.dclient.testing.RecordedDatasette;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The resolution order ({@code --token} &gt; alias &gt; URL prefix &gt; {@code DATASETTE_TOKEN})
 * is the same whatever holds the stored tokens: every combination of where the alias's and the
 * URL prefix's tokens live (nowhere, auth.json, the keyring, a command), with and without
 * {@code DATASETTE_TOKEN} and {@code --token}, through the command line and through
 * {@code Datasette.builder()}. The recorded {@code /-/actor.json} stubs each match one exact
 * {@code Authorization} header, so the request proves which token was sent; the fakes' logs
 * prove that only the winning entry's keyring item or command was asked, and that entries for
 * other instances never are.
 */
class StoredTokenResolutionTest {
    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.recordings();

    static final String FLAG = "dstok_ALICE";
    static final String ALIAS = "dstok_ROOT";
    static final String PREFIX = "dstok_RESTRICTED";
    static final String ENV = "dstok_READONLY";

    enum Where { NONE, FILE, KEYRING, COMMAND }

    @TempDir
    Path dir;
    @TempDir
    Path tools;
    FakeKeyring keyring;

    @BeforeEach
    void fakes() {
        keyring = FakeKeyring.in(tools);
        for (String name : List.of("alias", "prefix", "elsewhere")) {
            String token = switch (name) {
                case "alias" -> ALIAS;
                case "prefix" -> PREFIX;
                default -> "dstok_xxx";
            };
            keyring.script("print-" + name, "#!/bin/sh\necho " + name + " >> \"$RUNS\"\necho " + token + "\n");
        }
    }

    static Stream<Arguments> table() {
        List<Arguments> rows = new ArrayList<>();
        for (Where alias : Where.values()) {
            for (Where prefix : Where.values()) {
                for (boolean env : new boolean[] {false, true}) {
                    for (boolean flag : new boolean[] {false, true}) {
                        for (String face : List.of("cli", "library")) rows.add(Arguments.of(face, alias, prefix, env, flag));
                    }
                }
            }
        }
        return rows.stream();
    }

    void store(String key, Where where, String token, String script) {
        switch (where) {
            case NONE -> { }
            case FILE -> new AuthStore(dir).put(key, token);
            case KEYRING -> {
                keyring.putItem(key, token);
                new TokenRefs(dir).update(m -> m.put(key, TokenRefs.Ref.keyring(key)));
            }
            case COMMAND -> new TokenRefs(dir).update(m -> m.put(key, TokenRefs.Ref.command(script)));
        }
    }

    @ParameterizedTest(name = "{0}: alias {1}, prefix {2}, env {3}, flag {4}")
    @MethodSource("table")
    void theHighestRungWinsWhereverItsTokenLives(String face, Where alias, Where prefix, boolean env, boolean flag)
            throws Exception {
        Map<String, String> vars = new HashMap<>(Map.of("PATH", keyring.path(), FakeKeyring.DIR_VARIABLE, keyring.dirValue(),
                "RUNS", tools.resolve("runs").toString(), "DCLIENT_CONFIG_DIR", dir.toString()));
        if (env) vars.put("DATASETTE_TOKEN", ENV);
        new io.datasette.dclient.core.config.ConfigStore(dir).update(c -> {
            c.putInstance("prod", wm.baseUrl());
            return null;
        });
        // Entries for other instances: never asked, never sent.
        store("http://localhost:1", Where.KEYRING, "dstok_xxx", null);
        store("elsewhere", Where.COMMAND, null, "print-elsewhere");
        store("prod", alias, ALIAS, "print-alias");
        store(wm.baseUrl() + "/", prefix, PREFIX, "print-prefix");

        String winner = flag ? FLAG : alias != Where.NONE ? ALIAS : prefix != Where.NONE ? PREFIX : env ? ENV : null;
        String source;
        if (flag) source = "--token";
        else if (alias != Where.NONE) source = "alias prod" + where(alias, "print-alias");
        else if (prefix != Where.NONE) source = "URL prefix " + wm.baseUrl() + "/" + where(prefix, "print-prefix");
        else source = env ? "DATASETTE_TOKEN" : "none";

        if (face.equals("cli")) {
            CliRunner c = new CliRunner(dir);
            vars.forEach(c::env);
            List<String> args = new ArrayList<>(List.of("auth", "status", "-i", "prod"));
            if (flag) args.addAll(List.of("--token", FLAG));
            CliRunner.Result r = c.run(args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.err().contains("Token: " + (winner == null ? "none" : "from " + source)), r.err());
            for (String t : List.of(FLAG, ALIAS, PREFIX, ENV, "dstok_xxx")) assertFalse(r.err().contains(t), r.err());
        } else {
            Datasette.Builder b = Datasette.builder().instance("prod").configDir(dir).env(vars);
            if (flag) b.token(FLAG);
            Datasette ds = b.build();
            assertEquals(flag ? "Datasette.builder().token(...)" : source, ds.tokenSource());
            ds.actor();
        }
        assertEquals(winner == null ? null : "Bearer " + winner, sentAuthorization());

        // Only the winner's keyring item or command was asked.
        List<String> lookups = keyring.calls().stream().filter(l -> l.startsWith("secret-tool lookup")).toList();
        boolean aliasAsked = !flag && alias == Where.KEYRING;
        boolean prefixAsked = !flag && alias == Where.NONE && prefix == Where.KEYRING;
        assertEquals((aliasAsked ? 1 : 0) + (prefixAsked ? 1 : 0), lookups.size(), lookups.toString());
        Path runs = tools.resolve("runs");
        List<String> ran = Files.exists(runs) ? Files.readAllLines(runs) : List.of();
        List<String> expectedRuns = new ArrayList<>();
        if (!flag && alias == Where.COMMAND) expectedRuns.add("alias");
        if (!flag && alias == Where.NONE && prefix == Where.COMMAND) expectedRuns.add("prefix");
        assertEquals(expectedRuns, ran);
    }

    static String where(Where w, String script) {
        return switch (w) {
            case FILE -> " in auth.json";
            case KEYRING -> " in the keyring";
            case COMMAND -> " (command '" + script + "')";
            case NONE -> "";
        };
    }

    static String sentAuthorization() {
        List<LoggedRequest> requests = wm.findAll(getRequestedFor(urlPathEqualTo("/-/actor.json")));
        assertEquals(1, requests.size(), "expected exactly one /-/actor.json request");
        LoggedRequest r = requests.get(0);
        return r.containsHeader("Authorization") ? r.getHeader("Authorization") : null;
    }
}
