package io.datasette.dclient;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks that the test runner sees what the suite relies on: the build's class path, cwd, WireMock. */
class RunnerSmokeTest {

    @Test
    void commandsYamlIsAClassPathResource() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("commands.yaml")) {
            assertNotNull(in, "commands.yaml is not on the class path (//FILES in dclient.java)");
            assertTrue(in.readAllBytes().length > 0, "commands.yaml on the class path is empty");
        }
    }

    /**
     * The program's entry points load, from the build the tests run in (so a stale jar on the
     * class path cannot stand in for this checkout). Proved by mutation: naming
     * {@code io.datasette.dclient.cli.NoSuchMain} here failed with the message below.
     */
    @Test
    void programClassesAreOnTheClassPath() {
        URL build = getClass().getProtectionDomain().getCodeSource().getLocation();
        for (String name : List.of("io.datasette.dclient.cli.Main", "dclient")) {
            Class<?> c = assertDoesNotThrow(() -> Class.forName(name),
                    name + " is not on the class path (dclient.java sources lib/Sources.java; is it listed?)");
            assertEquals(build, c.getProtectionDomain().getCodeSource().getLocation(),
                    name + " comes from another build than the tests");
        }
    }

    @Test
    void testsRunFromTheRepositoryRoot() {
        assertTrue(Files.isRegularFile(Path.of("dclient.java")),
                "working directory is not the repository root: " + Path.of("").toAbsolutePath());
    }

    @Test
    void wireMockServesAStub() throws Exception {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        try {
            server.stubFor(WireMock.get("/-/versions.json")
                    .willReturn(WireMock.okJson("{\"datasette\": {\"version\": \"1.0\"}}")));
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.baseUrl() + "/-/versions.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("\"version\""), response.body());
        } finally {
            server.stop();
        }
    }
}
