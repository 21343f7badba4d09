package io.datasette.dclient.core.http;

import io.datasette.dclient.core.DclientException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code HTTPS_PROXY}, {@code HTTP_PROXY} and {@code NO_PROXY} (upper case first, then lower
 * case), read as curl reads them. {@code https://} requests use
 * HTTPS_PROXY and {@code http://} ones HTTP_PROXY; a scheme without a proxy goes direct. A proxy
 * is {@code [http://]host[:port]} (port 80 by default); SOCKS proxies are refused. NO_PROXY is a comma- or space-separated list of
 * <ul>
 *   <li>{@code *}: no proxy at all;
 *   <li>host or domain names: {@code example.com}, {@code .example.com} and
 *       {@code *.example.com} all match {@code example.com} and any name under it;
 *   <li>IP addresses ({@code 127.0.0.1}, {@code ::1} or {@code [::1]}) and CIDR ranges
 *       ({@code 10.0.0.0/8}, {@code fd00::/8}), matched against IP literals in URLs (no DNS);
 *   <li>any of these with {@code :port}: only requests to that port bypass the proxy.
 * </ul>
 * Matching ignores case. A proxy URL's {@code user:password@} (percent-encoded where needed) is
 * sent as {@code Proxy-Authorization: Basic}: to the proxy only, never printed.
 */
public final class ProxyRules {
    private final Proxy https;
    private final Proxy http;
    private final List<Rule> noProxy;

    private ProxyRules(Proxy https, Proxy http, List<Rule> noProxy) {
        this.https = https;
        this.http = http;
        this.noProxy = noProxy;
    }

    /**
     * An HTTP proxy: where it listens (unresolved: the name is looked up when connecting) and
     * the {@code Proxy-Authorization} value its URL's {@code user:password@} makes, or null.
     */
    public record Proxy(InetSocketAddress address, String authorization) {
        @Override
        public String toString() { // never the credentials
            return "Proxy[" + address.getHostString() + ":" + address.getPort() + "]";
        }
    }

    /** The rules for these variables, or null when neither proxy variable is set. */
    public static ProxyRules fromEnv(Map<String, String> env) {
        Proxy https = proxy(env, "HTTPS_PROXY", "https_proxy");
        Proxy http = proxy(env, "HTTP_PROXY", "http_proxy");
        if (https == null && http == null) return null;
        return new ProxyRules(https, http, rules(first(env, "NO_PROXY", "no_proxy")));
    }

    /**
     * The proxy for a request to {@code host} (a name, with underscores or not, or an address
     * literal) and {@code port} over {@code scheme}, or null to go direct. No name is looked up.
     */
    public Proxy select(String scheme, String host, int port) {
        String h = bare(host == null ? "" : host.toLowerCase(Locale.ROOT));
        if (bypass(h, port)) return null;
        return "https".equalsIgnoreCase(scheme) ? https : http;
    }

    /** Whether NO_PROXY sends a request to {@code host} (lower case, no brackets) and {@code port} direct. */
    boolean bypass(String host, int port) {
        for (Rule rule : noProxy) {
            if (rule.matches(host, port)) return true;
        }
        return false;
    }

    private static String first(Map<String, String> env, String a, String b) {
        String v = env.get(a);
        if (v == null || v.isBlank()) v = env.get(b);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static Proxy proxy(Map<String, String> env, String upper, String lower) {
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
        String auth = null;
        if (u.getRawUserInfo() != null) {
            String info = u.getRawUserInfo();
            int colon = info.indexOf(':');
            String user = unescape(colon >= 0 ? info.substring(0, colon) : info);
            String pass = colon >= 0 ? unescape(info.substring(colon + 1)) : "";
            auth = "Basic " + java.util.Base64.getEncoder().encodeToString(
                    (user + ":" + pass).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return new Proxy(InetSocketAddress.createUnresolved(bare(u.getHost()), port), auth);
    }

    private static String unescape(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
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
