package io.datasette.dclient.core.http;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.Recordings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY: the selection rules table-driven, then end to end with a
 * WireMock server standing in for the proxy (a request through an HTTP proxy reaches it with
 * the absolute URL and the target's Host header).
 */
class ProxyTest {
    @TempDir
    Path dir;

    private WireMockServer proxy;
    private WireMockServer target;

    @AfterEach
    void stop() {
        if (proxy != null) proxy.stop();
        if (target != null) target.stop();
    }

    private static ProxyRules selector(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) env.put(keyValues[i], keyValues[i + 1]);
        return ProxyRules.fromEnv(env);
    }

    /** "direct", or the proxy's host:port. */
    private static String route(ProxyRules s, String url) {
        URI u = URI.create(url);
        String host = Hosts.host(u);
        ProxyRules.Proxy p = s.select(u.getScheme(), host.startsWith("[") ? host.substring(1, host.length() - 1) : host,
                Hosts.port(u));
        if (p == null) return "direct";
        InetSocketAddress a = p.address();
        return a.getHostString() + ":" + a.getPort();
    }

    @ParameterizedTest(name = "NO_PROXY=''{0}'' {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                              | http://example.com/           | proxy
            example.com                     | http://example.com/           | direct
            example.com                     | http://EXAMPLE.com/           | direct
            EXAMPLE.COM                     | http://example.com/           | direct
            example.com                     | http://api.example.com/       | direct
            example.com                     | http://notexample.com/        | proxy
            example.com                     | http://example.com.evil.org/  | proxy
            .example.com                    | http://example.com/           | direct
            .example.com                    | http://a.b.example.com/       | direct
            *.example.com                   | http://a.example.com/         | direct
            *.example.com                   | http://example.org/           | proxy
            *                               | http://anything.at.all/       | direct
            'other.org, example.com'        | http://example.com/           | direct
            'other.org example.com'         | http://example.com/           | direct
            'other.org,,  '                 | http://example.com/           | proxy
            example.com:8001                | http://example.com:8001/      | direct
            example.com:8001                | http://example.com:8002/      | proxy
            example.com:80                  | http://example.com/           | direct
            example.com:443                 | http://example.com/           | proxy
            example.com.                    | http://example.com/           | direct
            localhost                       | http://localhost:8001/        | direct
            127.0.0.1                       | http://127.0.0.1:8001/        | direct
            127.0.0.1                       | http://127.0.0.2:8001/        | proxy
            127.0.0.1                       | http://localhost:8001/        | proxy
            127.0.0.0/8                     | http://127.9.8.7/             | direct
            10.0.0.0/8                      | http://11.0.0.1/              | proxy
            192.168.1.0/24                  | http://192.168.1.200/         | direct
            192.168.1.0/24                  | http://192.168.2.1/           | proxy
            127.0.0.1:8001                  | http://127.0.0.1:8001/        | direct
            127.0.0.1:8001                  | http://127.0.0.1:9000/        | proxy
            ::1                             | http://[::1]:8001/            | direct
            [::1]                           | http://[::1]:8001/            | direct
            [::1]:8001                      | http://[::1]:8001/            | direct
            [::1]:8001                      | http://[::1]:9000/            | proxy
            fd00::/8                        | http://[fd12::5]/             | direct
            fd00::/8                        | http://[fe80::1]/             | proxy
            10.0.0.1                        | http://10.0.0.1.nip.example/  | proxy
            """)
    void noProxyRules(String noProxy, String url, String expected) {
        ProxyRules s = selector("HTTP_PROXY", "http://proxy.internal:3128", "NO_PROXY", noProxy);
        String route = route(s, url);
        assertEquals(expected, route.equals("direct") ? "direct" : "proxy", route);
        if (!route.equals("direct")) assertEquals("proxy.internal:3128", route);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            HTTPS_PROXY=http://s.proxy:8443                       | https://example.com/ | s.proxy:8443
            HTTPS_PROXY=http://s.proxy:8443                       | http://example.com/  | direct
            HTTP_PROXY=http://p.proxy:3128                        | http://example.com/  | p.proxy:3128
            HTTP_PROXY=http://p.proxy:3128                        | https://example.com/ | direct
            https_proxy=http://lower:1                            | https://example.com/ | lower:1
            http_proxy=http://lower:2                             | http://example.com/  | lower:2
            HTTP_PROXY=http://upper:1,http_proxy=http://lower:2   | http://example.com/  | upper:1
            HTTP_PROXY=,http_proxy=http://lower:2                 | http://example.com/  | lower:2
            HTTP_PROXY=proxy.internal:3128                        | http://example.com/  | proxy.internal:3128
            HTTP_PROXY=http://proxy.internal                      | http://example.com/  | proxy.internal:80
            HTTP_PROXY=http://proxy.internal/                     | http://example.com/  | proxy.internal:80
            HTTP_PROXY=https://proxy.internal                     | http://example.com/  | proxy.internal:443
            HTTP_PROXY=http://user:secret@proxy.internal:3128     | http://example.com/  | proxy.internal:3128
            HTTP_PROXY=http://[::1]:3128                          | http://example.com/  | ::1:3128
            HTTP_PROXY=  http://p:3128                            | http://example.com/  | p:3128
            HTTPS_PROXY=http://s:1,HTTP_PROXY=http://p:2          | https://x.org:8443/  | s:1
            HTTPS_PROXY=http://s:1,HTTP_PROXY=http://p:2          | http://x.org:8443/   | p:2
            """)
    void proxyVariables(String vars, String url, String expected) {
        Map<String, String> env = new HashMap<>();
        for (String kv : vars.split(",")) {
            int eq = kv.indexOf('=');
            env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        ProxyRules s = ProxyRules.fromEnv(env);
        assertEquals(expected, route(s, url));
    }

    @Test
    void noProxyVariablesMeansNoSelector() {
        assertNull(ProxyRules.fromEnv(Map.of()));
        assertNull(ProxyRules.fromEnv(Map.of("NO_PROXY", "*", "HTTP_PROXY", " ")));
    }

    @Test
    void socksProxyIsRefusedWithoutShowingCredentials() {
        DclientException e = assertThrows(DclientException.class,
                () -> SocketTransport.fromEnv(Map.of("HTTPS_PROXY", "socks5://user:hunter2@proxy.internal:1080")));
        assertEquals("HTTPS_PROXY names a socks5:// proxy; only HTTP proxies are supported"
                + " (unset it, or point it at an HTTP proxy)", e.getMessage());
        DclientException bad = assertThrows(DclientException.class,
                () -> SocketTransport.fromEnv(Map.of("http_proxy", "http://user:hunter2@bad host:1")));
        assertEquals("http_proxy is not a valid proxy address; expected http://host:port", bad.getMessage());
        assertFalse(bad.getMessage().contains("hunter2"));
    }

    @Test
    void cliRequestGoesThroughHttpProxyWithTheTargetHost() {
        proxy = Recordings.start(); // answers as Datasette would: the proxy forwards to it
        CliRunner.Result r = new CliRunner(dir).env("HTTP_PROXY", "http://127.0.0.1:" + proxy.port())
                .run("get", "/-/actor.json", "-i", "http://datasette.invalid:8001", "--token", "dstok_ROOT");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("\"id\": \"root\""), r.toString());
        List<LoggedRequest> seen = proxy.findAll(getRequestedFor(urlPathEqualTo("/-/actor.json")));
        assertEquals(1, seen.size());
        assertEquals("datasette.invalid:8001", seen.get(0).getHeader("Host"));
        assertEquals("http://datasette.invalid:8001/-/actor.json", seen.get(0).getAbsoluteUrl());
        assertEquals("Bearer dstok_ROOT", seen.get(0).getHeader("Authorization"));
    }

    @Test
    void redirectsAreFollowedThroughTheProxyToo() {
        proxy = Recordings.start();
        CliRunner.Result r = new CliRunner(dir).env("http_proxy", "127.0.0.1:" + proxy.port())
                .run("query", "fixtures", "select * from dogs limit 3", "-i", "http://datasette.invalid", "--csv");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().startsWith("id,name,age,breed,weight,is_good\r\n1,Dog 1,"), r.toString());
        // the legacy URL and the redirect target both went through the proxy
        assertEquals(1, proxy.findAll(getRequestedFor(urlPathEqualTo("/fixtures.json"))
                .withHeader("Host", equalTo("datasette.invalid"))).size());
        assertEquals(1, proxy.findAll(getRequestedFor(urlPathEqualTo("/fixtures/-/query.json"))
                .withHeader("Host", equalTo("datasette.invalid"))).size());
    }

    @Test
    void noProxyBypassesTheProxy() {
        proxy = Recordings.startEmpty(); // would answer 404 to everything
        target = Recordings.start();
        String proxyUrl = "http://127.0.0.1:" + proxy.port();
        CliRunner.Result direct = new CliRunner(dir).env("HTTP_PROXY", proxyUrl)
                .env("NO_PROXY", "example.org,localhost")
                .run("get", "/-/actor.json", "-i", target.baseUrl(), "--token", "dstok_ROOT");
        assertEquals(0, direct.exitCode(), direct.toString());
        assertTrue(direct.out().contains("\"id\": \"root\""), direct.toString());
        assertEquals(0, proxy.findAll(anyRequestedFor(anyUrl())).size());
        assertEquals(1, target.findAll(getRequestedFor(urlPathEqualTo("/-/actor.json"))).size());

        // Control: without NO_PROXY the same request does go to the proxy (even for loopback).
        CliRunner.Result proxied = new CliRunner(dir).env("HTTP_PROXY", proxyUrl)
                .run("get", "/-/actor.json", "-i", target.baseUrl(), "--token", "dstok_ROOT");
        assertEquals(1, proxied.exitCode(), proxied.toString());
        assertTrue(proxied.err().startsWith("Error: HTTP 404"), proxied.toString());
        assertEquals(1, proxy.findAll(getRequestedFor(urlPathEqualTo("/-/actor.json"))
                .withHeader("Host", equalTo("localhost:" + target.port()))).size());
    }

    @Test
    void httpsProxyIsNotUsedForHttpUrls() {
        proxy = Recordings.startEmpty();
        target = Recordings.start();
        CliRunner.Result r = new CliRunner(dir).env("HTTPS_PROXY", "http://127.0.0.1:" + proxy.port())
                .run("get", "/-/actor.json", "-i", target.baseUrl());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(0, proxy.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void badProxyVariableIsAnErrorLineNotAStackTrace() {
        CliRunner.Result r = new CliRunner(dir).env("HTTPS_PROXY", "socks5://proxy.internal:1080")
                .run("get", "/-/actor.json", "-i", "https://datasette.invalid");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: HTTPS_PROXY names a socks5:// proxy; only HTTP proxies are supported"
                + " (unset it, or point it at an HTTP proxy)\n", r.err());
    }
}
