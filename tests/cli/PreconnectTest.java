package io.datasette.dclient.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.datasette.dclient.core.http.SocketTransport;
import io.datasette.dclient.core.http.Transport;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.HostileServer;
import io.datasette.dclient.testing.HostileServer.Reply;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The command line opens the connection to its instance while it parses the rest (TLS costs a
 * fresh JVM more than the rest of a small command): for commands that reach an instance, to the
 * instance they will use; never for those that stay local.
 */
class PreconnectTest {
    @TempDir
    Path dir;

    /** Records what is pre-connected, then hands everything to the real transport. */
    static final class Recording implements Transport {
        final Transport real = SocketTransport.fromEnv(Map.of());
        final List<String> preconnected = new CopyOnWriteArrayList<>();

        @Override
        public Answer exchange(Request request) throws IOException {
            return real.exchange(request);
        }

        volatile boolean tlsPrepared;

        @Override
        public void prepareTls() {
            tlsPrepared = true;
        }

        @Override
        public void preconnect(URI target) {
            preconnected.add(target.toString());
            real.preconnect(target);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            rows db t -i URL --nl         | URL
            rows db t --instance=URL      | URL
            rows db t                     | DEFAULT
            select 1                      | DEFAULT
            query db 'select 1' -i prod   | URL
            auth status -i URL            | URL
            rows db t -i URL --help       | none
            alias list                    | none
            auth list                     | none
            default instance prod         | none
            --version                     | none
            rows db t -i nosuchalias      | none
            """)
    void theInstanceIsConnectedAheadOnlyWhenTheCommandWillUseIt(String command, String expected) throws Exception {
        try (HostileServer s = HostileServer.start(Reply.json(200, "{\"ok\": true, \"rows\": [], \"columns\": []}"));
                HostileServer other = HostileServer.start(Reply.json(200, "{\"ok\": true, \"rows\": []}"))) {
            Recording t = new Recording();
            CliRunner cli = new CliRunner(dir).transport(t);
            cli.run("alias", "add", "prod", s.baseUrl());
            cli.run("alias", "add", "def", other.baseUrl());
            cli.run("default", "instance", "def");
            t.preconnected.clear();
            String[] args = command.replace("'select 1'", "select_1").replace("URL", s.baseUrl()).split(" ");
            for (int i = 0; i < args.length; i++) args[i] = args[i].replace("select_1", "select 1");
            cli.run(args);
            List<String> want = switch (expected) {
                case "URL" -> List.of(s.baseUrl());
                case "DEFAULT" -> List.of(other.baseUrl());
                default -> List.of();
            };
            assertEquals(want, t.preconnected, command);
        }
    }

    /** TLS is set up before the config is read when the instance is likely https:// (not for an http:// one). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            rows db t -i https://127.0.0.1:1 | true
            rows db t -i http://127.0.0.1:1  | false
            rows db t -i tls                 | true
            alias list                       | false
            """)
    void tlsIsReadiedFirstWhenTheInstanceIsLikelyHttps(String command, boolean expected) {
        Recording t = new Recording();
        CliRunner cli = new CliRunner(dir).transport(t);
        cli.run("alias", "add", "tls", "https://127.0.0.1:1");
        t.tlsPrepared = false;
        cli.run(command.split(" "));
        assertEquals(expected, t.tlsPrepared, command);
    }

    @org.junit.jupiter.api.Test
    void theFirstRequestUsesTheConnectionOpenedAhead() {
        try (HostileServer s = HostileServer.start(Reply.json(200, "{\"ok\": true, \"rows\": [{\"id\": 1}], \"columns\": [\"id\"]}"))) {
            CliRunner.Result r = new CliRunner(dir).run("rows", "db", "t", "-i", s.baseUrl(), "--nl");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("{\"id\": 1}\n", r.out());
            assertEquals(1, s.connectionCount(), "one connection: the one opened ahead");
            assertEquals(1, s.requestCount());
        }
    }
}
