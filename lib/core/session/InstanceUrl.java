package io.datasette.dclient.core.session;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.auth.UrlPrefix;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Hosts;
import io.datasette.dclient.core.text.Safe;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * The rule for what a user types where an instance URL belongs: an http(s) URL, and the
 * one mistake worth naming, a host typed without its scheme ({@code 127.0.0.1:8001},
 * {@code datasette.example.com}), which {@link URI} would read as a scheme, or as a path.
 * The URL it probably means uses {@code http://} for this machine (a local Datasette serves
 * plain HTTP) and {@code https://} for any other host (a remote one should be behind TLS).
 * Every place that takes an instance URL or resolves an alias asks here.
 */
public final class InstanceUrl {
    /**
     * {@code host[:port][/path...]}: a host name or IPv4 address, or a bracketed IPv6 literal.
     * No user info, no scheme, no spaces.
     */
    private static final Pattern HOST_PORT_PATH =
            Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)(:\\d{1,5})?(/\\S*)?");

    private InstanceUrl() {}

    /**
     * The URL {@code text} probably stands for when it is a host typed without a scheme, or null
     * when it does not look like one. A host counts when it has a port, a dot, brackets, or is
     * {@code localhost}; a bare word ({@code prod}) is an alias name, not a host.
     */
    public static String withScheme(String text) {
        if (text == null) return null;
        String t = text.strip();
        if (t.isEmpty() || t.contains("://") || !HOST_PORT_PATH.matcher(t).matches()) return null;
        int end = t.indexOf('/');
        String hostPort = end < 0 ? t : t.substring(0, end);
        boolean hasPort = hostPort.startsWith("[") ? hostPort.contains("]:") : hostPort.contains(":");
        String host = hasPort ? hostPort.substring(0, hostPort.lastIndexOf(':')) : hostPort;
        if (!(hasPort || host.contains(".") || host.startsWith("[") || host.equalsIgnoreCase("localhost"))) return null;
        if (hasPort && Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1)) > 65535) return null;
        boolean loopback;
        try {
            loopback = Hosts.isLoopback(new URI("http://" + hostPort));
        } catch (java.net.URISyntaxException e) {
            return null;
        }
        return (loopback ? "http://" : "https://") + t;
    }

    /**
     * Checks an instance URL ({@code http://} or {@code https://} and a host) and returns it
     * parsed; one typed without a scheme is refused with the URL it probably means.
     */
    public static URI check(String url) {
        String meant = withScheme(url);
        if (meant != null) {
            throw new DclientException("Not a valid instance URL: " + shown(url) + " has no http:// or https://."
                    + " Did you mean " + Safe.maskUrls(meant) + "?");
        }
        return DatasetteClient.parseUrl(url);
    }

    /**
     * For a name that is neither a URL nor a known alias: when it is a host typed without a
     * scheme, the failure that says which URL it probably means; null when it looks like an alias
     * name (the caller says the alias is unknown, in its own words).
     */
    public static DclientException notAnAlias(String name) {
        if (UrlPrefix.isUrl(name)) return null;
        String meant = withScheme(name);
        if (meant == null) return null;
        return new DclientException("Unknown instance: " + shown(name) + " is not an alias, and a URL needs"
                + " http:// or https://. Did you mean " + Safe.maskUrls(meant) + "?", DclientException.Kind.NOT_FOUND);
    }

    private static String shown(String text) {
        return Safe.maskUrls(Safe.line(text, 200));
    }
}
