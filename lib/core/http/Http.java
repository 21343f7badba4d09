package io.datasette.dclient.core.http;

import io.datasette.dclient.core.DclientException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the JDK HTTP client: connect timeout, no automatic redirects, and the proxy variables. */
public final class Http {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The JDK property that lets a request set its own {@code Host} header. */
    public static final String RESTRICTED_HEADERS = "jdk.httpclient.allowRestrictedHeaders";

    static {
        allowHostHeader();
    }

    private Http() {}

    /**
     * Lets requests set {@code Host}, which reaching a host name with underscores needs
     * ({@link Hosts}): adds {@code host} to {@value #RESTRICTED_HEADERS}. The JDK reads that
     * property once, when its HTTP client first loads, so this runs before any client is built
     * here; when some other code built one first, such hosts get an error saying so.
     */
    public static void allowHostHeader() {
        String v = System.getProperty(RESTRICTED_HEADERS);
        if (v == null || v.isBlank()) {
            System.setProperty(RESTRICTED_HEADERS, "host");
            return;
        }
        for (String h : v.split(",")) {
            if (h.trim().equalsIgnoreCase("host")) return;
        }
        System.setProperty(RESTRICTED_HEADERS, v + ",host");
    }

    /**
     * dclient's HTTP client for {@code env}'s proxies. {@link DatasetteClient} sends its
     * {@code http://} requests through dclient's own transport ({@link Wire}: blocking HTTP/1.1 on
     * the caller's thread over a kept-alive connection, a fraction of the JDK client's CPU per
     * request); the JDK's client, which carries the rest ({@code https://}, host names with
     * underscores), is only built when first needed.
     */
    public static HttpClient newClient(Map<String, String> env) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                // Redirects are followed by DatasetteClient, which drops the token when the origin changes.
                .followRedirects(HttpClient.Redirect.NEVER);
        EnvProxySelector proxies = EnvProxySelector.fromEnv(env);
        if (proxies != null) b.proxy(proxies);
        return new Client(b, new Wire(proxies, CONNECT_TIMEOUT.toNanos()), proxies);
    }

    /** The client {@link #newClient} returns: the JDK's, built on first use, and dclient's own transport. */
    static final class Client extends HttpClient {
        private final HttpClient.Builder builder;
        private final Wire wire;
        private final ProxySelector proxies;
        private volatile HttpClient jdk;

        Client(HttpClient.Builder builder, Wire wire, ProxySelector proxies) {
            this.builder = builder;
            this.wire = wire;
            this.proxies = proxies;
        }

        Wire wire() {
            return wire;
        }

        private HttpClient jdk() {
            HttpClient c = jdk;
            if (c == null) {
                synchronized (this) {
                    c = jdk;
                    if (c == null) jdk = c = builder.build();
                }
            }
            return c;
        }

        @Override
        public java.util.Optional<java.net.CookieHandler> cookieHandler() {
            return java.util.Optional.empty();
        }

        @Override
        public java.util.Optional<Duration> connectTimeout() {
            return java.util.Optional.of(CONNECT_TIMEOUT);
        }

        @Override
        public Redirect followRedirects() {
            return Redirect.NEVER;
        }

        @Override
        public java.util.Optional<ProxySelector> proxy() {
            return java.util.Optional.ofNullable(proxies);
        }

        @Override
        public javax.net.ssl.SSLContext sslContext() {
            return jdk().sslContext();
        }

        @Override
        public javax.net.ssl.SSLParameters sslParameters() {
            return jdk().sslParameters();
        }

        @Override
        public java.util.Optional<java.net.Authenticator> authenticator() {
            return java.util.Optional.empty();
        }

        @Override
        public Version version() {
            return jdk().version();
        }

        @Override
        public java.util.Optional<java.util.concurrent.Executor> executor() {
            return java.util.Optional.empty();
        }

        @Override
        public <T> java.net.http.HttpResponse<T> send(java.net.http.HttpRequest request,
                java.net.http.HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
            return jdk().send(request, handler);
        }

        @Override
        public <T> java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<T>> sendAsync(
                java.net.http.HttpRequest request, java.net.http.HttpResponse.BodyHandler<T> handler) {
            return jdk().sendAsync(request, handler);
        }

        @Override
        public <T> java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<T>> sendAsync(
                java.net.http.HttpRequest request, java.net.http.HttpResponse.BodyHandler<T> handler,
                java.net.http.HttpResponse.PushPromiseHandler<T> push) {
            return jdk().sendAsync(request, handler, push);
        }

        @Override
        public java.net.http.WebSocket.Builder newWebSocketBuilder() {
            return jdk().newWebSocketBuilder();
        }
    }

    /**
     * {@code HTTPS_PROXY}, {@code HTTP_PROXY} and {@code NO_PROXY} (upper case first, then lower
     * case), which the JDK's client ignores on its own. {@code https://} requests use
     * HTTPS_PROXY and {@code http://} ones HTTP_PROXY; a scheme without a proxy goes direct. A proxy
     * is {@code [http://]host[:port]} (port 80 by default); SOCKS proxies are refused, since the
     * JDK's HTTP client cannot use them. NO_PROXY is a comma- or space-separated list of
     * <ul>
     *   <li>{@code *}: no proxy at all;
     *   <li>host or domain names: {@code example.com}, {@code .example.com} and
     *       {@code *.example.com} all match {@code example.com} and any name under it;
     *   <li>IP addresses ({@code 127.0.0.1}, {@code ::1} or {@code [::1]}) and CIDR ranges
     *       ({@code 10.0.0.0/8}, {@code fd00::/8}), matched against IP literals in URLs (no DNS);
     *   <li>any of these with {@code :port}: only requests to that port bypass the proxy.
     * </ul>
     * Matching ignores case. Proxy credentials ({@code user:pass@}) are not used.
     */
    public static final class EnvProxySelector extends ProxySelector {
        private final InetSocketAddress https;
        private final InetSocketAddress http;
        private final List<Rule> noProxy;

        EnvProxySelector(InetSocketAddress https, InetSocketAddress http, List<Rule> noProxy) {
            this.https = https;
            this.http = http;
            this.noProxy = noProxy;
        }

        /** The selector for these variables, or null when neither proxy variable is set. */
        public static EnvProxySelector fromEnv(Map<String, String> env) {
            InetSocketAddress https = address(env, "HTTPS_PROXY", "https_proxy");
            InetSocketAddress http = address(env, "HTTP_PROXY", "http_proxy");
            if (https == null && http == null) return null;
            return new EnvProxySelector(https, http, rules(first(env, "NO_PROXY", "no_proxy")));
        }

        @Override
        public List<Proxy> select(URI uri) {
            String host = bare(uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT));
            boolean secure = "https".equalsIgnoreCase(uri.getScheme());
            int port = uri.getPort() != -1 ? uri.getPort() : (secure ? 443 : 80);
            if (bypass(host, port)) return List.of(Proxy.NO_PROXY);
            InetSocketAddress addr = secure ? https : http;
            return addr == null ? List.of(Proxy.NO_PROXY) : List.of(new Proxy(Proxy.Type.HTTP, addr));
        }

        /** Whether NO_PROXY sends a request to {@code host} (lower case, no brackets) and {@code port} direct. */
        boolean bypass(String host, int port) {
            for (Rule rule : noProxy) {
                if (rule.matches(host, port)) return true;
            }
            return false;
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            // nothing to learn: the request fails and the user sees the error
        }

        private static String first(Map<String, String> env, String a, String b) {
            String v = env.get(a);
            if (v == null || v.isBlank()) v = env.get(b);
            return v == null || v.isBlank() ? null : v.trim();
        }

        private static InetSocketAddress address(Map<String, String> env, String upper, String lower) {
            String value = first(env, upper, lower);
            if (value == null) return null;
            String name = env.get(upper) != null && !env.get(upper).isBlank() ? upper : lower;
            String v = value.contains("://") ? value : "http://" + value;
            URI u;
            try {
                u = new URI(v);
            } catch (URISyntaxException e) {
                u = null;
            }
            // Never echo the value: it may hold proxy credentials.
            if (u == null || u.getHost() == null) {
                throw new DclientException(name + " is not a valid proxy address; expected http://host:port");
            }
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new DclientException(name + " names a " + scheme + ":// proxy; only HTTP proxies are supported"
                        + " (unset it, or point it at an HTTP proxy)");
            }
            int port = u.getPort() != -1 ? u.getPort() : (scheme.equals("https") ? 443 : 80);
            return InetSocketAddress.createUnresolved(bare(u.getHost()), port);
        }

        static List<Rule> rules(String list) {
            List<Rule> out = new ArrayList<>();
            if (list == null) return out;
            for (String s : list.split("[,\\s]+")) {
                String t = s.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) out.add(Rule.parse(t));
            }
            return out;
        }

        private static String bare(String host) {
            return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        }

        /** One NO_PROXY entry: a name suffix or an address range, and a port (-1: any). */
        record Rule(String name, byte[] network, int prefixBits, int port, boolean all) {
            static Rule parse(String entry) {
                if (entry.equals("*")) return new Rule(null, null, 0, -1, true);
                String e = entry;
                int port = -1;
                if (e.startsWith("[")) { // [v6] or [v6]:port
                    int close = e.indexOf(']');
                    if (close > 0) {
                        String rest = e.substring(close + 1);
                        if (rest.startsWith(":")) port = parsePort(rest.substring(1));
                        e = e.substring(1, close);
                    }
                } else if (e.indexOf(':') > 0 && e.indexOf(':') == e.lastIndexOf(':')) { // name:port or v4:port
                    port = parsePort(e.substring(e.indexOf(':') + 1));
                    e = e.substring(0, e.indexOf(':'));
                }
                int slash = e.indexOf('/');
                String addressPart = slash >= 0 ? e.substring(0, slash) : e;
                byte[] ip = literal(addressPart);
                if (ip != null) {
                    int bits = ip.length * 8;
                    if (slash >= 0) {
                        try {
                            bits = Math.max(0, Math.min(bits, Integer.parseInt(e.substring(slash + 1))));
                        } catch (NumberFormatException ex) {
                            bits = ip.length * 8;
                        }
                    }
                    return new Rule(null, ip, bits, port, false);
                }
                if (e.startsWith("*.")) e = e.substring(2);
                while (e.startsWith(".")) e = e.substring(1);
                while (e.endsWith(".")) e = e.substring(0, e.length() - 1);
                return new Rule(e, null, 0, port, false);
            }

            boolean matches(String host, int requestPort) {
                if (all) return true;
                if (port != -1 && port != requestPort) return false;
                if (network != null) {
                    byte[] ip = literal(host);
                    return ip != null && ip.length == network.length && samePrefix(ip, network, prefixBits);
                }
                if (name.isEmpty()) return false;
                String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
                return h.equals(name) || h.endsWith("." + name);
            }

            private static boolean samePrefix(byte[] a, byte[] b, int bits) {
                for (int i = 0; i < bits; i++) {
                    int mask = 0x80 >> (i % 8);
                    if ((a[i / 8] & mask) != (b[i / 8] & mask)) return false;
                }
                return true;
            }

            private static int parsePort(String s) {
                try {
                    return Integer.parseInt(s);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }

            /** The bytes of an IPv4 or IPv6 literal, or null for a name (never a DNS lookup). */
            static byte[] literal(String s) {
                if (s.isEmpty()) return null;
                boolean v4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
                if (v4) {
                    for (String octet : s.split("\\.")) {
                        if (Integer.parseInt(octet) > 255) return null; // else getByName would ask DNS
                    }
                }
                boolean v6 = s.indexOf(':') >= 0 && s.matches("[0-9a-f:.]+");
                if (!v4 && !v6) return null;
                try {
                    return InetAddress.getByName(s).getAddress();
                } catch (UnknownHostException e) {
                    return null;
                }
            }
        }
    }
}
