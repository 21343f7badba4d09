package io.datasette.dclient.core.http;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a server's certificate is for the host dclient connected to (RFC 2818, RFC 6125), the
 * check the JDK's trust manager makes when a socket asks it to ({@code HTTPS} endpoint
 * identification). Owned here because the JDK's check first reads its whole {@code cacerts}
 * (about 140 certificates, to apply a public-suffix rule to chains that end at a public CA):
 * measured against the real server behind nginx, {@code rows fixtures dogs --limit 1} over
 * https in a fresh JVM with the class-data archive took 241 ms wall and 374 ms CPU with the
 * JDK's check against 212 ms and 319 ms without it (median of 15), the whole difference being
 * that one-time read.
 *
 * <p>The rules, stricter than the JDK's where they differ:
 * <ul>
 *   <li>An IP address host matches only an IP address entry of the certificate, compared as
 *       addresses ({@code ::1} is {@code 0:0:0:0:0:0:0:1}); never a name, never a wildcard.
 *   <li>A name matches the certificate's DNS names, ignoring case and one trailing dot; the
 *       subject's most specific common name is used only when there is no DNS name at all (as
 *       the JDK does; browsers no longer do).
 *   <li>A wildcard is a whole leftmost label ({@code *.example.com}), stands for exactly one
 *       non-empty label, and needs two labels after it ({@code *.com} matches nothing). Partial
 *       wildcards ({@code f*.example.com}), which the JDK accepts and browsers refuse, match
 *       nothing. Public suffixes of two labels ({@code *.co.uk}) are not refused here: public
 *       CAs do not issue such certificates.
 *   <li>A host with non-ASCII letters is compared in its ASCII (punycode) form.
 * </ul>
 */
final class HostnameMatch {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private HostnameMatch() {}

    /** Whether {@code cert} is for {@code host} (as written in the URL; IPv6 with or without brackets). */
    static boolean matches(String host, X509Certificate cert) {
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        sans(cert, dns, ips);
        return matches(host, dns, ips, dns.isEmpty() ? commonName(cert) : null);
    }

    /** The rule itself, on the certificate's DNS names, IP addresses and (when it has no DNS name) common name. */
    static boolean matches(String host, List<String> dnsNames, List<String> ipAddresses, String commonName) {
        if (host == null || host.isEmpty()) return false;
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.indexOf(':') >= 0 || IPV4.matcher(h).matches()) {
            InetAddress address = literal(h);
            if (address == null) return false;
            for (String ip : ipAddresses) {
                if (address.equals(literal(ip))) return true;
            }
            return false;
        }
        String name = ascii(h);
        if (name == null) return false;
        List<String> templates = dnsNames.isEmpty() && commonName != null ? List.of(commonName) : dnsNames;
        for (String t : templates) {
            if (matchesName(name, t)) return true;
        }
        return false;
    }

    /** The DNS names and IP addresses a certificate is for, for messages. */
    static List<String> names(X509Certificate cert) {
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        sans(cert, dns, ips);
        List<String> all = new ArrayList<>(dns);
        all.addAll(ips);
        return all;
    }

    private static boolean matchesName(String host, String template) {
        String t = trimDot(template).toLowerCase(Locale.ROOT);
        if (t.isEmpty() || !isAscii(t)) return false;
        if (!t.startsWith("*.")) return t.indexOf('*') < 0 && t.equals(host);
        String rest = t.substring(2);
        if (rest.indexOf('*') >= 0 || rest.indexOf('.') <= 0 || rest.endsWith(".")) return false;
        int dot = host.indexOf('.');
        return dot > 0 && host.substring(dot + 1).equals(rest);
    }

    /** The host's ASCII form, lower case, without a trailing dot; null when it has none. */
    private static String ascii(String host) {
        String h = trimDot(host);
        if (!isAscii(h)) {
            try {
                h = IDN.toASCII(h, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        h = h.toLowerCase(Locale.ROOT);
        return h.isEmpty() ? null : h;
    }

    private static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) return false;
        }
        return true;
    }

    /** An IP address literal as an address; null when it is not one (never a name lookup). */
    private static InetAddress literal(String s) {
        if (s.indexOf(':') < 0) {
            if (!IPV4.matcher(s).matches()) return null;
            for (String octet : s.split("\\.")) {
                if (Integer.parseInt(octet) > 255) return null; // else the JDK would look it up as a name
            }
        }
        try {
            return InetAddress.getByName(s); // a literal: parsed, not looked up
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private static void sans(X509Certificate cert, List<String> dns, List<String> ips) {
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans == null) return;
            for (List<?> san : sans) {
                if (san.size() < 2 || !(san.get(0) instanceof Integer type) || !(san.get(1) instanceof String value)) continue;
                if (type == SAN_DNS) dns.add(value);
                else if (type == SAN_IP) ips.add(value);
            }
        } catch (CertificateParsingException e) {
            // unreadable names: the certificate is for none
        }
    }

    /** The subject's last (most specific) CN, or null. */
    private static String commonName(X509Certificate cert) {
        try {
            javax.naming.ldap.LdapName dn = new javax.naming.ldap.LdapName(
                    cert.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253));
            String cn = null;
            for (javax.naming.ldap.Rdn rdn : dn.getRdns()) { // from the least specific to the most
                if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String s) cn = s;
            }
            return cn;
        } catch (javax.naming.InvalidNameException | RuntimeException e) {
            return null;
        }
    }
}
