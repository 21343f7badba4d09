package io.datasette.dclient.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.testing.TlsFront;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The host name rule ({@link HostnameMatch}) as a table, then through a real handshake with a
 * wildcard certificate: the connection is made only when the certificate is for the host.
 */
class HostnameMatchTest {
    /**
     * host | the certificate's DNS names (space-separated) | its IP addresses | its common name
     * (used only without DNS names) | whether it is for the host.
     */
    @ParameterizedTest(name = "{0} vs [{1}] [{2}] cn={3}: {4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            localhost               | localhost                 | 127.0.0.1         | -               | true
            LocalHost               | localhost                 | -                 | -               | true
            localhost.              | localhost                 | -                 | -               | true
            localhost               | LOCALHOST.                | -                 | -               | true
            other.example           | localhost                 | 127.0.0.1         | -               | false
            api.example.com         | example.com               | -                 | -               | false
            example.com             | api.example.com           | -                 | -               | false
            api.example.com         | *.example.com             | -                 | -               | true
            API.Example.COM         | *.example.com             | -                 | -               | true
            example.com             | *.example.com             | -                 | -               | false
            a.b.example.com         | *.example.com             | -                 | -               | false
            .example.com            | *.example.com             | -                 | -               | false
            api.example.com         | *.com                     | -                 | -               | false
            example.com             | *.com                     | -                 | -               | false
            api.example.com         | a*.example.com            | -                 | -               | false
            api.example.com         | *.*.com                   | -                 | -               | false
            api.example.com         | api.*.com                 | -                 | -               | false
            api.example.com         | *                         | -                 | -               | false
            api.example.com         | *.                        | -                 | -               | false
            api.example.com         | other.example *.example.com | -               | -               | true
            my_host                 | my_host                   | -                 | -               | true
            my_host                 | localhost                 | 127.0.0.1         | -               | false
            127.0.0.1               | -                         | 127.0.0.1         | -               | true
            127.0.0.1               | 127.0.0.1                 | -                 | 127.0.0.1       | false
            127.0.0.2               | -                         | 127.0.0.1         | -               | false
            999.0.0.1               | 999.0.0.1                 | 999.0.0.1         | -               | false
            127.0.0.1               | *.0.0.1                   | -                 | -               | false
            [::1]                   | -                         | 0:0:0:0:0:0:0:1   | -               | true
            ::1                     | -                         | 0:0:0:0:0:0:0:1   | -               | true
            [::1]                   | localhost                 | 127.0.0.1         | -               | false
            [2001:db8::1]           | -                         | 2001:db8:0:0:0:0:0:1 | -            | true
            legacy.example          | -                         | -                 | legacy.example  | true
            legacy.example          | other.example             | -                 | legacy.example  | false
            legacy.example          | -                         | -                 | other.example   | false
            legacy.example          | -                         | -                 | -               | false
            bücher.example          | xn--bcher-kva.example     | -                 | -               | true
            xn--bcher-kva.example   | xn--bcher-kva.example     | -                 | -               | true
            bücher.example          | bücher.example            | -                 | -               | false
            -                       | localhost                 | 127.0.0.1         | -               | false
            """)
    void theRule(String host, String dns, String ips, String cn, boolean expected) {
        assertEquals(expected, HostnameMatch.matches(host, list(dns), list(ips), cn));
    }

    private static List<String> list(String spaced) {
        return spaced == null ? List.of() : Arrays.asList(spaced.trim().split("\\s+"));
    }

    /** A resolver that sends every name to this machine, so a certificate's names can be tried. */
    private static final Hosts.Resolver LOOPBACK = host -> {
        if (host.endsWith(".example.test") || host.equals("example.test")) return InetAddress.getLoopbackAddress();
        throw new UnknownHostException(host);
    };

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            api.example.test      | ok
            API.example.test      | ok
            example.test          | its certificate is for *.example.test, not example.test. Use a URL with that name.
            a.api.example.test    | its certificate is for *.example.test, not a.api.example.test. Use a URL with that name.
            """)
    void aWildcardCertificateOverARealHandshake(String host, String outcome) throws Exception {
        String page = "{\"ok\": true, \"rows\": [{\"id\": 1}]}";
        try (SocketTransportTest.KeepAlive backend = new SocketTransportTest.KeepAlive(req -> SocketTransportTest.json(page));
                TlsFront front = TlsFront.start("wildcard.p12", backend.server.getLocalPort())) {
            Transport t = SocketTransport.fromEnv(Map.of("SSL_CERT_FILE", TlsFront.DIR.resolve("wildcard.pem").toString()),
                    List.of(), LOOPBACK);
            String url = "https://" + host + ":" + front.port();
            DatasetteClient c = new DatasetteClient(t, url, "dstok_SECRET", null, Duration.ofSeconds(5), "prod");
            if (outcome.equals("ok")) {
                assertEquals(1, c.getJson("/db/t.json").path("rows").path(0).path("id").asInt());
                assertEquals(1, backend.heads.size());
            } else {
                DclientException e = org.junit.jupiter.api.Assertions.assertThrows(DclientException.class,
                        () -> c.getJson("/db/t.json"));
                assertEquals("Could not connect securely to " + url + ": " + outcome + " Nothing was sent.", e.getMessage());
                assertEquals(0, front.relayed(), "nothing reached the server");
            }
        }
    }
}
