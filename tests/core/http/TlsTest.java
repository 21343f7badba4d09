package io.datasette.dclient.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.api.Datasette;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.ConnectProxy;
import io.datasette.dclient.testing.TlsFront;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * https:// as other tools do it: the JDK's CAs plus SSL_CERT_FILE / SSL_CERT_DIR (and the
 * library's trustCertificates), refusals in one line that says what to do, no request (so no
 * token) sent over a refused connection, and HTTPS_PROXY tunnels (CONNECT, credentials, the name
 * resolved by the proxy). The servers are {@link TlsFront}s with the throwaway certificates of
 * tests/resources/tls in front of a plain keep-alive server.
 */
class TlsTest {
    @TempDir
    Path dir;

    private static final String PAGE = "{\"ok\": true, \"rows\": [{\"id\": 1}]}";

    /** No name resolves: a request that needs the client to look a name up fails. */
    private static final Hosts.Resolver NOTHING = host -> {
        throw new UnknownHostException(host);
    };

    static DatasetteClient client(Transport t, String url, String token) {
        return new DatasetteClient(t, url, token, null, Duration.ofSeconds(5), "prod");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"SSL_CERT_FILE, ca.pem", "SSL_CERT_DIR, ca-dir"})
    void aPrivateCaIsTrustedThroughTheVariables(String variable, String file) throws Exception {
        try (SocketTransportTest.KeepAlive backend = new SocketTransportTest.KeepAlive(req -> SocketTransportTest.json(PAGE));
                TlsFront front = TlsFront.start("localhost.p12", backend.server.getLocalPort())) {
            Transport t = SocketTransport.fromEnv(Map.of(variable, TlsFront.DIR.resolve(file).toString()));
            DatasetteClient c = client(t, front.baseUrl(), "dstok_TLS");
            for (int i = 0; i < 3; i++) assertEquals(1, c.getJson("/db/t.json").path("rows").path(0).path("id").asInt());
            assertEquals(1, front.handshakes(), "one TLS connection, kept alive");
            assertTrue(backend.heads.get(0).contains("Authorization: Bearer dstok_TLS"), backend.heads.get(0));
            assertTrue(backend.heads.get(0).contains("Host: localhost:" + front.port()), backend.heads.get(0));
        }
    }

    @Test
    void aBundleWithOtherCertificatesAndTextStillTrustsTheCa() throws Exception {
        String ca = Files.readString(TlsFront.CA);
        Path bundle = dir.resolve("bundle.pem");
        // comment lines, another certificate before it (the self-signed one), as system bundles look
        String other = pemOf("self-signed.p12");
        Files.writeString(bundle, "# a bundle\n" + other + "\n# Label: test CA\n" + ca + "\n");
        try (SocketTransportTest.KeepAlive backend = new SocketTransportTest.KeepAlive(req -> SocketTransportTest.json(PAGE));
                TlsFront front = TlsFront.start("localhost.p12", backend.server.getLocalPort())) {
            DatasetteClient c = client(SocketTransport.fromEnv(Map.of("SSL_CERT_FILE", bundle.toString())), front.baseUrl(), null);
            assertEquals(1, c.getJson("/db/t.json").path("rows").size());
        }
    }

    @Test
    void theLibraryTakesTrustFromItsBuilder() throws Exception {
        try (SocketTransportTest.KeepAlive backend = new SocketTransportTest.KeepAlive(req -> SocketTransportTest.json(
                "{\"ok\": true, \"rows\": [{\"n\": 42}], \"columns\": [\"n\"], \"truncated\": false}"));
                TlsFront front = TlsFront.start("localhost.p12", backend.server.getLocalPort())) {
            Datasette ds = Datasette.builder().url(front.baseUrl()).configDir(dir).env(Map.of())
                    .trustCertificates(TlsFront.CA).build();
            assertEquals(42, ds.query("db", "select 42").get(0).get("n"));
        }
    }

    /** Every refusal: the message, and that not one byte of a request reached the server behind. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            self-signed.p12 | ca.pem | its certificate is not signed by a CA this machine trusts. If it is your organisation's CA, set SSL_CERT_FILE to its PEM file (or SSL_CERT_DIR to a directory of them).
            localhost.p12   |        | its certificate is not signed by a CA this machine trusts. If it is your organisation's CA, set SSL_CERT_FILE to its PEM file (or SSL_CERT_DIR to a directory of them).
            other-host.p12  | ca.pem | its certificate is for other.example, not localhost. Use a URL with that name.
            expired.p12     | ca.pem | its certificate has expired or is not valid yet (valid from 2000-01-01 to 2001-01-01). Its administrator must renew it; check this machine's clock too.
            """)
    void refusedCertificatesAreOneLineAndNothingIsSent(String keystore, String trust, String why) throws Exception {
        try (SocketTransportTest.KeepAlive backend = new SocketTransportTest.KeepAlive(req -> SocketTransportTest.json(PAGE));
                TlsFront front = TlsFront.start(keystore, backend.server.getLocalPort())) {
            Map<String, String> env = trust == null ? Map.of() : Map.of("SSL_CERT_FILE", TlsFront.DIR.resolve(trust).toString());
            DatasetteClient c = client(SocketTransport.fromEnv(env), front.baseUrl(), "dstok_SECRET");
            DclientException e = assertThrows(DclientException.class, () -> c.getJson("/db/t.json"));
            assertEquals("Could not connect securely to " + front.baseUrl() + ": " + why + " Nothing was sent.", e.getMessage());
            assertEquals(DclientException.Kind.NETWORK, e.kind());
            assertEquals(0, front.relayed(), "the handshake failed: nothing reached the server");
            assertTrue(backend.heads.isEmpty());
        }
    }

    @Test
    void theCommandLineSaysItInOneLine() throws Exception {
        try (SocketTransportTest.KeepAlive backend = new SocketTransportTest.KeepAlive(req -> SocketTransportTest.json(PAGE));
                TlsFront front = TlsFront.start("localhost.p12", backend.server.getLocalPort())) {
            CliRunner.Result r = new CliRunner(dir).run("rows", "-i", front.baseUrl(), "db", "t", "--token", "dstok_SECRET");
            assertEquals(1, r.exitCode());
            assertEquals("", r.out());
            assertTrue(r.err().startsWith("Error: Could not connect securely to " + front.baseUrl()), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(r.err().contains("dstok_SECRET") || r.err().contains("Exception"), r.err());
            r = new CliRunner(dir).env("SSL_CERT_FILE", TlsFront.CA.toString())
                    .run("rows", "-i", front.baseUrl(), "db", "t", "--nl");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("{\"id\": 1}\n", r.out());
        }
    }

    @Test
    void anUnreadableCertFileIsAnErrorNamingIt() {
        Path missing = dir.resolve("missing.pem");
        DatasetteClient c = client(SocketTransport.fromEnv(Map.of("SSL_CERT_FILE", missing.toString())),
                "https://localhost:1", null);
        DclientException e = assertThrows(DclientException.class, () -> c.getJson("/x.json"));
        assertTrue(e.getMessage().startsWith("Could not read the certificates in SSL_CERT_FILE (" + missing + "): "),
                e.getMessage());
    }

    /**
     * How long a connection took to open counts its TLS handshake: a relay nearby that accepts at
     * once and delays what it passes (as remote's link, or a proxy) still shows the round trip.
     */
    @Test
    void theTimeAConnectionTookToOpenIncludesItsHandshake() throws Exception {
        try (SocketTransportTest.KeepAlive backend = new SocketTransportTest.KeepAlive(req -> SocketTransportTest.json(PAGE));
                TlsFront front = TlsFront.start("localhost.p12", backend.server.getLocalPort());
                java.net.ServerSocket relay = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread accepting = new Thread(() -> {
                while (!relay.isClosed()) {
                    try {
                        java.net.Socket in = relay.accept();
                        java.net.Socket out = new java.net.Socket(InetAddress.getLoopbackAddress(), front.port());
                        Thread.sleep(60); // the first bytes wait, as on a far link
                        for (java.net.Socket[] pair : new java.net.Socket[][] {{in, out}, {out, in}}) {
                            Thread pipe = new Thread(() -> {
                                try {
                                    pair[0].getInputStream().transferTo(pair[1].getOutputStream());
                                } catch (java.io.IOException ignored) {
                                    // closed
                                }
                            });
                            pipe.setDaemon(true);
                            pipe.start();
                        }
                    } catch (java.io.IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            accepting.setDaemon(true);
            accepting.start();
            Transport t = SocketTransport.fromEnv(Map.of("SSL_CERT_FILE", TlsFront.CA.toString()));
            String url = "https://localhost:" + relay.getLocalPort();
            assertEquals(1, client(t, url, null).getJson("/db/t.json").path("rows").size());
            java.net.URI origin = java.net.URI.create(url + "/");
            assertTrue(t.connectNanos(origin) >= 60_000_000L, String.valueOf(t.connectNanos(origin)));
            assertTrue(t.probeConnect(origin) >= 60_000_000L, "a second connection too");
        }
    }

    /** A connection opened ahead connects before the TLS set-up is ready, and still says the file first. */
    @Test
    void anUnreadableCertFileIsSaidFirstAlsoByAConnectionOpenedAhead() {
        Path missing = dir.resolve("missing.pem");
        Transport t = SocketTransport.fromEnv(Map.of("SSL_CERT_FILE", missing.toString()));
        t.preconnect(java.net.URI.create("https://localhost:1/")); // nothing listens there
        DclientException e = assertThrows(DclientException.class, () -> client(t, "https://localhost:1", null).getJson("/x.json"));
        assertTrue(e.getMessage().startsWith("Could not read the certificates in SSL_CERT_FILE (" + missing + "): "),
                e.getMessage());
    }

    @Test
    void aServerThatDoesNotSpeakTlsIsSaidSo() throws Exception {
        // a plain HTTP server answers the TLS hello as a bad request, as they do
        try (java.net.ServerSocket plain = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (java.net.Socket s = plain.accept()) {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException ignored) {
                    // the test ended
                }
            });
            t.setDaemon(true);
            t.start();
            String url = "https://127.0.0.1:" + plain.getLocalPort();
            DclientException e = assertThrows(DclientException.class,
                    () -> client(SocketTransport.fromEnv(Map.of()), url, "dstok_SECRET").getJson("/x.json"));
            assertEquals("Could not connect securely to " + url + ": the TLS handshake failed (the server does not speak"
                    + " TLS on this port; is it http://?). Nothing was sent.", e.getMessage());
        }
    }

    @Test
    void httpsProxyTunnelsWithCredentialsAndResolvesTheName() throws Exception {
        try (SocketTransportTest.KeepAlive backend = new SocketTransportTest.KeepAlive(req -> SocketTransportTest.json(PAGE));
                TlsFront front = TlsFront.start("localhost.p12", backend.server.getLocalPort());
                ConnectProxy proxy = new ConnectProxy(Map.of("localhost:4443", front.port()))) {
            proxy.requireAuth = "Basic " + Base64.getEncoder().encodeToString("user:p@ss w".getBytes(StandardCharsets.UTF_8));
            Map<String, String> env = Map.of("HTTPS_PROXY", "http://user:p%40ss%20w@127.0.0.1:" + proxy.port(),
                    "SSL_CERT_FILE", TlsFront.CA.toString());
            // the client resolves no name at all: only the proxy knows where localhost:4443 is
            Transport t = SocketTransport.fromEnv(env, List.of(), NOTHING);
            DatasetteClient c = client(t, "https://localhost:4443", "dstok_TUNNEL");
            assertEquals(1, c.getJson("/db/t.json").path("rows").size());
            assertEquals(1, c.getJson("/db/t.json").path("rows").size());
            assertEquals(1, proxy.heads().size(), "one tunnel, kept alive");
            String connect = proxy.heads().get(0);
            assertTrue(connect.startsWith("CONNECT localhost:4443 HTTP/1.1\r\n"), connect);
            assertTrue(connect.contains("Host: localhost:4443\r\n"), connect);
            assertFalse(connect.contains("dstok_TUNNEL"), "the token is not shown to the proxy");
            String request = backend.heads.get(0);
            assertTrue(request.contains("Authorization: Bearer dstok_TUNNEL"), request);
            assertFalse(request.contains("Proxy-Authorization"), "the proxy's credentials stay with the proxy");
        }
    }

    @Test
    void aProxyThatWantsCredentialsIsSaidSoWithoutShowingThem() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy(Map.of())) {
            proxy.requireAuth = "Basic nothing-matches";
            Map<String, String> env = Map.of("HTTPS_PROXY", "http://user:SECRETPW@127.0.0.1:" + proxy.port());
            DclientException e = assertThrows(DclientException.class,
                    () -> client(SocketTransport.fromEnv(env), "https://localhost:4443", null).getJson("/x.json"));
            assertEquals("Could not reach https://localhost:4443 through the proxy (HTTPS_PROXY): the proxy wants"
                    + " credentials: put them in the proxy URL (http://user:password@proxy:port).", e.getMessage());
        }
    }

    /** A proxy out of reach is named as the proxy (without its credentials), not as the server. */
    @Test
    void aProxyOutOfReachIsNamedAsTheProxy() {
        for (String[] c : new String[][] {{"HTTPS_PROXY", "https://localhost:4443"}, {"HTTP_PROXY", "http://db.example:8001"}}) {
            Map<String, String> env = Map.of(c[0], "http://user:SECRETPW@127.0.0.1:1");
            DclientException e = assertThrows(DclientException.class,
                    () -> client(SocketTransport.fromEnv(env), c[1], null).getJson("/x.json"));
            assertEquals("Could not reach " + c[1] + " through the proxy (" + c[0] + "): the proxy at 127.0.0.1:1 could not"
                    + " be reached (connection refused).", e.getMessage());
        }
    }

    @Test
    void httpProxyGetsCredentialsInAbsoluteForm() throws Exception {
        try (SocketTransportTest.KeepAlive proxy = new SocketTransportTest.KeepAlive(req -> SocketTransportTest.json(PAGE))) {
            Map<String, String> env = Map.of("HTTP_PROXY", "http://ann:pw@127.0.0.1:" + proxy.server.getLocalPort());
            Transport t = SocketTransport.fromEnv(env, List.of(), NOTHING);
            client(t, "http://db.only-the-proxy-knows:8001", null).getJson("/db/t.json");
            String head = proxy.heads.get(0);
            assertTrue(head.startsWith("GET http://db.only-the-proxy-knows:8001/db/t.json HTTP/1.1\r\n"), head);
            assertTrue(head.contains("Proxy-Authorization: Basic "
                    + Base64.getEncoder().encodeToString("ann:pw".getBytes(StandardCharsets.UTF_8)) + "\r\n"), head);
        }
    }

    /** Issue 17 (4): a host name with an underscore follows NO_PROXY like any other. */
    @Test
    void noProxyAppliesToHostsWithUnderscores() throws Exception {
        try (SocketTransportTest.KeepAlive direct = new SocketTransportTest.KeepAlive(req -> SocketTransportTest.json(PAGE))) {
            Map<String, String> env = Map.of("HTTP_PROXY", "http://127.0.0.1:1", "NO_PROXY", "my_host");
            Hosts.Resolver loopback = host -> {
                if (host.equals("my_host")) return InetAddress.getLoopbackAddress();
                throw new UnknownHostException(host);
            };
            Transport t = SocketTransport.fromEnv(env, List.of(), loopback);
            client(t, "http://my_host:" + direct.server.getLocalPort(), null).getJson("/db/t.json");
            assertTrue(direct.heads.get(0).startsWith("GET /db/t.json HTTP/1.1\r\nHost: my_host:" + direct.server.getLocalPort()),
                    direct.heads.get(0));
        }
    }

    /** javax.net.ssl.trustStore keeps working, in a JVM of its own (it is JVM-wide). */
    @Test
    void theJvmTrustStoreStillWorks() throws Exception {
        Path store = dir.resolve("trust.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (var in = Files.newInputStream(TlsFront.CA)) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(store)) {
            ks.store(out, "changeit".toCharArray());
        }
        try (SocketTransportTest.KeepAlive backend = new SocketTransportTest.KeepAlive(req -> SocketTransportTest.json(PAGE));
                TlsFront front = TlsFront.start("localhost.p12", backend.server.getLocalPort())) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djavax.net.ssl.trustStore=" + store, "-Djavax.net.ssl.trustStorePassword=changeit",
                    "-cp", System.getProperty("java.class.path"), "io.datasette.dclient.cli.Main",
                    "rows", "-i", front.baseUrl(), "db", "t", "--nl"));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().clear();
            pb.environment().put("DCLIENT_CONFIG_DIR", dir.toString());
            Process p = pb.start();
            p.getOutputStream().close();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out + err);
            assertEquals("{\"id\": 1}\n", out);
        }
    }

    private static String pemOf(String keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(TlsFront.DIR.resolve(keystore))) {
            ks.load(in, "changeit".toCharArray());
        }
        byte[] der = ks.getCertificate("server").getEncoded();
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END CERTIFICATE-----";
    }
}
