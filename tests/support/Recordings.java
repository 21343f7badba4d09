package io.datasette.dclient.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A WireMock server serving the real Datasette exchanges recorded under
 * {@code tests/recordings} (copied from Datasette 1.0a37 + datasette-oauth). The stubs never
 * overlap, so all of them are loaded; tests add their own stubs on top. Test classes that keep a
 * server for all their tests use {@link RecordedDatasette} instead of starting one here.
 */
public final class Recordings {
    public static final Path ROOT = Path.of("tests", "recordings");

    private Recordings() {}

    /** Starts a server on a free port with every recorded stub loaded. Stop it when done. */
    public static WireMockServer start() {
        WireMockServer server = new WireMockServer(recordedOptions());
        server.start();
        return server;
    }

    /** Starts a server with no stubs at all, for tests that stub everything themselves. */
    public static WireMockServer startEmpty() {
        WireMockServer server = new WireMockServer(emptyOptions());
        server.start();
        return server;
    }

    /** Options for a server on a free loopback port serving every recorded stub. */
    static WireMockConfiguration recordedOptions() {
        if (!Files.isDirectory(ROOT.resolve("mappings"))) {
            throw new IllegalStateException("run tests from the repository root: " + ROOT.toAbsolutePath() + " missing");
        }
        return emptyOptions().usingFilesUnderDirectory(ROOT.toString());
    }

    /** Options for a server on a free loopback port with no stubs. */
    static WireMockConfiguration emptyOptions() {
        return options().dynamicPort().bindAddress("127.0.0.1");
    }
}
