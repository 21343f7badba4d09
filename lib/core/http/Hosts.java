package io.datasette.dclient.core.http;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Host and port of an instance URL, including host names with underscores ({@code my_host},
 * common for containers), which {@link URI} only keeps as a "registry" authority with no host
 * ({@code getHost() == null}) and Java's HTTP client refuses. Such a host is resolved here and
 * the request goes to its address with a {@code Host} header naming it.
 */
public final class Hosts {
    /** {@code [user@]name[:port]} where the name has an underscore, which URI cannot read as a host. */
    private static final Pattern REGISTRY = Pattern.compile("(?:([^@]*)@)?([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)(?::(\\d{1,5}))?");

    /** Resolves a host name to an address (tests stand in for DNS). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress resolve(String host) throws UnknownHostException;

        Resolver SYSTEM = InetAddress::getByName;
    }

    private Hosts() {}

    /** The URL's host (brackets kept off IPv6 literals), the name with underscores included; null when none. */
    public static String host(URI u) {
        if (u.getHost() != null) return u.getHost();
        Matcher m = registry(u);
        return m == null ? null : m.group(2);
    }

    /** The URL's port, the scheme's default when none is given. */
    public static int port(URI u) {
        int p = u.getPort();
        if (p == -1 && u.getHost() == null) {
            Matcher m = registry(u);
            if (m != null && m.group(3) != null) p = Integer.parseInt(m.group(3));
        }
        if (p != -1) return p;
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** Whether the host is a name Java's HTTP client cannot take (an underscore in it). */
    public static boolean needsResolving(URI u) {
        return u.getHost() == null && registry(u) != null;
    }

    /** Whether the URL names this machine: localhost (or a name under .localhost), 127.0.0.0/8 or ::1. */
    public static boolean isLoopback(URI u) {
        String h = host(u);
        if (h == null) return false;
        h = h.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        if (h.equals("localhost") || h.endsWith(".localhost")) return true;
        if (h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) return true;
        return h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
    }

    private static Matcher registry(URI u) {
        String a = u.getRawAuthority();
        if (a == null) return null;
        Matcher m = REGISTRY.matcher(a);
        if (!m.matches()) return null;
        if (m.group(3) != null && Integer.parseInt(m.group(3)) > 65535) return null;
        return m;
    }
}
