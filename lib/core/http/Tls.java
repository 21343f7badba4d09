package io.datasette.dclient.core.http;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.text.Safe;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Which servers dclient trusts over TLS, as curl, Python and Go decide it: the JDK's own CAs
 * ({@code javax.net.ssl.trustStore} when set, else its {@code cacerts}) and, in addition, the
 * certificates in {@code SSL_CERT_FILE} (a PEM bundle) and in the files of {@code SSL_CERT_DIR}
 * (directories separated by {@code :}, each file PEM). Nothing JVM-wide is changed: the trust
 * lives in this object's own {@link SSLContext}.
 *
 * <p>The extra certificates are tried first and the JDK's list only when they do not vouch for
 * the server: loading {@code cacerts} (about 150 certificates) is the larger part of a first TLS
 * connection's start-up, and a private CA never needs it.
 *
 * <p>When a certificate is refused, the verdict (untrusted, another host's, expired) is kept for
 * the thread that made the handshake, so the failure can say what to do instead of the JDK's
 * exception text.
 */
final class Tls {
    /** The certificate files to trust besides the JDK's CAs: the variables' values, in order. */
    private final List<Path> files;
    private final List<Path> dirs;
    private volatile SSLSocketFactory factory;
    private static final ThreadLocal<TlsVerdict> VERDICT = new ThreadLocal<>();

    private Tls(List<Path> files, List<Path> dirs) {
        this.files = files;
        this.dirs = dirs;
    }

    /** {@code SSL_CERT_FILE} and {@code SSL_CERT_DIR} from {@code env}, and any {@code extra} files or directories. */
    static Tls from(Map<String, String> env, List<Path> extra) {
        List<Path> files = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        String file = env.get("SSL_CERT_FILE");
        if (file != null && !file.isBlank()) files.add(Path.of(file.strip()));
        String dir = env.get("SSL_CERT_DIR");
        if (dir != null && !dir.isBlank()) {
            for (String d : dir.split(java.io.File.pathSeparator)) {
                if (!d.isBlank()) dirs.add(Path.of(d.strip()));
            }
        }
        for (Path p : extra) (Files.isDirectory(p) ? dirs : files).add(p);
        return new Tls(List.copyOf(files), List.copyOf(dirs));
    }

    /** The socket factory, built on first use (a command that stays on http:// never pays for it). */
    SSLSocketFactory factory() {
        SSLSocketFactory f = factory;
        if (f == null) {
            synchronized (this) {
                f = factory;
                if (f == null) factory = f = build();
            }
        }
        return f;
    }

    private SSLSocketFactory build() {
        List<byte[]> extra = new ArrayList<>();
        for (Path p : files) extra.addAll(read(p, "SSL_CERT_FILE"));
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new Composite(extra.isEmpty() ? null : Selective.of(extra),
                    dirs.isEmpty() ? null : Selective.inDirectories(dirs))}, null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new DclientException("Could not set up TLS: " + Safe.line(String.valueOf(e.getMessage())),
                    DclientException.Kind.FAILED, e);
        }
    }

    /** The certificates (DER) in a PEM file; a file that cannot be read or holds none is an error naming it. */
    private static List<byte[]> read(Path p, String variable) {
        String name = variable + " (" + Safe.clean(p.toString()) + ")";
        List<byte[]> certs;
        try {
            certs = pem(Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new DclientException("Could not read the certificates in " + name + ": "
                    + io.datasette.dclient.core.FileErrors.reason(e, p), DclientException.Kind.INPUT, e);
        }
        if (certs.isEmpty()) {
            throw new DclientException(name + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                    DclientException.Kind.INPUT);
        }
        return certs;
    }

    /** The DER bytes of each {@code CERTIFICATE} block of a PEM text; other blocks and text are skipped. */
    static List<byte[]> pem(String text) {
        List<byte[]> out = new ArrayList<>();
        String begin = "-----BEGIN CERTIFICATE-----";
        String end = "-----END CERTIFICATE-----";
        for (int from = 0; ; ) {
            int b = text.indexOf(begin, from);
            if (b < 0) return out;
            int e = text.indexOf(end, b);
            if (e < 0) return out;
            try {
                out.add(java.util.Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e)));
            } catch (IllegalArgumentException ignored) {
                // not base64: not a certificate
            }
            from = e + end.length();
        }
    }

    /**
     * Trust in a set of PEM certificates, decoded only when needed: for each server it parses
     * just the certificates whose bytes hold the name of the server chain's issuer. A system
     * bundle (about 150 certificates, often what SSL_CERT_FILE and SSL_CERT_DIR name) would cost
     * about a second of a fresh JVM's time to parse whole; one candidate costs milliseconds.
     */
    private static final class Selective {
        private final List<Path> dirs;
        private volatile List<byte[]> ders;

        private Selective(List<byte[]> ders, List<Path> dirs) {
            this.ders = ders;
            this.dirs = dirs;
        }

        static Selective of(List<byte[]> ders) {
            return new Selective(ders, List.of());
        }

        static Selective inDirectories(List<Path> dirs) {
            return new Selective(null, dirs);
        }

        /** A trust manager for the certificates that may have issued this chain, or null when none may. */
        X509TrustManager forChain(X509Certificate[] chain) throws CertificateException {
            byte[] issuer = chain[chain.length - 1].getIssuerX500Principal().getEncoded();
            List<X509Certificate> candidates = new ArrayList<>();
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (byte[] der : ders()) {
                if (contains(der, issuer)) {
                    try {
                        candidates.add((X509Certificate) cf.generateCertificate(new java.io.ByteArrayInputStream(der)));
                    } catch (CertificateException | ClassCastException e) {
                        // a broken entry vouches for nothing
                    }
                }
            }
            if (candidates.isEmpty()) return null;
            try {
                return trustManager(candidates);
            } catch (GeneralSecurityException e) {
                throw new CertificateException(e.getMessage(), e);
            }
        }

        /** A directory's files are read on first need; a file that is not PEM adds nothing, as with OpenSSL. */
        private List<byte[]> ders() {
            List<byte[]> d = ders;
            if (d != null) return d;
            List<byte[]> all = new ArrayList<>();
            for (Path dir : dirs) {
                if (!Files.isDirectory(dir)) continue;
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                        String n = p.getFileName().toString();
                        // OpenSSL's hash links (5ad8a5d6.0) point at files also listed by their own names
                        if (Files.isSymbolicLink(p) && n.matches("[0-9a-f]{8}\\.r?[0-9]+") || !Files.isRegularFile(p)) continue;
                        try {
                            all.addAll(pem(Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1)));
                        } catch (IOException e) {
                            // unreadable: vouches for nothing
                        }
                    }
                } catch (IOException e) {
                    // an unreadable directory adds nothing
                }
            }
            ders = all;
            return all;
        }

        private static boolean contains(byte[] hay, byte[] needle) {
            outer:
            for (int i = 0, last = hay.length - needle.length; i <= last; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (hay[i + j] != needle[j]) continue outer;
                }
                return true;
            }
            return false;
        }
    }

    private static X509TrustManager trustManager(List<X509Certificate> certs) throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (X509Certificate c : certs) ks.setCertificateEntry("extra-" + i++, c);
        return firstX509(ks);
    }

    /** The JDK's default trust: {@code javax.net.ssl.trustStore} when set, else {@code cacerts}. */
    private static X509TrustManager jdkDefault() throws GeneralSecurityException {
        return firstX509(null);
    }

    private static X509TrustManager firstX509(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) return x;
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    // ---- verdicts ------------------------------------------------------------------------------

    /** Why the last handshake on this thread refused the certificate, and forgets it; null if it did not. */
    static TlsVerdict takeVerdict() {
        TlsVerdict v = VERDICT.get();
        VERDICT.remove();
        return v;
    }

    static void clearVerdict() {
        VERDICT.remove();
    }

    /** What was wrong with a server's certificate. */
    record TlsVerdict(Transport.TlsFailure.Reason reason, List<String> names, String detail) {}

    /** The failure a handshake exception means, with this thread's verdict when the certificate was refused. */
    static Transport.TlsFailure failure(SSLException e) {
        TlsVerdict v = takeVerdict();
        if (v != null) return new Transport.TlsFailure(v.reason(), v.names(), v.detail(), e);
        return new Transport.TlsFailure(Transport.TlsFailure.Reason.HANDSHAKE, List.of(),
                e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
    }

    /**
     * Trusts a server when the extra certificates or the JDK's CAs vouch for it and its certificate
     * is for the host connected to ({@link HostnameMatch}). On refusal it records why.
     */
    private static final class Composite extends X509ExtendedTrustManager {
        /** SSL_CERT_FILE's certificates, then the JDK's, then SSL_CERT_DIR's (read only when the others fail). */
        private final Selective file;
        private final Selective dir;
        private volatile X509TrustManager jdk;

        Composite(Selective file, Selective dir) {
            this.file = file;
            this.dir = dir;
        }

        private X509TrustManager jdk() throws CertificateException {
            X509TrustManager j = jdk;
            if (j == null) {
                try {
                    jdk = j = jdkDefault();
                } catch (GeneralSecurityException e) {
                    throw new CertificateException("the JDK's trusted certificates could not be loaded: " + e.getMessage(), e);
                }
            }
            return j;
        }

        /** The {@code i}th source's trust manager for this chain, or null when it has nothing to say. */
        private X509TrustManager source(int i, X509Certificate[] chain) throws CertificateException {
            return switch (i) {
                case 0 -> file == null ? null : file.forChain(chain);
                case 1 -> jdk();
                default -> dir == null ? null : dir.forChain(chain);
            };
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain, authType, socket, null);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain, authType, null, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, authType, null, null);
        }

        /**
         * The chain must be trusted by one of the sources (which also check dates and algorithm
         * constraints), then be for the host the socket was opened to ({@link HostnameMatch}; the
         * sockets ask the JDK for no host check of its own).
         */
        private void check(X509Certificate[] chain, String authType, Socket socket, SSLEngine engine)
                throws CertificateException {
            VERDICT.remove();
            if (chain == null || chain.length == 0) throw new CertificateException("the server sent no certificate");
            if (!trusted(chain, authType, socket, engine)) {
                VERDICT.set(verdict(chain));
                throw new CertificateException("no trusted certificate vouches for the server");
            }
            String host = peerHost(socket, engine);
            if (!HostnameMatch.matches(host, chain[0])) {
                VERDICT.set(new TlsVerdict(Transport.TlsFailure.Reason.NAME_MISMATCH, HostnameMatch.names(chain[0]), ""));
                throw new CertificateException("the server's certificate is not for the host connected to");
            }
        }

        private boolean trusted(X509Certificate[] chain, String authType, Socket socket, SSLEngine engine)
                throws CertificateException {
            for (int i = 0; i < 3; i++) {
                X509TrustManager tm = source(i, chain);
                if (tm == null) continue;
                try {
                    call(tm, chain, authType, socket, engine);
                    return true;
                } catch (CertificateException e) {
                    // the next source may vouch for it
                }
            }
            return false;
        }

        /** The host the handshake's socket or engine was opened to; null (so no match) when unknown. */
        private static String peerHost(Socket socket, SSLEngine engine) {
            if (engine != null) return engine.getPeerHost();
            if (socket instanceof javax.net.ssl.SSLSocket ssl && ssl.getHandshakeSession() != null) {
                return ssl.getHandshakeSession().getPeerHost();
            }
            return null;
        }

        private static void call(X509TrustManager tm, X509Certificate[] chain, String authType, Socket socket,
                SSLEngine engine) throws CertificateException {
            if (tm instanceof X509ExtendedTrustManager x && socket != null) {
                x.checkServerTrusted(chain, authType, socket);
            } else if (tm instanceof X509ExtendedTrustManager x && engine != null) {
                x.checkServerTrusted(chain, authType, engine);
            } else {
                tm.checkServerTrusted(chain, authType);
            }
        }

        /** Why no source trusts the chain: a certificate out of its dates, or none vouching for it. */
        private static TlsVerdict verdict(X509Certificate[] chain) {
            for (X509Certificate c : chain) {
                try {
                    c.checkValidity();
                } catch (CertificateException e) {
                    return new TlsVerdict(Transport.TlsFailure.Reason.EXPIRED, List.of(),
                            "valid from " + day(c.getNotBefore()) + " to " + day(c.getNotAfter()));
                }
            }
            return new TlsVerdict(Transport.TlsFailure.Reason.UNTRUSTED, List.of(), "");
        }

        private static String day(java.util.Date d) {
            return d.toInstant().toString().substring(0, 10);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
