package io.datasette.dclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Test
    void programClassesAreOnTheClassPath() throws Exception {
        assertNotNull(Class.forName("io.datasette.dclient.cli.Main"));
        assertNotNull(Class.forName("dclient"));
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
