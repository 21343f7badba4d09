package io.datasette.dclient.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the JDK HTTP client: connect timeout, no automatic redirects, and the proxy variables. */
public final class Http {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private Http() {}

    public static HttpClient newClient(Map<String, String> env) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                // Redirects are followed by DatasetteClient, which drops the token when the origin changes.
                .followRedirects(HttpClient.Redirect.NEVER);
        EnvProxySelector proxies = EnvProxySelector.fromEnv(env);
        if (proxies != null) b.proxy(proxies);
        return b.build();
    }

    /**
     * {@code HTTPS_PROXY}, {@code HTTP_PROXY} and {@code NO_PROXY} (either case), which the JDK's
     * client ignores on its own. NO_PROXY takes host names, domain suffixes ({@code .corp} or
     * {@code corp}) and {@code *}.
     */
    public static final class EnvProxySelector extends ProxySelector {
        private final InetSocketAddress https;
        private final InetSocketAddress http;
        private final List<String> noProxy;

        EnvProxySelector(InetSocketAddress https, InetSocketAddress http, List<String> noProxy) {
            this.https = https;
            this.http = http;
            this.noProxy = noProxy;
        }

        public static EnvProxySelector fromEnv(Map<String, String> env) {
            InetSocketAddress https = address(first(env, "HTTPS_PROXY", "https_proxy"));
            InetSocketAddress http = address(first(env, "HTTP_PROXY", "http_proxy"));
            if (https == null && http == null) return null;
            List<String> no = new ArrayList<>();
            String list = first(env, "NO_PROXY", "no_proxy");
            if (list != null) {
                for (String s : list.split(",")) {
                    String t = s.trim().toLowerCase(Locale.ROOT);
                    if (!t.isEmpty()) no.add(t);
                }
            }
            return new EnvProxySelector(https, http, no);
        }

        @Override
        public List<Proxy> select(URI uri) {
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            if (bypass(host)) return List.of(Proxy.NO_PROXY);
            InetSocketAddress addr = "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
            return addr == null ? List.of(Proxy.NO_PROXY) : List.of(new Proxy(Proxy.Type.HTTP, addr));
        }

        boolean bypass(String host) {
            for (String rule : noProxy) {
                if (rule.equals("*")) return true;
                String r = rule.startsWith(".") ? rule.substring(1) : rule;
                int colon = r.lastIndexOf(':');
                if (colon > 0 && !r.contains("]")) r = r.substring(0, colon);
                if (host.equals(r) || host.endsWith("." + r)) return true;
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

        private static InetSocketAddress address(String value) {
            if (value == null) return null;
            String v = value.contains("://") ? value : "http://" + value;
            URI u = URI.create(v);
            if (u.getHost() == null) return null;
            int port = u.getPort() != -1 ? u.getPort() : ("https".equalsIgnoreCase(u.getScheme()) ? 443 : 80);
            return InetSocketAddress.createUnresolved(u.getHost(), port);
        }
    }
}
