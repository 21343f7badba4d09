package io.datasette.dclient.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.auth.UrlPrefix;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.HostileServer;
import io.datasette.dclient.testing.HostileServer.Reply;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, "auth add http://my_host:8001": host names with underscores (container names) are
 * instance URLs and auth keys, and requests reach them: dclient resolves the name and connects to
 * the address, naming the host in the {@code Host} header.
 */
class UnderscoreHostTest {
    @TempDir
    Path dir;

    private static final Hosts.Resolver LOOPBACK = host -> {
        if (host.equalsIgnoreCase("my_host")) return InetAddress.getByName("127.0.0.1");
        throw new UnknownHostException(host);
    };

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://my_host:8001", "http://my_host", "https://db_1.internal/prefix", "http://a_b-c.d_e:1/"})
    void urlsWithUnderscoresAreInstanceUrls(String url) {
        assertEquals(URI.create(url), DatasetteClient.parseUrl(url));
    }

    @Test
    void hostAndPortOfSuchUrls() {
        URI u = URI.create("http://My_Host:8001/x");
        assertEquals("My_Host", Hosts.host(u));
        assertEquals(8001, Hosts.port(u));
        assertEquals(443, Hosts.port(URI.create("https://my_host/")));
        assertTrue(DatasetteClient.sameOrigin(u, URI.create("http://my_host:8001/other")));
        assertTrue(!DatasetteClient.sameOrigin(u, URI.create("http://my_host:8002/x")));
        assertTrue(UrlPrefix.matches("http://my_host:8001/db", "http://MY_HOST:8001"));
        assertTrue(!UrlPrefix.matches("http://my_host:8001/db", "http://my_host:8002"));
    }

    @Test
    void authAddAcceptsSuchAUrl() {
        CliRunner cli = new CliRunner(dir);
        CliRunner.Result r = cli.run("auth", "add", "http://my_host:8001", "--token", "dstok_UNDER");
        assertEquals(0, r.exitCode(), r.toString());
        r = cli.run("auth", "list");
        assertTrue(r.out().contains("http://my_host:8001"), r.toString());
    }

    private static Transport loopback() {
        return SocketTransport.fromEnv(Map.of(), List.of(), LOOPBACK);
    }

    @Test
    void requestsReachTheResolvedAddressNamingTheHost() {
        try (HostileServer s = HostileServer.start(Reply.json(200, "{\"ok\": true}"))) {
            String url = "http://my_host:" + s.port();
            DatasetteClient c = new DatasetteClient(loopback(), url, "dstok_UNDER", null, Duration.ofSeconds(5), null);
            c.getJson("/db.json?sql=select+1");
            HostileServer.Request req = s.lastRequest();
            assertEquals("/db.json?sql=select+1", req.target());
            assertEquals(List.of("my_host:" + s.port()), req.headers("Host"));
            assertEquals("Bearer dstok_UNDER", req.header("Authorization").orElse(null), "the instance's own origin");
        }
    }

    @Test
    void aNameThatDoesNotResolveSaysSo() {
        DatasetteClient c = new DatasetteClient(loopback(), "http://other_host:8001", null, null, Duration.ofSeconds(5), null);
        DclientException e = assertThrows(DclientException.class, () -> c.getJson("/db.json"));
        assertEquals("Could not resolve host other_host. Check the instance URL, and your network or DNS.",
                e.getMessage());
    }

    /** https:// to such a host: resolved here, the TLS certificate checked against the name. */
    @Test
    void httpsToSuchAHostChecksTheCertificateAgainstItsName() throws Exception {
        try (HostileServer s = HostileServer.start(Reply.json(200, "{\"ok\": true}"));
                io.datasette.dclient.testing.TlsFront front = io.datasette.dclient.testing.TlsFront.start("localhost.p12", s.port())) {
            Transport t = SocketTransport.fromEnv(Map.of("SSL_CERT_FILE", io.datasette.dclient.testing.TlsFront.CA.toString()),
                    List.of(), LOOPBACK);
            String url = "https://my_host:" + front.port();
            DatasetteClient c = new DatasetteClient(t, url, null, null, Duration.ofSeconds(5), null);
            DclientException e = assertThrows(DclientException.class, () -> c.getJson("/db.json"));
            assertEquals("Could not connect securely to " + url + ": its certificate is for localhost, 127.0.0.1, not my_host."
                    + " Use a URL with one of those names. Nothing was sent.", e.getMessage());
        }
    }

    /**
     * End to end, as a user runs it: a fresh JVM (so dclient sets up Java's HTTP client itself),
     * the name resolved through a hosts file, the token found in auth.json by its URL key.
     */
    @Test
    void theCommandLineReachesSuchAHostWithItsStoredToken() throws Exception {
        try (HostileServer s = HostileServer.start(Reply.json(200, "{\"ok\": true, \"via\": \"underscore\"}"))) {
            String url = "http://my_host:" + s.port();
            CliRunner cli = new CliRunner(dir);
            assertEquals(0, cli.run("auth", "add", url, "--token", "dstok_UNDER").exitCode());
            Path hosts = dir.resolve("hosts");
            Files.writeString(hosts, "127.0.0.1 my_host\n");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djdk.net.hosts.file=" + hosts, "-cp", System.getProperty("java.class.path"),
                    "io.datasette.dclient.cli.Main", "get", "/-/versions.json", "-i", url));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
            pb.environment().clear();
            pb.environment().put("DCLIENT_CONFIG_DIR", dir.toString());
            pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            Process p = pb.start();
            p.getOutputStream().close();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "dclient ended");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out + err);
            assertEquals("{\n  \"ok\": true,\n  \"via\": \"underscore\"\n}\n", out);
            HostileServer.Request req = s.lastRequest();
            assertEquals(List.of("my_host:" + s.port()), req.headers("Host"));
            assertEquals("Bearer dstok_UNDER", req.header("Authorization").orElse(null));
        }
    }

}
