package io.datasette.dclient.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A WireMock server whose lifecycle JUnit runs, replacing the start/stop/reset boilerplate:
 * <pre>
 * &#64;RegisterExtension
 * static final RecordedDatasette wm = RecordedDatasette.recordings();
 * </pre>
 * It is a {@link WireMockServer}, so tests call {@code wm.baseUrl()}, {@code wm.stubFor(..)},
 * {@code wm.findAll(..)} and pass it wherever a server is expected.
 * <ul>
 *   <li>On a {@code static} field it starts before the class's {@code @BeforeAll} methods and
 *       stops after its {@code @AfterAll} methods; on an instance field it starts before each
 *       test's {@code @BeforeEach} methods and stops after its {@code @AfterEach} methods.</li>
 *   <li>Before each test (ahead of the class's own {@code @BeforeEach}):
 *       {@link #recordings()} forgets the requests and rewinds the scenarios, keeping every stub
 *       (the recorded ones and any a test added) — never {@code resetAll()}/{@code resetMappings()},
 *       which would touch the recording files; {@link #empty()} does {@code resetAll()}, dropping
 *       the stubs too, so a class re-stubs what it needs in its own {@code @BeforeEach}.</li>
 * </ul>
 */
public final class RecordedDatasette extends WireMockServer
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final boolean recorded;
    /** Unique id of the JUnit context that started the server, null while stopped. */
    private String startedBy;

    private RecordedDatasette(boolean recorded) {
        super(recorded ? Recordings.recordedOptions() : Recordings.emptyOptions());
        this.recorded = recorded;
    }

    /** Every recorded Datasette exchange from tests/recordings (see {@link Recordings}). */
    public static RecordedDatasette recordings() {
        return new RecordedDatasette(true);
    }

    /** No stubs at all; cleared completely before each test. */
    public static RecordedDatasette empty() {
        return new RecordedDatasette(false);
    }

    /** This server, for code that wants the plain WireMock type spelled out. */
    public WireMockServer server() {
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startFor(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!startFor(context)) {
            if (recorded) {
                resetRequests();
                resetScenarios();
            } else {
                resetAll();
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopFor(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopFor(context);
    }

    /** Starts the server unless it runs already (e.g. for a test of the class that started it). */
    private boolean startFor(ExtensionContext context) {
        if (startedBy != null) return false;
        start();
        startedBy = context.getUniqueId();
        return true;
    }

    private void stopFor(ExtensionContext context) {
        if (context.getUniqueId().equals(startedBy)) {
            stop();
            startedBy = null;
        }
    }
}
